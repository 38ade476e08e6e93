"""DOCX renderer: a document tree in, the bytes of a .docx file out (the only python-docx user).

Every look comes from the named styles of the bundled reference document
(``reportgen/docx/reference/``, kept unzipped in the repository and zipped in
memory once per process). The body refers to styles only: a run may carry a
character style, a language tag and the East Asian font hint, never a font,
size, colour, bold or italic of its own, so editors restyle the whole document
by editing its styles.

Choices worth knowing:

- Language. ``w:lang`` in the document defaults and ``w:themeFontLang`` in the
  settings follow ``metadata.lang``; a ``Span`` in another language gets its own
  ``w:lang``. Runs in a CJK language carry ``w:rFonts w:hint="eastAsia"`` so
  ambiguous characters such as “ ” take the Chinese font and full width.
- Sizes. A style cannot have per-language sizes: the reference holds the
  Chinese values (body 小四 12 pt, exact line spacing so that 宋体 in Word and
  other CJK faces elsewhere space lines alike) and ``_LATIN_TWEAKS`` rewrites
  sizes, bold, line spacing, alignment, indents and the look of Emphasis
  (着重号 in Chinese, italic otherwise) on the in-memory copy for other documents.
- Text is written exactly, through lxml (never by string concatenation). A line
  break inside a ``Span`` ("\\n", "\\r\\n" or "\\r") becomes ``<w:br/>``, a line
  break within the same paragraph (justified text does not stretch the line
  before it); "\\t" becomes ``<w:tab/>``. Characters XML 1.0 cannot carry (most
  C0 controls) raise ``ValueError``: loading must have rejected them.
- A run has a single character style, so nested Strong / Emphasis / Link use
  combined styles ("Hyperlink Strong", …).
- Citations are Word footnotes. In the body, each ``CiteRef`` becomes a footnote
  reference (numbered by Word: ①② restarting on each page in Chinese, 1 2 3 in
  other languages) whose note holds the inline content of the block the citation
  points at (the Sources entry: publisher, title, date, locator, link), less the
  entry's own label ("[1] "). The Sources list stays in the body: it is content,
  the footnotes are the notes. Where a footnote cannot go (headers, footers,
  footnotes) a ``CiteRef`` is an internal hyperlink to the target's bookmark in
  the "Citation" style. A ``CiteRef`` to an anchor no block has, or an anchor
  used twice, raises ``ValueError``.
- ``Span.note`` becomes a Word comment on that text, by "reportgen", dated with
  the document date (never the clock).
- Contents. After the first ``Heading`` anchored "contents" (rendered in the
  "TOC Heading" style, which has no outline level) comes a ``TOC \\o "1-3" \\h \\z \\u``
  field already filled in: one "toc N" paragraph per heading of levels 1–3 with
  an internal hyperlink to the heading's bookmark, so WPS and LibreOffice (which
  do not update fields on open) show the entries. Page numbers are left to Word's
  update (F9): a cached guess would be shown as it is, wrong, by the others.
  Headings without an anchor get hidden ``_Toc…`` bookmarks.
- Bilingual documents. A block's ``lang`` tags its runs (``w:lang``; ``w:eastAsia``
  and the East Asian hint for CJK); ``secondary`` blocks use the "… Secondary"
  variant of their style (smaller, grey; secondary headings are not in the
  contents); ``Aligned`` is a borderless table, one column per language, each
  cell holding its rendered block; ``KeyFigure.secondary_label`` is a paragraph
  in the "Figure Label Secondary" style.
- Heading levels deeper than 3 use "Heading 3". Anchors become bookmark names
  of ASCII letters, digits and "_" (at most 40 characters, unique).
- Key figures are tiles in a borderless table, 2 to 4 per row: as many as fit
  the widest value on one line, with the fewest empty tiles. A table followed
  by a table, or ending the document, gets an empty paragraph after it.
- Header and footer. The section has a different first page (``w:titlePg``): its
  first-page footer repeats the footer (``第 X 页 / 共 Y 页``, PAGE / NUMPAGES
  fields) and its first-page header is empty, so editors can change page 1 alone;
  a running header shows from page 2.
- ``RenderOptions.reference_docx``: the user's styles by name instead of ours
  (see ``docx_reference``).
- Reproducible: the same tree gives the same bytes. Core properties come from
  the metadata (``created``, else ``SOURCE_DATE_EPOCH``, else 2000-01-01), and
  the package is re-zipped with fixed entry dates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import unicodedata
import urllib.parse
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml.parser import parse_xml
from lxml import etree

from reportgen import doctree as t
from reportgen.renderers import DEFAULT_OPTIONS, RenderOptions
from reportgen.renderers.docx_reference import ReferenceDocxError, rename_styles, use_reference_docx
from reportgen.resources import resource_dir

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.opc.part import Part
    from docx.section import _Footer, _Header

__all__ = ["ReferenceDocxError", "render"]

# ---------------------------------------------------------------- XML names

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


_VAL = _w("val")
_P, _PPR, _PSTYLE, _R_, _RPR, _RSTYLE, _T = (_w(n) for n in ("p", "pPr", "pStyle", "r", "rPr", "rStyle", "t"))
_BR, _TAB, _LANG, _RFONTS, _HYPERLINK = (_w(n) for n in ("br", "tab", "lang", "rFonts", "hyperlink"))
_FLDCHAR, _INSTR = _w("fldChar"), _w("instrText")
_BM_START, _BM_END = _w("bookmarkStart"), _w("bookmarkEnd")
_NUMPR, _NUMID, _ILVL = _w("numPr"), _w("numId"), _w("ilvl")
_FOOTNOTE, _FOOTNOTE_REF = _w("footnote"), _w("footnoteReference")
_COMMENT_START, _COMMENT_END, _COMMENT_REF = _w("commentRangeStart"), _w("commentRangeEnd"), _w("commentReference")

# Children order of w:style, w:rPr and w:pPr (ECMA-376 CT_Style, CT_RPr, CT_PPrBase),
# for the style tweaks.
_STYLE_ORDER = (
    "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat "
    "locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr"
).split()
_RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
    "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
).split()
_SETTINGS_ORDER = (
    "writeProtection view zoom removePersonalInformation removeDateAndTime doNotDisplayPageBoundaries "
    "displayBackgroundShape printPostScriptOverText printFractionalCharacterWidth printFormsData "
    "embedTrueTypeFonts embedSystemFonts saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
    "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors "
    "hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate linkStyles "
    "stylePaneFormatFilter stylePaneSortMethod documentType mailMerge revisionView trackRevisions "
    "doNotTrackMoves doNotTrackFormatting documentProtection autoFormatOverride styleLockTheme "
    "styleLockQFSet defaultTabStop autoHyphenation consecutiveHyphenLimit hyphenationZone "
    "doNotHyphenateCaps showEnvelope summaryLength clickAndTypeStyle defaultTableStyle evenAndOddHeaders "
    "bookFoldRevPrinting bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing "
    "drawingGridVerticalSpacing displayHorizontalDrawingGridEvery displayVerticalDrawingGridEvery "
    "doNotUseMarginsForDrawingGridOrigin drawingGridHorizontalOrigin drawingGridVerticalOrigin "
    "doNotShadeFormData noPunctuationKerning characterSpacingControl printTwoOnOne "
    "strictFirstAndLastChars noLineBreaksAfter noLineBreaksBefore savePreviewPicture "
    "doNotValidateAgainstSchema saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText "
    "doNotDemarcateInvalidXml saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags "
    "alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat docVars rsids "
    "mathPr attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats "
    "doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType schemaLibrary "
    "shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator"
).split()
_PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
    "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()

# ---------------------------------------------------------------- style map

_ROLE_STYLE: Mapping[str, str] = {
    "body": "BodyText",
    "subtitle": "Subtitle",
    "masthead": "Masthead",
    "meta": "Meta",
    "summary": "Summary",
    "point": "Point",
    "source": "Source",
    "keywords": "Keywords",
    "note": "Note",
    # roles of the 简报 (templates/jianbao) in this look: the nearest style
    "banner": "Masthead",
    "issue": "Meta",
    "classification": "Meta",
    "distribution": "Note",
    "imprint": "Note",
}
# Items of a bullet list: these roles have a bulleted style of their own; any
# other role keeps its style and gets the bullet numbering as a paragraph property.
_LIST_ROLE_STYLE: Mapping[str, str] = {"body": "ListBullet", "point": "Point"}
_BULLET_NUM_ID = "1"

# One character style per combination of nested marks (a run has one style).
_STRONG, _EMPH, _LINK = "strong", "emphasis", "link"
_MARK_STYLE: Mapping[frozenset[str], str | None] = {
    frozenset(): None,
    frozenset({_STRONG}): "Strong",
    frozenset({_EMPH}): "Emphasis",
    frozenset({_LINK}): "Hyperlink",
    frozenset({_STRONG, _EMPH}): "StrongEmphasis",
    frozenset({_LINK, _STRONG}): "HyperlinkStrong",
    frozenset({_LINK, _EMPH}): "HyperlinkEmphasis",
    frozenset({_LINK, _STRONG, _EMPH}): "HyperlinkStrongEmphasis",
}
_CITATION_STYLE = "Citation"

# The "… Secondary" variant of a paragraph style, for the second language of a bilingual document.
_SECONDARY_STYLE: Mapping[str, str] = {
    s: f"{s}Secondary"
    for s in (
        "Title Subtitle Heading1 Heading2 Heading3 BodyText ListBullet Masthead Meta Summary Point Source "
        "Keywords Note FigureLabel"
    ).split()
}
_SECONDARY_SCALE = 0.85  # secondary size / base size, for documents whose language is not CJK

# The contents: after the first heading with this anchor, in this style.
_CONTENTS_ANCHOR = t.CONTENTS_ANCHOR
_CONTENTS_STYLE = "TOCHeading"
_TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'

# Footnote numbers: circled and restarting on each page in Chinese (页下注 ①②③), plain otherwise.
_FOOTNOTE_FORMAT_CJK = ("decimalEnclosedCircleChinese", "eachPage")
_FOOTNOTE_FORMAT = ("decimal", "continuous")
_COMMENT_AUTHOR, _COMMENT_INITIALS = "reportgen", "RG"

# Style values for documents whose language is not CJK (the reference holds the
# Chinese ones). Keys: styleId, or "" for the document defaults. Values per property:
# sz in half-points (also szCs); b / i True to set, False to clear; line in 240ths
# of a line; jc an alignment; ind / em None to remove.
_LATIN_TWEAKS: Mapping[str, Mapping[str, object]] = {
    "": {"sz": 22},
    "Normal": {"sz": 22, "line": 276, "jc": "left"},
    "BodyText": {"ind": None},
    "Title": {"sz": 36, "b": True, "line": 240},
    "Subtitle": {"sz": 28},
    "Heading1": {"sz": 28, "b": True},
    "Heading2": {"sz": 24},
    "Heading3": {"sz": 22},
    "Caption": {"sz": 20, "b": True},
    "Masthead": {"sz": 26, "b": True},
    "Meta": {"sz": 20, "line": 240},
    "Source": {"sz": 20, "line": 252},
    "Keywords": {"sz": 20, "line": 252},
    "Note": {"sz": 17, "line": 252},
    "FigureValue": {"sz": 32, "b": True},
    "FigureLabel": {"sz": 19, "line": 240},
    "FigureNote": {"sz": 16, "line": 240},
    "TableText": {"sz": 20, "line": 240},
    "TableHeading": {"b": True},
    "FootnoteText": {"sz": 17, "line": 240},
    "Emphasis": {"em": None, "i": True},
}

# ---------------------------------------------------------------- page and package

_TEXT_WIDTH = 11906 - 2 * 1418  # twips: A4 width less the reference's margins
_FIGURE_CELL_MARGIN = 113  # twips, left and right, as in the "Figure Table" style
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_DEFAULT_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
_LAST_MODIFIED_BY = "reportgen"
_CORE_TEXT_LIMIT = 255  # Word's (and python-docx's) limit for a core property

_BOOKMARK_MAX = 40
_URI_SAFE = "!#$%&'()*+,-./:;=?@[]_~"  # RFC 3986 reserved and unreserved characters, and "%"
_LINE_BREAK = re.compile(r"(\r\n|\r|\n|\t)")
# Characters XML 1.0 cannot carry (tab, newline, carriage return are handled above).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

_CJK_LANGS = frozenset({"zh", "ja", "ko"})
_RTL_LANGS = frozenset({"ar", "he", "fa", "ur", "yi"})
_DEFAULT_REGION = {"en": "US", "zh": "CN", "ja": "JP", "ko": "KR", "fr": "FR", "de": "DE", "es": "ES"}
_SCRIPT_REGION = {("zh", "hans"): "CN", ("zh", "hant"): "TW"}


def render(document: t.Document, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
    """The complete .docx file of ``document``; the same tree always gives the same bytes.

    Raises ``ReferenceDocxError`` if ``options.reference_docx`` cannot be used."""
    from reportgen.renderers import docx_jianbao

    if document.page.style == "jianbao":  # the 简报 look: GB/T 9704 styles, page and grid
        return docx_jianbao.render(document, options)
    meta = document.metadata
    docx_doc = docx.Document(io.BytesIO(_reference_package()))
    style_map: dict[str, str] | None = None
    if options.reference_docx is not None:
        style_map = use_reference_docx(docx_doc, options.reference_docx)
    lang = _word_lang(meta.lang)
    _set_language(docx_doc, lang, meta.is_cjk, tweak=style_map is None)
    docx_jianbao.apply_fonts(docx_doc, document.page, meta.is_cjk)  # a template's [fonts]
    anchored = _anchored(document.blocks)
    bookmarks = _bookmark_names(anchored)
    toc_entries, toc_bookmarks = _contents(document.blocks, bookmarks)
    env = _Env(
        lang=lang,
        cjk=meta.is_cjk,
        bookmarks=bookmarks,
        targets=anchored,
        figure_value_pt=_style_font_size(docx_doc, (style_map or {}).get("FigureValue", "FigureValue")),
        bullet_num_id=_bullet_num_id(docx_doc, (style_map or {}).get("ListBullet", "ListBullet")),
        date=_document_date(meta.created),
        toc=toc_entries,
        toc_bookmarks=toc_bookmarks,
    )
    _set_core_properties(docx_doc, document.metadata)

    state = _State()
    body = docx_doc.element.body
    sect_pr = body[-1]  # the reference body holds only its w:sectPr
    body.remove(sect_pr)
    writer = _StoryWriter(env, state, docx_doc.part, notes=True)
    writer.text_width = docx_jianbao.text_width(document.page, _TEXT_WIDTH)
    writer.blocks(body, document.blocks, top=True)
    body.append(sect_pr)
    docx_jianbao.apply_page_setup(docx_doc, sect_pr, document.page, meta.is_cjk)  # a template's page

    roots = [docx_doc.element]
    if state.footnotes:
        roots.append(_write_footnotes(docx_doc, env, state, sect_pr))
    if state.comments:
        roots.append(_write_comments(docx_doc, env, state))
    roots.extend(_write_header_footer(docx_doc, document, env, state))
    if style_map is not None:
        assert options.reference_docx is not None
        rename_styles(roots, style_map, options.reference_docx, _bundled_styles())

    out = io.BytesIO()
    docx_doc.save(out)
    return _normalize_zip(out.getvalue())


# ---------------------------------------------------------------- context and state


@dataclass(frozen=True, slots=True)
class _TocEntry:
    level: int
    text: str
    bookmark: str
    lang: str | None


@dataclass(frozen=True, slots=True)
class _Env:
    """What every part of the rendering reads and nobody changes."""

    lang: str  # Word language tag of the document, e.g. "zh-CN", "en-US"
    cjk: bool
    bookmarks: Mapping[str, str]  # doctree anchor → bookmark name
    targets: Mapping[str, t.Block]  # doctree anchor → the block it anchors (footnote texts)
    figure_value_pt: float  # size of the "Figure Value" style, to choose tiles per row
    bullet_num_id: str  # the numbering of "List Bullet", for list items of other styles
    date: dt.datetime  # the document date: core properties and comments
    toc: tuple[_TocEntry, ...]  # entries of the contents, if the document has a contents heading
    toc_bookmarks: Mapping[int, str]  # index of a top-level heading without anchor → its _Toc bookmark


@dataclass(slots=True)
class _State:
    """What accumulates while rendering: bookmark ids, footnotes and comments."""

    next_bookmark_id: int = 0
    footnotes: list[tuple[int, t.CiteRef]] = field(default_factory=list)
    comments: list[tuple[int, str]] = field(default_factory=list)
    contents_done: bool = False


# ---------------------------------------------------------------- blocks and inlines


class _StoryWriter:
    """Writes blocks and inlines into one story (the body, a header, a footer or the notes)."""

    def __init__(self, env: _Env, state: _State, part: Part, notes: bool = False) -> None:
        self.env = env
        self.state = state
        self.part = part  # owner of the story's hyperlink relationships
        self.notes = notes  # citations become footnotes and Span.note comments (the body only)

    # -- blocks

    def blocks(
        self, parent: etree._Element, blocks: tuple[t.Block, ...], lang: str | None = None, top: bool = False
    ) -> None:
        """Blocks in order; a table followed by a table or by the end gets an empty paragraph
        after it, since Word merges adjacent tables and needs a paragraph to end the body.
        ``lang``: the language of blocks that do not name one. ``top``: the body's own blocks
        (where the contents go and headings get their _Toc bookmarks)."""
        tables = (t.Table, t.FigureGroup, t.Aligned)
        for index, node in enumerate(blocks):
            if top and isinstance(node, t.Heading):
                self.heading(parent, node, lang, self.env.toc_bookmarks.get(index))
            else:
                self.block(parent, node, lang)
            if isinstance(node, tables):
                following = blocks[index + 1] if index + 1 < len(blocks) else None
                if following is None or isinstance(following, tables):
                    self.paragraph(parent, "Normal", ())

    def block(self, parent: etree._Element, node: t.Block, lang: str | None = None) -> None:
        if isinstance(node, t.Title):
            self.paragraph(parent, _styled("Title", node.secondary), node.children, None, node.lang or lang)
        elif isinstance(node, t.Heading):
            self.heading(parent, node, lang)
        elif isinstance(node, t.Paragraph):
            style = _styled(_ROLE_STYLE[node.role], node.secondary)
            self.paragraph(parent, style, node.children, self.bookmark_of(node.anchor), node.lang or lang)
        elif isinstance(node, t.BulletList):
            for item in node.items:
                list_style = _LIST_ROLE_STYLE.get(item.role)
                style = _styled(list_style or _ROLE_STYLE[item.role], item.secondary)
                p = self.paragraph(parent, style, item.children, self.bookmark_of(item.anchor), item.lang or lang)
                if list_style is None and not item.secondary:
                    _add_bullet_numbering(p, self.env.bullet_num_id)
        elif isinstance(node, t.FigureGroup):
            self.figure_group(parent, node, lang)
        elif isinstance(node, t.Table):
            self.table(parent, node, lang)
        elif isinstance(node, t.Aligned):
            self.aligned(parent, node)
        elif isinstance(node, t.Rule):
            from reportgen.renderers.docx_jianbao import ACCENT_BRIEFING, rule_paragraph

            rule_paragraph(self, parent, node, ACCENT_BRIEFING)
        elif isinstance(node, t.SplitLine):
            from reportgen.renderers.docx_jianbao import split_paragraph

            style = _ROLE_STYLE.get(node.role, "Meta")
            split_paragraph(self, parent, node, style, lang, tab_at=getattr(self, "text_width", _TEXT_WIDTH))
        else:  # pragma: no cover - the tree is closed
            raise TypeError(f"not a doctree block: {node!r}")

    def heading(self, parent: etree._Element, node: t.Heading, lang: str | None, toc_bookmark: str | None = None) -> None:
        lang = node.lang or lang
        bookmark = self.bookmark_of(node.anchor) or toc_bookmark
        if node.anchor == _CONTENTS_ANCHOR and self.notes and not self.state.contents_done:
            self.state.contents_done = True
            self.paragraph(parent, _CONTENTS_STYLE, node.children, bookmark, lang)
            self.contents(parent)
            return
        style = _styled(f"Heading{min(max(node.level, 1), 3)}", node.secondary)
        self.paragraph(parent, style, node.children, bookmark, lang)

    def bookmark_of(self, anchor: str | None) -> str | None:
        return None if anchor is None else self.env.bookmarks[anchor]

    def paragraph(
        self,
        parent: etree._Element,
        style: str,
        inlines: Iterable[t.Inline],
        bookmark: str | None = None,
        lang: str | None = None,
    ) -> etree._Element:
        p = etree.SubElement(parent, _P)
        ppr = etree.SubElement(p, _PPR)
        etree.SubElement(ppr, _PSTYLE).set(_VAL, style)
        if bookmark is None:
            self.inlines(p, inlines, lang=lang)
            return p
        bookmark_id = self.new_bookmark(p, bookmark)
        self.inlines(p, inlines, lang=lang)
        etree.SubElement(p, _BM_END).set(_w("id"), bookmark_id)
        return p

    def new_bookmark(self, parent: etree._Element, name: str) -> str:
        bookmark_id = str(self.state.next_bookmark_id)
        self.state.next_bookmark_id += 1
        start = etree.SubElement(parent, _BM_START)
        start.set(_w("id"), bookmark_id)
        start.set(_w("name"), name)
        return bookmark_id

    def contents(self, parent: etree._Element) -> None:
        """The TOC field, its result written out: one "toc N" paragraph per entry, each an
        internal hyperlink to the heading's bookmark. No page numbers: they are unknown
        until a layout, and WPS and LibreOffice would show a cached guess as it is; Word
        adds them (PAGEREF fields) when the field is updated."""
        entries = self.env.toc
        paragraphs = [self.paragraph(parent, f"TOC{e.level}", ()) for e in entries] or [
            self.paragraph(parent, "TOC1", ())
        ]
        self.field_char(paragraphs[0], "begin")
        self.field_instruction(paragraphs[0], _TOC_INSTRUCTION)
        self.field_char(paragraphs[0], "separate")
        for p, entry in zip(paragraphs, entries):
            link = etree.SubElement(p, _HYPERLINK)
            link.set(_w("anchor"), entry.bookmark)
            link.set(_w("history"), "1")
            self.text_run(link, entry.text, None, entry.lang)
        self.field_char(paragraphs[-1], "end")

    def figure_group(self, parent: etree._Element, node: t.FigureGroup, lang: str | None) -> None:
        figures = node.figures
        if not figures:
            return
        columns = _figure_columns(
            len(figures), max(_text_width(t.plain_text(f.value), self.env.figure_value_pt) for f in figures)
        )
        rows = [figures[i : i + columns] for i in range(0, len(figures), columns)]
        tbl, widths = _table(parent, "FigureTable", columns)
        for row_figures in rows:
            tr = etree.SubElement(tbl, _w("tr"))
            _add(tr, "trPr", [("cantSplit", {})])
            for column in range(columns):
                tc = _cell(tr, widths[column])
                if column < len(row_figures):
                    figure = row_figures[column]
                    self.paragraph(tc, "FigureValue", figure.value, lang=lang)
                    self.paragraph(tc, "FigureLabel", figure.label, lang=lang)
                    if figure.secondary_label:
                        self.paragraph(tc, "FigureLabelSecondary", figure.secondary_label, lang=lang)
                    if figure.note:
                        self.paragraph(tc, "FigureNote", figure.note, lang=lang)
                else:
                    self.paragraph(tc, "FigureLabel", ())

    def table(self, parent: etree._Element, node: t.Table, lang: str | None) -> None:
        columns = max((len(r) for r in (node.header, *node.rows)), default=0)
        if columns == 0:
            return
        tbl, widths = _table(parent, "ReportTable", columns, header=bool(node.header))
        if node.header:
            self.table_row(tbl, node.header, widths, "TableHeading", lang, header=True)
        for row in node.rows:
            self.table_row(tbl, row, widths, "TableText", lang)

    def table_row(
        self,
        tbl: etree._Element,
        cells: tuple[tuple[t.Inline, ...], ...],
        widths: list[int],
        style: str,
        lang: str | None,
        header: bool = False,
    ) -> None:
        tr = etree.SubElement(tbl, _w("tr"))
        _add(tr, "trPr", [("cantSplit", {})] + ([("tblHeader", {})] if header else []))
        for column, width in enumerate(widths):
            tc = _cell(tr, width)
            self.paragraph(tc, style, cells[column] if column < len(cells) else (), lang=lang)

    def aligned(self, parent: etree._Element, node: t.Aligned) -> None:
        """One column per language, one row per item; a cell holds its rendered block."""
        columns = max((len(node.langs), *(len(r) for r in node.rows)), default=0)
        if columns == 0 or not node.rows:
            return
        tbl, widths = _table(parent, "AlignedTable", columns)
        for row in node.rows:
            tr = etree.SubElement(tbl, _w("tr"))
            for column, width in enumerate(widths):
                tc = _cell(tr, width)
                lang = node.langs[column] if column < len(node.langs) else None
                self.blocks(tc, row[column : column + 1], lang)
                if tc[-1].tag != _P:  # a cell ends with a paragraph
                    self.paragraph(tc, "Normal", ())

    # -- inlines

    def inlines(
        self,
        parent: etree._Element,
        nodes: Iterable[t.Inline],
        marks: frozenset[str] = frozenset(),
        in_link: bool = False,
        lang: str | None = None,
    ) -> None:
        for node in nodes:
            if isinstance(node, t.Span):
                if node.note and self.notes and node.text:
                    self.commented_run(parent, node, _MARK_STYLE[marks], node.lang or lang)
                else:
                    self.text_run(parent, node.text, _MARK_STYLE[marks], node.lang or lang)
            elif isinstance(node, t.Strong):
                self.inlines(parent, node.children, marks | {_STRONG}, in_link, lang)
            elif isinstance(node, t.Emphasis):
                self.inlines(parent, node.children, marks | {_EMPH}, in_link, lang)
            elif isinstance(node, t.Link):
                if in_link:  # hyperlinks cannot nest: the inner one is plain content
                    self.inlines(parent, node.children, marks, in_link, lang)
                    continue
                link = etree.SubElement(parent, _HYPERLINK)
                link.set(f"{{{_R}}}id", self.part.relate_to(_uri(node.url), RT.HYPERLINK, is_external=True))
                link.set(_w("history"), "1")
                self.inlines(link, node.children, marks | {_LINK}, True, lang)
            elif isinstance(node, t.CiteRef):
                bookmark = self._bookmark(node.target, node.label)
                if self.notes:
                    note_id = len(self.state.footnotes) + 1
                    self.state.footnotes.append((note_id, node))
                    etree.SubElement(self.run(parent, "FootnoteReference", None), _FOOTNOTE_REF).set(
                        _w("id"), str(note_id)
                    )
                    continue
                container = parent
                if not in_link:
                    container = etree.SubElement(parent, _HYPERLINK)
                    container.set(_w("anchor"), bookmark)
                    container.set(_w("history"), "1")
                self.text_run(container, node.label, _CITATION_STYLE, None)
            elif isinstance(node, t.PageNumber):
                self.field(parent, "PAGE", _MARK_STYLE[marks])
            elif isinstance(node, t.PageCount):
                self.field(parent, "NUMPAGES", _MARK_STYLE[marks])
            else:  # pragma: no cover - the tree is closed
                raise TypeError(f"not a doctree inline: {node!r}")

    def commented_run(self, parent: etree._Element, span: t.Span, style: str | None, lang: str | None) -> None:
        """The span's text between comment range marks, then the comment's reference mark."""
        assert span.note is not None
        comment_id = str(len(self.state.comments))
        self.state.comments.append((len(self.state.comments), span.note))
        etree.SubElement(parent, _COMMENT_START).set(_w("id"), comment_id)
        self.text_run(parent, span.text, style, lang)
        etree.SubElement(parent, _COMMENT_END).set(_w("id"), comment_id)
        etree.SubElement(self.run(parent, "CommentReference", None), _COMMENT_REF).set(_w("id"), comment_id)

    def text_run(self, parent: etree._Element, text: str, style: str | None, lang: str | None) -> None:
        if not text:
            return
        bad = _NOT_XML.search(text)
        if bad is not None:
            raise ValueError(f"U+{ord(bad.group()):04X} cannot be written to DOCX, in text {text[:60]!r}")
        r = self.run(parent, style, lang)
        for piece in _LINE_BREAK.split(text):
            if piece == "\t":
                etree.SubElement(r, _TAB)
            elif piece in ("\n", "\r\n", "\r"):
                etree.SubElement(r, _BR)
            elif piece:
                t_el = etree.SubElement(r, _T)
                t_el.text = piece
                if piece[0].isspace() or piece[-1].isspace() or "  " in piece:
                    t_el.set(_XML_SPACE, "preserve")

    def run(self, parent: etree._Element, style: str | None, lang: str | None) -> etree._Element:
        """A new run with its character style, East Asian hint and language, nothing else."""
        r = etree.SubElement(parent, _R_)
        word_lang = _word_lang(lang) if lang else None
        if word_lang == self.env.lang:
            word_lang = None
        cjk = _is_cjk(lang) if lang else self.env.cjk
        if style is None and not cjk and word_lang is None:
            return r
        rpr = etree.SubElement(r, _RPR)
        if style is not None:
            etree.SubElement(rpr, _RSTYLE).set(_VAL, style)
        if cjk:
            etree.SubElement(rpr, _RFONTS).set(_w("hint"), "eastAsia")
        if word_lang is not None:
            assert lang is not None
            primary = _primary(lang)
            slot = "eastAsia" if primary in _CJK_LANGS else "bidi" if primary in _RTL_LANGS else "val"
            etree.SubElement(rpr, _LANG).set(_w(slot), word_lang)
        return r

    def field(self, parent: etree._Element, instruction: str, style: str | None, result: str = "1") -> None:
        """A complex field (PAGE, NUMPAGES) with ``result`` as its cached result."""
        self.field_char(parent, "begin", style)
        self.field_instruction(parent, instruction, style)
        self.field_char(parent, "separate", style)
        if result:
            etree.SubElement(self.run(parent, style, None), _T).text = result
        self.field_char(parent, "end", style)

    def field_char(self, parent: etree._Element, kind: str, style: str | None = None) -> None:
        etree.SubElement(self.run(parent, style, None), _FLDCHAR).set(_w("fldCharType"), kind)

    def field_instruction(self, parent: etree._Element, instruction: str, style: str | None = None) -> None:
        instr = etree.SubElement(self.run(parent, style, None), _INSTR)
        instr.text = f" {instruction} "
        instr.set(_XML_SPACE, "preserve")

    def _bookmark(self, target: str, label: str) -> str:
        try:
            return self.env.bookmarks[target]
        except KeyError:
            raise ValueError(f"citation {label!r} points at {target!r}, which no block anchors") from None


def _styled(style: str, secondary: bool) -> str:
    return _SECONDARY_STYLE.get(style, style) if secondary else style


def _uri(url: str) -> str:
    """``url`` as a URI Word accepts as a relationship target: spaces, angle brackets,
    non-ASCII and the other characters a URI cannot hold are percent-encoded, and an
    internationalized host name takes its IDNA form. The link text keeps the URL as written."""
    try:
        parts = urllib.parse.urlsplit(url)
        hostname = parts.hostname
    except ValueError:  # e.g. an unclosed "[" of an IPv6 host
        return urllib.parse.quote(url, safe=_URI_SAFE)
    netloc = parts.netloc
    if not netloc.isascii() and hostname:
        try:
            netloc = netloc.replace(hostname, hostname.encode("idna").decode("ascii"))
        except UnicodeError:
            pass  # left to the percent-encoding below
    url = urllib.parse.urlunsplit(parts._replace(netloc=netloc)) if netloc != parts.netloc else url
    return urllib.parse.quote(url, safe=_URI_SAFE)


# ---------------------------------------------------------------- tables


def _figure_columns(count: int, widest_value_pt: float) -> int:
    """Tiles per row, 2 to 4: the fewest empty tiles, then the most tiles per row, such
    that the widest value fits on one line; 2 when none does."""
    candidates = sorted((c for c in (4, 3, 2) if c <= max(count, 2)), key=lambda c: (-count % c, -c))
    for columns in candidates:
        if widest_value_pt <= (_TEXT_WIDTH / columns - 2 * _FIGURE_CELL_MARGIN) / 20 * 0.95:
            return columns
    return 2


def _text_width(text: str, size_pt: float) -> float:
    """A rough width in points: a full em for wide (CJK) characters, 0.6 em for others."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return (wide + 0.6 * (len(text) - wide)) * size_pt


