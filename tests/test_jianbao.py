"""The 简报 template: its tree, and its PDF and DOCX against GB/T 9704-2012 (page, type, 报头, 报尾, page numbers)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, REFERENCE, run_cli
from reportgen import doctree as dt
from reportgen.compose import compose
from reportgen.loading import load_event

EXAMPLE = FIXTURES / "jianbao-example.yaml"
EXAMPLE_ID = "bigdata-expo-2025-jianbao-12"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MM = 72 / 25.4


@pytest.fixture(scope="module")
def example():
    return load_event(EXAMPLE)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("jianbao")
    run = run_cli("build", EXAMPLE, "--template", "jianbao", "--lang", "zh,en", "--format", "pdf,docx", "-o", out)
    assert run.status == 0, run.stderr
    return out


def _texts(blocks: tuple[dt.Block, ...]) -> list[tuple[str, str]]:
    """(kind, text) per block: the kind is the role, heading level, or rule colour and weight."""
    out = []
    for block in blocks:
        if isinstance(block, dt.Rule):
            out.append((f"rule:{block.color}:{block.weight}", ""))
        elif isinstance(block, dt.SplitLine):
            out.append((f"split:{block.role}", dt.plain_text(block.left) + " | " + dt.plain_text(block.right)))
        elif isinstance(block, dt.Heading):
            out.append((f"h{block.level}", dt.plain_text(block.children)))
        elif isinstance(block, dt.Title):
            out.append(("title", dt.plain_text(block.children)))
        elif isinstance(block, dt.Paragraph):
            out.append((block.role, dt.plain_text(block.children)))
    return out


# ------------------------------------------------------------------ the tree


def test_the_masthead_comes_first_in_order(example) -> None:
    document = compose(example, "zh", "jianbao").document
    assert _texts(document.blocks)[:6] == [
        ("classification", "内部资料"),
        ("banner", "2025中国国际大数据产业博览会简报"),
        ("issue", "第12期"),
        ("split:meta", "数博会执委会办公室 | 2025年8月28日"),
        ("rule:accent:thick", ""),
        ("title", "2025数博会“数字政府”交流活动举行 共探数据赋能治理新路径"),
    ]
    assert document.page.style == "jianbao" and document.page.grid == (22, 28)
    assert dt.plain_text(document.footer) == "—  —" and dt.PageNumber() in document.footer


def test_the_distribution_block_ends_the_document(example) -> None:
    document = compose(example, "zh", "jianbao").document
    assert _texts(document.blocks)[-6:] == [
        ("rule:text:thick", ""),
        ("distribution", "报：贵州省人民政府办公厅，国家数据局。"),
        ("distribution", "送：数博会执委会各成员单位，贵阳市人民政府办公厅。"),
        ("rule:text:thin", ""),
        ("split:imprint", "数博会执委会办公室 | 2025年8月28日印发"),
        ("rule:text:thick", ""),
    ]


def test_headings_are_numbered_the_gb_t_9704_way(example) -> None:
    blocks = _texts(compose(example, "zh", "jianbao").document.blocks)
    assert [text for kind, text in blocks if kind == "h1"] == ["一、基本情况", "二、主要内容", "三、关键数据"]
    assert [text for kind, text in blocks if kind == "h2"][:3] == ["（一）活动概况", "（二）官员观点", "（三）国际视角"]
    assert ("body", "4.2030年数据要素市场规模（预计）：超过10万亿元（国家信息中心Zhang Lifeng）。") in blocks


def test_the_english_jianbao_keeps_the_structure(example) -> None:
    document = compose(example, "en", "jianbao").document
    blocks = _texts(document.blocks)
    assert blocks[:4] == [
        ("classification", "Internal"),
        ("banner", "2025 China International Big Data Industry Expo Briefing"),
        ("issue", "Briefing No. 12"),
        ("split:meta", "Expo Executive Committee Office | August 28, 2025"),
    ]
    assert [text for kind, text in blocks if kind == "h1"] == ["I. Overview", "II. Main points", "III. Key figures"]
    assert ("distribution", "Report to: General Office of the Guizhou Provincial Government, National Data Administration")[
        0
    ] in {kind for kind, _ in blocks}
    assert blocks[-2] == ("split:imprint", "Expo Executive Committee Office | Issued August 28, 2025")


def test_without_a_briefing_block_the_jianbao_uses_defaults() -> None:
    """The reference event has no `briefing`: no classification or issue line, the organizers
    as issuing unit, the event's day as date, and no 报：/送： lines."""
    document = compose(load_event(REFERENCE), "zh", "jianbao").document
    blocks = _texts(document.blocks)
    assert blocks[:3] == [
        ("banner", "2025中国国际大数据产业博览会简报"),
        ("split:meta", "数博会执委会 | 2025年8月27日"),
        ("rule:accent:thick", ""),
    ]
    assert blocks[-3:] == [("rule:text:thick", ""), ("split:imprint", "数博会执委会 | 2025年8月27日印发"), ("rule:text:thick", "")]
    assert not any(kind in ("classification", "issue", "distribution") for kind, _ in blocks)


