"""Document-tree inlines to ReportLab Paragraph markup; the one place where text is escaped.

Markup is kept as the tokens of pdf_frags' vocabulary: pdf_frags makes
fragments of them directly, and the text is written (escaped) only when
something asks for it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import getFont

from reportgen import doctree as dt
from reportgen.renderers import pdf_arabic, pdf_glyphs
from reportgen.renderers.pdf_fallback import Fallback
from reportgen.renderers.pdf_fonts import WIDE, FontSet
from reportgen.renderers.pdf_frags import (
    ANCHOR,
    BREAK,
    CLOSING,
    END,
    FONT,
    LINK,
    SUPER,
    TEXT,
    Token,
    open_tag,
)

# Schemes that become live links; anything else is shown as plain text, since
# ReportLab reads "#x" and "document:x" as internal destinations.
LINK_SCHEMES = ("http://", "https://", "mailto:", "ftp://")
LINK_COLOR = "#1f4e8c"

MissingGlyph = Callable[[str, "str | None"], None]
# Curly quotes that are an apostrophe (China’s) when letters stand on both sides.
_APOSTROPHES = frozenset("’‘")

# Invisible format characters (Unicode category Cf): dropped, there is nothing to draw.
_INVISIBLE = frozenset(
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
# Spaces that must not become a line break when replaced (e.g. Babel's U+202F before "PM").
_NO_BREAK = frozenset("\u2007\u202f")
# What a character no face has is drawn as when no box alias is left (pdf_glyphs.box): a box.
_BOX = "\uffff"
# Spaces other than U+0020 and U+00A0 that ReportLab's whitespace cleaning changes (a tab, U+3000 …):
# Python's whitespace (none above U+3000) and ReportLab's own list, which adds U+200B. Markup
# holding one is cleaned by ReportLab's own function (pdf_frags cleans U+0020 only).
_EXOTIC_SPACES = frozenset({*(c for c in map(chr, range(0x3001)) if c.isspace()), "\u200b"} - {" ", "\xa0"})
# Characters the per-character loop must look at closely (everything else: its face, and on).
_SPECIAL = frozenset(
    {"\n", " ", *_INVISIBLE, *_APOSTROPHES, *_EXOTIC_SPACES, *map(chr, range(0x20)), *map(chr, range(0x7F, 0xA0))}
)
# Where the per-character loop must look closely, but for a space (it joins the run it is in) and an
# apostrophe (in CJK text, the Latin face's between Latin letters: where all share one face, that one):
# a text without any, whose characters share a face, is one run of it.
_CLOSE_LOOK = re.compile("[" + "".join(f"\\U{ord(c):08x}" for c in sorted(_SPECIAL - {" ", *_APOSTROPHES})) + "]")
_SUPERSCRIPT: Token = (SUPER, '<super size="62%" rise="38%">')
_END_FONT: Token = (END, FONT)
_END_SUPER: Token = (END, SUPER)
_END_LINK: Token = (END, LINK)
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def _has_glyph(face: str, char: str) -> bool:
    """Whether a registered face draws ``char`` (ReportLab silently draws code 0, read back as U+0000, if not).

    A space joins the run it is in; a converted cut of a fallback font holds
    only the characters it was cut for, so it may have no space.
    """
    return ord(char) in getFont(face).face.charToGlyph


def _canonical(char: str) -> str | None:
    """The one character ``char`` is canonically equivalent to (NFC), if another.

    The PDF's text layer is compared after NFC, so drawing the equivalent is
    allowed, and better than a box: CJK compatibility ideographs (U+F900…,
    U+2F800…) are missing from most fonts whose canonical twins are not.
    """
    nfc = unicodedata.normalize("NFC", char)
    return nfc if nfc != char and len(nfc) == 1 else None


def escape(text: str) -> str:
    """Text (or an attribute value) made inert for ReportLab's paragraph parser."""
    return text.translate(_ESCAPES)


def is_cjk_lang(lang: str | None) -> bool:
    """Whether a BCP 47 tag names a language set with CJK line breaking."""
    return lang is not None and lang.split("-")[0].lower() in {"zh", "ja", "ko"}


@dataclass(slots=True)
class Markup:
    """Paragraph markup (as tokens) plus what the renderer must know about it."""

    tokens: list[Token]
    cjk: bool  # contains CJK text: break lines with kinsoku
    exotic_spaces: bool = False  # holds a space ReportLab's cleaning changes (see _EXOTIC_SPACES)

    @property
    def text(self) -> str:
        """The markup as ReportLab's paragraph parser reads it."""
        return "".join(map(_written, self.tokens))

    def anchored(self, name: str) -> Markup:
        """The markup with a PDF destination at its start."""
        return Markup([(ANCHOR, name), *self.tokens], self.cjk, self.exotic_spaces)


