"""Right-to-left text in the PDF: visual order on the page, logical order in the text layer, Arabic joined.

Hebrew and Arabic glyphs come from the system's fonts (the bundled ones cover
Chinese and Latin only): these tests need a font with both scripts, which CI
installs (fonts-dejavu-core); without one they fail and say so.
"""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from reportgen import doctree as dt
from reportgen.renderers import RenderOptions, pdf
from reportgen.renderers.pdf_bidi import resolve_levels, visual_order

S = dt.Span
HEBREW, ARABIC = "שלום", "مرحبا"


def doc(*blocks: dt.Block, lang: str = "en") -> dt.Document:
    return dt.Document(dt.Metadata(lang=lang, title="t"), blocks)


def para(*parts: str | dt.Inline) -> dt.Paragraph:
    return dt.Paragraph("body", tuple(S(p) if isinstance(p, str) else p for p in parts))


def render(*blocks: dt.Block, lang: str = "en", options: RenderOptions | None = None) -> bytes:
    missing: list[str] = []
    data = pdf.render(doc(*blocks, lang=lang), options or RenderOptions(on_missing_glyph=lambda c, p: missing.append(c)))
    assert not missing, f"no font draws {missing!r}: install a font with Hebrew and Arabic (fonts-dejavu-core)"
    return data


def pypdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def chars(data: bytes) -> list[dict]:
    with pdfplumber.open(io.BytesIO(data)) as reader:
        return [c for page in reader.pages for c in page.chars]


# ---------------------------------------------------------------- the algorithm


@pytest.mark.parametrize(
    ("logical", "visual"),
    [
        ("abc ABC", "abc ABC"),
        ("ab אבג de", "ab גבא de"),
        ("ab אבג 123 דהו", "ab והד 123 גבא"),  # numbers inside RTL stay left to right
        ("אב (גד) הו", "וה )דג( בא"),  # brackets at an RTL level: reversed (and drawn mirrored)
        ("x (אב) y", "x (בא) y"),  # brackets around RTL in LTR text stay LTR (N0)
        ("אב, cd", "בא, cd"),
        ("مرحبا ١٢٣", "١٢٣ ابحرم"),
    ],
)
def test_levels_and_reordering_follow_uax9(logical: str, visual: str) -> None:
    levels = resolve_levels(logical)
    assert "".join(logical[i] for i in visual_order(logical, levels)) == visual


def test_trailing_spaces_of_a_line_go_to_the_base_level() -> None:
    text = "ab אב "
    assert visual_order(text, resolve_levels(text)) == [0, 1, 2, 4, 3, 5]


# ---------------------------------------------------------------- the PDF


def test_text_layer_gives_mixed_text_in_logical_order() -> None:
    data = render(para(f"Speaker: {HEBREW} עולם and {ARABIC}"), para("发言人：", ARABIC, " 与 ", HEBREW, " 在贵阳。"))
    text = pypdf_text(data)
    assert f"Speaker: {HEBREW} עולם and {ARABIC}" in text
    assert f"发言人：{ARABIC} 与 {HEBREW} 在贵阳。" in text


def test_rtl_words_are_drawn_right_to_left() -> None:
    data = render(para(f"Name: {HEBREW} and {ARABIC} here"))
    drawn = chars(data)
    for word in (HEBREW, ARABIC):
        xs = []
        for letter in word:
            match = [c for c in drawn if c["text"] == letter]
            assert match, f"{letter!r} not in the text layer"
            xs.append(match[0]["x0"])
        assert xs == sorted(xs, reverse=True), (word, xs)  # each letter left of the one before it
    latin = [c["x0"] for c in drawn if c["text"] in "Nameher"]
    assert latin == sorted(latin)


def test_digits_inside_rtl_text_stay_left_to_right() -> None:
    data = render(para("Number: מספר 123 כאן ok"))
    drawn = chars(data)
    x = {c["text"]: c["x0"] for c in drawn}
    assert x["1"] < x["2"] < x["3"]
    assert x["כ"] < x["1"] and x["3"] < x["מ"]  # the number sits between the words, RTL order


