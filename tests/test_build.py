"""End to end: `reportgen build` on the reference event, read back with pure-Python readers."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_docx
from pypdf import PdfReader

from conftest import REFERENCE, REFERENCE_ID, CliRun, docx_text, keywords_of, pdf_text, run_cli, texts_of
from reportgen.model import Event

LANGS = ("zh", "en")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def squeeze(text: str) -> str:
    """Undo line wrapping only: a line break becomes nothing next to CJK, a space otherwise."""
    text = re.sub(r"\s*\n\s*", "\n", text)
    text = re.sub(r"(?<=[\u2E80-\u9FFF\uFF00-\uFFEF])\n|\n(?=[\u2E80-\u9FFF\uFF00-\uFFEF])", "", text)
    return re.sub(r"[ \n]+", " ", text)


def shown_strings(event: Event, lang: str) -> list[str]:
    """Every content string of the event that the briefing shows, in the document's language."""
    strings = [t.resolve(lang, event.source_language).value for t in texts_of(event)]
    return [*strings, *keywords_of(event, lang)]


def output(out: Path, lang: str, ext: str) -> Path:
    return out / f"{REFERENCE_ID}.{lang}.{ext}"


def test_build_writes_one_file_per_language_and_format(reference_build: tuple[Path, CliRun]) -> None:
    out, run = reference_build
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{REFERENCE_ID}.{lang}.{ext}" for lang in LANGS for ext in ("pdf", "docx")
    )
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "temporary files left behind"


@pytest.mark.parametrize("lang", LANGS)
def test_every_content_string_survives_in_the_pdf(
    reference_build: tuple[Path, CliRun], reference_event: Event, lang: str
) -> None:
    text = squeeze(pdf_text(output(reference_build[0], lang, "pdf")))
    missing = [s for s in shown_strings(reference_event, lang) if squeeze(s) not in text]
    assert missing == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_content_string_survives_in_the_docx(
    reference_build: tuple[Path, CliRun], reference_event: Event, lang: str
) -> None:
    text = docx_text(output(reference_build[0], lang, "docx"))
    missing = [s for s in shown_strings(reference_event, lang) if s not in text]
    assert missing == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", ["2025年8月27日", "数博会执委会", "中国信息协会和中国联通", "中国贵阳", "超过10万亿元", "100%", "90%", "9年"]),
        (
            "en",
            [
                "August 27, 2025",
                "China Information Association and China Unicom",
                "Guiyang, China",
                "more than 10 trillion yuan",
                "100%",
                "9 years",
            ],
        ),
    ],
)
@pytest.mark.parametrize("ext", ["pdf", "docx"])
def test_locale_formatting_in_both_formats(
    reference_build: tuple[Path, CliRun], lang: str, expected: list[str], ext: str
) -> None:
    path = output(reference_build[0], lang, ext)
    text = squeeze(pdf_text(path)) if ext == "pdf" else docx_text(path)
    assert [s for s in expected if s not in text] == []
    assert "10000000000000" not in text and "10T" not in text


def test_attribution_follows_each_languages_word_order(reference_build: tuple[Path, CliRun]) -> None:
    out = reference_build[0]
    assert "贵州省人民政府副省长Jia Lijun：" in docx_text(output(out, "zh", "docx"))
    assert "Jia Lijun, Vice Governor, Guizhou Provincial Government: " in docx_text(output(out, "en", "docx"))


def test_translation_gaps_are_warned_with_their_path(reference_build: tuple[Path, CliRun]) -> None:
    stderr = reference_build[1].stderr
    for index in range(4):
        assert f"people[{index}].name: no zh text, used en" in stderr
    assert "sources[0].title: no en text, used zh" in stderr


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_fonts_are_all_embedded_subset_truetype_with_tounicode(
    reference_build: tuple[Path, CliRun], lang: str
) -> None:
    reader = PdfReader(output(reference_build[0], lang, "pdf"))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        assert re.fullmatch(r"/[A-Z]{6}\+.+", name), f"{name} is not a subset"
        assert font["/Subtype"] != "/Type0" or "/DescendantFonts" in font
        descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor.get_object(), f"{name} has no embedded TrueType program"
        assert "/ToUnicode" in font, f"{name} has no ToUnicode map"