def _style_chain(docx_doc: DocxDocument, style_id: str) -> Iterator[etree._Element]:
    """A style, then the style it is based on, and so on: where Word looks up a property."""
    by_id = {s.get(_w("styleId")): s for s in docx_doc.styles.element.iter(_w("style"))}
    style = by_id.get(style_id)
    while style is not None:
        yield style
        based_on = style.find(_w("basedOn"))
        style = by_id.get(based_on.get(_VAL)) if based_on is not None else None


def _style_font_size(docx_doc: DocxDocument, style_id: str) -> float:
    """The font size in points a paragraph style gives (following basedOn), 12 if none."""
    for style in _style_chain(docx_doc, style_id):
        sz = style.find(f"{_RPR}/{_w('sz')}")
        if sz is not None:
            return int(sz.get(_VAL)) / 2
    return 12.0


def _table(
    parent: etree._Element, style: str, columns: int, header: bool = False
) -> tuple[etree._Element, list[int]]:
    """An empty full-width table in ``style`` with equal columns; returns it and the widths."""
    widths = [_TEXT_WIDTH // columns] * columns
    widths[-1] += _TEXT_WIDTH - sum(widths)
    tbl = etree.SubElement(parent, _w("tbl"))
    _add(
        tbl,
        "tblPr",
        [
            ("tblStyle", {"val": style}),
            ("tblW", {"w": "5000", "type": "pct"}),
            ("tblLayout", {"type": "fixed"}),
            (
                "tblLook",
                {
                    "val": "0020" if header else "0000",
                    "firstRow": "1" if header else "0",
                    "lastRow": "0",
                    "firstColumn": "0",
                    "lastColumn": "0",
                    "noHBand": "1",
                    "noVBand": "1",
                },
            ),
        ],
    )
    _add(tbl, "tblGrid", [("gridCol", {"w": str(w)}) for w in widths])
    return tbl, widths


def _cell(tr: etree._Element, width: int) -> etree._Element:
    tc = etree.SubElement(tr, _w("tc"))
    _add(tc, "tcPr", [("tcW", {"w": str(width), "type": "dxa"})])
    return tc


def _add(parent: etree._Element, name: str, children: list[tuple[str, dict[str, str]]]) -> etree._Element:
    element = etree.SubElement(parent, _w(name))
    for child, attrs in children:
        sub = etree.SubElement(element, _w(child))
        for key, value in attrs.items():
            sub.set(_w(key), value)
    return element


def _add_bullet_numbering(p: etree._Element, num_id: str) -> None:
    ppr = p[0]
    numpr = etree.Element(_NUMPR)
    etree.SubElement(numpr, _ILVL).set(_VAL, "0")
    etree.SubElement(numpr, _NUMID).set(_VAL, num_id)
    ppr[0].addnext(numpr)  # right after w:pStyle


def _bullet_num_id(docx_doc: DocxDocument, style_id: str) -> str:
    """The numbering instance of the "List Bullet" style (following basedOn), else the bundled one."""
    for style in _style_chain(docx_doc, style_id):
        num_id = style.find(f"{_PPR}/{_NUMPR}/{_NUMID}")
        if num_id is not None:
            return num_id.get(_VAL)
    return _BULLET_NUM_ID


# ---------------------------------------------------------------- footnotes and comments

_NOTES_XML = (
    f'<w:footnotes xmlns:w="{_W}" xmlns:r="{_R}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
    "<w:r><w:separator/></w:r></w:p></w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
    "<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    "</w:footnotes>"
)


def _write_footnotes(docx_doc: DocxDocument, env: _Env, state: _State, sect_pr: etree._Element) -> etree._Element:
    """The footnotes part: separators, then one note per citation holding its target's content."""
    root = parse_xml(_NOTES_XML)
    part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, root, docx_doc.part.package)
    docx_doc.part.relate_to(part, RT.FOOTNOTES)
    writer = _StoryWriter(env, state, part)
    for note_id, cite in state.footnotes:
        note = etree.SubElement(root, _FOOTNOTE)
        note.set(_w("id"), str(note_id))
        target = env.targets[cite.target]
        inlines = _without_label(_block_inlines(target), cite.label)
        p = writer.paragraph(note, "FootnoteText", ())
        etree.SubElement(writer.run(p, "FootnoteReference", None), _w("footnoteRef"))
        etree.SubElement(writer.run(p, None, None), _TAB)
        writer.inlines(p, inlines, lang=getattr(target, "lang", None))
    # numbering: in the section and (with the separators) in the settings
    fmt, restart = _FOOTNOTE_FORMAT_CJK if env.cjk else _FOOTNOTE_FORMAT
    pr = etree.Element(_w("footnotePr"))
    etree.SubElement(pr, _w("numFmt")).set(_VAL, fmt)
    etree.SubElement(pr, _w("numRestart")).set(_VAL, restart)
    refs = [r for r in sect_pr if r.tag in (_w("headerReference"), _w("footerReference"))]
    (refs[-1].addnext(pr) if refs else sect_pr.insert(0, pr))
    settings = docx_doc.settings.element
    settings_pr = _child(settings, "footnotePr", _SETTINGS_ORDER)
    for child in list(settings_pr):
        settings_pr.remove(child)
    etree.SubElement(settings_pr, _w("numFmt")).set(_VAL, fmt)
    etree.SubElement(settings_pr, _w("numRestart")).set(_VAL, restart)
    for separator in ("-1", "0"):
        etree.SubElement(settings_pr, _FOOTNOTE).set(_w("id"), separator)
    return root


