#!/usr/bin/env python3
"""The catalog workflow: extract, update and check reportgen's gettext catalogs.

    python tools/i18n.py extract   # Python + Jinja2 templates → locales/reportgen.pot
    python tools/i18n.py update    # merge the .pot into every locales/<lang>/LC_MESSAGES/reportgen.po
    python tools/i18n.py check     # fail on drift, empty or fuzzy entries, placeholder mismatches
    python tools/i18n.py init LANG # start a catalog for a new language

Each step is the pybabel command printed before it runs, so translators can
use pybabel directly; the keywords and babel.cfg are the single source here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
POT = LOCALES / "reportgen.pot"
DOMAIN = "reportgen"
KEYWORDS = ["-k", "pgettext:1c,2", "-k", "ngettext:1,2"]
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def pybabel(*args: str) -> None:
    """Run one pybabel command in-process, echoing it."""
    from babel.messages.frontend import CommandLineInterface

    print("pybabel " + " ".join(args), file=sys.stderr)
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract(target: Path = POT) -> None:
    pybabel(
        "extract", "-F", str(ROOT / "babel.cfg"), *KEYWORDS,
        "--no-location", "--sort-output", "--omit-header",
        "-o", str(target), str(ROOT),
    )


def update() -> None:
    pybabel("update", "-i", str(POT), "-d", str(LOCALES), "-D", DOMAIN, "--no-fuzzy-matching", "--ignore-obsolete")


def init(lang: str) -> None:
    pybabel("init", "-i", str(POT), "-d", str(LOCALES), "-D", DOMAIN, "-l", lang)


def catalogs() -> list[Path]:
    return sorted(LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def _keys(path: Path) -> set[tuple[str | None, object]]:
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return {(m.context, m.id) for m in read_po(handle) if m.id}


def problems() -> list[str]:
    """Everything wrong with the committed catalogs, one line each."""
    from babel.messages.pofile import read_po

    found: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.pot"
        extract(fresh)
        fresh_keys, committed_keys = _keys(fresh), _keys(POT)
    for key in sorted(fresh_keys - committed_keys, key=str):
        found.append(f"{POT.name}: missing {key[1]!r} (run tools/i18n.py extract)")
    for key in sorted(committed_keys - fresh_keys, key=str):
        found.append(f"{POT.name}: stale {key[1]!r} (run tools/i18n.py extract)")
    for po in catalogs():
        name = f"{po.parent.parent.name}/{po.name}"
        with po.open("rb") as handle:
            catalog = read_po(handle)
        keys = {(m.context, m.id) for m in catalog if m.id}
        for key in sorted(committed_keys - keys, key=str):
            found.append(f"{name}: missing {key[1]!r} (run tools/i18n.py update)")
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy:
                found.append(f"{name}: fuzzy entry {ids[0]!r}")
            if not all(strings):
                found.append(f"{name}: empty translation of {ids[0]!r}")
            wanted = sorted(_PLACEHOLDER.findall(ids[-1]))
            for string in strings:
                if string and sorted(_PLACEHOLDER.findall(string)) != wanted:
                    found.append(f"{name}: placeholders of {string!r} differ from {ids[0]!r}")
        msgfmt = shutil.which("msgfmt")
        if msgfmt:
            run = subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True)
            if run.returncode:
                found.append(f"{name}: msgfmt --check: {run.stderr.strip()}")
    return found


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"extract", "update", "check", "init"}:
        print(__doc__, file=sys.stderr)
        return 2
    command = argv[0]
    if command == "extract":
        extract()
    elif command == "update":
        update()
    elif command == "init":
        init(argv[1])
    else:
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
