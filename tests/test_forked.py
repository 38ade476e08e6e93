"""One event's PDFs and DOCX files made in two processes (``--jobs`` > 1): same files, same errors."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportgen.forked import ForkedCall, can_fork

from conftest import REFERENCE, run_cli

pytestmark = pytest.mark.skipif(not can_fork(), reason="one event is split over processes only where fork is used")


def test_a_forked_call_runs_in_another_process_and_returns_its_value() -> None:
    call = ForkedCall(lambda: (os.getpid(), "数据 & <b>"))
    pid, text = call.result()
    assert pid != os.getpid()
    assert text == "数据 & <b>"


def test_an_exception_in_the_child_is_raised_here_with_the_childs_traceback() -> None:
    def fail() -> None:
        raise ValueError("bad reference document")

    with pytest.raises(ValueError, match="bad reference document") as caught:
        ForkedCall(fail).result()
    assert any("in the worker process" in note and "in fail" in note for note in caught.value.__notes__)


def test_an_exception_that_cannot_travel_still_arrives_by_name() -> None:
    class Local(Exception):  # not importable by the parent: cannot be unpickled
        pass

    def fail() -> None:
        raise Local("details")

    with pytest.raises(RuntimeError, match="Local: details"):
        ForkedCall(fail).result()


def test_a_child_that_dies_without_answering_is_an_error_not_a_hang() -> None:
    with pytest.raises(RuntimeError, match="ended without a result"):
        ForkedCall(lambda: os._exit(3)).result()


def test_cancel_stops_the_child_at_once() -> None:
    call = ForkedCall(lambda: time.sleep(60))
    started = time.monotonic()
    call.cancel()
    assert time.monotonic() - started < 10  # not the child's 60 s: it was killed, and reaped


def test_two_processes_make_byte_identical_files(tmp_path: Path) -> None:
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / jobs
        run = run_cli("build", REFERENCE, "--lang", "zh,en,zh+en", "--format", "pdf,docx", "-o", out, "-j", jobs)
        assert run.status == 0, run.stderr
        outputs[jobs] = {path.name: path.read_bytes() for path in out.iterdir()}
    assert len(outputs["1"]) == 6
    assert outputs["1"] == outputs["2"]


def test_the_docx_half_really_runs_elsewhere(tmp_path: Path) -> None:
    """With two jobs this process never imports python-docx: the child made the DOCX files."""
    script = (
        "import sys\n"
        "from reportgen.cli import main\n"
        f"status = main(['build', {str(REFERENCE)!r}, '--lang', 'zh,en', '--format', 'pdf,docx', '-q',"
        f" '-o', {str(tmp_path)!r}, '-j', sys.argv[1]])\n"
        "print(status, 'docx' in sys.modules, 'reportlab' in sys.modules)\n"
    )
    answers = {
        jobs: subprocess.run([sys.executable, "-c", script, jobs], capture_output=True, text=True, check=True).stdout
        for jobs in ("1", "2")
    }
    assert answers == {"1": "0 True True\n", "2": "0 False True\n"}
    assert len(list(tmp_path.glob("*.docx"))) == 2


def test_a_failure_in_the_docx_child_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    bad = tmp_path / "styles.docx"
    bad.write_bytes(b"not a zip file")
    out = tmp_path / "out"
    run = run_cli("build", REFERENCE, "--format", "pdf,docx", "--reference-docx", bad, "-o", out, "-j", "2")
    assert run.status == 1
    assert "not a usable .docx reference document" in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists() or not list(out.iterdir())
