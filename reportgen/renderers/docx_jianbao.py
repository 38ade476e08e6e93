"""The 简报 look in DOCX (``PageSetup.style == "jianbao"``), and the Rule / SplitLine blocks of every look.

A 简报 DOCX starts from the same reference document as every DOCX; its styles
are then rewritten to GB/T 9704-2012 and named after the faces Chinese offices
have (editors restyle them in Word or WPS as usual):

    style            face (East Asian / Latin)                  size   notes
    Normal, Body Text 仿宋_GB2312 / Times New Roman             三号 16  first line indented 2 characters
    Title            方正小标宋简体 / Times New Roman            二号 22  centred, two grid lines after the red rule
    Heading 1        黑体                                        三号     一、
    Heading 2        楷体_GB2312                                 三号     （一）
    Banner           方正小标宋简体, red                          up to 初号 42, one line
    Issue, Classification, Distribution (四号, 报：/送：), Imprint (四号), Footer (宋体 四号)

The font table gives every name a fallback Word and WPS use when the face is
missing (仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 方正小标宋简体 → 宋体). The
section has the manifest's page: A4, margins, and a document grid
(``w:docGrid type="linesAndChars"``) of 22 lines × 28 characters; page numbers
``— 1 —`` are PAGE fields in an odd footer (right) and an even footer (left),
each indented one character. English 简报 keep the page and sizes, in Times
New Roman, with a line grid only.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import docx
from lxml import etree

from reportgen import doctree as t
from reportgen.renderers import DEFAULT_OPTIONS, RenderOptions
from reportgen.renderers.docx import _PPR_ORDER, _RPR_ORDER, _SETTINGS_ORDER
from reportgen.renderers.page_foot import foot_start

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


_VAL = _w("val")
RED = "FF0000"  # what offices pick as "red" in Word; the PDF uses GB/T 9704's CMYK 0/80/80/0
ACCENT_BRIEFING = "1F3A5F"
TWIPS_PER_MM = 1440 / 25.4
# rule thickness in eighths of a point (w:pBdr w:sz): 0.5 mm, 0.35 mm, 0.25 mm
RULE_SIZE = {("accent", "thick"): 12, ("accent", "thin"): 8, ("text", "thick"): 8, ("text", "thin"): 6}

# The faces offices have, and what Word/WPS should use when one is missing (w:altName).
FACES = {
    "title": "方正小标宋简体",
    "body": "仿宋_GB2312",
    "heading1": "黑体",
    "heading2": "楷体_GB2312",
    "latin": "Times New Roman",
    "page_number": "宋体",
}
ALT_NAMES = {"方正小标宋简体": "宋体", "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "黑体": "SimHei", "宋体": "SimSun"}

# doctree paragraph roles → style ids, in a 简报 and (roles the briefing has no style of its own for) elsewhere
JIANBAO_ROLE_STYLE: Mapping[str, str] = {
    "body": "BodyText", "summary": "BodyText", "point": "BodyText", "meta": "BodyText", "masthead": "Issue",
    "subtitle": "Subtitle", "source": "Note", "keywords": "Note", "note": "Note",
    "banner": "Banner", "issue": "Issue", "classification": "Classification",
    "distribution": "Distribution", "imprint": "Imprint",
}
BRIEFING_ROLE_STYLE: Mapping[str, str] = {
    "banner": "Masthead", "issue": "Meta", "classification": "Meta", "distribution": "Note", "imprint": "Note",
}

BODY_HALF_POINTS = 32  # 三号


# ---------------------------------------------------------------- geometry


@dataclass(frozen=True, slots=True)
class Page:
    """A section's page in twips, and the grid Word should show."""

    width: int
    height: int
    top: int
    right: int
    bottom: int
    left: int
    lines: int | None
    chars: int | None

    @property
    def text_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def text_height(self) -> int:
        return self.height - self.top - self.bottom

    @property
    def line_pitch(self) -> int:
        """Twips between grid lines (GB/T 9704: 225 mm / 22 → 579)."""
        return self.text_height // self.lines if self.lines else 0

    def char_space(self, body_half_points: int = BODY_HALF_POINTS) -> int:
        """``w:charSpace``: (character pitch − the Normal size) in points × 4096 (ECMA-376 17.6.5)."""
        if not self.chars:
            return 0
        pitch_pt = self.text_width / 20 / self.chars
        return int((pitch_pt - body_half_points / 2) * 4096) - 1  # down: the 28th character always fits