def _block_inlines(block: t.Block) -> tuple[t.Inline, ...]:
    if isinstance(block, (t.Title, t.Heading, t.Paragraph)):
        return block.children
    return ()  # pragma: no cover - only those blocks carry anchors


def _without_label(inlines: tuple[t.Inline, ...], label: str) -> tuple[t.Inline, ...]:
    """``inlines`` less a leading ``label`` ("[1] "): the footnote number takes its place."""
    if not inlines or not label or not isinstance(inlines[0], t.Span):
        return inlines
    first = inlines[0]
    if not first.text.startswith(label):
        return inlines
    rest = first.text[len(label) :].lstrip()
    head = (replace(first, text=rest),) if rest else ()
    return head + inlines[1:]


def _write_comments(docx_doc: DocxDocument, env: _Env, state: _State) -> etree._Element:
    """The comments part: one comment per ``Span.note``, by reportgen, on the document date."""
    root = parse_xml(f'<w:comments xmlns:w="{_W}" xmlns:r="{_R}"/>')
    part = XmlPart(PackURI("/word/comments.xml"), CT.WML_COMMENTS, root, docx_doc.part.package)
    docx_doc.part.relate_to(part, RT.COMMENTS)
    writer = _StoryWriter(env, state, part)
    date = env.date.strftime("%Y-%m-%dT%H:%M:%SZ")
    for comment_id, text in state.comments:
        comment = etree.SubElement(root, _w("comment"))
        comment.set(_w("id"), str(comment_id))
        comment.set(_w("author"), _COMMENT_AUTHOR)
        comment.set(_w("date"), date)
        comment.set(_w("initials"), _COMMENT_INITIALS)
        p = writer.paragraph(comment, "CommentText", ())
        etree.SubElement(writer.run(p, "CommentReference", None), _w("annotationRef"))
        writer.text_run(p, text, None, None)
    return root


