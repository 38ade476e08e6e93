"""The PDF renderer: a document tree to A4 (or Letter) PDF bytes with ReportLab Platypus.

The story is built first (pdf_story), then written in one pass. Page furniture
(running header, footer with "page N of M") is drawn on each page as a form
XObject that is defined at save time, when the page count is known; unlike
buffering pages, this keeps every outline entry on its own page.
"""

from __future__ import annotations

import calendar
import copy
import datetime
import hashlib
import io
import logging
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from reportgen.deferred_imports import REPORTLAB_LAZY, REPORTLAB_UNUSED, import_deferring

# before anything imports ReportLab's platypus: two patterns reportgen never uses stay
# uncompiled, and Pillow's Image module unloaded until something draws a bitmap
import_deferring("reportlab.platypus", REPORTLAB_UNUSED, REPORTLAB_LAZY)

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas, _annFormat
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from reportgen import doctree as dt
from reportgen.renderers import DEFAULT_OPTIONS, RenderOptions
from reportgen.renderers.pdf_fallback import Fallback, fallback_chain
from reportgen.renderers.pdf_flate import deflate_page
from reportgen.renderers.pdf_fonts import FontSet, bundled_fonts, utf16_to_unicode_maps
from reportgen.renderers.pdf_linebreak import KinsokuParagraph, set_char_space
from reportgen.renderers.pdf_lines import CHAR_SPACE_CALLBACK
from reportgen.renderers.pdf_markup import MarkupWriter
from reportgen.renderers.pdf_story import (
    ACCENT,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    RULE,
    StoryBuilder,
    StyleSheet,
    page_size,
    stylesheet,
)

log = logging.getLogger(__name__)

CREATOR = "reportgen"
FOOTER_BASELINE = 13 * mm  # above the page's bottom edge
HEADER_FROM_TOP = 14 * mm  # the running header's baseline, below the page's top edge

MissingGlyph = Callable[[str, "str | None"], None]


def render(
    document: dt.Document,
    options: RenderOptions = DEFAULT_OPTIONS,
    *,
    on_missing_glyph: MissingGlyph | None = None,
) -> bytes:
    """The complete PDF of a document.

    Characters the bundled fonts lack are looked up in the fallback chain
    (``options.font_dirs``, then system fonts). ``on_missing_glyph(char, path)``
    (or ``options.on_missing_glyph``) is called once for every character and
    event-file path (None when the text has none) that no font can draw; the
    character is kept, so nothing is lost silently. Without a callback, missing
    characters are logged as one warning.
    """
    if document.page.style == "jianbao":  # the 简报 look: GB/T 9704 page, faces, 报头 and 报尾
        from reportgen.renderers.pdf_jianbao import render as render_jianbao

        return render_jianbao(document, options, on_missing_glyph=on_missing_glyph)
    report = on_missing_glyph or options.on_missing_glyph
    fonts = bundled_fonts()
    meta = document.metadata
    # --paper (anything but the default) wins over the template's choice
    size = page_size(options.paper if options.paper != "a4" else document.page.paper)
    styles = stylesheet(fonts, meta.is_cjk)
    writer = MarkupWriter(
        fonts,
        meta.is_cjk,
        _anchor_keys(document.blocks),
        report,
        fallback=_fallbacks(document, fonts, options),
    )
    bullet = "•" if fonts.covers(fonts.base(cjk=False), "•") else "·"
    margins = _margins(document.page)  # the template's, or the renderer's own
    frame_width = size[0] - margins[1] - margins[3]
    story = StoryBuilder(fonts, styles, writer, bullet, frame_width).build(document.blocks)
    furniture = _Furniture(document, styles, writer, size, margins)
    data = _write(story, meta, fonts.base(cjk=meta.is_cjk), furniture, size, margins)
    _warn_missing(writer, report)
    return data


