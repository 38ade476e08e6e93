"""The PDF renderer: a document tree to A4 PDF bytes with ReportLab Platypus.

The story is built first (pdf_story), then written in one pass. Page furniture
(running header, footer with "page N of M") is drawn on each page as a form
XObject that is defined at save time, when the page count is known; unlike
buffering pages, this keeps every outline entry on its own page.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from reportgen import doctree as dt
from reportgen.renderers import DEFAULT_OPTIONS, RenderOptions
from reportgen.renderers.pdf_fonts import bundled_fonts, utf16_to_unicode_maps
from reportgen.renderers.pdf_linebreak import CHAR_SPACE_CALLBACK, KinsokuParagraph, set_char_space
from reportgen.renderers.pdf_markup import MarkupWriter
from reportgen.renderers.pdf_story import (
    ACCENT,
    FRAME_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_SIZE,
    RULE,
    StoryBuilder,
    StyleSheet,
    stylesheet,
)

log = logging.getLogger(__name__)

CREATOR = "reportgen"
FOOTER_BASELINE = 13 * mm  # above the page's bottom edge
HEADER_BASELINE = PAGE_SIZE[1] - 14 * mm

MissingGlyph = Callable[[str, str], None]


def render(
    document: dt.Document,
    options: RenderOptions = DEFAULT_OPTIONS,
    *,
    on_missing_glyph: MissingGlyph | None = None,
) -> bytes:
    """The complete PDF of a document.

    ``on_missing_glyph(char, context)`` is called once for every character the
    bundled fonts cannot draw (with the text of the paragraph it is in); the
    character is kept, so nothing is lost silently. Without a callback, missing
    characters are logged as one warning.
    """
    fonts = bundled_fonts()
    meta = document.metadata
    styles = stylesheet(fonts, meta.is_cjk)
    writer = MarkupWriter(fonts, meta.is_cjk, _anchor_keys(document.blocks), on_missing_glyph)
    bullet = "•" if fonts.covers(fonts.base(cjk=False), "•") else "·"
    story = StoryBuilder(fonts, styles, writer, bullet).build(document.blocks)
    data = _write(story, meta, fonts.base(cjk=meta.is_cjk), _Furniture(document, styles, writer))
    if writer.missing and on_missing_glyph is None:
        chars = "".join(sorted({char for char, _ in writer.missing}))
        log.warning("the PDF fonts have no glyph for %r", chars)
    return data


def _write(story: list[Flowable], meta: dt.Metadata, font: str, furniture: _Furniture) -> bytes:
    """Lay out and write a story in one pass: A4, one frame, furniture stamped on every page."""
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
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
    frame = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        FRAME_WIDTH,
        PAGE_SIZE[1] - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=PAGE_SIZE)])

    def canvasmaker(*args: Any, **kwargs: Any) -> _PageCanvas:
        return _PageCanvas(*args, furniture=furniture, **kwargs)

    with utf16_to_unicode_maps():
        doc.build(story, canvasmaker=canvasmaker)
    return out.getvalue()


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

    def draw(self, canvas: Canvas, page: int, total: int) -> None:
        left, right = MARGIN_LEFT, PAGE_SIZE[0] - MARGIN_RIGHT
        canvas.setLineWidth(0.4)
        canvas.setStrokeColor(RULE)
        if self.document.footer:
            para = self._para(self.document.footer, "running", page, total)
            _, h = para.wrap(FRAME_WIDTH, 100)
            canvas.line(left, FOOTER_BASELINE + 11, right, FOOTER_BASELINE + 11)
            para.drawOn(canvas, left, FOOTER_BASELINE - h + 8)
        if self.document.header and page > 1:
            para = self._para(self.document.header, "running_left", page, total)
            para.wrap(FRAME_WIDTH, 100)
            para.drawOn(canvas, left, HEADER_BASELINE - 2)
            canvas.setStrokeColor(ACCENT)
            canvas.line(left, HEADER_BASELINE - 5, right, HEADER_BASELINE - 5)

    def _para(
        self, inlines: tuple[dt.Inline, ...], style: str, page: int, total: int
    ) -> KinsokuParagraph:
        # no links: annotations cannot live in a form
        base = self.styles.get(style, False).fontName
        m = self.writer.markup(inlines, base, links=False, page=page, total=total)
        return KinsokuParagraph(m.text, self.styles.get(style, m.cjk))


class _PageCanvas(Canvas):
    """A canvas that stamps each page with its furniture form and keeps the outline levels sane."""

    def __init__(self, *args: Any, furniture: _Furniture, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._outline_level = -1
        self._has_outline = False
        self._pages = 0
        self.setNamedCB(CHAR_SPACE_CALLBACK, set_char_space)

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
