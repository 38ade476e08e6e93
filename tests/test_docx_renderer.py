"""The DOCX renderer: exact text, named styles instead of direct formatting, fields, reproducible bytes."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import docx
import pytest
from lxml import etree

from reportgen import doctree as t
from reportgen.renderers.docx import render

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = {"w": W, "r": R, "pr": PR}
HYPERLINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"

HOSTILE = "& < > \" ' {{ 7*7 }} <b>x</b> ]]> 𠮷 😀 \u202eRTL"
URL = "https://example.org/report?a=1&b=<2>"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def S(text: str, lang: str | None = None) -> t.Span:
    return t.Span(text, lang)


def sample(lang: str = "zh-CN", header: bool = True) -> t.Document:
    """A small document with every node kind, hostile text and text in a second language."""
    other = S("Jia Lijun", lang="en") if lang.startswith("zh") else S("数字政府", lang="zh-CN")
    blocks: tuple[t.Block, ...] = (
        t.Paragraph("masthead", (S("2025 数博会"),)),
        t.Title((S("标题 Title "), S(HOSTILE))),
        t.Paragraph("subtitle", (S("副标题"),)),
        t.Paragraph("meta", (t.Strong((S("日期："),)), S("2025年8月27日"))),
        t.Heading(1, (S("摘要 Summary"),), anchor="summary"),
        t.Paragraph(
            "summary",
            (S("核心观点"), other, t.CiteRef("[1]", "source-1"), t.CiteRef("[2]", "source-2")),
        ),
        t.Heading(2, (S("  two  spaces  "),), anchor="h2"),
        t.Heading(3, (S("three\tlevels"),)),
        t.Heading(4, (S("four, shown as three"),)),
        t.Paragraph(
            "body",
            (
                S("line one\nline two\r\nline three\ttabbed "),
                t.Emphasis((S("em"), t.Strong((S("strong em"),)))),
                t.Link(URL, (S("link "), t.Strong((S("strong link"),)), t.CiteRef("[1]", "source-1"))),
                S(HOSTILE),
            ),
            anchor="body-para",
        ),
        t.BulletList(
            (
                t.Paragraph("point", (t.Strong((S("Speaker:"),)), S(" said < & >"), t.CiteRef("[2]", "source-2"))),
                t.Paragraph("point", (S(HOSTILE),), anchor="point-2"),
                t.Paragraph("note", (S("a note in a list"),)),
            )
        ),
        t.FigureGroup(
            (
                t.KeyFigure((S("9年"),), (S("连续位居前列"),), (S("Jia Lijun"), t.CiteRef("[1]", "source-1"))),
                t.KeyFigure((S("100%"),), (S(HOSTILE),)),
                t.KeyFigure((S("超过10万亿元"),), (S("市场规模"),), (S("note"),)),
            )
        ),
        t.Table(
            ((S("姓名"),), (S("职务"),), (S("Organization & <co>"),)),
            (
                ((S("Jia Lijun"),), (S("副省长"),), (S(HOSTILE),)),
                ((S("Zhang Lifeng"),), ()),  # a short row is padded
            ),
        ),
        t.Heading(1, (S("来源"),), anchor="sources"),
        t.Paragraph("source", (S("[1] 中国经济网，"), t.Link(URL, (S(URL),))), anchor="source-1"),
        t.Paragraph("source", (S("[2] "), S(HOSTILE)), anchor="source-2"),
        t.Paragraph("keywords", (t.Strong((S("关键词："),)), S("数字政府；数据治理"))),
        t.Paragraph("note", (S("small print"),)),
    )
    return t.Document(
        metadata=t.Metadata(
            lang=lang,
            title="标题 & <Title>",
            subject="数字政府",
            keywords=("数字政府", "data & governance"),
            author="reportgen",
            created="2025-08-27",
        ),
        blocks=blocks,
        footer=(S("第 "), t.PageNumber(), S(" 页 共 "), t.PageCount(), S(" 页 & <x>")),
        header=(S("页眉 "), S(HOSTILE), t.CiteRef("[1]", "source-1")) if header else (),
    )


# ---------------------------------------------------------------- helpers


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def xml(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(parts(data)[name])


def part_for(data: bytes, rel_type: str, kind: str = "default") -> etree._Element:
    """The header or footer part the section refers to for ``kind`` pages."""
    document = xml(data, "word/document.xml")
    ref = document.find(f".//w:sectPr/w:{rel_type}Reference[@w:type='{kind}']", NS)
    assert ref is not None, f"no {kind} {rel_type}"
    rels = xml(data, "word/_rels/document.xml.rels")
    target = rels.find(f"pr:Relationship[@Id='{ref.get(f'{{{R}}}id')}']", NS).get("Target")
    return xml(data, f"word/{target}")


def paragraph_text(p: etree._Element) -> str:
    """Text of a paragraph as a reader sees it, without field codes or cached field results."""
    out: list[str] = []
    in_result = False
    for el in p.iter(w("t"), w("tab"), w("br"), w("fldChar")):
        if el.tag == w("fldChar"):
            in_result = el.get(w("fldCharType")) == "separate"
        elif in_result:
            continue
        elif el.tag == w("t"):
            out.append(el.text or "")
        elif el.tag == w("tab"):
            out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def texts(root: etree._Element) -> list[str]:
    return [s for s in (paragraph_text(p) for p in root.iter(w("p"))) if s]


def body_text(inlines: tuple[t.Inline, ...]) -> str:
    """Text of inlines as the body shows it: a citation is a footnote mark there, not its label."""
    return t.plain_text(tuple(_drop_cites(inlines)))


def _drop_cites(inlines: tuple[t.Inline, ...]) -> list[t.Inline]:
    out: list[t.Inline] = []
    for node in inlines:
        if isinstance(node, t.CiteRef):
            continue
        if isinstance(node, (t.Strong, t.Emphasis)):
            node = type(node)(tuple(_drop_cites(node.children)))
        elif isinstance(node, t.Link):
            node = t.Link(node.url, tuple(_drop_cites(node.children)))
        out.append(node)
    return out


def expected_texts(document: t.Document) -> list[str]:
    out: list[str] = []
    for block in document.blocks:
        if isinstance(block, (t.Title, t.Heading, t.Paragraph)):
            out.append(body_text(block.children))
        elif isinstance(block, t.BulletList):
            out.extend(body_text(item.children) for item in block.items)
        elif isinstance(block, t.FigureGroup):
            for figure in block.figures:
                out.extend(body_text(x) for x in (figure.value, figure.label, figure.secondary_label, figure.note))
        elif isinstance(block, t.Table):
            for row in (block.header, *block.rows):
                out.extend(body_text(cell) for cell in row)
    return [s.replace("\r\n", "\n").replace("\r", "\n") for s in out if s]


def style_ids(data: bytes) -> dict[str, etree._Element]:
    return {s.get(w("styleId")): s for s in xml(data, "word/styles.xml").iter(w("style"))}


@pytest.fixture(scope="module")
def zh() -> bytes:
    return render(sample("zh-CN"))


@pytest.fixture(scope="module")
def en() -> bytes:
    return render(sample("en"))


# ---------------------------------------------------------------- text


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_text_comes_back_exactly(lang: str) -> None:
    document = sample(lang)
    data = render(document)
    assert texts(xml(data, "word/document.xml")) == expected_texts(document)
    assert texts(part_for(data, "footer")) == [t.plain_text(document.footer)]
    assert texts(part_for(data, "footer", "first")) == [t.plain_text(document.footer)]
    assert texts(part_for(data, "header")) == [t.plain_text(document.header)]
    assert texts(part_for(data, "header", "first")) == []


def test_python_docx_reads_the_text_back(zh: bytes) -> None:
    doc = docx.Document(io.BytesIO(zh))
    paragraphs = [p.text for p in doc.paragraphs]
    assert f"标题 Title {HOSTILE}" in paragraphs
    cells = [c.text for table in doc.tables for row in table.rows for c in row.cells]
    assert HOSTILE in cells and "Organization & <co>" in cells


def test_line_breaks_tabs_and_spaces(zh: bytes) -> None:
    body = xml(zh, "word/document.xml")
    para = next(p for p in body.iter(w("p")) if paragraph_text(p).startswith("line one"))
    run = para.find("w:r", NS)
    assert [etree.QName(c).localname for c in run if c.tag != w("rPr")] == [
        "t", "br", "t", "br", "t", "tab", "t",
    ]  # fmt: skip
    assert run[-1].text == "tabbed " and run[-1].get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    spaced = next(x for x in body.iter(w("t")) if x.text == "  two  spaces  ")
    assert spaced.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_text_xml_cannot_carry_is_refused() -> None:
    document = t.Document(t.Metadata("en", "x"), (t.Paragraph("body", (S("bell \x07"),)),))
    with pytest.raises(ValueError, match="U\\+0007"):
        render(document)


# ---------------------------------------------------------------- styles, not direct formatting


ALLOWED_RPR = {w("rStyle"), w("rFonts"), w("lang")}
ALLOWED_PPR = {w("pStyle"), w("numPr")}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_body_has_no_direct_formatting(lang: str) -> None:
    data = render(sample(lang))
    stories = [xml(data, "word/document.xml")] + [
        part_for(data, kind, which) for kind in ("header", "footer") for which in ("default", "first")
    ]
    for story in stories:
        for tag in ("sz", "szCs", "color", "b", "bCs", "i", "iCs", "u", "highlight", "shd", "jc", "spacing", "ind"):
            assert story.find(f".//w:{tag}", NS) is None, tag
        for rpr in story.iter(w("rPr")):
            assert {c.tag for c in rpr} <= ALLOWED_RPR
            fonts = rpr.find("w:rFonts", NS)
            if fonts is not None:
                assert dict(fonts.attrib) == {w("hint"): "eastAsia"}
        for ppr in story.iter(w("pPr")):
            assert {c.tag for c in ppr} <= ALLOWED_PPR
        for p in story.iter(w("p")):
            assert p.find("w:pPr/w:pStyle", NS) is not None, "every paragraph names its style"


def test_every_style_used_exists(zh: bytes) -> None:
    ids = style_ids(zh)
    used: set[str] = set()
    for name, content in parts(zh).items():
        if name.startswith("word/") and name.endswith(".xml"):
            root = etree.fromstring(content)
            for tag in ("pStyle", "rStyle", "tblStyle"):
                used.update(el.get(w("val")) for el in root.iter(w(tag)) if name != "word/styles.xml")
    assert used and used <= set(ids)
    assert {"Title", "Heading1", "Heading2", "Heading3", "Point", "ListBullet", "Citation", "Strong"} <= used
    assert {"FootnoteText", "FootnoteReference"} <= used
    assert {"HyperlinkStrong", "StrongEmphasis", "FigureValue", "ReportTable", "FigureTable"} <= used


REQUIRED_STYLES = [
    "Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Caption",
    "Hyperlink", "Strong", "Emphasis", "Masthead", "Meta", "Summary", "Point", "Source", "Keywords",
    "Note", "Figure Value", "Figure Label", "Figure Note", "Citation", "Report Table", "Header", "Footer",
]  # fmt: skip


def test_reference_defines_the_named_styles(zh: bytes) -> None:
    styles = docx.Document(io.BytesIO(zh)).styles
    names = {s.name for s in styles}
    assert set(REQUIRED_STYLES) <= names


def test_fonts_are_named_for_latin_and_chinese(zh: bytes) -> None:
    styles = xml(zh, "word/styles.xml")
    for fonts in styles.iter(w("rFonts")):
        assert not any(k.endswith("Theme") for k in fonts.attrib), "theme fonts would override the names"
        if fonts.getparent().getparent().tag == w("style"):
            assert fonts.get(w("ascii")) and fonts.get(w("eastAsia")), etree.tostring(fonts)
    ids = style_ids(zh)

    def fonts_of(style_id: str) -> etree._Element:
        return ids[style_id].find("w:rPr/w:rFonts", NS)

    assert fonts_of("Normal").get(w("eastAsia")) == "宋体"
    assert fonts_of("Normal").get(w("ascii")) == "Times New Roman"
    for heading in ("Title", "Heading1"):
        assert fonts_of(heading).get(w("eastAsia")) == "黑体"
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert defaults.get(w("eastAsia")) == "宋体"


def test_headings_keep_with_next_and_citations_are_superscript(zh: bytes) -> None:
    ids = style_ids(zh)
    for style_id in ("Title", "Heading1", "Masthead", "TableHeading"):
        assert ids[style_id].find("w:pPr/w:keepNext", NS) is not None, style_id
    for style_id in ("Heading2", "Heading3"):  # they inherit it
        assert ids[style_id].find("w:basedOn", NS).get(w("val")) == "Heading1"
    assert ids["Citation"].find("w:rPr/w:vertAlign", NS).get(w("val")) == "superscript"


def test_bullets_have_a_numbering_definition(zh: bytes) -> None:
    numbering = xml(zh, "word/numbering.xml")
    num_id = style_ids(zh)["ListBullet"].find("w:pPr/w:numPr/w:numId", NS).get(w("val"))
    num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
    abstract_id = num.find("w:abstractNumId", NS).get(w("val"))
    level = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']/w:lvl[@w:ilvl='0']", NS)
    assert level.find("w:numFmt", NS).get(w("val")) == "bullet"
    # a list item whose role has no bulleted style keeps its style and gets the numbering
    body = xml(zh, "word/document.xml")
    note = next(p for p in body.iter(w("p")) if paragraph_text(p) == "a note in a list")
    assert note.find("w:pPr/w:pStyle", NS).get(w("val")) == "Note"
    assert note.find("w:pPr/w:numPr/w:numId", NS).get(w("val")) == num_id


@pytest.mark.parametrize(
    ("lang", "latin", "east_asian", "body_size"),
    [("zh-CN", "en-US", "zh-CN", "24"), ("en", "en-US", "zh-CN", "22"), ("en-GB", "en-GB", "zh-CN", "22")],
)
def test_language_and_body_size_follow_the_document(lang: str, latin: str, east_asian: str, body_size: str) -> None:
    data = render(sample(lang))
    styles = xml(data, "word/styles.xml")
    tag = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert (tag.get(w("val")), tag.get(w("eastAsia"))) == (latin, east_asian)
    theme = xml(data, "word/settings.xml").find("w:themeFontLang", NS)
    assert (theme.get(w("val")), theme.get(w("eastAsia"))) == (latin, east_asian)
    normal = style_ids(data)["Normal"]
    assert normal.find("w:rPr/w:sz", NS).get(w("val")) == body_size
    assert normal.find("w:rPr/w:szCs", NS).get(w("val")) == body_size


def test_english_documents_get_italic_emphasis_and_no_first_line_indent(en: bytes, zh: bytes) -> None:
    assert style_ids(zh)["Emphasis"].find("w:rPr/w:em", NS) is not None
    assert style_ids(en)["Emphasis"].find("w:rPr/w:em", NS) is None
    assert style_ids(en)["Emphasis"].find("w:rPr/w:i", NS) is not None
    assert style_ids(zh)["BodyText"].find("w:pPr/w:ind", NS) is not None
    assert style_ids(en)["BodyText"].find("w:pPr/w:ind", NS) is None


def test_spans_in_another_language_are_tagged(zh: bytes, en: bytes) -> None:
    def run_of(data: bytes, text: str) -> etree._Element:
        body = xml(data, "word/document.xml")
        return next(x for x in body.iter(w("t")) if x.text == text).getparent()

    english = run_of(zh, "Jia Lijun")
    assert english.find("w:rPr/w:lang", NS).attrib == {w("val"): "en-US"}
    assert english.find("w:rPr/w:rFonts", NS) is None  # Latin text: no East Asian hint
    assert run_of(zh, "核心观点").find("w:rPr/w:rFonts", NS).get(w("hint")) == "eastAsia"
    assert run_of(zh, "核心观点").find("w:rPr/w:lang", NS) is None

    chinese = run_of(en, "数字政府")
    assert chinese.find("w:rPr/w:lang", NS).attrib == {w("eastAsia"): "zh-CN"}
    assert chinese.find("w:rPr/w:rFonts", NS).get(w("hint")) == "eastAsia"
    assert run_of(en, "核心观点").find("w:rPr", NS) is None


# ---------------------------------------------------------------- structure


def test_strong_emphasis_and_links_use_character_styles(zh: bytes) -> None:
    body = xml(zh, "word/document.xml")

    def style_of(text: str) -> str | None:
        run = next(x for x in body.iter(w("t")) if x.text == text).getparent()
        style = run.find("w:rPr/w:rStyle", NS)
        return None if style is None else style.get(w("val"))

    assert style_of("日期：") == "Strong"
    assert style_of("em") == "Emphasis"
    assert style_of("strong em") == "StrongEmphasis"
    assert style_of("link ") == "Hyperlink"
    assert style_of("strong link") == "HyperlinkStrong"


def link_targets(data: bytes) -> list[str]:
    body = xml(data, "word/document.xml")
    rels = xml(data, "word/_rels/document.xml.rels")
    targets = []
    for link in body.iter(w("hyperlink")):
        if link.get(f"{{{R}}}id"):
            rel = rels.find(f"pr:Relationship[@Id='{link.get(f'{{{R}}}id')}']", NS)
            assert rel.get("Type") == HYPERLINK_REL
            assert rel.get("TargetMode") == "External"
            targets.append(rel.get("Target"))
    return targets


def test_external_link_has_an_external_relationship(zh: bytes) -> None:
    # characters a URI cannot hold are percent-encoded in the target; the text keeps them
    assert link_targets(zh) == ["https://example.org/report?a=1&b=%3C2%3E"] * 2


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("https://www.ce.cn/xwzx/202508/t20250827_1.shtml?a=1&b=2#p4", None),
        ("mailto:editor@example.org", None),
        ("https://example.org/a b/数据?q=中", "https://example.org/a%20b/%E6%95%B0%E6%8D%AE?q=%E4%B8%AD"),
        ("https://例子.中国/", "https://xn--fsqu00a.xn--fiqs8s/"),
    ],
)
def test_link_targets_are_uris(url: str, target: str | None) -> None:
    document = t.Document(t.Metadata("en", "x"), (t.Paragraph("body", (t.Link(url, (S(url),)),)),))
    data = render(document)
    assert link_targets(data) == [target or url]
    assert texts(xml(data, "word/document.xml")) == [url]


def test_bookmarks_are_paired(zh: bytes) -> None:
    body = xml(zh, "word/document.xml")
    starts = {b.get(w("name")): b.get(w("id")) for b in body.iter(w("bookmarkStart"))}
    ends = {b.get(w("id")) for b in body.iter(w("bookmarkEnd"))}
    assert set(starts.values()) == ends and len(ends) == len(starts)
    assert {"summary", "h2", "body_para", "point_2", "sources", "source_1", "source_2"} <= set(starts)


def test_bookmark_names_are_valid_and_unique() -> None:
    anchors = ["sec-1", "sec_1", "数字", "1st", "x" * 60, "x" * 60 + "y"]
    blocks = tuple(t.Heading(1, (S(a),), anchor=a) for a in anchors)
    cites = tuple(t.CiteRef(f"[{i}]", a) for i, a in enumerate(anchors))
    document = t.Document(t.Metadata("en", "x"), (*blocks, t.Paragraph("body", cites)))
    data = render(document)
    body = xml(data, "word/document.xml")
    names = [b.get(w("name")) for b in body.iter(w("bookmarkStart"))]
    assert len(names) == len({n.lower() for n in names}) == len(anchors)
    for name in names:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", name), name
    notes = xml(data, "word/footnotes.xml").findall("w:footnote", NS)[2:]
    assert [paragraph_text(n.find("w:p", NS)) for n in notes] == [f"\t{a}" for a in anchors]


def test_citation_to_a_missing_anchor_is_an_error() -> None:
    document = t.Document(t.Metadata("en", "x"), (t.Paragraph("body", (t.CiteRef("[9]", "nowhere"),)),))
    with pytest.raises(ValueError, match="nowhere"):
        render(document)


def test_headings_map_to_heading_styles_with_bookmarks(zh: bytes) -> None:
    body = xml(zh, "word/document.xml")
    by_text = {paragraph_text(p): p for p in body.iter(w("p"))}
    style = {k: p.find("w:pPr/w:pStyle", NS).get(w("val")) for k, p in by_text.items()}
    assert style[f"标题 Title {HOSTILE}"] == "Title"
    assert style["摘要 Summary"] == "Heading1"
    assert style["  two  spaces  "] == "Heading2"
    assert style["three\tlevels"] == style["four, shown as three"] == "Heading3"
    assert by_text["摘要 Summary"].find("w:bookmarkStart", NS).get(w("name")) == "summary"
    assert style["2025 数博会"] == "Masthead" and style["副标题"] == "Subtitle"
    assert style["small print"] == "Note" and style["Speaker: said < & >"] == "Point"


def test_table_has_a_repeating_header_row(zh: bytes) -> None:
    body = xml(zh, "word/document.xml")
    table = next(tb for tb in body.iter(w("tbl")) if tb.find("w:tblPr/w:tblStyle", NS).get(w("val")) == "ReportTable")
    rows = table.findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
    assert [len(r.findall("w:tc", NS)) for r in rows] == [3, 3, 3]  # the short row is padded
    assert len(table.findall("w:tblGrid/w:gridCol", NS)) == 3
    assert rows[0].find(".//w:pStyle", NS).get(w("val")) == "TableHeading"


def test_figures_are_tiles_in_a_borderless_table(zh: bytes) -> None:
    body = xml(zh, "word/document.xml")
    table = next(tb for tb in body.iter(w("tbl")) if tb.find("w:tblPr/w:tblStyle", NS).get(w("val")) == "FigureTable")
    cells = table.findall("w:tr/w:tc", NS)
    assert len(table.findall("w:tblGrid/w:gridCol", NS)) == 3
    first = [p.find("w:pPr/w:pStyle", NS).get(w("val")) for p in cells[0].findall("w:p", NS)]
    assert first == ["FigureValue", "FigureLabel", "FigureNote"]
    figure_table = style_ids(zh)["FigureTable"]
    assert all(b.get(w("val")) == "nil" for b in figure_table.find("w:tblPr/w:tblBorders", NS))


@pytest.mark.parametrize(("count", "columns"), [(1, 2), (2, 2), (3, 3), (4, 4), (5, 3), (7, 4), (9, 3)])
def test_figure_tiles_per_row(count: int, columns: int) -> None:
    figures = tuple(t.KeyFigure((S(f"{i}%"),), (S("label"),)) for i in range(count))
    document = t.Document(t.Metadata("en", "x"), (t.FigureGroup(figures),))
    table = xml(render(document), "word/document.xml").find(".//w:tbl", NS)
    assert len(table.findall("w:tblGrid/w:gridCol", NS)) == columns
    assert len(table.findall("w:tr/w:tc", NS)) % columns == 0


def test_long_figure_values_get_wider_tiles() -> None:
    figures = tuple(t.KeyFigure((S(v),), (S("label"),)) for v in ("9", "100%", "90%", "超过10万亿元以上"))
    document = t.Document(t.Metadata("zh-CN", "x"), (t.FigureGroup(figures),))
    table = xml(render(document), "word/document.xml").find(".//w:tbl", NS)
    assert len(table.findall("w:tblGrid/w:gridCol", NS)) == 2


# ---------------------------------------------------------------- page, header, footer, properties


def test_page_is_a4_with_25mm_margins(zh: bytes) -> None:
    sect = xml(zh, "word/document.xml").find("w:body/w:sectPr", NS)
    size = sect.find("w:pgSz", NS)
    assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")
    margins = sect.find("w:pgMar", NS)
    for side in ("top", "bottom", "left", "right"):
        assert abs(int(margins.get(w(side))) / 56.7 - 25) < 0.5


def test_footer_has_page_fields_on_every_page(zh: bytes) -> None:
    for kind in ("default", "first"):
        footer = part_for(zh, "footer", kind)
        assert [i.text.strip() for i in footer.iter(w("instrText"))] == ["PAGE", "NUMPAGES"]
        assert [f.get(w("fldCharType")) for f in footer.iter(w("fldChar"))] == ["begin", "separate", "end"] * 2
        assert footer.find("w:p/w:pPr/w:pStyle", NS).get(w("val")) == "Footer"
    sect = xml(zh, "word/document.xml").find("w:body/w:sectPr", NS)
    assert sect.find("w:titlePg", NS) is not None  # first page: empty header, same footer


def test_without_header_the_first_page_still_has_its_own_footer() -> None:
    data = render(sample("en", header=False))
    sect = xml(data, "word/document.xml").find("w:body/w:sectPr", NS)
    assert sect.find("w:titlePg", NS) is not None
    assert sect.find("w:headerReference", NS) is None
    for kind in ("default", "first"):
        assert [i.text.strip() for i in part_for(data, "footer", kind).iter(w("instrText"))] == ["PAGE", "NUMPAGES"]


def test_without_header_and_footer_there_are_none() -> None:
    document = t.Document(t.Metadata("en", "x"), (t.Paragraph("body", (S("text"),)),))
    sect = xml(render(document), "word/document.xml").find("w:body/w:sectPr", NS)
    assert sect.find("w:titlePg", NS) is None and sect.find("w:footerReference", NS) is None


def test_core_properties_come_from_the_metadata(zh: bytes) -> None:
    props = docx.Document(io.BytesIO(zh)).core_properties
    assert props.title == "标题 & <Title>"
    assert props.subject == "数字政府"
    assert props.keywords == "数字政府; data & governance"
    assert props.author == "reportgen"
    assert props.language == "zh-CN"
    assert props.created == props.modified == dt.datetime(2025, 8, 27, tzinfo=dt.timezone.utc)
    assert props.last_modified_by == "reportgen"
    assert props.revision == 1


def test_without_a_date_the_properties_use_a_fixed_one(monkeypatch: pytest.MonkeyPatch) -> None:
    document = t.Document(t.Metadata("en", "x"), ())
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert docx.Document(io.BytesIO(render(document))).core_properties.created == dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    created = docx.Document(io.BytesIO(render(document))).core_properties.created
    assert created == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)


def test_same_tree_gives_the_same_bytes(zh: bytes) -> None:
    again = render(sample("zh-CN"))
    assert again == zh
    with zipfile.ZipFile(io.BytesIO(zh)) as zf:
        assert zf.namelist()[0] == "[Content_Types].xml"
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_an_empty_document_is_still_a_valid_package() -> None:
    data = render(t.Document(t.Metadata("zh-CN", ""), ()))
    doc = docx.Document(io.BytesIO(data))
    assert doc.paragraphs == []
    assert round(doc.sections[0].page_width.mm) == 210
