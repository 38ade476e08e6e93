"""The 简报 look in PDF: GB/T 9704-2012 page, faces, 报头 and 报尾 (``PageSetup.style == "jianbao"``).

Geometry comes from the document's PageSetup (the template's manifest): paper,
margins, the grid (22 lines × 28 characters: the line pitch is the text
block's height over the lines, the character pitch its width over the
characters) and outer page numbers. Faces (bundled, see reportgen/fonts/README.md):

    role                 Chinese                         English
    banner, title        Noto Serif SC Bold (小标宋)       Noto Serif Bold
    body, 报/送, imprint  Noto Serif SC Light (仿宋)        Noto Serif
    heading 1 (一、)      Noto Sans SC Medium (黑体)        Noto Serif Bold
    heading 2 (（一）)    reportgen Kai (楷体)              Noto Serif Italic
    page number          Noto Serif SC (宋体)              Noto Serif SC digits

The grid faces are registered a second time with every em-wide glyph's
advance set to the grid's character pitch (156 mm / 28 at 16 pt: 15.79 pt, a
0.987 em advance), so 28 characters fill a line exactly, as Word's document
grid does; outlines are untouched, and the PDF's /Widths carry the pitch.

Block flowables shared with the default look (``Rule``, ``SplitLine``) are
``rule_flowable`` and ``split_flowable``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFNameBytes
from reportlab.platypus import Flowable, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from reportgen import doctree as dt
from reportgen.renderers import DEFAULT_OPTIONS, RenderOptions
from reportgen.renderers.page_foot import foot_start
from reportgen.renderers.pdf_fonts import (
    CJK_PUNCTUATION,
    WIDE,
    Coverage,
    FaceChooser,
    FontSet,
    _keep_tables,
    _load_font,
    bundled_fonts,
    coverage,
)
from reportgen.renderers.pdf_linebreak import KinsokuParagraph
from reportgen.renderers.pdf_markup import MarkupWriter
from reportgen.resources import font_path

# GB/T 9704-2012 §6: red is Y80% M80%; black is BL100%.
RED = colors.CMYKColor(0, 0.8, 0.8, 0)
INK = colors.black
GREY = colors.HexColor("#5b6470")

BODY_SIZE = 16.0  # 三号
TITLE_SIZE = 22.0  # 二号
SMALL_SIZE = 14.0  # 四号: 报尾, page numbers
BANNER_MAX, BANNER_MIN = 42.0, 22.0  # 初号 down to 二号: the banner shrinks to stay on one line
RULE_WEIGHTS = {("accent", "thick"): 0.5 * mm, ("accent", "thin"): 0.35 * mm, ("text", "thick"): 0.35 * mm, ("text", "thin"): 0.25 * mm}
PAGE_NUMBER_GAP = 7 * mm  # GB/T 9704 §7.5: the page number's line 7 mm below the text block

GB9704_MARGINS = (37.0, 26.0, 35.0, 28.0)  # top, right, bottom, left (mm): a 156 × 225 mm text block
GB9704_GRID = (22, 28)

FILES = {
    "fangsong": "NotoSerifSC-Light.ttf",
    "hei": "NotoSansSC-Medium.ttf",
    "kai": "ReportgenKai-Regular.ttf",
}


# ---------------------------------------------------------------- geometry


@dataclass(frozen=True, slots=True)
class Geometry:
    """The page in points: size, margins, text block, and the grid's pitches."""

    size: tuple[float, float]
    top: float
    right: float
    bottom: float
    left: float
    lines: int
    chars: int

    @property
    def width(self) -> float:
        return self.size[0] - self.left - self.right

    @property
    def height(self) -> float:
        return self.size[1] - self.top - self.bottom

    @property
    def line_pitch(self) -> float:
        """The grid's line pitch; Word's 579 twips (28.95 pt) for GB/T 9704's 225 mm / 22."""
        return int(self.height / self.lines * 20) / 20  # whole twips, as Word stores it

    @property
    def char_pitch(self) -> float:
        return self.width / self.chars

    @property
    def advance(self) -> int:
        """An em-wide glyph's advance (1000ths of an em) that puts ``chars`` 16 pt characters on a line."""
        return int(self.char_pitch / BODY_SIZE * 1000)  # rounded down: the last character always fits


