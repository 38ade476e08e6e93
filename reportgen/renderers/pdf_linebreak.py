"""Chinese line breaking for ReportLab paragraphs: kinsoku, unsplit Latin words, flush lines.

ReportLab's own CJK splitter (``cjkFragSplit``) lets ``，；：？！》”’…—`` start a
line, ``（《「『【“‘`` end one, and cuts Latin words and numbers anywhere. Here
the text of a paragraph is first cut into unbreakable units (a Latin word or
number with its trailing spaces, or one CJK character together with the
opening marks before it and the closing marks after it), then lines are filled
greedily with whole units. Only :class:`KinsokuParagraph` uses it; ReportLab's
module state is never touched.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from functools import lru_cache, reduce
from itertools import accumulate, compress, islice, repeat
from operator import add, attrgetter, is_not, mul, ne
from types import MethodType
from typing import Any, NamedTuple

from reportlab.lib.abag import ABag
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus.paragraph import (
    _FUZZ,
    Paragraph,
    ParaLines,
    _handleBulletWidth,
)

from reportgen.renderers import pdf_glyphs
from reportgen.renderers.pdf_bidi import (
    mirrored,
    needs_bidi,
    resolve_levels,
    unicode_class,
    visual_order,
)
from reportgen.renderers.pdf_frags import clone, paragraph_frags, token_frags
from reportgen.renderers.pdf_lines import CharSpace, KinsokuLine, Runs, marker
from reportgen.renderers.pdf_markup import Markup

# Marks that must not begin a line: closing brackets and quotes, stops, commas,
# middle marks, ellipsis, dashes, percent, and their half-width forms.
CANNOT_START = frozenset(
    "，。、；：？！）》〉」』】〕〗〙〛”’…‥—–·・%‰℃′″°"
    "．，：；？！）］｝％｠"
    ",.;:?!)]}"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ々〻ー゛゜ヽヾゝゞ"
)
# Marks that must not end a line: opening brackets and quotes, currency signs.
CANNOT_END = frozenset("（《〈「『【〔〖〘〚“‘（［｛｟([{$£¥€￥＄#＃")
# Straight quotes say nothing about which side they open: keep them with both neighbours.
GLUE = frozenset("\"'")
# Spaces that allow a break after them (no-break spaces do not).
SPACES = frozenset(" \u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f")
# Inter-glyph spacing added to flush a line is capped at this fraction of the
# font size; a line that would need more stays ragged rather than gappy (and text
# extractors start to see word spaces from about 0.1 em).
MAX_CHAR_SPACE = 0.08

# The space set between a Han character and a Latin word or number beside it
# (a quarter em, as Chinese typesetting does); drawn, never put into the text.
LATIN_GAP = 0.25
# Non-letters that belong to a Latin word or number for that spacing (99.99%, $5).
_LATIN_SIGNS = frozenset("%‰°$€£#@&")
# URLs: a line may break after a "/" of their path, nowhere else inside them.
_URL = re.compile(r"(?:https?|ftp)://[^\s\x00]+|www\.[^\s\x00]+", re.IGNORECASE)


@lru_cache(maxsize=4096)
def is_wide(char: str) -> bool:
    """Whether a character is set as a CJK (full-width) cell, with break chances on both sides."""
    return ord(char) >= 0x1100 and unicodedata.east_asian_width(char) in "WF"


@lru_cache(maxsize=4096)
def _side(char: str) -> int:
    """1: a Han (or kana, Hangul) letter; 2: a Latin letter, digit or sign; 0: anything else."""
    if not char:
        return 0
    cat = unicodedata.category(char)
    if is_wide(char):
        return 1 if cat[0] in "LN" else 0
    if cat[0] in "LN" or char in _LATIN_SIGNS:
        return 2
    return 0


# What line breaking asks of a character, as bits of its class (see _Classes).
_EMPTY, _SPACE, _NO_START, _NO_END, _GLUE, _WIDE = 1, 2, 4, 8, 16, 32
_SIDE = 6  # bits 6 and 7: _side()


class _Classes(dict[str, int]):
    """Character → class bits, worked out on first use: one lookup per character of a paragraph."""

    def __missing__(self, char: str) -> int:
        if not char:  # a zero-width item (an anchor, a forced break)
            return _EMPTY
        bits = (
            (char in SPACES) * _SPACE
            | (char in CANNOT_START) * _NO_START
            | (char in CANNOT_END) * _NO_END
            | (char in GLUE) * _GLUE
            | is_wide(char) * _WIDE
            | _side(char) << _SIDE
        )
        if len(self) < 50_000:
            self[char] = bits
        return bits


def _pair_allowed(before: int, after: int) -> bool:
    """Whether a line may break between characters of these classes."""
    if (before | after) & _EMPTY:  # zero-width items (anchors) stick to their neighbours
        return False
    if after & _SPACE:
        return False
    if before & _SPACE:
        return not after & _NO_START
    if after & _NO_START or before & _NO_END:
        return False
    if (before | after) & _GLUE:
        return False
    return bool((before | after) & _WIDE)


class _PairTables(NamedTuple):
    """:func:`_pair_allowed` as byte tables: a paragraph's break chances from its classes at C speed.

    ``before[c]`` is the kind of class ``c`` as the first of two neighbours, times
    the number of kinds a second one can be; ``after[c]``, its kind as the second;
    ``allowed[before + after]``, whether a line may break between them (1 or 0).
    A kind stands for the classes whose breaks are all alike: there are few.
    """

    before: bytes
    after: bytes
    allowed: bytes


@lru_cache(maxsize=1)
def _pair_tables() -> _PairTables:
    bits = range(_WIDE * 2)  # what _pair_allowed reads (not the side)
    rows = [tuple(_pair_allowed(b, a) for a in bits) for b in bits]
    columns = list(zip(*rows))
    row_kinds = {row: k for k, row in enumerate(dict.fromkeys(rows))}
    column_kinds = {column: k for k, column in enumerate(dict.fromkeys(columns))}
    width = len(column_kinds)
    assert len(row_kinds) * width <= 256, "kinds of neighbours no longer fit a byte"
    allowed = bytearray(256)
    for row, k in row_kinds.items():
        for column, j in column_kinds.items():
            allowed[k * width + j] = row[columns.index(column)]
    return _PairTables(
        bytes(row_kinds[rows[c % len(bits)]] * width for c in range(256)),
        bytes(column_kinds[columns[c % len(bits)]] for c in range(256)),
        bytes(allowed),
    )


def _chances(classes: bytes) -> Iterable[int]:
    """Where a line may break: before item ``i``, for ``i`` in 1..n-1 (no carry: kind sums stay below 256)."""
    n = len(classes)
    if n < 2:
        return ()
    tables = _pair_tables()
    pairs = int.from_bytes(classes[:-1].translate(tables.before), "big") + int.from_bytes(
        classes[1:].translate(tables.after), "big"
    )
    return compress(range(1, n), pairs.to_bytes(n - 1, "big").translate(tables.allowed))


class _Advances(dict[str, float]):
    """Character → its advance in one face at one size, as ``face.charWidths`` gives it."""

    def __init__(self, face: Any, size: float) -> None:
        super().__init__()
        self.get_width, self.default, self.scale = face.charWidths.get, face.defaultWidth, size * 0.001

    def __missing__(self, char: str) -> float:
        width = self.get_width(ord(char), self.default) * self.scale
        if len(self) < 50_000:
            self[char] = width
        return width


_CLASS = _Classes()
_ADVANCES: dict[tuple[Any, float], _Advances] = {}  # (face, size): faces live as long as the process
# A flush line's spacing shares per class: two for a space, one for a CJK character, none else.
_SHARES = [2 if bits & _SPACE else 1 if bits & _WIDE else 0 for bits in range(256)]
_FONT_SIZE = attrgetter("fontSize")
_FONT_KEY = attrgetter("fontName", "fontSize")
# The classes of ASCII, byte for byte: an ASCII paragraph's classes by bytes.translate.
_ASCII_CLASSES = bytes(_CLASS[chr(code)] for code in range(128)) + bytes(128)
# A class's side (0, 1: Han, 2: Latin) as a digit, byte for byte: where a paragraph's "12" and "21" are.
_SIDE_DIGIT = bytes(ord("0") + (bits >> _SIDE) for bits in range(256))
# A class's space bit, byte for byte.
_SPACE_BITS = bytes(bits & _SPACE for bits in range(256))


def _advances(font_name: str, size: float) -> _Advances:
    face = getFont(font_name).face
    table = _ADVANCES.get((face, size))
    if table is None:
        table = _ADVANCES[(face, size)] = _Advances(face, size)
    return table


# (font name, size) → (the font it named, its ascent and descent at that size, the ascent at least 0, the
# descent at most 0: as a line folds them from 0). The font is kept: a name registered again is another font.
_EXTENTS: dict[tuple[str, float], tuple[Any, tuple[float, float]]] = {}
_REGISTERED = pdfmetrics._fonts.get  # ReportLab's registry by name (getFont also registers standard fonts)


def _extent(key: tuple[str, float]) -> tuple[float, float]:
    """``getAscentDescent(*key)`` as a line folds it, once per font and size (ReportLab's raises and catches)."""
    found = _EXTENTS.get(key)
    if found is not None and found[0] is _REGISTERED(key[0]):
        return found[1]
    name, size = key
    ascent, descent = getAscentDescent(name, size)
    extent = (max(0.0, ascent), min(0.0, descent))
    _EXTENTS[key] = (getFont(name), extent)
    return extent


def break_allowed(before: str, after: str) -> bool:
    """Whether a line may break between two adjacent characters."""
    return _pair_allowed(_CLASS[before], _CLASS[after])


class _Gap:
    """The label of an injected frag that moves the pen by a space's width without drawing one.

    A space drawn right after a right-to-left run is read by text extractors
    as part of that run and moved before it (pypdf reverses the whole run,
    neutral characters with it); a gap of a space's width reads as a space
    where it stands.
    """

    __slots__ = ("font", "size", "width")

    def __init__(self, font: str, size: float, width: float) -> None:
        self.font, self.size, self.width = font, size, width


def set_char_space(canvas: Any, kind: str, label: float | _Gap) -> None:
    """The canvas callback behind injected frags (register with ``canvas.setNamedCB``)."""
    tx = canvas._curr_tx_info["tx"]
    if isinstance(label, _Gap):
        if (tx._fontname, tx._fontsize) != (label.font, label.size):
            tx._setFont(label.font, label.size)
        tx._code.append(f"[{-label.width * 1000 / label.size:.3f}] TJ")
    else:
        tx.setCharSpace(label)


# Where right-to-left letters live (and the aliases of shaped Arabic letters): a quick first look.
_MAYBE_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff\U000f0000-\U000f03af]")