def test_arabic_is_joined_and_reads_back_as_letters() -> None:
    beh = "\u0628"
    data = render(para(f"x {beh} y {beh}{beh}{beh} z"))
    drawn = [c for c in chars(data) if c["text"] == beh]
    assert len(drawn) == 4  # the text layer gives the letters, not presentation forms
    isolated, joined = drawn[0], drawn[1:]
    width = lambda c: c["x1"] - c["x0"]
    # initial and medial beh are other glyphs than the isolated letter: a short connecting stroke
    narrow = [c for c in joined if width(c) < 0.5 * width(isolated)]
    assert len(narrow) == 2, [width(c) for c in drawn]
    assert "\ufe8f" not in pypdf_text(data) and f"{beh}{beh}{beh}" in pypdf_text(data)


def test_lam_alef_ligature_reads_back_as_two_letters() -> None:
    data = render(para("السلام عليكم and لا"))
    assert "السلام عليكم and لا" in pypdf_text(data)


def test_an_rtl_run_broken_across_lines_keeps_its_words() -> None:
    words = ["السلام", "عليكم", "ورحمة", "الله"] * 8
    data = render(para("Start: " + " ".join(words) + " end."))
    lines = [line.strip() for line in pypdf_text(data).splitlines() if line.strip()]
    assert len(lines) >= 2
    assert [w for line in lines for w in line.split() if w not in ("Start:", "end.")] == words


def test_bold_and_a_table_cell_with_rtl_text() -> None:
    table = dt.Table(header=((S("Name"),), (S("Note"),)), rows=(((S(HEBREW),), (S(f"{ARABIC} 42"),)),))
    data = render(para(dt.Strong((S(f"Bold {ARABIC} text"),))), table)
    text = pypdf_text(data)
    assert f"Bold {ARABIC} text" in text and HEBREW in text and ARABIC in text


def test_documents_without_rtl_text_draw_in_logical_order_without_gaps() -> None:
    data = render(para("Plain English text, with (brackets) and 123."), para("中文段落，含 Latin 与数字 2025。"), lang="zh")
    content = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data()
    assert b" TJ" not in content  # no gaps standing for spaces, no reordered runs
    text = pypdf_text(data)
    assert "Plain English text, with (brackets) and 123." in text
    assert "中文段落，含 Latin 与数字 2025。" in text


# ---------------------------------------------------------------- fallback faces without a space


def _cff_font(path: Path, char: str) -> None:
    """A one-glyph OpenType/CFF font: reportgen cuts the glyph out into a TrueType font without a space."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder([".notdef", "box"])
    fb.setupCharacterMap({ord(char): "box"})
    charstrings = {}
    for name in (".notdef", "box"):
        pen = T2CharStringPen(900, None)
        pen.moveTo((100, 0))
        pen.lineTo((100, 700))
        pen.lineTo((800, 700))
        pen.lineTo((800, 0))
        pen.closePath()
        charstrings[name] = pen.getCharString()
    fb.setupCFF("RGBidiSpace-Regular", {"FullName": "RGBidiSpace"}, charstrings, {})
    fb.setupHorizontalMetrics({".notdef": (900, 100), "box": (900, 100)})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "RGBidiSpace", "styleName": "Regular", "psName": "RGBidiSpace-Regular"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    fb.save(str(path))


def test_a_space_after_a_fallback_character_is_never_read_back_as_nul(tmp_path: Path) -> None:
    # Regression (issue 8): a space joined the run of the fallback face before it; a converted
    # cut has no space glyph, so ReportLab drew code 0, which the text layer gives as U+0000.
    char = "\U000f7a01"
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    _cff_font(fonts / "Space.otf", char)
    options = RenderOptions(font_dirs=(fonts,))
    for _ in range(2):  # the same character again, in a later build of the same process
        data = pdf.render(doc(para(f"a {char} b {char}\u00a0c"), para(dt.Strong((S(f"{char} d"),)))), options)
        text = pypdf_text(data)
        assert "\x00" not in text, repr(text)
        assert f"a {char} b {char}" in text and f"{char} d" in text
