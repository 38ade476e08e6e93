"""The bundled fonts, registered with ReportLab once per process, and which face sets each character.

Two families: Noto Serif (Latin, with a real italic) and Noto Serif SC (Chinese,
no italic). Latin text is set in the Latin face; Chinese text, and what the
Latin face lacks, in the SC face. In Chinese context the quotes, dashes and
ellipsis stay in the SC face, full-width as Chinese typesetting wants them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from reportgen.resources import font_path

LATIN = "NotoSerif"
CJK = "NotoSerifSC"
LATIN_FILES = {
    (False, False): "NotoSerif-Regular.ttf",
    (True, False): "NotoSerif-Bold.ttf",
    (False, True): "NotoSerif-Italic.ttf",
    (True, True): "NotoSerif-BoldItalic.ttf",
}
CJK_FILES = {False: "NotoSerifSC-Regular.ttf", True: "NotoSerifSC-Bold.ttf"}

# Punctuation both families have, which Chinese text sets full-width (SC face).
CJK_PUNCTUATION = frozenset("“”‘’…—―·•‖′″※")
# Han, kana, Hangul and full-width forms: set in the CJK face, with CJK line breaking.
WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff"
    "\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]"
)


class FontSet:
    """The registered faces of both families and the choice of face for each character."""

    def __init__(
        self,
        latin: dict[tuple[bool, bool], str],
        cjk: dict[bool, str],
        charsets: dict[str, frozenset[str]],
    ) -> None:
        self.latin = latin  # (bold, italic) -> face name
        self.cjk = cjk  # bold -> face name
        self._charsets = charsets
        self._choosers: dict[tuple[bool, bool, bool], _Chooser] = {}

    def base(self, *, cjk: bool, bold: bool = False) -> str:
        """The face a paragraph style starts from in a Chinese or a Western document."""
        return self.cjk[bold] if cjk else self.latin[(bold, False)]

    def covers(self, face: str, char: str) -> bool:
        """Whether ``face`` has a glyph for ``char`` (a .notdef box otherwise)."""
        return char in self._charsets[face]

    def face_for(self, char: str, *, bold: bool, italic: bool, cjk: bool) -> str | None:
        """The face that sets ``char`` (None: no face has it); ``cjk`` tells the context."""
        return self.chooser(bold, italic, cjk)[char]

    def chooser(self, bold: bool, italic: bool, cjk: bool) -> _Chooser:
        """A mapping from character to face (None: no face has it) for one kind of run."""
        key = (bold, italic, cjk)
        table = self._choosers.get(key)
        if table is None:
            table = self._choosers[key] = _Chooser(
                self.latin[(bold, italic)], self.cjk[bold], cjk, self._charsets
            )
        return table


class _Chooser(dict[str, "str | None"]):
    """Face per character, worked out on first use: Latin face first, except in CJK text."""

    def __init__(
        self, latin: str, han: str, cjk: bool, charsets: dict[str, frozenset[str]]
    ) -> None:
        super().__init__()
        self.latin, self.han, self.cjk = latin, han, cjk
        self.latin_chars, self.han_chars = charsets[latin], charsets[han]

    def __missing__(self, char: str) -> str | None:
        if WIDE.match(char) or (self.cjk and char in CJK_PUNCTUATION):
            order = ((self.han, self.han_chars), (self.latin, self.latin_chars))
        else:
            order = ((self.latin, self.latin_chars), (self.han, self.han_chars))
        face = next((f for f, chars in order if char in chars), None)
        if len(self) < 50_000:
            self[char] = face
        return face


_lock = threading.Lock()
_sets: dict[Path, FontSet] = {}


def bundled_fonts() -> FontSet:
    """Noto Serif and Noto Serif SC from reportgen's fonts directory, registered once."""
    return register_fonts(font_path(CJK_FILES[False]).parent)


def register_fonts(directory: Path) -> FontSet:
    """Register the two families found in ``directory`` (cached per process and directory)."""
    with _lock:
        fonts = _sets.get(directory)
        if fonts is None:
            fonts = _sets[directory] = _register(directory)
        return fonts


