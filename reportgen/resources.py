"""The only code that knows where templates, catalogs, fonts and the DOCX reference live.

In an installed wheel they sit inside the package (``reportgen/templates`` …);
in a source checkout ``templates/`` and ``locales/`` stay at the top level so
translators and designers find them.
"""

from __future__ import annotations

import os
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


CACHE_ENV = "REPORTGEN_CACHE_DIR"
NO_CACHE_ENV = "REPORTGEN_NO_CACHE"


def cache_dir(kind: str) -> Path | None:
    """A directory for one kind of reportgen's on-disk caches ("fonts", "templates"), or None.

    ``$REPORTGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/reportgen``, else
    ``~/.cache/reportgen``. None when ``$REPORTGEN_NO_CACHE`` is set (to
    anything but "" or "0") or the directory cannot be created: a cache only
    saves time, it is never needed for correct output. It is read afresh for
    every call, so tests can switch it with the environment.
    """
    if os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return None
    root = os.environ.get(CACHE_ENV)
    if not root:
        xdg = os.environ.get("XDG_CACHE_HOME")
        if xdg and os.path.isabs(xdg):
            root = os.path.join(xdg, "reportgen")
        else:
            try:
                root = os.path.join(os.path.expanduser("~"), ".cache", "reportgen")
            except (KeyError, RuntimeError):
                return None
    path = Path(root) / kind
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.R_OK | os.W_OK | os.X_OK) else None
