"""Glyph aliases: a shaped or mirrored glyph drawn under a private code point that reads back as the original text.

A joined Arabic letter is drawn with its presentation-form glyph, and a bracket
at a right-to-left level with its mirror's glyph; but the PDF text layer must
give the letter and the bracket the event file holds (and a presentation form
the event file itself holds must still read back as itself). ReportLab maps
one code point to one glyph, so each such glyph is drawn under an alias: a
code point of Supplementary Private Use Area-A, fixed per glyph source, that
the font maps to the source's glyph, and that reportgen's ToUnicode CMap
(pdf_fonts) writes as the original text.

The alias numbers are fixed (not handed out in order of use), so the bytes of
a PDF do not depend on what else the process built before it.

A character no font has is drawn as the font's .notdef box under a box alias
(Supplementary Private Use Area-B), so that the text layer still gives the
character rather than U+0000. Box aliases are handed out in order of first use
in the process: that is safe for the bytes, because a PDF holds its subset
codes and the text the ToUnicode map writes, never the alias itself.
"""

from __future__ import annotations

import threading
import unicodedata

from reportlab.pdfbase import pdfmetrics

from reportgen.renderers.pdf_arabic import ALEFS
from reportgen.renderers.pdf_bidi import MIRROR

_FORMS_BASE = 0xF0000  # + (presentation form - U+FB50), U+FB50..U+FEFF
_FORMS_FIRST, _FORMS_LAST = 0xFB50, 0xFEFF
_MIRROR_BASE = 0xF1000  # + index of the character in _MIRRORED
_MIRRORED = sorted(MIRROR)
_MIRROR_INDEX = {ch: i for i, ch in enumerate(_MIRRORED)}
# The alef of a lam-alef ligature: drawn as nothing (the ligature is drawn for the lam), so
# that each letter is one glyph of its own and extractors that reverse right-to-left runs
# character by character give lam, alef.
_SILENT_BASE = 0xF2000  # + index of the alef in _SILENT
_SILENT = sorted(ALEFS)
ALIAS_FIRST, ALIAS_LAST = _FORMS_BASE, _SILENT_BASE + len(_SILENT) - 1
_BOX_FIRST, _BOX_LAST = 0x100000, 0x10FFFD

_lock = threading.Lock()
_box_of: dict[str, int] = {}  # a character no font has -> its box alias
_box_text: dict[int, str] = {}  # and back


def form_alias(form: str) -> str:
    """The alias of an Arabic presentation form drawn for shaped letters."""
    return chr(_FORMS_BASE + ord(form) - _FORMS_FIRST)


def mirror_alias(char: str) -> str | None:
    """The alias that draws ``char`` with its mirror's glyph (None: not mirrored)."""
    index = _MIRROR_INDEX.get(char)
    return None if index is None else chr(_MIRROR_BASE + index)


def silent_alias(char: str) -> str:
    """The alias of an alef a lam-alef ligature drew: no glyph, no width, reads back as the alef."""
    return chr(_SILENT_BASE + _SILENT.index(char))


def is_alias(char: str) -> bool:
    if not char:
        return False
    cp = ord(char[0])
    return ALIAS_FIRST <= cp <= ALIAS_LAST or cp >= _BOX_FIRST


def source(alias: str) -> str:
    """The character whose glyph an alias draws."""
    cp = ord(alias)
    if cp >= _SILENT_BASE:
        return " "
    if cp >= _MIRROR_BASE:
        return MIRROR[_MIRRORED[cp - _MIRROR_BASE]]
    return chr(cp - _FORMS_BASE + _FORMS_FIRST)


def text_of(cp: int) -> str:
    """What a code point reads back as in the text layer: an alias gives the original text."""
    if cp >= _BOX_FIRST:
        return _box_text.get(cp, chr(cp))
    if ALIAS_FIRST <= cp <= ALIAS_LAST:
        if cp >= _SILENT_BASE:
            return _SILENT[cp - _SILENT_BASE]
        if cp >= _MIRROR_BASE:
            return _MIRRORED[cp - _MIRROR_BASE]
        # a lam-alef ligature stands for the lam: its alef is drawn as a silent alias of its own
        return unicodedata.normalize("NFKC", chr(cp - _FORMS_BASE + _FORMS_FIRST))[0]
    return chr(cp)


def logical(char: str) -> str:
    """The first character an item stands for (for its bidi class): an alias's original."""
    return text_of(ord(char))[0] if is_alias(char) else char


def ensure(font_name: str, alias: str) -> bool:
    """Map ``alias`` to its source's glyph in a registered font; False if the font lacks the glyph.

    The font's tables gain the alias once per process; a document that never
    draws an alias writes exactly what it wrote before (subsets hold only the
    code points a document uses).
    """
    face = pdfmetrics.getFont(font_name).face
    cp = ord(alias)
    if cp in face.charToGlyph:
        return True
    src = ord(source(alias))
    with _lock:
        glyph = face.charToGlyph.get(src)
        if glyph is None:
            return False
        face.charWidths[cp] = 0 if cp >= _SILENT_BASE else face.charWidths.get(src, face.defaultWidth)
        face.charToGlyph[cp] = glyph
    return True


def box(font_name: str, char: str) -> str | None:
    """The box alias of ``char`` (which no font has) in a registered font: its .notdef glyph, read back as ``char``.

    None when the process has handed out every box alias (then the caller draws
    what ReportLab draws for an unknown character: the box, read back as U+0000).
    """
    face = pdfmetrics.getFont(font_name).face
    with _lock:
        cp = _box_of.get(char)
        if cp is None:
            cp = _BOX_FIRST + len(_box_of)
            if cp > _BOX_LAST:
                return None
            _box_of[char] = cp
            _box_text[cp] = char
        if cp not in face.charToGlyph:
            face.charWidths[cp] = face.defaultWidth
            face.charToGlyph[cp] = 0
    return chr(cp)
