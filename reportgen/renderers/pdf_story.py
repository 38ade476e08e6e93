"""Paragraph styles and the Platypus story of a document: one flowable (or table) per block."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, HRFlowable, Spacer, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from reportgen import doctree as dt
from reportgen.renderers.pdf_fonts import FontSet
from reportgen.renderers.pdf_linebreak import KinsokuParagraph
from reportgen.renderers.pdf_markup import Markup, MarkupWriter

PAGE_SIZE = A4
MARGIN_LEFT = MARGIN_RIGHT = 24 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 24 * mm
FRAME_WIDTH = PAGE_SIZE[0] - MARGIN_LEFT - MARGIN_RIGHT
PAPER_SIZES = {"a4": A4, "letter": LETTER}


def page_size(paper: str) -> tuple[float, float]:
    """Width and height in points of a paper size name ("a4", "letter")."""
    return PAPER_SIZES[paper.lower()]

ACCENT = colors.HexColor("#1f3a5f")
TINT = colors.HexColor("#eef2f7")
TILE = colors.HexColor("#f1f4f8")
RULE = colors.HexColor("#c5cfdb")
MUTED = colors.HexColor("#5b6470")
INK = colors.HexColor("#1a1a1a")


# ---------------------------------------------------------------- styles


@dataclass(frozen=True, slots=True)
class StyleSheet:
    """Named paragraph styles of one document language, each in a Latin and a CJK variant."""

    latin: dict[str, ParagraphStyle]
    cjk: dict[str, ParagraphStyle]

    def get(self, name: str, cjk: bool) -> ParagraphStyle:
        return (self.cjk if cjk else self.latin)[name]


@cache
def stylesheet(fonts: FontSet, cjk_document: bool) -> StyleSheet:
    """The styles of a Chinese or a Western document (built once per process)."""
    regular, bold = fonts.base(cjk=cjk_document), fonts.base(cjk=cjk_document, bold=True)
    bullet_face = fonts.base(cjk=False)
    size = 10.5
    lead = 1.72 if cjk_document else 1.4  # Chinese needs more air between lines
    indent = 2 * size if cjk_document else 0  # 首行缩进两字符

    def style(name: str, **kw: Any) -> ParagraphStyle:
        fs = kw.pop("fontSize", size)
        kw.setdefault("leading", round(fs * lead, 1))
        kw.setdefault("fontName", regular)
        kw.setdefault("textColor", INK)
        return ParagraphStyle(
            name,
            fontSize=fs,
            bulletFontName=bullet_face,
            bulletFontSize=fs,
            allowWidows=0,
            allowOrphans=0,
            **kw,
        )

    heading_lead = 1.45 if cjk_document else 1.25
    # Chinese is set flush to both margins; English, without hyphenation, ragged right.
    body_align = TA_JUSTIFY if cjk_document else TA_LEFT
    styles = [
        style("body", alignment=body_align, firstLineIndent=indent, spaceAfter=5),
        style("point", alignment=body_align, firstLineIndent=indent, spaceAfter=5),
        style(
            "title",
            fontName=bold,
            fontSize=21,
            leading=21 * heading_lead,
            textColor=ACCENT,
            spaceBefore=4,
            spaceAfter=6,
            keepWithNext=1,
            alignment=TA_LEFT,
        ),
        style(
            "subtitle",
            fontSize=13,
            leading=13 * heading_lead,
            textColor=MUTED,
            spaceAfter=8,
            keepWithNext=1,
        ),
        style(
            "h1",
            fontName=bold,
            fontSize=14,
            leading=14 * heading_lead,
            textColor=ACCENT,
            spaceBefore=14,
            spaceAfter=6,
            keepWithNext=1,
        ),
        style(
            "h2",
            fontName=bold,
            fontSize=12,
            leading=12 * heading_lead,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        style(
            "h3",
            fontName=bold,
            fontSize=10.5,
            leading=10.5 * heading_lead,
            textColor=INK,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        ),
        style("masthead", fontSize=9.5, leading=14, textColor=colors.white),
        style("meta", fontSize=9, leading=14, textColor=MUTED, spaceAfter=1),
        style("summary", alignment=body_align, spaceAfter=3),
        style(
            "source",
            fontSize=8.5,
            leading=8.5 * lead,
            leftIndent=2.2 * 8.5,
            firstLineIndent=-2.2 * 8.5,
            spaceAfter=3,
        ),
        style("keywords", fontSize=9, leading=9 * lead, textColor=MUTED, spaceBefore=6),
        style("note", fontSize=8, leading=8 * lead, textColor=MUTED, spaceBefore=4),
        style("figure_value", fontName=bold, fontSize=17, leading=22, textColor=ACCENT),
        style("figure_value_long", fontName=bold, fontSize=13, leading=17, textColor=ACCENT),
        style("figure_label", fontSize=9, leading=9 * 1.45, spaceBefore=2),
        style("figure_note", fontSize=7.5, leading=7.5 * 1.45, textColor=MUTED, spaceBefore=2),
        style("cell", fontSize=9, leading=9 * (lead - 0.1)),
        style("cell_head", fontName=bold, fontSize=9, leading=9 * (lead - 0.1)),
        style("running", fontSize=8, leading=11, textColor=MUTED, alignment=TA_CENTER),
        style("running_left", fontSize=8, leading=11, textColor=MUTED, alignment=TA_LEFT),
    ]
    latin = {s.name: s for s in styles}
    for name in ("body", "point", "summary", "source", "keywords", "note", "meta"):
        base = latin[name]
        # list items: the bullet hangs in the indent; no first-line indent
        latin[f"{name}_item"] = ParagraphStyle(
            f"{name}_item",
            parent=base,
            firstLineIndent=0,
            leftIndent=base.leftIndent + 1.4 * base.fontSize,
            bulletIndent=base.leftIndent + 0.3 * base.fontSize,
            spaceAfter=2,
        )
    cjk = {n: ParagraphStyle(n, parent=s, wordWrap="CJK") for n, s in latin.items()}
    return StyleSheet(latin, cjk)


# ---------------------------------------------------------------- flowables


class HeadingParagraph(KinsokuParagraph):
    """A heading that puts itself in the PDF outline, pointing at where it is drawn."""

    outline: tuple[str, str, int] | None = None  # (title, destination, level)

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        if self.outline is not None:
            title, key, level = self.outline
            canvas.bookmarkHorizontal(key, 0, y + self.height + self.style.fontSize * 0.5)
            add = getattr(canvas, "add_outline", None)
            if add is not None:
                add(title, key, level)
            else:  # pragma: no cover - a foreign canvas
                canvas.addOutlineEntry(title, key, level)
            self.outline = None  # once, even if drawn again
        super().drawOn(canvas, x, y, _sW)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        parts = super().split(availWidth, availHeight)
        if parts and parts[0] is not self:
            parts[0].outline = self.outline
        return parts


@cache
def secondary_style(style: ParagraphStyle, cjk: bool, on_dark: bool = False) -> ParagraphStyle:
    """The subordinate variant of a style: 85 % size, muted colour, no first-line indent.

    Latin text is set ragged right: justified without hyphenation it gapes.
    """
    size = round(style.fontSize * 0.85, 1)
    return ParagraphStyle(
        f"{style.name}_secondary",
        parent=style,
        fontSize=size,
        leading=round(style.leading * 0.85, 1),
        textColor=style.textColor if on_dark else MUTED,
        firstLineIndent=0,
        spaceBefore=0,
        alignment=style.alignment if cjk else TA_LEFT,
    )


@cache
def left_aligned(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_left", parent=style, alignment=TA_LEFT)


@dataclass(slots=True)
class StoryBuilder:
    """Blocks to flowables for one document (per-node work; the orchestration is in pdf.py)."""

    fonts: FontSet
    styles: StyleSheet
    writer: MarkupWriter
    bullet: str
    frame_width: float = FRAME_WIDTH
    _heading_keys: int = field(default=0)

    def build(self, blocks: tuple[dt.Block, ...]) -> list[Flowable]:
        story: list[Flowable] = []
        for block in blocks:
            if isinstance(block, dt.Heading) and block.anchor == dt.CONTENTS_ANCHOR:
                continue  # the PDF outline is the contents; a 3-page briefing keeps its space
            story.extend(self.block(block))
        return story or [Spacer(1, 1)]  # an empty document is still one (empty) page

    # -- blocks

    def block(self, block: dt.Block) -> list[Flowable]:
        if isinstance(block, dt.Title):
            return [self.para(block.children, "title", bold=True, lang=block.lang, secondary=block.secondary)]
        if isinstance(block, dt.Heading):
            return [self.heading(block)]
        if isinstance(block, dt.Paragraph):
            return self.paragraph(block)
        if isinstance(block, dt.BulletList):
            return [self.item(p) for p in block.items]
        if isinstance(block, dt.FigureGroup):
            return self.figures(block) if block.figures else []
        if isinstance(block, dt.Table):
            return self.table(block)
        if isinstance(block, dt.Rule):
            thick = block.weight == "thick"
            color = ACCENT if block.color == "accent" else INK
            return [HRFlowable(width="100%", thickness=2 if thick else 0.6, color=color, spaceBefore=4, spaceAfter=6)]
        if isinstance(block, dt.SplitLine):
            return [self.split_line(block)]
        if isinstance(block, dt.Aligned):
            return self.aligned(block)
        raise TypeError(f"unknown block {block!r}")  # pragma: no cover - the tree is closed

    def heading(self, block: dt.Heading) -> Flowable:
        level = max(1, block.level)
        style_name = f"h{min(level, 3)}"
        m = self.writer.markup(
            block.children, self.styles.get(style_name, False).fontName, bold=True, lang=block.lang
        )
        para = HeadingParagraph(m, self._style(style_name, m.cjk, block.secondary))
        if block.secondary:  # a translation of the heading above: not an outline entry of its own
            return para
        key = self.writer.anchors.get(block.anchor) if block.anchor else None
        if key is None or not self.writer.claim(block.anchor):
            self._heading_keys += 1
            key = f"rg-h{self._heading_keys}"
        title = " ".join(dt.plain_text(block.children).split())
        para.outline = (title, key, level - 1)
        return para

    def paragraph(self, block: dt.Paragraph) -> list[Flowable]:
        role = block.role if block.role in self.styles.latin else "body"  # roles of other styles
        if role == "masthead":
            return [self.band(block)]
        if role == "summary":
            return [self.boxed(block)]
        return [self.para(block.children, role, anchor=block.anchor, lang=block.lang, secondary=block.secondary)]

    def item(self, block: dt.Paragraph) -> Flowable:
        role = block.role if f"{block.role}_item" in self.styles.latin else "body"
        if block.secondary:  # the translation of the item above: no bullet of its own
            return self.para(block.children, f"{role}_item", anchor=block.anchor, lang=block.lang, secondary=True)
        return self.para(
            block.children, f"{role}_item", anchor=block.anchor, bullet=self.bullet, lang=block.lang
        )

    def split_line(self, block: dt.SplitLine) -> Flowable:
        """Text at the left margin and text at the right margin, on one line."""
        role = block.role if block.role in self.styles.latin else "meta"
        left = self.para(block.left, role)
        right = self.para(block.right, role)
        right.style = ParagraphStyle(f"{role}_right", parent=right.style, alignment=TA_RIGHT)
        half = self.frame_width / 2
        return self._table(
            [[left, right]], {"leftPadding": 0, "rightPadding": 0, "valign": "BOTTOM"}, colWidths=[half, half]
        )

    def aligned(self, block: dt.Aligned) -> list[Flowable]:
        """Side-by-side columns, one per language (左右对照)."""
        ncols = max([len(block.langs), *(len(r) for r in block.rows)] or [0])
        if ncols == 0 or not block.rows:
            return []
        gap = 12.0
        width = (self.frame_width - gap * (ncols - 1)) / ncols
        column = replace(self, frame_width=width)  # bands and boxes fit their column
        data = [
            [column.build((b,)) for b in row] + [[]] * (ncols - len(row)) for row in block.rows
        ]
        self._heading_keys = column._heading_keys
        cells = {"valign": "TOP", "leftPadding": 0, "rightPadding": gap, "topPadding": 0, "bottomPadding": 0}
        t = self._table(
            data, cells, [("RIGHTPADDING", (-1, 0), (-1, -1), 0)],
            colWidths=[width + gap] * (ncols - 1) + [width], hAlign="LEFT",
        )
        return [t]

    def band(self, block: dt.Paragraph) -> Flowable:
        """The masthead: a full-width dark band above the title."""
        inner = self.para(block.children, "masthead", anchor=block.anchor, lang=block.lang, secondary=block.secondary)
        t = self._table(
            [[inner]],
            {"leftPadding": 9, "rightPadding": 9, "topPadding": 5, "bottomPadding": 6},
            [("BACKGROUND", (0, 0), (-1, -1), ACCENT)],
            colWidths=[self.frame_width],
        )
        t.spaceAfter = 10
        return t

    def boxed(self, block: dt.Paragraph) -> Flowable:
        """The summary: a tinted box with an accent rule on its left."""
        inner = self.para(block.children, "summary", anchor=block.anchor, lang=block.lang, secondary=block.secondary)
        t = self._table(
            [[inner]],
            {"leftPadding": 11, "rightPadding": 11, "topPadding": 8, "bottomPadding": 7},
            [("BACKGROUND", (0, 0), (-1, -1), TINT), ("LINEBEFORE", (0, 0), (0, -1), 3, ACCENT)],
            colWidths=[self.frame_width],
        )
        t.spaceBefore = 6
        t.spaceAfter = 10
        return t

    def figures(self, block: dt.FigureGroup) -> list[Flowable]:
        """Key figures as tiles: 2–4 columns, value large and bold, label under it, note small."""
        n = len(block.figures)
        cols = max(2, n) if n <= 4 else (3 if n % 3 == 0 or n == 5 else 4)
        gap = 6
        width = (self.frame_width + gap) / cols
        cells: list[list[Any]] = []
        commands: list[tuple[Any, ...]] = []
        for i, fig in enumerate(block.figures):
            row, col = divmod(i, cols)
            if col == 0:
                cells.append([""] * cols)
            value_style = "figure_value"
            value_width = stringWidth(
                dt.plain_text(fig.value), self.styles.get(value_style, False).fontName, 17
            )
            if value_width > width - 2 * (8 + gap):  # would wrap: a size smaller
                value_style = "figure_value_long"
            tile: list[Flowable] = [
                self.para(fig.value, value_style, bold=True),
                self.para(fig.label, "figure_label"),
            ]
            if fig.secondary_label:
                tile.append(self.para(fig.secondary_label, "figure_label", secondary=True))
            if fig.note:
                tile.append(self.para(fig.note, "figure_note"))
            cells[row][col] = tile
            commands.append(("BACKGROUND", (col, row), (col, row), TILE))
            # a white frame around each tile makes the gaps between them
            commands.append(("BOX", (col, row), (col, row), gap, colors.white))
        padding = {"leftPadding": 8 + gap / 2, "rightPadding": 8 + gap / 2, "topPadding": 7 + gap / 2,
                   "bottomPadding": 8 + gap / 2}
        t = self._table(cells, {**padding, "valign": "TOP"}, commands, colWidths=[width] * cols, hAlign="LEFT")
        # the outer white frame would indent the tiles: pull them back to the margins
        t.spaceBefore = 4
        t.spaceAfter = 8
        return [_Outdent(t, gap / 2)]

    def table(self, block: dt.Table) -> list[Flowable]:
        """A data table: header row repeated on every page, wrapping cells."""
        ncols = max([len(block.header), *(len(r) for r in block.rows)] or [0])
        if ncols == 0:
            return []
        rows: list[tuple[tuple[dt.Inline, ...], ...]] = []
        if block.header:
            rows.append(tuple(block.header) + ((),) * (ncols - len(block.header)))
        rows.extend(tuple(r) + ((),) * (ncols - len(r)) for r in block.rows)
        header = bool(block.header)
        data = [
            [
                self.para(cell, "cell_head" if header and i == 0 else "cell", bold=header and i == 0)
                for cell in row
            ]
            for i, row in enumerate(rows)
        ]
        widths = self._column_widths(rows, pad=12)
        cells = {"valign": "TOP", "leftPadding": 6, "rightPadding": 6, "topPadding": 4, "bottomPadding": 5}
        commands: list[tuple[Any, ...]] = [
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ("LINEABOVE", (0, 0), (-1, 0), 0.9, ACCENT),
            ("LINEBELOW", (0, -1), (-1, -1), 0.9, ACCENT),
        ]
        if header:
            commands += [
                ("BACKGROUND", (0, 0), (-1, 0), TINT),
                ("LINEBELOW", (0, 0), (-1, 0), 0.7, ACCENT),
            ]
        # splitInRow: a cell taller than a page continues on the next one
        t = self._table(data, cells, commands, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
        t.spaceBefore = 4
        t.spaceAfter = 8
        return [t]

    # -- helpers

    def para(
        self,
        inlines: tuple[dt.Inline, ...],
        style: str,
        *,
        bold: bool = False,
        anchor: str | None = None,
        bullet: str | None = None,
        lang: str | None = None,
        secondary: bool = False,
    ) -> KinsokuParagraph:
        m: Markup = self.writer.markup(inlines, self.styles.get(style, False).fontName, bold=bold, lang=lang)
        key = self.writer.anchors.get(anchor) if anchor else None
        if key is not None and self.writer.claim(anchor):
            m = m.anchored(key)
        return KinsokuParagraph(m, self._style(style, m.cjk, secondary), bulletText=bullet)

    def _style(self, name: str, cjk: bool, secondary: bool) -> ParagraphStyle:
        """A role's style; the second language of a bilingual document is smaller and grey."""
        style = self.styles.get(name, cjk)
        if secondary:
            return secondary_style(style, cjk, on_dark=name == "masthead")
        if not cjk and style.alignment == TA_JUSTIFY:
            return left_aligned(style)  # a Latin block in a Chinese document
        return style

    def _table(
        self, data: list[list[Any]], cells: dict[str, Any], commands: Sequence[tuple[Any, ...]] = (), **options: Any
    ) -> Table:
        """A table whose every cell's style starts with ``cells`` (a cell taller than a page goes on to the next).

        ``cells`` are CellStyle attributes every cell shares (padding, vertical
        alignment), set as each cell's style is made: ReportLab applies a style
        command to each cell it covers in a Python call. The table's own face is
        never Helvetica, though its cells are Paragraphs (an empty tile is not).
        ``commands`` follow (backgrounds, lines, the style of some cells).
        """
        shared = {"fontname": self.styles.get("cell", False).fontName, "fontsize": 9, **cells}
        styles = []
        for i, row in enumerate(data):
            row_styles = []
            for j in range(len(row)):
                style = CellStyle(repr((i, j)))  # as the table names them
                style.__dict__.update(shared)
                row_styles.append(style)
            styles.append(row_styles)
        table = Table(data, cellStyles=styles, splitInRow=1, **options)
        if commands:
            table.setStyle(TableStyle(list(commands)))
        return table

    def _column_widths(
        self, rows: list[tuple[tuple[dt.Inline, ...], ...]], *, pad: float
    ) -> list[float]:
        """Share the frame width by each column's natural width, never below its longest word."""
        face, size = self.styles.get("cell", False).fontName, 9.0
        ncols = len(rows[0])
        natural = [pad + 12.0] * ncols
        minimum = [pad + 12.0] * ncols
        for row in rows:
            for c, cell in enumerate(row):
                text = dt.plain_text(cell)
                for line in text.split("\n"):
                    natural[c] = max(natural[c], pad + stringWidth(line, face, size))
                longest = max((stringWidth(w, face, size) for w in text.split()), default=0.0)
                # CJK text breaks anywhere: a word of it needs only a few characters
                minimum[c] = max(minimum[c], pad + min(longest, 4 * size * 2.2))
        frame = self.frame_width
        total = sum(natural)
        if total <= frame:
            return [w * frame / total for w in natural]
        base = sum(minimum)
        if base >= frame:
            return [w * frame / base for w in minimum]
        room = frame - base
        stretch = [n - m for n, m in zip(natural, minimum, strict=True)]
        total_stretch = sum(stretch) or 1.0
        return [m + room * s / total_stretch for m, s in zip(minimum, stretch, strict=True)]


class _Outdent(Flowable):
    """A flowable drawn ``dx`` beyond both margins (tiles whose white frames make the gaps)."""

    def __init__(self, inner: Flowable, dx: float) -> None:
        super().__init__()
        self.inner = inner
        self.dx = dx
        self.spaceBefore = getattr(inner, "spaceBefore", 0)
        self.spaceAfter = getattr(inner, "spaceAfter", 0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        w, h = self.inner.wrap(availWidth + 2 * self.dx, availHeight + 2 * self.dx)
        self.width, self.height = w - 2 * self.dx, h - 2 * self.dx
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts = self.inner.split(availWidth + 2 * self.dx, availHeight + 2 * self.dx)
        return [_Outdent(p, self.dx) for p in parts]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        self.inner.drawOn(canvas, x - self.dx, y - self.dx, _sW)

