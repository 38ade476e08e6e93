"""The only code that knows where templates, catalogs, fonts and the DOCX reference live.

In an installed wheel they sit inside the package (``reportgen/templates`` …);
in a source checkout ``templates/`` and ``locales/`` stay at the top level so
translators and designers find them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportgen.errors import ResourceError

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parent


@cache
def resource_dir(name: str) -> Path:
    """The directory of a shipped resource kind: "templates", "locales", "fonts", "docx"."""
    for candidate in (PACKAGE_DIR / name, SOURCE_ROOT / name):
        if candidate.is_dir():
            return candidate
    raise ResourceError(f"reportgen is installed without its {name!r} directory")


def font_path(filename: str) -> Path:
    """Path of a bundled font file, e.g. ``NotoSerifSC-Regular.ttf``."""
    path = resource_dir("fonts") / filename
    if not path.is_file():
        raise ResourceError(f"bundled font {filename} is missing from {path.parent}")
    return path
