"""Hostile input and faults: never a traceback, never a half-written file, never a changed meaning.

The rules tested here are stated in the README (Robustness): a line break in a
text is a line break in both formats; white space at the ends of a text is
dropped, runs of spaces inside survive in DOCX and show as one space in PDF;
characters XML cannot hold are refused at load; outputs are renamed into place
only when complete, and a signal never leaves a half-written file.
"""

from __future__ import annotations

import json
import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_docx
from pypdf import PdfReader

from conftest import FIXTURES, REFERENCE, REFERENCE_ID, run_cli
from test_properties import is_rtl, pdf_pattern, squash

HOSTILE = FIXTURES / "hostile"
ROOT = FIXTURES.parent

def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def docx_paragraphs(path: Path) -> list[str]:
    document = open_docx(str(path))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    return texts


def mini(**changes: object) -> dict:
    doc: dict = {
        "format": 1,
        "id": "mini",
        "source_language": "en",
        "title": {"zh": "标题", "en": "Title"},
        "event": {"name": "Forum", "start": "2025-08-27"},
        "summary": "Summary.",
        "sections": [{"id": "s", "heading": "Heading", "points": [{"text": "Point."}]}],
    }
    doc.update(changes)
    return doc


def write_json(tmp_path: Path, doc: dict, name: str = "event.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def build(*args: object) -> object:
    return run_cli("build", *args, "-q")


# ------------------------------------------------------------------ text survives


@pytest.mark.parametrize("ext", ["pdf", "docx"])
def test_hostile_fixture_survives_in_both_formats(tmp_path: Path, ext: str) -> None:
    from conftest import texts_of
    from reportgen.loading import load_event

    source = HOSTILE / "look-alikes.yaml"
    run = build(source, "--lang", "zh,en", "--format", ext, "-o", tmp_path)
    assert run.status == 0, run.stderr
    event = load_event(source)
    for lang in ("zh", "en"):
        path = tmp_path / f"hostile-look-alikes.{lang}.{ext}"
        wanted = [t.resolve(lang, "en").value for t in texts_of(event) if not t.path.startswith("briefing")]
        if ext == "docx":
            body = "\n".join(docx_paragraphs(path))
            assert [s for s in wanted if s not in body] == []
        else:
            # as in test_properties: a character without a glyph is a box that reads back as
            # itself, and is warned about; RTL order is checked apart (test_rtl_… below)
            layer = squash(pdf_text(path))
            checked = [s for s in wanted if not any(is_rtl(ch) for ch in s)]
            assert [s for s in checked if not pdf_pattern(s).search(layer)] == []
            assert "😀" in layer


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_newline_is_a_line_break_inside_the_paragraph_in_both_formats(tmp_path: Path, newline: str) -> None:
    doc = mini(summary=f"First line{newline}second line")
    run = build(write_json(tmp_path, doc), "--lang", "en", "--format", "pdf,docx", "-o", tmp_path / "out")
    assert run.status == 0, run.stderr
    docx_path = tmp_path / "out" / "mini.en.docx"
    # DOCX: one paragraph holding a w:br (python-docx reads it back as "\n")
    assert "First line\nsecond line" in docx_paragraphs(docx_path)
    body = zipfile.ZipFile(docx_path).read("word/document.xml").decode()
    assert re.search(r"First line</w:t>\s*<w:br/>\s*<w:t>second line", body)
    # PDF: two lines, and no paragraph spacing between them (same paragraph)
    lines = pdf_text(tmp_path / "out" / "mini.en.pdf").splitlines()
    index = lines.index("First line")
    assert lines[index + 1] == "second line"


def test_white_space_rule(tmp_path: Path) -> None:
    doc = mini(summary="  \t Several   spaces\there \u3000 ", title={"zh": "标题", "en": " Title "})
    run = build(write_json(tmp_path, doc), "--lang", "en", "--format", "pdf,docx", "-o", tmp_path / "out")
    assert run.status == 0, run.stderr
    docx = docx_paragraphs(tmp_path / "out" / "mini.en.docx")
    assert "Several   spaces\there" in docx  # ends stripped at load, the inside exact
    assert "Title" in docx
    pdf = pdf_text(tmp_path / "out" / "mini.en.pdf")
    assert "Several spaces here" in pdf  # PDF: a run of spaces or a tab shows as one space


@pytest.mark.parametrize(
    ("char", "code"),
    [("\x01", "U+0001"), ("\x1b", "U+001B"), ("\x0c", "U+000C"), ("\ufffe", "U+FFFE"), ("\uffff", "U+FFFF"),
     ("\ud800", "U+D800"), ("\udfff", "U+DFFF")],
)
def test_characters_xml_cannot_hold_are_refused_with_path_and_code_point(
    tmp_path: Path, char: str, code: str
) -> None:
    doc = mini(sections=[{"id": "s", "heading": "H", "points": [{"text": {"en": f"a{char}b"}}]}])
    out = tmp_path / "out"
    run = build(write_json(tmp_path, doc), "--format", "pdf,docx", "-o", out)
    assert run.status == 1
    assert f"sections[0].points[0].text.en: contains {code}" in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists()


# ------------------------------------------------------------------ input limits


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("alias-bomb.yaml", "through aliases"),
        ("too-deep.yaml", "nested more than"),
        ("very-deep.yaml", "nested more than"),
        ("not-utf8.yaml", "not UTF-8"),
        ("empty.yaml", "empty"),
        ("not-a-mapping.yaml", "mapping"),
        ("binary.yaml", "binary"),
    ],
)
def test_input_limits_and_unreadable_files_are_refused_quickly_in_bounded_memory(name: str, fragment: str) -> None:
    fixture = FIXTURES / "invalid" / name
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"  # 1 GiB of address space
        "from reportgen.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, "validate", str(fixture)], capture_output=True, text=True, check=False
    )
    assert time.perf_counter() - started < 30  # a generous bound: a bomb that expanded would never finish
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"reportgen: error: {fixture}"), done.stderr
    assert fragment in lines[0]