@pytest.mark.parametrize(("lang", "pdf_lang"), [("zh", "zh-CN"), ("en", "en")])
def test_pdf_metadata_and_language(
    reference_build: tuple[Path, CliRun], reference_event: Event, lang: str, pdf_lang: str
) -> None:
    reader = PdfReader(output(reference_build[0], lang, "pdf"))
    assert reader.trailer["/Root"]["/Lang"] == pdf_lang
    info = reader.metadata
    assert info is not None
    assert info.title == reference_event.title.resolve(lang, "en").value
    for keyword in keywords_of(reference_event, lang):
        assert keyword in (info.get("/Keywords") or "")
    assert info.subject
    assert info.creator and "reportgen" in info.creator


def test_pdf_outline_points_at_each_sections_own_page(reference_build: tuple[Path, CliRun]) -> None:
    reader = PdfReader(output(reference_build[0], "en", "pdf"))
    titles = {}
    for entry in reader.outline:
        assert not isinstance(entry, list)
        titles[entry.title] = reader.get_destination_page_number(entry)
    assert "Key insights from officials" in titles and "Sources" in titles
    for title, page_number in titles.items():
        assert title in reader.pages[page_number].extract_text().replace("\n", " "), title


@pytest.mark.parametrize(("lang", "pattern"), [("zh", r"第 {n} 页 / 共 {total} 页"), ("en", r"Page {n} of {total}")])
def test_pdf_footer_counts_pages_in_the_documents_language(
    reference_build: tuple[Path, CliRun], lang: str, pattern: str
) -> None:
    reader = PdfReader(output(reference_build[0], lang, "pdf"))
    total = len(reader.pages)
    assert total >= 2
    for n, page in enumerate(reader.pages, start=1):
        assert pattern.format(n=n, total=total) in page.extract_text()


def test_pdf_page_is_a4(reference_build: tuple[Path, CliRun]) -> None:
    box = PdfReader(output(reference_build[0], "zh", "pdf")).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_two_builds_give_identical_bytes(tmp_path: Path, reference_build: tuple[Path, CliRun]) -> None:
    run = run_cli("build", REFERENCE, "--lang", "zh,en", "--format", "pdf,docx", "-o", tmp_path)
    assert run.status == 0
    for path in tmp_path.iterdir():
        assert path.read_bytes() == (reference_build[0] / path.name).read_bytes(), path.name



def test_on_disk_caches_never_change_the_bytes(tmp_path: Path, reference_build: tuple[Path, CliRun]) -> None:
    """Fresh processes without caches, filling an empty cache, and reading it back write the same files."""
    import os

    cache = tmp_path / "cache"
    runs = {
        "none": {"REPORTGEN_NO_CACHE": "1"},
        "filling": {"REPORTGEN_CACHE_DIR": str(cache)},
        "reading": {"REPORTGEN_CACHE_DIR": str(cache)},
    }
    for name, env in runs.items():
        out = tmp_path / name
        subprocess.run(
            [sys.executable, "-m", "reportgen", "build", REFERENCE, "--lang", "zh,en", "--format", "pdf,docx",
             "-o", out, "-q"],
            env={**{k: v for k, v in os.environ.items() if not k.startswith("REPORTGEN_")}, **env},
            check=True,
        )
        if name == "filling":
            assert {p.name for p in cache.iterdir()} >= {"catalogs", "fonts", "templates"}
        for path in out.iterdir():
            assert path.read_bytes() == (reference_build[0] / path.name).read_bytes(), (name, path.name)


# ------------------------------------------------------------------ DOCX


def docx_part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


@pytest.mark.parametrize(("lang", "word_lang"), [("zh", "zh-CN"), ("en", "en-US")])
def test_docx_language_and_east_asian_fonts(reference_build: tuple[Path, CliRun], lang: str, word_lang: str) -> None:
    path = output(reference_build[0], lang, "docx")
    styles = docx_part(path, "word/styles.xml")
    settings = docx_part(path, "word/settings.xml")
    assert 'w:eastAsia="宋体"' in styles and 'w:eastAsia="黑体"' in styles
    assert re.search(r'<w:themeFontLang [^>]*w:eastAsia="zh-CN"', settings)
    if lang == "zh":
        assert re.search(r'<w:docDefaults>.*<w:lang [^>]*w:eastAsia="zh-CN"', styles, re.S)
    else:
        assert re.search(rf'<w:docDefaults>.*<w:lang [^>]*w:val="{word_lang}"', styles, re.S)


