"""Output formats behind one registry; each renderer is imported only when used."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from reportgen.errors import UsageError

if TYPE_CHECKING:
    from reportgen.doctree import Document



@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Choices a user makes about output that are not part of the document tree.

    ``on_missing_glyph(char, path)`` is called once per character no font can
    draw, with the event-file path of the text that holds it (or None).
    """

    paper: Literal["a4", "letter"] = "a4"
    font_dirs: tuple[Path, ...] = ()
    reference_docx: Path | None = None
    on_missing_glyph: Callable[[str, str | None], None] | None = None


DEFAULT_OPTIONS = RenderOptions()

Renderer = Callable[["Document", RenderOptions], bytes]

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
    """The ``render(document, options) -> bytes`` function of a format."""
    module = import_module(FORMATS[check_format(name)])
    render: Renderer = module.render
    return render
