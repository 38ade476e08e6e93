"""Many event files in one build: expand directories, check ids, build each event on all cores.

The unit of work is one event: its documents are composed, rendered and
written together (``build.write_all``: temporary names, then renames), so an
event's outputs are all-or-nothing while one bad event never stops the others.

Two phases:

1. *check* — every file is loaded and validated (in the worker processes when
   there are several). Two events with the same ``id`` would write the same
   output names: that is an error for the whole batch, raised before anything
   is written.
2. *build* — each good event is composed, rendered and written.

Results and problems travel back to the caller as data (``EventResult``); this
module never prints. With ``jobs=1`` everything runs in the calling process;
with one event, its DOCX files are rendered in a forked child while the calling
process renders its PDFs (``build.render_all``); otherwise a process pool of
``jobs`` workers builds whole events, each worker parsing the fonts and
compiling the templates once. Events travel from phase 1 to
phase 2 as pickled bytes (about 10 KB each), so no file is parsed twice.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import signal
import sys
import time
import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from reportgen.errors import EXIT_BAD_INPUT, ReportgenError, UsageError

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

    from reportgen.model import Event
    from reportgen.renderers import RenderOptions

EVENT_SUFFIXES = (".yaml", ".yml", ".json")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Request:
    """What to make of every event of a batch (plain data: it travels to worker processes).

    ``options.on_missing_glyph`` is replaced in each worker by a collector that
    turns missing glyphs into warnings of the event's result.
    """

    langs: tuple[str, ...] | None  # None: every language the event's title is written in
    formats: tuple[str, ...]
    out_dir: Path
    strict: bool = False
    layout: str = "interleaved"
    options: RenderOptions | None = None  # None: the renderers' defaults
    template: str = "briefing"  # a shipped template's name or a template directory


@dataclass(frozen=True, slots=True)
class EventResult:
    """The outcome of one event file: what was written, or why nothing was."""

    source: Path
    written: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()  # complete message lines without the "reportgen: warning: " prefix
    errors: tuple[str, ...] = ()  # likewise; empty when the event succeeded
    exit_code: int = 0
    crash: str | None = None  # the traceback of a bug (not a ReportgenError), to be shown in full
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True, slots=True)
class Checked:
    """Phase 1's answer for one file: its event (pickled) and id, or why it cannot be built."""

    source: Path
    event_id: str | None
    event: bytes | None
    failure: EventResult | None


# ------------------------------------------------------------------ inputs


def expand_sources(arguments: Iterable[Path]) -> list[Path]:
    """Event files named by the arguments: files as given, directories expanded.

    A directory contributes the ``*.yaml``, ``*.yml`` and ``*.json`` files
    directly inside it (not in its subdirectories; hidden files skipped),
    sorted by name. A file named twice is built once. A directory without
    event files is a usage error. A missing file is left in, to fail as that
    event's error.
    """
    sources: list[Path] = []
    seen: set[Path] = set()
    for argument in arguments:
        if argument.is_dir():
            found = sorted(
                p
                for p in argument.iterdir()
                if p.suffix.lower() in EVENT_SUFFIXES and not p.name.startswith(".") and p.is_file()
            )
            if not found:
                raise UsageError(f"{argument}: directory holds no {', '.join(EVENT_SUFFIXES)} files")
        else:
            found = [argument]
        for path in found:
            key = _identity(path)
            if key not in seen:
                seen.add(key)
                sources.append(path)
    return sources


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:  # pragma: no cover - e.g. a symlink loop
        return path.absolute()


def check_ids(checked: Sequence[Checked]) -> None:
    """Refuse a batch in which two events share an id (their outputs would collide)."""
    first: dict[str, Path] = {}
    clashes: list[str] = []
    for item in checked:
        if item.event_id is None:
            continue
        if item.event_id in first:
            clashes.append(
                f"{item.source}: id {item.event_id!r} is also the id of {first[item.event_id]}; outputs would collide"
            )
        else:
            first[item.event_id] = item.source
    if clashes:
        raise IdCollision(clashes)


class IdCollision(UsageError):
    """Two or more events of a batch share an id; one line per clash."""

    def __init__(self, clashes: list[str]) -> None:
        super().__init__("\n".join(clashes))
        self.clashes = clashes

    def lines(self) -> list[str]:
        return list(self.clashes)