# ------------------------------------------------------------------ PDF


def _pdf(built: Path, lang: str):
    from pypdf import PdfReader

    return PdfReader(built / f"{EXAMPLE_ID}.{lang}.pdf")


def _runs(page) -> list[tuple[float, float, float, str, str]]:
    """(x, y, size, font, text) of every text run drawn on a page, forms included, in page space."""
    runs = []

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        name = (font or {}).get("/BaseFont", "") if hasattr(font, "get") else ""
        runs.append((x, y, size * (tm[3] or 1) * (cm[3] or 1), str(name), text))

    page.extract_text(visitor_text=visit)
    return runs


def _lines(page) -> list[tuple[float, float, float, str]]:
    """(x of the first run, y, size, text) of each line of text on a page, top first."""
    by_y: dict[float, list[tuple[float, float, float, str, str]]] = {}
    for run in _runs(page):
        by_y.setdefault(round(run[1], 1), []).append(run)
    return [
        (runs[0][0], y, runs[0][2], "".join(r[4] for r in runs).replace("\n", ""))
        for y, runs in sorted(by_y.items(), reverse=True)
    ]


def test_pdf_page_is_a4(built: Path) -> None:
    reader = _pdf(built, "zh")
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == (595.3, 841.9)


def test_pdf_text_block_is_gb_t_9704(built: Path) -> None:
    """Body lines start 28 mm from the left edge, end 26 mm from the right one, and 28 characters fill one."""
    reader = _pdf(built, "zh")
    runs = [r for page in reader.pages[1:3] for r in _runs(page)]
    body = [r for r in runs if "Light" in r[3] and abs(r[2] - 16) < 0.01]
    assert body, "no body text in the 仿宋 stand-in at 16 pt"
    assert min(r[0] for r in body) == pytest.approx(28 * MM, abs=0.2)
    # a full line of hanzi: 28 cells of 156 mm / 28
    text = reader.pages[1].extract_text()
    widest = max(len(line) for line in text.splitlines() if re.fullmatch(r"[\u4e00-\u9fff，、。：；“”（）《》]+", line))
    assert widest == 28
    # the top of the text block: the first line of page 2 hangs from 37 mm
    top = max(r[1] for r in _runs(reader.pages[1]) if r[2] >= 15.9)
    assert 841.89 - top == pytest.approx(37 * MM + 16 * 0.88, abs=3)


def test_pdf_lines_keep_the_grid_pitch(built: Path) -> None:
    """22 lines in 225 mm: consecutive body baselines are 28.95 pt apart."""
    reader = _pdf(built, "zh")
    ys = sorted({round(r[1], 1) for r in _runs(reader.pages[1]) if abs(r[2] - 16) < 0.01}, reverse=True)
    steps = [round(a - b, 1) for a, b in zip(ys, ys[1:])]
    assert steps and all(round(s / 28.95, 2) == round(s / 28.95) for s in steps), steps
    assert round(steps[0] / 28.95) == 1