def _bidi_class(char: str) -> str:
    """The bidi class of an item; a glyph alias (a shaped Arabic letter) has its letter's."""
    return unicode_class(pdf_glyphs.logical(char)) if char else "BN"


class _Text:
    """A paragraph's frags flattened to one item per character (or per zero-width frag)."""

    __slots__ = (
        "chars", "classes", "owners", "widths", "raised", "raised_starts", "gaps", "url_breaks", "levels", "at",
        "spaces", "breaks", "frags", "frag_starts", "zero_width",
    )

    def __init__(self, frags: Sequence[Any]) -> None:
        chars: list[str] = []
        owners: list[Any] = []
        widths: list[float] = []
        rises: list[tuple[int, int]] = []  # the items of raised frags (superscript: a citation marker)
        frag_starts: list[int] = []  # the item each frag starts at
        texts: list[str] = []  # the frags' texts (a zero-width item shows nothing)
        zero_width: list[int] = []  # the zero-width items (anchors, forced breaks): few, found as they are made
        for frag in frags:
            frag_starts.append(len(chars))
            cb = getattr(frag, "cbDefn", None)
            text = frag.text
            if text and cb is None:
                # the characters once (a CJK character is a new object at each pass over the text)
                items = list(text)
                chars += items
                texts.append(text)
                owners.extend([frag] * len(text))
                widths.extend(map(_advances(frag.fontName, frag.fontSize).__getitem__, items))
                if getattr(frag, "rise", 0) > 0:
                    rises.append((len(chars) - len(text), len(chars)))
            else:
                w = getattr(cb, "width", 0)
                zero_width.append(len(chars))
                chars.append("")
                owners.append(frag)
                widths.append(w if isinstance(w, (int, float)) else 0.0)
        # a quarter em between Han and Latin, added to the advance of the first of the two
        gaps = [0.0] * len(chars)
        shown = "".join(texts)
        if shown.isascii() and len(shown) == len(chars):  # no zero-width items: classes at C speed
            classes = shown.encode("ascii").translate(_ASCII_CLASSES)
        else:
            classes = bytes(map(_CLASS.__getitem__, chars))
        sides = classes.translate(_SIDE_DIGIT)
        meets: list[int] = []
        if b"1" in sides and b"2" in sides:
            for pair in (b"12", b"21"):
                i = sides.find(pair)
                while i >= 0:
                    meets.append(i)
                    i = sides.find(pair, i + 1)
        raised: list[bool] | None = None  # per item; None: nothing raised
        self.raised_starts: list[int] = []  # where a run of raised items begins
        if rises:
            raised = [False] * len(chars)
            for start, stop in rises:
                if start == 0 or not raised[start - 1]:
                    self.raised_starts.append(start)
                raised[start:stop] = [True] * (stop - start)
        for i in meets:
            if raised is None or (not raised[i] and not raised[i + 1]):
                gaps[i] = LATIN_GAP * max(owners[i].fontSize, owners[i + 1].fontSize)
                widths[i] += gaps[i]
        url_breaks: set[int] = set()
        if "/" in shown:
            joined = "".join(ch or "\x00" for ch in chars)
            for m in _URL.finditer(joined):
                body = joined.find("//", m.start(), m.end())
                first = body + 2 if body >= 0 else m.start()
                for j in range(first + 1, m.end()):
                    if joined[j - 1] == "/" and joined[j] not in "/\x00":
                        url_breaks.add(j)
        self.chars, self.classes, self.owners, self.widths, self.raised = chars, classes, owners, widths, raised
        self.gaps, self.url_breaks = gaps, url_breaks
        frag_starts.append(len(chars))
        self.frags, self.frag_starts = frags, frag_starts
        # bidi levels of the paragraph (base left to right); None: no right-to-left text
        self.levels = None
        if not shown.isascii() and _MAYBE_RTL.search(shown) and needs_bidi(chars, _bidi_class):
            self.levels = resolve_levels(chars, 0, _bidi_class)
        # where each item starts (the advances before it, added in order); which items are spaces
        self.at = [0.0, *accumulate(widths)]
        self.spaces = classes.translate(_SPACE_BITS)
        # forced breaks (<br/>): the positions after them
        self.zero_width = zero_width
        self.breaks = {i + 1 for i in zero_width if hasattr(owners[i], "lineBreak")} if zero_width else set()