def test_a_file_far_larger_than_any_event_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(1 << 40)  # a sparse terabyte: reading it would never end
    run = build(path, "-o", tmp_path / "out")
    assert run.status == 1
    assert "event files larger than" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()


def test_a_list_instead_of_a_mapping_in_json(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("[1, 2, 3]", encoding="utf-8")
    run = build(path, "-o", tmp_path / "out")
    assert run.status == 1 and "mapping" in run.stderr and "Traceback" not in run.stderr


# ------------------------------------------------------------------ files on disk


def test_an_output_directory_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a regular file")
    out = blocker / "sub"  # a directory under a regular file: root cannot make it either
    run = build(REFERENCE, "--format", "pdf,docx", "-o", out)
    assert run.status == 1
    assert f"{out}: cannot create output directory" in run.stderr
    assert "Traceback" not in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_an_output_path_that_is_an_existing_directory(tmp_path: Path) -> None:
    (tmp_path / f"{REFERENCE_ID}.en.pdf").mkdir()
    run = build(REFERENCE, "--lang", "zh,en", "--format", "pdf", "-o", tmp_path)
    assert run.status == 1
    assert f"{REFERENCE_ID}.en.pdf: output path is an existing directory" in run.stderr
    assert "Traceback" not in run.stderr
    # an event's documents are all-or-nothing: its zh file is not written either, and no temporary file
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{REFERENCE_ID}.en.pdf"]


def test_the_other_events_of_a_batch_still_build_when_one_cannot_be_written(tmp_path: Path) -> None:
    other = write_json(tmp_path, mini(id="other"), "other.json")
    out = tmp_path / "out"
    (out / f"{REFERENCE_ID}.en.pdf").mkdir(parents=True)
    run = build(REFERENCE, other, "--lang", "en", "--format", "pdf", "-o", out)
    assert run.status == 1
    assert "output path is an existing directory" in run.stderr and "Traceback" not in run.stderr
    assert (out / "other.en.pdf").is_file()
    assert (out / f"{REFERENCE_ID}.en.pdf").is_dir()


@pytest.mark.parametrize("bad_id", ["../x", "a/b", "..", "/etc/x", "a\\b", "x.pdf", "A"])
def test_ids_are_slugs_so_outputs_cannot_escape_the_output_directory(tmp_path: Path, bad_id: str) -> None:
    workdir = tmp_path / "work"
    workdir.mkdir()
    run = build(write_json(workdir, mini(id=bad_id)), "-o", workdir / "out")
    assert run.status == 1
    assert "id: " in run.stderr and "is not a valid id" in run.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["event.json", "work"]


def test_outputs_land_only_in_the_output_directory(tmp_path: Path) -> None:
    out = tmp_path / "a" / "out"
    run = build(REFERENCE, "--lang", "zh,en", "--format", "pdf,docx", "-o", out)
    assert run.status == 0, run.stderr
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert files == sorted(f"a/out/{REFERENCE_ID}.{lang}.{ext}" for lang in ("zh", "en") for ext in ("pdf", "docx"))


def _build_in_subprocess(out: Path, env: dict[str, str] | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "reportgen", "build", str(REFERENCE), "--lang", "zh,en", "--format", "pdf,docx",
         "-o", str(out), "-q"],
        check=True, capture_output=True, env={**os.environ, **(env or {})},
    )


