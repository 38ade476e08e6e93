"""Batches: many files and directories, failure isolation, exit codes, id collisions, progress output."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, REFERENCE, REFERENCE_ID, CliRun
from reportgen.batch import expand_sources
from reportgen.cli import main
from reportgen.errors import UsageError

BAD = FIXTURES / "invalid" / "bad-date.yaml"
SUMMARY = re.compile(r"^built (\d+) documents? from (\d+) events?(?:, (\d+) events? failed)? \(\d+\.\d s\)$")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*argv: str | Path, terminal: bool = False) -> CliRun:
    out = io.StringIO()
    err = FakeTerminal() if terminal else io.StringIO()
    try:
        status = main([str(a) for a in argv], stdout=out, stderr=err)
    except SystemExit as exc:
        status = int(exc.code or 0)
    return CliRun(status, out.getvalue(), err.getvalue())


def event_copy(directory: Path, name: str, event_id: str) -> Path:
    """The reference event under another file name and id."""
    text = REFERENCE.read_text("utf-8")
    assert f"\nid: {REFERENCE_ID}\n" in text
    path = directory / name
    path.write_text(text.replace(f"\nid: {REFERENCE_ID}\n", f"\nid: {event_id}\n"), "utf-8")
    return path


@pytest.fixture
def events(tmp_path: Path) -> Path:
    """A directory: two good events, one invalid one, and things a build must ignore."""
    directory = tmp_path / "events"
    directory.mkdir()
    event_copy(directory, "a.yaml", "event-a")
    event_copy(directory, "b.yml", "event-b")
    shutil.copy(BAD, directory / "c-bad.yaml")
    (directory / "notes.txt").write_text("not an event")
    (directory / ".hidden.yaml").write_text("not: read")
    sub = directory / "drafts"
    sub.mkdir()
    event_copy(sub, "d.yaml", "event-d")  # subdirectories are not searched
    return directory


def summary(run: CliRun) -> tuple[int, int, int]:
    match = SUMMARY.match(run.stdout.splitlines()[-1])
    assert match, run.stdout
    return int(match[1]), int(match[2]), int(match[3] or 0)


# ------------------------------------------------------------------ inputs


def test_directories_expand_to_event_files_sorted_not_recursively(events: Path) -> None:
    assert [p.name for p in expand_sources([events])] == ["a.yaml", "b.yml", "c-bad.yaml"]


def test_a_file_named_twice_is_built_once(events: Path) -> None:
    assert expand_sources([events / "a.yaml", events, events / "a.yaml"]) == [
        events / "a.yaml",
        events / "b.yml",
        events / "c-bad.yaml",
    ]


def test_a_directory_without_event_files_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="holds no"):
        expand_sources([tmp_path])
    assert run("build", tmp_path, "-o", tmp_path / "out").status == 2
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ failure isolation and exit status


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_bad_file_never_stops_the_others(events: Path, tmp_path: Path, jobs: str) -> None:
    out = tmp_path / "out"
    result = run("build", events, "--lang", "en", "--format", "pdf,docx", "-o", out, "--jobs", jobs)
    assert result.status == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "event-a.en.docx",
        "event-a.en.pdf",
        "event-b.en.docx",
        "event-b.en.pdf",
    ]
    errors = [line for line in result.stderr.splitlines() if line.startswith("reportgen: error: ")]
    assert errors and all(str(events / "c-bad.yaml") in line for line in errors)
    assert f"failed {events / 'c-bad.yaml'}" in result.stdout.splitlines()
    assert sorted(line for line in result.stdout.splitlines() if line.startswith("wrote ")) == sorted(
        f"wrote {out / name}" for name in ("event-a.en.pdf", "event-a.en.docx", "event-b.en.pdf", "event-b.en.docx")
    )
    assert summary(result) == (4, 2, 1)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_all_good_is_status_0(tmp_path: Path, jobs: str) -> None:
    a = event_copy(tmp_path, "a.yaml", "event-a")
    b = event_copy(tmp_path, "b.json.yaml", "event-b")
    result = run("build", a, b, "--lang", "en", "-o", tmp_path / "out", "-j", jobs)
    assert result.status == 0, result.stderr
    assert summary(result) == (2, 2, 0)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["event-a.en.pdf", "event-b.en.pdf"]


def test_every_file_failing_is_status_1_and_writes_nothing(tmp_path: Path) -> None:
    result = run("build", BAD, FIXTURES / "invalid" / "bad-url.yaml", "-o", tmp_path / "out", "-j", "2")
    assert result.status == 1
    assert summary(result) == (0, 0, 2)
    assert not (tmp_path / "out").exists()


def test_an_events_documents_are_all_or_nothing_but_other_events_are_built(tmp_path: Path) -> None:
    """--strict fails the reference event (its people have no Chinese names), not a complete one."""
    complete = tmp_path / "complete.yaml"
    complete.write_text(
        "format: 1\nid: complete\nsource_language: en\n"
        "title: {zh: 标题, en: Title}\n"
        "event: {name: {zh: 会议, en: Meeting}, start: 2025-08-27, country: CN, organizers: [org]}\n"
        "organizations: [{id: org, name: {zh: 机构, en: Org}}]\n"
        "summary: {zh: 摘要, en: Summary}\n"
        "sections: [{id: s, heading: {zh: 一, en: One}, points: [{speaker: org, text: {zh: 文字, en: Text}}]}]\n",
        "utf-8",
    )
    out = tmp_path / "out"
    earlier = out / f"{REFERENCE_ID}.en.pdf"
    out.mkdir()
    earlier.write_bytes(b"earlier build")
    result = run("build", REFERENCE, complete, "--lang", "zh,en", "--strict", "-o", out, "-j", "2")
    assert result.status == 1, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["complete.zh.pdf", "complete.en.pdf", f"{REFERENCE_ID}.en.pdf"]
    )
    assert earlier.read_bytes() == b"earlier build"  # the en document rendered, but the event failed
    assert "people[0].name" in result.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_two_events_with_one_id_are_refused_before_anything_is_written(tmp_path: Path, jobs: str) -> None:
    first = event_copy(tmp_path, "first.yaml", "same-id")
    second = event_copy(tmp_path, "second.yaml", "same-id")
    other = event_copy(tmp_path, "other.yaml", "other-id")
    out = tmp_path / "out"
    result = run("build", first, other, second, "--lang", "en", "-o", out, "-j", jobs)
    assert result.status == 2
    assert not out.exists()
    errors = [line for line in result.stderr.splitlines() if line.startswith("reportgen: error: ")]
    assert len(errors) == 1
    assert str(second) in errors[0] and str(first) in errors[0] and "'same-id'" in errors[0]


def test_bad_jobs_is_a_usage_error(tmp_path: Path) -> None:
    assert run("build", REFERENCE, "-j", "0", "-o", tmp_path / "out").status == 2
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ what is shown while building


def test_no_progress_bar_when_not_a_terminal(events: Path, tmp_path: Path) -> None:
    result = run("build", events, "--lang", "en", "-o", tmp_path / "out", "-j", "2")
    assert "\r" not in result.stderr and "\x1b" not in result.stderr
    assert "\r" not in result.stdout and "\x1b" not in result.stdout
    assert all(line.startswith("reportgen: ") for line in result.stderr.splitlines())
    assert all(re.match(r"(wrote|failed|built) ", line) for line in result.stdout.splitlines())


def test_progress_bar_on_a_terminal(events: Path, tmp_path: Path) -> None:
    result = run("build", events, "--lang", "en", "-o", tmp_path / "out", "-j", "2", terminal=True)
    assert result.status == 1
    assert "\r" in result.stderr
    assert re.search(r"building \[#+\] 2/2", result.stderr)
    assert result.stderr.endswith("\r\x1b[K")  # the bar is cleared at the end
    # errors are still printed, each on its own line
    lines = re.split(r"[\r\n]", result.stderr.replace("\x1b[K", ""))
    errors = [line for line in lines if "reportgen: error: " in line]
    assert errors and all(line.startswith("reportgen: error: ") for line in errors)
    # with a bar there are no per-file lines, only the summary
    assert len(result.stdout.splitlines()) == 1
    assert summary(result) == (2, 2, 1)


@pytest.mark.parametrize("terminal", [False, True])
def test_quiet_prints_only_warnings_and_errors(events: Path, tmp_path: Path, terminal: bool) -> None:
    result = run("build", events, "--lang", "zh", "-o", tmp_path / "out", "-q", "-j", "2", terminal=terminal)
    assert result.status == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines and all(re.match(r"reportgen: (warning|error): ", line) for line in lines)
    assert any("warning" in line for line in lines) and any("error" in line for line in lines)