class _Units(NamedTuple):
    """A paragraph's unbreakable runs, with what line filling needs as positions on one axis.

    ``at[i]`` is where item ``i`` starts (the sum of the advances before it).
    A line from unit ``a`` to unit ``b`` shows ``ends[b] - at[starts[a]]``:
    ``ends[b]`` is where unit ``b``'s last glyph ends, without its trailing
    spaces or the Han–Latin gap after it, which a line ending there does not show.
    """

    starts: list[int]
    stops: list[int]
    ends: list[float]
    forced: list[int]  # the units that end in a forced break, in order
    at: list[float]


def _units(text: _Text) -> _Units:
    """The unbreakable runs of a paragraph: per-character work in C loops, one short step per unit."""
    classes, url_breaks = text.classes, text.url_breaks
    n = len(classes)
    chances = _chances(classes)
    if url_breaks:
        chances = sorted({*chances, *url_breaks})
    if text.raised_starts:  # a superscript (citation marker) stays with the text it follows
        chances = list(chances)
        for start in text.raised_starts:
            k = bisect_left(chances, start)
            if k < len(chances) and chances[k] == start:
                del chances[k]
    if n == 0:
        return _Units([], [], [], [], [0.0])
    stops = [*chances, n]
    forced: list[int] = []
    breaks = text.breaks
    if breaks:  # a unit also ends after a forced break
        stops = sorted({*stops, *breaks})
        forced = [k for k, stop in enumerate(stops) if stop in breaks]
    starts = [0, *stops[:-1]]
    at, spaces, gaps = text.at, text.spaces, text.gaps
    # where each unit's glyphs end: its last item that is not a space, less the gap after it
    ends = [
        at[last + 1] - gaps[last] if (last := spaces.rfind(0, start, stop)) >= 0 else at[start]
        for start, stop in zip(starts, stops, strict=True)
    ]
    return _Units(starts, stops, ends, forced, at)