def test_pdf_masthead_is_red_and_in_order(built: Path) -> None:
    reader = _pdf(built, "zh")
    page = reader.pages[0]
    runs = sorted(_runs(page), key=lambda r: -r[1])
    order = [r[4] for r in runs]
    joined = "".join(order)
    positions = [joined.index(s) for s in ("内部资料", "2025", "中国国际大数据产业博览会简报", "第", "12", "期", "数博会执委会办公室", "2025年8月28日".replace("2025", "", 1))]
    assert positions == sorted(positions)
    classification = next(r for r in runs if r[4].startswith("内部资料"))
    assert classification[0] == pytest.approx(28 * MM, abs=0.5)  # top left
    banner = next(r for r in runs if "简报" in r[4] and r[2] > 22)
    assert banner[2] >= 22  # large
    content = page.get_contents().get_data().decode("latin-1")
    # GB/T 9704 red (CMYK 0/80/80/0): the banner's fill colour and the rule's stroke colour
    assert re.search(r"0 \.8 \.8 0 k", content)
    stroke = re.search(r"([\d.]+) w\s+0 J\s+0 \.8 \.8 0 K\s+n ([\d.-]+) ([\d.-]+) m ([\d.-]+) ([\d.-]+) l S", content)
    assert stroke, "no red rule"
    x1, x2 = float(stroke.group(2)), float(stroke.group(4))
    assert x2 - x1 == pytest.approx(156 * MM, abs=0.5)  # full text-block width
    assert float(stroke.group(1)) == pytest.approx(0.5 * MM, abs=0.01)


def test_pdf_distribution_block_is_at_the_foot_of_the_last_page(built: Path) -> None:
    reader = _pdf(built, "zh")
    last = reader.pages[-1]
    lines = _lines(last)
    report = next(line for line in lines if line[3].startswith("报："))
    copy = next(line for line in lines if line[3].startswith("送："))
    imprint = next(line for line in lines if line[3].endswith("印发"))
    assert report[1] > copy[1] > imprint[1]
    assert report[2] == pytest.approx(14)  # 四号
    assert report[0] == pytest.approx(28 * MM + 14, abs=0.5)  # one character in
    assert imprint[1] < 35 * MM + 30  # within the last line of the text block
    content = last.get_contents().get_data().decode("latin-1")
    widths = re.findall(r"([\d.]+) w", content)
    assert len([w for w in widths if float(w) > 0.5]) >= 3  # three rules


def test_pdf_page_numbers_sit_outside_by_one_character(built: Path) -> None:
    reader = _pdf(built, "zh")
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        runs = [r for r in _runs(page) if re.fullmatch(r"—\s*\d+\s*—", r[4].strip()) or r[4].strip() == f"— {number} —"]
        assert runs, f"no page number on page {number}"
        x, y, size, _, text = runs[0]
        assert text.strip() == f"— {number} —"
        assert size == pytest.approx(14)
        # 7 mm below the text block (its bottom at 35 mm), the number's line box under it
        assert 35 * MM - 7 * MM - 16 < y < 35 * MM - 7 * MM
        width = sum(_width(r) for r in runs)
        if number % 2:  # odd: right, one character in
            assert x + width == pytest.approx(595.28 - 26 * MM - 14, abs=1.5)
        else:  # even: left, one character in
            assert x == pytest.approx(28 * MM + 14, abs=0.5)


def _width(run) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from reportgen.renderers.pdf_fonts import bundled_fonts

    fonts = bundled_fonts()
    return sum(stringWidth(c, fonts.cjk[False], run[2]) for c in run[4].strip())


