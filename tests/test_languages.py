"""Languages as a first-class part of the product: bilingual trees, gaps, catalogs, locale tags."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document as open_docx

from conftest import REFERENCE, REFERENCE_ID, run_cli
from reportgen import doctree as t
from reportgen.bilingual import merge, parse_languages
from reportgen.compose import compose, compose_languages
from reportgen.errors import TemplateError, UsageError
from reportgen.gaps import find_gaps
from reportgen.l10n import localizer
from reportgen.loading import load_event

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def event():
    return load_event(REFERENCE)


# ------------------------------------------------------------------ bilingual trees


def test_interleaved_puts_each_second_language_block_after_its_primary(event) -> None:
    document = compose_languages(event, ("zh", "en"), layout="interleaved").document
    blocks = document.blocks
    title = blocks.index(next(b for b in blocks if isinstance(b, t.Title)))
    assert t.plain_text(blocks[title].children).startswith("2025数博会")
    second = blocks[title + 1]
    assert isinstance(second, t.Title) and second.secondary and second.lang == "en"
    headings = [b for b in blocks if isinstance(b, t.Heading) and b.anchor != t.CONTENTS_ANCHOR]
    assert [t.plain_text(h.children) for h in headings[:2]] == ["摘要", "Summary"]
    assert sum(b.anchor == t.CONTENTS_ANCHOR for b in blocks if isinstance(b, t.Heading)) == 1
    assert headings[0].anchor == "summary" and headings[1].anchor is None  # one anchor per item
    points = next(b for b in blocks if isinstance(b, t.BulletList)).items
    assert [p.secondary for p in points] == [False, True]
    assert document.metadata.languages == ("zh-CN", "en")


def test_parallel_aligns_rows_one_column_per_language(event) -> None:
    document = compose_languages(event, ("en", "zh"), layout="parallel").document
    aligned = [b for b in document.blocks if isinstance(b, t.Aligned)]
    assert aligned and all(b.langs == ("en", "zh-CN") for b in aligned)
    rows = [row for block in aligned for row in block.rows]
    assert all(len(row) == 2 for row in rows)
    pairs = {t.plain_text(a.children): t.plain_text(b.children) for a, b in rows if isinstance(a, t.Heading)}
    assert pairs["Summary"] == "摘要"
    assert any(isinstance(b, t.FigureGroup) for b in document.blocks)  # figures stay one grid


def test_figures_and_tables_carry_both_languages_inside(event) -> None:
    document = compose_languages(event, ("zh", "en"), layout="interleaved").document
    figures = next(b for b in document.blocks if isinstance(b, t.FigureGroup)).figures
    market = figures[3]
    assert t.plain_text(market.value) == "超过10万亿元"
    assert t.plain_text(market.secondary_label) == "more than 10 trillion yuan projected data-element market by 2030"
    table = next(b for b in document.blocks if isinstance(b, t.Table))
    assert t.plain_text(table.header[0]) == "姓名\nName"
    assert t.plain_text(table.rows[0][0]) == "Jia Lijun"  # the same in both: shown once


def test_both_footers_are_shown(event) -> None:
    footer = compose_languages(event, ("zh", "en")).document.footer
    text = t.plain_text(footer)
    assert "第 " in text and "Page " in text
    assert sum(isinstance(node, t.PageNumber) for node in footer) == 2


def test_trees_of_different_shapes_are_a_template_error(event) -> None:
    zh = compose(event, "zh").document
    shorter = t.Document(zh.metadata, zh.blocks[:-1])
    with pytest.raises(TemplateError):
        merge(zh, shorter, "interleaved")


@pytest.mark.parametrize("spec", ["zh+en+fr", "zh+zh", "zh+xx"])
def test_bad_language_pairs_are_usage_errors(spec: str) -> None:
    with pytest.raises(UsageError):
        parse_languages(spec)


def test_gap_fills_carry_an_editors_note_in_the_documents_language(event) -> None:
    spans = [
        node
        for block in compose(event, "zh").document.blocks
        if isinstance(block, t.Table)
        for row in block.rows
        for node in row[0]
    ]
    assert spans and all(isinstance(s, t.Span) and s.note == "缺少中文文本，此处显示英语文本" for s in spans)
    assert localizer("en").gap_note("zh") == "no English text; Chinese shown"


def test_spans_remember_their_event_path(event) -> None:
    title = next(b for b in compose(event, "en").document.blocks if isinstance(b, t.Title))
    assert [s.path for s in title.children if isinstance(s, t.Span)] == ["title"]


# ------------------------------------------------------------------ building bilingual documents


def test_build_combines_separate_and_bilingual_documents(tmp_path: Path) -> None:
    run = run_cli("build", REFERENCE, "--lang", "zh,en,zh+en", "--format", "docx", "-o", tmp_path, "-q")
    assert run.status == 0, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{REFERENCE_ID}.{lang}.docx" for lang in ("zh", "en", "zh+en")
    )
    text = "\n".join(p.text for p in open_docx(str(tmp_path / f"{REFERENCE_ID}.zh+en.docx")).paragraphs)
    assert "摘要" in text and "Summary" in text


# ------------------------------------------------------------------ gaps


def test_gaps_lists_every_gap_and_exits_1(event) -> None:
    run = run_cli("gaps", REFERENCE)
    assert run.status == 1
    assert "  zh: 54 texts, 4 gaps" in run.stdout
    assert "    people[0].name: no zh" in run.stdout
    assert "    sources[3].title: no en" in run.stdout
    assert find_gaps(event, "zh").missing == tuple(f"people[{i}].name" for i in range(4))


def test_gaps_exits_0_without_gaps(tmp_path: Path) -> None:
    text = REFERENCE.read_text("utf-8")
    text = text.replace("name: {en: Jia Lijun}", "name: {zh: 贾立君, en: Jia Lijun}")
    source = tmp_path / "one.yaml"
    source.write_text(text, "utf-8")
    assert run_cli("gaps", source, "--lang", "zh").status == 1  # three other people still lack zh
    for name in ("Wang Jinping", "Jiang Xiaojun", "Zhang Lifeng"):
        text = text.replace(f"name: {{en: {name}}}", f"name: {{zh: 某某, en: {name}}}")
    source.write_text(text, "utf-8")
    run = run_cli("gaps", source, "--lang", "zh")
    assert run.status == 0, run.stdout
    assert "zh: 54 texts, 0 gaps" in run.stdout


# ------------------------------------------------------------------ language tags and formatting


@pytest.mark.parametrize("tag", ["zh", "zh-CN", "zh-Hans"])
def test_every_simplified_chinese_tag_gives_simplified_chinese(event, tag: str) -> None:
    document = compose(event, tag).document
    assert document.metadata.lang == "zh-CN"
    assert "2025年8月27日" in "".join(t.plain_text(b.children) for b in document.blocks if isinstance(b, t.Paragraph))


def test_en_gb_formats_the_british_way(event) -> None:
    document = compose(event, "en-GB").document
    text = "".join(t.plain_text(b.children) for b in document.blocks if isinstance(b, t.Paragraph))
    assert "27 August 2025" in text
    assert localizer("en-GB").list(["A", "B", "C"]) == "A, B and C"
    assert document.metadata.lang == "en-GB"


def test_multi_day_and_timed_events() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    zh, en = localizer("zh"), localizer("en")
    assert zh.date_range(dt.date(2025, 8, 27), dt.date(2025, 8, 29)) == "2025年8月27日至29日"
    assert en.date_range(dt.date(2025, 8, 27), dt.date(2025, 8, 29)) == "Aug 27\u2009–\u200929, 2025"  # CLDR's thin spaces
    start = dt.datetime(2025, 8, 27, 6, 0, tzinfo=dt.timezone.utc)  # 14:00 in Guiyang
    assert zh.date_range(start, None, "Asia/Shanghai") == "2025年8月27日 14:00"
    end = dt.datetime(2025, 8, 27, 17, 30, tzinfo=shanghai)
    assert en.date_range(start, end, "Asia/Shanghai") == "August 27, 2025, 2:00\u2009–\u20095:30\u202fPM"


# ------------------------------------------------------------------ a third language is a catalog


def test_a_third_catalog_adds_a_language_without_code(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    po = locales / "fr" / "LC_MESSAGES" / "reportgen.po"
    po.parent.mkdir(parents=True)
    text = (ROOT / "locales" / "en" / "LC_MESSAGES" / "reportgen.po").read_text("utf-8")
    text = text.replace("Language: en", "Language: fr")
    text = text.replace('msgid "Summary"\nmsgstr "Summary"', 'msgid "Summary"\nmsgstr "Résumé"')
    text = text.replace(
        'msgid "Page %(page)s of %(pages)s"\nmsgstr "Page %(page)s of %(pages)s"',
        'msgid "Page %(page)s of %(pages)s"\nmsgstr "Page %(page)s sur %(pages)s"',
    )
    po.write_text(text, "utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "REPORTGEN_LOCALES": str(locales)}
    run = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", str(REFERENCE), "--lang", "fr", "--format", "docx", "-o", str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "summary: no fr text, used en" in run.stderr  # content falls back, and says so
    document = open_docx(str(out / f"{REFERENCE_ID}.fr.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Résumé" in text  # the label is translated
    assert "27 août 2025" in text  # French dates from CLDR
    footer = "".join(p.text for p in document.sections[0].footer.paragraphs)
    assert "sur" in footer


def test_a_declared_language_without_catalog_is_an_error() -> None:
    run = run_cli("build", REFERENCE, "--lang", "de")
    assert run.status == 2
    assert "unsupported language 'de'" in run.stderr


@pytest.fixture(scope="module")
def bilingual_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bilingual")
    for layout in ("interleaved", "parallel"):
        run = run_cli(
            "build", REFERENCE, "--lang", "zh+en", "--layout", layout, "--format", "pdf,docx", "-o", out / layout, "-q"
        )
        assert run.status == 0, run.stderr
    return out


@pytest.mark.parametrize("layout", ["interleaved", "parallel"])
@pytest.mark.parametrize("ext", ["pdf", "docx"])
def test_one_bilingual_document_holds_every_string_of_both_languages(
    bilingual_build: Path, event, layout: str, ext: str
) -> None:
    from conftest import docx_text, pdf_text
    from test_build import shown_strings, squeeze

    path = bilingual_build / layout / f"{REFERENCE_ID}.zh+en.{ext}"
    text = squeeze(pdf_text(path)) if ext == "pdf" else docx_text(path)
    if ext == "pdf" and layout == "parallel":  # read each column on its own, as a reader does
        text += " " + " ".join(squeeze(column) for column in pdf_columns(path))
    for lang in ("zh", "en"):
        wanted = shown_strings(event, lang)
        assert [s for s in wanted if (squeeze(s) if ext == "pdf" else s) not in text] == [], lang
    for label in ("摘要", "Summary", "关键数据", "Key figures", "资料来源", "Sources"):
        assert label in text


def pdf_columns(path: Path) -> list[str]:
    import pdfplumber

    columns = ["", ""]
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            middle, top, bottom = page.width / 2, 60, page.height - 60  # the text block, not header/footer
            columns[0] += (page.crop((0, top, middle, bottom)).extract_text() or "") + "\n"
            columns[1] += (page.crop((middle, top, page.width, bottom)).extract_text() or "") + "\n"
    return columns


def test_bilingual_pdf_sets_english_in_the_latin_face_and_keeps_one_outline(bilingual_build: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(bilingual_build / "interleaved" / f"{REFERENCE_ID}.zh+en.pdf")
    titles = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    assert "摘要" in titles and "Summary" not in titles  # the translation is not a second entry
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert {"NotoSerif-Regular", "NotoSerifSC-Regular"} <= fonts
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"


def test_bilingual_docx_tags_each_language(bilingual_build: Path) -> None:
    import zipfile

    body = zipfile.ZipFile(bilingual_build / "interleaved" / f"{REFERENCE_ID}.zh+en.docx").read("word/document.xml")
    assert b'w:val="en' in body


def test_gap_fills_in_the_reference_docx_carry_word_comments(tmp_path: Path) -> None:
    import zipfile

    run = run_cli("build", REFERENCE, "--lang", "zh", "--format", "docx", "-o", tmp_path, "-q")
    assert run.status == 0
    with zipfile.ZipFile(tmp_path / f"{REFERENCE_ID}.zh.docx") as archive:
        comments = archive.read("word/comments.xml").decode("utf-8")
        body = archive.read("word/document.xml").decode("utf-8")
    assert comments.count("缺少中文文本，此处显示英语文本") >= 4  # one per filled name shown
    assert body.count("<w:commentRangeStart") == comments.count("<w:comment ")


UNITS = [
    ("percent", None),
    ("count", None),
    ("years", None),
    ("people", None),
    ("currency", "CNY"),
    ("currency", "USD"),
    ("text", None),
]
COMPARATORS = [None, "more-than", "less-than", "about", "at-least", "up-to"]
COMPARATOR_WORDS = {
    "zh": {"more-than": "超过", "less-than": "不到", "about": "约", "at-least": "至少", "up-to": "最多"},
    "en": {"more-than": "more than ", "less-than": "less than ", "about": "about ", "at-least": "at least ", "up-to": "up to "},
}
UNIT_WORDS = {
    "zh": {"percent": "%", "count": "", "years": "年", "people": "人", "CNY": "元", "USD": "美元", "text": "个工作日"},
    "en": {"percent": "%", "count": "", "years": " years", "people": " people", "CNY": " yuan", "USD": " US dollars",
           "text": " working days"},
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("comparator", COMPARATORS)
@pytest.mark.parametrize(("kind", "code"), UNITS)
def test_every_unit_with_every_comparator_in_both_languages(lang: str, comparator, kind: str, code) -> None:
    from reportgen.model import Text, Unit

    text = Text((("zh", "个工作日"), ("en", "working days")), None, "u")
    unit = Unit(kind, currency=code, text=text if kind == "text" else None)  # type: ignore[arg-type]
    unit_text = dict(text.translations)[lang] if kind == "text" else None
    value = 30_000 if kind != "percent" else 30
    formatted = localizer(lang).quantity(value, unit, unit_text, comparator)
    number = {"zh": "3万" if kind != "percent" else "30", "en": "30,000" if kind != "percent" else "30"}[lang]
    words = UNIT_WORDS[lang][code or kind]
    prefix = COMPARATOR_WORDS[lang][comparator] if comparator else ""
    assert formatted == f"{prefix}{number}{words}"