def _one_line(text: _Text, max_width: float) -> float | None:
    """The width a paragraph shows if all of it fits on its first line (what filling would find); else None.

    Without a forced break, filling puts everything on one line exactly when the
    last unit's end (the last glyph that is not a space, less a gap after it)
    is within the line: unit ends only grow.
    """
    if text.breaks:
        return None
    last = text.spaces.rfind(0)
    if last < 0:
        return None
    visible = text.at[last + 1] - text.gaps[last]
    return visible if visible <= max_width + _FUZZ else None


def _single_line(frags: Sequence[Any], max_width: float) -> Any | None:
    """The line of a paragraph that is one frag of text and fits on it, if nothing in it needs a look item by item.

    Most paragraphs of a briefing are such (table cells, labels, headings). The
    line is the one :func:`kinsoku_lines` makes from the items, made from the
    text at once; None (the general way) if the text could hold a Han–Latin
    gap or right-to-left letters, or does not fit.
    """
    if len(frags) != 1:
        return None
    frag = frags[0]
    text = frag.text
    if not text or getattr(frag, "cbDefn", None) is not None:
        return None
    if text.isascii():
        last = len(text.rstrip(" ")) - 1  # the last character that is not a space (of ASCII, only " " is)
    else:
        if _MAYBE_RTL.search(text):
            return None
        classes = bytes(map(_CLASS.__getitem__, text))
        sides = classes.translate(_SIDE_DIGIT)
        if b"12" in sides or b"21" in sides:
            return None
        last = classes.translate(_SPACE_BITS).rfind(0)
    if last < 0:
        return None
    # the advances added in order, as _Text adds them: the same width to the last bit
    visible = reduce(add, map(_advances(frag.fontName, frag.fontSize).__getitem__, text[: last + 1]))
    if visible > max_width + _FUZZ:
        return None
    runs = Runs([frag], [text if type(text) is str else str.__str__(text)], [0.0])
    return _new_line(runs, max_width - visible, max_width, visible, False)


def _cut(text: _Text, start: int, stop: int, width: float) -> list[int]:
    """Where to cut a run wider than a whole line (a long URL): character boundaries."""
    cuts: list[int] = []
    used = 0.0
    for i in range(start, stop):
        w = text.widths[i]
        if used > 0 and used + w > width + _FUZZ and text.chars[i] not in SPACES:
            cuts.append(i)
            used = 0.0
        used += w
    return cuts