PAPER_TWIPS = {"a4": (11906, 16838), "letter": (12240, 15840)}


def page_of(setup: t.PageSetup, default_margins_mm: tuple[float, float, float, float] | None = None) -> Page:
    width, height = PAPER_TWIPS[setup.paper]
    margins = setup.margins_mm or default_margins_mm or (37.0, 26.0, 35.0, 28.0)
    top, right, bottom, left = (round(m * TWIPS_PER_MM) for m in margins)
    lines, chars = setup.grid if setup.grid else (None, None)
    return Page(width, height, top, right, bottom, left, lines, chars)


# ---------------------------------------------------------------- styles

_STYLE_ORDER = (
    "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat "
    "locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr"
).split()


def _rfonts(east_asian: str, latin: str) -> etree._Element:
    rfonts = etree.Element(_w("rFonts"))
    for slot in ("ascii", "hAnsi", "cs"):
        rfonts.set(_w(slot), latin)
    rfonts.set(_w("eastAsia"), east_asian)
    return rfonts


def _style(
    styles: etree._Element,
    style_id: str,
    name: str,
    *,
    based_on: str | None = "Normal",
    kind: str = "paragraph",
    ppr: Iterable[etree._Element] = (),
    rpr: Iterable[etree._Element] = (),
    next_style: str | None = None,
    outline: int | None = None,
) -> None:
    """Replace (or add) one style, its properties in schema order."""
    for old in styles.findall(_w("style")):
        if old.get(_w("styleId")) == style_id:
            styles.remove(old)
    style = etree.SubElement(styles, _w("style"))
    style.set(_w("type"), kind)
    style.set(_w("customStyle"), "0" if style_id in _BUILT_IN else "1")
    style.set(_w("styleId"), style_id)
    etree.SubElement(style, _w("name")).set(_VAL, name)
    if based_on:
        etree.SubElement(style, _w("basedOn")).set(_VAL, based_on)
    if next_style:
        etree.SubElement(style, _w("next")).set(_VAL, next_style)
    etree.SubElement(style, _w("qFormat"))
    p = etree.SubElement(style, _w("pPr"))
    for child in _ordered(ppr, _PPR_ORDER):
        p.append(child)
    if outline is not None:
        _insert(p, _el("outlineLvl", val=str(outline)), _PPR_ORDER)
    r = etree.SubElement(style, _w("rPr"))
    for child in _ordered(rpr, _RPR_ORDER):
        r.append(child)


_BUILT_IN = {"Normal", "BodyText", "Title", "Subtitle", "Heading1", "Heading2", "Heading3", "Footer", "Header"}


def _ordered(elements: Iterable[etree._Element], order: list[str]) -> list[etree._Element]:
    return sorted(elements, key=lambda e: order.index(etree.QName(e).localname))


def _insert(parent: etree._Element, child: etree._Element, order: list[str]) -> None:
    """Insert ``child`` where the schema's element ``order`` puts it (elements not in ``order`` are passed over)."""
    rank = order.index(etree.QName(child).localname)
    for index, existing in enumerate(parent):
        local = etree.QName(existing).localname
        if local in order and order.index(local) > rank:
            parent.insert(index, child)
            return
    parent.append(child)


def _el(name: str, children: Iterable[etree._Element] = (), **attrs: str) -> etree._Element:
    element = etree.Element(_w(name))
    for key, value in attrs.items():
        element.set(_w(key), value)
    for child in children:
        element.append(child)
    return element