@pytest.mark.parametrize("lang", LANGS)
def test_docx_uses_words_own_styles_not_direct_formatting(reference_build: tuple[Path, CliRun], lang: str) -> None:
    path = output(reference_build[0], lang, "docx")
    document = open_docx(str(path))
    used = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1"} <= used
    assert any(name.startswith("List") or name == "Point" for name in used)
    body = docx_part(path, "word/document.xml")
    for direct in ("<w:sz ", "<w:color ", "<w:b/>", "<w:i/>", "w:ascii="):
        assert direct not in body, direct


@pytest.mark.parametrize("lang", LANGS)
def test_docx_page_footer_and_properties(
    reference_build: tuple[Path, CliRun], reference_event: Event, lang: str
) -> None:
    path = output(reference_build[0], lang, "docx")
    document = open_docx(str(path))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    footers = "".join(docx_part(path, n) for n in zipfile.ZipFile(path).namelist() if n.startswith("word/footer"))
    assert "PAGE" in footers and "NUMPAGES" in footers
    props = document.core_properties
    assert props.title == reference_event.title.resolve(lang, "en").value
    assert props.subject
    assert keywords_of(reference_event, lang)[0] in props.keywords
    assert props.language.startswith(lang)
    assert props.created is not None and props.created.year == 2025


# ------------------------------------------------------------------ CLI behaviour


def test_default_language_is_every_language_of_the_title(tmp_path: Path) -> None:
    run = run_cli("build", REFERENCE, "-o", tmp_path, "-q")
    assert run.status == 0, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{REFERENCE_ID}.en.pdf", f"{REFERENCE_ID}.zh.pdf"]


def test_strict_refuses_gaps_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = run_cli("build", REFERENCE, "--lang", "zh", "--strict", "-o", out)
    assert run.status == 1
    assert "people[0].name" in run.stderr and str(REFERENCE) in run.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["build", str(REFERENCE), "--lang", "fr"],
        ["build", str(REFERENCE), "--format", "odt"],
        ["build"],
        ["frobnicate"],
    ],
)
def test_bad_usage_exits_2_and_writes_nothing(tmp_path: Path, argv: list[str]) -> None:
    run = run_cli(*argv, *(["-o", str(tmp_path / "out")] if argv[:1] == ["build"] and len(argv) > 1 else []))
    assert run.status == 2
    assert not (tmp_path / "out").exists()


def test_usage_error_lists_available_choices() -> None:
    assert "available: en, zh" in run_cli("build", REFERENCE, "--lang", "fr").stderr
    assert "available: pdf, docx" in run_cli("build", REFERENCE, "--format", "odt").stderr


def test_existing_outputs_survive_a_failed_build(tmp_path: Path) -> None:
    target = tmp_path / f"{REFERENCE_ID}.zh.pdf"
    target.write_bytes(b"earlier build")
    run = run_cli("build", REFERENCE, "--lang", "zh", "--strict", "-o", tmp_path)
    assert run.status == 1
    assert target.read_bytes() == b"earlier build"


def test_output_path_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("not a directory")
    run = run_cli("build", REFERENCE, "-o", blocker)
    assert run.status == 1
    assert "not a directory" in run.stderr
    assert "Traceback" not in run.stderr


def test_validate_accepts_the_reference_and_writes_nothing(tmp_path: Path) -> None:
    run = run_cli("validate", REFERENCE)
    assert run.status == 0
    assert "valid" in run.stdout


@pytest.mark.parametrize("argv", [["--help"], ["build", "--help"], ["validate", "--help"]])
def test_help_explains_every_option(argv: list[str]) -> None:
    run = subprocess.run([sys.executable, "-m", "reportgen", *argv], capture_output=True, text=True, check=False)
    assert run.returncode == 0
    if argv == ["build", "--help"]:
        for option in ("--lang", "--format", "--output-dir", "--strict", "--quiet"):
            assert option in run.stdout
    assert "usage: reportgen" in run.stdout


