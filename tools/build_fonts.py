#!/usr/bin/env python3
"""Build reportgen's bundled Chinese/Latin font family from Debian's Noto Serif CJK.

ReportLab embeds only TrueType (``glyf``) outlines, while every Noto/Source Han
CJK font in Debian (and on PyPI) has CFF outlines. This script makes the two
faces that ship inside the package::

    reportgen/fonts/NotoSerifSC-Regular.ttf
    reportgen/fonts/NotoSerifSC-Bold.ttf

For each face it

1. opens the Simplified Chinese subfont of ``NotoSerifCJK-{Regular,Bold}.ttc``
   (found by its name table, not by a fixed index);
2. subsets it to the character set below *before* converting: only .notdef
   and the glyphs the cmap maps those characters to are kept, and hinting,
   OpenType layout (GSUB/GPOS/GDEF/BASE), vertical metrics and VORG are
   dropped, leaving outlines, horizontal metrics and the cmap;
3. converts the kept glyphs' cubic CFF outlines to quadratic TrueType outlines
   (``Cu2QuPen`` feeding a ``TTGlyphPen``, the method of fontTools'
   ``Snippets/otf2ttf.py``), numbering the glyphs in code point order so the
   cmap stays compact, and rewrites cmap (format 4 + format 12), head, maxp,
   post, OS/2 and name for a static two-face family "Noto Serif SC"
   (Regular / Bold, with the bold bits set on Bold only).

Character set (only what the source font has is kept):

* every character of GB2312 (hanzi and symbols) and every other non-private-use
  character of GBK, which includes all 20,902 CJK Unified Ideographs of
  U+4E00..U+9FA5;
* the 276 characters of the 通用规范汉字表 (2013, 8105 characters) that are
  outside GBK (CJK Extensions A-F and U+9FCD..U+9FCF), so the whole 8105 list
  is covered;
* the Unicode blocks in ``BLOCKS``: Latin (Basic, Latin-1, Extended-A),
  General Punctuation, currency, letterlike symbols, number forms, arrows,
  mathematical operators, enclosed alphanumerics, CJK symbols and punctuation,
  enclosed CJK letters, halfwidth and fullwidth forms.

The 简报 template (GB/T 9704) adds three faces built the same way, subset to
GB2312, the 8105 table and the blocks below (``--only jianbao`` builds just them)::

    reportgen/fonts/NotoSerifSC-Light.ttf     仿宋 stand-in (fonts-noto-cjk-extra)
    reportgen/fonts/NotoSansSC-Medium.ttf     黑体 (fonts-noto-cjk-extra)
    reportgen/fonts/ReportgenKai-Regular.ttf  楷体: LXGW WenKai (fonts-lxgw-wenkai),
                                              renamed: "LXGW" is a Reserved Font Name

LXGW WenKai has TrueType outlines already; its composite glyphs are
decomposed and its contours keep their direction.

The output is deterministic: the same source fonts and the same fontTools
version give byte-identical files (head.created/modified are copied from the
source font, never the clock).

Usage (from the repository root)::

    apt-get install fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai
    python tools/build_fonts.py [--source-dir /usr/share/fonts/opentype/noto]
                                [--output-dir reportgen/fonts] [--jobs 2]
                                [--only default|jianbao]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

# fontTools is needed to build, not to use the package: it is imported inside
# the functions that need it, so tests can read the character set from this
# module without it.
if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
DEFAULT_OUTPUT_DIR = REPO_ROOT / "reportgen" / "fonts"

FAMILY = "Noto Serif SC"
SOURCE_FAMILY = "Noto Serif CJK SC"

# Everything but outlines, horizontal metrics, cmap and metadata goes:
# hinting, OpenType layout, vertical metrics, CFF-only tables.
DROPPED_TABLES = ("CFF ", "VORG", "GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx", "DSIG")

# Maximum distance, in font units (1000 per em), between a cubic curve and
# its quadratic approximation; 1.0 is what fontTools' otf2ttf uses.
MAX_ERR = 1.0


@dataclass(frozen=True)
class Face:
    style: str  # "Regular" or "Bold"
    source_file: str
    output_file: str
    weight: int
    bold: bool
    family: str = FAMILY  # the family name the output carries
    source_family: str = SOURCE_FAMILY  # the (typographic) family of the source face
    source_style: str | None = None  # the source's (typographic) style; default: ``style``
    source_dir: Path | None = None  # default: --source-dir
    charset: str = "gbk"  # "gbk": GBK + 8105 + BLOCKS; "gb2312": GB2312 + 8105 + BLOCKS (smaller)
    group: str = "default"  # "default": the briefing family; "jianbao": the 简报 faces


LXGW_SOURCE_DIR = Path("/usr/share/fonts/truetype/lxgw-wenkai")  # Debian's fonts-lxgw-wenkai

FACES = (
    Face("Regular", "NotoSerifCJK-Regular.ttc", "NotoSerifSC-Regular.ttf", 400, False),
    Face("Bold", "NotoSerifCJK-Bold.ttc", "NotoSerifSC-Bold.ttf", 700, True),
    # The 简报 (GB/T 9704) faces: stand-ins for 仿宋, 黑体 and 楷体 (小标宋 is the
    # Bold face above). GB2312 + 8105 + BLOCKS only (about a third of the size);
    # a character outside that falls back to Noto Serif SC, which has all of GBK.
    Face("Regular", "NotoSerifCJK-Light.ttc", "NotoSerifSC-Light.ttf", 300, False,
         family="Noto Serif SC Light", source_style="Light", charset="gb2312", group="jianbao"),
    Face("Regular", "NotoSansCJK-Medium.ttc", "NotoSansSC-Medium.ttf", 500, False,
         family="Noto Sans SC Medium", source_family="Noto Sans CJK SC", source_style="Medium",
         charset="gb2312", group="jianbao"),
    # LXGW WenKai is OFL with the Reserved Font Names "LXGW" and "霞鹜": a
    # modified version (this subset) must not carry them, hence "reportgen Kai".
    Face("Regular", "LXGWWenKai-Regular.ttf", "ReportgenKai-Regular.ttf", 400, False,
         family="reportgen Kai", source_family="LXGW WenKai", source_dir=LXGW_SOURCE_DIR,
         charset="gb2312", group="jianbao"),
)

# Whole Unicode blocks to keep (first, last, name).
BLOCKS = (
    (0x0020, 0x007E, "Basic Latin"),
    (0x00A0, 0x00FF, "Latin-1 Supplement"),
    (0x0100, 0x017F, "Latin Extended-A"),
    (0x2000, 0x206F, "General Punctuation"),
    (0x20A0, 0x20CF, "Currency Symbols"),
    (0x2100, 0x214F, "Letterlike Symbols"),
    (0x2150, 0x218F, "Number Forms"),
    (0x2190, 0x21FF, "Arrows"),
    (0x2200, 0x22FF, "Mathematical Operators"),
    (0x2460, 0x24FF, "Enclosed Alphanumerics"),
    (0x3000, 0x303F, "CJK Symbols and Punctuation"),
    (0x3200, 0x32FF, "Enclosed CJK Letters and Months"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"),
)

# The characters of the 通用规范汉字表 (Table of General Standard Chinese
# Characters, 2013) that GBK does not encode: 77 in CJK Extension A, 3 in the
# URO beyond U+9FA5, 196 in Extensions B-F. The other 7829 characters of the
# table are in GBK and so are kept anyway. Taken from a public machine-readable
# transcription of the table (U+ code point and character on each line, both
# checked against each other); Noto Serif CJK SC 2.001 has all of them.
TONGYONG_GUIFAN_OUTSIDE_GBK = (
    0x3447, 0x344A, 0x356E, 0x360E, 0x364D, 0x3658, 0x3666, 0x36C3,
    0x36DA, 0x36F9, 0x37C3, 0x3807, 0x3813, 0x3918, 0x3944, 0x39D0,
    0x39D1, 0x39DF, 0x3AF0, 0x3B0A, 0x3B0E, 0x3B1A, 0x3B4E, 0x3B55,
    0x3BBE, 0x3C00, 0x3CC7, 0x3CD8, 0x3CDA, 0x3D14, 0x3D50, 0x3DB2,
    0x3E06, 0x3E0C, 0x3E84, 0x3EEC, 0x3F4F, 0x3FE0, 0x4056, 0x40AE,
    0x40C5, 0x40CE, 0x415F, 0x4339, 0x4383, 0x4396, 0x43DD, 0x43E1,
    0x43F2, 0x4403, 0x44D6, 0x44DB, 0x44E8, 0x44EB, 0x44EC, 0x45D6,
    0x45DB, 0x45EA, 0x45F4, 0x4723, 0x4759, 0x48BA, 0x48BC, 0x48D8,
    0x497D, 0x4983, 0x4C9F, 0x4CA0, 0x4CA2, 0x4D13, 0x4D14, 0x4D15,
    0x4D16, 0x4D17, 0x4D18, 0x4D19, 0x4DAE, 0x9FCD, 0x9FCE, 0x9FCF,
    0x20164, 0x20676, 0x20CD0, 0x2139A, 0x21413, 0x235CB, 0x23C97, 0x23C98,
    0x23E23, 0x249DB, 0x24A7D, 0x24AC9, 0x25532, 0x25562, 0x255A8, 0x25ED7,
    0x26221, 0x2648D, 0x26676, 0x2677C, 0x26B5C, 0x26C21, 0x27FF9, 0x28408,
    0x28678, 0x28695, 0x287E0, 0x28B49, 0x28C47, 0x28C4F, 0x28C51, 0x28C54,
    0x28E99, 0x29F7E, 0x29F83, 0x29F8C, 0x2A7DD, 0x2A8FB, 0x2A917, 0x2AA30,
    0x2AA36, 0x2AA58, 0x2AFA2, 0x2B127, 0x2B128, 0x2B137, 0x2B138, 0x2B1ED,
    0x2B300, 0x2B363, 0x2B36F, 0x2B372, 0x2B37D, 0x2B404, 0x2B410, 0x2B413,
    0x2B461, 0x2B4E7, 0x2B4EF, 0x2B4F6, 0x2B4F9, 0x2B50D, 0x2B50E, 0x2B536,
    0x2B5AE, 0x2B5AF, 0x2B5B3, 0x2B5E7, 0x2B5F4, 0x2B61C, 0x2B61D, 0x2B626,
    0x2B627, 0x2B628, 0x2B62A, 0x2B62C, 0x2B695, 0x2B696, 0x2B6AD, 0x2B6ED,
    0x2B7A9, 0x2B7C5, 0x2B7E6, 0x2B7F9, 0x2B7FC, 0x2B806, 0x2B80A, 0x2B81C,
    0x2B8B8, 0x2BAC7, 0x2BB5F, 0x2BB62, 0x2BB7C, 0x2BB83, 0x2BC1B, 0x2BD77,
    0x2BD87, 0x2BDF7, 0x2BE29, 0x2C029, 0x2C02A, 0x2C0A9, 0x2C0CA, 0x2C1D5,
    0x2C1D9, 0x2C1F9, 0x2C27C, 0x2C288, 0x2C2A4, 0x2C317, 0x2C35B, 0x2C361,
    0x2C364, 0x2C488, 0x2C494, 0x2C497, 0x2C542, 0x2C613, 0x2C618, 0x2C621,
    0x2C629, 0x2C62B, 0x2C62C, 0x2C62D, 0x2C62F, 0x2C642, 0x2C64A, 0x2C64B,
    0x2C72C, 0x2C72F, 0x2C79F, 0x2C7C1, 0x2C7FD, 0x2C8D9, 0x2C8DE, 0x2C8E1,
    0x2C8F3, 0x2C907, 0x2C90A, 0x2C91D, 0x2CA02, 0x2CA0E, 0x2CA7D, 0x2CAA9,
    0x2CB29, 0x2CB2D, 0x2CB2E, 0x2CB31, 0x2CB38, 0x2CB39, 0x2CB3B, 0x2CB3F,
    0x2CB41, 0x2CB4A, 0x2CB4E, 0x2CB5A, 0x2CB5B, 0x2CB64, 0x2CB69, 0x2CB6C,
    0x2CB6F, 0x2CB73, 0x2CB76, 0x2CB78, 0x2CB7C, 0x2CBB1, 0x2CBBF, 0x2CBC0,
    0x2CBCE, 0x2CC56, 0x2CC5F, 0x2CCF5, 0x2CCF6, 0x2CCFD, 0x2CCFF, 0x2CD02,
    0x2CD03, 0x2CD0A, 0x2CD8B, 0x2CD8D, 0x2CD8F, 0x2CD90, 0x2CD9F, 0x2CDA0,
    0x2CDA8, 0x2CDAD, 0x2CDAE, 0x2CDD5, 0x2CE18, 0x2CE1A, 0x2CE23, 0x2CE26,
    0x2CE2A, 0x2CE7C, 0x2CE88, 0x2CE93,
)


@cache
def gb2312_chars() -> frozenset[int]:
    """Every character of GB2312: all two-byte sequences the codec decodes."""
    return frozenset(_decode_all("gb2312", range(0xA1, 0xFF), range(0xA1, 0xFF)))


@cache
def gbk_chars() -> frozenset[int]:
    """Every character of GBK except private-use ones."""
    chars = _decode_all("gbk", range(0x81, 0xFF), range(0x40, 0xFF))
    return frozenset(cp for cp in chars if not 0xE000 <= cp <= 0xF8FF)


def _decode_all(codec: str, lead_bytes: range, trail_bytes: range) -> set[int]:
    chars = set()
    for lead in lead_bytes:
        for trail in trail_bytes:
            try:
                text = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                chars.add(ord(text))
    return chars


def wanted_codepoints(charset: str = "gbk") -> set[int]:
    """The code points to keep (before intersecting with the source cmap)."""
    wanted = set(gb2312_chars()) | set(TONGYONG_GUIFAN_OUTSIDE_GBK)
    if charset == "gbk":
        wanted |= gbk_chars()
    for first, last, _name in BLOCKS:
        wanted.update(range(first, last + 1))
    return wanted


def find_sc_subfont(path: Path, family: str = SOURCE_FAMILY) -> int:
    """Index of the Simplified Chinese face in a Noto CJK collection (0 for a single font)."""
    from fontTools.ttLib import TTCollection

    if path.suffix.lower() != ".ttc":
        return -1
    collection = TTCollection(str(path), lazy=True)
    try:
        for index, font in enumerate(collection.fonts):
            if _family(font) == family:
                return index
    finally:
        collection.close()
    raise SystemExit(f"{path}: no subfont named {family!r}")


def _family(font: TTFont) -> str:
    """The typographic family (name ID 16) or, without one, the family (name ID 1)."""
    return font["name"].getDebugName(16) or font["name"].getDebugName(1)


def _style(font: TTFont) -> str:
    """The typographic style (name ID 17) or, without one, the style (name ID 2)."""
    return font["name"].getDebugName(17) or font["name"].getDebugName(2)


def subset_and_convert(font: TTFont, codepoints: set[int]) -> None:
    """Keep .notdef and the glyphs of ``codepoints``, convert just those from
    cubic CFF to quadratic TrueType outlines, and drop every table that is
    not outlines, horizontal metrics, cmap or font-wide metadata.

    The glyphs are selected here rather than with ``fontTools.subset``: on
    this 65,535-glyph CID-keyed CFF its closure and subroutine pruning run
    every charstring and took 45-70 s per face, three times the conversion.
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    source_cmap = font.getBestCmap()
    cmap = {cp: source_cmap[cp] for cp in sorted(codepoints) if cp in source_cmap}
    first_codepoint: dict[str, int] = {}
    for codepoint, name in cmap.items():
        first_codepoint.setdefault(name, codepoint)
    notdef = font.getGlyphOrder()[0]
    # .notdef stays glyph 0, then the glyphs in code point order: runs of
    # consecutive code points get consecutive glyph ids, which keeps the
    # format 4 cmap small.
    old_names = [notdef] + sorted(first_codepoint, key=first_codepoint.__getitem__)
    new_names = [".notdef"] + [f"g{i:05d}" for i in range(1, len(old_names))]
    renamed = dict(zip(old_names, new_names))

    glyph_set = font.getGlyphSet()
    source_metrics = font["hmtx"].metrics
    # CFF contours run counter-clockwise, TrueType ones clockwise.
    reverse = "CFF " in font or "CFF2" in font
    glyf = newTable("glyf")
    glyf.glyphOrder = new_names
    glyf.glyphs = {}
    hmtx = newTable("hmtx")
    hmtx.metrics = {}
    for old, new in renamed.items():
        tt_pen = TTGlyphPen(None)
        # Components (LXGW WenKai has some) are drawn decomposed: glyphs are renamed here.
        recording = DecomposingRecordingPen(glyph_set)
        glyph_set[old].draw(recording)
        recording.replay(Cu2QuPen(tt_pen, MAX_ERR, reverse_direction=reverse))
        glyph = tt_pen.glyph()
        glyph.recalcBounds(glyf)
        glyf.glyphs[new] = glyph
        # TrueType wants lsb == xMin (head.flags bit 1 says so).
        hmtx.metrics[new] = (source_metrics[old][0], getattr(glyph, "xMin", 0))

    for tag in DROPPED_TABLES:
        if tag in font:
            del font[tag]
    font.setGlyphOrder(new_names)
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    font["hmtx"] = hmtx
    build_cmap(font, {cp: renamed[name] for cp, name in cmap.items()})

    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(new_names)
    # No hinting: the instruction limits are zero; points and contours are
    # recomputed from glyf when the font is saved.
    for field in (
        "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
        "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
        "maxComponentDepth", "maxPoints", "maxContours", "maxCompositePoints",
        "maxCompositeContours",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1

    head = font["head"]
    head.glyphDataFormat = 0

    post = font["post"]
    post.formatType = 3.0  # no glyph names
    post.extraNames = []
    post.mapping = {}

    os2 = font["OS/2"]
    os2.usFirstCharIndex = min(cmap)
    os2.usLastCharIndex = min(max(cmap), 0xFFFF)

    font.sfntVersion = "\x00\x01\x00\x00"


def build_cmap(font: TTFont, mapping: dict[int, str]) -> None:
    """Unicode cmap: format 4 (BMP) and format 12 (all planes), each for the
    Unicode (0) and Windows (3) platforms. ReportLab reads the last Windows
    subtable, the format 12 one, so supplementary-plane characters work."""
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    bmp = {cp: name for cp, name in mapping.items() if cp <= 0xFFFF}
    subtables = []
    for platform_id, encoding_id, fmt, table_mapping in (
        (0, 3, 4, bmp),
        (0, 4, 12, mapping),
        (3, 1, 4, bmp),
        (3, 10, 12, mapping),
    ):
        subtable = CmapSubtable.newSubtable(fmt)
        subtable.platformID = platform_id
        subtable.platEncID = encoding_id
        subtable.language = 0
        subtable.cmap = dict(table_mapping)
        subtables.append(subtable)
    cmap = newTable("cmap")
    cmap.tableVersion = 0
    cmap.tables = subtables
    font["cmap"] = cmap


def set_style_and_names(font: TTFont, face: Face, source_version: str) -> None:
    """A static Regular/Bold family (``face.family``) with matching style bits."""
    from fontTools.ttLib import newTable

    os2 = font["OS/2"]
    os2.usWeightClass = face.weight
    fs_selection = os2.fsSelection & ~((1 << 0) | (1 << 5) | (1 << 6))  # ITALIC, BOLD, REGULAR
    fs_selection |= (1 << 5) if face.bold else (1 << 6)
    os2.fsSelection = fs_selection
    os2.fsType = 0  # installable embedding, as in the source
    os2.recalcAvgCharWidth(font)
    os2.recalcUnicodeRanges(font)
    os2.recalcCodePageRanges(font)
    head = font["head"]
    head.macStyle = (head.macStyle & ~0b11) | (0b1 if face.bold else 0)

    source_names = font["name"]
    keep = {}
    for name_id in (0, 7, 8, 9, 11, 12, 13, 14):  # copyright, trademark, vendor, designer, URLs, license
        value = source_names.getName(name_id, 3, 1, 0x409)
        if value is not None:
            keep[name_id] = value.toUnicode()
    family = face.family
    ps_name = _ps_name(face)
    full_name = family if face.style == "Regular" else f"{family} {face.style}"
    version_number = source_version.split(";")[0].strip()  # "Version 2.001"
    names = {
        **keep,
        1: family,
        2: face.style,
        3: f"{version_number.removeprefix('Version ')};reportgen;{ps_name}",
        4: full_name,
        5: f"{version_number}; subset converted to TrueType by reportgen",
        6: ps_name,
        10: (
            f"Subset of {face.source_family} {face.source_style or face.style} ({source_version}) "
            f"converted by reportgen (tools/build_fonts.py): GB2312, {'GBK, ' if face.charset == 'gbk' else ''}the 8105 "
            "characters of the Table of General Standard Chinese Characters, Latin "
            "and punctuation; outlines converted to TrueType (quadratic) outlines; "
            "hinting and OpenType layout tables removed."
        ),
    }
    table = newTable("name")
    table.names = []
    for name_id in sorted(names):
        table.setName(names[name_id], name_id, 3, 1, 0x409)
    font["name"] = table


def build_face(face: Face, source_dir: Path, output_dir: Path) -> dict:
    """Build one face; returns figures for the summary."""
    from fontTools.ttLib import TTFont

    started = time.monotonic()
    source_path = (face.source_dir or source_dir) / face.source_file
    if not source_path.is_file():
        package = "fonts-lxgw-wenkai" if face.source_dir == LXGW_SOURCE_DIR else (
            "fonts-noto-cjk" if face.group == "default" else "fonts-noto-cjk-extra")
        raise SystemExit(f"{source_path} not found (apt-get install {package})")
    index = find_sc_subfont(source_path, face.source_family)
    font = TTFont(str(source_path), fontNumber=index, recalcTimestamp=False, recalcBBoxes=True)
    source_version = font["name"].getDebugName(5)
    source_style = _style(font)
    expected_style = face.source_style or face.style
    if source_style != expected_style:
        raise SystemExit(f"{source_path}#{index}: style {source_style!r}, expected {expected_style!r}")
    _log(face, f"{source_path.name} subfont {index}: {face.source_family} {source_style}, "
               f"{source_version}, {len(font.getGlyphOrder())} glyphs")

    available = set(font.getBestCmap())
    wanted = wanted_codepoints(face.charset)
    kept = wanted & available
    # Characters the encodings/tables promise but the source does not have.
    required = gb2312_chars() | set(TONGYONG_GUIFAN_OUTSIDE_GBK)
    if face.charset == "gbk":
        required |= gbk_chars()
    lacking = sorted(required - available)
    _log(face, f"keeping {len(kept)} characters; converting outlines ...")

    subset_and_convert(font, kept)
    set_style_and_names(font, face, source_version)
    glyph_count = len(font.getGlyphOrder())
    _log(face, f"{glyph_count} glyphs converted ({time.monotonic() - started:.1f} s)")

    output_dir.mkdir(parents=True, exist_ok=True)
    out_path = output_dir / face.output_file
    font.save(str(out_path))
    font.close()
    size = out_path.stat().st_size
    elapsed = time.monotonic() - started
    _log(face, f"wrote {out_path} ({size:,} bytes) in {elapsed:.1f} s")
    return {
        "path": out_path,
        "size": size,
        "glyphs": glyph_count,
        "characters": len(kept),
        "lacking": lacking,
    }


LATIN_SOURCE_DIR = Path("/usr/share/fonts/truetype/noto")  # Debian's fonts-noto-core
LATIN_FACES = ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf", "NotoSerif-BoldItalic.ttf")


def copy_latin_faces(source_dir: Path, output_dir: Path) -> None:
    """Noto Serif, unmodified: the face for Latin text (proportional quotes, real italics).

    The CJK face's quotes and ellipsis are full-width, so English set in it reads
    `China’ s`; these TrueType faces are small (about 0.6 MB each) and need no conversion.
    """
    for name in LATIN_FACES:
        shutil.copyfile(source_dir / name, output_dir / name)
        print(f"{name}: copied from {source_dir}", flush=True)


def _ps_name(face: Face) -> str:
    return f"{face.family.replace(' ', '')}-{face.style}"


def _log(face: Face, message: str) -> None:
    print(f"[{_ps_name(face)}] {message}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source-dir", type=Path, default=DEFAULT_SOURCE_DIR,
                        help="directory with NotoSerifCJK-{Regular,Bold}.ttc (default: %(default)s)")
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT_DIR,
                        help="where the .ttf files go (default: reportgen/fonts)")
    parser.add_argument("--latin-source-dir", type=Path, default=LATIN_SOURCE_DIR,
                        help="directory with NotoSerif-*.ttf from fonts-noto-core (default: %(default)s)")
    parser.add_argument("--jobs", type=int, default=min(len(FACES), os.cpu_count() or 1),
                        help="faces to build in parallel (default: %(default)s)")
    parser.add_argument("--only", choices=("default", "jianbao"),
                        help="build one group of faces: the briefing family (default) or the 简报 faces "
                             "(jianbao: Noto Serif SC Light, Noto Sans SC Medium, reportgen Kai)")
    args = parser.parse_args(argv)

    started = time.monotonic()
    faces = tuple(face for face in FACES if args.only in (None, face.group))
    if args.only in (None, "default"):
        copy_latin_faces(args.latin_source_dir, args.output_dir)
    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=min(args.jobs, len(faces))) as pool:
            results = list(pool.map(build_face, faces,
                                    [args.source_dir] * len(faces), [args.output_dir] * len(faces)))
    else:
        results = [build_face(face, args.source_dir, args.output_dir) for face in faces]
    for result in results:
        lacking = ", ".join(f"U+{cp:04X}" for cp in result["lacking"]) or "none"
        print(f"{result['path'].name}: {result['size']:,} bytes, {result['glyphs']} glyphs, "
              f"{result['characters']} characters; GB2312/GBK/8105 characters the source "
              f"lacks: {lacking}")
    print(f"done in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