def _written(token: Token) -> str:
    """A token as markup text: text escaped, tags as they are written."""
    kind = token[0]
    if kind == TEXT:
        return escape(token[1])
    if kind == END:
        return CLOSING[token[1]]
    if kind == LINK:
        return open_tag((LINK, escape(token[1]), token[2]))
    return open_tag(token)


@dataclass(slots=True)
class MarkupWriter:
    """Turns inlines into markup for one document; reports characters no face can draw.

    Read-only: ``fonts``, ``cjk_document`` (the document's language is CJK),
    ``anchors`` (tree anchors to PDF destination names) and ``fallback`` (faces
    from the fallback chain for characters the bundled fonts lack). Accumulated:
    ``missing`` (char, event-file path) pairs already reported, ``placed`` anchors.
    """

    fonts: FontSet
    cjk_document: bool
    anchors: Mapping[str, str]
    report: MissingGlyph | None
    fallback: Mapping[str, Fallback | None] = field(default_factory=dict)
    missing: dict[tuple[str, str | None], None] = field(default_factory=dict)
    placed: set[str] = field(default_factory=set)

    def markup(
        self,
        inlines: tuple[dt.Inline, ...],
        base: str,
        *,
        bold: bool = False,
        links: bool = True,
        page: int | None = None,
        total: int | None = None,
        lang: str | None = None,
    ) -> Markup:
        """Markup of some inlines for a style whose font is ``base`` (``bold`` for headings).

        ``lang``: the block's language when it is not the document's (a bilingual document).
        """
        run = _Run(self, base, links, page, total, is_cjk_lang(lang) if lang else self.cjk_document)
        run.inlines(inlines, bold=bold, italic=False, in_link=False)
        return Markup(run.out, run.cjk, run.exotic_spaces)

    def claim(self, anchor: str | None) -> bool:
        """True the first time an anchor is placed: a destination is defined only once."""
        if anchor is None or anchor in self.placed:
            return False
        self.placed.add(anchor)
        return True

    def _missing(self, char: str, path: str | None) -> None:
        key = (char, path)
        if key in self.missing:
            return
        self.missing[key] = None
        if self.report is not None:
            self.report(char, path)