def _fallbacks(
    document: dt.Document, fonts: FontSet, options: RenderOptions
) -> dict[str, Fallback | None]:
    """Faces of the fallback chain for every character of the document the bundled fonts lack.

    One pass over the text before any markup is made, so that each fallback
    font is cut (a CFF font) or loaded once with every character it must give.
    """
    chars: set[str] = set()
    for text in _texts(document):
        chars.update(text)
    regular, bold = fonts.chooser(False, False, False), fonts.chooser(True, False, False)
    lacking = [
        c
        for c in chars
        if (regular[c] is None or bold[c] is None)
        and unicodedata.category(c) not in ("Cc", "Cf", "Zs", "Zl", "Zp", "Cs")
    ]
    if not lacking:
        return {}
    exclude = font_dir()
    return fallback_chain(options.font_dirs, exclude=exclude).resolve(lacking)


def font_dir() -> Any:
    """The directory of the bundled fonts (never searched again as a fallback)."""
    from reportgen.resources import resource_dir

    return resource_dir("fonts")


def _texts(document: dt.Document) -> Iterator[str]:
    """Every text of a document's spans (including the running header and footer)."""
    yield from _block_texts(document.blocks)
    yield from _inline_texts(document.header)
    yield from _inline_texts(document.footer)


def _inline_texts(nodes: tuple[dt.Inline, ...]) -> Iterator[str]:
    for node in nodes:
        if isinstance(node, dt.Span):
            yield node.text
        elif isinstance(node, (dt.Strong, dt.Emphasis, dt.Link)):
            yield from _inline_texts(node.children)
        elif isinstance(node, dt.CiteRef):
            yield node.label


def _block_texts(nodes: tuple[dt.Block, ...]) -> Iterator[str]:
    for block in nodes:
        if isinstance(block, (dt.Title, dt.Heading, dt.Paragraph)):
            yield from _inline_texts(block.children)
        elif isinstance(block, dt.BulletList):
            yield from _block_texts(block.items)
        elif isinstance(block, dt.FigureGroup):
            for fig in block.figures:
                for part in (fig.value, fig.label, fig.note, fig.secondary_label):
                    yield from _inline_texts(part)
        elif isinstance(block, dt.Table):
            for row in (block.header, *block.rows):
                for cell in row:
                    yield from _inline_texts(cell)
        elif isinstance(block, dt.Aligned):
            for row in block.rows:
                yield from _block_texts(row)


def _margins(page: dt.PageSetup) -> tuple[float, float, float, float]:
    """Top, right, bottom, left in points: the template's (manifest) margins, else the defaults."""
    if page.margins_mm is None:
        return (MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT)
    top, right, bottom, left = (m * mm for m in page.margins_mm)
    return (top, right, bottom, left)


def _write(
    story: list[Flowable],
    meta: dt.Metadata,
    font: str,
    furniture: Any,
    size: tuple[float, float],
    margins: tuple[float, float, float, float],
    *,
    slack: float = 0.0,
) -> bytes:
    """Lay out and write a story in one pass: one frame, furniture stamped on every page.

    Both looks write through here. ``furniture.draw(canvas, page, total)`` stamps
    each page; ``slack`` lets the frame reach that far below the bottom margin.
    """
    out = io.BytesIO()
    top, right, bottom, left = margins
    doc = BaseDocTemplate(
        out,
        pagesize=size,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=meta.title,
        subject=meta.subject,
        keywords=list(meta.keywords),
        author=meta.author,
        creator=CREATOR,
        lang=meta.lang,
        invariant=1,
        initialFontName=font,  # never an unembedded Helvetica, not even in the preamble
        initialFontSize=10,
        initialLeading=12,
    )
    frame = _Frame(
        left,
        bottom - slack,
        size[0] - left - right,
        size[1] - top - bottom + slack,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=size)])

    def canvasmaker(*args: Any, **kwargs: Any) -> _PageCanvas:
        return _PageCanvas(*args, furniture=furniture, **kwargs)

    try:
        with utf16_to_unicode_maps():
            doc.build(story, canvasmaker=canvasmaker)
    finally:
        # The template names itself in its namespace (a cycle that keeps the canvas and every PDF
        # object alive until the garbage collector looks): freed now, when the last reference goes.
        doc._nameSpace.pop("doc", None)
    return out.getvalue()


