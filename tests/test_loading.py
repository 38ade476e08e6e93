"""Loading event files: the reference event, YAML 1.2 and JSON, and every refusal.

Each file in fixtures/invalid/ documents itself: lines such as
``# expect: 18 sections[0].points[0].speaker unknown person or organization``
(line, path, fragment of the message; ``-`` for "none") must all be reported,
and nothing else.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import time
import zoneinfo
from pathlib import Path

import pytest

from reportgen import model
from reportgen.errors import InputError, Problem
from reportgen.loading import MAX_BYTES, load_event, load_text

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "fixtures" / "digital-government-2025.yaml"
INVALID = ROOT / "fixtures" / "invalid"

MINI = """\
format: 1
id: mini
source_language: en
title: {zh: 标题, en: Title}
event:
  name: {en: Forum}
  start: 2025-08-27
summary: {en: Summary.}
sections:
  - id: one
    heading: {en: One}
    points:
      - text: {en: Point.}
"""


def problems_of(text: str, name: str = "t.yaml") -> list[Problem]:
    with pytest.raises(InputError) as info:
        load_text(text, name)
    return info.value.problems


def one_problem(text: str, name: str = "t.yaml") -> Problem:
    problems = problems_of(text, name)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# -- the reference event ------------------------------------------------------


@pytest.fixture(scope="module")
def reference() -> model.Event:
    return load_event(REFERENCE)


def test_reference_event_content(reference: model.Event) -> None:
    event = reference
    assert event.format == 1
    assert event.id == "bigdata-expo-2025-digital-government"
    assert event.source_language == "en"
    assert len(event.people) == 4
    assert len(event.organizations) == 7
    assert [s.id for s in event.sections] == [
        "overview", "officials", "international", "principles", "experts", "practice", "dialogue",
    ]
    assert event.title.path == "title"
    assert [tag for tag, _ in event.title.translations] == ["zh", "en"]
    assert event.event.city.resolve("zh", "en") == model.Resolved("贵阳", "zh", False)
    assert event.event.country == "CN"
    assert event.event.organizers == ("expo-committee",)
    assert event.event.supporters == ("cia", "china-unicom")
    assert event.event.start == dt.date(2025, 8, 27)
    assert type(event.event.start) is dt.date
    assert event.event.timezone == "Asia/Shanghai"
    assert event.summary_refs == (1, 4)
    assert event.keywords is not None and event.keywords.translations[1][1][0] == "digital government"


def test_reference_translation_gap(reference: model.Event) -> None:
    name = reference.people[0].name
    assert name.path == "people[0].name"
    assert name.lookup("zh") is None
    assert name.resolve("zh", reference.source_language) == model.Resolved("Jia Lijun", "en", True)
    assert reference.people[0].organization == "guizhou-gov"
    assert reference.party("jia-lijun").role.resolve("zh", "en").value == "副省长"


def test_lookups_by_id(reference: model.Event) -> None:
    assert reference.party(reference.organizations[0].id) is reference.organizations[0]
    assert reference.organization(reference.organizations[-1].id) is reference.organizations[-1]
    assert [reference.source_number(s.id) for s in reference.sources] == list(range(1, len(reference.sources) + 1))
    with pytest.raises(KeyError, match="nobody"):
        reference.party("nobody")
    with pytest.raises(KeyError):
        reference.organization(reference.people[0].id)  # a person is not an organization


def test_reference_points_and_figures(reference: model.Event) -> None:
    point = reference.sections[1].points[0]
    assert point.speaker == "jia-lijun"
    assert point.refs == (4,)
    assert point.text.path == "sections[1].points[0].text"
    figure = reference.figures[3]
    assert figure.value == 10000000000000 and type(figure.value) is int
    assert figure.unit == model.Unit("currency", currency="CNY")
    assert figure.comparator == "more-than"
    assert figure.year == 2030
    assert reference.figures[1].unit == model.Unit("percent")


def test_reference_sources(reference: model.Event) -> None:
    assert [s.id for s in reference.sources] == [1, 4, 5, 6]
    assert all(type(s.id) is int for s in reference.sources)
    published = reference.sources[0].published
    assert type(published) is dt.datetime  # a plain datetime, not a YAML library's own type
    assert published.utcoffset() == dt.timedelta(hours=8)
    assert published == dt.datetime(2025, 8, 27, 6, 46, tzinfo=dt.timezone.utc)


def test_load_text_matches_load_event(reference: model.Event) -> None:
    assert load_text(REFERENCE.read_text(encoding="utf-8"), str(REFERENCE)) == reference


# -- YAML 1.2 ---------------------------------------------------------------


def test_yaml_1_2_country_no_is_norway_and_1e15_is_a_number() -> None:
    text = MINI.replace("  start: 2025-08-27\n", "  start: 2025-08-27\n  country: NO\n") + (
        "figures:\n  - {id: big, value: 1e15, label: {en: big}}\n"
        "organizations:\n  - {id: on, name: yes, country: NO}\n"
    )
    event = load_text(text, "t.yaml")
    assert event.event.country == "NO"
    assert event.figures[0].value == 1e15
    assert isinstance(event.figures[0].value, float)
    assert event.organizations[0].id == "on"
    assert event.organizations[0].name.neutral == "yes"


def test_country_lowercase_no_is_refused_with_hint() -> None:
    text = MINI.replace("  start: 2025-08-27\n", "  start: 2025-08-27\n  country: no\n")
    problem = one_problem(text)
    assert problem.path == "event.country"
    assert "use upper case 'NO'" in problem.message


def test_plain_aliases_are_fine() -> None:
    text = MINI + (
        "sources:\n"
        "  - {id: 1, publisher: &ce {zh: 中国经济网, en: China Economic Net}}\n"
        "  - {id: 2, publisher: *ce}\n"
    )
    event = load_text(text, "t.yaml")
    assert event.sources[1].publisher.resolve("en", "en").value == "China Economic Net"
    assert event.sources[1].publisher.path == "sources[1].publisher"


def test_texts_neutral_and_stripped() -> None:
    text = MINI.replace("summary: {en: Summary.}", "summary: >\n  One paragraph\n  folded.\n") + (
        "subtitle: AI CITY\n"
    )
    event = load_text(text, "t.yaml")
    assert event.subtitle == model.Text((), "AI CITY", "subtitle")
    assert event.summary.neutral == "One paragraph folded."
    assert event.summary.resolve("zh", "en") == model.Resolved("One paragraph folded.", None, False)


def test_units_of_every_kind() -> None:
    text = MINI + (
        "figures:\n"
        "  - {id: a, value: 5, unit: EFLOPS, label: {en: compute}}\n"
        "  - {id: b, value: 3, unit: {zh: 个工作日, en: working days}, label: {en: time}}\n"
        "  - {id: c, value: 1.5, unit: USD, comparator: about, label: {en: cost}}\n"
        "  - {id: d, value: -2, unit: people, label: {en: change}}\n"
    )
    figures = load_text(text, "t.yaml").figures
    assert figures[0].unit == model.Unit("text", text=model.Text((), "EFLOPS", "figures[0].unit"))
    assert figures[1].unit is not None and figures[1].unit.kind == "text"
    assert figures[1].unit.text.resolve("zh", "en").value == "个工作日"
    assert figures[2].unit == model.Unit("currency", currency="USD")
    assert figures[3].unit == model.Unit("people") and figures[3].value == -2


def test_naive_datetimes_take_the_event_timezone() -> None:
    text = MINI.replace(
        "  start: 2025-08-27\n",
        "  start: 2025-08-27T09:00\n  end: 2025-08-28\n  timezone: Asia/Shanghai\n",
    ) + "sources:\n  - {id: x1, publisher: Xinhua, published: '2025-08-27 14:46'}\n"
    event = load_text(text, "t.yaml")
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    assert event.event.start == dt.datetime(2025, 8, 27, 9, 0, tzinfo=shanghai)
    assert event.event.start.utcoffset() == dt.timedelta(hours=8)
    assert event.event.end == dt.date(2025, 8, 28)
    assert event.sources[0].id == "x1"
    assert event.sources[0].published == dt.datetime(2025, 8, 27, 14, 46, tzinfo=shanghai)


def test_end_on_the_start_day_is_fine() -> None:
    text = MINI.replace("  start: 2025-08-27\n", "  start: 2025-08-27\n  end: 2025-08-27T18:00:00Z\n")
    assert load_text(text, "t.yaml").event.end == dt.datetime(2025, 8, 27, 18, tzinfo=dt.timezone.utc)


def test_briefing_masthead() -> None:
    text = MINI + (
        "briefing:\n"
        "  issuer: {zh: 办公室, en: General Office}\n"
        "  number: 12\n"
        "  date: '2025-08-28'\n"
        "  classification: {zh: 内部资料}\n"
        "  report_to: [{zh: 省委办公厅}, Provincial Government]\n"
        "  copy_to: []\n"
    )
    briefing = load_text(text, "t.yaml").briefing
    assert briefing is not None
    assert briefing.number == 12 and briefing.date == dt.date(2025, 8, 28)
    assert [t.path for t in briefing.report_to] == ["briefing.report_to[0]", "briefing.report_to[1]"]
    assert briefing.report_to[1].neutral == "Provincial Government"
    assert briefing.copy_to == ()


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINI.encode())
    assert load_event(path).id == "mini"


# -- JSON --------------------------------------------------------------------


def mini_json() -> dict:
    return {
        "format": 1,
        "id": "mini",
        "source_language": "zh",
        "title": {"zh": "标题 \ud83d\ude00", "en": "Title"},
        "event": {"name": {"en": "Forum"}, "start": "2025-08-27T09:00:00+08:00", "country": "NO"},
        "summary": {"en": "Summary."},
        "sections": [{"id": "one", "heading": {"en": "One"}, "points": [{"text": {"en": "Point."}, "refs": ["a"]}]}],
        "figures": [{"id": "big", "value": 1e15, "label": {"en": "big"}}],
        "sources": [{"id": "a", "publisher": "Xinhua", "published": "2025-08-27"}],
    }


def test_json_event_loads(tmp_path: Path) -> None:
    path = tmp_path / "mini.json"
    path.write_text(json.dumps(mini_json(), indent=2), encoding="utf-8")  # ASCII, \u escapes
    event = load_event(path)
    assert event.title.translations[0] == ("zh", "标题 😀")  # a surrogate pair, not two halves
    assert event.event.start == dt.datetime(2025, 8, 27, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert event.event.country == "NO"
    assert event.figures[0].value == 1e15
    assert event.sources[0].published == dt.date(2025, 8, 27)
    assert event.sections[0].points[0].refs == ("a",)


def test_json_problems_have_lines(tmp_path: Path) -> None:
    doc = mini_json()
    doc["sections"][0]["points"][0]["speaker"] = "nobody"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_event(path)
    (problem,) = info.value.problems
    assert problem.path == "sections[0].points[0].speaker"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert problem.line is not None and '"nobody"' in lines[problem.line - 1]


def test_json_file_is_read_as_json_not_yaml() -> None:
    # valid YAML, invalid JSON
    problem = one_problem("format: 1\n", "t.json")
    assert problem.message.startswith("JSON syntax error")


JSON_FIXTURES = {
    "bad.json": [(7, None, "JSON syntax error: Expecting ',' delimiter")],
    "duplicate-key.json": [
        (6, "event", "duplicate key 'start' (first on line 6)"),
        (9, None, "duplicate key 'id' (first on line 3)"),
    ],
    "nan.json": [(9, "figures[0].value", "'NaN' is not a JSON value")],
}


# -- every invalid fixture ---------------------------------------------------

EXPECT = re.compile(r"^# expect: (\S+) (\S+) (.+)$", re.MULTILINE)


def yaml_expectations(path: Path) -> list[tuple[int | None, str | None, str]]:
    text = path.read_bytes().decode("utf-8", "replace")
    return [
        (None if line == "-" else int(line), None if where == "-" else where, fragment)
        for line, where, fragment in EXPECT.findall(text)
    ]


def expectations(path: Path) -> list[tuple[int | None, str | None, str]]:
    if path.suffix == ".json":
        return JSON_FIXTURES[path.name]
    return yaml_expectations(path)


INVALID_FILES = sorted(INVALID.glob("*.yaml")) + sorted(INVALID.glob("*.json"))


def test_every_json_fixture_has_expectations() -> None:
    assert sorted(JSON_FIXTURES) == sorted(p.name for p in INVALID.glob("*.json"))


@pytest.mark.parametrize("path", INVALID_FILES, ids=lambda p: p.name)
def test_invalid_fixture_is_refused_as_documented(path: Path) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} documents no '# expect:' line"
    with pytest.raises(InputError) as info:
        load_event(path)
    problems = info.value.problems
    shown = "\n".join(f"{p.line} {p.path} {p.message}" for p in problems)
    for line, where, fragment in expected:
        assert any(
            p.line == line and p.path == where and fragment in p.message for p in problems
        ), f"not reported: {line} {where} {fragment}\ngot:\n{shown}"
    assert len(problems) == len(expected), f"unexpected extra problems:\n{shown}"
    assert all(p.file == path for p in problems)
    assert [p.line or 0 for p in problems] == sorted(p.line or 0 for p in problems)
    assert "Traceback" not in str(info.value)


def test_problem_line_format() -> None:
    path = INVALID / "unknown-speaker.yaml"
    with pytest.raises(InputError) as info:
        load_event(path)
    assert info.value.lines()[0] == (
        f"{path}:18: sections[0].points[0].speaker: unknown person or organization "
        "'wang-jinpin' (did you mean 'wang-jinping'?)"
    )


def test_many_problems_are_all_reported() -> None:
    with pytest.raises(InputError) as info:
        load_event(INVALID / "many-problems.yaml")
    assert len(info.value.problems) == 10


def test_alias_bomb_is_refused_quickly() -> None:
    started = time.perf_counter()
    with pytest.raises(InputError):
        load_event(INVALID / "alias-bomb.yaml")
    assert time.perf_counter() - started < 2.0


# -- files that are not event text -------------------------------------------


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    with pytest.raises(InputError) as info:
        load_event(path)
    (problem,) = info.value.problems
    assert "the file is empty" in problem.message


def test_utf16_file(tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes(MINI.encode("utf-16"))
    with pytest.raises(InputError) as info:
        load_event(path)
    (problem,) = info.value.problems
    assert "UTF-16" in problem.message


def test_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as f:
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(InputError) as info:
        load_event(path)
    (problem,) = info.value.problems
    assert "larger than" in problem.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_event(tmp_path / "nope.yaml")
    (problem,) = info.value.problems
    assert problem.message.startswith("cannot read the file")


def test_several_documents_are_refused() -> None:
    problem = one_problem(MINI + "---\nformat: 1\n")
    assert "YAML syntax error" in problem.message and problem.line == 14


# -- smaller rules, inline ---------------------------------------------------


@pytest.mark.parametrize(
    ("change", "path", "fragment"),
    [
        (("id: mini", "id: -mini"), "id", "is not a valid id"),
        (("title: {zh: 标题, en: Title}", "title: [Title]"), "title", "expected text"),
        (("title: {zh: 标题, en: Title}", "title: {zh: [标题]}"), "title.zh", "expected text, got a list"),
        (("title: {zh: 标题, en: Title}", "title:"), "title", "got no value"),
        (("title: {zh: 标题, en: Title}", "title: 2025-08-27"), "title", "got a date; put it in quotes"),
        (("source_language: en", "source_language: english"), "source_language", "not a BCP 47"),
        (("start: 2025-08-27", "start: 2025-08-27T09:00:00+25:00"), "event.start", "is not a valid date"),
        (("start: 2025-08-27", "start: 20250827"), "event.start", "expected a date or datetime"),
        (("start: 2025-08-27", "start: '2025-08-27T09:00Z'\n  timezone: Mars/Olympus"),
         "event.timezone", "unknown time zone 'Mars/Olympus'"),
        (("start: 2025-08-27", "start: 2025-08-27\n  timezone: ../../etc/passwd"),
         "event.timezone", "unknown time zone"),
        (("start: 2025-08-27", "start: 2025-08-27\n  country: XK"), "event.country", "not an assigned"),
        (("start: 2025-08-27", "start: 2025-08-27\n  country: CHN"), "event.country", "such as 'CN'"),
        (("start: 2025-08-27", "start: 2025-08-27\n  organizers: cia"), "event.organizers", "expected a list"),
        (("      - text: {en: Point.}", "      - Point."), "sections[0].points[0]", "expected a mapping"),
        (("      - text: {en: Point.}", "      - text: {en: Point.}\n        refs: [{a: 1}]"),
         "sections[0].points[0].refs[0]", "expected a source id"),
        (("      - text: {en: Point.}", "      - text: {en: Point.}\n        speaker: 7"),
         "sections[0].points[0].speaker", "expected an id"),
        (("format: 1", "format: 1.0"), "format", "unsupported format 1.0; supported formats: 1"),
        (("format: 1", "format: true"), "format", "unsupported format true"),
        (("summary: {en: Summary.}", "summary: {en: Summary., ? [x] : y}"), "summary", "a key must be a name"),
        (("summary: {en: Summary.}", 'summary: {en: "Sum\\x00mary"}'), "summary.en", "contains U+0000"),
        (("summary: {en: Summary.}", "summary: !!binary aGVsbG8="), "summary", "unsupported YAML tag"),
        (("summary: {en: Summary.}", "summary: !!int x"), "summary", "'x' is not an integer"),
    ],
)
def test_inline_refusals(change: tuple[str, str], path: str, fragment: str) -> None:
    old, new = change
    assert old in MINI
    problem = one_problem(MINI.replace(old, new, 1))
    assert problem.path == path, str(problem)
    assert fragment in problem.message, str(problem)
    assert problem.line is not None


@pytest.mark.parametrize(
    ("extra", "path", "fragment"),
    [
        ("keywords: {en: []}\n", "keywords.en", "empty list"),
        ("keywords: {en: [a, '']}\n", "keywords.en[1]", "empty text"),
        ("organizations:\n  - {id: o, name: O, url: 'https://exa mple.com'}\n", "organizations[0].url",
         "white space"),
        ("organizations:\n  - {id: o, name: O, url: 'https://'}\n", "organizations[0].url", "no host"),
        ("sources:\n  - {id: -1, publisher: X}\n", "sources[0].id", "out of range"),
        ("sources:\n  - {id: Source One, publisher: X}\n", "sources[0].id", "not a valid id"),
        ("figures:\n  - {id: f, value: 1, unit: '%', label: x}\n", "figures[0].unit", "'percent'"),
        ("figures:\n  - {id: f, value: '100', label: x}\n", "figures[0].value", "the string '100'"),
        ("figures:\n  - {id: f, value: 1, year: true, label: x}\n", "figures[0].year", "got true"),
        ("briefing: {issuer: X, date: 2025-08-28 09:00:00}\n", "briefing.date", "got the datetime"),
        ("briefing: {issuer: X, report_to: Office}\n", "briefing.report_to", "expected a list of texts"),
        ("briefing: {number: 1}\n", "briefing", "missing required key 'issuer'"),
    ],
)
def test_inline_refusals_of_optional_parts(extra: str, path: str, fragment: str) -> None:
    problem = one_problem(MINI + extra)
    assert problem.path == path, str(problem)
    assert fragment in problem.message, str(problem)


def test_accepted_urls() -> None:
    text = MINI + (
        "organizations:\n"
        "  - {id: a, name: A, url: 'https://www.cia.org.cn/'}\n"
        "  - {id: b, name: B, url: 'mailto:office@example.org'}\n"
    )
    event = load_text(text, "t.yaml")
    assert event.organizations[1].url == "mailto:office@example.org"


def test_no_cascade_from_a_broken_list() -> None:
    # organizations is not a list: references to organizations are not reported again
    text = MINI.replace("  start: 2025-08-27\n", "  start: 2025-08-27\n  organizers: [cia]\n") + (
        "organizations: {id: cia, name: CIA}\n"
        "people:\n  - {id: p, name: P, organization: cia}\n"
    )
    problem = one_problem(text)
    assert problem.path == "organizations"


def test_loading_does_not_import_renderers() -> None:
    code = (
        "import sys, reportgen.loading\n"
        "bad = [m for m in ('reportlab', 'docx', 'jinja2', 'babel') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_long_values_are_shortened_in_messages() -> None:
    problem = one_problem(MINI.replace("title: {zh: 标题, en: Title}", "title: {%s: Title}" % ("x" * 500)))
    assert "x" * 59 + "…'" in problem.message
    assert len(problem.message) < 200


def test_json_that_the_yaml_parser_cannot_read_is_still_checked() -> None:
    # a key beyond YAML's 1024-character implicit key limit: valid JSON all the same
    text = json.dumps(mini_json()).replace('"summary"', '"' + "k" * 1100 + '": 1, "summary"')
    problem = one_problem(text, "t.json")
    assert problem.message.startswith("unknown key 'kkkk")
    assert problem.line is None  # values survive, lines are lost


# -- YAML 1.2 through libyaml's event parser ------------------------------------


@pytest.mark.parametrize(
    ("plain", "tag", "value"),
    [
        ("NO", "str", "NO"), ("yes", "str", "yes"), ("on", "str", "on"), ("y", "str", "y"),
        ("true", "bool", True), ("False", "bool", False), ("TRUE", "bool", True), ("tRue", "str", "tRue"),
        ("1e15", "float", 1e15), ("-1.5e-3", "float", -1.5e-3), (".5", "float", 0.5), ("1.", "float", 1.0),
        (".inf", "float", float("inf")), ("-.INF", "float", float("-inf")),
        ("0o17", "int", 15), ("0x1F", "int", 31), ("0b101", "int", 5), ("1_000", "int", 1000), ("-0", "int", 0),
        ("~", "null", None), ("null", "null", None), ("NULL", "null", None), ("nil", "str", "nil"),
        ("2025-08-27", "timestamp", "2025-08-27"), ("1:30", "str", "1:30"), ("<<", "str", "<<"),
        ("'12'", "str", "12"), ('"0o17"', "str", "0o17"), ("!!str 12", "str", "12"), ("!!float 1", "float", 1.0),
    ],
)
def test_plain_scalars_resolve_as_yaml_1_2(plain: str, tag: str, value: object) -> None:
    from reportgen.yaml_nodes import compose

    root, bad = compose(f"key: {plain}\n", json_mode=False)
    ((key, node),) = root.value
    assert (node.kind, node.tag, node.value, node.line) == ("scalar", tag, value, 1)
    assert bad == []


def test_nan_is_a_float() -> None:
    from reportgen.yaml_nodes import compose

    root, _ = compose("key: .NaN\n", json_mode=False)
    assert root.value[0][1].tag == "float" and root.value[0][1].value != root.value[0][1].value


@pytest.mark.parametrize(
    "text",
    [
        "format: 1\ndeep: " + "[" * 1_000_000,
        "format: 1\ndeep: " + "{a: " * 300_000,
        "format: 1\ndeep:\n" + "".join(" " * i + "-\n" for i in range(2000)),
        "format: 1\ndeep:\n" + "- " * 500_000 + "x\n",
    ],
    ids=["flow-sequences", "flow-mappings", "block-sequences", "compact-sequences"],
)
def test_any_nesting_is_refused_at_the_limit_without_deep_recursion(text: str) -> None:
    started = time.perf_counter()
    problem = one_problem(text)
    assert "nested more than 64 levels deep" in problem.message
    assert problem.line is not None
    assert time.perf_counter() - started < 5.0  # generous: the point is "not hours"


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_nel_ls_ps_are_characters_not_line_breaks(char: str) -> None:
    # YAML 1.2 (and JSON) read them as ordinary characters; libyaml alone would break lines there
    text = MINI.replace("summary: {en: Summary.}", f"summary: {{en: 'Sum{char}mary.'}}\nsubtitle: a{char}b")
    event = load_text(text, "t.yaml")
    assert event.summary.resolve("en", "en").value == f"Sum{char}mary."
    assert event.subtitle is not None and event.subtitle.neutral == f"a{char}b"
    problem = one_problem(text + "keywords: {en: 1}\n")
    assert problem.line == text.count("\n") + 1 and problem.path == "keywords.en"


def test_surrogate_escapes_are_reported_with_their_path() -> None:
    text = MINI.replace("summary: {en: Summary.}", 'summary: {en: "a\\uD83D b", zh: "\\\\uD83D literal"}')
    problem = one_problem(text)
    assert (problem.line, problem.path) == (8, "summary.en")
    assert "contains U+D83D" in problem.message


def test_a_second_document_and_an_undefined_alias_are_syntax_errors_with_lines() -> None:
    assert one_problem(MINI + "subtitle: *nowhere\n").message == "YAML syntax error: found undefined alias 'nowhere'"
    problem = one_problem(MINI + "---\nformat: 1\n")
    assert problem.message == (
        "YAML syntax error: but found another document (expected a single document in the stream started on line 1)"
    )
