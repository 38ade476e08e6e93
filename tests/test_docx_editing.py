"""DOCX for editors: footnotes, comments, a filled-in contents, a different first page,
bilingual blocks, a user's reference document; and the whole through LibreOffice if present."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from reportgen import doctree as t
from reportgen.renderers import RenderOptions
from reportgen.renderers.docx import ReferenceDocxError, render

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CTNS = "http://schemas.openxmlformats.org/package/2006/content-types"
NS = {"w": W, "r": R, "pr": PR, "ct": CTNS}
FONTS_CONF = Path(__file__).parent / "fontconfig" / "fonts.conf"

URL = "https://www.ce.cn/xwzx/gnsz/gdxw/202508/t20250827_1.shtml"
SOURCE_1 = "[1] 中国经济网，《2025数博会“数字政府”交流活动举行》，2025年8月27日，第1段，"
SOURCE_2 = "[2] Xinhua, “Digital government forum”, August 27, 2025, para. 4."


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def S(text: str, lang: str | None = None, note: str | None = None) -> t.Span:
    return t.Span(text, lang, note=note)


def sample(lang: str = "zh-CN", contents: bool = True) -> t.Document:
    """A bilingual briefing: a contents heading, citations, notes for editors, secondary
    blocks, side-by-side columns and a key figure with a secondary label."""
    zh = lang.startswith("zh")
    other = "en" if zh else "zh-CN"
    blocks: list[t.Block] = [
        t.Title((S("数字政府交流活动" if zh else "Digital Government Exchange"),)),
        t.Title((S("Digital Government Exchange" if zh else "数字政府交流活动"),), lang=other, secondary=True),
    ]
    if contents:
        blocks.append(t.Heading(1, (S("目录" if zh else "Contents"),), anchor="contents"))
    blocks += [
        t.Heading(1, (S("摘要"),), anchor="summary"),
        t.Heading(1, (S("Summary"),), lang=other, secondary=True),
        t.Paragraph(
            "summary",
            (S("核心观点"), t.CiteRef("[1]", "source-1"), S("，再引"), t.CiteRef("[2]", "source-2")),
        ),
        t.Paragraph("summary", (S("The core view.", note="no zh text, used en"),), lang="en", secondary=True),
        t.Heading(2, (S("无锚点的小节"),)),
        t.BulletList(
            (
                t.Paragraph("point", (t.Strong((S("Jia Lijun", note="no zh name, used en"),)), S("：发言")), lang=lang),
                t.Paragraph("point", (S("Jia Lijun: a statement"),), lang="en", secondary=True),
            )
        ),
        t.FigureGroup(
            (
                t.KeyFigure((S("9年"),), (S("连续位居前列"),), (S("贵州"), t.CiteRef("[1]", "source-1")), (S("Years at the top"),)),
                t.KeyFigure((S("100%"),), (S("网上可办率"),)),
            )
        ),
        t.Heading(1, (S("对照"),), anchor="aligned"),
        t.Aligned(
            ("zh-CN", "en"),
            (
                (t.Paragraph("body", (S("数字政府建设应坚持整体协同。"),)), t.Paragraph("body", (S("Be holistic."),))),
                (t.Heading(3, (S("专家"),)), t.Heading(3, (S("Experts"),))),
            ),
        ),
        t.Heading(1, (S("资料来源"),), anchor="sources"),
        t.Paragraph("source", (S(SOURCE_1), t.Link(URL, (S(URL),))), anchor="source-1"),
        t.Paragraph("source", (S(SOURCE_2),), anchor="source-2", lang="en"),
    ]
    return t.Document(
        metadata=t.Metadata(
            lang=lang, title="数字政府", created="2025-08-27", languages=(lang, other), keywords=("数字政府",)
        ),
        blocks=tuple(blocks),
        footer=(S("第 "), t.PageNumber(), S(" 页 / 共 "), t.PageCount(), S(" 页")),
        header=(S("数字政府"),),
    )


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def xml(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(parts(data)[name])


def text_of(element: etree._Element) -> str:
    return "".join(x.text or "" for x in element.iter(w("t")))


def style_of(p: etree._Element) -> str:
    return p.find("w:pPr/w:pStyle", NS).get(w("val"))


def rel_of(data: bytes, source: str, rel_type: str) -> etree._Element:
    rels = xml(data, source)
    found = [r for r in rels.findall("pr:Relationship", NS) if r.get("Type").endswith("/" + rel_type)]
    assert len(found) == 1, rel_type
    return found[0]


@pytest.fixture(scope="module")
def zh() -> bytes:
    return render(sample("zh-CN"))


@pytest.fixture(scope="module")
def en() -> bytes:
    return render(sample("en"))


# ---------------------------------------------------------------- footnotes


def test_citations_are_footnotes_in_their_own_part(zh: bytes) -> None:
    assert rel_of(zh, "word/_rels/document.xml.rels", "footnotes").get("Target") == "footnotes.xml"
    types = xml(zh, "[Content_Types].xml")
    override = types.find("ct:Override[@PartName='/word/footnotes.xml']", NS)
    assert override.get("ContentType") == "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    notes = xml(zh, "word/footnotes.xml").findall("w:footnote", NS)
    assert [(n.get(w("type")), n.get(w("id"))) for n in notes[:2]] == [("separator", "-1"), ("continuationSeparator", "0")]
    assert notes[0].find(".//w:separator", NS) is not None
    assert notes[1].find(".//w:continuationSeparator", NS) is not None
    # one note per citation, in order: summary [1], summary [2], figure note [1]
    body = xml(zh, "word/document.xml")
    refs = [r.get(w("id")) for r in body.iter(w("footnoteReference"))]
    assert refs == ["1", "2", "3"] == [n.get(w("id")) for n in notes[2:]]
    for ref in body.iter(w("footnoteReference")):
        assert ref.getparent().find("w:rPr/w:rStyle", NS).get(w("val")) == "FootnoteReference"
    # no label imitating a note in the body
    assert "[1]" not in text_of(body.find("w:body", NS)).split("资料来源")[0]


def test_footnote_text_is_the_source_entry_without_its_label(zh: bytes) -> None:
    notes = xml(zh, "word/footnotes.xml").findall("w:footnote", NS)[2:]
    first, second, third = notes
    p = first.find("w:p", NS)
    assert style_of(p) == "FootnoteText"
    assert p.find("w:r/w:footnoteRef", NS) is not None
    assert text_of(first) == SOURCE_1[4:] + URL
    assert text_of(second) == SOURCE_2[4:]
    assert text_of(third) == text_of(first)
    # the link works from the footnote: its relationship belongs to the footnotes part
    link = first.find(".//w:hyperlink", NS)
    rels = xml(zh, "word/_rels/footnotes.xml.rels")
    rel = rels.find(f"pr:Relationship[@Id='{link.get(f'{{{R}}}id')}']", NS)
    assert rel.get("Target") == URL and rel.get("TargetMode") == "External"
    # the English source keeps its language inside a Chinese document
    assert second.find(".//w:r/w:rPr/w:lang", NS).get(w("val")) == "en-US"


def test_footnote_numbering_per_language(zh: bytes, en: bytes) -> None:
    for data, fmt, restart in ((zh, "decimalEnclosedCircleChinese", "eachPage"), (en, "decimal", "continuous")):
        sect = xml(data, "word/document.xml").find("w:body/w:sectPr", NS)
        assert sect.find("w:footnotePr/w:numFmt", NS).get(w("val")) == fmt
        assert sect.find("w:footnotePr/w:numRestart", NS).get(w("val")) == restart
        settings = xml(data, "word/settings.xml").find("w:footnotePr", NS)
        assert [f.get(w("id")) for f in settings.findall("w:footnote", NS)] == ["-1", "0"]
        assert settings.getnext().tag == w("compat")  # schema order


def test_without_citations_there_is_no_footnotes_part() -> None:
    data = render(t.Document(t.Metadata("en", "x"), (t.Paragraph("body", (S("plain"),)),)))
    assert "word/footnotes.xml" not in parts(data)
    assert "footnotePr" not in parts(data)["word/settings.xml"].decode()


# ---------------------------------------------------------------- comments


def test_notes_on_spans_are_comments_with_fixed_dates(zh: bytes) -> None:
    assert rel_of(zh, "word/_rels/document.xml.rels", "comments").get("Target") == "comments.xml"
    comments = xml(zh, "word/comments.xml").findall("w:comment", NS)
    assert [text_of(c) for c in comments] == ["no zh text, used en", "no zh name, used en"]
    for index, comment in enumerate(comments):
        assert comment.get(w("id")) == str(index)
        assert comment.get(w("author")) == "reportgen"
        assert comment.get(w("date")) == "2025-08-27T00:00:00Z"
        assert style_of(comment.find("w:p", NS)) == "CommentText"
    body = xml(zh, "word/document.xml")
    start = next(body.iter(w("commentRangeStart")))
    assert start.getnext().find("w:t", NS).text == "The core view."
    assert start.getnext().getnext().tag == w("commentRangeEnd")
    reference = start.getnext().getnext().getnext()
    assert reference.find("w:commentReference", NS).get(w("id")) == "0"
    # python-docx reads them back
    comment = next(iter(docx.Document(io.BytesIO(zh)).comments))
    assert comment.author == "reportgen" and comment.text == "no zh text, used en"


# ---------------------------------------------------------------- contents


def test_contents_are_filled_in_and_linked(zh: bytes) -> None:
    body = xml(zh, "word/document.xml").find("w:body", NS)
    paragraphs = body.findall("w:p", NS)
    heading = next(p for p in paragraphs if text_of(p) == "目录")
    assert style_of(heading) == "TOCHeading"
    entries = []
    p = heading.getnext()
    while p is not None and style_of(p).startswith("TOC"):
        entries.append(p)
        p = p.getnext()
    instructions = [i.text.strip() for i in entries[0].iter(w("instrText"))]
    assert instructions == ['TOC \\o "1-3" \\h \\z \\u']
    kinds = [f.get(w("fldCharType")) for e in entries for f in e.iter(w("fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    assert entries[-1][-1].find("w:fldChar", NS).get(w("fldCharType")) == "end"
    # one entry per heading of levels 1-3, not the secondary ones, not the contents itself
    assert [(style_of(e), text_of(e)) for e in entries] == [
        ("TOC1", "摘要"), ("TOC2", "无锚点的小节"), ("TOC1", "对照"), ("TOC1", "资料来源"),
    ]  # fmt: skip
    bookmarks = {b.get(w("name")): b for b in body.iter(w("bookmarkStart"))}
    for entry in entries:
        link = entry.find("w:hyperlink", NS)
        target = bookmarks[link.get(w("anchor"))]
        assert text_of(target.getparent()) == text_of(link)
    # a heading without an anchor gets a hidden bookmark
    assert entries[1].find("w:hyperlink", NS).get(w("anchor")).startswith("_Toc")
    # the contents heading style has no outline level; the secondary headings neither
    styles = {s.get(w("styleId")): s for s in xml(zh, "word/styles.xml").iter(w("style"))}
    for style_id in ("TOCHeading", "Heading1Secondary", "Heading2Secondary", "Heading3Secondary"):
        assert styles[style_id].find("w:pPr/w:outlineLvl", NS).get(w("val")) == "9"
    assert styles["TOC1"].find("w:pPr/w:tabs/w:tab", NS).get(w("leader")) == "dot"


def test_no_contents_without_a_contents_heading() -> None:
    data = render(sample(contents=False))
    body = xml(data, "word/document.xml")
    assert not [i for i in body.iter(w("instrText")) if "TOC" in i.text]
    assert not [b for b in body.iter(w("bookmarkStart")) if b.get(w("name")).startswith("_Toc")]


# ---------------------------------------------------------------- page, properties


def test_first_page_is_different(zh: bytes) -> None:
    sect = xml(zh, "word/document.xml").find("w:body/w:sectPr", NS)
    assert sect.find("w:titlePg", NS) is not None
    kinds = {(ref.tag.split("}")[1], ref.get(w("type"))) for ref in sect}
    assert {("footerReference", "first"), ("footerReference", "default"), ("headerReference", "first")} <= kinds


def test_core_language_is_the_first_of_two(zh: bytes, en: bytes) -> None:
    assert docx.Document(io.BytesIO(zh)).core_properties.language == "zh-CN"
    assert docx.Document(io.BytesIO(en)).core_properties.language == "en"


# ---------------------------------------------------------------- bilingual


def test_block_language_tags_every_run(zh: bytes, en: bytes) -> None:
    def run_of(data: bytes, text: str) -> etree._Element:
        body = xml(data, "word/document.xml")
        return next(x for x in body.iter(w("t")) if x.text == text).getparent()

    english = run_of(zh, "Summary")
    assert english.find("w:rPr/w:lang", NS).attrib == {w("val"): "en-US"}
    assert english.find("w:rPr/w:rFonts", NS) is None
    chinese = run_of(en, "Digital Government Exchange").getparent()  # Title in en: no tag needed
    assert chinese.find("w:r/w:rPr/w:lang", NS) is None
    chinese = run_of(en, "数字政府交流活动")
    assert chinese.find("w:rPr/w:lang", NS).attrib == {w("eastAsia"): "zh-CN"}
    assert chinese.find("w:rPr/w:rFonts", NS).get(w("hint")) == "eastAsia"


def test_secondary_blocks_use_secondary_styles(zh: bytes, en: bytes) -> None:
    body = xml(zh, "word/document.xml")
    style = {text_of(p): style_of(p) for p in body.iter(w("p"))}
    assert style["Digital Government Exchange"] == "TitleSecondary"
    assert style["Summary"] == "Heading1Secondary"
    assert style["The core view."] == "SummarySecondary"
    assert style["Jia Lijun: a statement"] == "PointSecondary"
    assert style["Years at the top"] == "FigureLabelSecondary"
    for data in (zh, en):
        styles = {s.get(w("styleId")): s for s in xml(data, "word/styles.xml").iter(w("style"))}
        for base in ("Title", "Heading1", "Summary", "Point", "FigureLabel", "Source"):
            secondary = styles[f"{base}Secondary"]
            assert secondary.find("w:basedOn", NS).get(w("val")) == base
            assert secondary.find("w:rPr/w:color", NS) is not None

            def size(style_id: str) -> int:
                s = styles[style_id]
                while s.find("w:rPr/w:sz", NS) is None:
                    s = styles[s.find("w:basedOn", NS).get(w("val"))]
                return int(s.find("w:rPr/w:sz", NS).get(w("val")))

            assert size(f"{base}Secondary") < size(base), (base, data is zh)
    # a secondary list item has no bullet of its own
    assert styles["PointSecondary"].find("w:pPr/w:numPr/w:numId", NS).get(w("val")) == "0"


def test_aligned_is_a_borderless_two_column_table(zh: bytes) -> None:
    body = xml(zh, "word/document.xml")
    table = next(tb for tb in body.iter(w("tbl")) if tb.find("w:tblPr/w:tblStyle", NS).get(w("val")) == "AlignedTable")
    rows = table.findall("w:tr", NS)
    assert len(table.findall("w:tblGrid/w:gridCol", NS)) == 2 and len(rows) == 2
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows)
    cells = [[text_of(c) for c in r.findall("w:tc", NS)] for r in rows]
    assert cells == [["数字政府建设应坚持整体协同。", "Be holistic."], ["专家", "Experts"]]
    english = rows[0].findall("w:tc", NS)[1].find(".//w:r", NS)
    assert english.find("w:rPr/w:lang", NS).get(w("val")) == "en-US"
    assert style_of(rows[1].findall("w:tc", NS)[0].find("w:p", NS)) == "Heading3"
    styles = {s.get(w("styleId")): s for s in xml(zh, "word/styles.xml").iter(w("style"))}
    assert all(b.get(w("val")) == "nil" for b in styles["AlignedTable"].find("w:tblPr/w:tblBorders", NS))


# ---------------------------------------------------------------- styles only, identical bytes


ALLOWED_RPR = {w("rStyle"), w("rFonts"), w("lang")}


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_no_direct_formatting_in_any_story(lang: str) -> None:
    data = render(sample(lang))
    names = [n for n in parts(data) if n.startswith("word/") and n.endswith(".xml")]
    stories = [n for n in names if n.split("/")[-1].startswith(("document", "header", "footer", "footnotes", "comments"))]
    assert {"word/footnotes.xml", "word/comments.xml"} <= set(stories)
    for name in stories:
        story = xml(data, name)
        for tag in ("sz", "color", "b", "i", "u", "shd", "jc", "spacing", "ind", "tabs", "vertAlign"):
            assert story.find(f".//w:{tag}", NS) is None, (name, tag)
        for rpr in story.iter(w("rPr")):
            assert {c.tag for c in rpr} <= ALLOWED_RPR, name
        for p in story.iter(w("p")):
            assert p.find("w:pPr/w:pStyle", NS) is not None, name
    styles = {s.get(w("styleId")) for s in xml(data, "word/styles.xml").iter(w("style"))}
    used = {el.get(w("val")) for n in stories for tag in ("pStyle", "rStyle", "tblStyle") for el in xml(data, n).iter(w(tag))}
    assert used <= styles


def test_same_tree_gives_the_same_bytes(zh: bytes) -> None:
    assert render(sample("zh-CN")) == zh


def test_python_docx_opens_it(zh: bytes) -> None:
    doc = docx.Document(io.BytesIO(zh))
    assert "核心观点，再引" in [p.text for p in doc.paragraphs]


# ---------------------------------------------------------------- --reference-docx


def restyled(data: bytes, rename: dict[str, str], drop: set[str] = frozenset()) -> bytes:
    """``data`` with style ids renamed (as Chinese Word does) and some styles removed."""
    files = parts(data)
    styles = etree.fromstring(files["word/styles.xml"])
    for style in list(styles.iter(w("style"))):
        name = style.find("w:name", NS).get(w("val"))
        if name in drop:
            styles.remove(style)
        style_id = style.get(w("styleId"))
        style.set(w("styleId"), rename.get(style_id, style_id))
        if name == "heading 1":
            style.find("w:name", NS).set(w("val"), "Heading 1")  # as LibreOffice writes it
            style.find("w:rPr/w:sz", NS).set(w("val"), "40")
    for el in styles.iter(w("basedOn"), w("next"), w("link")):
        el.set(w("val"), rename.get(el.get(w("val")), el.get(w("val"))))
    files["word/styles.xml"] = etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return out.getvalue()


def test_reference_docx_styles_are_used_by_name(zh: bytes, tmp_path: Path) -> None:
    reference = tmp_path / "house.docx"
    reference.write_bytes(restyled(zh, {"Heading1": "1", "Summary": "a3", "FootnoteText": "a5"}))
    data = render(sample("zh-CN"), RenderOptions(reference_docx=reference))
    styles = {s.get(w("styleId")): s for s in xml(data, "word/styles.xml").iter(w("style"))}
    assert styles["1"].find("w:rPr/w:sz", NS).get(w("val")) == "40"  # the house style, untouched
    body = xml(data, "word/document.xml")
    style = {text_of(p): style_of(p) for p in body.iter(w("p"))}
    assert style["摘要"] == "1" and style["核心观点，再引"] == "a3"
    notes = xml(data, "word/footnotes.xml")
    assert {style_of(p) for p in notes.iter(w("p"))} == {"a5"}
    used = {el.get(w("val")) for el in body.iter(w("pStyle"), w("rStyle"), w("tblStyle"))}
    assert used <= set(styles)


def test_reference_docx_missing_styles_are_reported(zh: bytes, tmp_path: Path) -> None:
    reference = tmp_path / "poor.docx"
    reference.write_bytes(restyled(zh, {}, drop={"Summary", "footnote text", "Aligned Table"}))
    with pytest.raises(ReferenceDocxError) as info:
        render(sample("zh-CN"), RenderOptions(reference_docx=reference))
    assert info.value.lines() == [
        f"{reference}: reference document lacks the paragraph style 'Summary'",
        f"{reference}: reference document lacks the paragraph style 'footnote text'",
        f"{reference}: reference document lacks the table style 'Aligned Table'",
    ]
    assert info.value.exit_code == 1


def test_reference_docx_needs_only_the_styles_used(zh: bytes, tmp_path: Path) -> None:
    reference = tmp_path / "lean.docx"
    reference.write_bytes(restyled(zh, {}, drop={"Strong Emphasis", "Citation", "Report Table"}))
    data = render(sample("zh-CN"), RenderOptions(reference_docx=reference))
    ids = {s.get(w("styleId")) for s in xml(data, "word/styles.xml").iter(w("style"))}
    assert "StrongEmphasis" not in ids and "Summary" in ids


@pytest.mark.parametrize("content", [None, b"not a zip"])
def test_reference_docx_unusable(tmp_path: Path, content: bytes | None) -> None:
    reference = tmp_path / "x.docx"
    if content is not None:
        reference.write_bytes(content)
    with pytest.raises(ReferenceDocxError, match="x.docx: "):
        render(sample("en"), RenderOptions(reference_docx=reference))


# ---------------------------------------------------------------- LibreOffice (if installed)


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None or shutil.which("pdftotext") is None, reason="LibreOffice or poppler missing")
def test_libreoffice_converts_without_warnings_and_keeps_every_text(tmp_path: Path) -> None:
    documents = {"zh": sample("zh-CN"), "en": sample("en")}
    for name, document in documents.items():
        (tmp_path / f"{name}.docx").write_bytes(render(document))
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF), HOME=str(tmp_path))
    run = subprocess.run(
        [_soffice(), f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *(str(tmp_path / f"{n}.docx") for n in documents)],
        capture_output=True, text=True, env=env, timeout=180,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    # LibreOffice's own start-up notices (Java) are not about the document
    problems = [line for line in run.stderr.splitlines() if line.strip() and "javaldx" not in line]
    assert problems == []
    for name, document in documents.items():
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.exists(), run.stdout
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        flat = "".join(text.split())
        for expected in _content_strings(document):
            assert "".join(expected.split()) in flat, expected


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice missing")
def test_a_docx_saved_by_libreoffice_is_a_usable_reference(zh: bytes, tmp_path: Path) -> None:
    (tmp_path / "house.docx").write_bytes(zh)
    run = subprocess.run(
        [_soffice(), f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
         "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "saved"), str(tmp_path / "house.docx")],
        capture_output=True, text=True, env=dict(os.environ, HOME=str(tmp_path)), timeout=180,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    data = render(sample("zh-CN"), RenderOptions(reference_docx=tmp_path / "saved" / "house.docx"))
    body = xml(data, "word/document.xml")
    styles = {s.get(w("styleId")): s.find("w:name", NS).get(w("val")) for s in xml(data, "word/styles.xml").iter(w("style"))}
    names = {styles[p.find("w:pPr/w:pStyle", NS).get(w("val"))] for p in body.iter(w("p"))}
    assert {"Title", "Summary", "Point", "Source"} <= names
    assert any(n.lower() == "heading 1" for n in names)


def _content_strings(document: t.Document) -> list[str]:
    out: list[str] = []

    def inline_texts(inlines: tuple[t.Inline, ...]) -> None:
        for node in inlines:
            if isinstance(node, t.Span):
                out.append(node.text)
            elif isinstance(node, (t.Strong, t.Emphasis, t.Link)):
                inline_texts(node.children)

    def visit(blocks: tuple[t.Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, (t.Title, t.Heading, t.Paragraph)):
                inline_texts(block.children)
            elif isinstance(block, t.BulletList):
                visit(block.items)
            elif isinstance(block, t.FigureGroup):
                for f in block.figures:
                    for part in (f.value, f.label, f.note, f.secondary_label):
                        inline_texts(part)
            elif isinstance(block, t.Aligned):
                for row in block.rows:
                    visit(row)

    visit(document.blocks)
    return [s for s in out if s.strip()]


def test_cli_reports_each_missing_style(zh: bytes, tmp_path: Path) -> None:
    from conftest import REFERENCE, run_cli

    reference = tmp_path / "poor.docx"
    reference.write_bytes(restyled(zh, {}, drop={"Summary", "Point"}))
    run = run_cli("build", REFERENCE, "--lang", "zh", "--format", "docx", "-o", tmp_path / "out",
                  "--reference-docx", reference)  # fmt: skip
    assert run.status == 1
    errors = [line for line in run.stderr.splitlines() if "error" in line]
    assert errors == [
        f"reportgen: error: {reference}: reference document lacks the paragraph style 'Summary'",
        f"reportgen: error: {reference}: reference document lacks the paragraph style 'Point'",
    ]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