def kinsoku_lines(
    frags: Sequence[Any],
    max_widths: Sequence[float],
    *,
    justify: bool,
) -> ParaLines:
    """Break parsed frags into ReportLab ``FragLine``\\ s with kinsoku and whole Latin words.

    Lines are filled greedily with whole units; as the ends of units only grow,
    the last unit that fits on a line is found by bisection, not unit by unit.
    """
    line = _single_line(frags, max_widths[0])
    if line is not None:
        return _para_lines([line])
    text = _Text(frags)
    one = _one_line(text, max_widths[0])
    if one is not None:  # it all fits: no units, no filling (most table cells, labels, headings)
        return _para_lines([_line(text, 0, len(text.chars), max_widths[0], one, False, False)])
    units = _units(text)
    starts, stops, ends, at = units.starts, units.stops, units.ends, units.at
    forced = [*units.forced, len(starts)]  # sentinel: no forced break after the last unit
    spans: list[tuple[int, int, float, float, bool]] = []  # (start, stop, width, visible, forced)
    last_width = len(max_widths) - 1

    def width_of_next_line() -> float:
        return max_widths[min(len(spans), last_width)]

    k, f = 0, 0  # the next unit; the next forced break's index in ``forced``
    while k < len(starts):
        max_width = width_of_next_line()
        origin = at[starts[k]]
        if ends[k] - origin > max_width + _FUZZ:  # one unit wider than a line: cut it
            start, stop = starts[k], stops[k]
            for cut in _cut(text, start, stop, max_width):
                spans.append((start, cut, max_width, at[cut] - at[start], False))
                start = cut
                max_width = width_of_next_line()
            origin = at[start]
        else:
            start = starts[k]
        while forced[f] < k:
            f += 1
        last = forced[f]  # a line never runs past a forced break
        fits = bisect_right(ends, origin + max_width + _FUZZ, k + 1, min(last, len(starts) - 1) + 1) - 1
        j = max(k, fits)
        spans.append((start, stops[j], max_width, ends[j] - origin, j == last))
        k = j + 1
    last_line = len(spans) - 1
    return _para_lines(
        [_line(text, *span, flush=justify and n < last_line and not span[4]) for n, span in enumerate(spans)]
    )


def _para_lines(lines: list[Any]) -> ParaLines:
    """``ParaLines(kind=1, lines=lines)``: ABag's keywords into ``__dict__``, without the keywords."""
    para_lines = ParaLines.__new__(ParaLines)
    para_lines.__dict__ = {"kind": 1, "lines": lines}
    return para_lines


def _line(
    text: _Text, start: int, stop: int, max_width: float, visible: float, forced: bool, flush: bool
) -> Any:
    """One ReportLab ``FragLine``: runs of one frag each, with character spacing when flushed."""
    chars = text.chars
    extra = max_width - visible
    spacing: list[float] | None = None
    if flush and extra > _FUZZ:
        spacing = _spacing(text, start, stop, extra)
        if spacing is not None:
            extra = 0.0
    gaps = text.gaps[start:stop]
    if any(gaps):
        last = len(gaps) - 1
        while last >= 0 and (not chars[start + last] or chars[start + last] in SPACES):
            last -= 1
        if last >= 0:
            gaps[last] = 0.0  # no gap after the line's last glyph
        spacing = [g + s for g, s in zip(gaps, spacing, strict=True)] if spacing else gaps
    runs = _logical_runs(text, start, stop, spacing, start)
    visual: list[Any] | None = None
    if text.levels is not None and any(lv % 2 for lv in text.levels[start:stop]):
        visual = _visual_words(text, start, stop, spacing)
    line = _new_line(runs, extra, max_width, visible, forced)
    if visual is not None:
        line.words = visual
        line._rg_logical = runs.words()  # what a split paragraph is rebuilt from
    return line


def _new_line(runs: Runs, extra: float, max_width: float, visible: float, forced: bool) -> Any:
    """A :class:`KinsokuLine` of these runs, its height from their fonts."""
    frags = runs.frags
    if len(frags) == 1:  # the usual
        key = _FONT_KEY(frags[0])
        ascent, descent = _extent(key)
        size = key[1] if key[1] > 0.0 else 0.0
    else:
        size = ascent = descent = 0.0
        for key in set(map(_FONT_KEY, frags)):
            a, d = _extent(key)
            size, ascent, descent = max(size, key[1]), max(ascent, a), min(descent, d)
    line = KinsokuLine.__new__(KinsokuLine)  # ABag's __init__ (keywords into __dict__), without the keywords
    line.__dict__ = {
        "kind": 1,
        "extraSpace": extra,
        "wordCount": 1,
        "fontSize": size,
        "ascent": ascent,
        "descent": descent,
        "maxWidth": max_width,
        "currentWidth": visible,
        "lineBreak": forced,
        "_rg_runs": runs,
    }
    return line