def geometry(page: dt.PageSetup) -> Geometry:
    from reportgen.renderers.pdf_story import page_size

    top, right, bottom, left = page.margins_mm or GB9704_MARGINS
    lines, chars = page.grid or GB9704_GRID
    return Geometry(page_size(page.paper), top * mm, right * mm, bottom * mm, left * mm, lines, chars)


# ---------------------------------------------------------------- faces

_lock = threading.Lock()
_registered: dict[int, dict[str, str]] = {}


def grid_faces(advance: int) -> dict[str, str]:
    """Register the 简报 faces with em-wide advances set to ``advance`` (once per process and pitch)."""
    with _lock:
        faces = _registered.get(advance)
        if faces is None:
            faces = _registered[advance] = {
                role: _register(f"RGJB-{role}-{advance}", filename, advance) for role, filename in FILES.items()
            }
            # the bundled Song faces at the grid pitch too (body text outside the subsets, title)
            faces["song"] = _register(f"RGJB-song-{advance}", "NotoSerifSC-Regular.ttf", advance)
        return faces


_charsets: dict[str, Coverage] = {}


def _register(name: str, filename: str, advance: int) -> str:
    """Load a bundled face (through the parsed-face cache), set its em-wide advances to ``advance``, register it.

    ReportLab registers one font per PostScript name: a second font with the name
    of one already registered (the bundled Noto Serif SC, or this face at another
    pitch) would silently be the first one, widths and all. The face's name gets
    the pitch appended, so each grid face is its own font.
    """
    font = _load_font(name, font_path(filename))
    _keep_tables(font)
    face = font.face
    face.name = TTFNameBytes(face.name + f"-P{advance}".encode())
    face.charWidths = {cp: (advance if width == 1000 else width) for cp, width in face.charWidths.items()}
    if face.defaultWidth == 1000:
        face.defaultWidth = advance
    pdfmetrics.registerFont(font)
    _charsets[name] = coverage(font)
    return name


class RoleFonts(FontSet):
    """The faces of one role: a Han face, a Latin face, and the bundled Song face behind the Han one.

    The 简报 Han faces hold GB2312 and the 8105 standard characters; a rarer
    character comes from the bundled Song face (all of GBK), then the fallback chain.
    """

    def __init__(self, han: str, latin: str, backup: str, base: FontSet, *, latin_first: bool = True) -> None:
        charsets = {**base._charsets, **_charsets}
        latin_faces = {(b, i): latin for b in (False, True) for i in (False, True)}
        super().__init__(latin_faces, {False: han, True: han}, charsets)
        self.backup = backup
        self.latin_first = latin_first

    def chooser(self, bold: bool, italic: bool, cjk: bool) -> Any:
        key = (bold, italic, cjk)
        table = self._choosers.get(key)
        if table is None:
            table = self._choosers[key] = _LayeredChooser(self, cjk)
        return table


class _LayeredChooser(FaceChooser):
    def __init__(self, fonts: RoleFonts, cjk: bool) -> None:
        super().__init__()
        charsets = fonts._charsets
        han, latin, backup = fonts.cjk[False], fonts.latin[(False, False)], fonts.backup
        self.wide = [(f, charsets[f]) for f in (han, backup, latin)]
        self.narrow = [(f, charsets[f]) for f in ((latin, han, backup) if fonts.latin_first else (han, latin, backup))]
        self.cjk = cjk

    def __missing__(self, char: str) -> str | None:
        order = self.wide if WIDE.match(char) or (self.cjk and char in CJK_PUNCTUATION) else self.narrow
        face = next((f for f, chars in order if char in chars), None)
        self[char] = face
        return face


# ---------------------------------------------------------------- styles


@dataclass(slots=True)
class Look:
    """Styles and markup writers of one 简报 document."""

    geometry: Geometry
    cjk: bool
    writers: dict[str, MarkupWriter]
    styles: dict[str, ParagraphStyle]


