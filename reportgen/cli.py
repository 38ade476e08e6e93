"""The command line: argument parsing, messages and exit statuses. The only module that prints.

Heavy libraries (ReportLab, python-docx, Jinja2) are imported only by the
commands that need them, so ``--help`` and ``validate`` start fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from reportgen import __version__
from reportgen.errors import EXIT_BAD_INPUT, ReportgenError, UsageError

if TYPE_CHECKING:
    from reportgen.renderers import RenderOptions

DESCRIPTION = """\
Turn an event file (YAML or JSON, see the event model) into briefing documents
in Simplified Chinese and English, as PDF and DOCX."""

BUILD_EPILOG = """\
examples:
  reportgen build event.yaml                       PDF in every language of the title
  reportgen build event.yaml --lang zh,en --format pdf,docx -o out/
  reportgen build events/ -o out/                  every .yaml/.yml/.json in events/ (not subfolders)

Outputs are named <id>.<lang>.<format> after the event's id; two events with
the same id are refused before anything is written. Each event is built
whole or not at all: nothing of it is written unless all of its documents
could be made, and a file from an earlier build is replaced only once its new
version is complete. A bad event never stops the others; the exit status is
then 1."""


def _comma_list(value: str) -> list[str]:
    items = [item.strip() for item in value.split(",")]
    if not all(items):
        raise argparse.ArgumentTypeError(f"empty item in {value!r}")
    return items


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reportgen",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"reportgen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser(
        "build",
        help="make briefing documents from event files",
        description="Make briefing documents (PDF, DOCX) from event files.",
        epilog=BUILD_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument("events", nargs="+", type=Path, metavar="EVENT", help="event file(s), .yaml/.yml or .json")
    build.add_argument(
        "--lang",
        type=_comma_list,
        metavar="LANGS",
        help="comma-separated output languages: zh,en writes one document per language, zh+en one "
        "bilingual document (first language primary); both combine: zh,en,zh+en "
        "(default: every language the title is written in)",
    )
    build.add_argument(
        "--template",
        default="briefing",
        metavar="NAME|DIR",
        help="the layout: a shipped template (briefing, jianbao; see `reportgen templates`) or a "
        "template directory such as ./my-style (default: briefing)",
    )
    build.add_argument(
        "--layout",
        choices=("interleaved", "parallel"),
        default="interleaved",
        help="bilingual layout: interleaved (上下对照, each item followed by its translation) or "
        "parallel (左右对照, two aligned columns) (default: interleaved)",
    )
    build.add_argument(
        "--format",
        type=_comma_list,
        default=["pdf"],
        metavar="FORMATS",
        help="comma-separated output formats: pdf, docx (default: pdf)",
    )
    build.add_argument(
        "-o",
        "--output-dir",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="directory to write into, created if missing (default: the current directory)",
    )
    build.add_argument(
        "--strict",
        action="store_true",
        help="refuse to build when a text lacks a requested language, instead of filling it from the source language",
    )
    build.add_argument("-q", "--quiet", action="store_true", help="print only errors and warnings")
    build.add_argument(
        "--paper",
        choices=("a4", "letter"),
        help="PDF paper size (default: the template's, A4)",
    )
    build.add_argument(
        "--font-dir",
        action="append",
        type=Path,
        metavar="DIR",
        help="a directory of fonts (TrueType, OpenType, collections) for characters the bundled fonts "
        "lack; repeatable, searched in order before the system's fonts",
    )
    build.add_argument(
        "--reference-docx",
        type=Path,
        metavar="FILE",
        help="a .docx whose styles (by name) DOCX output uses instead of reportgen's, e.g. a reportgen "
        "DOCX restyled in Word; every style it lacks is reported",
    )
    build.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help=(
            "build up to N events at once, one process each; one event renders its PDF and DOCX"
            " in two (default: the number of cores)"
        ),
    )

    validate = commands.add_parser(
        "validate",
        help="check event files without writing anything",
        description="Check event files against the event model; print every problem with file, line and path.",
    )
    validate.add_argument("events", nargs="+", type=Path, metavar="EVENT", help="event file(s) to check")
    validate.add_argument("-q", "--quiet", action="store_true", help="print only problems")

    commands.add_parser(
        "templates",
        help="list the shipped templates",
        description="List the shipped templates, one line each: name, page, description. "
        "`reportgen build --template NAME|DIR` chooses one; a directory laid out like a shipped "
        "template is a template of your own (see the README).",
    )

    gaps = commands.add_parser(
        "gaps",
        help="list texts missing in a language (exit 1 if any)",
        description="Print, per language, how many texts each event has and every text that lacks "
        "that language, with its path. Exits 1 if any gap exists, 0 otherwise: usable in an editor's CI.",
    )
    gaps.add_argument("events", nargs="+", type=Path, metavar="EVENT", help="event file(s) to check")
    gaps.add_argument(
        "--lang",
        type=_comma_list,
        metavar="LANGS",
        help="languages to check, e.g. zh,en (default: every language the title is written in)",
    )
    return parser


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (tests call this in-process)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser()
    args = parser.parse_args(argv)
    previous_sigterm = _sigterm_raises()
    try:
        if args.command == "validate":
            return _validate(args, out, err)
        if args.command == "gaps":
            return _gaps(args, out, err)
        if args.command == "templates":
            return _templates(out)
        return _build(args, out, err)
    except ReportgenError as exc:
        for line in exc.lines():
            print(f"reportgen: error: {line}", file=err)
        return exc.exit_code
    except KeyboardInterrupt:
        print("reportgen: interrupted; files already complete were kept, none is half-written", file=err)
        return EXIT_INTERRUPTED
    except Terminated:
        print("reportgen: terminated; files already complete were kept, none is half-written", file=err)
        return EXIT_TERMINATED
    finally:
        _restore_sigterm(previous_sigterm)


GC_YOUNG_THRESHOLD = 10_000


def run() -> NoReturn:
    """The ``reportgen`` command: ``main()``, then exit without tearing the interpreter down.

    When ``main()`` returns, every output is written, renamed into place and
    closed. What normal interpreter exit does next, freeing each module and the
    parsed fonts' tables one object at a time, is a sixth of a cold build
    (~110 ms) and nothing the OS does not do at once. Exit handlers still run
    and the standard streams are flushed; with a thread still running (none of
    reportgen's) the normal exit waits for it.

    The cyclic garbage collector's youngest generation is collected every
    :data:`GC_YOUNG_THRESHOLD` allocations instead of every 700: nearly all a
    build allocates is either kept to the end (modules, parsed fonts) or freed
    by reference counting, so the frequent passes found little and cost ~2 % of
    a cold build's instructions and ~5 % of its CPU time (they walk memory), for
    2-4 MB more at the peak. Batch workers, forked from this process, inherit it.
    """
    import gc

    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    status = main()
    import threading

    if threading.active_count() > 1:
        sys.exit(status)
    import atexit
    import os

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            status = status or 120  # what Python's own exit reports when flushing stdout fails
    os._exit(status)


# Exit statuses of a build stopped by a signal, as a shell reports them (128 + signal number).
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


class Terminated(BaseException):
    """SIGTERM arrived: unwinds like Ctrl-C, so temporary files are removed on the way out."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def _sigterm_raises() -> object:
    """Make SIGTERM raise ``Terminated`` for the duration of a command (main thread only)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _on_sigterm)


def _restore_sigterm(previous: object) -> None:
    import signal

    if previous is not None:
        signal.signal(signal.SIGTERM, previous)  # type: ignore[arg-type]


def _templates(out: TextIO) -> int:
    from reportgen.templates import listing

    rows = listing()
    width = max(len(row.name) for row in rows)
    for row in rows:
        print(f"{row.name:<{width}}  {row.geometry}: {row.description}", file=out)
    return 0


def _gaps(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from reportgen.build import default_languages
    from reportgen.gaps import find_gaps
    from reportgen.loading import load_event

    status = 0
    for path in args.events:
        try:
            event = load_event(path)
        except ReportgenError as exc:
            for line in exc.lines():
                print(f"reportgen: error: {line}", file=err)
            status = EXIT_BAD_INPUT
            continue
        print(path, file=out)
        for lang in args.lang or default_languages(event) or [event.source_language]:
            report = find_gaps(event, lang)
            noun = "gap" if len(report.missing) == 1 else "gaps"
            print(f"  {lang}: {report.texts} texts, {len(report.missing)} {noun}", file=out)
            for missing in report.missing:
                print(f"    {missing}: no {lang}", file=out)
            if report.missing:
                status = EXIT_BAD_INPUT
    return status


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from reportgen.loading import load_event

    status = 0
    for path in args.events:
        try:
            load_event(path)
        except ReportgenError as exc:
            for line in exc.lines():
                print(f"reportgen: error: {line}", file=err)
            status = EXIT_BAD_INPUT
        else:
            if not args.quiet:
                print(f"{path}: valid", file=out)
    return status


def _build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import time

    from reportgen.batch import Batch, Request, default_jobs, expand_sources
    from reportgen.bilingual import parse_languages
    from reportgen.build import prepare_directory
    from reportgen.renderers import check_format

    started = time.perf_counter()
    # Usage problems first, before any file is read.
    for fmt in args.format:
        check_format(fmt)
    for lang in args.lang or ():
        parse_languages(lang)
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {args.jobs}")
    for font_dir in args.font_dir or ():
        if not font_dir.is_dir():
            raise UsageError(f"--font-dir {font_dir}: not a directory")
    from reportgen.templates import load as load_template

    load_template(args.template)  # an unknown template or a broken manifest: before any file is read
    sources = expand_sources(args.events)
    request = Request(
        langs=tuple(args.lang) if args.lang else None,
        formats=tuple(args.format),
        out_dir=args.output_dir,
        strict=args.strict,
        layout=args.layout,
        options=_render_options(args),
        template=args.template,
    )
    progress = _Progress(out, err, quiet=args.quiet, total=len(sources))
    documents = built = failed = 0
    status = 0

    def report(result: object) -> None:
        nonlocal documents, built, failed, status
        from reportgen.batch import EventResult

        assert isinstance(result, EventResult)
        for line in result.warnings:
            progress.message(f"reportgen: warning: {line}")
        for line in result.errors:
            progress.message(f"reportgen: error: {line}")
        if result.crash:
            progress.message(result.crash.rstrip())
        if result.ok:
            built += 1
            documents += len(result.written)
            for path in result.written:
                progress.note(f"wrote {path}")
        else:
            failed += 1
            status = max(status, result.exit_code)
            progress.note(f"failed {result.source}")

    try:
        with Batch(sources, request, args.jobs or default_jobs()) as batch:
            for item in batch.check():
                progress.step("checking")
                if item.failure is not None:
                    report(item.failure)
            batch.check_ids()  # two events with one id: nothing is written
            if batch.buildable:
                if args.output_dir.exists():
                    prepare_directory(args.output_dir)  # a file in the way fails the batch once, not per event
                progress.restart(len(batch.buildable))
                for result in batch.build():
                    progress.step("building", result.source.name)
                    report(result)
    finally:
        progress.finish()
    if not args.quiet:
        summary = f"built {_count(documents, 'document')} from {_count(built, 'event')}"
        if failed:
            summary += f", {_count(failed, 'event')} failed"
        print(f"{summary} ({time.perf_counter() - started:.1f} s)", file=out)
    return status


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _render_options(args: argparse.Namespace) -> RenderOptions | None:
    """The renderers' options from the build options: plain data, it travels to worker processes."""
    from reportgen.renderers import RenderOptions

    fields: dict[str, object] = {}
    paper = getattr(args, "paper", None)
    if paper:
        fields["paper"] = paper
    font_dirs = getattr(args, "font_dir", None)
    if font_dirs:
        fields["font_dirs"] = tuple(font_dirs) if isinstance(font_dirs, (list, tuple)) else (font_dirs,)
    reference = getattr(args, "reference_docx", None)
    if reference:
        fields["reference_docx"] = reference
    return RenderOptions(**fields) if fields else None  # type: ignore[arg-type]


class _Progress:
    """What a build shows while it runs.

    On a terminal (stderr is a TTY): one bar on stderr, redrawn in place, with
    warnings and errors printed above it. Otherwise: a plain ``wrote …`` or
    ``failed …`` line on stdout per file. With ``--quiet``: neither (warnings
    and errors are always printed).
    """

    def __init__(self, out: TextIO, err: TextIO, *, quiet: bool, total: int) -> None:
        self.out, self.err = out, err
        self.quiet = quiet
        self.bar = not quiet and _isatty(err)
        self.total = total
        self.done = 0
        self._line = ""

    def restart(self, total: int) -> None:
        self.total, self.done = total, 0

    def step(self, label: str, name: str = "") -> None:
        self.done += 1
        if not self.bar:
            return
        import shutil

        columns = max(shutil.get_terminal_size((80, 24)).columns - 1, 20)
        width = 24
        filled = width * self.done // max(self.total, 1)
        text = f"{label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {name}"
        self._draw(text[:columns])

    def message(self, line: str) -> None:
        """A warning or error: always shown, above the bar."""
        shown = self._line
        self._clear()
        print(line, file=self.err)
        if shown:
            self._draw(shown)

    def note(self, line: str) -> None:
        """A ``wrote``/``failed`` line: only when there is no bar and not quiet."""
        if not self.quiet and not self.bar:
            print(line, file=self.out)

    def finish(self) -> None:
        self._clear()

    def _draw(self, text: str) -> None:
        self.err.write(f"\r{text}\x1b[K")
        self.err.flush()
        self._line = text

    def _clear(self) -> None:
        if self._line:
            self.err.write("\r\x1b[K")
            self.err.flush()
            self._line = ""


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
