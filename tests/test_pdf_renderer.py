"""The PDF renderer: text survives, fonts are embedded subsets, metadata, outline, footers, kinsoku."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from reportgen import doctree as dt
from reportgen.renderers import pdf
from reportgen.renderers.pdf_fonts import bundled_fonts
from reportgen.renderers.pdf_linebreak import (
    CANNOT_END,
    CANNOT_START,
    KinsokuParagraph,
    _chances,
    _cut,
    _pair_allowed,
    _pair_tables,
    _Text,
    _units,
    line_texts,
)
from reportgen.renderers.pdf_markup import escape

S = dt.Span

HOSTILE = (
    "<b>not bold</b>",
    "&amp;",
    "R&D",
    "]]>",
    "<para>",
    "{{ 7*7 }}",
    "%s %(name)s",
    "<script>alert(1)</script>",
    "&nbsp;&#169;",
    'a "quoted" \'word\'',
    "<br/>",
    "<a href='x'>",
)

ZH_TEXT = (
    "2025中国国际大数据产业博览会于5月26日在贵州省贵阳市开幕。本届数博会以“数智变革·共创未来”为主题，"
    "聚焦数字政府建设、数据要素市场化配置等议题，吸引了来自30多个国家和地区的企业参展。据统计，"
    "全国一体化政务服务平台实名注册用户超过10亿人，政务服务事项网上可办率达到99.99%，"
    "较上年增长4.62个百分点。台风Typhoon“海葵”影响期间，各地启用应急指挥系统（平台），确保信息及时发布。"
)
EN_TEXT = (
    "The 2025 China International Big Data Industry Expo opened in Guiyang on 26 May. "
    "It focused on digital government and the market allocation of data, drawing exhibitors "
    "from more than 30 countries and regions; 99.99% of services can be handled online."
)


# ---------------------------------------------------------------- helpers


def para(role: dt.ParagraphRole, *parts: str | dt.Inline, anchor: str | None = None) -> dt.Paragraph:
    return dt.Paragraph(role, tuple(S(p) if isinstance(p, str) else p for p in parts), anchor)


def document(
    blocks: tuple[dt.Block, ...],
    *,
    lang: str = "zh-CN",
    footer: tuple[dt.Inline, ...] = (),
    header: tuple[dt.Inline, ...] = (),
) -> dt.Document:
    meta = dt.Metadata(
        lang=lang,
        title="数字政府建设 & <简报>" if lang.startswith("zh") else "Digital government & <briefing>",
        subject="会议简报" if lang.startswith("zh") else "Briefing",
        keywords=("数字政府", "大数据") if lang.startswith("zh") else ("digital government", "data"),
        author="reportgen 测试" if lang.startswith("zh") else "reportgen tests",
    )
    return dt.Document(meta, blocks, footer=footer, header=header)


ZH_FOOTER = (S("第 "), dt.PageNumber(), S(" 页 / 共 "), dt.PageCount(), S(" 页"))
EN_FOOTER = (S("Page "), dt.PageNumber(), S(" of "), dt.PageCount())


def read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def squash(text: str) -> str:
    """Text without any whitespace: how Chinese compares across line breaks."""
    return re.sub(r"\s+", "", text)


def collapse(text: str) -> str:
    """Text with runs of whitespace made one space: how English compares across line breaks."""
    return " ".join(text.split())


def every_block_kind(lang: str) -> tuple[dt.Block, ...]:
    """One of each node kind, with hostile text in every place text can go."""
    zh = lang.startswith("zh")
    body = ZH_TEXT if zh else EN_TEXT
    hostile = tuple(S(f" {h} ") for h in HOSTILE)
    return (
        para("masthead", "数博会 <masthead>" if zh else "Big Data Expo <masthead>"),
        dt.Title((S("标题 <title> & 测试" if zh else "Title <title> & test"),)),
        para("subtitle", "副标题 %s" if zh else "Subtitle %s"),
        para("meta", "时间：2025年5月27日 {{ date }}" if zh else "Date: 27 May 2025 {{ date }}"),
        para("summary", dt.Strong((S("核心观点：" if zh else "Key message: "),)), body),
        dt.Heading(1, (S("一、概况 <h1>" if zh else "1. Overview <h1>"),), anchor="overview"),
        dt.Paragraph(
            "body",
            (
                S(body),
                dt.CiteRef("[1]", "src-1"),
                S(" 前言 " if zh else " Before "),
                dt.Strong((S("强调 <strong>" if zh else "strong <strong>"),)),
                S(" "),
                dt.Emphasis((S("强调 <em>" if zh else "emphasis <em>"),)),
                S(" "),
                dt.Link("https://example.org/a?b=1&c=2", (S("链接 <link>" if zh else "link <link>"),)),
                *hostile,
            ),
        ),
        dt.Heading(2, (S("（一）发言" if zh else "1.1 Statements"),)),
        para("point", dt.Strong((S("张明：" if zh else "Zhang Ming: "),)), body, anchor="pt"),
        dt.BulletList(
            (
                para("body", "第一项 <li>" if zh else "First item <li>"),
                para("body", body),
            )
        ),
        dt.FigureGroup(
            (
                dt.KeyFigure((S("10亿+"),), (S("注册用户 <label>" if zh else "users <label>"),), (S("来源 & 说明"),)),
                dt.KeyFigure((S("99.99%"),), (S("可办率" if zh else "online rate"),)),
                dt.KeyFigure((S("4.62"),), (S("增长" if zh else "growth"),), (S("较上年" if zh else "y/y"),)),
            )
        ),
        dt.Table(
            ((S("指标 <th>" if zh else "Indicator <th>"),), (S("数值"),)),
            (
                ((S("网上可办率 & 说明" if zh else "online rate & note"),), (S("99.99%"),)),
                ((S(body[:60]),), (S("4.62"),)),
            ),
        ),
        para("source", "[1] 国务院办公厅：《报告》，2025年。" if zh else "[1] State Council: Report, 2025.", anchor="src-1"),
        para("keywords", "关键词：数字政府；数据" if zh else "Keywords: digital government; data"),
        para("note", "注：本简报仅供参考 ]]>" if zh else "Note: for reference only ]]>"),
    )


def plain_strings(blocks: tuple[dt.Block, ...]) -> Iterator[str]:
    """Every piece of text a reader must find in the PDF."""
    for block in blocks:
        if isinstance(block, (dt.Title, dt.Heading, dt.Paragraph)):
            yield dt.plain_text(block.children)
        elif isinstance(block, dt.BulletList):
            yield from plain_strings(block.items)
        elif isinstance(block, dt.FigureGroup):
            for fig in block.figures:
                yield from (dt.plain_text(x) for x in (fig.value, fig.label, fig.note) if x)
        elif isinstance(block, dt.Table):
            for row in (block.header, *block.rows):
                yield from (dt.plain_text(cell) for cell in row)


def fonts_of(reader: PdfReader) -> dict[str, DictionaryObject]:
    """Every font of every page and of every form XObject a page draws."""
    found: dict[str, DictionaryObject] = {}

    def visit(resources: DictionaryObject | None) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            found[str(font["/BaseFont"])] = font
        for xobject in (resources.get("/XObject") or {}).values():
            visit(xobject.get_object().get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return found


def page_index(reader: PdfReader, ref: object) -> int:
    idnum = ref.idnum  # type: ignore[attr-defined]
    return next(i for i, p in enumerate(reader.pages) if p.indirect_reference.idnum == idnum)


def outline_entries(reader: PdfReader) -> list[tuple[str, int, int]]:
    """(title, 0-based page, depth) of every outline entry, in order."""
    result: list[tuple[str, int, int]] = []

    def walk(items: list, depth: int) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                result.append((item.title, reader.get_destination_page_number(item), depth))

    walk(reader.outline, 0)
    return result


def filler(n: int, zh: bool = True) -> tuple[dt.Block, ...]:
    return tuple(para("body", ZH_TEXT if zh else EN_TEXT) for _ in range(n))


# ---------------------------------------------------------------- whole documents


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_node_kind_renders_and_all_text_survives(lang: str) -> None:
    blocks = every_block_kind(lang)
    reader = read(pdf.render(document(blocks, lang=lang, footer=EN_FOOTER)))
    text = "\n".join(page_texts(reader))
    for expected in plain_strings(blocks):
        assert squash(expected) in squash(text), expected
    for hostile in HOSTILE:  # markup-looking text comes out literally
        assert squash(hostile) in squash(text), hostile
    if lang == "en":
        assert collapse(EN_TEXT) in collapse(text)
        flat = collapse(text)
        assert "R&D" in flat and "<b>not bold</b>" in flat and "{{ 7*7 }}" in flat
    else:
        assert ZH_TEXT in text.replace("\n", "")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_render_leaves_no_reference_cycles_for_the_garbage_collector(lang: str) -> None:
    """Everything a render made is freed when it returns: batches stay flat, the collector idles."""
    import gc

    doc = document(every_block_kind(lang), lang=lang, footer=EN_FOOTER, header=(S("header"),))
    pdf.render(doc)  # the first render fills the process's caches (fonts, templates): not garbage
    gc.collect()
    gc.disable()
    try:
        pdf.render(doc)
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert unreachable == 0


def test_escape_neutralizes_markup() -> None:
    assert escape('<a href="x">&amp;</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;amp;&lt;/a&gt;"


def test_newline_in_span_is_a_line_break() -> None:
    blocks = (para("body", "第一行内容\n第二行内容"), para("body", "first line\nsecond line"))
    text = page_texts(read(pdf.render(document(blocks))))[0]
    lines = [line.strip() for line in text.splitlines()]
    assert "第一行内容" in lines and "第二行内容" in lines
    assert "first line" in lines and "second line" in lines


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_fonts_are_embedded_subset_truetype_with_unicode_maps(lang: str) -> None:
    reader = read(pdf.render(document(every_block_kind(lang), lang=lang, footer=ZH_FOOTER)))
    fonts = fonts_of(reader)
    assert fonts
    for name, font in fonts.items():
        assert re.fullmatch(r"/[A-Z]{6}\+[A-Za-z-]+", name), name
        assert font["/Subtype"] == "/TrueType", name  # never Type1 base-14, never CID
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), name
        assert "/ToUnicode" in font, name
    names = " ".join(fonts)
    assert "Helvetica" not in names and "Times" not in names and "STSong" not in names
    assert "NotoSerifSC-Regular" in names and "NotoSerif-Regular" in names


def test_embedded_subsets_hold_only_the_characters_drawn() -> None:
    """No face embeds glyphs the document does not draw (ReportLab's default adds all of ASCII to each face)."""
    reader = read(pdf.render(document((para("body", "数字政府建设，"), para("body", dt.Strong((S("共享"),)))))))
    fonts = fonts_of(reader)
    assert any("NotoSerifSC-Regular" in name for name in fonts) and any("NotoSerifSC-Bold" in name for name in fonts)
    for name, font in fonts.items():
        # codes 0-32 (the first 31 characters drawn take 1-31, 32 is the space), then any more
        codes = len(font["/Widths"])
        assert codes == 33, (name, codes)  # ReportLab's default: 128 (all of ASCII), drawn or not


def test_metadata_language_and_reproducible_bytes() -> None:
    doc = document(every_block_kind("zh-CN"), footer=ZH_FOOTER)
    first, second = pdf.render(doc), pdf.render(doc)
    assert first == second
    reader = read(first)
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "数字政府建设 & <简报>"
    assert meta.subject == "会议简报"
    assert meta.author == "reportgen 测试"
    assert meta.creator == "reportgen"
    assert "数字政府" in meta["/Keywords"] and "大数据" in meta["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    en = read(pdf.render(document(every_block_kind("en"), lang="en")))
    assert en.trailer["/Root"]["/Lang"] == "en"
    assert en.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4
    assert en.pages[0].mediabox.height == pytest.approx(841.89, abs=0.1)


def test_outline_entries_point_at_the_pages_of_their_headings() -> None:
    blocks = (
        dt.Title((S("标题"),)),
        dt.Heading(1, (S("会议概况"),), anchor="one"),
        *filler(6),
        dt.Heading(2, (S("发言细节"),)),
        *filler(6),
        dt.Heading(1, (S("结论展望"),), anchor="two"),
        para("body", "结束。"),
    )
    reader = read(pdf.render(document(blocks)))
    texts = [squash(t) for t in page_texts(reader)]
    entries = outline_entries(reader)
    assert [(t, d) for t, _, d in entries] == [("会议概况", 0), ("发言细节", 1), ("结论展望", 0)]
    pages = {title: page for title, page, _ in entries}
    assert pages["结论展望"] > 0  # the test means something: a heading beyond page 1
    for title, page, _ in entries:
        assert title in texts[page], (title, page)
        assert all(title not in t for i, t in enumerate(texts) if i != page)


def test_outline_levels_never_jump() -> None:
    blocks = (dt.Heading(3, (S("Deep first"),)), dt.Heading(1, (S("Top"),)), dt.Heading(3, (S("Deep"),)))
    entries = outline_entries(read(pdf.render(document(blocks, lang="en"))))
    assert [(t, d) for t, _, d in entries] == [("Deep first", 0), ("Top", 0), ("Deep", 1)]


@pytest.mark.parametrize(
    ("lang", "footer", "expected"),
    [
        ("zh-CN", ZH_FOOTER, "第{n}页/共{total}页"),
        ("en", EN_FOOTER, "Page{n}of{total}"),
    ],
)
def test_footer_numbers_every_page(
    lang: str, footer: tuple[dt.Inline, ...], expected: str
) -> None:
    zh = lang.startswith("zh")
    blocks = (dt.Heading(1, (S("开始" if zh else "Start"),)), *filler(14, zh))
    reader = read(pdf.render(document(blocks, lang=lang, footer=footer)))
    total = len(reader.pages)
    assert total >= 2
    for n, text in enumerate(page_texts(reader), start=1):
        assert expected.format(n=n, total=total) in squash(text)


def test_running_header_only_after_the_first_page() -> None:
    blocks = (dt.Title((S("标题"),)), *filler(14))
    header = (S("数字政府 · 会议简报 <header>"),)
    texts = page_texts(read(pdf.render(document(blocks, header=header, footer=ZH_FOOTER))))
    assert len(texts) >= 2
    assert "<header>" not in texts[0]
    assert all("数字政府·会议简报<header>" in squash(t) for t in texts[1:])


def test_links_are_live_and_citations_jump_to_their_source() -> None:
    blocks = (
        para(
            "body",
            "见",
            dt.Link("https://example.org/a?b=1&c=2", (S("报告"),)),
            "与",
            dt.Link("javascript:alert(1)", (S("不是链接"),)),
            "及来源",
            dt.CiteRef("[1]", "src-1"),
            "和",
            dt.CiteRef("[9]", "nowhere"),
        ),
        *filler(8),
        para("source", "[1] 来源一", anchor="src-1"),
    )
    reader = read(pdf.render(document(blocks)))
    annots = [
        (i, a.get_object()) for i, page in enumerate(reader.pages) for a in page.get("/Annots") or []
    ]
    uris = [a["/A"]["/URI"] for _, a in annots if "/A" in a]
    assert uris == ["https://example.org/a?b=1&c=2"]
    dests = [a["/Dest"] for _, a in annots if "/Dest" in a]
    assert len(dests) == 1  # only the citation whose target exists is a link
    source_page = next(i for i, t in enumerate(page_texts(reader)) if "[1]来源一" in squash(t))
    assert source_page > 0
    assert page_index(reader, dests[0][0]) == source_page
    text = squash("".join(page_texts(reader)))
    assert "不是链接" in text and "[9]" in text


@pytest.fixture
def no_system_fonts(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    """Only the bundled fonts: what is missing does not depend on the machine."""
    monkeypatch.setenv("REPORTGEN_SYSTEM_FONT_DIRS", "")
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path))


def test_missing_glyphs_are_reported_not_dropped(no_system_fonts: None) -> None:
    seen: list[tuple[str, str | None]] = []
    blocks = (dt.Paragraph("body", (S("表情😀与泰文ก", path="sections[0].points[0].text"),)),)
    data = pdf.render(document(blocks), on_missing_glyph=lambda c, path: seen.append((c, path)))
    assert seen == [("😀", "sections[0].points[0].text"), ("ก", "sections[0].points[0].text")]
    assert "表情" in page_texts(read(data))[0]


def test_emphasis_is_italic_in_latin_only() -> None:
    en = document((para("body", "plain ", dt.Emphasis((S("emphasised"),))),), lang="en")
    assert any("NotoSerif-Italic" in name for name in fonts_of(read(pdf.render(en))))
    zh = document((para("body", "普通", dt.Emphasis((S("强调"),))),))
    reader = read(pdf.render(zh))
    assert not any("Italic" in name for name in fonts_of(reader))
    assert "普通强调" in squash(page_texts(reader)[0])


def test_long_table_repeats_its_header_and_wraps_cells() -> None:
    long_cell = "数据来源于国务院办公厅电子政务办公室年度报告，含“一网通办”统计口径说明。" * 2
    rows = tuple(((S(f"指标{i}"),), (S(long_cell),)) for i in range(40))
    blocks = (dt.Table(((S("表头甲"),), (S("表头乙"),)), rows),)
    texts = [squash(t) for t in page_texts(read(pdf.render(document(blocks))))]
    assert len(texts) >= 2
    assert all("表头甲" in t and "表头乙" in t for t in texts)
    assert all(f"指标{i}" in "".join(texts) for i in range(40))
    assert squash(long_cell) in texts[0]


def test_paragraph_split_across_pages_keeps_chinese_intact() -> None:
    long_para = ZH_TEXT * 12
    blocks = (*filler(3), para("body", long_para))
    reader = read(pdf.render(document(blocks)))
    assert len(reader.pages) >= 2
    joined = "".join(t.replace("\n", "") for t in page_texts(reader))
    assert long_para in joined  # no space crept in where the page broke the paragraph


# ---------------------------------------------------------------- line breaking


FONT_SIZE = 10.0


def break_lines(text: str, chars_per_line: float, *, justify: bool = True) -> list[str]:
    """The lines reportgen's paragraph breaks CJK text into at a width of N ideographs."""
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    fonts = bundled_fonts()
    style = ParagraphStyle(
        "t",
        fontName=fonts.base(cjk=True),
        fontSize=FONT_SIZE,
        leading=FONT_SIZE * 1.6,
        wordWrap="CJK",
        alignment=TA_JUSTIFY if justify else TA_LEFT,
    )
    p = KinsokuParagraph(escape(text), style)
    p.wrap(chars_per_line * FONT_SIZE, 10_000)
    return line_texts(p)


# Pieces of paragraphs for the line-filling property: Han, Latin, spaces, marks,
# an overlong URL, a superscript citation and forced breaks.
PIECES = (
    "汉", "字", "数", "，", "。", "“", "”", "（", "）", "word", "Expo", "12.5%", "2025", " ", "  ",
    "https://example.org/a/very/long/path/that/needs/cutting", "<super>[2]</super>", "<br/>",
)


def greedy_lines(text: _Text, max_width: float) -> list[str]:
    """The lines a plain unit-by-unit greedy filling makes (the oracle of the bisecting one)."""
    units = _units(text)
    lines: list[str] = []
    start: int | None = None
    for k, (first, stop) in enumerate(zip(units.starts, units.stops, strict=True)):
        if start is not None and units.ends[k] - units.at[start] > max_width + 1e-8:
            lines.append("".join(text.chars[start:first]))
            start = None
        if start is None and units.ends[k] - units.at[first] > max_width + 1e-8:
            for cut in _cut(text, first, stop, max_width):
                lines.append("".join(text.chars[first:cut]))
                first = cut
        if start is None:
            start = first
        if k in units.forced:
            lines.append("".join(text.chars[start:stop]))
            start = None
    if start is not None:
        lines.append("".join(text.chars[start:]))
    return lines


def test_the_kinds_of_neighbours_say_what_the_break_rules_say_for_every_pair_of_classes() -> None:
    """The byte tables behind the break chances agree with _pair_allowed on all 256 × 256 class pairs."""
    tables = _pair_tables()
    for before in range(256):
        for after in range(256):
            found = tables.allowed[tables.before[before] + tables.after[after]]
            assert found == _pair_allowed(before % 64, after % 64), (before, after)
    assert 1 < len(set(tables.before)) and 1 < len(set(tables.after))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"aZ9 \xa0\u2009,.;:!?%)]}([{$'’“”汉字，。、；：？！）》」（《「—…ー\u3000ア한", "&amp;", "<br/>", "<super>[2]</super>"]), max_size=60))
