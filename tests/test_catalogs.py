"""The shipped catalogs match the code and templates, and are complete and well-formed."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _i18n_tool():  # tools/ is not a package: load the workflow script itself
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_catalogs_have_no_drift_gaps_fuzzies_or_placeholder_mismatches() -> None:
    assert _i18n_tool().problems() == []


def test_check_catches_a_broken_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tool = _i18n_tool()
    broken = tmp_path / "xx" / "LC_MESSAGES"
    broken.mkdir(parents=True)
    text = (ROOT / "locales" / "zh" / "LC_MESSAGES" / "reportgen.po").read_text("utf-8")
    text = text.replace('msgstr "第 %(page)s 页 / 共 %(pages)s 页"', 'msgstr "第 %(page)s 页"')
    text = text.replace('msgstr "摘要"', 'msgstr ""', 1)
    (broken / "reportgen.po").write_text(text, "utf-8")
    monkeypatch.setattr(tool, "catalogs", lambda: [broken / "reportgen.po"])
    found = tool.problems()
    assert any("placeholders" in line and "第 %(page)s 页" in line for line in found)
    assert any("empty translation of 'Summary'" in line for line in found)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed (.ci/run installs it)")
@pytest.mark.parametrize("po", sorted((ROOT / "locales").glob("*/LC_MESSAGES/reportgen.po")), ids=str)
def test_gnu_msgfmt_accepts_the_catalog(po: Path) -> None:
    run = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
