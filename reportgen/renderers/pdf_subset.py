"""TrueType subsets byte for byte as ReportLab's ``TTFontFile.makeSubset`` makes them, glyph by glyph remembered.

ReportLab embeds a TrueType face as subsets of up to 256 characters, each a
small font file of its own, made for every document again: every glyph read
from the font file (twice: once to find the parts of composite glyphs, once to
copy it) and every table checksummed, then the whole file checksummed once
more. Here each glyph's bytes, their checksum and its composite parts are kept
per face once read, and the file's checksum is the sum of its parts' (every
part starts at a multiple of four bytes, so the words are the same). The bytes
written are ReportLab's (tested on every bundled face); a glyph this module
would read differently from ReportLab (one byte long, or a composite cut short) sends
the subset to ReportLab.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from itertools import accumulate, chain, compress, count, islice, repeat
from operator import attrgetter, is_, rshift
from struct import Struct, pack, unpack
from typing import Any

from reportlab.pdfbase.ttfonts import (
    GF_ARG_1_AND_2_ARE_WORDS,
    GF_MORE_COMPONENTS,
    GF_WE_HAVE_A_SCALE,
    GF_WE_HAVE_A_TWO_BY_TWO,
    GF_WE_HAVE_AN_X_AND_Y_SCALE,
)

_SHORT = Struct(">h")
_USHORT = Struct(">H")
_COPIED = ("name", "OS/2", "cvt ", "fpgm", "prep")  # tables ReportLab copies whole, if the face has them
_MAX_GLYPHS = 8_000  # glyphs remembered per face (~2.5 MB for a CJK face at most)
_RECENT = 32  # subsets remembered per face (a re-run gets the same bytes object, which pdf_flate finds by identity)


def checksum(data: bytes) -> int:
    """A TrueType table checksum: the sum of its big-endian 32-bit words (zero-padded), modulo 2**32."""
    if len(data) & 3:
        data += bytes(4 - (len(data) & 3))
    return sum(unpack(f">{len(data) >> 2}L", data)) & 0xFFFFFFFF


class _Glyph:
    """One glyph of a face as a subset copies it: its bytes padded to four, their checksum, its parts."""

    __slots__ = ("data", "parts", "sum")

    def __init__(self, data: bytes, parts: list[tuple[int, int]] | None) -> None:
        self.data = data + bytes(-len(data) & 3)
        self.sum = checksum(self.data) if parts is None else 0
        self.parts = parts  # a composite's (offset of a part's glyph index, that index); None: simple


_DATA = attrgetter("data")
_SUM = attrgetter("sum")


class SubsetMaker:
    """``face.makeSubset`` for one face: the same bytes, each glyph read from the file once per process."""

    def __init__(self, face: Any, get_table: Any, fallback: Any) -> None:
        self.face = face
        self.get_table = get_table
        self.fallback = fallback  # ReportLab's makeSubset
        self.glyphs: dict[int, _Glyph] = {}
        self.composites: set[int] = set()  # the glyphs read so far that are made of others
        self.tables: dict[str, tuple[bytes, int]] | None = None  # the copied tables and their checksums
        self.recent: dict[tuple[int, ...], bytes] = {}  # the last subsets made: a re-run makes the same
        self.lock = threading.Lock()

    def __call__(self, subset: Sequence[int]) -> bytes:
        key = tuple(subset)
        made = self.recent.get(key)
        if made is None:
            made = self._make(list(subset))
            if made is None:
                made = self.fallback(subset)
            with self.lock:
                if len(self.recent) >= _RECENT:
                    self.recent.pop(next(iter(self.recent)))
                self.recent[key] = made
        return made  # type: ignore[no-any-return]

    def forget(self) -> None:
        """Forget the subsets made (not the glyphs): the next document's are made anew."""
        with self.lock:
            self.recent.clear()

    def _glyph(self, index: int) -> _Glyph | None:
        glyph = self.glyphs.get(index)
        if glyph is not None:
            return glyph
        face = self.face
        start = face.glyphPos[index]
        length = face.glyphPos[index + 1] - start
        data = self.get_table("glyf")[start : start + length] if length else b""
        parts: list[tuple[int, int]] | None = None
        if length:
            if length < 2:
                return None  # ReportLab reads past such a glyph: its own path
            if _SHORT.unpack_from(data)[0] < 0:
                parts = _parts(data)
                if parts is None:
                    return None
        glyph = _Glyph(data, parts)
        with self.lock:
            if len(self.glyphs) >= _MAX_GLYPHS:
                self.glyphs.clear()
            self.glyphs[index] = glyph
            if parts is not None:
                self.composites.add(index)
        return glyph

    def _copied(self) -> dict[str, tuple[bytes, int]]:
        tables = self.tables
        if tables is None:
            tables = {}
            for tag in _COPIED:
                try:
                    data = self.get_table(tag)
                except KeyError:  # cvt, fpgm and prep are optional (ReportLab skips them too)
                    continue
                tables[tag] = (data, checksum(data))
            self.tables = tables
        return tables

    def _make(self, subset: list[int]) -> bytes | None:
        """The subset's font file, or None where ReportLab would read a glyph differently."""
        olds = list(map(self.face.charToGlyph.get, subset, repeat(0)))  # each code's glyph (0: missing)
        found = self._closure(olds)
        if found is None:
            return None
        glyph_map, glyphs = found
        return _font_file(self._tables(subset, olds, glyph_map, glyphs))

    def _closure(self, olds: list[int]) -> tuple[list[int], list[_Glyph]] | None:
        """The glyphs a subset embeds (new index -> old, and each glyph), composites' parts appended."""
        glyph_map = list(dict.fromkeys([0, *olds]))  # new glyph index -> old, in order of first use
        known = self.glyphs
        glyphs = list(map(known.get, glyph_map))
        for i in compress(count(), map(is_, glyphs, repeat(None))):  # not read yet
            glyph = glyphs[i] = self._glyph(glyph_map[i])
            if glyph is None:
                return None
        # composites bring their parts, appended in the order they are found (as ReportLab scans)
        composites = self.composites
        seen: set[int] | None = None
        done = 0
        while done < len(glyph_map) and not composites.isdisjoint(islice(glyph_map, done, None)):
            end = len(glyph_map)
            for i in compress(range(done, end), map(composites.__contains__, islice(glyph_map, done, end))):
                for _, old in glyphs[i].parts or ():
                    if seen is None:
                        seen = set(glyph_map)
                    if old not in seen:
                        part = known.get(old) or self._glyph(old)
                        if part is None:
                            return None
                        seen.add(old)
                        glyph_map.append(old)
                        glyphs.append(part)
            done = end
        return glyph_map, glyphs

    def _tables(
        self, subset: list[int], olds: list[int], glyph_map: list[int], glyphs: list[_Glyph]
    ) -> dict[str, tuple[bytes, int]]:
        """The subset's tables and their checksums, as ReportLab's ``makeSubset`` builds them."""
        face = self.face
        glyph_set = dict(zip(glyph_map, count()))  # old glyph index -> new
        tables: dict[str, tuple[bytes, int]] = dict(self._copied())

        def add(tag: str, data: bytes) -> None:
            tables[tag] = (data, checksum(data))

        post = self.get_table("post")
        add("post", b"\x00\x03\x00\x00" + post[4:16] + b"\x00" * 16)
        num_glyphs = len(glyph_map)
        hmtx = list(map(int, chain.from_iterable(map(face.hmetrics.__getitem__, glyph_map))))
        n = len(hmtx) - 2  # the trailing run of equal advances is written once (ReportLab's arithmetic)
        while n and hmtx[n] == hmtx[n - 2]:
            n -= 2
        n += 2
        hmtx = hmtx[:n] + hmtx[n + 1 :: 2]
        add("hmtx", pack(f">{len(hmtx)}H", *hmtx))
        add("hhea", _set_ushort(self.get_table("hhea"), 34, n >> 1))
        add("maxp", _set_ushort(self.get_table("maxp"), 4, num_glyphs))
        cmap = [0, 1, 1, 0, 0, 12, 6, 10 + len(subset) * 2, 0, 0, len(subset), *map(glyph_set.__getitem__, olds)]
        add("cmap", pack(f">{len(cmap)}H", *cmap))

        chunks = list(map(_DATA, glyphs))
        glyf_sum = sum(map(_SUM, glyphs))
        for i in compress(count(), map(self.composites.__contains__, glyph_map)):
            glyph = glyphs[i]
            if glyph.parts is not None:  # a composite: its parts' new indices
                data = glyph.data
                for at, old in glyph.parts:
                    data = data[:at] + _USHORT.pack(glyph_set[old]) + data[at + 2 :]
                chunks[i] = data
                glyf_sum += checksum(data)
        offsets = [0, *accumulate(map(len, chunks))]
        tables["glyf"] = (b"".join(chunks), glyf_sum & 0xFFFFFFFF)
        if (offsets[-1] + 1) >> 1 > 0xFFFF:
            long_offsets = 1
            add("loca", pack(f">{len(offsets)}L", *offsets))
        else:
            long_offsets = 0
            add("loca", pack(f">{len(offsets)}H", *map(rshift, offsets, repeat(1))))
        head = _set_ushort(self.get_table("head"), 50, long_offsets)
        add("head", head[:8] + b"\0\0\0\0" + head[12:])  # checkSumAdjustment: set last
        return tables