def _size(half_points: int) -> list[etree._Element]:
    return [_el("sz", val=str(half_points)), _el("szCs", val=str(half_points))]


@dataclass(frozen=True, slots=True)
class Faces:
    title: str
    body: str
    heading1: str
    heading2: str
    latin: str
    page_number: str


def faces_of(setup: t.PageSetup) -> Faces:
    chosen = {**FACES, **dict(setup.fonts)}
    return Faces(**{slot: chosen[slot] for slot in FACES})


def install_styles(docx_doc: DocxDocument, setup: t.PageSetup, page: Page, cjk: bool) -> Faces:
    """Rewrite the reference's styles for a 简报 (GB/T 9704-2012), Chinese or English."""
    styles = docx_doc.styles.element
    faces = faces_of(setup)
    latin = faces.latin
    pitch = page.line_pitch or 579
    char = 320  # 三号 in twips: a 字 for indents
    exact = {"line": str(pitch), "lineRule": "exact", "before": "0", "after": "0"}

    def spacing(**kw: str) -> etree._Element:
        return _el("spacing", **{**exact, **kw})

    def fonts(east_asian: str) -> etree._Element:
        return _rfonts(east_asian, latin)

    indent2 = _el("ind", firstLineChars="200", firstLine=str(2 * char)) if cjk else _el("ind", firstLine=str(2 * char))
    heading_extra_en = {1: [_el("b"), _el("bCs")], 2: [_el("i"), _el("iCs")], 3: []}

    # document defaults: the body face and size, so that nothing falls back to the theme
    defaults = styles.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
    if defaults is not None:
        for name in ("rFonts", "sz", "szCs"):
            for old in defaults.findall(_w(name)):
                defaults.remove(old)
        for child in (fonts(faces.body), *_size(BODY_HALF_POINTS)):
            _insert(defaults, child, _RPR_ORDER)

    _style(styles, "Normal", "Normal", based_on=None,
           ppr=[_el("widowControl", val="0"), spacing(), _el("jc", val="both" if cjk else "left")],
           rpr=[fonts(faces.body), _el("kern", val="0"), *_size(BODY_HALF_POINTS)])
    _style(styles, "BodyText", "Body Text", ppr=[indent2], next_style="BodyText")
    _style(styles, "Title", "Title", next_style="BodyText",
           ppr=[_el("keepNext"), _el("snapToGrid", val="0"),
                spacing(before=str(2 * pitch), after=str(pitch), line=str(max(pitch, 600)), lineRule="exact"),
                _el("jc", val="center")],
           rpr=[fonts(faces.title), *([] if cjk else [_el("b"), _el("bCs")]), *_size(44)])
    _style(styles, "Subtitle", "Subtitle", next_style="BodyText",
           ppr=[_el("keepNext"), _el("jc", val="center")], rpr=[fonts(faces.heading2)])
    for level, face in ((1, faces.heading1), (2, faces.heading2), (3, faces.body)):
        _style(styles, f"Heading{level}", f"heading {level}", next_style="BodyText", outline=level - 1,
               ppr=[_el("keepNext"), _el("keepLines"), spacing(), _el("ind", firstLineChars="200", firstLine=str(2 * char))
                    if cjk else _el("ind", firstLine=str(2 * char)), _el("jc", val="left")],
               rpr=[fonts(face), *([] if cjk else heading_extra_en[level]), *_size(BODY_HALF_POINTS)])
    _style(styles, "Banner", "Banner (简报名称)", next_style="Issue",
           ppr=[_el("snapToGrid", val="0"), _el("spacing", before=str(pitch // 2), after="0", line="240", lineRule="auto"),
                _el("jc", val="center")],
           rpr=[fonts(faces.title), *([] if cjk else [_el("b"), _el("bCs")]), _el("color", val=RED), *_size(84)])
    _style(styles, "Issue", "Issue (期号)", ppr=[_el("jc", val="center")])
    _style(styles, "Classification", "Classification (密级)", ppr=[_el("jc", val="left")], rpr=[fonts(faces.heading1)])
    # 报尾 (GB/T 9704 §7.4): 四号, one character in at both sides; a second line aligns after "报："
    small = 280  # 四号 in twips
    _style(styles, "Distribution", "Distribution (报送)",
           ppr=[_el("keepNext"), _el("ind", left=str(small + (2 * small if cjk else 0)), right=str(small),
                    hanging=str(2 * small if cjk else 0)), _el("jc", val="left")],
           rpr=_size(28))
    _style(styles, "Imprint", "Imprint (印发)",
           ppr=[_el("tabs", [_el("tab", val="right", pos=str(page.text_width - small))]),
                _el("ind", left=str(small), right=str(small)), _el("jc", val="left")],
           rpr=_size(28))
    _style(styles, "SplitLine", "Split Line",
           ppr=[_el("tabs", [_el("tab", val="right", pos=str(page.text_width))]), _el("jc", val="left")])
    _style(styles, "Rule", "Rule",
           ppr=[_el("keepNext"), _el("snapToGrid", val="0"), _el("spacing", before="0", after="0", line="120", lineRule="exact")],
           rpr=_size(8))
    _style(styles, "Note", "Note", rpr=_size(28))
    _style(styles, "Footer", "footer",
           ppr=[_el("snapToGrid", val="0"), _el("spacing", before="0", after="0", line="240", lineRule="auto")],
           rpr=[fonts(faces.page_number), *_size(28)])
    _font_table(docx_doc, faces)
    return faces


def _font_table(docx_doc: DocxDocument, faces: Faces) -> None:
    """Declare the faces in word/fontTable.xml with the name Word and WPS fall back to."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        part = docx_doc.part.part_related_by(RT.FONT_TABLE)
    except KeyError:
        return
    root = etree.fromstring(part.blob)
    known = {f.get(_w("name")) for f in root.findall(_w("font"))}
    for name in dict.fromkeys((faces.title, faces.body, faces.heading1, faces.heading2, faces.page_number)):
        if name in known:
            continue
        font = etree.SubElement(root, _w("font"))
        font.set(_w("name"), name)
        if name in ALT_NAMES:
            etree.SubElement(font, _w("altName")).set(_VAL, ALT_NAMES[name])
        etree.SubElement(font, _w("charset")).set(_VAL, "86")  # GB2312
        etree.SubElement(font, _w("family")).set(_VAL, "roman" if name != faces.heading1 else "modern")
        etree.SubElement(font, _w("pitch")).set(_VAL, "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)  # noqa: SLF001


# ---------------------------------------------------------------- section


def set_section(sect_pr: etree._Element, page: Page, cjk: bool) -> None:
    """Page size, margins and the document grid of the (only) section."""
    def replace(name: str, element: etree._Element) -> None:
        old = sect_pr.find(_w(name))
        if old is not None:
            sect_pr.replace(old, element)
        else:
            _insert(sect_pr, element, _SECT_ORDER)

    replace("pgSz", _el("pgSz", w=str(page.width), h=str(page.height)))
    footer = round(21.5 * TWIPS_PER_MM)  # a 四号 number's line box 7 mm below a 35 mm bottom margin
    replace("pgMar", _el("pgMar", top=str(page.top), right=str(page.right), bottom=str(page.bottom),
                         left=str(page.left), header="851", footer=str(min(footer, page.bottom)), gutter="0"))
    if page.lines:
        grid = {"type": "linesAndChars" if cjk and page.chars else "lines", "linePitch": str(page.line_pitch)}
        if cjk and page.chars:
            grid["charSpace"] = str(page.char_space())
        replace("docGrid", _el("docGrid", **grid))


_SECT_ORDER = (
    "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
    "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings "
    "sectPrChange"
).split()


# ---------------------------------------------------------------- blocks every look has


def rule_paragraph(writer: object, parent: etree._Element, node: t.Rule, accent: str) -> etree._Element:
    """An empty paragraph whose bottom border is the rule (Word's own way of drawing one)."""
    _ensure_rule_style(writer)
    p = writer.paragraph(parent, "Rule", ())  # type: ignore[attr-defined]
    ppr = p.find(_w("pPr"))
    border = _el("pBdr", [_el("bottom", val="single", sz=str(RULE_SIZE[(node.color, node.weight)]), space="1",
                              color=accent if node.color == "accent" else "000000")])
    _insert(ppr, border, _PPR_ORDER)
    return p


def _ensure_rule_style(writer: object) -> None:
    """A "Rule" paragraph style (a thin, off-grid line box) in documents whose reference lacks one."""
    styles_part = getattr(getattr(writer, "part", None), "styles", None)
    if styles_part is None:
        return
    styles = styles_part.element
    if any(s.get(_w("styleId")) == "Rule" for s in styles.findall(_w("style"))):
        return
    _style(styles, "Rule", "Rule",
           ppr=[_el("keepNext"), _el("snapToGrid", val="0"), _el("spacing", before="60", after="120", line="120", lineRule="exact")],
           rpr=_size(8))


def split_paragraph(
    writer: object, parent: etree._Element, node: t.SplitLine, style: str, lang: str | None, tab_at: int | None = None
) -> etree._Element:
    """Left text, a right-aligned tab (the style's, or one at ``tab_at`` twips), right text: one line."""
    p = writer.paragraph(parent, style, node.left, None, lang)  # type: ignore[attr-defined]
    if tab_at is not None:
        _insert(p.find(_w("pPr")), _el("tabs", [_el("tab", val="right", pos=str(tab_at))]), _PPR_ORDER)
    run = etree.SubElement(p, _w("r"))
    etree.SubElement(run, _w("tab"))
    writer.inlines(p, node.right, lang=lang)  # type: ignore[attr-defined]
    return p


def banner_size(text: str, width_twips: int) -> int:
    """The banner's size in half-points: 初号 (42 pt) or smaller so it stays on one line, not below 二号."""
    import unicodedata

    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text) + 1.0
    fit = width_twips / 20 / max(ems, 1.0)
    return int(max(22.0, min(42.0, fit))) * 2


# ---------------------------------------------------------------- the renderer


def render(document: t.Document, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
    """The .docx of a 简报 document (the base renderer's machinery, the 简报's styles and page).

    With ``options.reference_docx`` the file's styles replace the 简报's by name, as
    in the default look (a 简报 restyled in Word or WPS and saved is such a file);
    the page, grid and page-number footers stay the 简报's."""
    from reportgen.renderers import docx as base

    meta = document.metadata
    docx_doc = docx.Document(io.BytesIO(base._reference_package()))
    lang = base._word_lang(meta.lang)
    base._set_language(docx_doc, lang, meta.is_cjk, tweak=False)
    page = page_of(document.page)
    install_styles(docx_doc, document.page, page, meta.is_cjk)
    style_map: dict[str, str] = {}
    jianbao_styles = b""
    if options.reference_docx is not None:
        jianbao_styles = docx_doc.part._styles_part.blob  # noqa: SLF001 - the styles the body may name
        style_map = base.use_reference_docx(docx_doc, options.reference_docx)
    anchored = base._anchored(document.blocks)
    bookmarks = base._bookmark_names(anchored)
    toc_entries, toc_bookmarks = base._contents(document.blocks, bookmarks)
    env = base._Env(
        lang=lang,
        cjk=meta.is_cjk,
        bookmarks=bookmarks,
        targets=anchored,
        figure_value_pt=base._style_font_size(docx_doc, style_map.get("FigureValue", "FigureValue")),
        bullet_num_id=base._bullet_num_id(docx_doc, style_map.get("ListBullet", "ListBullet")),
        date=base._document_date(meta.created),
        toc=toc_entries,
        toc_bookmarks=toc_bookmarks,
    )
    base._set_core_properties(docx_doc, meta)

    state = base._State()
    body = docx_doc.element.body
    sect_pr = body[-1]
    body.remove(sect_pr)
    writer = _writer_class(base)(env, state, docx_doc.part, notes=True)
    writer.page = page
    foot = foot_start(document.blocks)
    writer.blocks(body, document.blocks[:foot], top=True)
    if foot < len(document.blocks):
        body.append(foot_box(writer, document.blocks[foot:], page))
    body.append(sect_pr)
    set_section(sect_pr, page, meta.is_cjk)

    roots = [docx_doc.element]
    if state.footnotes:
        roots.append(base._write_footnotes(docx_doc, env, state, sect_pr))
    if state.comments:
        roots.append(base._write_comments(docx_doc, env, state))
    roots.extend(write_footers(docx_doc, document, env, state, base))
    if options.reference_docx is not None:
        base.rename_styles(roots, style_map, options.reference_docx, jianbao_styles)

    out = io.BytesIO()
    docx_doc.save(out)
    return base._normalize_zip(out.getvalue())


# ---------------------------------------------------------------- the 报尾 at the foot of the last page

_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_EMU_PER_TWIP = 635
_FOOT_CHAR = 280  # 四号, the 报尾's size, in twips
_RULE_HEIGHT = 160  # a rule paragraph: its 6 pt exact line and the border under it


def foot_box(writer: object, blocks: tuple[t.Block, ...], page: Page) -> etree._Element:
    """The 报尾 in a borderless text box anchored to the bottom of the text block.

    GB/T 9704 puts the 版记 at the foot of the last page. A paragraph frame
    (``w:framePr``) does that in Word, but LibreOffice splits such a frame and
    drops its rules; a DrawingML text box anchored at the margin's bottom with
    top-and-bottom wrapping keeps its place in Word, WPS and LibreOffice, and the
    body flows above it. Its anchor is an empty rule paragraph ending the body,
    so the box moves with the end of the text. The text inside keeps the 报尾's
    styles and stays editable.
    """
    content = etree.Element(f"{{{_W}}}txbxContent", nsmap={"w": _W})
    writer.blocks(content, blocks)  # type: ignore[attr-defined]
    width = page.text_width * _EMU_PER_TWIP
    height = _foot_height(content, page) * _EMU_PER_TWIP
    nsmap = {"wp": _WP, "a": _A, "wps": _WPS, "w": _W}

    def el(ns: str, tag: str, children: Iterable[etree._Element] = (), **attrs: str) -> etree._Element:
        element = etree.Element(f"{{{ns}}}{tag}", attrs, nsmap=nsmap)
        element.extend(children)
        return element

    def aligned(axis: str, value: str) -> etree._Element:
        align = el(_WP, "align")
        align.text = value
        return el(_WP, f"position{axis}", [align], relativeFrom="margin")

    shape = el(_WPS, "wsp", [
        el(_WPS, "cNvSpPr", txBox="1"),
        el(_WPS, "spPr", [
            el(_A, "xfrm", [el(_A, "off", x="0", y="0"), el(_A, "ext", cx=str(width), cy=str(height))]),
            el(_A, "prstGeom", [el(_A, "avLst")], prst="rect"),
            el(_A, "noFill"),
            el(_A, "ln", [el(_A, "noFill")]),
        ]),
        el(_WPS, "txbx", [content]),
        # anchored at its bottom: if Word keeps the estimated height, the text still sits on the margin
        el(_WPS, "bodyPr", [el(_A, "spAutoFit")], rot="0", vert="horz", wrap="square",
           lIns="0", tIns="0", rIns="0", bIns="0", anchor="b", anchorCtr="0"),
    ])
    drawing_id = str(1 + sum(1 for _ in writer.part.element.iter(f"{{{_WP}}}docPr")))  # type: ignore[attr-defined]
    anchor = el(_WP, "anchor", [
        el(_WP, "simplePos", x="0", y="0"),
        aligned("H", "center"),
        aligned("V", "bottom"),
        el(_WP, "extent", cx=str(width), cy=str(height)),
        el(_WP, "effectExtent", l="0", t="0", r="0", b="0"),
        el(_WP, "wrapTopAndBottom"),
        el(_WP, "docPr", id=drawing_id, name="报尾"),
        el(_WP, "cNvGraphicFramePr"),
        el(_A, "graphic", [el(_A, "graphicData", [shape], uri=_WPS)]),
    ], distT="0", distB="0", distL="0", distR="0", simplePos="0", relativeHeight="1",
        behindDoc="0", locked="0", layoutInCell="1", allowOverlap="0")
    return _el("p", [_el("pPr", [_el("pStyle", val="Rule")]), _el("r", [_el("drawing", [anchor])])])


def _foot_height(content: etree._Element, page: Page) -> int:
    """The box's height in twips: grid lines for the text (wrapped conservatively), a little for each rule."""
    usable = page.text_width - 4 * _FOOT_CHAR  # the widest indents of Distribution and Imprint
    pitch = page.line_pitch or 2 * _FOOT_CHAR
    height = 0
    for p in content.iter(_w("p")):
        text = "".join(node.text or "" for node in p.iter(_w("t")))
        if not text:
            height += _RULE_HEIGHT
            continue
        width = sum(_FOOT_CHAR if unicodedata.east_asian_width(c) in "WF" else _FOOT_CHAR * 3 // 5 for c in text)
        tabs = sum(1 for _ in p.iter(_w("tab")))
        height += pitch * max(1, math.ceil((width + tabs * 4 * _FOOT_CHAR) / usable))
    return height


def _writer_class(base: object) -> type:
    """A story writer with the 简报's style map (made on first use: the base module is imported lazily)."""
    cached = getattr(_writer_class, "cls", None)
    if cached is not None and cached.__base__ is base._StoryWriter:  # type: ignore[attr-defined]
        return cached

    class JianbaoWriter(base._StoryWriter):  # type: ignore[name-defined, misc, attr-defined]
        page: Page

        def block(self, parent: etree._Element, node: t.Block, lang: str | None = None) -> None:
            if isinstance(node, t.Paragraph):
                style = JIANBAO_ROLE_STYLE.get(node.role, "BodyText")
                p = self.paragraph(parent, style, node.children, self.bookmark_of(node.anchor), node.lang or lang)
                if node.role == "banner":  # 初号 or smaller, to stay on one line
                    size = banner_size(t.plain_text(node.children), self.page.text_width)
                    ppr = p.find(_w("pPr"))
                    rpr = _el("rPr", _size(size))
                    _insert(ppr, rpr, _PPR_ORDER)
                    for run in p.iter(_w("r")):
                        run_pr = run.find(_w("rPr"))
                        if run_pr is None:
                            run_pr = etree.Element(_w("rPr"))
                            run.insert(0, run_pr)
                        for child in _size(size):
                            _insert(run_pr, child, _RPR_ORDER)
            elif isinstance(node, t.BulletList):
                for item in node.items:
                    p = self.paragraph(parent, JIANBAO_ROLE_STYLE.get(item.role, "BodyText"), item.children,
                                       self.bookmark_of(item.anchor), item.lang or lang)
                    from reportgen.renderers.docx import _add_bullet_numbering

                    _add_bullet_numbering(p, self.env.bullet_num_id)
            elif isinstance(node, t.Rule):
                rule_paragraph(self, parent, node, RED)
            elif isinstance(node, t.SplitLine):
                split_paragraph(self, parent, node, "Imprint" if node.role == "imprint" else "SplitLine", lang)
            else:
                super().block(parent, node, lang)

    _writer_class.cls = JianbaoWriter  # type: ignore[attr-defined]
    return JianbaoWriter


def write_footers(
    docx_doc: DocxDocument, document: t.Document, env: object, state: object, base: object
) -> list[etree._Element]:
    """Outer page numbers: an odd (default) footer at the right and an even one at the left, one 字 in.

    Returns the footers' roots (their style references may still be renamed)."""
    if not document.footer:
        return []
    section = docx_doc.sections[0]
    outer = document.page.page_numbers == "outer"
    if outer:
        settings = docx_doc.settings.element
        if settings.find(_w("evenAndOddHeaders")) is None:
            _insert(settings, _el("evenAndOddHeaders"), _SETTINGS_ORDER)
    stories = [(section.footer, "right" if outer else "center", "right")]
    if outer:
        stories.append((section.even_page_footer, "left", "left"))
    roots = []
    for story, jc, side in stories:
        story.is_linked_to_previous = False
        root = story.part.element
        roots.append(root)
        for child in list(root):
            root.remove(child)
        p = base._StoryWriter(env, state, story.part).paragraph(root, "Footer", document.footer)  # type: ignore[attr-defined]
        ppr = p.find(_w("pPr"))
        if outer:
            _insert(ppr, _el("ind", **{side: "280"}), _PPR_ORDER)  # one 四号 character in
        _insert(ppr, _el("jc", val=jc), _PPR_ORDER)
    return roots


# ---------------------------------------------------------------- the default look: page and fonts from the manifest


def apply_page_setup(docx_doc: DocxDocument, sect_pr: etree._Element, setup: t.PageSetup, cjk: bool) -> None:
    """A template's paper, margins and grid in a document of the default look (nothing if it sets none)."""
    if setup.margins_mm is None and setup.grid is None and setup.paper == "a4":
        return
    margins = sect_pr.find(_w("pgMar"))
    current = (
        tuple(int(margins.get(_w(k))) / TWIPS_PER_MM for k in ("top", "right", "bottom", "left"))
        if margins is not None
        else (25.0, 25.0, 25.0, 25.0)
    )
    page = page_of(setup, default_margins_mm=current)  # type: ignore[arg-type]
    set_section(sect_pr, page, cjk)


# slot → the default look's styles that carry it
_FONT_SLOTS = {
    "title": ("Title",),
    "body": ("Normal",),
    "heading1": ("Heading1",),
    "heading2": ("Heading2",),
    "page_number": ("Footer",),
}


def apply_fonts(docx_doc: DocxDocument, setup: t.PageSetup, cjk: bool) -> None:
    """A template's ``[fonts]`` in a document of the default look: the East Asian face of a
    Chinese document's styles, the Latin face of another's; ``latin`` always the Latin face."""
    if not setup.fonts:
        return
    styles = docx_doc.styles.element
    by_id = {s.get(_w("styleId")): s for s in styles.findall(_w("style"))}
    for slot, face in setup.fonts:
        if slot == "latin":
            targets = [styles.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}"), by_id.get("Normal")]
            slots = ("ascii", "hAnsi", "cs")
        else:
            targets = [by_id.get(style_id) for style_id in _FONT_SLOTS.get(slot, ())]
            slots = ("eastAsia",) if cjk else ("ascii", "hAnsi", "cs")
        for target in targets:
            if target is None:
                continue
            rpr = target if etree.QName(target).localname == "rPr" else target.find(_w("rPr"))
            if rpr is None:
                rpr = etree.SubElement(target, _w("rPr"))
            rfonts = rpr.find(_w("rFonts"))
            if rfonts is None:
                rfonts = etree.Element(_w("rFonts"))
                _insert(rpr, rfonts, _RPR_ORDER)
            for name in slots:
                rfonts.set(_w(name), face)
                theme = {"ascii": "asciiTheme", "hAnsi": "hAnsiTheme", "eastAsia": "eastAsiaTheme", "cs": "cstheme"}[name]
                rfonts.attrib.pop(_w(theme), None)


def text_width(setup: t.PageSetup, default: int) -> int:
    """The text width in twips of a document of the default look: the template's margins, or ``default``."""
    if setup.margins_mm is None and setup.paper == "a4":
        return default
    if setup.margins_mm is None:
        return PAPER_TWIPS[setup.paper][0] - (PAPER_TWIPS["a4"][0] - default)
    return page_of(setup).text_width