def test_same_input_same_bytes_across_processes_and_clocks(tmp_path: Path) -> None:
    _build_in_subprocess(tmp_path / "one")
    _build_in_subprocess(tmp_path / "two", {"TZ": "America/Los_Angeles"})
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert len(names) == 4
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_both_formats_date_themselves_by_the_event_whatever_source_date_epoch_says(tmp_path: Path) -> None:
    _build_in_subprocess(tmp_path / "plain")
    _build_in_subprocess(tmp_path / "epoch", {"SOURCE_DATE_EPOCH": "1700000000"})
    for name in sorted(p.name for p in (tmp_path / "plain").iterdir()):
        assert (tmp_path / "plain" / name).read_bytes() == (tmp_path / "epoch" / name).read_bytes(), name


def test_source_date_epoch_dates_a_document_that_has_no_date_of_its_own(tmp_path: Path, monkeypatch) -> None:
    from reportgen import doctree as dt
    from reportgen.renderers.pdf import render

    document = dt.Document(dt.Metadata(lang="en", title="t", created=None), (dt.Paragraph("body", (dt.Span("x"),)),))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    info = PdfReader(io.BytesIO(render(document))).metadata
    assert info is not None and info["/CreationDate"].startswith("D:20231114221320")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    info = PdfReader(io.BytesIO(render(document))).metadata
    assert info is not None and info["/CreationDate"].startswith("D:20000101000000")