def test_break_chances_are_the_pairs_of_neighbours_the_rules_allow(pieces: list[str]) -> None:
    """Chances found for a whole paragraph at once are those of its neighbours, pair by pair."""
    from reportlab.lib.styles import ParagraphStyle

    style = ParagraphStyle("t", fontName=bundled_fonts().base(cjk=True), fontSize=FONT_SIZE)
    classes = _Text(KinsokuParagraph("".join(pieces), style).frags).classes
    expected = [i for i in range(1, len(classes)) if _pair_allowed(classes[i - 1] % 64, classes[i] % 64)]
    assert list(_chances(classes)) == expected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=80), st.floats(1.5, 40), st.booleans())
def test_lines_are_filled_greedily_with_whole_units(pieces: list[str], ems: float, justify: bool) -> None:
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    style = ParagraphStyle(
        "t",
        fontName=bundled_fonts().base(cjk=True),
        fontSize=FONT_SIZE,
        leading=FONT_SIZE * 1.6,
        alignment=TA_JUSTIFY if justify else TA_LEFT,
    )
    p = KinsokuParagraph("".join(pieces), style)
    width = ems * FONT_SIZE
    p.wrap(width, 10_000)
    assert line_texts(p) == greedy_lines(_Text(p.frags), width)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES[:-1]), min_size=1, max_size=12), st.floats(0.9, 1.1))