def _words(
    text: _Text, order: Sequence[int], shown: Sequence[str], spacing: list[float] | None, start: int
) -> list[Any]:
    """Frags for some items in drawing order: runs of one frag and one spacing each.

    ``shown`` is what each item draws (its character, or a glyph alias).
    """
    if type(order) is range and shown is text.chars:
        return _logical_runs(text, order.start, order.stop, spacing, start).words()
    chars, owners = text.chars, text.owners
    words: list[Any] = []
    current_cs = 0.0
    k, n = 0, len(order)
    while k < n:
        i = order[k]
        frag = owners[i]
        cs = spacing[i - start] if spacing is not None else 0.0
        m = k + 1
        if chars[i]:
            while m < n and owners[order[m]] is frag and chars[order[m]] and (
                spacing is None or spacing[order[m] - start] == cs
            ):
                m += 1
        if cs != current_cs:
            words.append(marker(frag, cs))
            current_cs = cs
        if chars[i]:
            words.append(clone(frag, text="".join([shown[order[p]] for p in range(k, m)])))
        elif getattr(frag, "_rg_injected", False):  # a gap standing for a space
            words.append(frag)
        else:
            words.append(clone(frag))
        k = m
    if current_cs:
        words.append(marker(owners[order[-1]], 0.0))
    return words


def _logical_runs(text: _Text, lo: int, hi: int, spacing: list[float] | None, start: int) -> Runs:
    """Items ``lo:hi`` in logical order as runs of one frag and one spacing: found by their edges, not item by item."""
    if lo >= hi:
        return Runs([], [], [])
    if spacing is None and text.frag_starts is not None:
        return _frag_runs(text, lo, hi)
    return _char_runs(text, lo, hi, spacing, start)


def _char_runs(text: _Text, lo: int, hi: int, spacing: list[float] | None, start: int) -> Runs:
    """:func:`_logical_runs` from the items: where the frag, a zero-width item or the spacing changes."""
    chars, owners = text.chars, text.owners
    # a run ends where the frag changes, at a zero-width item, or where the spacing changes
    edges = range(lo + 1, hi)
    cuts = list(compress(edges, map(is_not, owners[lo + 1 : hi], owners[lo : hi - 1])))
    more: list[int] = []
    zero_width = text.zero_width
    if zero_width:  # a run also ends before a zero-width item (after one the frag changes, or the next one starts)
        more = zero_width[bisect_right(zero_width, lo) : bisect_left(zero_width, hi)]
    if spacing is not None:
        line = spacing[lo - start : hi - start]
        more += compress(edges, map(ne, islice(line, 1, None), line))
    if more:
        cuts = sorted({*cuts, *more})
    starts = [lo, *cuts]
    cuts.append(hi)
    return Runs(
        list(map(owners.__getitem__, starts)),
        ["".join(chars[i:j]) for i, j in zip(starts, cuts, strict=True)],
        [spacing[i - start] for i in starts] if spacing is not None else [0.0] * len(starts),
    )


_STR = {str}


def _frag_runs(text: _Text, lo: int, hi: int) -> Runs:
    """Items ``lo:hi`` without character spacing: each frag they overlap is one run (a frag's text sliced at most at the ends)."""
    frag_starts = text.frag_starts
    first = bisect_right(frag_starts, lo) - 1
    stop = bisect_left(frag_starts, hi, first + 1)
    frags = text.frags[first:stop]
    texts = [f.text if f.text and getattr(f, "cbDefn", None) is None else "" for f in frags]
    if lo > frag_starts[first] and texts[0]:  # the line starts inside its first frag
        texts[0] = texts[0][lo - frag_starts[first] :]
    if hi < frag_starts[stop] and texts[-1]:  # and ends inside its last
        texts[-1] = texts[-1][: len(texts[-1]) - (frag_starts[stop] - hi)]
    if set(map(type, texts)) != _STR:  # plain strings, as a join of the characters would be
        texts = [str.__str__(t) for t in texts]
    return Runs(list(frags), texts, [0.0] * len(frags))


def _visual_words(text: _Text, start: int, stop: int, spacing: list[float] | None) -> list[Any]:
    """The frags of a line holding right-to-left text, in visual order (UAX #9 L1, L2, L4)."""
    chars, owners, levels = text.chars, text.owners, text.levels
    assert levels is not None
    line_chars = chars[start:stop]
    order = [start + k for k in visual_order(line_chars, levels[start:stop], 0, _bidi_class)]
    shown = list(chars)
    for i in order:
        char = chars[i]
        if char and levels[i] % 2:
            mirror = mirrored(char)
            alias = pdf_glyphs.mirror_alias(char) if mirror else None
            if alias is not None and pdf_glyphs.ensure(owners[i].fontName, alias):
                shown[i] = alias
    # a space right after a right-to-left run (and before more text) is drawn as a gap
    owners = list(owners)
    last = max((p for p, i in enumerate(order) if chars[i] and chars[i] not in SPACES), default=-1)
    rtl_before = False
    for p, i in enumerate(order):
        char = chars[i]
        if not char:
            continue
        if char in SPACES:
            if rtl_before and levels[i] % 2 == 0 and p < last and char == " ":
                frag = owners[i]
                width = text.widths[i] + (spacing[i - start] if spacing is not None else 0.0)
                gap = clone(frag, text="", cbDefn=CharSpace(_Gap(frag.fontName, frag.fontSize, width)))
                gap._rg_injected = True
                owners[i] = gap
                shown[i] = ""
            continue
        rtl_before = levels[i] % 2 == 1
    view = _Text.__new__(_Text)
    view.frag_starts = None
    view.chars = [shown[i] if owners[i] is text.owners[i] else "" for i in range(len(chars))]
    view.owners = owners
    return _words(view, order, view.chars, spacing, start)