def look(document: dt.Document, base_writer: MarkupWriter, geo: Geometry) -> Look:
    fonts = base_writer.fonts
    meta = document.metadata
    cjk = meta.is_cjk
    grid = grid_faces(geo.advance)
    song, song_bold = fonts.cjk[False], fonts.cjk[True]
    serif = {(b, i): fonts.latin[(b, i)] for b in (False, True) for i in (False, True)}

    def role(han: str, latin: str, backup: str = song, latin_first: bool = True) -> RoleFonts:
        return RoleFonts(han, latin, backup, fonts, latin_first=latin_first)

    faces = {
        "title": role(song_bold, serif[(True, False)], song_bold),
        "body": role(grid["fangsong"], serif[(False, False)], grid["song"]),
        "h1": role(grid["hei"], serif[(True, False)], grid["song"]),
        "h2": role(grid["kai"], serif[(False, True)] if not cjk else serif[(False, False)], grid["song"]),
        "number": role(song, song, song),
    }
    writers = {
        name: MarkupWriter(
            role_fonts, cjk, base_writer.anchors, base_writer.report, fallback=base_writer.fallback
        )
        for name, role_fonts in faces.items()
    }
    for writer in writers.values():  # one record of what was reported and placed for the whole document
        writer.missing = base_writer.missing
        writer.placed = base_writer.placed

    pitch = geo.line_pitch
    char = geo.char_pitch

    def face(name: str) -> str:
        return faces[name].base(cjk=cjk)

    def style(name: str, writer: str, **kw: Any) -> ParagraphStyle:
        kw.setdefault("fontSize", BODY_SIZE)
        kw.setdefault("leading", pitch)
        kw.setdefault("textColor", INK)
        return ParagraphStyle(
            name,
            fontName=face(writer),
            wordWrap="CJK" if cjk else None,
            allowWidows=1,
            allowOrphans=1,
            **kw,
        )

    body_align = TA_JUSTIFY if cjk else TA_LEFT
    small_char = char * SMALL_SIZE / BODY_SIZE if cjk else SMALL_SIZE
    styles = {
        "classification": style("classification", "h1", alignment=TA_LEFT),
        "banner": style("banner", "title", alignment=TA_CENTER, textColor=RED, fontSize=BANNER_MAX,
                        leading=BANNER_MAX * 1.25, spaceBefore=pitch * 0.5, spaceAfter=pitch * 0.25),
        "issue": style("issue", "body", alignment=TA_CENTER, spaceAfter=pitch * 0.25),
        "meta": style("meta", "body", alignment=TA_LEFT),
        "meta_right": style("meta_right", "body", alignment=TA_RIGHT),
        "title": style("title", "title", fontSize=TITLE_SIZE, alignment=TA_CENTER, spaceBefore=pitch * 2,
                       spaceAfter=pitch, leading=max(pitch, TITLE_SIZE * 1.3)),  # on page 1, under the 报头
        "title_secondary": style("title_secondary", "title", fontSize=BODY_SIZE, alignment=TA_CENTER,
                                 spaceAfter=pitch),
        "subtitle": style("subtitle", "h2", alignment=TA_CENTER, spaceAfter=pitch * 0.5, keepWithNext=1),
        "body": style("body", "body", alignment=body_align, firstLineIndent=2 * char),
        "h1": style("h1", "h1", alignment=TA_LEFT, firstLineIndent=2 * char, keepWithNext=1),
        "h2": style("h2", "h2", alignment=TA_LEFT, firstLineIndent=2 * char, keepWithNext=1),
        "h3": style("h3", "body", alignment=TA_LEFT, firstLineIndent=2 * char, keepWithNext=1),
        "item": style("item", "body", alignment=body_align, leftIndent=2 * char, firstLineIndent=0),
        "note": style("note", "body", fontSize=SMALL_SIZE, alignment=TA_LEFT, textColor=GREY),
        # 报尾 (GB/T 9704 §7.4): 四号, one character in at both sides; a second line aligns after "报："
        "distribution": style("distribution", "body", fontSize=SMALL_SIZE, alignment=TA_LEFT,
                              leftIndent=small_char + (2 * small_char if cjk else 0),
                              firstLineIndent=-(2 * small_char) if cjk else 0, rightIndent=small_char,
                              leading=pitch),
        "imprint": style("imprint", "body", fontSize=SMALL_SIZE, alignment=TA_LEFT, leftIndent=small_char),
        "imprint_right": style("imprint_right", "body", fontSize=SMALL_SIZE, alignment=TA_RIGHT, rightIndent=small_char),
        "number_odd": style("number_odd", "number", fontSize=SMALL_SIZE, alignment=TA_RIGHT, rightIndent=SMALL_SIZE,
                            leading=SMALL_SIZE * 1.2),
        "number_even": style("number_even", "number", fontSize=SMALL_SIZE, alignment=TA_LEFT, leftIndent=SMALL_SIZE,
                             leading=SMALL_SIZE * 1.2),
    }
    return Look(geo, cjk, writers, styles)


