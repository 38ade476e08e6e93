"""The only code that knows where templates, catalogs, fonts and the DOCX reference live.

In an installed wheel they sit inside the package (``reportgen/templates`` …);
in a source checkout ``templates/`` and ``locales/`` stay at the top level so
translators and designers find them.
"""

from __future__ import annotations

import os
import zlib
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
    """A directory for one kind of reportgen's on-disk caches ("fonts", "templates", "catalogs"), or None.

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


def read_cache_entry(path: Path, fmt: bytes) -> bytes | None:
    """The payload of a cache entry written by ``write_cache_entry`` with the same ``fmt``, else None.

    None as well when the entry is missing, from another format, truncated or
    damaged (its length and CRC-32 are checked): the caller rebuilds it.
    """
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head = len(fmt) + 12  # the format line, then the payload's length and CRC-32
    if blob[: len(fmt)] != fmt:
        return None
    payload = blob[head:]
    if blob[len(fmt) : head] != len(payload).to_bytes(8, "big") + zlib.crc32(payload).to_bytes(4, "big"):
        return None
    return payload


def write_cache_entry(path: Path, fmt: bytes, payload: bytes) -> None:
    """Store a cache entry atomically (a temporary file beside it, renamed into place); failures are ignored."""
    import tempfile

    blob = fmt + len(payload).to_bytes(8, "big") + zlib.crc32(payload).to_bytes(4, "big") + payload
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError:
        pass