_ATOMIC = (int, float, str, bool, type(None))


class _Frame(Frame):
    """A Frame whose deep copy skips the numbers: ``KeepTogether`` deep-copies the frame at every wrap."""

    # Platypus asks ``getattr(frame, "_generated_content", None)`` after every flowable, and Frame's
    # __getattr__ answers a missing attribute by raising; a class default answers at once (the same None).
    _generated_content: list[Any] | None = None

    def __deepcopy__(self, memo: dict[int, Any]) -> _Frame:
        new = object.__new__(type(self))
        memo[id(self)] = new
        new.__dict__.update(
            (k, v if type(v) in _ATOMIC else copy.deepcopy(v, memo)) for k, v in self.__dict__.items()
        )
        return new


def _warn_missing(writer: MarkupWriter, report: Any) -> None:
    """Without a callback, characters no font could draw are logged once per document."""
    if writer.missing and report is None:
        chars = "".join(sorted({char for char, _ in writer.missing}))
        log.warning("the PDF fonts have no glyph for %r", chars)


def _anchor_keys(blocks: tuple[dt.Block, ...]) -> dict[str, str]:
    """A PDF destination name for every anchor in the tree (tree anchors may hold any text)."""
    keys: dict[str, str] = {}

    def add(anchor: str | None) -> None:
        if anchor is not None and anchor not in keys:
            keys[anchor] = f"rg-a{len(keys) + 1}"

    for block in blocks:
        if isinstance(block, (dt.Heading, dt.Paragraph)):
            add(block.anchor)
        elif isinstance(block, dt.BulletList):
            for item in block.items:
                add(item.anchor)
    return keys


@dataclass(slots=True)
class _Furniture:
    """The running header and the footer of one document, drawn once the page count is known."""

    document: dt.Document
    styles: StyleSheet
    writer: MarkupWriter
    size: tuple[float, float]
    margins: tuple[float, float, float, float] = (MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT)

    def draw(self, canvas: Canvas, page: int, total: int) -> None:
        left, right = self.margins[3], self.size[0] - self.margins[1]
        width = right - left
        header_baseline = self.size[1] - HEADER_FROM_TOP
        canvas.setLineWidth(0.4)
        canvas.setStrokeColor(RULE)
        if self.document.footer:
            para = self._para(self.document.footer, "running", page, total)
            _, h = para.wrap(width, 100)
            canvas.line(left, FOOTER_BASELINE + 11, right, FOOTER_BASELINE + 11)
            para.drawOn(canvas, left, FOOTER_BASELINE - h + 8)
        if self.document.header and page > 1:
            para = self._para(self.document.header, "running_left", page, total)
            para.wrap(width, 100)
            para.drawOn(canvas, left, header_baseline - 2)
            canvas.setStrokeColor(ACCENT)
            canvas.line(left, header_baseline - 5, right, header_baseline - 5)

    def _para(
        self, inlines: tuple[dt.Inline, ...], style: str, page: int, total: int
    ) -> KinsokuParagraph:
        # no links: annotations cannot live in a form
        base = self.styles.get(style, False).fontName
        m = self.writer.markup(inlines, base, links=False, page=page, total=total)
        return KinsokuParagraph(m, self.styles.get(style, m.cjk))


def _timestamp(created: str | None) -> TimeStamp:
    """The PDF's creation date: the day the document is about, as in the DOCX.

    Without one, ReportLab's invariant stamp: SOURCE_DATE_EPOCH, else 2000-01-01.
    Never the clock.
    """
    stamp = TimeStamp(invariant=1)
    if created:
        day = datetime.date.fromisoformat(created[:10])
        stamp.t = calendar.timegm(day.timetuple())
        stamp.lt = time.gmtime(stamp.t)
        stamp.YMDhms = tuple(stamp.lt)[:6]
    return stamp