def test_a_paragraph_that_fits_is_the_one_line_filling_would_make(pieces: list[str], share: float) -> None:
    from reportlab.lib.styles import ParagraphStyle

    style = ParagraphStyle("t", fontName=bundled_fonts().base(cjk=True), fontSize=FONT_SIZE, leading=16)
    p = KinsokuParagraph("".join(pieces), style)
    units = _units(_Text(p.frags))
    assume(len(units.starts) > 1)  # more than one unit: a choice to make
    width = share * units.ends[-1]  # around the width of the whole paragraph
    p.wrap(width, 10_000)
    fits = units.ends[-1] <= width + 1e-8  # what bisecting over unit ends decides
    assert (len(p.blPara.lines) == 1) == fits
    if fits:
        assert p.blPara.lines[0].currentWidth == units.ends[-1]  # the same sum, to the last bit
        assert line_texts(p) == ["".join(_Text(p.frags).chars)]


def described_lines(lines: Any) -> list[tuple[Any, ...]]:
    """What a paragraph's lines are: their numbers, and their runs' frags (by identity), texts and spacings."""

    def frag(f: Any) -> tuple[Any, ...]:  # a frag made for a line: what it draws
        cb = f.__dict__.get("cbDefn")
        label = getattr(cb, "label", None)
        if hasattr(label, "__slots__"):  # a gap
            label = tuple(getattr(label, name) for name in label.__slots__)
        return f.text, f.fontName, f.fontSize, type(cb), label

    described = []
    for line in lines.lines:
        attrs = dict(line.__dict__)
        runs = attrs.pop("_rg_runs")
        words = [[frag(w) for w in attrs.pop(name, [])] for name in ("_words", "_rg_logical")]
        described.append(
            (sorted(attrs.items()), words, [id(f) for f in runs.frags], runs.texts, list(map(type, runs.texts)), runs.spacings)
        )
    return described


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from([*"aZ9 \t,.%'’“”汉字，。（ア한\u3000\xa0\u2009", " word", "Expo ", "12.5%", "&amp;", "שלום", "مرحبا"]),
        min_size=1,
        max_size=30,
    ),
    st.floats(0.5, 1.5),
    st.booleans(),
)
@example(["a", "\t"], 1.0, False)  # a tab is no space to break at: it is shown
@example(["Expo ", "\xa0"], 1.0, False)
@example(["字", "\u3000", " "], 1.0, True)
def test_a_paragraph_of_one_frag_is_broken_as_its_items_would_break_it(
    pieces: list[str], share: float, justify: bool
) -> None:
    """The one-frag shortcut makes the very lines (numbers to the last bit, runs) that the items make."""
    from reportlab.lib.styles import ParagraphStyle

    from reportgen.renderers import pdf_linebreak
    from reportgen.renderers.pdf_frags import clone

    style = ParagraphStyle("t", fontName=bundled_fonts().base(cjk=True), fontSize=FONT_SIZE, leading=16)
    frags = [clone(KinsokuParagraph("x", style).frags[0], text="".join(pieces))]  # spaces at the ends kept
    text = _Text(frags)
    assume(text.at[-1] > 0)
    width = share * text.at[-1]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_linebreak, "_single_line", lambda frags, max_width: None)
        expected = described_lines(pdf_linebreak.kinsoku_lines(frags, [width], justify=justify))
    assert described_lines(pdf_linebreak.kinsoku_lines(frags, [width], justify=justify)) == expected


