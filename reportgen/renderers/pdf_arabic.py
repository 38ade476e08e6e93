"""Arabic shaping: each letter in its joined form (isolated, initial, medial, final), lam-alef ligated.

ReportLab draws one glyph per character and does no shaping (its HarfBuzz hook
is off: it corrupts the text layer, see the shared notes), so Arabic would come
out as a row of isolated letters. The joined forms are the Arabic Presentation
Forms every Arabic font maps (Noto Sans/Naskh Arabic, DejaVu Sans); which
form a letter takes follows its neighbours' joining types. Both tables are
derived from the Unicode database Python ships (each presentation form's
decomposition names its letter and form), so nothing is copied by hand.
The text layer still gives the letters themselves: see pdf_glyphs.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

LAM = "\u0644"
TATWEEL = "\u0640"
ZWJ = "\u200d"
ALEFS = frozenset("\u0622\u0623\u0625\u0627")  # the alefs lam joins with into one glyph


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]:
    """(letter, form) -> presentation form; (alef, form) -> lam-alef ligature. Built on first use."""
    forms: dict[tuple[str, str], str] = {}
    lam_alef: dict[tuple[str, str], str] = {}
    for cp in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF)):
        decomposition = unicodedata.decomposition(chr(cp)).split()
        if len(decomposition) < 2 or decomposition[0] not in ("<isolated>", "<initial>", "<medial>", "<final>"):
            continue
        form = decomposition[0][1:5]
        letters = "".join(chr(int(h, 16)) for h in decomposition[1:])
        if len(letters) == 1:
            forms.setdefault((letters, form), chr(cp))
        elif len(letters) == 2 and letters[0] == LAM and letters[1] in ALEFS and form in ("isol", "fina"):
            lam_alef.setdefault((letters[1], form), chr(cp))
    return forms, lam_alef


@lru_cache(maxsize=4096)
def joining_type(char: str) -> str:
    """D (dual-joining), R (right-joining), C (join-causing), T (transparent) or U (none).

    Derived: a letter with an initial or medial form joins on both sides, one
    with only a final form on its right; combining marks are transparent.
    """
    if not ("\u0600" <= char <= "\u08ff" or "\U00010ec0" <= char <= "\U00010eff"):
        return "T" if unicodedata.category(char) in ("Mn", "Me", "Cf") else "U"
    forms = _tables()[0]
    if (char, "medi") in forms or (char, "init") in forms:
        return "D"
    if (char, "fina") in forms:
        return "R"
    if char in (TATWEEL, ZWJ):
        return "C"
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return "T"
    return "U"


def is_arabic_letter(char: str) -> bool:
    """Whether a character has presentation forms to be shaped into."""
    return joining_type(char) in ("D", "R")


@lru_cache(maxsize=1024)
def presentation_forms(char: str) -> tuple[int, ...]:
    """Every presentation form a letter may be drawn with (lam: its lam-alef ligatures too)."""
    forms, lam_alef = _tables()
    found = {ord(f) for (letter, _), f in forms.items() if letter == char}
    if char == LAM:
        found.update(ord(f) for f in lam_alef.values())
    return tuple(sorted(found))


# Where every letter with joined forms lives (see joining_type): a quick first look.
_MAYBE_JOINING = re.compile("[\u0600-\u08ff\U00010ec0-\U00010eff]")


def needs_shaping(text: str) -> bool:
    return _MAYBE_JOINING.search(text) is not None and any(is_arabic_letter(c) for c in text)


def shape(text: str) -> list[tuple[str, int]]:
    """Each character's form: (form, length) per input index; length 2 is a lam-alef ligature.

    ``form`` is ``isol``, ``init``, ``medi``, ``fina``, ``lig-isol`` or
    ``lig-fina`` for a letter, ``""`` for anything else and for the alef a
    ligature took in (length 0). Logical order in, logical order out.
    """
    n = len(text)
    types = [joining_type(c) for c in text]
    out: list[tuple[str, int]] = [("", 1)] * n

    def neighbour(i: int, step: int) -> str:
        j = i + step
        while 0 <= j < n and types[j] == "T":
            j += step
        return types[j] if 0 <= j < n else "U"

    i = 0
    while i < n:
        t = types[i]
        if t not in ("D", "R"):
            i += 1
            continue
        joins_before = neighbour(i, -1) in ("D", "C")  # the previous letter reaches forward
        after = neighbour(i, 1)
        joins_after = t == "D" and after in ("D", "R", "C")
        if text[i] == LAM and i + 1 < n and text[i + 1] in ALEFS:
            out[i] = ("lig-fina" if joins_before else "lig-isol", 2)
            out[i + 1] = ("", 0)
            i += 2
            continue
        form = "medi" if joins_before and joins_after else "fina" if joins_before else "init" if joins_after else "isol"
        out[i] = (form, 1)
        i += 1
    return out


def form_char(text: str, i: int, form: str) -> str | None:
    """The presentation form character for the letter (or lam-alef) at ``i``; None: not shaped."""
    forms, lam_alef = _tables()
    if form.startswith("lig-"):
        return lam_alef.get((text[i + 1], form[4:]))
    if not form:
        return None
    char = forms.get((text[i], form))
    if char is None and form in ("medi", "init"):  # a letter without that form: the nearest one
        char = forms.get((text[i], "fina" if form == "medi" else "isol"))
    return char
