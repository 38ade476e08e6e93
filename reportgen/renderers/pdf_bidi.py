"""Bidirectional text (Unicode Bidirectional Algorithm, UAX #9) for lines already broken.

ReportLab draws text left to right in the order it is given. Hebrew and Arabic
must be drawn in visual order: levels are resolved once per paragraph, in
logical order (rules W1–W7, N0–N2, I1–I2), and each line is reordered after
line breaking (L1, L2), as UAX #9 asks. Characters at an odd level that have a
mirror image (brackets) are drawn mirrored (L4; see pdf_glyphs for how the
text layer keeps the original character).

Only implicit levels: the explicit formatting characters (LRE … PDI, LRM, RLM,
ALM) are dropped by the markup writer before text gets here (README, PDF text
layer), so a paragraph is one isolating run sequence. The paragraph's base
direction comes from the document's language; zh and en are left to right.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

# Opening bracket -> closing bracket (UCD BidiBrackets.txt, the brackets in use).
BRACKETS = {
    "(": ")", "[": "]", "{": "}", "\u0f3a": "\u0f3b", "\u0f3c": "\u0f3d", "\u169b": "\u169c",
    "\u2045": "\u2046", "\u207d": "\u207e", "\u208d": "\u208e", "\u2308": "\u2309",
    "\u230a": "\u230b", "\u2329": "\u232a", "\u2768": "\u2769", "\u276a": "\u276b",
    "\u276c": "\u276d", "\u276e": "\u276f", "\u2770": "\u2771", "\u2772": "\u2773",
    "\u2774": "\u2775", "\u27e6": "\u27e7", "\u27e8": "\u27e9", "\u27ea": "\u27eb",
    "\u27ec": "\u27ed", "\u27ee": "\u27ef", "\u2983": "\u2984", "\u2985": "\u2986",
    "\u3008": "\u3009", "\u300a": "\u300b", "\u300c": "\u300d", "\u300e": "\u300f",
    "\u3010": "\u3011", "\u3014": "\u3015", "\u3016": "\u3017", "\u3018": "\u3019",
    "\u301a": "\u301b", "\ufe59": "\ufe5a", "\ufe5b": "\ufe5c", "\ufe5d": "\ufe5e",
    "\uff08": "\uff09", "\uff3b": "\uff3d", "\uff5b": "\uff5d", "\uff5f": "\uff60",
    "\uff62": "\uff63",
}
_CLOSING = {close: open_ for open_, close in BRACKETS.items()}
# Bidi_Mirroring_Glyph pairs drawn mirrored at odd levels: the brackets and common signs.
_PAIRS = {**BRACKETS, "<": ">", "«": "»", "‹": "›", "≤": "≥", "≪": "≫", "⊂": "⊃", "⊆": "⊇", "∈": "∋", "＜": "＞"}
MIRROR = {**_PAIRS, **{b: a for a, b in _PAIRS.items()}}

_STRONG_RTL = frozenset(("R", "AL"))
_NEUTRAL = frozenset(("B", "S", "WS", "ON", "BN"))
_ISOLATE_OR_EXPLICIT = frozenset(("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"))
MAX_BRACKET_DEPTH = 63  # BD16


@lru_cache(maxsize=8192)
def unicode_class(char: str) -> str:
    """The Bidi_Class of a character; an empty item (a zero-width frag) is BN."""
    if not char:
        return "BN"
    cls = unicodedata.bidirectional(char[0]) or "L"
    return "BN" if cls in _ISOLATE_OR_EXPLICIT else cls


ClassOf = Callable[[str], str]


def needs_bidi(chars: Sequence[str], class_of: ClassOf = unicode_class) -> bool:
    """Whether a paragraph holds right-to-left letters (else its levels are all the base level)."""
    return any(class_of(c) in _STRONG_RTL for c in chars if c)


def resolve_levels(chars: Sequence[str], base: int = 0, class_of: ClassOf = unicode_class) -> list[int]:
    """The resolved embedding level of every item of a paragraph (rules W1–I2 of UAX #9)."""
    classes = [class_of(c) for c in chars]
    keep = [i for i, cls in enumerate(classes) if cls != "BN"]  # X9: BN is ignored
    types = [classes[i] for i in keep]
    e = "R" if base % 2 else "L"
    _weak(types, e)
    _brackets(types, [chars[i] for i in keep], e, [classes[i] for i in keep])
    _neutrals(types, e)
    levels = [base] * len(chars)
    for i, t in zip(keep, types, strict=True):
        if base % 2 == 0:
            levels[i] = base + (1 if t == "R" else 2 if t in ("AN", "EN") else 0)
        else:
            levels[i] = base + (1 if t in ("L", "AN", "EN") else 0)
    # a removed BN takes the level of what precedes it (it draws nothing)
    previous = base
    for i, cls in enumerate(classes):
        if cls == "BN":
            levels[i] = previous
        else:
            previous = levels[i]
    return levels


def _weak(types: list[str], sos: str) -> None:
    """W1–W7, over one isolating run sequence whose sos and eos are the embedding direction."""
    previous = sos
    for i, t in enumerate(types):  # W1: NSM takes the type of what precedes it
        if t == "NSM":
            types[i] = previous
        previous = types[i]
    strong = sos
    for i, t in enumerate(types):  # W2: EN after AL is AN; W3: AL is R
        if t in ("L", "R", "AL"):
            strong = t
        if t == "EN" and strong == "AL":
            types[i] = "AN"
    for i, t in enumerate(types):
        if t == "AL":
            types[i] = "R"
    for i in range(1, len(types) - 1):  # W4: a single separator between numbers
        t, a, b = types[i], types[i - 1], types[i + 1]
        if t == "ES" and a == b == "EN":
            types[i] = "EN"
        elif t == "CS" and a == b and a in ("EN", "AN"):
            types[i] = a
    i = 0
    while i < len(types):  # W5: terminators next to European numbers
        if types[i] == "ET":
            j = i
            while j < len(types) and types[j] == "ET":
                j += 1
            if (i > 0 and types[i - 1] == "EN") or (j < len(types) and types[j] == "EN"):
                types[i:j] = ["EN"] * (j - i)
            i = j
        else:
            i += 1
    for i, t in enumerate(types):  # W6: remaining separators and terminators are neutral
        if t in ("ES", "ET", "CS"):
            types[i] = "ON"
    strong = sos
    for i, t in enumerate(types):  # W7: EN after L (or sos L) is L
        if t in ("L", "R"):
            strong = t
        elif t == "EN" and strong == "L":
            types[i] = "L"


def _strong_of(t: str) -> str | None:
    return "L" if t == "L" else "R" if t in ("R", "AN", "EN") else None


def _brackets(types: list[str], chars: Sequence[str], e: str, original: Sequence[str]) -> None:
    """N0: a bracket pair takes the direction of the text it encloses (or its context)."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(chars):
        if types[i] != "ON" or not ch:
            continue
        if ch in BRACKETS:
            if len(stack) >= MAX_BRACKET_DEPTH:
                break
            stack.append((BRACKETS[ch], i))
        elif ch in _CLOSING:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == ch:
                    pairs.append((stack[depth][1], i))
                    del stack[depth:]
                    break
    opposite = "R" if e == "L" else "L"
    for start, stop in sorted(pairs):
        inside = {_strong_of(t) for t in types[start + 1 : stop]}
        if e in inside:
            direction = e
        elif opposite in inside:
            context = e  # sos
            for t in reversed(types[:start]):
                found = _strong_of(t)
                if found is not None:
                    context = found
                    break
            direction = opposite if context == opposite else e
        else:
            continue
        for k in (start, stop):
            types[k] = direction
            for m in range(k + 1, len(types)):  # NSMs after a bracket follow it
                if original[m] != "NSM":
                    break
                types[m] = direction


def _neutrals(types: list[str], e: str) -> None:
    """N1–N2: a run of neutrals between the same direction takes it, else the embedding direction."""
    i, n = 0, len(types)
    while i < n:
        if types[i] not in _NEUTRAL:
            i += 1
            continue
        j = i
        while j < n and types[j] in _NEUTRAL:
            j += 1
        before = _strong_of(types[i - 1]) if i > 0 else e
        after = _strong_of(types[j]) if j < n else e
        types[i:j] = [before if before == after and before is not None else e] * (j - i)
        i = j


def visual_order(
    chars: Sequence[str], levels: Sequence[int], base: int = 0, class_of: ClassOf = unicode_class
) -> list[int]:
    """Indices of one line's items in drawing order, left to right (rules L1 and L2)."""
    line = list(levels)
    n = len(line)
    # L1: trailing white space, and white space before a tab, goes to the base level
    trailing = True
    for i in range(n - 1, -1, -1):
        cls = class_of(chars[i])
        if cls in ("S", "B"):
            line[i] = base
            trailing = True
        elif trailing and cls in ("WS", "BN"):
            line[i] = base
        else:
            trailing = False
    order = list(range(n))
    if not line:
        return order
    highest = max(line)
    lowest_odd = min(lv for lv in line if lv % 2) if any(lv % 2 for lv in line) else highest + 1
    for level in range(highest, lowest_odd - 1, -1):  # L2
        i = 0
        while i < n:
            if line[i] >= level:
                j = i
                while j < n and line[j] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                line[i:j] = line[i:j][::-1]
                i = j
            else:
                i += 1
    return order


def mirrored(char: str) -> str | None:
    """The mirror image of a character drawn at an odd level (L4), if it has one."""
    return MIRROR.get(char)