def _spacing(text: _Text, start: int, stop: int, extra: float) -> list[float] | None:
    """Character spacing per item that spreads ``extra`` over the line's gaps.

    CJK characters take one share and spaces two; Latin letters keep their
    spacing. None when the line has no such gap.
    """
    chars = text.chars
    last = stop - 1
    while last >= start and (not chars[last] or chars[last] in SPACES):
        last -= 1
    shares = list(map(_SHARES.__getitem__, text.classes[start:stop]))
    total = sum(shares[: last - start])  # the last visible glyph has no gap after it
    if total == 0:
        return None
    size = max(map(_FONT_SIZE, text.owners[start:stop]))
    unit = min(extra / total, MAX_CHAR_SPACE * size)
    return list(map(mul, shares, repeat(unit)))


def _join_lines(blPara: Any, start: int, stop: int) -> list[Any]:
    """The frags of some lines, exactly as they were (no added spaces, no injected frags)."""
    return [
        w
        for line in blPara.lines[start:stop]
        for w in getattr(line, "_rg_logical", line.words)
        if not getattr(w, "_rg_injected", False)
    ]


class KinsokuParagraph(Paragraph):
    """A Paragraph whose CJK line breaking applies kinsoku and keeps Latin words whole.

    Its text is markup: a :class:`Markup` from pdf_markup, or markup text.
    """

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        # reportgen's own markup becomes fragments without ReportLab's (slow) parser
        if frags is None and isinstance(text, Markup):
            frags = None if text.exotic_spaces or not self.caseSensitive else token_frags(text.tokens, style)
            if frags is None:  # ReportLab cleans it, or parses it
                text = text.text
        if frags is None and self.caseSensitive and isinstance(text, str):
            made = paragraph_frags(text, style)
            if made is not None:
                text, frags = made
        super()._setup(text, style, bulletText, frags, cleaner)

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802 (ReportLab's name)
        # Flowable.drawOn restores the canvas's state right after drawing (unless it shows a boundary,
        # drawn in the state drawing left): the lines need not save and restore it again in Python
        self._rg_state_restored = not getattr(self, "_showBoundary", False)
        try:
            super().drawOn(canvas, x, y, _sW)
        finally:
            del self._rg_state_restored

    def beginText(self, x: float, y: float) -> Any:  # noqa: N802 (ReportLab's name)
        tx = self._rg_tx = self.canv.beginText(x, y)
        return tx

    def drawPara(self, debug: Any = 0) -> None:  # noqa: N802 (ReportLab's name)
        style = self.style
        line_drawer = _LINE_DRAWERS.get(style.alignment)
        if (
            not debug
            and line_drawer is not None
            and self.blPara.kind == 1
            and self.blPara.lines
            and not style.backColor
            and not (getattr(style, "borderColor", None) and getattr(style, "borderWidth", None))
            and style.wordWrap != "RTL"
        ):
            _draw_lines(self, line_drawer)
            return
        try:
            super().drawPara(debug)
        finally:
            # ReportLab binds a method to the text object (tx._do_line), a cycle that keeps the
            # text object, its lines and fragments alive until the garbage collector finds them
            # (most of a warm render's collector time): broken once the text is drawn.
            tx = self.__dict__.pop("_rg_tx", None)
            if tx is not None:
                tx.__dict__.pop("_do_line", None)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 (ReportLab's names)
        # Platypus wraps a paragraph again and again at the same width (a kept-together group,
        # then its frame); the lines are the same, and so are the sizes
        attrs = self.__dict__
        last = attrs.get("_rg_wrapped")
        if last is not None and last[0] == availWidth and last[1] is attrs.get("blPara") and last[2] is self.style:
            self.width, self.height = size = last[3]
            return size
        size = super().wrap(availWidth, availHeight)
        self._rg_wrapped = (availWidth, attrs.get("blPara"), self.style, size)
        return size

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802, N803 (ReportLab's names)
        widths = list(maxWidths) if isinstance(maxWidths, (list, tuple)) else [maxWidths]
        style = self.style
        self.height = 0
        _handleBulletWidth(self.bulletText, style, widths)
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        if not self.frags:
            return ParaLines(
                kind=0,
                fontSize=style.fontSize,
                fontName=style.fontName,
                textColor=style.textColor,
                lines=[],
                ascent=style.fontSize,
                descent=-0.2 * style.fontSize,
            )
        # Platypus asks again and again (tables measure each cell several times)
        key = tuple(widths)
        cached = self.__dict__.get("_rg_lines")
        if cached is not None and cached[0] == key:
            return cached[1]
        lines = kinsoku_lines(self.frags, widths, justify=style.alignment == TA_JUSTIFY)
        self._rg_lines = (key, lines)
        return lines

    def breakLines(self, width: Any) -> Any:  # noqa: N802 (ReportLab's name)
        # Western text too: breaks at spaces and after a URL's "/", never inside a word
        # (ReportLab's own splitter cuts a long word anywhere).
        return self.breakLinesCJK(width)

    def _get_split_blParaFunc(self) -> Any:  # noqa: N802
        if self.blPara.kind == 1 and self.frags:
            return _join_lines
        return super()._get_split_blParaFunc()


# ReportLab's line drawers for lines of fragments, by alignment.
_LINE_DRAWERS = {
    TA_LEFT: rl_paragraph._leftDrawParaLineX,
    TA_CENTER: rl_paragraph._centerDrawParaLineX,
    TA_RIGHT: rl_paragraph._rightDrawParaLineX,
    TA_JUSTIFY: rl_paragraph._justifyDrawParaLineX,
}


def _draw_lines(paragraph: KinsokuParagraph, line_drawer: Any) -> None:
    """ReportLab's ``drawPara`` for lines of fragments without a background, border or right-to-left base.

    The same operators in the same order; what differs is what is left out:
    the text object's bound line method (a reference cycle) is made only for
    underlines, and the bookkeeping after a line without links, underlines or
    background colours is only the step down.
    """
    canvas = paragraph.canv
    style = paragraph.style
    lines = paragraph.blPara.lines
    n_lines = len(lines)
    auto_leading = getattr(paragraph, "autoLeading", getattr(style, "autoLeading", ""))
    left_indent = style.leftIndent
    offsets = getattr(paragraph, "_offsets", [0])
    offsets += (n_lines - len(offsets)) * [offsets[-1]]
    # the PDF's graphics state is saved and restored around the text either way; the canvas's
    # own record of it only when the caller does not restore it right after (see drawOn)
    restored = paragraph.__dict__.get("_rg_state_restored", False)
    if restored:
        canvas._code.append("q")
    else:
        canvas.saveState()
    offset = style.firstLineIndent + offsets[0]
    no_justify_last = not getattr(paragraph, "_JustifyLast", False)
    justify_last_words = style.justifyLastLine
    first = lines[0]
    if rl_paragraph.paraFontSizeHeightOffset:
        cur_y = paragraph.height - first.fontSize
    else:
        cur_y = paragraph.height - getattr(first, "ascent", first.fontSize)
    if paragraph.bulletText:
        offset = rl_paragraph._drawBullet(canvas, offset, cur_y, paragraph.bulletText, style, rtl=False)
    tx = canvas.beginText(left_indent, cur_y)
    tx.preformatted = False
    rl_paragraph._setTXLineProps(tx, canvas, style)
    tx.direction = style.wordWrap
    xs = tx.XtraState = ABag()
    xs.__dict__ = {
        "textColor": None,
        "backColor": None,
        "rise": 0,
        "backColors": [],
        "us_lines": {},
        "links": {},
        "link": {},
        "leading": style.leading,
        "leftIndent": left_indent,
        "cur_y": cur_y,
        "f": first,
        "style": style,
        "autoLeading": auto_leading,
        "paraWidth": paragraph.width,
    }
    tx._leading = None
    tx._olb = None
    tx._fontname, tx._fontsize = None, None
    # the step down after each line (ReportLab's _do_post_text without links, underlines, backgrounds)
    step = style.leading
    if auto_leading == "max":
        step = max(step, 1.2 * first.fontSize)
    elif auto_leading == "min":
        step = 1.2 * first.fontSize
    last_index = n_lines - 1
    for i, line in enumerate(lines):
        last = no_justify_last and i == last_index
        if last and justify_last_words and line.wordCount > justify_last_words:
            last = False
        line_drawer(tx, offset if i == 0 else offsets[i], line, last)
        if xs.links or xs.us_lines or xs.backColors:
            tx._do_line = MethodType(rl_paragraph._do_line, tx)
            rl_paragraph._do_post_text(tx)
            del tx._do_line
        else:
            xs.cur_y -= step
    canvas.drawText(tx)
    if restored:
        canvas._code.append("Q")
    else:
        canvas.restoreState()


def line_texts(paragraph: Paragraph) -> list[str]:
    """The text of each line a wrapped paragraph was broken into (for tests and debugging)."""
    bl = paragraph.blPara
    if bl.kind == 0:
        return [" ".join(words) if isinstance(words, list) else str(words) for _, words in bl.lines]
    return ["".join(w.text for w in line.words if not hasattr(w, "cbDefn")) for line in bl.lines]


__all__ = [
    "CANNOT_END",
    "CANNOT_START",
    "KinsokuParagraph",
    "break_allowed",
    "kinsoku_lines",
    "line_texts",
    "set_char_space",
]