def test_times_written_come_from_the_event_not_the_clock(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = build(REFERENCE, "--lang", "en", "--format", "pdf,docx", "-o", out)
    assert run.status == 0
    props = open_docx(str(out / f"{REFERENCE_ID}.en.docx")).core_properties
    assert props.created is not None and props.created.date().isoformat() == "2025-08-27"  # the event's start
    with zipfile.ZipFile(out / f"{REFERENCE_ID}.en.docx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    info = PdfReader(out / f"{REFERENCE_ID}.en.pdf").metadata
    assert info is not None
    assert info["/CreationDate"] == info["/ModDate"] == "D:20250827000000+00'00'"  # the event's start, as the DOCX


# ------------------------------------------------------------------ a build stopped at any moment


@pytest.fixture(scope="module")
def earlier_and_later(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A changed reference event, the bytes of an earlier build and of a complete build of the change."""
    tmp = tmp_path_factory.mktemp("kill")
    changed = tmp / "event.yaml"
    changed.write_text(REFERENCE.read_text("utf-8").replace("summary:", "subtitle: Revised\nsummary:", 1), "utf-8")
    earlier, later = tmp / "earlier", tmp / "later"
    assert build(REFERENCE, "--lang", "zh,en", "--format", "pdf,docx", "-o", earlier).status == 0
    assert build(changed, "--lang", "zh,en", "--format", "pdf,docx", "-o", later).status == 0
    old = {p.name: p.read_bytes() for p in earlier.iterdir()}
    new = {p.name: p.read_bytes() for p in later.iterdir()}
    assert old.keys() == new.keys() and all(old[n] != new[n] for n in old)
    return changed, old, new


def _temp_seen(directory: Path) -> bool:
    return any(name.startswith(".") and name.endswith(".tmp") for name in os.listdir(directory))


@pytest.mark.parametrize(
    ("sig", "moment"),
    [
        (signal.SIGKILL, "early"),
        (signal.SIGKILL, "writing"),
        (signal.SIGTERM, "early"),
        (signal.SIGTERM, "writing"),
        (signal.SIGINT, "early"),
        (signal.SIGINT, "writing"),
    ],
)
def test_a_killed_build_leaves_no_truncated_file_under_a_final_name(
    tmp_path: Path, earlier_and_later: tuple[Path, dict[str, bytes], dict[str, bytes]], sig: int, moment: str
) -> None:
    changed, old, new = earlier_and_later
    out = tmp_path / "out"
    out.mkdir()
    for name, data in old.items():
        (out / name).write_bytes(data)
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "build", str(changed), "--lang", "zh,en", "--format", "pdf,docx",
         "-o", str(out), "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    if moment == "early":
        time.sleep(0.6)  # started, imports and rendering under way, nothing written yet
    else:  # the moment the first temporary file appears
        while process.poll() is None and not _temp_seen(out) and time.monotonic() < deadline:
            pass
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)

    leftovers = []
    for path in out.iterdir():
        if path.name in old:
            assert path.read_bytes() in (old[path.name], new[path.name]), f"{path.name} is neither build"
        else:
            leftovers.append(path.name)
    assert sorted(old) == sorted(p.name for p in out.iterdir() if p.name in old), "a final file vanished"
    assert "Traceback" not in stderr, stderr
    note = f"exit {process.returncode}, left {leftovers}, stderr {stderr[-500:]!r}"
    if sig == signal.SIGKILL:  # nothing can clean up after SIGKILL: only temporary names may remain
        assert all(re.fullmatch(r"\.[^/]+\.(pdf|docx)\.\w+\.tmp", name) for name in leftovers), note
        assert process.returncode in (-signal.SIGKILL, 0), note
    else:
        assert leftovers == [], f"a temporary file was left behind: {note}"
        expected = {signal.SIGTERM: 143, signal.SIGINT: 130}[sig]
        assert process.returncode in (expected, 0), note
        if process.returncode == expected:
            word = "terminated" if sig == signal.SIGTERM else "interrupted"
            assert stderr.strip().splitlines()[-1].startswith(f"reportgen: {word}"), stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_writing_takes_effect_once_every_file_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sig: int
) -> None:
    from reportgen import build as build_module

    outputs = [build_module.Output("en", "pdf", tmp_path / f"f{i}.pdf") for i in range(3)]
    rendered = [build_module.Rendered(o, b"x" * 1000) for o in outputs]
    real_fsync = os.fsync
    sent = []

    def fsync_then_signal(fd: int) -> None:
        real_fsync(fd)
        if not sent:
            sent.append(sig)
            os.kill(os.getpid(), sig)
            time.sleep(0.2)  # a handler would run here if the signal were not held back

    class Stopped(BaseException):
        pass

    def stop(signum: int, frame: object) -> None:
        raise Stopped

    monkeypatch.setattr(os, "fsync", fsync_then_signal)
    previous = signal.signal(sig, stop)
    try:
        with pytest.raises(Stopped):
            build_module.write_all(rendered)
    finally:
        signal.signal(sig, previous)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f0.pdf", "f1.pdf", "f2.pdf"]
    assert all(p.read_bytes() == b"x" * 1000 for p in tmp_path.iterdir())


def test_sigterm_in_process_is_reported_and_exits_143(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reportgen.build

    def stopped(*args: object, **kwargs: object) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)  # the handler raises here
        raise AssertionError("SIGTERM did not stop the build")

    monkeypatch.setattr(reportgen.build, "render_all", stopped)
    previous = signal.getsignal(signal.SIGTERM)
    run = build(REFERENCE, "--lang", "en", "-o", tmp_path / "out")
    assert run.status == 143
    assert run.stderr.strip().startswith("reportgen: terminated")
    assert signal.getsignal(signal.SIGTERM) == previous  # the CLI restores the handler it replaced


# ------------------------------------------------------------------ known bugs (reported)


def test_rtl_names_survive_in_the_pdf_text_layer_in_order(tmp_path: Path) -> None:
    # needs a system font with Hebrew and Arabic (CI installs one); see tests/test_pdf_bidi.py
    doc = mini(summary="Speaker: שלום עולם and مرحبا")
    run = build(write_json(tmp_path, doc), "--lang", "en", "--format", "pdf", "-o", tmp_path / "out")
    assert run.status == 0, run.stderr
    assert "has no glyph" not in run.stderr, "no font for Hebrew or Arabic: install fonts-dejavu-core"
    text = pdf_text(tmp_path / "out" / "mini.en.pdf")
    assert "Speaker: שלום עולם and مرحبا" in text


def test_compatibility_ideographs_are_drawn_as_their_canonical_twins(tmp_path: Path) -> None:
    """U+2F800 and U+F900 are in no bundled font, 丽 and 豈 (their NFC forms) are: drawn, not boxed; the
    PDF text layer is NFC-equal (the issue's rule), the DOCX keeps the code points."""
    doc = mini(summary={"zh": "名称：\U0002F800\uF900。", "en": "Name: \U0002F800\uF900."})
    run = build(write_json(tmp_path, doc), "--lang", "zh", "--format", "pdf,docx", "-o", tmp_path / "out")
    assert run.status == 0, run.stderr
    assert "has no glyph" not in run.stderr
    assert "名称：丽豈。" in pdf_text(tmp_path / "out" / "mini.zh.pdf")
    assert "名称：\U0002F800\uF900。" in docx_paragraphs(tmp_path / "out" / "mini.zh.docx")


def test_a_character_no_font_has_is_a_box_that_reads_back_as_itself(tmp_path: Path) -> None:
    """U+0378 is unassigned: no font draws it. The PDF shows the .notdef box, warns, and its text layer
    still holds the character (not U+0000), in the summary and in a table cell, twice in one process."""
    doc = mini(summary="Name: A\u0378B and \u0378.", people=[{"id": "p", "name": "X\u0378Y"}],
               sections=[{"id": "s", "heading": "Heading", "points": [{"text": "Point.", "speaker": "p"}]}])
    for attempt in ("a", "b"):
        out = tmp_path / attempt
        run = build(write_json(tmp_path, doc), "--lang", "en", "--format", "pdf", "-o", out)
        assert run.status == 0, run.stderr
        assert "U+0378" in run.stderr and "has no glyph" in run.stderr
        text = pdf_text(out / "mini.en.pdf")
        assert "Name: A\u0378B and \u0378." in text
        assert "X\u0378Y" in text
        assert "\x00" not in text


def test_c1_controls_stay_in_the_docx_and_are_named_when_the_pdf_drops_them(tmp_path: Path) -> None:
    """U+0093/U+0094 are what Windows-1252 quotes become when read as Latin-1: XML holds them (kept), nothing
    draws them (left out of the PDF, with a warning that says what they probably were)."""
    doc = mini(summary="He said \x93hello\x94 to all.")
    run = build(write_json(tmp_path, doc), "--lang", "en", "--format", "pdf,docx", "-o", tmp_path / "out")
    assert run.status == 0, run.stderr
    assert "He said \x93hello\x94 to all." in docx_paragraphs(tmp_path / "out" / "mini.en.docx")
    assert "summary: U+0093 is a control character (probably \u201c mis-decoded from Windows-1252)" in run.stderr
    assert "summary: U+0094 is a control character (probably \u201d mis-decoded from Windows-1252)" in run.stderr
    assert "He said hello to all." in pdf_text(tmp_path / "out" / "mini.en.pdf")


def test_rtl_names_survive_in_the_docx(tmp_path: Path) -> None:
    doc = mini(summary="Speaker: שלום עולם and مرحبا")
    run = build(write_json(tmp_path, doc), "--lang", "en", "--format", "docx", "-o", tmp_path / "out")
    assert run.status == 0, run.stderr
    assert "Speaker: שלום עולם and مرحبا" in docx_paragraphs(tmp_path / "out" / "mini.en.docx")
