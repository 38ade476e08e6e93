"""The command line: argument parsing, messages and exit statuses. The only module that prints.

Heavy libraries (ReportLab, python-docx, Jinja2) are imported only by the
commands that need them, so ``--help`` and ``validate`` start fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from reportgen import __version__
from reportgen.errors import EXIT_BAD_INPUT, ReportgenError, UsageError

DESCRIPTION = """\
Turn an event file (YAML or JSON, see the event model) into briefing documents
in Simplified Chinese and English, as PDF and DOCX."""

BUILD_EPILOG = """\
examples:
  reportgen build event.yaml                       PDF in every language of the title
  reportgen build event.yaml --lang zh,en --format pdf,docx -o out/

Outputs are named <id>.<lang>.<format> after the event's id. Nothing is written
unless every requested document could be made; a file from an earlier build is
replaced only once its new version is complete."""


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
        help="comma-separated language tags, e.g. zh,en (default: every language the title is written in)",
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

    validate = commands.add_parser(
        "validate",
        help="check event files without writing anything",
        description="Check event files against the event model; print every problem with file, line and path.",
    )
    validate.add_argument("events", nargs="+", type=Path, metavar="EVENT", help="event file(s) to check")
    validate.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    return parser


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (tests call this in-process)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args, out, err)
        return _build(args, out, err)
    except ReportgenError as exc:
        for line in exc.lines():
            print(f"reportgen: error: {line}", file=err)
        return exc.exit_code


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
    from reportgen.build import default_languages, plan, prepare_directory, render_all, write_all
    from reportgen.l10n import check_language
    from reportgen.loading import load_event
    from reportgen.renderers import check_format

    # Usage problems first, before any file is read.
    for fmt in args.format:
        check_format(fmt)
    for lang in args.lang or ():
        check_language(lang)

    events = [(path, load_event(path)) for path in args.events]
    ids: dict[str, Path] = {}
    for path, event in events:
        if event.id in ids:
            raise UsageError(f"{path}: id {event.id!r} is also the id of {ids[event.id]}; outputs would collide")
        ids[event.id] = path

    jobs = []
    for path, event in events:
        langs = args.lang or default_languages(event)
        if not langs:
            raise UsageError(f"{path}: the title is in no language reportgen can write; pass --lang")
        jobs.append((path, event, plan(event, langs, args.format, args.output_dir)))

    rendered = []
    for path, event, outputs in jobs:

        def warn(gap: object, path: Path = path) -> None:
            print(f"reportgen: warning: {path}: {gap}", file=err)

        rendered.extend(render_all(event, outputs, strict=args.strict, on_gap=warn, source=path))
    prepare_directory(args.output_dir)
    write_all(rendered)
    if not args.quiet:
        for item in rendered:
            print(f"wrote {item.output.path}", file=out)
    return 0