# ---------------------------------------------------------------- contents


def _contents(blocks: tuple[t.Block, ...], bookmarks: Mapping[str, str]) -> tuple[tuple[_TocEntry, ...], dict[int, str]]:
    """The entries of the contents (top-level headings of levels 1–3 that are not secondary)
    and hidden bookmarks for those without an anchor; nothing without a contents heading."""
    if not any(isinstance(b, t.Heading) and b.anchor == _CONTENTS_ANCHOR for b in blocks):
        return (), {}
    entries: list[_TocEntry] = []
    generated: dict[int, str] = {}
    contents_seen = False
    for index, block in enumerate(blocks):
        if not isinstance(block, t.Heading) or block.secondary:
            continue
        if block.anchor == _CONTENTS_ANCHOR and not contents_seen:
            contents_seen = True
            continue
        if block.anchor is not None:
            name = bookmarks[block.anchor]
        else:
            name = generated[index] = f"_Toc{len(generated) + 1:08d}"
        text = t.plain_text(block.children).replace("\n", " ")
        entries.append(_TocEntry(min(max(block.level, 1), 3), text, name, block.lang))
    return tuple(entries), generated


# ---------------------------------------------------------------- header and footer


def _write_header_footer(
    docx_doc: DocxDocument, document: t.Document, env: _Env, state: _State
) -> list[etree._Element]:
    """A different first page: the footer on every page (page 1 has its own copy, so
    editors can change it alone), the running header (if any) from page 2. Returns the
    roots of the parts written."""
    if not document.footer and not document.header:
        return []
    section = docx_doc.sections[0]
    section.different_first_page_header_footer = True
    stories: list[tuple[_Header | _Footer, str, tuple[t.Inline, ...]]] = []
    if document.footer:
        stories.append((section.footer, "Footer", document.footer))
        stories.append((section.first_page_footer, "Footer", document.footer))
    if document.header:
        stories.append((section.header, "Header", document.header))
        # empty, and in the Footer style: the Header style's rule must not show on page 1
        stories.append((section.first_page_header, "Footer", ()))
    roots = []
    for story, style, inlines in stories:
        story.is_linked_to_previous = False  # gives the section its own part for this story
        root = story.part.element  # w:hdr / w:ftr, holding python-docx's template paragraph
        for child in list(root):
            root.remove(child)
        _StoryWriter(env, state, story.part).paragraph(root, style, inlines)
        roots.append(root)
    return roots