def _register(directory: Path) -> FontSet:
    charsets: dict[str, frozenset[str]] = {}

    def load(name: str, filename: str) -> str:
        font = TTFont(name, str(directory / filename))
        _keep_tables(font)
        pdfmetrics.registerFont(font)
        charsets[name] = frozenset(map(chr, font.face.charToGlyph))
        return name

    latin = {
        style: load(LATIN + suffix, filename)
        for (style, filename), suffix in zip(
            LATIN_FILES.items(), ("", "-Bold", "-Italic", "-BoldItalic"), strict=True
        )
    }
    cjk = {bold: load(CJK + ("-Bold" if bold else ""), f) for bold, f in CJK_FILES.items()}
    pdfmetrics.registerFontFamily(
        LATIN,
        normal=latin[(False, False)],
        bold=latin[(True, False)],
        italic=latin[(False, True)],
        boldItalic=latin[(True, True)],
    )
    # CJK has no italic: italic maps to upright, never to a slanted fake.
    pdfmetrics.registerFontFamily(
        CJK, normal=cjk[False], bold=cjk[True], italic=cjk[False], boldItalic=cjk[True]
    )
    return FontSet(latin, cjk, charsets)


def _keep_tables(font: TTFont) -> None:
    """Let this font's file object keep the tables and subsets it makes for every document.

    ReportLab slices the whole ``glyf`` table (megabytes for a CJK face) out of
    the file again for each 256-glyph subset of each document, and a Chinese
    briefing has several; and the same subsets (digits, Latin, common hanzi)
    come back document after document. Only this font object is changed, not
    ReportLab.
    """
    face = font.face
    read = face.get_table
    tables: dict[str, bytes] = {}

    def get_table(tag: str) -> bytes:
        data = tables.get(tag)
        if data is None:
            data = tables[tag] = read(tag)
        return data

    face.get_table = get_table
    make = face.makeSubset

    @lru_cache(maxsize=64)
    def make_cached(subset: tuple[int, ...]) -> bytes:
        return make(list(subset))

    def make_subset(subset: Sequence[int]) -> bytes:
        return make_cached(tuple(subset))

    face.makeSubset = make_subset


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """A ToUnicode CMap whose targets are UTF-16BE, as the PDF specification requires.

    ReportLab writes ``<2C317>`` for U+2C317, so readers extract 𬌗 as ⰱ; the
    code points of the supplementary planes must be written as surrogate pairs.
    """
    entries = "\n".join(
        f"<{code:02X}> <{chr(cp).encode('utf-16-be').hex().upper()}>" for code, cp in enumerate(subset)
    )
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        f"/CIDSystemInfo\n<< /Registry ({fontname})\n/Ordering ({fontname})\n/Supplement 0\n>> def\n"
        f"/CMapName /{fontname} def\n/CMapType 2 def\n"
        f"1 begincodespacerange\n<00> <{len(subset) - 1:02X}>\nendcodespacerange\n"
        f"{len(subset)} beginbfchar\n{entries}\nendbfchar\n"
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    )


@contextmanager
def utf16_to_unicode_maps() -> Iterator[None]:
    """While a PDF is written, have ReportLab write correct ToUnicode maps (see above).

    ReportLab looks the function up in its module when it writes font objects;
    it is swapped only for the duration of our own build and always restored.
    """
    from reportlab import rl_config

    original = ttfonts.makeToUnicodeCMap
    a85 = rl_config.useA85
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    # Binary (Flate-only) streams: ASCII85 makes them 25% larger and, in pure Python,
    # costs ~9 ms per briefing. Either setting gives a valid PDF, so a concurrent
    # ReportLab user in another thread is not harmed by the swap.
    rl_config.useA85 = 0
    try:
        yield
    finally:
        ttfonts.makeToUnicodeCMap = original
        rl_config.useA85 = a85