def test_pdf_faces_stand_in_for_the_gb_t_9704_faces(built: Path) -> None:
    reader = _pdf(built, "zh")
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    # the grid faces are named after their file's face and the grid pitch (ReportLab's one font per name)
    assert {re.sub(r"-P\d+$", "", name) for name in fonts if re.search(r"-P\d+$", name)} == {
        "NotoSerifSCLight-Regular", "NotoSansSCMedium-Regular", "reportgenKai-Regular"}
    fonts = {re.sub(r"-P\d+$", "", name) for name in fonts}
    assert {"NotoSerifSCLight-Regular", "NotoSansSCMedium-Regular", "reportgenKai-Regular", "NotoSerifSC-Bold"} <= fonts
    english = set()
    for page in _pdf(built, "en").pages:
        for font in page["/Resources"]["/Font"].values():
            english.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert "NotoSerif-Regular" in english and "NotoSerifSCLight-Regular" not in english
    assert "Briefing No. 12" in _pdf(built, "en").pages[0].extract_text()


# ------------------------------------------------------------------ DOCX


def _docx_xml(built: Path, lang: str, part: str) -> etree._Element:
    with zipfile.ZipFile(built / f"{EXAMPLE_ID}.{lang}.docx") as z:
        return etree.fromstring(z.read(part))


def _style(styles: etree._Element, style_id: str) -> etree._Element:
    found = styles.find(f"{W}style[@{W}styleId='{style_id}']")
    assert found is not None, style_id
    return found


def _east_asian(style: etree._Element) -> str | None:
    rfonts = style.find(f"{W}rPr/{W}rFonts")
    return None if rfonts is None else rfonts.get(f"{W}eastAsia")


def test_docx_styles_name_the_offices_faces(built: Path) -> None:
    styles = _docx_xml(built, "zh", "word/styles.xml")
    assert _east_asian(_style(styles, "Normal")) == "仿宋_GB2312"
    assert _style(styles, "Normal").find(f"{W}rPr/{W}sz").get(f"{W}val") == "32"
    assert _east_asian(_style(styles, "Title")) == "方正小标宋简体"
    assert _style(styles, "Title").find(f"{W}rPr/{W}sz").get(f"{W}val") == "44"
    assert _east_asian(_style(styles, "Heading1")) == "黑体"
    assert _east_asian(_style(styles, "Heading2")) == "楷体_GB2312"
    banner = _style(styles, "Banner")
    assert _east_asian(banner) == "方正小标宋简体"
    assert banner.find(f"{W}rPr/{W}color").get(f"{W}val") == "FF0000"
    body = _style(styles, "BodyText").find(f"{W}pPr/{W}ind")
    assert body.get(f"{W}firstLineChars") == "200"  # two characters
    fonts = _docx_xml(built, "zh", "word/fontTable.xml")
    alt = {f.get(f"{W}name"): f.find(f"{W}altName") for f in fonts.findall(f"{W}font")}
    assert alt["仿宋_GB2312"].get(f"{W}val") == "仿宋" and alt["楷体_GB2312"].get(f"{W}val") == "楷体"


def test_docx_section_has_the_page_and_the_22_by_28_grid(built: Path) -> None:
    document = _docx_xml(built, "zh", "word/document.xml")
    sect = document.find(f"{W}body/{W}sectPr")
    size, margins, grid = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar"), sect.find(f"{W}docGrid")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
    twips = {k: int(margins.get(f"{W}{k}")) for k in ("top", "left", "right", "bottom")}
    assert twips == {"top": 2098, "left": 1587, "right": 1474, "bottom": 1984}
    text_width, text_height = 11906 - 1587 - 1474, 16838 - 2098 - 1984
    assert grid.get(f"{W}type") == "linesAndChars"
    line_pitch, char_space = int(grid.get(f"{W}linePitch")), int(grid.get(f"{W}charSpace"))
    assert text_height // line_pitch == 22
    char_pitch = 16 + char_space / 4096  # ECMA-376: charSpace is (pitch − Normal size) × 4096
    assert int(text_width / 20 / char_pitch) == 28
    english = _docx_xml(built, "en", "word/document.xml").find(f"{W}body/{W}sectPr/{W}docGrid")
    assert english.get(f"{W}type") == "lines" and english.get(f"{W}linePitch") == str(line_pitch)


