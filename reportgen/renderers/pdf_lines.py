"""Drawing the lines of reportgen's paragraphs: ReportLab's ``_putFragLine``, for the fragments our lines hold.

ReportLab draws every line of a paragraph with ``_putFragLine``, which allows
for every kind of fragment (images, underlines, background colours, end dots,
shaped text) and encodes each run of text through the text object's general
path: about a fifth of a warm render. A line made by pdf_linebreak
(:class:`KinsokuLine`) holds text runs, character-spacing markers, gaps and
anchors only; :func:`put_frag_line` draws those with the same operators in
the same order, so the PDF's bytes do not change, and hands every other line
to ReportLab's function. It is installed only while reportgen writes a PDF
(pdf_fonts swaps it in).
"""

from __future__ import annotations

from itertools import repeat
from operator import and_
from typing import Any, NamedTuple

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen import textobject
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus.paragraph import FragLine

from reportgen.renderers.pdf_frags import clone

# ReportLab's own, for the lines this module does not draw.
reportlab_put_frag_line = rl_paragraph._putFragLine

# The name of the canvas callback that sets character spacing (pdf_linebreak.set_char_space; the canvas registers it).
CHAR_SPACE_CALLBACK = "rg_charspace"


class CharSpace:
    """The ``cbDefn`` of an injected frag: an onDraw callback with a number as label."""

    kind = "onDraw"
    name = CHAR_SPACE_CALLBACK
    width = 0

    def __init__(self, value: Any) -> None:
        self.label = value


def marker(template: Any, value: float) -> Any:
    """A zero-width frag whose drawing sets the text object's character spacing."""
    frag = clone(template, text="", cbDefn=CharSpace(value))
    frag._rg_injected = True
    return frag


Item = tuple[Any, str, Any]  # what a line draws, in order: (frag, its text, its callback or None)


class Runs(NamedTuple):
    """A line in logical order: runs of one frag and one character spacing each."""

    frags: list[Any]
    texts: list[str]  # "" for a zero-width item (an anchor, a forced break)
    spacings: list[float]

    def items(self) -> list[Item]:
        """What the line draws; a change of spacing is a callback of its own, as in :meth:`words`."""
        items: list[Item] = []
        current = 0.0
        for frag, text, spacing in zip(self.frags, self.texts, self.spacings):
            if spacing != current:
                items.append((frag, "", CharSpace(spacing)))
                current = spacing
            if text:
                items.append((frag, text, None))
            else:
                items.append((frag, frag.text, frag.__dict__.get("cbDefn")))
        if current:
            items.append((self.frags[-1], "", CharSpace(0.0)))
        return items

    def words(self) -> list[Any]:
        """The line as ReportLab frags: a copy of each run's frag with its text, and spacing markers."""
        words: list[Any] = []
        for frag, text, cb in self.items():
            if type(cb) is CharSpace:
                words.append(marker(frag, cb.label))
            elif text and cb is None:
                words.append(clone(frag, text=text))
            else:
                words.append(clone(frag))
        return words


class KinsokuLine(FragLine):
    """A line of text runs, character-spacing markers, gaps and anchors (made by pdf_linebreak).

    A line in logical order keeps its :class:`Runs` (``_rg_runs``) and makes
    its ``words`` only when something asks for them: drawing does not.
    """

    @property
    def words(self) -> list[Any]:
        words: list[Any] | None = self.__dict__.get("_words")
        if words is None:
            words = self.__dict__["_words"] = self._rg_runs.words()
        return words

    @words.setter
    def words(self, words: list[Any]) -> None:
        self.__dict__["_words"] = words

    def items(self) -> list[Item]:
        """What the line draws, in order."""
        attrs = self.__dict__
        if "_words" not in attrs:
            return attrs["_rg_runs"].items()  # type: ignore[no-any-return]
        return [(w, getattr(w, "text", ""), w.__dict__.get("cbDefn")) for w in attrs["_words"]]


def _plain(items: list[Item]) -> tuple[bool, bool]:
    """Whether this module draws every item of a line as ReportLab would; whether it needs pen positions.

    ReportLab measures each run to know where the pen is; only links, anchors
    and foreign callbacks ask where it is.
    """
    needs_x = False
    for frag, _, cb in items:
        if cb is not None:
            if cb.kind == "img":
                return False, True
            if cb.kind == "anchor" or cb.name != CHAR_SPACE_CALLBACK:
                needs_x = True
        else:
            attrs = frag.__dict__
            if attrs.get("us_lines") or attrs.get("backColor"):
                return False, True
            if attrs.get("link"):
                needs_x = True
    return True, needs_x