def test_console_script_is_installed() -> None:
    run = subprocess.run(
        [str(Path(sys.executable).parent / "reportgen"), "validate", str(REFERENCE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"{REFERENCE}: valid\n"


@pytest.mark.parametrize("entry", ["console script", "python -m"])
def test_fast_exit_keeps_exit_status_and_flushes_both_streams(tmp_path: Path, entry: str) -> None:
    """The command ends with os._exit (no interpreter teardown): nothing printed may be lost."""
    command = [str(Path(sys.executable).parent / "reportgen")] if entry == "console script" else [
        sys.executable, "-m", "reportgen"]
    bad = INVALID[0]
    run = subprocess.run([*command, "validate", str(REFERENCE), str(bad)], capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert f"{REFERENCE}: valid" in run.stdout
    assert run.stderr.startswith("reportgen: error: ") and str(bad) in run.stderr
    listing = subprocess.run([*command, "templates"], capture_output=True, text=True, check=False)
    assert listing.returncode == 0 and listing.stdout.splitlines()[0].startswith("briefing")


def test_the_command_collects_young_garbage_less_often() -> None:
    """``cli.run`` raises the youngest generation's threshold and keeps the older ones'."""
    probe = (
        "import gc, json; from reportgen import cli; before = gc.get_threshold(); "
        "cli.main = lambda: print(json.dumps([before, gc.get_threshold()])) or 0; cli.run()"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    before, during = json.loads(run.stdout)
    assert during[0] == 10_000 > before[0]
    assert during[1:] == before[1:]


INVALID = sorted((REFERENCE.parent / "invalid").iterdir())


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.name)
def test_every_invalid_fixture_is_refused_with_its_path_and_nothing_written(tmp_path: Path, fixture: Path) -> None:
    out = tmp_path / "out"
    run = run_cli("build", fixture, "--format", "pdf,docx", "-o", out)
    assert run.status == 1, run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("reportgen: error: ")]
    assert errors and all(str(fixture) in line for line in errors)
    assert "Traceback" not in run.stderr
    assert not out.exists()
    assert run_cli("validate", fixture).status == 1


HOSTILE_EVENT = """\
format: 1
id: hostile-text
source_language: en
title: {zh: "R&D <b>简报</b> {{ 7*7 }}", en: "R&D <b>briefing</b> {{ 7*7 }} & \\"quotes\\" 'single'"}
event:
  name: {zh: "<para>活动</para> &amp; ]]>", en: "<para>Event</para> &amp; ]]>"}
  start: 2025-08-27
  country: "NO"
  organizers: [org]
organizations:
  - id: org
    name: {zh: "A&B <机构>", en: "A&B <Org> %s {0}"}
people:
  - id: p
    name: {zh: "张𬌗", en: "Zhang {{ name }}"}
    organization: org
summary: {zh: "摘要 a < b && c > d，罕见字𫓧。", en: "Summary a < b && c > d {% raw %} \\\\ back\\\\slash"}
sections:
  - id: s
    heading: {zh: "标题 <h1>", en: "Heading <h1>"}
    points:
      - speaker: p
        text: {zh: "他说：“{{ x }}” & ‘y’。", en: "He said: “{{ x }}” & ‘y’."}
figures:
  - id: f
    value: 3
    label: {zh: "标签 <x/>", en: "label <x/>"}
sources:
  - id: src
    publisher: {zh: "出版 & 社", en: "Publisher & Co <Ltd>"}
    url: "https://example.org/a?b=1&c=<2>"
"""


@pytest.mark.parametrize("ext", ["pdf", "docx"])
def test_markup_template_and_rare_characters_survive_end_to_end(tmp_path: Path, ext: str) -> None:
    from reportgen.loading import load_event

    source = tmp_path / "hostile.yaml"
    source.write_text(HOSTILE_EVENT, "utf-8")
    run = run_cli("build", source, "--lang", "zh,en", "--format", ext, "-o", tmp_path / "out")
    assert run.status == 0, run.stderr
    event = load_event(source)
    for lang in LANGS:
        path = tmp_path / "out" / f"hostile-text.{lang}.{ext}"
        text = squeeze(pdf_text(path)) if ext == "pdf" else docx_text(path)
        wanted = [t.resolve(lang, "en").value for t in texts_of(event)]
        assert [s for s in wanted if (squeeze(s) if ext == "pdf" else s) not in text] == []
        assert ("挪威" if lang == "zh" else "Norway") in text  # the event's country, from CLDR