# which writer (faces) each style uses
_STYLE_WRITER = {
    "classification": "h1", "banner": "title", "title": "title", "title_secondary": "title", "subtitle": "h2", "h1": "h1", "h2": "h2",
    "number_odd": "number", "number_even": "number",
}

# paragraph roles of the default look, mapped onto 简报 styles
_ROLE_STYLE = {
    "body": "body", "summary": "body", "point": "body", "masthead": "issue", "meta": "body", "source": "note",
    "keywords": "note", "note": "note", "subtitle": "subtitle", "banner": "banner", "issue": "issue",
    "classification": "classification", "distribution": "distribution", "imprint": "imprint",
}


# ---------------------------------------------------------------- flowables


def rule_flowable(rule: dt.Rule, *, accent: Any, text: Any = INK, width: Any = "100%") -> Flowable:
    """A rule across the text block: ``accent`` colour (red in a 简报) or the text colour."""
    thickness = RULE_WEIGHTS[(rule.color, rule.weight)]
    return HRFlowable(
        width=width,
        thickness=thickness,
        color=accent if rule.color == "accent" else text,
        lineCap="butt",
        spaceBefore=2,
        spaceAfter=2,
        hAlign="CENTER",
        vAlign="MIDDLE",
    )


def split_flowable(left: Flowable, right: Flowable, left_width: float, right_width: float, width: float, font: str) -> Flowable:
    """Two paragraphs on one line, at the left and at the right margin."""
    right_col = min(max(right_width + 2, width * 0.2), width * 0.6)
    table = Table([[left, right]], colWidths=[width - right_col, right_col], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),  # never an unembedded Helvetica
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    return table


class FitOneLine(KinsokuParagraph):
    """A paragraph that shrinks its font (down to ``minimum``) to stay on one line, then wraps."""

    def __init__(self, text: Any, style: ParagraphStyle, minimum: float) -> None:
        super().__init__(text, style)
        self._text, self._minimum, self._fitted = text, minimum, False

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if not self._fitted:
            self._fitted = True
            size = self.style.fontSize
            natural = natural_width(self) / size  # per point of font size
            # one character's room for the gaps between Han and Latin text
            while size > self._minimum and natural * size > availWidth - size:
                size = max(self._minimum, size - 1)
            if size != self.style.fontSize:
                style = ParagraphStyle(self.style.name, parent=self.style, fontSize=size, leading=size * 1.25)
                KinsokuParagraph.__init__(self, self._text, style)
        return super().wrap(availWidth, availHeight)


def natural_width(para: KinsokuParagraph) -> float:
    """The width of a paragraph's text on one line (no wrapping, no indents)."""
    return sum(
        pdfmetrics.stringWidth(frag.text, frag.fontName, frag.fontSize)
        for frag in para.frags
        if getattr(frag, "text", None) and getattr(frag, "cbDefn", None) is None
    )