class _LinkAnnotation(pdfdoc.LinkAnnotation):
    """A link to a destination in the document, written in one step.

    ReportLab builds, checks and sorts a dictionary for every link annotation
    when it writes the file (about 2 % of a warm PDF with 18 links); the bytes of
    the usual one (no colour, no extra keys, no contents) are written directly.
    """

    def format(self, document: Any) -> bytes:
        if (
            self.otherkw
            or self.Contents
            or type(self.Rect) is not tuple
            or type(self.Border) is not pdfdoc.PDFArray
            or rl_config.pdfMultiLine
            or type(document.encrypt) is not pdfdoc.NoEncryption
        ):
            return super().format(document)  # type: ignore[no-any-return]
        write = pdfdoc.format  # looked up now: the writer swapped in while reportgen writes
        return (
            b"<<\n/Border "
            + write(self.Border, document)
            + b" /Contents () /Dest "
            + write(self.Destination, document)
            + b" /Rect "
            + write(pdfdoc.PDFArray(self.Rect), document)
            + b" /Subtype /Link /Type /Annot\n>>"
        )


class _PageCanvas(Canvas):
    """A canvas that stamps each page with its furniture form and keeps the outline levels sane."""

    def __init__(self, *args: Any, furniture: _Furniture, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stamp = self._doc._timeStamp = _timestamp(furniture.document.metadata.created)
        # ReportLab seeds the file /ID with its own stamp: seed it with ours, as it would have
        self._doc.signature = hashlib.md5(b"a reportlab document", usedforsecurity=False)
        self._doc.signature.update(ascii(stamp.t).encode())
        self._furniture = furniture
        self._outline_level = -1
        self._has_outline = False
        self._pages = 0
        self.setNamedCB(CHAR_SPACE_CALLBACK, set_char_space)

    # The graphics state saveState keeps, as one tuple (ReportLab copies it name by name into a dict).
    _state_of = staticmethod(itemgetter(*Canvas.STATE_ATTRIBUTES))

    def push_state_stack(self) -> None:
        self.state_stack.append(self._state_of(self.__dict__))
        self._extgstate = self._extgstate.pushCopy()

    def pop_state_stack(self) -> None:
        self.__dict__.update(zip(self.STATE_ATTRIBUTES, self.state_stack.pop()))

    def linkRect(  # noqa: N802 (ReportLab's name)
        self,
        contents: str,
        destinationname: str,
        Rect: Any = None,  # noqa: N803
        addtopage: int = 1,
        name: str | None = None,
        relative: int = 1,
        thickness: float = 0,
        color: Any = None,
        dashArray: Any = None,  # noqa: N803
        **kw: Any,
    ) -> None:
        """ReportLab's ``linkRect``, with an annotation that writes itself in one step."""
        destination = self._bookmarkReference(destinationname)
        kw["Rect"] = self._absRect(Rect, relative)
        kw["Contents"] = contents
        kw["Destination"] = destination
        _annFormat(kw, color, thickness, dashArray)
        self._addAnnotation(_LinkAnnotation(**kw), name, addtopage)

    def add_outline(self, title: str, key: str, level: int) -> None:
        """An outline entry; a level never deeper than one below the previous entry."""
        level = max(0, min(level, self._outline_level + 1))
        self._outline_level = level
        self._has_outline = True
        self.addOutlineEntry(title, key, level=level, closed=False)

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages += 1
        self.saveState()
        self.doForm(_form_name(self._pages))
        self.restoreState()
        super().showPage()
        deflate_page(self._doc.Pages.pages[-1])

    def save(self) -> None:
        total = self._pages
        for page in range(1, total + 1):
            self.beginForm(_form_name(page))
            self._furniture.draw(self, page, total)
            self.endForm()
        if self._has_outline:
            self.showOutline()  # open the viewer's bookmarks panel
        super().save()


def _form_name(page: int) -> str:
    return f"rg-page{page}"