# ---------------------------------------------------------------- language and properties


def _set_language(docx_doc: DocxDocument, lang: str, cjk: bool, tweak: bool = True) -> None:
    """Language tags in the document defaults and settings; non-CJK style values (unless
    ``tweak`` is false: a user's reference document keeps its own values)."""
    styles = docx_doc.styles.element
    east_asian = lang if cjk else "zh-CN"
    latin = "en-US" if cjk else lang
    defaults = _child(styles, "docDefaults", ["docDefaults", "latentStyles", "style"])
    rpr_default = _child(_child(defaults, "rPrDefault", ["rPrDefault", "pPrDefault"]), "rPr", ["rPr"])
    default_lang = _child(rpr_default, "lang", _RPR_ORDER)
    default_lang.set(_VAL, latin)
    default_lang.set(_w("eastAsia"), east_asian)
    theme_lang = docx_doc.settings.element.find(_w("themeFontLang"))
    theme_lang.set(_VAL, latin)
    theme_lang.set(_w("eastAsia"), east_asian)
    if not cjk and tweak:
        _apply_tweaks(styles, _LATIN_TWEAKS)
        by_id = {s.get(_w("styleId")): s for s in styles.iter(_w("style"))}
        for base, secondary in _SECONDARY_STYLE.items():
            size = round(_effective_size(by_id, base) * _SECONDARY_SCALE)
            _apply_tweaks(styles, {secondary: {"sz": size}})