class BottomGroup(Flowable):
    """The 报尾: flowables kept together and set at the foot of the (last) page."""

    def __init__(self, flowables: list[Flowable]) -> None:
        super().__init__()
        self.flowables = flowables
        self._sizes: list[tuple[float, float, float, float]] = []
        self._natural = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._sizes = []
        total = 0.0
        for index, flowable in enumerate(self.flowables):
            w, h = flowable.wrap(availWidth, availHeight)
            before = flowable.getSpaceBefore() if index else 0.0
            after = flowable.getSpaceAfter() if index < len(self.flowables) - 1 else 0.0
            self._sizes.append((w, h, before, after))
            total += before + h + after
        self._natural = total
        self.width = availWidth
        self.height = max(total, availHeight) if total <= availHeight else total
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []  # never split: the whole 报尾 moves to the next page

    def draw(self) -> None:
        canvas = self.canv
        y = self._natural
        for flowable, (w, h, before, after) in zip(self.flowables, self._sizes, strict=True):
            y -= before + h
            align = getattr(flowable, "hAlign", "LEFT")
            x = (self.width - w) / 2 if align == "CENTER" and w < self.width else 0.0
            flowable.drawOn(canvas, x, y)
            y -= after


# ---------------------------------------------------------------- the story


@dataclass(slots=True)
class JianbaoStory:
    """Blocks to flowables in the 简报 look; other blocks (tables, figures) in the default look."""

    look: Look
    fallback_builder: Any  # a pdf_story.StoryBuilder for blocks the 简报 has no look of its own for
    _heading_keys: int = field(default=0)

    def build(self, blocks: tuple[dt.Block, ...]) -> list[Flowable]:
        start = foot_start(blocks)
        story: list[Flowable] = []
        for block in blocks[:start]:
            story.extend(self.block(block))
        if start < len(blocks):
            tail: list[Flowable] = []
            for block in blocks[start:]:
                tail.extend(self.block(block))
            story.append(BottomGroup(tail))
        return story or [Spacer(1, 1)]

    def block(self, block: dt.Block) -> list[Flowable]:
        if isinstance(block, dt.Title):  # a bilingual document's second title: 三号, close under the first
            return [self.para(block.children, "title_secondary" if block.secondary else "title")]
        if isinstance(block, dt.Heading):
            return [self.heading(block)]
        if isinstance(block, dt.Paragraph):
            return [self.paragraph(block)]
        if isinstance(block, dt.BulletList):
            return [self.para(item.children, "item", anchor=item.anchor, bullet="·") for item in block.items]
        if isinstance(block, dt.Rule):
            return [rule_flowable(block, accent=RED)]
        if isinstance(block, dt.SplitLine):
            return [self.split(block)]
        return list(self.fallback_builder.block(block))

    def paragraph(self, block: dt.Paragraph) -> Flowable:
        name = _ROLE_STYLE.get(block.role, "body")
        if name == "banner":
            writer = self.look.writers["title"]
            style = self.look.styles["banner"]
            m = writer.markup(block.children, style.fontName)
            return FitOneLine(m, self.look.styles["banner"], BANNER_MIN)
        return self.para(block.children, name, anchor=block.anchor)

    def heading(self, block: dt.Heading) -> Flowable:
        from reportgen.renderers.pdf_story import HeadingParagraph

        name = f"h{min(max(block.level, 1), 3)}"
        style = self.look.styles[name]
        writer = self.look.writers[_STYLE_WRITER.get(name, "body")]
        m = writer.markup(block.children, style.fontName)
        para = HeadingParagraph(m, style)
        key = writer.anchors.get(block.anchor) if block.anchor else None
        if key is None or not writer.claim(block.anchor):
            self._heading_keys += 1
            key = f"rg-jh{self._heading_keys}"
        para.outline = (" ".join(dt.plain_text(block.children).split()), key, max(block.level, 1) - 1)
        return para

    def split(self, block: dt.SplitLine) -> Flowable:
        left_name, right_name = ("imprint", "imprint_right") if block.role == "imprint" else ("meta", "meta_right")
        left = self.para(block.left, left_name)
        right = self.para(block.right, right_name)
        style = self.look.styles[right_name]
        # the right-hand text (a date) never wraps: its natural width, a little room for Han-Latin gaps
        right_width = natural_width(right) + style.rightIndent + 2 * style.fontSize
        table = split_flowable(left, right, 0, right_width, self.look.geometry.width, style.fontName)
        if block.role == "imprint":
            table.spaceBefore = table.spaceAfter = 0
        return table

    def para(
        self, inlines: tuple[dt.Inline, ...], name: str, *, anchor: str | None = None, bullet: str | None = None
    ) -> KinsokuParagraph:
        style = self.look.styles[name]
        writer = self.look.writers[_STYLE_WRITER.get(name, "body")]
        m = writer.markup(inlines, style.fontName)
        key = writer.anchors.get(anchor) if anchor else None
        if key is not None and writer.claim(anchor):
            m = m.anchored(key)
        return KinsokuParagraph(m, style, bulletText=bullet)


