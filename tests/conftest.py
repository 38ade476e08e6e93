"""Shared fixtures: the reference event, built once per test session through the real CLI."""

from __future__ import annotations

import dataclasses
import functools
import io
import os
import tempfile
import types
from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.loading import load_event
from reportgen.model import Event, TextList, iter_texts

# reportgen caches parsed fonts and compiled templates per user; tests keep theirs to themselves
os.environ.setdefault("REPORTGEN_CACHE_DIR", tempfile.mkdtemp(prefix="reportgen-test-cache-"))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
REFERENCE = FIXTURES / "digital-government-2025.yaml"
REFERENCE_ID = "bigdata-expo-2025-digital-government"


@dataclasses.dataclass
class CliRun:
    status: int
    stdout: str
    stderr: str


def run_cli(*argv: str | Path) -> CliRun:
    """Run the command line in-process and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    try:
        status = main([str(a) for a in argv], stdout=out, stderr=err)
    except SystemExit as exc:  # argparse usage errors
        status = int(exc.code or 0)
    return CliRun(status, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session")
def reference_event() -> Event:
    return load_event(REFERENCE)


@pytest.fixture(scope="session")
def reference_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CliRun]:
    """The reference briefing in zh and en, PDF and DOCX, as a user would build it."""
    out = tmp_path_factory.mktemp("reference")
    run = run_cli("build", REFERENCE, "--lang", "zh,en", "--format", "pdf,docx", "-o", out)
    assert run.status == 0, run.stderr
    return out, run


texts_of = iter_texts


def keywords_of(event: Event, lang: str) -> tuple[str, ...]:
    assert isinstance(event.keywords, TextList)
    return dict(event.keywords.translations)[lang]


def pdf_text(path: Path) -> str:
    """The text layer of every page, as pypdf extracts it."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def docx_text(path: Path) -> str:
    """All text a reader sees in a DOCX: body paragraphs, text boxes, table cells, headers and footers."""
    from docx import Document as open_docx

    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    document = open_docx(str(path))
    parts = [p.text for p in document.paragraphs]
    for box in document.element.body.iter(qn("w:txbxContent")):  # the 简报's 报尾
        parts.extend(Paragraph(p, document).text for p in box.iter(qn("w:p")))
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.footer, section.first_page_footer):
            parts.extend(p.text for p in part.paragraphs)
    return "\n".join(parts)


@functools.cache
def build_fonts_script() -> types.ModuleType:
    """tools/build_fonts.py as a module: its character lists say what the bundled fonts must cover."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("build_fonts", ROOT / "tools" / "build_fonts.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses in it look their module up while it runs
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module
