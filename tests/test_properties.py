"""Property-based tests: any text XML can hold survives into both formats, anything else is refused.

Hypothesis generates valid events whose every text field holds arbitrary
XML-legal Unicode (mixed with markup, template and format-string look-alikes),
builds them through the real CLI in-process, and reads the outputs back.

What "survives" means (README, Robustness):

- DOCX: every shown text is in the document code point for code point; the only
  rewrite is the line-break rule (``\\r\\n`` and ``\\r`` are line breaks, read
  back as ``\\n``).
- PDF: the text layer after NFC, with white space ignored (layout turns runs of
  spaces into one space and wraps lines anywhere), contains every character the
  bundled fonts can draw, in order. Invisible format marks (category Cf) and
  control characters (Cc) have nothing to draw and may be absent. A character no
  font has (bundled or found on the system) is drawn as a box, which the text
  layer cannot give back (ReportLab maps every box to U+0000): the build must
  name it in a ``U+XXXX … has no glyph`` warning, and only such a character may
  be missing from the PDF (matched as "any one character or none"). So a
  character that is lost without a warning fails the property.

Profiles: ``ci`` (the default, a few dozen examples, part of every test run)
and ``thorough`` (hundreds): ``HYPOTHESIS_PROFILE=thorough pytest tests/test_properties.py``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess as _subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from docx import Document as open_docx
from hypothesis import HealthCheck, Phase, event, given, note, settings
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn, composite
from pypdf import PdfReader

from conftest import CliRun, docx_text, run_cli

settings.register_profile(
    "ci",
    max_examples=25,
    derandomize=True,  # the same examples on every run: CI is never red by chance
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: report fast, shrink with "thorough"
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    max_examples=400,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

LANGS = ("zh", "en")

# ------------------------------------------------------------------ text strategies

# What XML 1.0 cannot hold: C0 controls other than tab, LF and CR; U+FFFE, U+FFFF; surrogates.
NOT_XML = {chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"} | {"\ufffe", "\uffff"}

LOOK_ALIKES = [
    "<b>", "</b>", "&amp;", "&", "&lt;", "]]>", "<![CDATA[", "<para>", "</para>", "<br/>", "<x/>",
    '<font name="x">', "<a href='#x'>", "<!-- c -->", "<?xml ?>", "&#0;", "&#x41;",
    "{{ 7*7 }}", "{% raw %}", "{% endraw %}", "{# c #}", "${x}", "#{x}",
    "%s", "%(name)s", "%%", "{0}", "{}", "{name!r}", "\\", "\\n", "\\\\", "\\u0041",
    '"', "'", "“", "”", "‘", "’", "«", "»", "「", "」", "『", "』", "„", "‚", "`",
    "e\u0301", "\u0301", "a\u0308\u0323", "Å", "Å", "\ufb01", "ﬃ", "ｱ", "ｶﾞ", "Ａ", "１", "　",
    "😀", "👩🏽‍💻", "🇨🇳", "❤️", "שלום", "مرحبا", "\u200f", "\u200e", "\u202e", "\u2066", "\u00ad",
    "\u200b", "\ufeff", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2028", "\u3000",
    "贵阳", "𬌗", "𫓧", "丽", "〇", "中文，标点。", "—", "…", "·", "\u007f", "\u0085", "\U0010fffd",
]

xml_char = st.characters(exclude_categories=("Cs",), exclude_characters=NOT_XML)
random_text = st.text(xml_char, min_size=1, max_size=24)
mixed_text = st.lists(st.one_of(st.sampled_from(LOOK_ALIKES), random_text), min_size=1, max_size=4).map("".join)
any_text = st.one_of(mixed_text, random_text, st.sampled_from([s for s in LOOK_ALIKES if s.strip()])).filter(
    lambda s: s.strip() != ""
)


@composite
def text_field(draw: DrawFn) -> Any:
    """A text: a mapping {zh, en} or one plain string for every language (no gaps)."""
    if draw(st.integers(0, 3)) == 0:
        return draw(any_text)
    return {"zh": draw(any_text), "en": draw(any_text)}


@composite
def events(draw: DrawFn) -> dict[str, Any]:
    """A valid event with arbitrary text in every text field."""
    t = lambda: draw(text_field())  # noqa: E731
    maybe = lambda: draw(st.booleans())  # noqa: E731
    orgs = [{"id": f"org-{i}", "name": t()} for i in range(draw(st.integers(1, 2)))]
    if maybe():
        orgs[0]["short_name"] = t()
    people = [{"id": "person", "name": t(), "organization": "org-0"}]
    if maybe():
        people[0]["role"] = t()
    source = {"id": "src", "publisher": t()}
    for key in ("title", "locator"):
        if maybe():
            source[key] = t()
    info: dict[str, Any] = {"name": t(), "start": "2025-08-27", "organizers": ["org-0"]}
    for key in ("part_of", "venue", "city"):
        if maybe():
            info[key] = t()
    if len(orgs) > 1:
        info["supporters"] = ["org-1"]
    sections = [
        {
            "id": f"s{i}",
            "heading": t(),
            "points": [
                {"text": t(), **({"speaker": draw(st.sampled_from(["person", "org-0"]))} if maybe() else {}),
                 **({"refs": ["src"]} if maybe() else {})}
                for _ in range(draw(st.integers(1, 2)))
            ],
        }
        for i in range(draw(st.integers(1, 2)))
    ]
    figures = []
    for i in range(draw(st.integers(0, 2))):
        figure: dict[str, Any] = {"id": f"f{i}", "value": draw(st.integers(0, 10**6)), "label": t()}
        if maybe():
            figure["unit"] = {"zh": draw(any_text), "en": draw(any_text)}
        figures.append(figure)
    doc: dict[str, Any] = {
        "format": 1,
        "id": "prop",
        "source_language": "en",
        "title": {"zh": draw(any_text), "en": draw(any_text)},
        "event": info,
        "organizations": orgs,
        "people": people,
        "summary": t(),
        "sections": sections,
        "figures": figures,
        "sources": [source],
        "keywords": {lang: draw(st.lists(any_text, min_size=1, max_size=3)) for lang in LANGS},
        "briefing": {"issuer": t(), "classification": t(), "report_to": [t()], "copy_to": [t()]},
    }
    if maybe():
        doc["subtitle"] = t()
    return doc


# ------------------------------------------------------------------ what each document must show

# Fields the briefing template does not show (it has no masthead block yet, and
# uses the organization's full name): they must load and not break the build.
NOT_SHOWN = re.compile(r"^(briefing\b|organizations\[\d+\]\.short_name)")


def shown(doc: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """(path, string) of every text the document in ``lang`` shows, as loading keeps it (stripped)."""
    out: list[tuple[str, str]] = []

    def resolve(value: Any) -> str:
        return value if isinstance(value, str) else value[lang]

    def walk(value: Any, path: str) -> None:
        if NOT_SHOWN.match(path):
            return
        if path.endswith(".unit") and isinstance(value, dict):
            out.append((path, value[lang].strip()))
        elif isinstance(value, dict) and set(value) <= set(LANGS) and path != "keywords":
            out.append((path, resolve(value).strip()))
        elif isinstance(value, dict) and path == "keywords":
            out.extend((f"keywords.{lang}[{i}]", s.strip()) for i, s in enumerate(value[lang]))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else key)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")
        elif isinstance(value, str) and _is_text_path(path):
            out.append((path, value.strip()))

    walk(doc, "")
    return out


_TEXT_KEYS = ("title", "subtitle", "name", "part_of", "venue", "city", "summary", "heading", "text", "label",
              "publisher", "locator", "role", "short_name")


def _is_text_path(path: str) -> bool:
    return path.rsplit(".", 1)[-1].split("[")[0] in _TEXT_KEYS


# ------------------------------------------------------------------ reading the outputs back

LINE_BREAK = re.compile(r"\r\n|\r")




def squash(text: str) -> str:
    """The PDF comparison form: NFC, white space removed (layout may collapse or wrap it)."""
    return "".join(ch for ch in unicodedata.normalize("NFC", text) if not ch.isspace())


def is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def pdf_pattern(text: str, *, chars_only: bool = False) -> Any:
    """A text as it must appear in a squashed PDF text layer (see the module docstring).

    A character no font has is drawn as a box that reads back as itself, so it
    must be there like any other. With ``chars_only``, the characters that must
    be there (a string), not a pattern.
    """
    pieces = []
    for char in squash(text):
        if unicodedata.category(char) in ("Cf", "Cc", "Mn", "Me"):
            if not chars_only:
                pieces.append(r"[\s\S]?")  # nothing to draw: any one character or none
        else:
            pieces.append(char if chars_only else re.escape(char))
    return "".join(pieces) if chars_only else re.compile("".join(pieces))


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


GLYPH_WARNING = re.compile(r"^reportgen: warning: .*\bU\+([0-9A-F]{4,6}) .* has no glyph$", re.M)


def warned_chars(stderr: str) -> set[str]:
    """The characters the build said no font can draw (``… U+1F600 😀 has no glyph``)."""
    return {chr(int(code, 16)) for code in GLYPH_WARNING.findall(stderr)}


# ------------------------------------------------------------------ the properties


def build(doc: dict[str, Any], workdir: Path, *, subprocess: bool = False) -> tuple[Any, Path]:
    if os.environ.get("REPORTGEN_PROPERTY_LOG"):  # replaying a sequence of examples
        with open(os.environ["REPORTGEN_PROPERTY_LOG"], "a", encoding="utf-8") as log:
            log.write(json.dumps(doc) + "\n")
    source = workdir / "event.json"
    source.write_text(json.dumps(doc, ensure_ascii=bool(len(doc) % 2)), encoding="utf-8")
    out = workdir / "out"
    argv = ["build", str(source), "--lang", "zh,en", "--format", "pdf,docx", "-o", str(out), "-q"]
    if subprocess:
        done = _subprocess.run([sys.executable, "-m", "reportgen", *argv], capture_output=True, text=True, check=False)
        return CliRun(done.returncode, done.stdout, done.stderr), out
    return run_cli(*argv), out


def assert_clean_failure(run: Any, out: Path) -> None:
    assert run.status in (1, 2), run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert lines and all(line.startswith("reportgen: ") for line in lines), run.stderr
    assert not out.exists() or not any(out.iterdir())


def built(doc: dict[str, Any], tmp: str, *, subprocess: bool = False) -> tuple[Any, Path] | None:
    """Build through the CLI; None when reportgen refused the event cleanly (allowed by the contract)."""
    run, out = build(doc, Path(tmp), subprocess=subprocess)
    assert "Traceback" not in run.stderr
    if run.status != 0:
        event("refused")
        assert_clean_failure(run, out)
        return None
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"prop.{lang}.{ext}" for lang in LANGS for ext in ("pdf", "docx")
    ), "a file other than the outputs (a temporary file?) was left in the output directory"
    return run, out


@PROFILE
@given(doc=events())
def test_every_text_survives_in_the_docx(doc: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = built(doc, tmp)
        if result is None:
            return
        _, out = result
        for lang in LANGS:
            strings = shown(doc, lang)
            note(f"{lang}: {strings!r}")
            body = docx_text(out / f"prop.{lang}.docx")
            missing = [(p, s) for p, s in strings if LINE_BREAK.sub("\n", s) not in body]
            assert missing == [], f"DOCX {lang} lost {missing!r}"
            props = open_docx(str(out / f"prop.{lang}.docx")).core_properties
            assert props.title == doc["title"][lang].strip()


@settings(parent=PROFILE, max_examples=max(PROFILE.max_examples // 2, 10))
@given(doc=events())
def test_every_text_survives_in_the_pdf(doc: dict[str, Any]) -> None:
    # In one process, like a batch: an earlier build once made a later one lose characters
    # drawn from converted system fonts (a space joining a run whose font had none; fixed,
    # test_pdf_bidi.py has its regression test), so state carried between builds is exercised.
    with tempfile.TemporaryDirectory() as tmp:
        result = built(doc, tmp)
        if result is None:
            return
        run, out = result
        check_pdf(doc, run, out)


def check_pdf(doc: dict[str, Any], run: Any, out: Path) -> None:
    warned = warned_chars(run.stderr)
    for lang in LANGS:
        strings = shown(doc, lang)
        pages = pdf_pages(out / f"prop.{lang}.pdf")
        layer = squash("".join(pages))
        header = dict(strings)["event.name"]
        if any(is_rtl(ch) for _, s in strings for ch in s):
            # RTL runs are drawn in visual order and extractors put letters back in
            # logical order, but digits, neutrals and edge punctuation inside a run come
            # back in visual run order (pypdf reverses only runs of RTL letters): for
            # arbitrary text only that every character is there is checked here; the
            # order of RTL names is tested in test_pdf_bidi.py and test_robustness.py.
            lost = [(p, s) for p, s in strings if not set(pdf_pattern(s, chars_only=True)) <= set(layer)]
        else:
            lost = [
                (p, s)
                for p, s in strings
                if not pdf_pattern(s).search(layer)
                and not pdf_pattern(s).search(_page_bodies(pages, header))
            ]
        assert lost == [], f"PDF {lang} lost {lost!r}\ntext layer: {layer!r}\nwarned: {sorted(warned)!r}"
    shown_chars = {ch for lang in LANGS for _, s in shown(doc, lang) for ch in s}
    assert warned <= shown_chars | set(json.dumps(doc, ensure_ascii=False)), "a warning names a character not in the event"


# Anything at all, in one text field: built, or refused with the path and the code point.
anything = st.text(st.characters(), min_size=1, max_size=12)
FIELDS = ["title.en", "summary", "sections[0].heading", "sections[0].points[0].text", "event.name"]


@PROFILE
@given(value=anything, field=st.sampled_from(FIELDS))
def test_any_text_is_built_or_refused_with_its_path_and_code_point(value: str, field: str) -> None:
    doc: dict[str, Any] = {
        "format": 1, "id": "any", "source_language": "en", "title": {"zh": "标题", "en": "Title"},
        "event": {"name": "Forum", "start": "2025-08-27"}, "summary": "Summary.",
        "sections": [{"id": "s", "heading": "Heading", "points": [{"text": "Point."}]}],
    }
    {
        "title.en": lambda: doc["title"].__setitem__("en", value),
        "summary": lambda: doc.__setitem__("summary", value),
        "sections[0].heading": lambda: doc["sections"][0].__setitem__("heading", value),
        "sections[0].points[0].text": lambda: doc["sections"][0]["points"][0].__setitem__("text", value),
        "event.name": lambda: doc["event"].__setitem__("name", value),
    }[field]()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "any.json"
        source.write_text(json.dumps(doc), encoding="utf-8")  # lone surrogates travel as \ud800 escapes
        out = Path(tmp) / "out"
        run = run_cli("build", source, "--lang", "en", "--format", "pdf,docx", "-o", out, "-q")
        bad = [ch for ch in value if ch in NOT_XML or "\ud800" <= ch <= "\udfff"]
        assert "Traceback" not in run.stderr
        if bad:
            assert run.status == 1, run.stderr
            assert f"{field}: contains U+{ord(bad[0]):04X}" in run.stderr, run.stderr
            assert not out.exists()
        elif not value.strip():
            assert run.status == 1 and f"{field}: empty text" in run.stderr, run.stderr
            assert not out.exists()
        else:
            assert run.status == 0, run.stderr
            body = docx_text(out / "any.en.docx")
            assert LINE_BREAK.sub("\n", value.strip()) in body


def _page_bodies(pages: list[str], header: str) -> str:
    """The squashed text of all pages with each page's footer and running header cut out.

    The furniture is drawn last on every page (footer, then from page 2 on the
    header: the event name), so a paragraph that continues on the next page is
    interrupted by it in the text layer.
    """
    furniture = re.compile(rf"(?:Page\d+of\d+|第\d+页/共\d+页)(?:{pdf_pattern(header).pattern})?\Z")
    bodies = []
    for page in pages:
        squashed = squash(page)
        cut = furniture.search(squashed)
        bodies.append(squashed[: cut.start()] if cut else squashed)
    return "".join(bodies)