def _parts(data: bytes) -> list[tuple[int, int]] | None:
    """A composite glyph's parts: where each part's glyph index is, and the index (None: cut short)."""
    parts: list[tuple[int, int]] = []
    at = 10
    flags = GF_MORE_COMPONENTS
    try:
        while flags & GF_MORE_COMPONENTS:
            flags = _USHORT.unpack_from(data, at)[0]
            parts.append((at + 2, _USHORT.unpack_from(data, at + 2)[0]))
            at += 4
            at += 4 if flags & GF_ARG_1_AND_2_ARE_WORDS else 2
            if flags & GF_WE_HAVE_A_SCALE:
                at += 2
            elif flags & GF_WE_HAVE_AN_X_AND_Y_SCALE:
                at += 4
            elif flags & GF_WE_HAVE_A_TWO_BY_TWO:
                at += 8
    except Exception:  # noqa: BLE001 - a part past the glyph's end: ReportLab's own path
        return None
    return parts


def _set_ushort(data: bytes, at: int, value: int) -> bytes:
    return data[:at] + _USHORT.pack(value) + data[at + 2 :]


def _font_file(tables: dict[str, tuple[bytes, int]]) -> bytes:
    """ReportLab's ``TTFontMaker.makeStream``: header, table directory, tables padded to four, the head's adjustment."""
    count = len(tables)
    search_range, selector = 1, 0
    while search_range * 2 <= count:
        search_range *= 2
        selector += 1
    search_range *= 16
    parts = [pack(">lHHHH", 0x00010000, count, search_range, selector, count * 16 - search_range)]
    offset = 12 + count * 16
    total = 0
    ordered = sorted(tables.items())
    for tag, (data, table_sum) in ordered:
        parts.append(tag.encode("latin-1") + pack(">LLL", table_sum, offset, len(data)))
        offset += (len(data) + 3) & ~3
        total += table_sum
    header = b"".join(parts)
    total += checksum(header)  # the file's checksum: its parts' (each starts at a multiple of four)
    body = [header]
    for tag, (data, _) in ordered:
        if tag == "head":
            data = data[:8] + pack(">L", (0xB1B0AFBA - total) & 0xFFFFFFFF) + data[12:]
        body.append(data)
        if len(data) & 3:
            body.append(bytes(-len(data) & 3))
    return b"".join(body)