def test_a_label_that_fits_is_one_line_without_its_items(monkeypatch: pytest.MonkeyPatch) -> None:
    """A table cell's or heading's text (one frag) is not flattened item by item to find it fits."""
    from reportlab.lib.styles import ParagraphStyle

    from reportgen.renderers import pdf_linebreak

    style = ParagraphStyle("t", fontName=bundled_fonts().base(cjk=True), fontSize=FONT_SIZE, leading=16)
    labels = ["Digital government", "数字政府建设", "Page 1 of 3"]
    paragraphs = [KinsokuParagraph(label, style) for label in labels]

    def no_items(frags: Any) -> Any:
        raise AssertionError("flattened item by item")

    monkeypatch.setattr(pdf_linebreak, "_Text", no_items)
    for label, paragraph in zip(labels, paragraphs, strict=True):
        paragraph.wrap(400, 100)
        assert line_texts(paragraph) == [label]
    with pytest.raises(AssertionError, match="item by item"):  # a Han–Latin gap: the items are looked at
        KinsokuParagraph("数字Expo", style).wrap(400, 100)


CLOSERS = "，。、；：？！）》」』】”’…"
OPENERS = "（《「『【“‘"


def assert_kinsoku(lines: list[str]) -> None:
    for before, after in zip(lines, lines[1:]):
        assert after[:1] not in CANNOT_START, (before, after)
        assert before.rstrip()[-1:] not in CANNOT_END, (before, after)


@pytest.mark.parametrize("mark", list(CLOSERS))
def test_no_line_starts_with_a_closing_mark(mark: str) -> None:
    for offset in range(18, 23):  # the mark lands at every position around the line end
        text = "汉" * offset + mark + "字" * 30 + mark + "文" * 25
        lines = break_lines(text, 20)
        assert "".join(lines) == text
        assert_kinsoku(lines)


@pytest.mark.parametrize("mark", list(OPENERS))
def test_no_line_ends_with_an_opening_mark(mark: str) -> None:
    for offset in range(17, 23):
        text = "汉" * offset + mark + "字" * 30 + mark + "文" * 25
        lines = break_lines(text, 20)
        assert "".join(lines) == text
        assert_kinsoku(lines)


