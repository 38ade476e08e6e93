"""A call run in a forked child process while this one goes on: a second core for one event.

A cold build of PDF and DOCX spends most of its time importing ReportLab and
python-docx and rendering with each; the two halves share nothing once the
documents are composed. A child forked at that point inherits the composed
documents, imports python-docx and renders while this process does the PDFs:
nothing is pickled but the rendered bytes coming back.

Only where ``os.fork`` is safe to use like this (Linux); callers ask
``can_fork()`` and otherwise do the work themselves. The child never writes a
file: results come back through a pipe and the caller writes them as before.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["ForkedCall", "can_fork"]

T = TypeVar("T")


def can_fork() -> bool:
    return sys.platform == "linux" and hasattr(os, "fork")


class ForkedCall(Generic[T]):
    """``fn()`` running in a child process from the moment this object is made.

    ``result()`` waits for it and returns its value or raises its exception
    (with the child's traceback as a note); ``cancel()`` stops it. Use one of
    the two, once.
    """

    def __init__(self, fn: Callable[[], T]) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read)
            _run_child(fn, write)
        os.close(write)
        self._pid = pid
        self._read = read

    def result(self) -> T:
        with os.fdopen(self._read, "rb") as pipe:
            payload = pipe.read()
        self._reap()
        try:
            kind, value, child_traceback = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - the child died before answering, or sent what cannot load
            raise RuntimeError(f"a worker process ended without a result ({len(payload)} bytes)") from None
        if kind == "error":
            value.add_note(f"in the worker process:\n{child_traceback}")
            raise value
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        try:
            os.kill(self._pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.close(self._read)
        self._reap()

    def _reap(self) -> None:
        try:
            os.waitpid(self._pid, 0)
        except ChildProcessError:
            pass


def _run_child(fn: Callable[[], T], write: int) -> None:
    """Run ``fn``, send back ``(kind, value, traceback)``, exit without running this process's exit code."""
    status = 0
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to report; it stops this child
    try:
        try:
            payload = pickle.dumps(("ok", fn(), ""), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001 - every failure is raised again in the parent
            text = "".join(traceback.format_exception(exc))
            try:
                payload = pickle.dumps(("error", exc, text), protocol=pickle.HIGHEST_PROTOCOL)
                pickle.loads(payload)  # an exception that pickles but cannot be rebuilt
            except Exception:  # noqa: BLE001
                payload = pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}"), text))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
    except BaseException:  # noqa: BLE001 - the parent sees a missing result
        status = 1
    finally:
        os._exit(status)
