"""The font fallback chain for characters the bundled fonts lack.

Order: the bundled families (pdf_fonts), then fonts in the directories a user
names (``--font-dir``), then the system's fonts. TrueType-outline fonts and
collections are used as they are; OpenType/CFF fonts (every Noto CJK font a
Linux distribution ships), which ReportLab cannot read, have just the glyphs a
document needs cut out with fontTools and converted to TrueType outlines.

Both the index of which font covers which characters and the converted glyphs
are cached per user (``$XDG_CACHE_HOME/reportgen``, ``~/.cache/reportgen``, or
``REPORTGEN_CACHE_DIR``), so the cost — a few seconds to index a system's
fonts, a fraction of a second per converted face — is paid once, and only when
a document holds a character the bundled fonts cannot draw. ``REPORTGEN_SYSTEM_FONT_DIRS``
(``os.pathsep``-separated, empty for none) replaces the system font directories.

fontTools is imported only here and only then.
"""

from __future__ import annotations

import bisect
import hashlib
import io
import json
import logging
import os
import sys
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
INDEX_VERSION = 1
GLYPHS_VERSION = 2
MAX_ERR = 1.0  # font units: cubic → quadratic tolerance, as fontTools' otf2ttf


def cache_dir() -> Path:
    """Where reportgen keeps per-user caches (font index, converted glyphs)."""
    explicit = os.environ.get("REPORTGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "reportgen" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "reportgen"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "reportgen"


def system_font_dirs() -> tuple[Path, ...]:
    """The directories system and per-user fonts are installed in on this platform."""
    override = os.environ.get("REPORTGEN_SYSTEM_FONT_DIRS")
    if override is not None:
        return tuple(Path(p) for p in override.split(os.pathsep) if p)
    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return (windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts")
    if sys.platform == "darwin":
        return (Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts")
    data_dirs = os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share"
    dirs = [Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "fonts"]
    dirs += [Path(d) / "fonts" for d in data_dirs.split(":") if d]
    dirs.append(home / ".fonts")
    seen: list[Path] = []
    for d in dirs:
        if d not in seen:
            seen.append(d)
    return tuple(seen)


# ---------------------------------------------------------------- the index


@dataclass(frozen=True, slots=True)
class Face:
    """One face of a font file and the code points it maps."""

    path: str
    index: int  # in a collection; 0 otherwise
    family: str
    psname: str
    weight: int
    italic: bool
    cff: bool  # PostScript outlines: must be converted before ReportLab can use it
    starts: tuple[int, ...]  # coverage as sorted, disjoint ranges [start, end]
    ends: tuple[int, ...]

    def has(self, cp: int) -> bool:
        i = bisect.bisect_right(self.starts, cp) - 1
        return i >= 0 and cp <= self.ends[i]

    def to_json(self) -> dict[str, object]:
        return {
            "index": self.index,
            "family": self.family,
            "psname": self.psname,
            "weight": self.weight,
            "italic": self.italic,
            "cff": self.cff,
            "ranges": [[a, b] for a, b in zip(self.starts, self.ends, strict=True)],
        }

    @classmethod
    def from_json(cls, path: str, data: dict[str, object]) -> Face:
        ranges = data["ranges"]
        assert isinstance(ranges, list)
        return cls(
            path,
            int(data["index"]),  # type: ignore[call-overload]
            str(data["family"]),
            str(data["psname"]),
            int(data["weight"]),  # type: ignore[call-overload]
            bool(data["italic"]),
            bool(data["cff"]),
            tuple(r[0] for r in ranges),
            tuple(r[1] for r in ranges),
        )


def _ranges(codepoints: Iterable[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    starts: list[int] = []
    ends: list[int] = []
    for cp in sorted(codepoints):
        if ends and cp == ends[-1] + 1:
            ends[-1] = cp
        else:
            starts.append(cp)
            ends.append(cp)
    return tuple(starts), tuple(ends)


def _read_faces(path: Path) -> list[Face]:
    """Every face of a font file, read with fontTools (lazily: only the small tables)."""
    from fontTools.ttLib import TTFont as FTFont
    from fontTools.ttLib.sfnt import readTTCHeader

    with path.open("rb") as fh:
        collection = fh.read(4) == b"ttcf"
        fh.seek(0)
        count = readTTCHeader(fh).numFonts if collection else 1
    faces = []
    for index in range(count):
        font = FTFont(str(path), fontNumber=index, lazy=True) if collection else FTFont(str(path), lazy=True)
        try:
            cmap = font.getBestCmap() or {}
            if not cmap or not ("glyf" in font or "CFF " in font):
                continue  # bitmap-only, CFF2 or symbol fonts: nothing ReportLab can be given
            name = font["name"]
            os2 = font["OS/2"] if "OS/2" in font else None
            fs_type = os2.fsType if os2 is not None else 0
            if fs_type & 0x0002 and not fs_type & 0x000C:  # restricted licence: no embedding
                continue
            family = str(name.getBestFamilyName() or path.stem)
            psname = str(name.getDebugName(6) or path.stem)
            weight = os2.usWeightClass if os2 is not None else 400
            italic = bool(os2.fsSelection & 1) if os2 is not None else False
            starts, ends = _ranges(cp for cp in cmap if cp > 0x20)
            faces.append(
                Face(str(path), index, family, psname, weight, italic, "CFF " in font, starts, ends)
            )
        finally:
            font.close()
    return faces


class FontIndex:
    """Which faces the font files under some directories have, cached on disk per user."""

    def __init__(self, cache: Path) -> None:
        self._file = cache / f"font-index-v{INDEX_VERSION}.json"
        self._entries: dict[str, dict[str, object]] | None = None
        self._dirty = False

    def faces(self, directories: Sequence[Path], exclude: Path | None = None) -> list[Face]:
        """The faces of every font file under ``directories``, in directory then path order."""
        entries = self._load()
        faces: list[Face] = []
        for directory in directories:
            for path in _font_files(directory):
                if exclude is not None and path.parent == exclude:
                    continue
                faces.extend(self._file_faces(entries, path))
        self._save()
        return faces

    def _file_faces(self, entries: dict[str, dict[str, object]], path: Path) -> list[Face]:
        key = str(path)
        try:
            st = path.stat()
        except OSError:
            return []
        stamp = [st.st_size, st.st_mtime_ns]
        entry = entries.get(key)
        if entry is None or entry.get("stamp") != stamp:
            try:
                faces = _read_faces(path)
            except Exception as exc:  # a broken or unsupported file is skipped, not fatal
                log.debug("skipping font %s: %s", path, exc)
                faces = []
            entry = entries[key] = {"stamp": stamp, "faces": [f.to_json() for f in faces]}
            self._dirty = True
        raw = entry["faces"]
        assert isinstance(raw, list)
        return [Face.from_json(key, f) for f in raw]

    def _load(self) -> dict[str, dict[str, object]]:
        if self._entries is None:
            try:
                data = json.loads(self._file.read_text("utf-8"))
                self._entries = data if isinstance(data, dict) else {}
            except (OSError, ValueError):
                self._entries = {}
        return self._entries

    def _save(self) -> None:
        if not self._dirty or self._entries is None:
            return
        self._dirty = False
        _atomic_write(self._file, json.dumps(self._entries, separators=(",", ":")).encode())


def _font_files(directory: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(directory, followlinks=True):
        dirs.sort()
        found.extend(Path(root) / f for f in sorted(files) if f.lower().endswith(FONT_SUFFIXES))
    return found


def _atomic_write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(temp, path)
    except OSError as exc:  # a read-only home is no reason to fail a build
        log.debug("cannot write cache %s: %s", path, exc)


# ---------------------------------------------------------------- the chain


@dataclass(frozen=True, slots=True)
class Fallback:
    """The faces (ReportLab font names) that set one character, regular and bold."""

    regular: str
    bold: str


class FallbackChain:
    """Finds a face for characters the bundled fonts lack: user font directories, then the system's."""

    def __init__(
        self,
        user_dirs: Sequence[Path],
        system_dirs: Sequence[Path] | None,
        cache: Path,
        exclude: Path | None = None,
    ) -> None:
        self.user_dirs = tuple(user_dirs)
        self.system_dirs = tuple(system_dirs) if system_dirs is not None else None
        self.cache = cache
        self.exclude = exclude
        self._tiers: list[list[Face]] | None = None
        self._resolved: dict[str, Fallback | None] = {}
        self._lock = threading.Lock()

    def resolve(self, chars: Iterable[str]) -> dict[str, Fallback | None]:
        """A face pair for each character (None: no font has it); cut and registered as needed."""
        with self._lock:
            todo = sorted(c for c in set(chars) if c not in self._resolved)
            if todo:
                self._resolve(todo)
            return {c: self._resolved[c] for c in set(chars)}

    def _load_tiers(self) -> list[list[Face]] | None:
        if self._tiers is None:
            try:
                import fontTools  # noqa: F401
            except ImportError:
                log.warning("fontTools is not installed: no fallback fonts beyond the bundled ones")
                self._tiers = []
                return self._tiers
            index = FontIndex(self.cache)
            tiers = [index.faces(self.user_dirs)]
            system = self.system_dirs if self.system_dirs is not None else system_font_dirs()
            tiers.append(index.faces([d for d in system if d.is_dir()], exclude=self.exclude))
            self._tiers = tiers
        return self._tiers

    def _resolve(self, chars: list[str]) -> None:
        tiers = self._load_tiers() or []
        # which face sets each character, regular and bold
        picks: dict[str, tuple[Face, Face]] = {}
        for char in chars:
            cp = ord(char)
            for tier_no, tier in enumerate(tiers):
                candidates = [f for f in tier if f.has(cp)]
                forms = presentation_forms(char)
                if forms and candidates:  # an Arabic letter: a face that has its joined forms too
                    candidates = [f for f in candidates if all(f.has(p) for p in forms)] or candidates
                if candidates:
                    picks[char] = (
                        _best(candidates, bold=False, system=tier_no > 0, cp=cp),
                        _best(candidates, bold=True, system=tier_no > 0, cp=cp),
                    )
                    break
            else:
                self._resolved[char] = None
        # one ReportLab font per face, holding every character this document needs from it
        needs: dict[Face, set[int]] = {}
        for char, pair in picks.items():
            for face in pair:
                cps = needs.setdefault(face, set())
                cps.add(ord(char))
                cps.update(p for p in presentation_forms(char) if face.has(p))
        names: dict[Face, str | None] = {}
        for face, cps in needs.items():
            try:
                names[face] = self._register(face, cps)
            except Exception as exc:
                log.warning("cannot use font %s: %s", face.path, exc)
                names[face] = None
        for char, (regular, bold) in picks.items():
            r, b = names[regular], names[bold]
            self._resolved[char] = Fallback(r or b, b or r) if (r or b) else None  # type: ignore[arg-type]

    def _register(self, face: Face, cps: set[int]) -> str:
        if not face.cff:
            name = "RGFB-" + _digest(face.path, face.index)
            try:
                font = pdfmetrics.getFont(name)
            except KeyError:
                font = TTFont(name, face.path, subfontIndex=face.index, asciiReadable=False)  # only what is drawn
                pdfmetrics.registerFont(font)
                font = pdfmetrics.getFont(name)
            # ReportLab shares faces by PostScript name: a font named like one already
            # registered (a user's copy of Noto Serif) would silently draw the other's glyphs
            if all(cp in font.face.charToGlyph for cp in cps):
                return name
        path = self._converted(face, cps)
        name = "RGFB-" + path.stem
        try:
            pdfmetrics.getFont(name)
        except KeyError:
            pdfmetrics.registerFont(TTFont(name, str(path), asciiReadable=False))
        return name

    def _converted(self, face: Face, cps: set[int]) -> Path:
        st = os.stat(face.path)
        key = _digest(
            GLYPHS_VERSION, face.path, face.index, st.st_size, st.st_mtime_ns, *sorted(cps)
        )
        path = self.cache / "glyphs" / f"{key}.ttf"
        if not path.is_file():
            data = convert_glyphs(face.path, face.index, sorted(cps), tag=key)
            _atomic_write(path, data)
            if not path.is_file():  # no writable cache: keep it in a temporary file
                path = Path(tempfile.gettempdir()) / f"reportgen-{key}.ttf"
                path.write_bytes(data)
        return path


def presentation_forms(char: str) -> tuple[int, ...]:
    """The code points an Arabic letter is drawn with once joined (pdf_arabic); none for others."""
    from reportgen.renderers.pdf_arabic import presentation_forms as forms

    return forms(char)


def _best(candidates: list[Face], *, bold: bool, system: bool, cp: int) -> Face:
    """The face to use among those that have a character."""
    target = 700 if bold else 400
    first_family: dict[str, int] = {}
    for i, face in enumerate(candidates):
        first_family.setdefault(face.family, i)

    def key(face: Face) -> tuple[object, ...]:
        if system:  # a serif, and for Han the Simplified Chinese design, first
            fam = face.family.lower()
            preference: tuple[object, ...] = (
                "serif" not in fam and "song" not in fam and "ming" not in fam,
                not any(tag in face.family for tag in (" SC", " CN", "Hans", "GB")),
                first_family[face.family],
            )
        else:  # the user's own order
            preference = (first_family[face.family],)
        return (*preference, face.italic, abs(face.weight - target), face.path, face.index)

    return min(candidates, key=key)


def _digest(*parts: object) -> str:
    return hashlib.sha1("\0".join(map(str, parts)).encode()).hexdigest()[:16]


def convert_glyphs(path: str, index: int, codepoints: Sequence[int], *, tag: str = "") -> bytes:
    """A small TrueType font with the glyphs of ``codepoints`` from a (CFF) font face.

    ``tag`` makes its PostScript name unique (``NotoSerifCJKsc-Regular-Fbcdaeef``):
    ReportLab shares faces by that name, so two cuts of one face must differ.
    """
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont as FTFont

    src = FTFont(path, fontNumber=index, lazy=True)
    try:
        cmap = src.getBestCmap()
        glyph_set = src.getGlyphSet()
        metrics = src["hmtx"].metrics
        notdef = src.getGlyphOrder()[0]
        order = [".notdef"]
        sources = [notdef]
        mapping: dict[int, str] = {}
        by_source: dict[str, str] = {}
        for cp in codepoints:
            old = cmap.get(cp)
            if old is None:
                continue
            if old not in by_source:
                by_source[old] = f"g{len(order):05d}"
                order.append(by_source[old])
                sources.append(old)
            mapping[cp] = by_source[old]
        glyphs = {}
        hmetrics = {}
        for new, old in zip(order, sources, strict=True):
            pen = TTGlyphPen(None)
            glyph_set[old].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
            glyphs[new] = pen.glyph()
            hmetrics[new] = metrics[old][0]
        name = src["name"]
        family = str(name.getBestFamilyName() or "Fallback")
        style = str(name.getBestSubFamilyName() or "Regular")
        psname = "".join(ch for ch in str(name.getDebugName(6) or family) if ch.isalnum() or ch == "-")
        if tag:  # letters only: PDF readers and tests expect a plain name after the subset prefix
            psname = f"{psname or 'Fallback'}-RG{''.join(chr(97 + int(c, 16)) for c in tag[:8])}"
        hhea, os2, head = src["hhea"], src["OS/2"], src["head"]
        fb = FontBuilder(head.unitsPerEm, isTTF=True)
        fb.setupGlyphOrder(order)
        fb.setupCharacterMap(mapping)
        fb.setupGlyf(glyphs)
        glyf = fb.font["glyf"]
        fb.setupHorizontalMetrics(
            {g: (hmetrics[g], getattr(glyf[g], "xMin", 0)) for g in order}
        )
        fb.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap)
        fb.setupNameTable(
            {"familyName": family, "styleName": style, "psName": psname or "Fallback"}
        )
        fb.setupOS2(
            usWeightClass=os2.usWeightClass,
            fsType=os2.fsType,
            sTypoAscender=os2.sTypoAscender,
            sTypoDescender=os2.sTypoDescender,
            sTypoLineGap=os2.sTypoLineGap,
            usWinAscent=os2.usWinAscent,
            usWinDescent=os2.usWinDescent,
            sCapHeight=getattr(os2, "sCapHeight", 0),
            sxHeight=getattr(os2, "sxHeight", 0),
        )
        fb.setupPost()
        fb.updateHead(created=head.created, modified=head.modified)
        out = io.BytesIO()
        fb.save(out)
        return out.getvalue()
    finally:
        src.close()


_chains: dict[tuple[object, ...], FallbackChain] = {}
_chains_lock = threading.Lock()


def fallback_chain(user_dirs: Sequence[Path], exclude: Path | None = None) -> FallbackChain:
    """The chain for some user font directories (one per process and configuration)."""
    system = os.environ.get("REPORTGEN_SYSTEM_FONT_DIRS")
    cache = cache_dir()
    key = (tuple(Path(d).resolve() for d in user_dirs), system, str(cache), exclude)
    with _chains_lock:
        chain = _chains.get(key)
        if chain is None:
            chain = _chains[key] = FallbackChain(
                [Path(d) for d in user_dirs], None, cache, exclude=exclude
            )
        return chain