def _paragraphs(document: etree._Element) -> list[tuple[str, str]]:
    out = []
    for p in document.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        out.append((style.get(f"{W}val") if style is not None else "", text))
    return out


def test_docx_masthead_and_distribution_block(built: Path) -> None:
    document = _docx_xml(built, "zh", "word/document.xml")
    paragraphs = _paragraphs(document)
    assert paragraphs[:6] == [
        ("Classification", "内部资料"),
        ("Banner", "2025中国国际大数据产业博览会简报"),
        ("Issue", "第12期"),
        ("SplitLine", "数博会执委会办公室2025年8月28日"),
        ("Rule", ""),
        ("Title", "2025数博会“数字政府”交流活动举行 共探数据赋能治理新路径"),
    ]
    ps = list(document.iter(f"{W}p"))
    red_rule = ps[4].find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert red_rule.get(f"{W}color") == "FF0000"
    banner_runs = [r for r in ps[1].iter(f"{W}r")]
    assert banner_runs and all(r.find(f"{W}rPr/{W}sz") is not None for r in banner_runs)
    assert ps[3].find(f"{W}r/{W}tab") is not None  # the date at a right tab
    assert paragraphs[-6:] == [
        ("Rule", ""),
        ("Distribution", "报：贵州省人民政府办公厅，国家数据局。"),
        ("Distribution", "送：数博会执委会各成员单位，贵阳市人民政府办公厅。"),
        ("Rule", ""),
        ("Imprint", "数博会执委会办公室2025年8月28日印发"),
        ("Rule", ""),
    ]
    assert [p for p in paragraphs if p[0] == "Heading1"][0] == ("Heading1", "一、基本情况")


WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_docx_distribution_block_is_a_text_box_at_the_foot_of_the_page(built: Path, lang: str) -> None:
    document = _docx_xml(built, lang, "word/document.xml")
    body = document.find(f"{W}body")
    *_, last_paragraph, sect_pr = list(body)
    assert sect_pr.tag == f"{W}sectPr"
    anchors = list(body.iter(f"{WP}anchor"))
    assert len(anchors) == 1 and anchors[0] in list(last_paragraph.iter(f"{WP}anchor"))  # anchored to the body's end
    anchor = anchors[0]
    vertical = anchor.find(f"{WP}positionV")
    assert vertical.get("relativeFrom") == "margin" and vertical.findtext(f"{WP}align") == "bottom"
    horizontal = anchor.find(f"{WP}positionH")
    assert horizontal.get("relativeFrom") == "margin" and horizontal.findtext(f"{WP}align") == "center"
    assert anchor.find(f"{WP}wrapTopAndBottom") is not None  # the body flows above it, never under it
    assert int(anchor.find(f"{WP}extent").get("cx")) == (11906 - 1474 - 1587) * 635  # the text block's width
    box = list(anchor.iter(f"{W}txbxContent"))
    assert len(box) == 1
    inside = _paragraphs(box[0])
    assert [style for style, _ in inside] == ["Rule", "Distribution", "Distribution", "Rule", "Imprint", "Rule"]
    assert inside[1][1].startswith("报：" if lang == "zh" else "Report to:")
    # the body before it ends with the last key figure, not with any 报尾 line
    outside = [p for p in body if p is not last_paragraph and p.tag == f"{W}p"]
    outside_styles = {p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") for p in outside if p.find(f"{W}pPr/{W}pStyle") is not None}
    assert outside_styles.isdisjoint({"Distribution", "Imprint"})


def test_docx_text_box_height_fits_its_lines(built: Path) -> None:
    """The box is at least as tall as its lines on the 22-line grid (Word may keep the stored height)."""
    document = _docx_xml(built, "en", "word/document.xml")
    anchor = next(document.iter(f"{WP}anchor"))
    height_twips = int(anchor.find(f"{WP}extent").get("cy")) / 635
    line = 225 * 1440 / 25.4 / 22
    # English 报/送 lines wrap to two lines each (see the rendered page): 2 + 2 + 1 lines and three rules
    assert height_twips >= 5 * line


def test_docx_page_numbers_are_outer_footers(built: Path) -> None:
    with zipfile.ZipFile(built / f"{EXAMPLE_ID}.zh.docx") as z:
        settings = etree.fromstring(z.read("word/settings.xml"))
        assert settings.find(f"{W}evenAndOddHeaders") is not None
        document = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        refs = {
            ref.get(f"{W}type"): targets[ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")]
            for ref in document.iter(f"{W}footerReference")
        }
        assert set(refs) == {"default", "even"}
        for kind, side in (("default", "right"), ("even", "left")):
            footer = etree.fromstring(z.read(f"word/{refs[kind]}"))
            p = footer.find(f"{W}p")
            assert p.find(f"{W}pPr/{W}jc").get(f"{W}val") == side
            assert p.find(f"{W}pPr/{W}ind").get(f"{W}{side}") == "280"  # one 四号 character
            instr = "".join(i.text for i in p.iter(f"{W}instrText"))
            assert "PAGE" in instr
            text = "".join(t.text or "" for t in p.iter(f"{W}t"))
            assert text.startswith("— ") and text.endswith(" —")


def test_docx_english_jianbao_uses_english_faces(built: Path) -> None:
    styles = _docx_xml(built, "en", "word/styles.xml")
    rfonts = _style(styles, "Normal").find(f"{W}rPr/{W}rFonts")
    assert rfonts.get(f"{W}ascii") == "Times New Roman"
    paragraphs = _paragraphs(_docx_xml(built, "en", "word/document.xml"))
    assert ("Issue", "Briefing No. 12") in paragraphs


# ------------------------------------------------------------------ the 简报 faces


@pytest.mark.parametrize(
    ("filename", "family"),
    [
        ("NotoSerifSC-Light.ttf", "Noto Serif SC Light"),
        ("NotoSansSC-Medium.ttf", "Noto Sans SC Medium"),
        ("ReportgenKai-Regular.ttf", "reportgen Kai"),
    ],
)
def test_the_jianbao_faces_cover_gb2312_and_the_8105_table(filename: str, family: str) -> None:
    import struct

    from reportlab.pdfbase.ttfonts import TTFont

    from conftest import build_fonts_script
    from reportgen.resources import font_path

    font = TTFont(f"TestJianbao-{filename}", str(font_path(filename)))
    face = font.face
    assert face.familyName.decode() == family
    # the LXGW WenKai licence reserves its names for unmodified fonts
    for name in (face.familyName, face.fullName, face.name):
        assert b"LXGW" not in name.upper() and "霞鹜".encode("utf-16-be") not in name
    assert "glyf" in face.table and "CFF " not in face.table  # TrueType outlines: ReportLab embeds them
    (fs_type,) = struct.unpack_from(">H", face.get_table("OS/2"), 8)
    assert fs_type == 0
    build_fonts = build_fonts_script()
    wanted = set(build_fonts.gb2312_chars()) | set(build_fonts.TONGYONG_GUIFAN_OUTSIDE_GBK)
    missing = [f"U+{cp:04X}" for cp in sorted(wanted) if cp not in face.charToGlyph]
    assert not missing


def _restyle(docx_path: Path, out: Path, edit) -> Path:
    """A copy of ``docx_path`` whose styles part went through ``edit`` (as an editor's Word would save it)."""
    with zipfile.ZipFile(docx_path) as z:
        files = {name: z.read(name) for name in z.namelist()}
    styles = etree.fromstring(files["word/styles.xml"])
    edit(styles)
    files["word/styles.xml"] = etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(out, "w") as z:
        for name, content in files.items():
            z.writestr(name, content)
    return out


def test_docx_reference_docx_restyles_a_jianbao_by_name(built: Path, tmp_path: Path) -> None:
    def house(styles: etree._Element) -> None:  # Chinese Word's ids, and the office's own body face
        for style in styles.iter(f"{W}style"):
            if style.get(f"{W}styleId") == "Distribution":
                style.set(f"{W}styleId", "a7")
            if style.get(f"{W}styleId") == "Normal":
                style.find(f"{W}rPr/{W}rFonts").set(f"{W}eastAsia", "仿宋")

    reference = _restyle(built / f"{EXAMPLE_ID}.zh.docx", tmp_path / "house.docx", house)
    out = tmp_path / "out"
    run = run_cli("build", EXAMPLE, "--template", "jianbao", "--lang", "zh", "--format", "docx",
                  "--reference-docx", reference, "-o", out)
    assert run.status == 0, run.stderr
    document = _docx_xml(out, "zh", "word/document.xml")
    styles = _docx_xml(out, "zh", "word/styles.xml")
    assert _style(styles, "Normal").find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "仿宋"
    used = {el.get(f"{W}val") for el in document.iter(f"{W}pStyle")}
    assert "a7" in used and "Distribution" not in used  # the 报：/送： lines point at the file's own id
    assert document.find(f".//{W}sectPr/{W}docGrid").get(f"{W}linePitch") == "579"  # the page stays the 简报's


def test_docx_reference_docx_lacking_jianbao_styles_is_reported(built: Path, tmp_path: Path) -> None:
    def drop(styles: etree._Element) -> None:
        for style in list(styles.iter(f"{W}style")):
            if style.get(f"{W}styleId") in ("Banner", "Imprint"):
                styles.remove(style)

    reference = _restyle(built / f"{EXAMPLE_ID}.zh.docx", tmp_path / "poor.docx", drop)
    out = tmp_path / "out"
    run = run_cli("build", EXAMPLE, "--template", "jianbao", "--lang", "zh", "--format", "docx",
                  "--reference-docx", reference, "-o", out)
    assert run.status == 1
    assert "reference document lacks the paragraph style 'Banner (简报名称)'" in run.stderr
    assert "reference document lacks the paragraph style 'Imprint (印发)'" in run.stderr
    assert not out.exists() or not any(out.iterdir())


def test_pdf_rare_hanzi_from_the_song_face_keep_the_grid_pitch(tmp_path: Path) -> None:
    """丂 and 並 are not in the 仿宋 stand-in's subset: they come from the bundled Song face, which the 简报
    registers at the grid's pitch too. ReportLab keeps one font per PostScript name, so without a name of
    its own that face was the default look's Noto Serif SC, 1 em wide, and a line of them overflowed."""
    import pdfplumber
    import yaml

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["summary"] = {"zh": "丂並丂並丂並丂並丂並丂並丂並丂並丂並丂並丂並丂並丂並丂並丂並丂並", "en": "Rare."}
    event = tmp_path / "rare.yaml"
    event.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    # a 简报 and then the default look in one process: neither may take the other's widths
    for template in ("jianbao", "briefing"):
        run = run_cli("build", event, "--template", template, "--lang", "zh", "--format", "pdf", "-o", out / template)
        assert run.status == 0, run.stderr
    with pdfplumber.open(out / "jianbao" / f"{EXAMPLE_ID}.zh.pdf") as pdf:
        rare = [c for page in pdf.pages for c in page.chars if c["text"] in "丂並"]
    assert rare
    pitch = 156 * MM / 28
    assert all(c["width"] == pytest.approx(pitch, abs=0.05) for c in rare), {round(c["width"], 2) for c in rare}
    with pdfplumber.open(out / "briefing" / f"{EXAMPLE_ID}.zh.pdf") as pdf:
        rare = [c for page in pdf.pages for c in page.chars if c["text"] in "丂並"]
    assert rare and all(c["width"] == pytest.approx(c["size"], abs=0.05) for c in rare)  # 1 em in the default look