def test_reportlab_alone_would_break_these_rules() -> None:
    """The cases above are real: stock ReportLab puts '，' at a line start here."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    style = ParagraphStyle(
        "t", fontName=bundled_fonts().base(cjk=True), fontSize=FONT_SIZE, wordWrap="CJK"
    )
    text = "汉" * 20 + "，" + "字" * 30
    p = Paragraph(text, style)
    p.wrap(20 * FONT_SIZE, 10_000)
    starts = [line[:1] for line in line_texts(p)[1:]]
    assert "，" in starts
    assert_kinsoku(break_lines(text, 20))


@pytest.mark.parametrize("word", ["Typhoon", "4.62", "99.99%", "GB/T9704-2012"])
def test_latin_words_and_numbers_are_never_split(word: str) -> None:
    for offset in range(12, 21):
        text = "汉" * offset + word + "字" * 40
        lines = break_lines(text, 20)
        assert "".join(lines) == text
        assert sum(word in line for line in lines) == 1, lines


def test_a_word_wider_than_the_line_is_cut_rather_than_overflowing() -> None:
    url = "https://www.gov.cn/zhengce/content/2025-05/27/content_1234567890abcdef.htm"
    lines = break_lines("见" + url + "。", 12)
    assert "".join(lines) == "见" + url + "。"
    assert len(lines) >= 3
    assert_kinsoku(lines)


def test_latin_text_breaks_at_spaces() -> None:
    text = "国际 Big Data Industry Expo 在贵阳开幕，International organizations attended。"
    lines = break_lines(text, 12)
    assert "".join(lines) == text
    words = set(re.findall(r"[A-Za-z]+", text))
    for line in lines:
        for w in re.findall(r"[A-Za-z]+", line):
            assert w in words, (w, lines)


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("first<br/>second<br/><br/>third", ["first", "second", "", "third"]),
        ("text<br/>", ["text"]),
        ("数字<br/>政府", ["数字", "政府"]),
    ],
)
def test_a_forced_break_ends_its_line_and_a_trailing_one_adds_no_line(markup: str, expected: list[str]) -> None:
    from reportlab.lib.styles import ParagraphStyle

    style = ParagraphStyle("t", fontName=bundled_fonts().base(cjk=True), fontSize=FONT_SIZE)
    paragraph = KinsokuParagraph(markup, style)
    paragraph.wrap(300, 1000)
    lines = paragraph.blPara.lines
    assert line_texts(paragraph) == expected
    assert all(hasattr(line.words[-1], "lineBreak") for line in lines[: len(expected) - 1])  # the break, last


def test_lines_fill_the_measure_and_keep_every_character() -> None:
    lines = break_lines(ZH_TEXT * 3, 25)
    assert "".join(lines) == ZH_TEXT * 3
    assert_kinsoku(lines)
    # none is much shorter than the measure except the last
    for line in lines[:-1]:
        assert len(line) >= 20, line


def test_extracted_lines_obey_kinsoku() -> None:
    paragraphs = []
    for mark in CLOSERS + OPENERS:
        for offset in range(36, 46, 3):
            paragraphs.append(para("body", "汉" * offset + mark + "字" * 50 + "Typhoon" + "文" * 30))
    reader = read(pdf.render(document(tuple(paragraphs))))
    lines = [
        line.strip()
        for text in page_texts(reader)
        for line in text.splitlines()
        if line.strip() and "页" not in line
    ]
    assert len(lines) > 100
    for before, after in zip(lines, lines[1:]):
        assert after[:1] not in CANNOT_START, (before, after)
        assert before[-1:] not in CANNOT_END, (before, after)
    assert all("Typhoon" in line or not re.search(r"[A-Za-z]", line) for line in lines)


def test_a_citation_marker_stays_with_the_text_before_it() -> None:
    from reportlab.lib.styles import ParagraphStyle

    style = ParagraphStyle(
        "t", fontName=bundled_fonts().base(cjk=True), fontSize=FONT_SIZE, wordWrap="CJK"
    )
    for offset in range(16, 22):
        p = KinsokuParagraph("汉" * offset + "。<super>[1]</super>" + "字" * 30, style)
        p.wrap(20 * FONT_SIZE, 10_000)
        lines = line_texts(p)
        assert not any(line.startswith("[") for line in lines), lines


def test_no_han_latin_gap_next_to_a_citation_marker() -> None:
    from reportlab.lib.styles import ParagraphStyle

    from reportgen.renderers.pdf_linebreak import _Text

    style = ParagraphStyle("t", fontName=bundled_fonts().base(cjk=True), fontSize=FONT_SIZE, wordWrap="CJK")
    plain = _Text(KinsokuParagraph("汉字12汉", style).frags)
    assert [i for i, gap in enumerate(plain.gaps) if gap] == [1, 3]  # 字|1 and 2|汉
    cited = _Text(KinsokuParagraph("汉字<super>12</super>汉", style).frags)
    assert not any(cited.gaps) and cited.raised is not None and cited.raised[2:4] == [True, True]
    assert _Text(KinsokuParagraph("汉字12", style).frags).raised is None  # nothing raised: no per-item list


LONG_ZH = "数据来源于国务院办公厅电子政务办公室年度报告。" * 300


@pytest.mark.parametrize(
    "blocks",
    [
        pytest.param((), id="no blocks"),
        pytest.param((dt.Paragraph("body", ()), dt.Heading(1, ())), id="empty inlines"),
        pytest.param((dt.Table((), ()), dt.FigureGroup(())), id="empty table and figures"),
        pytest.param(
            (dt.Table(((S("a"),), (S("b"),)), (((S("x"),),), ((S("1"),), (S("2"),), (S("3"),)))),),
            id="ragged table",
        ),
        pytest.param((dt.Heading(0, (S("零"),)), dt.Heading(9, (S("九"),))), id="odd levels"),
        pytest.param((para("masthead", LONG_ZH[:3000]), para("summary", LONG_ZH)), id="huge boxes"),
        pytest.param((dt.Table(((S("表头"),),), (((S(LONG_ZH),),),)),), id="cell taller than a page"),
        pytest.param(
            (dt.FigureGroup((dt.KeyFigure((S(LONG_ZH[:2000]),), (S("x"),)),)),), id="huge tile"
        ),
        pytest.param((para("body", "x" * 400),), id="word wider than the page"),
    ],
)
def test_degenerate_documents_still_render(blocks: tuple[dt.Block, ...]) -> None:
    reader = read(pdf.render(document(blocks, footer=ZH_FOOTER)))
    assert len(reader.pages) >= 1
    text = squash("".join(page_texts(reader)))
    assert "第1页/共" in text
    for expected in plain_strings(blocks):
        assert squash(expected)[:200] in text


def test_control_and_invisible_characters() -> None:
    seen: list[str] = []
    blocks = (para("body", "甲\x00乙\x07丙\u200b丁\u00ad戊\r\n己 time 3:00\u202fPM"),)
    data = pdf.render(document(blocks), on_missing_glyph=lambda c, ctx: seen.append(c))
    assert seen == ["\x00", "\x07"]
    text = page_texts(read(data))[0]
    assert "甲乙丙丁戊" in squash(text)
    assert "己" in text.split("戊", 1)[1]  # \r\n became a line break
    assert "3:00" in text and "PM" in text


def test_missing_glyphs_are_logged_without_a_callback(
    caplog: pytest.LogCaptureFixture, no_system_fonts: None
) -> None:
    with caplog.at_level("WARNING", logger="reportgen.renderers.pdf"):
        pdf.render(document((para("body", "表情😀"),)))
    assert "😀" in caplog.text


def test_supplementary_plane_characters_extract_as_themselves() -> None:
    from reportlab.pdfbase import ttfonts

    before = ttfonts.makeToUnicodeCMap
    rare = "罕见字𬌗与𫓧和鿍"  # U+2C317 and U+2B4E7 are in the 8105 list, beyond the BMP
    data = pdf.render(document((para("body", rare),), lang="zh-CN"))
    assert rare in squash(page_texts(read(data))[0])
    assert ttfonts.makeToUnicodeCMap is before, "ReportLab's module state must be restored"


# ---------------------------------------------------------------- fragments without the markup parser


def _frag_dicts(frags: list) -> list[dict]:
    out = []
    for frag in frags:
        attrs = dict(frag.__dict__)
        if "cbDefn" in attrs:
            attrs["cbDefn"] = dict(attrs["cbDefn"].__dict__)
        out.append(attrs)
    return out


_LATIN, _HAN = bundled_fonts().base(cjk=False), bundled_fonts().base(cjk=True)
_LINK = '<a href="{url}" color="#1f4e8c">'
_SUP = '<super size="62%" rise="38%">'
_VOCABULARY = [
    "plain text",
    "  leading and   inner  spaces, trailing  ",
    "数字政府 A&amp;B &lt;tag&gt; &quot;quoted&quot; &amp;&amp;",
    f'中文<font name="{_LATIN}">Latin 4.62</font>继续<font name="{_LATIN}-Bold">Bold</font>',
    f'<font name="{_HAN}">字</font> <font name="{_LATIN}-Italic">slanted</font> ',
    "first<br/>second<br/><br/>third",
    '<a name="rg-a3"/>anchored paragraph',
    '<a name="rg-a1"/>',
    f'{_LINK.format(url="https://example.org/a?b=1&amp;c=2")}a link</a> after',
    f'text{_LINK.format(url="#rg-a4")}{_SUP}4</super></a>{_LINK.format(url="#rg-a5")}{_SUP}5</super></a>.',
    f'{_SUP}<font name="{_LATIN}">12</font></super>',
    f'{_LINK.format(url="mailto:a@b.cn")}<font name="{_HAN}">邮件</font><br/>x</a>',
    f'<a name="k"/>{_LINK.format(url="https://a.cn/ x  y ")}spaced   target</a>',
]


@pytest.mark.parametrize("markup", _VOCABULARY)
@pytest.mark.parametrize("style_name", ["body", "h1", "cell_head", "summary"])
@pytest.mark.parametrize("cjk", [True, False])
def test_fragments_made_directly_equal_reportlabs_parse(markup: str, style_name: str, cjk: bool) -> None:
    from reportlab.platypus.paragraph import Paragraph

    from reportgen.renderers.pdf_frags import paragraph_frags
    from reportgen.renderers.pdf_story import stylesheet

    style = stylesheet(bundled_fonts(), cjk).get(style_name, cjk)
    made = paragraph_frags(markup, style)
    assert made is not None, "reportgen's vocabulary goes the fast way"
    reference = Paragraph(markup, style)
    assert made[0] == reference.text
    assert _frag_dicts(made[1]) == _frag_dicts(reference.frags)
    # and twice: the second time from the remembered templates
    assert _frag_dicts(paragraph_frags(markup, style)[1]) == _frag_dicts(reference.frags)


@pytest.mark.parametrize(
    "markup",
    [
        "<b>bold by ReportLab's tag</b>",
        "a & b",  # not escaped: not reportgen's markup
        "a > b",
        '<font name="X">unclosed',
        "</font>",
        '<a href="https://x.cn" color="#1f4e8c">never closed',
        "<para>wrapped</para>",
        '<a name="has space"/>x',
        '<super size="50%">other attributes</super>',
    ],
)
def test_markup_outside_the_vocabulary_goes_to_reportlabs_parser(markup: str) -> None:
    from reportgen.renderers.pdf_frags import paragraph_frags
    from reportgen.renderers.pdf_story import stylesheet

    assert paragraph_frags(markup, stylesheet(bundled_fonts(), False).get("body", False)) is None


_TEXTS = st.lists(
    st.sampled_from(list("ab 中文，。 &<>\"'") + ["  ", "\n", "\t", "\u3000", "\xa0", "\u202f", "\u2003", "’"]),
    max_size=12,
).map("".join)


@st.composite
def _inlines(draw: st.DrawFn, depth: int = 2) -> tuple[dt.Inline, ...]:
    kinds = ["span", "span", "cite"] + (["strong", "em", "link"] if depth else [])
    out: list[dt.Inline] = []
    for kind in draw(st.lists(st.sampled_from(kinds), max_size=4)):
        if kind == "span":
            out.append(S(draw(_TEXTS), lang=draw(st.sampled_from([None, "en", "zh"]))))
        elif kind == "cite":
            out.append(dt.CiteRef(draw(st.sampled_from(["[1]", "[12]", "&"])), draw(st.sampled_from(["s1", "nowhere"]))))
        elif kind == "link":
            url = draw(st.sampled_from(["https://a.cn/x?a=1&b=2", "https://a.cn/ x  y  ", "mailto:a@b.cn", "http://\u3000x", "#local"]))
            out.append(dt.Link(url, draw(_inlines(depth - 1))))
        else:
            out.append((dt.Strong if kind == "strong" else dt.Emphasis)(draw(_inlines(depth - 1))))
    return tuple(out)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(inlines=_inlines(), style_name=st.sampled_from(["body", "h1", "cell_head"]), cjk=st.booleans(), anchored=st.booleans())
@example(
    inlines=(S(" lead"), dt.Link("https://a.cn/ x  y  ", (S("  in  "), dt.CiteRef("[1]", "s1"))), S("a&b  ")),
    style_name="body",
    cjk=True,
    anchored=False,
)
@example(inlines=(S('say "when"'),), style_name="body", cjk=False, anchored=False)  # a quote mark alone
def test_paragraphs_made_from_markup_tokens_equal_reportlabs_parse_of_the_markup(
    inlines: tuple[dt.Inline, ...], style_name: str, cjk: bool, anchored: bool
) -> None:
    """The writer's tokens become ReportLab's fragments of the markup they stand for: whitespace, escapes, links."""
    from reportlab.platypus.paragraph import Paragraph

    from reportgen.renderers.pdf_markup import MarkupWriter
    from reportgen.renderers.pdf_story import stylesheet

    fonts = bundled_fonts()
    style = stylesheet(fonts, cjk).get(style_name, cjk)
    markup = MarkupWriter(fonts, cjk, {"s1": "rg-a1"}, None).markup(inlines, style.fontName)
    if anchored:
        markup = markup.anchored("rg-a2")
    made = KinsokuParagraph(markup, style)
    reference = Paragraph(markup.text, style)
    assert _frag_dicts(made.frags) == _frag_dicts(reference.frags)
    if not markup.exotic_spaces:  # made from the tokens, not by ReportLab's cleaning
        from reportgen.renderers.pdf_frags import token_frags

        assert token_frags(markup.tokens, style) is not None


def test_markup_in_a_latin_document_is_cjk_when_a_text_holds_han() -> None:
    """Which stylesheet a paragraph takes: Han anywhere in its texts (not ASCII alone) makes it CJK."""
    from reportgen.renderers.pdf_markup import MarkupWriter

    fonts = bundled_fonts()
    writer = MarkupWriter(fonts, False, {}, None)
    base = fonts.base(cjk=False)
    assert not writer.markup((S("plain ASCII"), S("café – “quoted”")), base).cjk
    assert writer.markup((S("Source: "), S("数据 data")), base).cjk
    assert writer.markup((S("Ｆｕｌｌ-width"),), base).cjk


def test_markup_with_spaces_reportlab_cleans_differently_goes_the_cleaning_way() -> None:
    from reportgen.renderers.pdf_markup import MarkupWriter
    from reportgen.renderers.pdf_story import stylesheet

    fonts = bundled_fonts()
    style = stylesheet(fonts, True).get("body", True)
    writer = MarkupWriter(fonts, True, {}, None)
    assert not writer.markup((S("a  b\xa0c"),), style.fontName).exotic_spaces
    for text in ("全角\u3000空格", "em\u2003space"):
        markup = writer.markup((S(text),), style.fontName)
        assert markup.exotic_spaces
        assert [f.text for f in KinsokuParagraph(markup, style).frags] == [
            f.text for f in KinsokuParagraph(markup.text, style).frags
        ]


def test_fragments_of_one_run_are_independent_copies() -> None:
    """Templates are cloned: a change to one run's fragment never reaches another paragraph."""
    from reportgen.renderers.pdf_story import stylesheet

    style = stylesheet(bundled_fonts(), True).get("body", True)
    first = KinsokuParagraph('<a href="#one" color="#1f4e8c">x</a> y', style)
    second = KinsokuParagraph('<a href="#two" color="#1f4e8c">x</a> y', style)
    assert first.frags[0].link == [(0, "#one")] and second.frags[0].link == [(0, "#two")]
    first.frags[1].text = "changed"
    assert second.frags[1].text == " y"
    assert first.frags[0] is not second.frags[0]