# ------------------------------------------------------------------ the work of one event


def check_event(source: Path) -> Checked:
    """Phase 1 for one file: load and validate it."""
    from reportgen.loading import load_event

    started = time.perf_counter()
    try:
        event = load_event(source)
    except ReportgenError as exc:
        failure = EventResult(
            source, errors=tuple(exc.lines()), exit_code=exc.exit_code, seconds=time.perf_counter() - started
        )
        return Checked(source, None, None, failure)
    except Exception as exc:  # a bug: keep its traceback for the report, go on with the others
        return Checked(source, None, None, _crash(source, exc, started))
    return Checked(source, event.id, pickle.dumps(event, protocol=pickle.HIGHEST_PROTOCOL), None)


def build_event(source: Path, event: Event | bytes, request: Request, jobs: int = 1) -> EventResult:
    """Phase 2 for one event: compose, render and write all of its documents, or none.

    ``jobs`` > 1 lets its PDFs and DOCX files render in two processes at once.
    """
    from reportgen.build import default_languages, plan, prepare_directory, render_all, write_all
    from reportgen.renderers import DEFAULT_OPTIONS

    started = time.perf_counter()
    warnings: list[str] = []
    if isinstance(event, bytes):
        event = pickle.loads(event)
    try:
        langs = list(request.langs) if request.langs else default_languages(event)
        if not langs:
            raise UsageError(f"{source}: the title is in no language reportgen can write; pass --lang")
        outputs = plan(event, langs, request.formats, request.out_dir)

        def on_gap(gap: object) -> None:
            warnings.append(f"{source}: {gap}")

        glyphs_missing: dict[tuple[str, str | None], None] = {}  # once per character and path

        def on_missing_glyph(char: str, where: str | None) -> None:
            if (char, where) in glyphs_missing:
                return
            glyphs_missing[(char, where)] = None
            if not request.strict:
                warnings.append(f"{source}: {_glyph_problem(char, where)}")

        options = dataclasses.replace(request.options or DEFAULT_OPTIONS, on_missing_glyph=on_missing_glyph)
        rendered = render_all(
            event,
            outputs,
            strict=request.strict,
            template=request.template,
            layout=request.layout,
            source=source,
            options=options,
            on_gap=on_gap,
            jobs=jobs,
        )
        if request.strict and glyphs_missing:  # --strict: a character no font has is an error
            from reportgen.errors import InputError, Problem

            raise InputError(
                [Problem(_glyph_problem(c, None), file=source, path=w) for c, w in glyphs_missing]
            )
        prepare_directory(request.out_dir)
        write_all(rendered)
    except ReportgenError as exc:
        return EventResult(
            source,
            warnings=tuple(warnings),
            errors=tuple(exc.lines()),
            exit_code=exc.exit_code,
            seconds=time.perf_counter() - started,
        )
    except Exception as exc:  # a bug: keep its traceback for the report, go on with the others
        return dataclasses.replace(_crash(source, exc, started), warnings=tuple(warnings))
    return EventResult(
        source,
        written=tuple(item.output.path for item in rendered),
        warnings=tuple(warnings),
        seconds=time.perf_counter() - started,
    )


def _glyph_problem(char: str, where: str | None) -> str:
    """``sections[2].points[1].text: U+20BB7 𠮷 has no glyph`` (the path only when known).

    A C1 control (U+0080–U+009F) is almost always Windows-1252 text decoded as
    Latin-1 somewhere upstream (U+0093 for “): XML can hold it, so it is kept in
    the DOCX, but nothing can draw it; the warning says what was probably meant.
    """
    prefix = f"{where + ': ' if where else ''}U+{ord(char):04X}"
    if "\x80" <= char <= "\x9f":
        try:
            meant = f" (probably {char.encode('latin-1').decode('cp1252')} mis-decoded from Windows-1252)"
        except UnicodeDecodeError:
            meant = ""
        return f"{prefix} is a control character{meant}; nothing can draw it, left out of the PDF"
    shown = char if char.isprintable() else repr(char)
    return f"{prefix} {shown} has no glyph"