# ---------------------------------------------------------------- page furniture


@dataclass(slots=True)
class Furniture:
    """Outer page numbers (``— 1 —``: odd pages right, even pages left, one character in)."""

    document: dt.Document
    look: Look

    def draw(self, canvas: Any, page: int, total: int) -> None:
        footer = self.document.footer
        if not footer:
            return
        geo = self.look.geometry
        outer = self.document.page.page_numbers == "outer"
        name = "number_even" if outer and page % 2 == 0 else "number_odd"
        style = self.look.styles[name]
        if not outer:
            style = ParagraphStyle("number_centre", parent=style, alignment=TA_CENTER, leftIndent=0, rightIndent=0)
        m = self.look.writers["number"].markup(footer, style.fontName, links=False, page=page, total=total)
        para = KinsokuParagraph(m, style)
        _, height = para.wrap(geo.width, 100)
        # the top of the line box 7 mm below the text block
        para.drawOn(canvas, geo.left, geo.bottom - PAGE_NUMBER_GAP - height)


# ---------------------------------------------------------------- render


def render(document: dt.Document, options: RenderOptions = DEFAULT_OPTIONS, *, on_missing_glyph: Any = None) -> bytes:
    """The complete PDF of a 简报 document."""
    from reportgen.renderers import pdf as base
    from reportgen.renderers.pdf_story import StoryBuilder, stylesheet

    report = on_missing_glyph or options.on_missing_glyph
    fonts = bundled_fonts()
    meta = document.metadata
    setup = document.page
    if options.paper != DEFAULT_OPTIONS.paper:  # --paper overrides the template's paper
        from dataclasses import replace

        setup = replace(setup, paper=options.paper)
    geo = geometry(setup)
    writer = MarkupWriter(
        fonts, meta.is_cjk, base._anchor_keys(document.blocks), report, fallback=base._fallbacks(document, fonts, options)
    )
    the_look = look(document, writer, geo)
    bullet = "•" if fonts.covers(fonts.base(cjk=False), "•") else "·"
    default = StoryBuilder(fonts, stylesheet(fonts, meta.is_cjk), writer, bullet, geo.width)
    story = JianbaoStory(the_look, default).build(document.blocks)

    # the frame is the text block; a hair taller so that the 22nd line's rounding never pushes it over
    margins = (geo.top, geo.right, geo.bottom, geo.left)
    font = fonts.base(cjk=meta.is_cjk)
    data = base._write(story, meta, font, Furniture(document, the_look), geo.size, margins, slack=0.5)
    base._warn_missing(writer, report)
    return data


# ---------------------------------------------------------------- the default look


# Paragraph roles of the 简报 in a document of the default look: the nearest style it has.
BRIEFING_ROLE_STYLE = {
    "banner": "title", "issue": "subtitle", "classification": "meta", "distribution": "note", "imprint": "note",
}


def briefing_split(builder: Any, block: dt.SplitLine) -> Flowable:
    """A SplitLine in the default look (pdf_story.StoryBuilder): its role's style, left and right."""
    role = BRIEFING_ROLE_STYLE.get(block.role, block.role)
    if role not in builder.styles.latin:
        role = "body"
    left = builder.para(block.left, role)
    right = builder.para(block.right, role)
    right.style = ParagraphStyle(f"{role}_right", parent=right.style, alignment=TA_RIGHT, firstLineIndent=0)
    width = natural_width(right) + 2 * right.style.fontSize
    return split_flowable(left, right, 0, width, builder.frame_width, builder.styles.get("cell", False).fontName)