def _effective_size(by_id: Mapping[str, etree._Element], style_id: str) -> int:
    """The size in half-points a style gives (following basedOn), 24 if none."""
    style = by_id.get(style_id)
    while style is not None:
        sz = style.find(f"{_RPR}/{_w('sz')}")
        if sz is not None:
            return int(sz.get(_VAL))
        based_on = style.find(_w("basedOn"))
        style = by_id.get(based_on.get(_VAL)) if based_on is not None else None
    return 24


def _apply_tweaks(styles: etree._Element, tweaks: Mapping[str, Mapping[str, object]]) -> None:
    """Rewrite style properties as ``_LATIN_TWEAKS`` describes, keeping schema order."""
    by_id = {s.get(_w("styleId")): s for s in styles.iter(_w("style"))}
    for style_id, changes in tweaks.items():
        if style_id:
            style = by_id[style_id]
        else:
            style = styles.find(f"{_w('docDefaults')}/{_w('rPrDefault')}")
        for prop, value in changes.items():
            if prop in ("sz", "b", "i", "em"):
                rpr = _child(style, "rPr", _STYLE_ORDER)
                names = {"sz": ("sz", "szCs"), "b": ("b", "bCs"), "i": ("i", "iCs"), "em": ("em",)}[prop]
                for name in names:
                    if value is None or value is False:
                        _remove(rpr, name)
                    elif value is True:
                        _child(rpr, name, _RPR_ORDER)
                    else:
                        _child(rpr, name, _RPR_ORDER).set(_VAL, str(value))
            else:
                ppr = _child(style, "pPr", _STYLE_ORDER)
                if prop == "line":
                    spacing = _child(ppr, "spacing", _PPR_ORDER)
                    spacing.set(_w("line"), str(value))
                    spacing.set(_w("lineRule"), "auto")
                elif prop == "jc":
                    _child(ppr, "jc", _PPR_ORDER).set(_VAL, str(value))
                elif prop == "ind" and value is None:
                    _remove(ppr, "ind")
                else:  # pragma: no cover - a typo in _LATIN_TWEAKS
                    raise KeyError(prop)


