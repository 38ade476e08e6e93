"""Orchestration of one build: plan the outputs, compose and render them all, then write.

Nothing is written until every document of an event has rendered, and each
file is written to a temporary name beside its target and renamed into place,
so a failure never leaves a half-written or half-updated set of outputs.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from reportgen.bilingual import parse_languages
from reportgen.compose import DEFAULT_TEMPLATE, Gap, compose_languages
from reportgen.doctree import Document
from reportgen.errors import InputError, OutputError, Problem
from reportgen.forked import ForkedCall, can_fork
from reportgen.l10n import catalog_tag
from reportgen.model import Event
from reportgen.renderers import DEFAULT_OPTIONS, RenderOptions, check_format, renderer


@dataclass(frozen=True, slots=True)
class Output:
    """One file to produce: which language and format, and where."""

    lang: str
    format: str
    path: Path


@dataclass(frozen=True, slots=True)
class Rendered:
    output: Output
    content: bytes


def default_languages(event: Event) -> list[str]:
    """Every language the title is written in that reportgen has a catalog for."""
    tags = [tag for tag, _ in event.title.translations] or [event.source_language]
    return [tag for tag in tags if catalog_tag(tag) is not None]


def plan(event: Event, langs: Sequence[str], formats: Sequence[str], out_dir: Path) -> list[Output]:
    """The outputs of one event: ``<id>.<lang>.<ext>`` for each language (``zh+en``: both) and format."""
    for lang in langs:
        parse_languages(lang)
    return [
        Output(lang, check_format(fmt), out_dir / f"{event.id}.{lang}.{fmt}")
        for lang in langs
        for fmt in formats
    ]


def render_all(
    event: Event,
    outputs: Sequence[Output],
    *,
    strict: bool = False,
    template: str = DEFAULT_TEMPLATE,
    layout: str = "interleaved",
    source: Path | None = None,
    options: RenderOptions = DEFAULT_OPTIONS,
    on_gap: Callable[[Gap], None] | None = None,
    jobs: int = 1,
) -> list[Rendered]:
    """Compose each language once and render it in every requested format, in memory.

    ``source`` names the event file in messages. With ``jobs`` > 1 and both
    formats asked for, the DOCX files are rendered in a forked child while this
    process renders the PDFs (``reportgen.forked``).
    """
    compositions = {}
    for output in outputs:
        if output.lang not in compositions:
            composition = compose_languages(event, parse_languages(output.lang), template, layout)
            if composition.gaps and strict:
                raise InputError(
                    [
                        Problem(f"no {g.wanted} text (--strict)", file=source, path=g.path)
                        for g in composition.gaps
                    ]
                )
            for gap in composition.gaps:
                if on_gap is not None:
                    on_gap(gap)
            compositions[output.lang] = composition
    work = [(output, compositions[output.lang].document) for output in outputs]
    return _render(work, options, jobs)


def _render(work: Sequence[tuple[Output, Document]], options: RenderOptions, jobs: int) -> list[Rendered]:
    """Render every (output, document) pair; in two processes when ``jobs`` allows and it pays."""
    here = [item for item in work if item[0].format == "pdf"]  # the PDF renderer reports missing glyphs
    there = [item for item in work if item[0].format != "pdf"]
    if jobs < 2 or not here or not there or not can_fork():
        return [Rendered(output, renderer(output.format)(document, options)) for output, document in work]
    child = ForkedCall(lambda: [renderer(output.format)(document, options) for output, document in there])
    try:
        rendered = [Rendered(output, renderer(output.format)(document, options)) for output, document in here]
    except BaseException:
        child.cancel()
        raise
    rendered += [Rendered(output, content) for (output, _), content in zip(there, child.result(), strict=True)]
    order = {id(output): index for index, (output, _) in enumerate(work)}
    return sorted(rendered, key=lambda item: order[id(item.output)])


def prepare_directory(out_dir: Path) -> None:
    """Create the output directory, or explain why it cannot be used."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: output path exists and is not a directory")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create output directory: {exc.strerror}") from exc
    if not os.access(out_dir, os.W_OK):
        raise OutputError(f"{out_dir}: output directory is not writable")


# Signals that would stop a build half-way: held back while outputs are written.
_DEFERRED_SIGNALS = {signal.SIGINT, signal.SIGTERM} | ({signal.SIGHUP} if hasattr(signal, "SIGHUP") else set())


def write_all(rendered: Sequence[Rendered]) -> None:
    """Write every file to a temporary name first, then rename them all into place.

    Ctrl-C (SIGINT), SIGTERM and SIGHUP are held back while this runs (the
    contents are already in memory: it takes moments) and take effect once every
    file is renamed into place or its temporary file removed, so they never
    leave a temporary file behind. Only SIGKILL can: ``.<name>.XXXX.tmp`` files,
    never a truncated file under a final name.
    """
    with _signals_held():
        _write_all(rendered)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back for a moment, then act on the first that came.

    In the main thread the Python handlers are swapped for one that only notes
    the signal (Python runs handlers in the main thread whichever thread the
    signal reaches, so blocking it in this thread alone would not do); elsewhere
    the signals are blocked for this thread.
    """
    if threading.current_thread() is not threading.main_thread():
        if not hasattr(signal, "pthread_sigmask"):
            yield
            return
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED_SIGNALS)
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        return
    pending: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, _frame: pending.append(signum)) for sig in _DEFERRED_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
        if pending:
            handler = previous[pending[0]]
            if callable(handler):
                handler(pending[0], None)  # e.g. KeyboardInterrupt for Ctrl-C
            elif handler in (signal.SIG_DFL, None):
                signal.raise_signal(pending[0])  # the default action, now that the files are whole


def _write_all(rendered: Sequence[Rendered]) -> None:
    staged: list[tuple[str, Path]] = []
    umask = os.umask(0)
    os.umask(umask)
    try:
        for item in rendered:
            target = item.output.path
            if target.is_dir():
                raise OutputError(f"{target}: output path is an existing directory")
            fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((temp, target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(item.content)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, 0o666 & ~umask)  # as open() would have made it
        for temp, target in staged:
            os.replace(temp, target)
    except OSError as exc:
        raise OutputError(f"{exc.filename or 'output'}: cannot write: {exc.strerror}") from exc
    finally:
        for temp, _ in staged:
            if os.path.exists(temp):
                os.unlink(temp)
