"""The bundled Noto Serif SC faces: coverage, style bits, outline format, embedding.

Pure Python (ReportLab's own TrueType parser, pypdf); no poppler, no fontTools.
"""

from __future__ import annotations

import io
import re
import struct
from functools import cache

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

from conftest import build_fonts_script
from reportgen.resources import font_path

FACES = {"Regular": "NotoSerifSC-Regular.ttf", "Bold": "NotoSerifSC-Bold.ttf"}
# Registered under names of their own so this module cannot clash with the renderer's.
FONT_NAMES = {style: f"TestFontsNotoSerifSC-{style}" for style in FACES}

PUNCTUATION = "‘’“”—…·、。，《》（）％"
OS2_FS_SELECTION_BOLD = 1 << 5
HEAD_MAC_STYLE_BOLD = 1 << 0


def gb2312_hanzi() -> list[str]:
    """The 6763 hanzi of GB2312: rows 16-87 (lead bytes 0xB0-0xF7)."""
    chars = []
    for lead in range(0xB0, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.append(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def latin1_printable() -> list[str]:
    return [chr(cp) for cp in [*range(0x20, 0x7F), *range(0xA0, 0x100)]]


@cache
def registered(style: str) -> TTFont:
    """The bundled face of ``style``, parsed and registered with ReportLab once.

    ReportLab keys TrueType faces by PostScript name: if the renderer has
    registered the same file already, the name maps to that font object.
    """
    pdfmetrics.registerFont(TTFont(FONT_NAMES[style], str(font_path(FACES[style]))))
    font = pdfmetrics.getFont(FONT_NAMES[style])
    assert isinstance(font, TTFont)
    return font


@pytest.fixture(params=sorted(FACES))
def face(request: pytest.FixtureRequest) -> tuple[str, TTFont]:
    """(style, registered ReportLab font) for each bundled face."""
    return request.param, registered(request.param)


def os2_weight_and_selection(font: TTFont) -> tuple[int, int]:
    os2 = font.face.get_table("OS/2")
    (weight,) = struct.unpack_from(">H", os2, 4)
    (fs_selection,) = struct.unpack_from(">H", os2, 62)
    return weight, fs_selection


def head_mac_style(font: TTFont) -> int:
    (mac_style,) = struct.unpack_from(">H", font.face.get_table("head"), 44)
    return mac_style


def test_face_loads_with_the_family_and_style_names(face: tuple[str, TTFont]) -> None:
    style, font = face
    assert font.face.familyName.decode() == "Noto Serif SC"
    assert font.face.styleName.decode() == style
    assert font.face.name.decode() == f"NotoSerifSC-{style}"
    assert font.face.unitsPerEm == 1000


def test_outlines_are_truetype_not_cff(face: tuple[str, TTFont]) -> None:
    _, font = face
    tables = set(font.face.table)
    assert {"glyf", "loca", "cmap", "hmtx"} <= tables
    assert not tables & {"CFF ", "CFF2", "fvar", "gvar"}  # no PostScript outlines, not variable


def test_covers_every_gb2312_hanzi(face: tuple[str, TTFont]) -> None:
    _, font = face
    hanzi = gb2312_hanzi()
    assert len(hanzi) == 6763
    missing = [ch for ch in hanzi if ord(ch) not in font.face.charToGlyph]
    assert not missing


def test_covers_latin1_and_chinese_punctuation(face: tuple[str, TTFont]) -> None:
    _, font = face
    wanted = latin1_printable() + list(PUNCTUATION)
    missing = [f"U+{ord(ch):04X}" for ch in wanted if ord(ch) not in font.face.charToGlyph]
    assert not missing


def test_covers_the_whole_8105_table_including_supplementary_planes(
    face: tuple[str, TTFont],
) -> None:
    """The 276 characters of the 通用规范汉字表 outside GBK, as listed by the build script."""
    outside_gbk = build_fonts_script().TONGYONG_GUIFAN_OUTSIDE_GBK
    assert len(outside_gbk) == 276
    assert any(cp > 0xFFFF for cp in outside_gbk)
    _, font = face
    missing = [f"U+{cp:04X}" for cp in outside_gbk if cp not in font.face.charToGlyph]
    assert not missing


def test_bold_is_marked_bold_and_regular_is_not(face: tuple[str, TTFont]) -> None:
    style, font = face
    weight, fs_selection = os2_weight_and_selection(font)
    if style == "Bold":
        assert weight >= 700
        assert fs_selection & OS2_FS_SELECTION_BOLD
        assert head_mac_style(font) & HEAD_MAC_STYLE_BOLD
    else:
        assert weight == 400
        assert not fs_selection & OS2_FS_SELECTION_BOLD
        assert not head_mac_style(font) & HEAD_MAC_STYLE_BOLD
    assert not fs_selection & 1  # never italic


def test_embedding_is_allowed(face: tuple[str, TTFont]) -> None:
    _, font = face
    (fs_type,) = struct.unpack_from(">H", font.face.get_table("OS/2"), 8)
    assert fs_type == 0  # installable: ReportLab may subset and embed it


def test_reportlab_embeds_both_faces_as_subsets() -> None:
    for style in FACES:
        registered(style)
    text = {
        "Regular": "国家气象中心发布台风预警 Typhoon warning “海葵” 42%",
        "Bold": "粗体标题 Bold heading《通知》",
    }
    story = [
        Paragraph(text[style], ParagraphStyle(style, fontName=FONT_NAMES[style], wordWrap="CJK"))
        for style in FACES
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A5, initialFontName=FONT_NAMES["Regular"], invariant=1
    ).build(story)

    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    base_fonts = {}
    for page in reader.pages:
        for font_ref in page["/Resources"]["/Font"].values():
            font = font_ref.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded as TrueType"
            base_fonts[str(font["/BaseFont"])] = font
    styles = set()
    for base_font in base_fonts:
        match = re.fullmatch(r"/[A-Z]{6}\+NotoSerifSC-(Regular|Bold)", base_font)
        assert match, f"unexpected font {base_font}"
        styles.add(match.group(1))
    assert styles == set(FACES)

    extracted = "".join(page.extract_text() for page in reader.pages)
    for line in text.values():
        for word in line.split():
            assert word in extracted