def _child(parent: etree._Element, name: str, order: list[str]) -> etree._Element:
    """The child ``w:name`` of ``parent``, created in schema order if missing."""
    found = parent.find(_w(name))
    if found is not None:
        return found
    new = etree.Element(_w(name))
    rank = order.index(name)
    for index, existing in enumerate(parent):
        local = etree.QName(existing).localname
        if local in order and order.index(local) > rank:
            parent.insert(index, new)
            return new
    parent.append(new)
    return new


def _remove(parent: etree._Element, name: str) -> None:
    found = parent.find(_w(name))
    if found is not None:
        parent.remove(found)


def _set_core_properties(docx_doc: DocxDocument, meta: t.Metadata) -> None:
    props = docx_doc.core_properties
    for name, value in (
        ("title", meta.title),
        ("subject", meta.subject),
        ("keywords", "; ".join(meta.keywords)),
        ("author", meta.author),
        ("language", meta.languages[0] if meta.languages else meta.lang),
    ):
        if value:
            setattr(props, name, _core_text(value))
    props.last_modified_by = _LAST_MODIFIED_BY
    props.revision = 1
    when = _document_date(meta.created)
    props.created = when
    props.modified = when


def _core_text(text: str) -> str:
    return text if len(text) <= _CORE_TEXT_LIMIT else text[: _CORE_TEXT_LIMIT - 1] + "…"