def test_faster_writing_helpers_give_reportlabs_results_and_are_restored() -> None:
    """The build-time stand-ins (number, string, name and dictionary writing; escapes; TrueType widths) are exact."""
    import random
    from collections import OrderedDict

    from reportlab.lib import rl_accel
    from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
    from reportlab.pdfgen import canvas

    from reportgen.renderers.pdf_fonts import utf16_to_unicode_maps

    if rl_accel._py_funcs.get("fp_str") is None:  # pragma: no cover - ReportLab's C accelerator
        pytest.skip("the stand-ins replace only ReportLab's pure-Python helpers")
    originals = (pdfdoc.format, pdfdoc.PDFName, pdfdoc.escapePDF, canvas.escapePDF, ttfonts.instanceStringWidthTTF)
    dictionary_format, pdfdoc_enc = pdfdoc.PDFDictionary.format, pdfdoc.pdfdocEnc
    rng = random.Random(6)
    numbers = [0, 1, -1, 1e-8, 0.5, 2.25, 1000, 595.2755905511812, -17.5, True, *(rng.uniform(-2e4, 2e4) for _ in range(300))]
    numbers += [rng.randint(-5000, 5000) for _ in range(100)]
    strings = ["Widths", "FontDescriptor", "a b(c)", "caf\u00e9", "x" * 60]
    blobs = [bytes(rng.randrange(256) for _ in range(40)) for _ in range(50)] + [bytes(range(256))]
    font = pdfmetrics.getFont(bundled_fonts().base(cjk=True))
    texts = ["", "abc", "数字政府 2025", "混合 text, 99.99%", "𬌗"]
    document = pdfdoc.PDFDocument(invariant=1)
    dictionaries = [
        pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Annot"), "Rect": pdfdoc.PDFArray([1, 2.5, 3, 4])}),
        pdfdoc.PDFDictionary({f"K{i}": i * 0.5 for i in range(14)}),  # a line break every 6 entries
        pdfdoc.PDFDictionary(OrderedDict([("Z", 1), ("A", "(x)"), ("Sub", pdfdoc.PDFDictionary({"a b": 2}))])),
        pdfdoc.PDFDictionary({"One": 1, "Two": 2}),
    ]
    dictionaries[3].multiline = "forced"
    references = [document.Reference(pdfdoc.PDFArray([i])) for i in range(3)]
    # PDFDocEncoding's text: ASCII (less U+0018..U+001F, which it refuses), its other characters, bytes
    encodable = ["BT /F1 10.5 Tf (x) Tj ET\n", "\t\r\n ~", "".join(map(chr, range(0x20, 0x7F))), "caf\u00e9 \u2022", b"raw"]
    refused = ["\x18", "a\x1fb", "数"]
    expected = (
        [originals[0](n, document) for n in numbers + strings],
        [originals[1](s) for s in strings],
        [originals[2](b) for b in blobs],
        [originals[4](font, t, 10.5) for t in texts],
        [dictionary_format(d, document) for d in dictionaries],
        [originals[0](r, document) for r in references],
        [pdfdoc_enc(t) for t in encodable],
    )
    with utf16_to_unicode_maps():
        assert pdfdoc.pdfdocEnc is not pdfdoc_enc
        for text in refused:
            with pytest.raises(UnicodeEncodeError):
                pdfdoc.pdfdocEnc(text)
        assert pdfdoc.format is not originals[0] and ttfonts.instanceStringWidthTTF is not originals[4]
        assert pdfdoc.PDFDictionary.format is not dictionary_format
        for _ in range(2):  # the second time from what was remembered
            got = (
                [pdfdoc.format(n, document) for n in numbers + strings],
                [pdfdoc.PDFName(s) for s in strings],
                [pdfdoc.escapePDF(b) for b in blobs],
                [ttfonts.instanceStringWidthTTF(font, t, 10.5) for t in texts],
                [d.format(document) for d in dictionaries],
                [pdfdoc.format(r, document) for r in references],
                [pdfdoc.pdfdocEnc(t) for t in encodable],
            )
            assert got == expected
            assert [canvas.escapePDF(b) for b in blobs] == expected[2]
    assert (pdfdoc.format, pdfdoc.PDFName, pdfdoc.escapePDF, canvas.escapePDF, ttfonts.instanceStringWidthTTF) == originals
    assert pdfdoc.PDFDictionary.format is dictionary_format and pdfdoc.pdfdocEnc is pdfdoc_enc