def _crash(source: Path, exc: Exception, started: float) -> EventResult:
    return EventResult(
        source,
        errors=(f"{source}: internal error (a bug in reportgen, please report it): {type(exc).__name__}: {exc}",),
        exit_code=EXIT_BAD_INPUT,
        crash="".join(traceback.format_exception(exc)),
        seconds=time.perf_counter() - started,
    )


# ------------------------------------------------------------------ the batch


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Batch:
    """A batch of event files, built in this process or in a pool of worker processes.

    Use as a context manager::

        with Batch(sources, request, jobs) as batch:
            failures = list(batch.check())   # phase 1; then batch.check_ids() may raise
            for result in batch.build():     # phase 2, in order of completion
                ...
    """

    def __init__(self, sources: Sequence[Path], request: Request, jobs: int) -> None:
        self.sources = list(sources)
        self.request = request
        self.jobs = max(1, min(jobs, len(self.sources)))
        self.cores = max(1, jobs)  # a single event may use them for its formats
        self._checked: list[Checked] = []
        self._pool: Executor | None = None

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close(cancel=exc_info[0] is not None)

    def close(self, *, cancel: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=not cancel, cancel_futures=cancel)
            self._pool = None

    @property
    def parallel(self) -> bool:
        return self.jobs > 1

    def _executor(self) -> Executor:
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor  # with multiprocessing's machinery: only when used

            # fork: workers start at once and inherit what this process has imported
            # and loaded (see build()); elsewhere (macOS, Windows) the default method.
            context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
            self._pool = ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_worker_init)
        return self._pool

    def check(self) -> Iterator[Checked]:
        """Phase 1: load every file; yields each file's answer as it comes (failures included).

        In parallel, this process warms up the renderers (imports, fonts) while
        the workers read files; the build phase then forks workers that start warm.
        """
        if self.parallel:
            futures = [self._executor().submit(check_event, source) for source in self.sources]
            warm_up(self.request)
            for future in _as_completed(futures):
                item = future.result()
                self._checked.append(item)
                yield item
            self.close()  # the build phase forks fresh, warm workers
        else:
            for source in self.sources:
                item = check_event(source)
                self._checked.append(item)
                yield item

    def check_ids(self) -> None:
        """Raise ``UsageError`` if two loaded events share an id (nothing has been written yet)."""
        check_ids(self._in_order(self._checked))

    def _in_order(self, items: Iterable[Checked]) -> list[Checked]:
        order = {source: index for index, source in enumerate(self.sources)}
        return sorted(items, key=lambda item: order[item.source])

    @property
    def buildable(self) -> list[Checked]:
        """The events that loaded, in the order they were named."""
        return self._in_order(c for c in self._checked if c.event is not None)

    def build(self) -> Iterator[EventResult]:
        """Phase 2: build every event that loaded; yields results as they complete."""
        todo = self.buildable
        if self.parallel and len(todo) > 1:
            pool = self._executor()
            futures = [pool.submit(build_event, item.source, item.event, self.request) for item in todo]
            for future in _as_completed(futures):
                yield future.result()
        else:
            jobs = self.cores if len(todo) == 1 else 1
            for item in todo:
                assert item.event is not None
                yield build_event(item.source, item.event, self.request, jobs)


def warm_up(request: Request) -> None:
    """Import the renderers and load what they load once per process (fonts), with a tiny document.

    Only an optimization for forked workers: any failure here is ignored and
    shows up, properly reported, when the real documents are built.
    """
    try:
        from reportgen import doctree as dt
        from reportgen.renderers import DEFAULT_OPTIONS, renderer

        import reportgen.build  # noqa: F401  (compose, Jinja2, Babel)

        document = dt.Document(
            metadata=dt.Metadata(lang="zh-CN", title="reportgen"),
            blocks=(dt.Paragraph("body", (dt.Span("预热 warm-up"),)),),
        )
    except Exception:  # noqa: BLE001 - see above
        return
    for fmt in request.formats:
        try:
            renderer(fmt)(document, request.options or DEFAULT_OPTIONS)
        except Exception:  # noqa: BLE001, S112 - see above
            continue


def _as_completed(futures: list[Future[T]]) -> Iterator[Future[T]]:
    from concurrent.futures import as_completed  # only batches running in a pool need it

    return as_completed(futures)


def _worker_init() -> None:
    """Workers leave Ctrl-C to the parent, which cancels what has not started."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
