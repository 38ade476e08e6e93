"""Only what a command needs is imported: --help and validate never load ReportLab, python-docx or Jinja2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REFERENCE

HEAVY = ("reportlab", "docx", "jinja2", "lxml", "PIL", "zlib_ng")

PROBE = """\
import json, sys
from reportgen.cli import main
try:
    status = main(sys.argv[1:])
except SystemExit as exc:
    status = exc.code
roots = sorted({name.split(".")[0] for name in sys.modules})
print(json.dumps({"status": status, "modules": roots}))
"""


def imported(*argv: str | Path) -> tuple[int, set[str]]:
    """Run the CLI in a fresh interpreter; its exit status and the top-level modules it imported."""
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *map(str, argv)], capture_output=True, text=True, check=True
    )
    answer = json.loads(run.stdout.splitlines()[-1])
    return answer["status"], set(answer["modules"])


@pytest.mark.parametrize("argv", [["--help"], ["build", "--help"], ["validate", "--help"], ["--version"]])
def test_help_imports_nothing_heavy(argv: list[str]) -> None:
    status, modules = imported(*argv)
    assert status == 0
    assert not modules & {*HEAVY, "babel", "yaml"}


def test_validate_imports_no_renderer_or_template_engine() -> None:
    status, modules = imported("validate", REFERENCE, "-q")
    assert status == 0
    assert not modules & set(HEAVY)


@pytest.mark.parametrize(("fmt", "absent"), [("pdf", "docx"), ("docx", "reportlab"), ("docx", "zlib_ng")])
def test_build_imports_only_the_renderer_it_uses(tmp_path: Path, fmt: str, absent: str) -> None:
    status, modules = imported("build", REFERENCE, "--lang", "en", "--format", fmt, "-o", tmp_path, "-q")
    assert status == 0
    assert absent not in modules


DEFERRED_PROBE = """\
import json, re, sys
from reportgen.loading import load_event
import reportgen.renderers.pdf
load_event(sys.argv[1])
import reportlab.lib.textsplit, reportlab.platypus.paragraph as paragraph, yaml.reader
from reportgen.deferred_imports import DeferredPattern
patterns = {"uri": paragraph.uri_pat, "cjkwrap": reportlab.lib.textsplit.rx, "yaml": yaml.reader.Reader.NON_PRINTABLE}
from reportgen.cli import main
main(["build", sys.argv[1], "--lang", "zh", "-q", "-o", sys.argv[2]])
pil_unloaded = "PIL.ExifTags" not in sys.modules and type(sys.modules["PIL.Image"]).__name__ == "_LazyModule"
from reportlab.lib.utils import ImageReader
from PIL import Image
import io
png = io.BytesIO()
Image.new("RGB", (3, 2), "red").save(png, "PNG")
print(json.dumps({
    "pil_unloaded": pil_unloaded,
    "image_size": ImageReader(io.BytesIO(png.getvalue())).getSize(),
    "deferred": {k: isinstance(p, DeferredPattern) and not p.compiled for k, p in patterns.items()},
    "restored": re.compile.__module__ == "re",
    "pairs": paragraph._uri_split_pairs("https://example.org/a/b?c=1"),
    "rx": reportlab.lib.textsplit.rx.sub(r"\\1|", "ab中文"),
    "printable": yaml.reader.Reader.NON_PRINTABLE.search("ok\\x07") is not None,
    "compiled": {k: p.compiled for k, p in patterns.items()},
}))
"""


def test_patterns_reportgen_never_uses_are_compiled_only_if_used(tmp_path: Path) -> None:
    """ReportLab's URL-hyphenation and cjkwrap patterns and PyYAML's pure reader check: not compiled
    by a build, re.compile is left as it was, and code that does use them gets the real pattern.
    Pillow's Image module, which ReportLab imports, is not run by a build and works when used."""
    probe = [sys.executable, "-c", DEFERRED_PROBE, str(REFERENCE), str(tmp_path)]
    run = subprocess.run(probe, capture_output=True, text=True, check=True)
    answer = json.loads(run.stdout.splitlines()[-1])
    assert answer["pil_unloaded"]
    assert answer["image_size"] == [3, 2]
    assert answer["deferred"] == {"uri": True, "cjkwrap": True, "yaml": True}
    assert answer["restored"]
    assert answer["pairs"] == [["https://example.org/a/", "b?c=1"], ["https://example.org/", "a/b?c=1"],
                               ["https://", "example.org/a/b?c=1"]]
    assert answer["rx"] == "ab中|文|"
    assert answer["printable"]
    assert answer["compiled"] == {"uri": True, "cjkwrap": True, "yaml": True}