def _document_date(created: str | None) -> dt.datetime:
    """UTC time of ``created`` (an ISO date or date-time); never the clock."""
    if created:
        when = dt.datetime.fromisoformat(created)
        if when.tzinfo is None:
            return when.replace(tzinfo=dt.timezone.utc)
        return when.astimezone(dt.timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return _DEFAULT_DATE


# ---------------------------------------------------------------- languages


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def _is_cjk(tag: str) -> bool:
    return _primary(tag) in _CJK_LANGS


@cache
def _word_lang(tag: str) -> str:
    """The language-REGION form Word uses for a BCP 47 tag: "en" → "en-US", "zh-Hans" → "zh-CN"."""
    parts = tag.replace("_", "-").split("-")
    language = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if (len(p) == 2 and p.isalpha()) or p.isdigit()), None)
    if region is None:
        script = next((p.lower() for p in parts[1:] if len(p) == 4), None)
        region = _SCRIPT_REGION.get((language, script or "")) or _DEFAULT_REGION.get(language)
    return f"{language}-{region}" if region else language


# ---------------------------------------------------------------- bookmarks


def _anchored(blocks: Iterable[t.Block]) -> dict[str, t.Block]:
    """Every anchor of the tree (lists and aligned columns included) and its block, in
    document order; an anchor used twice raises ValueError."""
    found: dict[str, t.Block] = {}

    def visit(blocks: Iterable[t.Block]) -> None:
        for block in blocks:
            if isinstance(block, (t.Heading, t.Paragraph)) and block.anchor is not None:
                if block.anchor in found:
                    raise ValueError(f"anchor {block.anchor!r} is used by more than one block")
                found[block.anchor] = block
            elif isinstance(block, t.BulletList):
                visit(block.items)
            elif isinstance(block, t.Aligned):
                for row in block.rows:
                    visit(row)

    visit(blocks)
    return found


def _bookmark_names(anchors: Iterable[str]) -> dict[str, str]:
    """A valid, unique Word bookmark name for each anchor, in document order."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for anchor in anchors:
        name = re.sub(r"[^A-Za-z0-9_]", "_", anchor)
        if not name[:1].isalpha():  # must start with a letter; "_" would hide it
            name = "a" + name
        if len(name) > _BOOKMARK_MAX or name.lower() in taken:
            digest = hashlib.sha1(anchor.encode()).hexdigest()[:8]
            name = f"{name[: _BOOKMARK_MAX - 9]}_{digest}"
            if name.lower() in taken:  # pragma: no cover - a hash collision
                raise ValueError(f"no unique bookmark name for anchor {anchor!r}")
        names[anchor] = name
        taken.add(name.lower())
    return names


# ---------------------------------------------------------------- the reference and the package


@cache
def _bundled_styles() -> bytes:
    with zipfile.ZipFile(io.BytesIO(_reference_package())) as zf:
        return zf.read("word/styles.xml")


@cache
def _reference_package() -> bytes:
    """The bundled reference document, zipped (stored) in memory once per process.

    Its XML parts lose the comments and indentation that keep them readable in the
    repository."""
    root = resource_dir("docx") / "reference"
    parser = etree.XMLParser(remove_comments=True, remove_blank_text=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            data = path.read_bytes()
            if path.suffix in (".xml", ".rels"):
                tree = etree.fromstring(data, parser)
                data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
            zf.writestr(_zip_info(path.relative_to(root).as_posix(), zipfile.ZIP_STORED), data)
    return out.getvalue()


def _normalize_zip(data: bytes) -> bytes:
    """Re-zip python-docx's output with fixed dates and attributes, entries in its order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(_zip_info(info.filename, zipfile.ZIP_DEFLATED), zin.read(info))
    return out.getvalue()


def _zip_info(name: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    info.create_system = 0
    return info