class _Run:
    """The accumulator of one markup call."""

    __slots__ = ("writer", "base", "path", "links", "page", "total", "out", "cjk", "block_cjk", "exotic_spaces")

    def __init__(
        self,
        writer: MarkupWriter,
        base: str,
        links: bool,
        page: int | None,
        total: int | None,
        block_cjk: bool,
    ) -> None:
        self.writer = writer
        self.base = base
        self.path: str | None = None  # the event-file path of the text being written
        self.links = links
        self.page = page
        self.total = total
        self.out: list[Token] = []
        self.block_cjk = block_cjk  # the language of the block: CJK or not
        self.cjk = block_cjk
        self.exotic_spaces = False

    def inlines(
        self, inlines: tuple[dt.Inline, ...], *, bold: bool, italic: bool, in_link: bool
    ) -> None:
        for node in inlines:
            self.inline(node, bold=bold, italic=italic, in_link=in_link)

    def inline(self, node: dt.Inline, *, bold: bool, italic: bool, in_link: bool) -> None:
        out = self.out
        if isinstance(node, dt.Span):
            cjk = is_cjk_lang(node.lang) if node.lang else self.block_cjk
            self.cjk = self.cjk or cjk
            self.path = node.path
            self.text(node.text, bold=bold, italic=italic, cjk=cjk)
            self.path = None
        elif isinstance(node, dt.Strong):
            self.inlines(node.children, bold=True, italic=italic, in_link=in_link)
        elif isinstance(node, dt.Emphasis):
            # The face choice gives italic only to Latin text; CJK has none and gets no fake.
            self.inlines(node.children, bold=bold, italic=True, in_link=in_link)
        elif isinstance(node, dt.Link):
            live = self.links and not in_link and node.url.lower().startswith(LINK_SCHEMES)
            if live:
                out.append((LINK, node.url, LINK_COLOR))
                if not _EXOTIC_SPACES.isdisjoint(node.url):
                    self.exotic_spaces = True
            self.inlines(node.children, bold=bold, italic=italic, in_link=in_link or live)
            if live:
                out.append(_END_LINK)
        elif isinstance(node, dt.CiteRef):
            key = self.writer.anchors.get(node.target)
            live = self.links and not in_link and key is not None
            if live:
                out.append((LINK, f"#{key}", LINK_COLOR))
            out.append(_SUPERSCRIPT)
            self.text(node.label, bold=bold, italic=False, cjk=False)
            out.append(_END_SUPER)
            if live:
                out.append(_END_LINK)
        elif isinstance(node, dt.PageNumber):
            if self.page is not None:
                self.text(str(self.page), bold=bold, italic=italic, cjk=False)
        elif isinstance(node, dt.PageCount):
            if self.total is not None:
                self.text(str(self.total), bold=bold, italic=italic, cjk=False)
        else:  # pragma: no cover - the tree is closed
            raise TypeError(f"unknown inline node {node!r}")

    def _run(self, face: str | None, text: str) -> None:
        """A run of one face: in the base face as it is, else inside a font tag."""
        if face == self.base:
            self.out.append((TEXT, text))
        else:
            self.out.extend(((FONT, face), (TEXT, text), _END_FONT))  # type: ignore[arg-type]

    def text(self, text: str, *, bold: bool, italic: bool, cjk: bool) -> None:
        """Escaped runs of one face each; ``\\n`` becomes a line break; no face: reported."""
        if not self.cjk and not text.isascii() and WIDE.search(text):
            self.cjk = True
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        fonts = self.writer.fonts
        choose = fonts.chooser(bold, italic, cjk)
        if text.isascii() and text.isprintable() and text:  # printable ASCII: one run, if one face has it all
            whole = choose.ascii_face
            if whole is not None:
                self._run(whole, text)
                return
        forms = pdf_arabic.shape(text) if pdf_arabic.needs_shaping(text) else None
        if forms is None and text and _CLOSE_LOOK.search(text) is None:
            # nothing the loop below looks at closely: one run if every character has the same face
            faces = set(map(choose.__getitem__, text))
            if len(faces) == 1 and None not in faces:
                self._run(faces.pop(), text)
                return
        latin = fonts.chooser(bold, italic, False) if cjk else choose
        fallback = self.writer.fallback
        face: str | None = None
        chars: list[str] = []

        def flush() -> None:
            if chars:
                self._run(face, "".join(chars))
                chars.clear()

        skip = -1  # the alef a lam-alef ligature drew
        special = _SPECIAL
        for i, char in enumerate(text):
            if forms is None and char not in special:  # the common case, in short
                chosen = choose[char]
                if chosen is not None:
                    if chosen != face:
                        flush()
                        face = chosen
                    chars.append(char)
                    continue
            if i == skip:
                continue
            if char == "\n":
                flush()
                self.out.append((BREAK,))
                continue
            if char in _INVISIBLE:  # format controls (ZWSP, soft hyphen, BOM …): nothing to draw
                continue
            if char < " " or "\x7f" <= char <= "\x9f":  # control characters cannot be set
                if char != "\t":
                    self.writer._missing(char, self.path)
                    continue
                char = " "
            if char == " " and face is not None and _has_glyph(face, " "):
                chars.append(char)  # a space goes with the run it is in (if that face has one)
                continue
            if (
                cjk
                and char in _APOSTROPHES
                and 0 < i < len(text) - 1
                and text[i - 1].isascii()
                and text[i - 1].isalpha()
                and text[i + 1].isascii()
                and text[i + 1].isalpha()
            ):
                chosen = latin[char]  # China’s inside Chinese text: an apostrophe, not a quote
            else:
                chosen = choose[char]
            if chosen is None and (canonical := _canonical(char)) is not None and choose[canonical] is not None:
                char = canonical  # a compatibility ideograph (U+2F800 丽): its canonical twin's glyph
                chosen = choose[char]
            if chosen is None:
                found = fallback.get(char)
                if found is not None:  # a font of the fallback chain has it
                    chosen = found.bold if bold else found.regular
                elif unicodedata.category(char) == "Zs":  # an exotic space: a plain one says it
                    char = "\u00a0" if char in _NO_BREAK else " "
                    chosen = face if face is not None and _has_glyph(face, " ") else choose[" "]
                else:  # a box that reads back as the character, so that nothing is lost; reported
                    self.writer._missing(char, self.path)
                    chosen = face or fonts.base(cjk=cjk, bold=bold)
                    char = pdf_glyphs.box(chosen, char) or _BOX
            if forms is not None and forms[i][0]:  # an Arabic letter: its joined form
                shaped = pdf_arabic.form_char(text, i, forms[i][0])
                if shaped is not None and chosen is not None:
                    alias = pdf_glyphs.form_alias(shaped)
                    if forms[i][1] == 2:  # lam-alef: the ligature for the lam, nothing for the alef
                        silent = pdf_glyphs.silent_alias(text[i + 1])
                        if pdf_glyphs.ensure(chosen, alias) and pdf_glyphs.ensure(chosen, silent):
                            char = alias + silent
                            skip = i + 1
                    elif pdf_glyphs.ensure(chosen, alias):
                        char = alias
            if chosen != face:
                flush()
                face = chosen
            if char in _EXOTIC_SPACES:
                self.exotic_spaces = True
            chars.append(char)
        flush()
