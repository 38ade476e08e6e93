"""The bundled fonts, registered with ReportLab once per process, and which face sets each character.

Two families: Noto Serif (Latin, with a real italic) and Noto Serif SC (Chinese,
no italic). Latin text is set in the Latin face; Chinese text, and what the
Latin face lacks, in the SC face. In Chinese context the quotes, dashes and
ellipsis stay in the SC face, full-width as Chinese typesetting wants them.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import math
import os
import re
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cached_property, lru_cache
from itertools import repeat
from operator import add
from pathlib import Path
from typing import Any

from reportlab import Version as REPORTLAB_VERSION
from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFont, TTFontFace

from reportgen.renderers.pdf_flate import FONT_PROGRAMS
from reportgen.renderers.pdf_glyphs import text_of
from reportgen.renderers.pdf_subset import SubsetMaker
from reportgen.resources import (
    cache_dir,
    font_path,
    read_cache_entry,
    write_cache_entry,
)

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


class Coverage:
    """The characters a face has a glyph for (``char in coverage``), answered by its cmap.

    A set of the characters themselves would cost ~6 ms per CJK face on every start.
    """

    __slots__ = ("_cmap",)

    def __init__(self, cmap: Mapping[int, int]) -> None:
        self._cmap = cmap

    def __contains__(self, char: str) -> bool:
        return len(char) == 1 and ord(char) in self._cmap


def coverage(font: TTFont) -> Coverage:
    return Coverage(font.face.charToGlyph)


class FontSet:
    """The registered faces of both families and the choice of face for each character."""

    def __init__(
        self,
        latin: dict[tuple[bool, bool], str],
        cjk: dict[bool, str],
        charsets: dict[str, Coverage],
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

    def chooser(self, bold: bool, italic: bool, cjk: bool) -> FaceChooser:
        """A mapping from character to face (None: no face has it) for one kind of run."""
        key = (bold, italic, cjk)
        table = self._choosers.get(key)
        if table is None:
            table = self._choosers[key] = _Chooser(
                self.latin[(bold, italic)], self.cjk[bold], cjk, self._charsets
            )
        return table


_PRINTABLE_ASCII = tuple(map(chr, range(0x20, 0x7F)))


class FaceChooser(dict[str, "str | None"]):
    """Face per character (None: no face has it), worked out by ``__missing__`` on first use."""

    @cached_property
    def ascii_face(self) -> str | None:
        """The face of every printable ASCII character, if it is one face: a text of them is one run of it."""
        faces = {self[char] for char in _PRINTABLE_ASCII}
        return faces.pop() if len(faces) == 1 else None


class _Chooser(FaceChooser):
    """Face per character, worked out on first use: Latin face first, except in CJK text."""

    def __init__(
        self, latin: str, han: str, cjk: bool, charsets: dict[str, Coverage]
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
    charsets: dict[str, Coverage] = {}

    def load(name: str, filename: str) -> str:
        font = _load_font(name, directory / filename)
        _keep_tables(font)
        pdfmetrics.registerFont(font)
        charsets[name] = coverage(font)
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
    """Let this font's file object keep the tables and glyphs its subsets are made of, for every document.

    ReportLab slices the whole ``glyf`` table (megabytes for a CJK face) out of
    the file again for each 256-glyph subset of each document, and a Chinese
    briefing has several; its subsets are made from glyphs read once per process
    (pdf_subset), and its font program is deflated by zlib-ng, the result
    remembered (pdf_flate: a re-run of a briefing has the same subsets). Only this
    font object is changed, not ReportLab.
    """
    face = font.face
    read = face.get_table
    tables: dict[str, Any] = {}

    def get_table(tag: str) -> Any:
        data = tables.get(tag)
        if data is None:
            if tag == "glyf":  # megabytes: sliced glyph by glyph, never copied whole
                start, length = face.table[tag]["offset"], face.table[tag]["length"]
                data = _TableSlice(face._ttf_data, start, length)
            else:
                data = read(tag)
            tables[tag] = data
        return data

    face.get_table = get_table
    face.makeSubset = maker = SubsetMaker(face, get_table, face.makeSubset)
    _subset_makers.append(maker)
    add = face.addSubsetObjects

    def add_subset_objects(doc: Any, fontname: str, subset: Sequence[int]) -> Any:
        """ReportLab's, with the subset's font program compressed once per process, not per document."""
        ref = add(doc, fontname, subset)
        stream = doc.idToObject.get(f"fontFile:{face.filename}({fontname})")
        if stream is not None and stream.filters == [pdfdoc.PDFZCompress]:
            stream.filters = [FONT_PROGRAMS]
        return ref

    face.addSubsetObjects = add_subset_objects


_subset_makers: list[SubsetMaker] = []  # one per registered face; faces live as long as the process


def forget_subsets() -> None:
    """Forget the subsets made so far and their compressed font programs (the glyphs read are kept).

    A re-run of a briefing finds its subsets made; a different briefing mostly
    does not. Benchmarks call this to time the second case.
    """
    FONT_PROGRAMS.forget()
    for maker in _subset_makers:
        maker.forget()


class _TableSlice:
    """One table of a font file, sliced like the bytes ReportLab's ``get_table`` returns.

    ReportLab only slices the ``glyf`` table (``glyf[start:stop]``) and each
    slice is a fresh ``bytes``, as before; the table is not copied out whole.
    """

    __slots__ = ("data", "length", "start")

    def __init__(self, data: Any, start: int, length: int) -> None:
        self.data, self.start, self.length = data, start, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: slice) -> bytes:
        begin, end, step = index.indices(self.length)
        if step != 1:
            raise ValueError("only contiguous slices of a font table")
        return bytes(self.data[self.start + begin : self.start + max(begin, end)])


# ------------------------------------------------------------------ parsed faces, cached on disk

# What ReportLab's TTFontFile.extractInfo computes from a font file is pure data
# (numbers, strings, dicts and lists of them); parsing a 10 MB Noto Serif SC face
# costs ~60 ms of Python, loading the same data with marshal a few. The cache is
# keyed by the file (size, mtime, a hash of its head), the ReportLab version and
# the Python version; a missing, stale, unreadable or corrupt entry is rebuilt.
_FACE_CACHE_FORMAT = b"reportgen-face-v3\n"
_HEAD_BYTES = 1 << 16
_DERIVED = ("_ttf_data", "_pdfScale", "filename", "glyphToChar")


class _Face(TTFontFace):
    """A face restored from the cache; ``glyphToChar`` (used only for shaping) is decoded on demand."""

    _glyph_to_char: bytes

    @cached_property
    def glyphToChar(self) -> dict[int, list[int]]:
        inverse: dict[int, list[int]] = marshal.loads(self.__dict__.pop("_glyph_to_char"))
        return inverse


def _load_font(name: str, path: Path) -> TTFont:
    """``TTFont(name, path)``, from the face cache when it can; its subsets hold only the characters drawn.

    ReportLab's default (``asciiReadable``) puts all 95 printable ASCII glyphs into
    every face's first subset, so that ASCII text reads as itself in the content
    stream: a Chinese face whose Latin text is set in the Latin face, or a bold
    face used for a few headings, embeds them unused (a quarter of the reference
    briefing's bytes). Without it, codes are given in order of first use; code 32
    is still the space in every subset (word spacing), and the text layer comes
    from the ToUnicode maps either way.
    """
    data = _map_file(path)
    key = _cache_key(path, data)
    state = _read_cached(key) if key is not None else None
    if state is not None:
        font = _font_from_state(name, path, data, state)
    else:
        font = TTFont(name, str(path))
        face = font.face
        face._ttf_data = data  # the same bytes, read as subsets need them (see _map_file)
        if key is not None:
            _write_cached(key, face)
    font._asciiReadable = False
    return font


def _map_file(path: Path) -> Any:
    """The font file's bytes as ReportLab indexes them, read piece by piece where it can be.

    Only the few tables and glyphs a document's subsets need are ever read, so a
    10 MB face does not sit in memory whole (twice, with its ``glyf`` table).
    With HarfBuzz installed (ReportLab's shaping wants a buffer) the file is
    memory-mapped instead; where neither works, read whole as before.
    """
    if hasattr(os, "pread") and not _harfbuzz_installed():
        try:
            return _FontFile(path)
        except OSError:
            pass
    import mmap

    with open(path, "rb") as handle:
        try:
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return handle.read()


@lru_cache(maxsize=1)
def _harfbuzz_installed() -> bool:
    from importlib.util import find_spec

    return find_spec("uharfbuzz") is not None


class _FontFile:
    """A font file that reads (``os.pread``) just the bytes ReportLab asks for: ``data[i]``, ``data[a:b]``."""

    __slots__ = ("__weakref__", "fd", "size")

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            self.size = os.fstat(self.fd).st_size
        except OSError:
            os.close(self.fd)
            raise

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            start, stop, step = index.indices(self.size)
            if step != 1:
                return self._read(0, self.size)[index]
            return self._read(start, stop - start) if stop > start else b""
        if index < 0:
            index += self.size
        if not 0 <= index < self.size:
            raise IndexError("font file index out of range")
        return self._read(index, 1)[0]

    def _read(self, offset: int, length: int) -> bytes:
        data = os.pread(self.fd, length, offset)
        while len(data) < length:  # a short read: only at the end of the file, or a changed file
            more = os.pread(self.fd, length - len(data), offset + len(data))
            if not more:
                break
            data += more
        return data

    def __del__(self) -> None:
        try:
            os.close(self.fd)
        except (OSError, AttributeError):
            pass


def _cache_key(path: Path, data: Any) -> Path | None:
    directory = cache_dir("fonts")
    if directory is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    digest = hashlib.sha256(_FACE_CACHE_FORMAT)
    digest.update(f"{REPORTLAB_VERSION}|{sys.version_info[:2]}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    digest.update(data[:_HEAD_BYTES])
    return directory / f"{path.stem}-{digest.hexdigest()[:32]}.face"


def _read_cached(key: Path) -> dict[str, Any] | None:
    payload = read_cache_entry(key, _FACE_CACHE_FORMAT)
    if payload is None:
        return None  # missing, truncated or damaged
    gc_was_enabled = gc.isenabled()
    gc.disable()  # tens of thousands of new containers, none of them cyclic
    try:
        state = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    finally:
        if gc_was_enabled:
            gc.enable()
    if not isinstance(state, dict) or not {"charToGlyph", "charWidths", "name", "unitsPerEm"} <= state.keys():
        return None
    return state


def _write_cached(key: Path, face: TTFontFace) -> None:
    """Store a parsed face atomically (a temporary file renamed into place); failures are ignored."""
    state: dict[str, Any] = {}
    for attr, value in face.__dict__.items():
        if attr in _DERIVED:
            continue
        if isinstance(value, TTFNameBytes):
            value = ("TTFNameBytes", value.ustr)
        state[attr] = value
    try:
        state["_glyph_to_char"] = marshal.dumps(face.glyphToChar)  # decoded only if shaping asks
        payload = marshal.dumps(state)
    except ValueError:  # something marshal cannot store: do without the cache
        return
    write_cache_entry(key, _FACE_CACHE_FORMAT, payload)


def _font_from_state(name: str, path: Path, data: Any, state: dict[str, Any]) -> TTFont:
    """The TTFont that ``TTFont(name, path)`` makes, its face restored from cached state."""
    face = _Face.__new__(_Face)
    for attr, value in state.items():
        if isinstance(value, tuple) and len(value) == 2 and value[0] == "TTFNameBytes":
            value = TTFNameBytes(value[1].encode("utf8"))
        face.__dict__[attr] = value
    face.filename = str(path)
    face._ttf_data = data
    units = face.unitsPerEm
    if units == 1000:
        face._pdfScale = lambda x: x
    else:
        factor = 1000 / units
        face._pdfScale = lambda x: x * factor
    font = TTFont.__new__(TTFont)
    _init_font(font, name, face)
    return font


def _init_font(font: TTFont, name: str, face: TTFontFace) -> None:
    """What ``TTFont.__init__`` does once its face is made (ReportLab 4–5)."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    font.fontName = name
    font.face = face
    font.encoding = ttfonts.TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in ttfonts.unShapedFontGlob)


class _Utf16Hex(dict[int, str]):
    """Code point -> ``<HEX>``, its text as UTF-16BE, worked out on first use (text_of is pure)."""

    def __missing__(self, cp: int) -> str:
        if len(self) > 50_000:
            self.clear()
        text = self[cp] = f"<{text_of(cp).encode('utf-16-be').hex().upper()}>"
        return text


_utf16_hex = _Utf16Hex()
_CMAP_CODES = [f"<{code:02X}> " for code in range(256)]  # a code of a subset, as a CMap entry starts


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """A ToUnicode CMap whose targets are UTF-16BE, as the PDF specification requires.

    ReportLab writes ``<2C317>`` for U+2C317, so readers extract 𬌗 as ⰱ; the
    code points of the supplementary planes must be written as surrogate pairs.
    A glyph alias (a joined Arabic letter, a mirrored bracket) is written as the
    text it stands for (pdf_glyphs).
    """
    targets = map(_utf16_hex.__getitem__, subset)
    if len(subset) <= len(_CMAP_CODES):
        entries = "\n".join(map(add, _CMAP_CODES, targets))
    else:  # a whole font in one "subset" (ReportLab's _full_font): codes beyond FF
        entries = "\n".join(f"<{code:02X}> {target}" for code, target in enumerate(targets))
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        f"/CIDSystemInfo\n<< /Registry ({fontname})\n/Ordering ({fontname})\n/Supplement 0\n>> def\n"
        f"/CMapName /{fontname} def\n/CMapType 2 def\n"
        f"1 begincodespacerange\n<00> <{len(subset) - 1:02X}>\nendcodespacerange\n"
        f"{len(subset)} beginbfchar\n{entries}\nendbfchar\n"
        "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    )


# ReportLab modules that bind ``fp_str`` (its number formatting) at import; swapped while we write.
_FP_STR_MODULES = (
    "reportlab.pdfbase.pdfdoc",
    "reportlab.pdfgen.canvas",
    "reportlab.pdfgen.textobject",
    "reportlab.pdfgen.pathobject",
    "reportlab.platypus.flowables",
    "reportlab.platypus.tables",
    "reportlab.pdfbase.ttfonts",
    "reportlab.lib.colors",
)
_swap_lock = threading.Lock()
_swap_depth = 0
_swapped: list[tuple[Any, str, Any]] = []


@contextmanager
def utf16_to_unicode_maps() -> Iterator[None]:
    """While a PDF is written, have ReportLab write correct ToUnicode maps (see above).

    ReportLab looks the function up in its module when it writes font objects;
    it is swapped only for the duration of our own builds (counted, so that
    builds in several threads restore the originals only when the last ends).
    ReportLab's pure-Python ``fp_str`` (used when its C accelerator is not
    installed) is swapped for :func:`_fp_str`, which writes the same bytes; the
    writing of PDF objects (Python with or without the accelerator) gets a
    shortcut for numbers and strings (the bulk of a font's widths arrays) and
    dictionaries remember their keys' bytes, again with the same bytes; so do the
    pure-Python ``escapePDF`` and TrueType ``stringWidth`` (same text, same sums)
    and ``pdfdocEnc``, whose codec is Python-level (ASCII encoded directly).
    The lines of our own paragraphs are drawn by pdf_lines (same operators).
    """
    global _swap_depth

    with _swap_lock:
        if _swap_depth == 0:
            swaps: list[tuple[Any, str, Any]] = [(ttfonts, "makeToUnicodeCMap", _to_unicode_cmap)]
            # our paragraphs' lines drawn without ReportLab's general path (same bytes; pdf_lines)
            from reportlab.platypus import paragraph

            from reportgen.renderers.pdf_lines import put_frag_line

            swaps.append((paragraph, "_putFragLine", put_frag_line))
            # Binary (Flate-only) streams: ASCII85 makes them 25% larger and, in pure Python,
            # costs ~9 ms per briefing. Either setting gives a valid PDF, so a concurrent
            # ReportLab user in another thread is not harmed by the swap.
            swaps.append((rl_config, "useA85", 0))
            from reportlab.lib import rl_accel
            from reportlab.pdfbase import pdfdoc

            encode = _pdfdoc_encoder(pdfdoc.pdfdocEnc)
            swaps.append((pdfdoc, "pdfdocEnc", encode))

            if getattr(rl_accel, "_py_funcs", {}).get("fp_str") is not None:
                for name in _FP_STR_MODULES:
                    module = sys.modules.get(name)
                    if module is not None and getattr(module, "fp_str", None) is rl_accel.fp_str:
                        swaps.append((module, "fp_str", _fp_str))
            swaps.append((pdfdoc, "format", _object_formatter(pdfdoc.format, encode)))
            swaps.append((pdfdoc, "PDFName", _name_maker(pdfdoc.PDFName)))
            swaps.append((pdfdoc.PDFDictionary, "format", _dictionary_format))
            py = getattr(rl_accel, "_py_funcs", {})
            if py.get("escapePDF") is not None:
                for name in ("reportlab.pdfgen.canvas", "reportlab.pdfbase.pdfdoc"):
                    module = sys.modules.get(name)
                    if module is not None and getattr(module, "escapePDF", None) is rl_accel.escapePDF:
                        swaps.append((module, "escapePDF", _escaper(rl_accel.escapePDF)))
            if py.get("instanceStringWidthTTF") is not None and (
                ttfonts.instanceStringWidthTTF is rl_accel.instanceStringWidthTTF
            ):
                swaps.append((ttfonts, "instanceStringWidthTTF", _ttf_string_width))
            _swapped[:] = [(obj, attr, getattr(obj, attr)) for obj, attr, _ in swaps]
            for obj, attr, value in swaps:
                setattr(obj, attr, value)
        _swap_depth += 1
    try:
        yield
    finally:
        with _swap_lock:
            _swap_depth -= 1
            if _swap_depth == 0:
                for obj, attr, original in _swapped:
                    setattr(obj, attr, original)
                _swapped.clear()


_LOG_E_10 = math.log(10.0)
_FP_FORMATS = ("%.0f", "%.1f", "%.2f", "%.3f", "%.4f", "%.5f", "%.6f")
_fp_memo: dict[Any, str] = {}


def _fp_number(value: Any) -> str:
    """One number as ReportLab's ``_py_fp_str`` writes it (the same arithmetic, so the same text)."""
    magnitude = abs(value)
    if magnitude <= 1e-7:
        return "0"
    places = 6 if magnitude <= 1 else min(max(0, 6 - int(math.log(magnitude) / _LOG_E_10)), 6)
    text: str = _FP_FORMATS[places] % value
    if places:
        text = text.rstrip("0")
        text = text.removesuffix(".")
    return text if (text[0] != "0" or len(text) == 1) else text[1:]


def _fp_str(*args: Any) -> str:
    """ReportLab's ``fp_str``: numbers as space-separated PDF text, each number's text remembered."""
    if len(args) == 1:
        first = args[0]
        if isinstance(first, (tuple, list)):  # ReportLab's isSeq
            args = first
        elif type(first) is float or type(first) is int:
            text = _fp_memo.get(first)
            if text is None:
                text = _fp_remember(first)
            return text
    out = []
    for value in args:
        if type(value) is float or type(value) is int:
            text = _fp_memo.get(value)
            if text is None:
                text = _fp_remember(value)
        else:
            text = _fp_number(value)
        out.append(text)
    return " ".join(out)


def _fp_remember(value: float) -> str:
    text = _fp_memo[value] = _fp_number(value)
    if len(_fp_memo) > 20_000:  # a few hundred numbers per document; stay small in long batches
        _fp_memo.clear()
    return text


# Characters PDFDocEncoding leaves out of ASCII's place (U+0018..U+001F): ReportLab's codec refuses them.
_NOT_PDFDOC_ASCII = re.compile("[\x18-\x1f]")


def _pdfdoc_encoder(original: Any) -> Any:
    """ReportLab's ``pdfdocEnc`` (a Python-level charmap codec) with ASCII text encoded directly: the same bytes."""

    def pdfdoc_enc(x: Any) -> Any:
        # (printable: no control character at all, found faster than by a character class)
        if type(x) is str and x.isascii() and (x.isprintable() or not _NOT_PDFDOC_ASCII.search(x)):
            return x.encode("ascii")
        return original(x)

    return pdfdoc_enc


_SHORT = 40  # strings up to this length (names, keys) have their encoding remembered
# across documents: the same widths, keys and names recur (an int and a float of one value are written alike:
# fp_str reads the value only)
_format_memo: dict[str, bytes] = {}
_number_memo: dict[float, bytes] = {}
_name_memo: dict[str, str] = {}


def _object_formatter(original: Any, encode: Any) -> Any:
    """ReportLab's ``pdfdoc.format`` with numbers and strings remembered: same bytes, less Python.

    A number becomes ``pdfdocEnc(fp_str(n))`` and a ``str`` ``pdfdocEnc(s)`` in the
    original too; everything else is handed to it. ``_fp_str`` writes the text
    of ReportLab's ``fp_str``, the pure-Python one and its C accelerator's alike.
    """
    strings, numbers = _format_memo, _number_memo
    reference = pdfdoc.PDFObjectReference

    def format(element: Any, document: Any, toplevel: int = 0) -> Any:  # ReportLab's name
        kind = type(element)
        if kind is float or kind is int:
            data = numbers.get(element)
            if data is None:
                data = encode(_fp_str(element))
                if len(numbers) > 20_000:
                    numbers.clear()
                numbers[element] = data
            return data
        if kind is str:
            data = strings.get(element)
            if data is None:
                data = encode(element)
                if len(element) <= _SHORT:
                    if len(strings) > 20_000:
                        strings.clear()
                    strings[element] = data
            return data
        if kind is reference:  # what its format does, without the dispatch to it
            number = document.idToObjectNumberAndVersion.get(element.name)
            if number is not None:
                return encode("%s %s R" % number)
        return original(element, document, toplevel)

    return format


_key_memo: dict[str, bytes] = {}  # a dictionary key as written, with the space after it


def _dictionary_format(self: Any, document: Any, IND: bytes = b"\n ") -> bytes:  # noqa: N803 (ReportLab's name)
    """ReportLab's ``PDFDictionary.format``, each key's bytes remembered (a name is written the same everywhere)."""
    entries = self.dict
    keys = list(entries.keys())
    if not isinstance(entries, OrderedDict):
        keys.sort()
    write = pdfdoc.format
    memo = _key_memo
    lines = []
    for key in keys:
        written = memo.get(key)
        if written is None:
            written = write(pdfdoc.PDFName(key), document) + b" "
            if len(memo) < 5_000:
                memo[key] = written
        lines.append(written + write(entries[key], document))
    if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced":
        joined = IND.join(lines)
    else:
        for i in reversed(range(6, len(lines), 6)):  # a line break every 6 entries, as ReportLab breaks
            lines.insert(i, b"\n ")
        joined = b" ".join(lines)
    return b"<<\n" + joined + b"\n>>"


def _name_maker(original: Any) -> Any:
    """ReportLab's ``PDFName`` (a name escaped for PDF) with its results remembered."""
    memo = _name_memo

    def name(data: str, *args: Any) -> str:
        if args:
            return original(data, *args)
        text = memo.get(data)
        if text is None:
            text = original(data)
            if len(memo) < 5_000:
                memo[data] = text
        return text

    return name


# ReportLab's escapePDF table: control and non-ASCII bytes octal, \\ ( ) backslashed.
_PDF_ESCAPES = {
    c: f"\\{c:03o}" if c < 32 or c >= 127 else "\\" + chr(c) if chr(c) in "\\()" else chr(c)
    for c in range(256)
}


def _escaper(original: Any) -> Any:
    """ReportLab's pure-Python ``escapePDF`` for bytes as one ``str.translate``; other input: the original."""

    def escape_pdf(s: Any) -> str:
        if type(s) is bytes:
            return s.decode("latin-1").translate(_PDF_ESCAPES)
        result: str = original(s)
        return result

    return escape_pdf


def _ttf_string_width(self: Any, text: Any, size: float, encoding: str = "utf8") -> float:
    """ReportLab's pure-Python ``instanceStringWidthTTF``: the same sum in the same order, in C loops."""
    if not isinstance(text, str):
        text = text.decode(encoding or "utf8")
    face = self.face
    return 0.001 * size * sum(map(face.charWidths.get, map(ord, text), repeat(face.defaultWidth)))