def test_object_writing_memos_apply_with_reportlabs_c_accelerator_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``reportlab[accel]`` installed, fp_str is C, but writing PDF objects is still ReportLab's Python:
    the memos for numbers, names and dictionaries apply there too (without them a PDF took ~10 % more work)."""
    from reportlab.lib import rl_accel
    from reportlab.pdfbase import pdfdoc

    from reportgen.renderers.pdf_fonts import utf16_to_unicode_maps

    monkeypatch.setattr(rl_accel, "_py_funcs", {})  # as rl_accel leaves it when every C function imported
    originals = (pdfdoc.format, pdfdoc.PDFName, pdfdoc.PDFDictionary.format)
    document = pdfdoc.PDFDocument(invariant=1)
    numbers = [0, 1, -17.5, 595.2755905511812, 1e-8, 0.25, 1234.5678]
    expected = [originals[0](n, document) for n in numbers]
    with utf16_to_unicode_maps():
        assert pdfdoc.format is not originals[0] and pdfdoc.PDFName is not originals[1]
        assert pdfdoc.PDFDictionary.format is not originals[2]
        assert [pdfdoc.format(n, document) for n in numbers] == expected
    assert (pdfdoc.format, pdfdoc.PDFName, pdfdoc.PDFDictionary.format) == originals


def test_to_unicode_cmaps_map_each_code_to_its_text_as_utf16() -> None:
    """A subset's ToUnicode entries: ``<code> <UTF-16BE of the text>``, surrogate pairs and aliases included."""
    from reportgen.renderers.pdf_fonts import _to_unicode_cmap, _utf16_hex
    from reportgen.renderers.pdf_glyphs import text_of

    def entries(cmap: str) -> list[str]:
        return cmap.split("beginbfchar\n")[1].split("\nendbfchar")[0].split("\n")

    def expected(subset: list[int]) -> list[str]:
        return [f"<{code:02X}> <{text_of(cp).encode('utf-16-be').hex().upper()}>" for code, cp in enumerate(subset)]

    subset = [0, 32, *range(0x21, 0x7F), 0x6570, 0x2C317, 0x1F600, 0x5B57, *range(0x4E00, 0x4E00 + 156)]
    assert len(subset) == 256
    for _ in range(2):  # the second time from the targets remembered
        cmap = _to_unicode_cmap("F1+0", subset)
        assert entries(cmap) == expected(subset)
        assert "<0A> <0029>" in cmap and "<61> <D870DF17>" in cmap and "<62> <D83DDE00>" in cmap
        assert "<00> <FF>\nendcodespacerange" in cmap and "256 beginbfchar" in cmap
        assert 0x2C317 in _utf16_hex  # remembered: the next subset with it looks it up
    assert entries(_to_unicode_cmap("F1+1", [0, 0x4E00])) == ["<00> <0000>", "<01> <4E00>"]
    whole = list(range(0x4E00, 0x4E00 + 300))  # a whole font as one "subset": codes past FF
    assert entries(_to_unicode_cmap("F2+0", whole))[255:257] == ["<FF> <4EFF>", "<100> <4F00>"]


def test_the_canvas_state_stack_restores_what_reportlabs_restores() -> None:
    """reportgen's canvas keeps saved states as tuples: restoring gives back ReportLab's state exactly."""
    from types import SimpleNamespace

    from reportlab.pdfgen.canvas import Canvas

    furniture = SimpleNamespace(document=SimpleNamespace(metadata=SimpleNamespace(created=None)))
    ours = pdf._PageCanvas(io.BytesIO(), furniture=furniture)
    theirs = Canvas(io.BytesIO())
    snapshots = []
    for canvas in (ours, theirs):
        canvas.setFont("Helvetica", 9)
        canvas.setFillColorRGB(1, 0, 0)
        canvas.saveState()
        canvas.setFont("Courier", 20)
        canvas.setFillColorRGB(0, 1, 0)
        canvas.setLineWidth(3)
        canvas.translate(5, 5)
        canvas.setFillAlpha(0.5)
        canvas.saveState()
        canvas.setFont("Times-Roman", 4)
        canvas.setDash(2, 1)
        inner = {name: getattr(canvas, name) for name in Canvas.STATE_ATTRIBUTES if name != "_extgstate"}
        canvas.restoreState()
        middle = {name: getattr(canvas, name) for name in Canvas.STATE_ATTRIBUTES if name != "_extgstate"}
        middle_alpha = dict(canvas._extgstate._d)
        canvas.restoreState()
        outer = {name: getattr(canvas, name) for name in Canvas.STATE_ATTRIBUTES if name != "_extgstate"}
        snapshots.append((inner, middle, middle_alpha, outer, dict(canvas._extgstate._d), canvas.state_stack))
    assert snapshots[0] == snapshots[1]
    assert snapshots[0][1]["_fontname"] == "Courier" and snapshots[0][3]["_fontname"] == "Helvetica"


