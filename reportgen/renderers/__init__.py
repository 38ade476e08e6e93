"""Output formats behind one registry; each renderer is imported only when used."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

from reportgen.errors import UsageError

if TYPE_CHECKING:
    from reportgen.doctree import Document

Renderer = Callable[["Document"], bytes]

FORMATS: dict[str, str] = {
    "pdf": "reportgen.renderers.pdf",
    "docx": "reportgen.renderers.docx",
}


def check_format(name: str) -> str:
    """Return ``name`` if it is a known output format, else a usage error with the choices."""
    if name not in FORMATS:
        raise UsageError(f"unknown format {name!r}; available: {', '.join(FORMATS)}")
    return name


def renderer(name: str) -> Renderer:
    """The ``render(document) -> bytes`` function of a format."""
    module = import_module(FORMATS[check_format(name)])
    render: Renderer = module.render
    return render