class _FaceInDocument:
    """A TrueType face as one document uses it: its subsets' names, its characters' codes.

    The document is passed to each call, not kept: the document keeps its faces.
    """

    __slots__ = ("assignments", "font", "known", "names")

    def __init__(self, font: Any) -> None:
        self.font = font
        self.assignments: dict[int, int] | None = None
        self.names: dict[int, str] = {}
        self.known: dict[str, list[tuple[int, bytes]]] = {}  # texts drawn before: codes never change

    def name(self, subset: int, doc: Any) -> str:
        """``font.getSubsetInternalName(subset, doc)``, asked of ReportLab once per subset."""
        name = self.names.get(subset)
        if name is None:
            name = self.names[subset] = self.font.getSubsetInternalName(subset, doc)
        return name

    def runs(self, text: str, doc: Any) -> list[tuple[int, bytes]]:
        """``font.splitString(text, doc)``: runs of one subset each; characters already assigned at C speed."""
        known = self.known.get(text)
        if known is not None:
            return known
        assignments = self.assignments
        if assignments is None or not text or "\xa0" in text:
            runs: list[tuple[int, bytes]] = self.font.splitString(text, doc)
            if assignments is None:
                self.assignments = self.font.state[doc].assignments
            return runs
        # A new character is found by its lookup failing and a code past 255 by bytes() refusing it: scanning
        # the codes for None, or for their least and greatest, compares each in Python's generic way.
        codes: list[int] = []
        try:
            codes.extend(map(assignments.__getitem__, map(ord, text)))
        except KeyError:  # a character not yet in a subset: ReportLab assigns it, and goes on from there
            head = _one_subset(codes) if codes else None  # the characters before it (extend kept them)
            if head is None:
                return self.font.splitString(text, doc)  # type: ignore[no-any-return]
            tail: list[tuple[int, bytes]] = self.font.splitString(text[len(codes) :], doc)
            if tail[0][0] == head[0]:  # one run across, as ReportLab's loop over the whole text makes it
                return [(head[0], head[1] + tail[0][1]), *tail[1:]]
            return [head, *tail]
        head = _one_subset(codes)
        if head is None:
            return self.font.splitString(text, doc)  # type: ignore[no-any-return]
        runs = [head]
        self.known[text] = runs
        return runs


def _one_subset(codes: list[int]) -> tuple[int, bytes] | None:
    """Codes in one subset as its run (the subset and the codes' low bytes); None if they span subsets."""
    try:
        return 0, bytes(codes)  # all in the first subset (codes below 256): the usual
    except ValueError:
        subset = max(codes) >> 8
        if min(codes) >> 8 != subset:
            return None
        return subset, bytes(map(and_, codes, repeat(0xFF)))


# Operators as written, by their numbers: a fill colour's "r g b rg", a font size and leading's "s Tf l TL".
_WRITTEN: dict[tuple[float, ...], str] = {}


def _remember(key: tuple[float, ...], operator: str) -> str:
    if len(_WRITTEN) < 2_000:
        _WRITTEN[key] = operator
    return operator


# A character spacing's "s Tc", by its number (a flush Chinese line sets one or two; they recur).
_SPACINGS: dict[float, str] = {}


def _remember_spacing(spacing: float, operator: str) -> str:
    if len(_SPACINGS) < 2_000:
        _SPACINGS[spacing] = operator
    return operator


def _set_fill_color(tx: Any, color: Any) -> None:
    """``tx.setFillColor(color)`` with the same operators; an opaque RGB colour without its detours."""
    if type(color) is not Color or tx._enforceColorSpace:
        tx.setFillColor(color)
        return
    tx._fillColorObj = color
    rgb = (color.red, color.green, color.blue)
    operator = _WRITTEN.get(rgb)
    if operator is None:
        operator = _remember(rgb, f"{textobject.fp_str(rgb)} rg")
    tx._code.append(operator)
    alpha = color.alpha
    if alpha == 1 and tx._canvas._extgstate._d.get("ca", 1) == 1:  # opaque, as it was: no operator
        doc = tx._canvas._doc
        if not doc.__dict__.get("_rg_transparency"):  # raising the PDF version once is enough
            doc.ensureMinPdfVersion("transparency")
            doc._rg_transparency = True
    elif alpha is not None:
        tx.setFillAlpha(alpha)


def _faces(doc: Any) -> dict[str, _FaceInDocument | None]:
    """The faces a document draws with, by font name (None: not a plain TrueType face)."""
    faces: dict[str, _FaceInDocument | None] | None = doc.__dict__.get("_rg_faces")
    if faces is None:
        faces = doc._rg_faces = {}
    return faces