def test_link_annotations_write_the_bytes_reportlab_writes() -> None:
    """The one-step link annotation writes ReportLab's bytes, and leaves the unusual ones to ReportLab."""
    from types import SimpleNamespace

    from reportlab.lib.colors import red
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfgen.canvas import Canvas

    furniture = SimpleNamespace(document=SimpleNamespace(metadata=SimpleNamespace(created=None)))
    canvas = pdf._PageCanvas(io.BytesIO(), furniture=furniture)
    canvas.bookmarkHorizontal("there", 10, 700)
    canvas.translate(12.5, 30)
    canvas.linkRect("", "there", (1, 2.25, 30.125, 40))  # as paragraphs make them
    canvas.linkRect("a note (with parentheses)", "there", (1, 2, 3, 4))
    canvas.linkRect("", "there", (5, 6, 7, 8), color=red, thickness=1, dashArray=[2, 1])
    Canvas.showPage(canvas)  # the page the destination names gets its object number (no furniture form)
    document = canvas._doc
    links = [o for o in document.idToObject.values() if isinstance(o, pdfdoc.LinkAnnotation)]
    assert len(links) == 3 and all(type(link) is pdf._LinkAnnotation for link in links)
    written = [link.format(document) for link in links]
    assert written == [pdfdoc.LinkAnnotation.format(link, document) for link in links]
    assert written[0].startswith(b"<<\n/Border [ 0 0 0 ] /Contents () /Dest [") and b"/C [ 1 0 0 ]" in written[2]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    texts=st.lists(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=12) | st.sampled_from(
        [" lead", "trail ", "a  b", "中文 mixed", "tab\there", "line\nbreak", "", "’quote’"]
    ), min_size=1, max_size=4),
    bold=st.booleans(),
    cjk=st.booleans(),
)
def test_a_printable_ascii_text_is_written_as_the_per_character_loop_writes_it(
    texts: list[str], bold: bool, cjk: bool
) -> None:
    """The one-run shortcut for printable ASCII gives the tokens the per-character loop gives."""
    from reportgen.renderers.pdf_markup import MarkupWriter

    fonts = bundled_fonts()
    inlines = tuple(S(t) for t in texts)
    base = fonts.base(cjk=cjk, bold=bold)

    def tokens() -> list[Any]:
        return MarkupWriter(fonts, cjk, {}, None).markup(inlines, base, bold=bold).tokens

    fast = tokens()
    choosers = [fonts.chooser(b, i, c) for b in (False, True) for i in (False, True) for c in (False, True)]
    try:
        for chooser in choosers:
            chooser.__dict__["ascii_face"] = None  # the shortcut off: every character through the loop
        assert tokens() == fast
    finally:
        for chooser in choosers:
            chooser.__dict__.pop("ascii_face", None)
    assert all(chooser.ascii_face is not None for chooser in choosers)


def test_no_ascii_shortcut_when_printable_ascii_takes_two_faces() -> None:
    from reportgen.renderers.pdf_fonts import FaceChooser

    class Split(FaceChooser):
        def __missing__(self, char: str) -> str | None:
            return "A" if char.isalpha() else "B"

    class One(FaceChooser):
        def __missing__(self, char: str) -> str | None:
            return "A"

    assert Split().ascii_face is None
    assert One().ascii_face == "A"


# Characters that take every branch of the per-character loop: Latin and CJK faces, spaces (plain,
# no-break, exotic), apostrophes, line breaks, controls, format characters, Arabic, none in any face.
_LOOP_ALPHABET = "aZ9é—,.’‘ \xa0\u3000\u2003\n\t\x07\u200b\u00ad中文，。“”《》ア한اﻻ\ue000😀"


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.lists(st.text(st.sampled_from(_LOOP_ALPHABET), max_size=16) | st.sampled_from(
        ["China’s growth", " 中文", "中文 ", "数据 ‘x’", "abc中文def", "’lead", "l’été — à"]
    ), min_size=1, max_size=4),
    bold=st.booleans(),
    cjk=st.booleans(),
)
def test_a_text_of_one_face_is_written_as_the_per_character_loop_writes_it(
    monkeypatch: pytest.MonkeyPatch, texts: list[str], bold: bool, cjk: bool
) -> None:
    """The one-run shortcut for a text whose characters share a face gives the loop's tokens and flags."""
    from reportgen.renderers import pdf_markup

    fonts = bundled_fonts()
    inlines = tuple(S(t) for t in texts)
    base = fonts.base(cjk=cjk, bold=bold)

    def written() -> tuple[Any, ...]:
        markup = pdf_markup.MarkupWriter(fonts, cjk, {}, lambda char, path: None).markup(inlines, base, bold=bold)
        return markup.tokens, markup.cjk, markup.exotic_spaces

    fast = written()
    with monkeypatch.context() as patch:  # every text looked at closely: through the loop
        patch.setattr(pdf_markup, "_CLOSE_LOOK", re.compile(".", re.DOTALL))
        assert written() == fast


def test_a_text_whose_characters_share_a_face_is_one_run_of_it() -> None:
    from reportgen.renderers.pdf_frags import END, FONT
    from reportgen.renderers.pdf_markup import TEXT, MarkupWriter

    fonts = bundled_fonts()
    latin, han = fonts.base(cjk=False), fonts.base(cjk=True)
    text = "Guizhou’s économie — “first”"
    assert MarkupWriter(fonts, False, {}, None).markup((S(text),), latin).tokens == [(TEXT, text)]
    text = "数据“赋能”治理，现代化。"
    assert MarkupWriter(fonts, True, {}, None).markup((S(text),), latin).tokens == [
        (FONT, han), (TEXT, text), (END, FONT)
    ]


def test_a_tables_shared_cell_settings_make_the_cell_styles_its_commands_would() -> None:
    """Settings every cell shares, set as the cell styles are made, leave the styles that commands leave."""
    from reportlab.platypus import Table, TableStyle
    from reportlab.platypus.tables import CellStyle

    from reportgen.renderers.pdf_markup import MarkupWriter
    from reportgen.renderers.pdf_story import StoryBuilder, stylesheet

    fonts = bundled_fonts()
    styles = stylesheet(fonts, False)
    builder = StoryBuilder(fonts, styles, MarkupWriter(fonts, False, {}, None), "•")
    data = [["", "a"], ["b", ""], ["c", "d"]]
    cells = {"valign": "TOP", "leftPadding": 2, "rightPadding": 3, "topPadding": 4, "bottomPadding": 5}
    commands = [("RIGHTPADDING", (-1, 0), (-1, -1), 0), ("BACKGROUND", (0, 0), (-1, 0), "#eeeeee")]
    ours = builder._table(data, cells, commands)
    theirs = Table(data, splitInRow=1)
    names = {"valign": "VALIGN", "leftPadding": "LEFTPADDING", "rightPadding": "RIGHTPADDING",
             "topPadding": "TOPPADDING", "bottomPadding": "BOTTOMPADDING"}
    theirs.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles.get("cell", False).fontName),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        *[(names[k], (0, 0), (-1, -1), v) for k, v in cells.items()],
        *commands,
    ]))
    attributes = [a for a in dir(CellStyle) if not a.startswith("_") and not callable(getattr(CellStyle, a))]
    for row_ours, row_theirs in zip(ours._cellStyles, theirs._cellStyles, strict=True):
        for a, b in zip(row_ours, row_theirs, strict=True):
            assert {n: getattr(a, n) for n in attributes} == {n: getattr(b, n) for n in attributes}
    assert ours._bkgrndcmds == theirs._bkgrndcmds
    assert ours._cellStyles[0][1].rightPadding == 0 and ours._cellStyles[0][0].rightPadding == 3
