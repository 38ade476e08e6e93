"""Import a library without doing, at import time, work for code paths reportgen never takes.

Two kinds of such work. Regular expressions: some libraries compile large
Unicode character classes when imported: ReportLab's URL pattern for
hyphenating URLs (``reportlab.platypus.paragraph.uri_pat``, case-insensitive
over U+00A1–U+FFFF: ~80 ms, every cold PDF build; URL hyphenation is off unless
a style turns on ``uriWasteReduce``, and reportgen's never do), ReportLab's
``cjkwrap`` pattern (~10 ms; nothing calls ``cjkwrap``) and PyYAML's
pure-Python reader check (~13 ms; reportgen parses with libyaml, which checks
characters itself). And modules: ReportLab imports Pillow's ``PIL.Image``
(~12 ms with what it imports) for bitmap images, which reportgen never draws.

While ``deferred(prefixes)`` is active, ``re.compile`` returns a stand-in for a
pattern that starts with one of ``prefixes``; the stand-in compiles the real
pattern the first time anything is asked of it, so code that does use it still
gets exactly what it compiled. Every other pattern compiles as usual, and a
library that changes such a pattern only loses the saving. Imports run on the
main thread before any work starts, so swapping ``re.compile`` for the length
of one import affects nothing else. A module named in ``lazy`` is imported with
the standard library's ``importlib.util.LazyLoader``: it is executed the first
time one of its attributes is used, if ever.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["DeferredPattern", "deferred", "import_deferring", "import_lazily"]


class DeferredPattern:
    """A ``re.Pattern`` stand-in that compiles on first attribute access (``.match``, ``.sub`` …)."""

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> bool:
        """Whether the real pattern has been compiled (for tests)."""
        return self._compiled is not None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = _real_compile(self._source, self._flags)
        return getattr(self._compiled, name)

    def __repr__(self) -> str:
        return f"DeferredPattern({self._source[:40]!r}…, {self._flags})"


_real_compile = re.compile


@contextmanager
def deferred(prefixes: tuple[str, ...]) -> Iterator[None]:
    """Within the block, ``re.compile`` of a str pattern starting with one of ``prefixes`` is deferred."""

    def compile_(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and pattern.startswith(prefixes):
            return DeferredPattern(pattern, flags)
        return _real_compile(pattern, flags)

    re.compile = compile_  # type: ignore[assignment]
    try:
        yield
    finally:
        re.compile = _real_compile


def import_deferring(module: str, prefixes: tuple[str, ...], lazy: tuple[str, ...] = ()) -> None:
    """Import ``module`` (and what it imports) with those patterns deferred and ``lazy`` modules
    loaded on first use; no-op once imported."""
    if module in sys.modules:
        return
    for name in lazy:
        import_lazily(name)
    with deferred(prefixes):
        __import__(module)


def import_lazily(name: str) -> None:
    """Put module ``name`` in ``sys.modules`` unexecuted; it runs when an attribute is first used.

    Nothing happens if it is already imported or cannot be found (then whoever
    imports it gets the usual error).
    """
    if name in sys.modules:
        return
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)


# ReportLab: uri_pat (platypus/paragraph.py) and cjkwrap's rx (lib/textsplit.py).
REPORTLAB_UNUSED = ("(^(?:[a-z0-9\\.\\-\\+]*)://)", "([\u2e80-\uffff])")
# ReportLab: reportlab.lib.utils imports PIL.Image for bitmap images.
REPORTLAB_LAZY = ("PIL.Image",)
# PyYAML: Reader.NON_PRINTABLE (yaml/reader.py), used by the pure-Python reader only.
PYYAML_UNUSED = ("[^\t\n\r -~\x85\xa0-\ud7ff",)