def put_frag_line(cur_x: float, tx: Any, line: Any, last: Any, p_kind: str) -> None:
    """ReportLab's ``_putFragLine`` for a :class:`KinsokuLine`; any other line goes to ReportLab's."""
    xs = tx.XtraState
    if type(line) is KinsokuLine:
        items = line.items()
        plain, needs_x = _plain(items) if items else (False, True)
    else:
        plain = False
    if not plain or tx.preformatted or xs.backColor or xs.us_lines or (last and xs.style.endDots):
        reportlab_put_frag_line(cur_x, tx, line, last, p_kind)
        return
    link_record = getattr(tx, "_linkRecord", None)
    fp_str = textobject.fp_str  # ReportLab's number format, as the text object uses it
    canvas = tx._canvas
    doc = canvas._doc
    escape = canvas._escape
    faces = _faces(doc)
    code = tx._code
    cur_y = xs.cur_y
    x0 = tx._x0
    auto_leading = xs.autoLeading
    leading = xs.leading
    cur_x += xs.leftIndent
    dal = auto_leading in ("min", "max")
    if dal:
        if auto_leading == "max":
            ascent = max(5.0 / 6 * leading, line.ascent)
            descent = max(1.0 / 6 * leading, -line.descent)
        else:
            ascent = line.ascent
            descent = -line.descent
        leading = ascent + descent
    if tx._leading != leading:
        tx.setLeading(leading)
    if dal:
        olb = tx._olb
        if olb is not None:
            xcy = olb - ascent
            if tx._oleading != leading:
                cur_y += leading - tx._oleading
            if abs(xcy - cur_y) > 1e-8:
                cur_y = xcy
                tx.setTextOrigin(x0, cur_y)
                xs.cur_y = cur_y
        tx._olb = cur_y - descent
        tx._oleading = leading
    ws = getattr(tx, "_wordSpace", 0)
    n_spaces = 0
    links = xs.links
    active: Any = []  # the links the current run is in
    last_item = items[-1]
    previous_text: str | None = None
    for item in items:
        f, text, cb = item
        if cb is not None:
            kind = cb.kind
            if kind == "anchor":
                canvas.bookmarkHorizontal(cb.name, cur_x, cur_y + leading)
            else:
                name = cb.name
                func = canvas.getNamedCB(name)
                if not func:
                    raise AttributeError(f"Missing {kind} callback attribute '{name}'")
                label = getattr(cb, "label", None)
                if name == CHAR_SPACE_CALLBACK and type(label) in (float, int):
                    tx._charSpace = label  # what the callback does: setCharSpace
                    operator = _SPACINGS.get(label)
                    if operator is None:
                        operator = _remember_spacing(label, f"{fp_str(label)} Tc")
                    code.append(operator)
                else:
                    canvas._curr_tx_info = {"tx": tx, "cur_x": cur_x, "cur_y": cur_y, "leading": leading, "xs": xs}
                    try:
                        func(canvas, kind, label)
                    finally:
                        del canvas._curr_tx_info
            if item is last_item:
                if not tx._fontname:
                    tx.setFont(xs.style.fontName, xs.style.fontSize)
                code.append(" T*")  # ReportLab's _textOut("", 1)
            previous_text = text
            continue
        font_name, font_size, rise, link = f.fontName, f.fontSize, f.rise, f.link
        if active != link:
            ending = set(active) - set(link)
            if ending:
                end_x = cur_x + n_spaces * ws
                if previous_text is not None:
                    end_x -= rl_paragraph._trailingSpaceLength(previous_text, tx)
                for n in ending:
                    links[n] = links[n], end_x
                    if link_record is not None:
                        link_record(n, "end")
        if tx._fontname != font_name or tx._fontsize != font_size:
            tx._setFont(font_name, font_size)
        text_color = f.textColor
        if xs.textColor is not text_color and xs.textColor != text_color:
            xs.textColor = text_color
            _set_fill_color(tx, text_color)
        if xs.rise != rise:
            xs.rise = rise
            tx.setRise(rise)
        face = faces.get(font_name, False)
        if face is False:
            font = getFont(font_name)
            face = faces[font_name] = _FaceInDocument(font) if font._dynamicFont else None
        if face is not None and type(text) is str:  # not a ShapedStr: no shaping
            runs = face.runs(text, doc)
            if len(runs) == 1 and runs[0][0] == tx._curSubset:  # the usual: one run, in the subset set last
                shown = f"({escape(runs[0][1])}) Tj"
            else:
                parts = []
                template = None
                for subset, run in runs:
                    if subset != tx._curSubset:
                        if template is None:
                            key = (font_size, tx._leading)
                            template = _WRITTEN.get(key)
                            if template is None:
                                template = _remember(key, f"{fp_str(font_size)} Tf {fp_str(tx._leading)} TL")
                        parts.append(f"{face.name(subset, doc)} {template}")
                        tx._curSubset = subset
                    parts.append(f"({escape(run)}) Tj")
                shown = " ".join(parts)
        else:
            shown = tx._formatText(text)
        code.append(f"{shown} T*" if item is last_item else shown)
        if active or link:
            nlo = rise - 0.2 * font_size
            nhi = rise + font_size
            if active != link:
                for n in set(link) - set(active):
                    links[n] = (n, cur_x), nlo, nhi
                    if link_record is not None:
                        link_record(n, "start")
                active = link
            for n in active:
                l0, lo, hi = links[n]
                if nlo < lo or nhi > hi:
                    links[n] = l0, min(nlo, lo), max(nhi, hi)
        if needs_x:
            cur_x += getFont(font_name).stringWidth(text, font_size)
        if ws:
            n_spaces += text.count(" ") + text.count("\xa0")
        previous_text = text
    cur_x_s = cur_x + (n_spaces - 1) * ws
    for n in active:
        links[n] = links[n], cur_x_s
        if link_record is not None:
            link_record(n, "end")
    if tx._x0 != x0:
        rl_paragraph.setXPos(tx, x0 - tx._x0)


__all__ = ["CharSpace", "KinsokuLine", "Runs", "marker", "put_frag_line", "reportlab_put_frag_line"]
