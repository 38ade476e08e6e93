"""Locale formatting and catalogs: the wording a reader sees comes from CLDR and gettext."""

from __future__ import annotations

import datetime as dt

import pytest

from reportgen.errors import UsageError
from reportgen.l10n import available_languages, check_language, localizer
from reportgen.model import Text, Unit

ZH, EN = localizer("zh"), localizer("en")


def test_shipped_languages() -> None:
    assert {"zh", "en"} <= set(available_languages())


@pytest.mark.parametrize("tag", ["fr", "english", "zh_CN", ""])
def test_unsupported_language_is_a_usage_error_listing_choices(tag: str) -> None:
    with pytest.raises(UsageError) as caught:
        check_language(tag)
    assert "available: en, zh" in str(caught.value)
    assert caught.value.exit_code == 2


def test_specific_tags_use_the_general_catalog() -> None:
    assert localizer("zh-CN").gettext("Summary") == "摘要"
    assert localizer("en-GB").gettext("Summary") == "Summary"


def test_document_tag() -> None:
    assert ZH.document_tag == "zh-CN"
    assert EN.document_tag == "en"


def test_dates() -> None:
    day = dt.date(2025, 8, 27)
    assert ZH.date(day) == "2025年8月27日"
    assert EN.date(day) == "August 27, 2025"
    assert localizer("en-GB").date(day) == "27 August 2025"
    assert ZH.date(dt.datetime(2025, 8, 27, 14, 46)) == "2025年8月27日"
    assert ZH.date_range(day, dt.date(2025, 8, 29)) == "2025年8月27日至29日"
    assert ZH.date_range(day, day) == "2025年8月27日"


def test_lists_and_countries() -> None:
    assert ZH.list(["中国信息协会", "中国联通"]) == "中国信息协会和中国联通"
    assert EN.list(["China Information Association", "China Unicom"]) == (
        "China Information Association and China Unicom"
    )
    assert EN.list(["A", "B", "C"]) == "A, B, and C"
    assert ZH.country("TH") == "泰国"
    assert EN.country("NO") == "Norway"


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (10_000_000_000_000, "10万亿", "10 trillion"),
        (250_000_000, "2.5亿", "250 million"),
        (2_500_000_000, "25亿", "2.5 billion"),
        (12_345, "12,345", "12,345"),  # 1.2345万 is not exact to two places: written out
        (9, "9", "9"),
        (1e15, "1000万亿", "1000 trillion"),  # CLDR's largest unit, as Babel writes it
    ],
)
def test_large_numbers_use_each_languages_units(value: float, zh: str, en: str) -> None:
    assert ZH.number(value) == zh
    assert EN.number(value) == en


def test_reference_market_figure() -> None:
    cny = Unit("currency", currency="CNY")
    assert ZH.quantity(10_000_000_000_000, cny, None, "more-than") == "超过10万亿元"
    assert EN.quantity(10_000_000_000_000, cny, None, "more-than") == "more than 10 trillion yuan"


@pytest.mark.parametrize(
    ("unit", "value", "zh", "en"),
    [
        (Unit("percent"), 100, "100%", "100%"),
        (Unit("percent"), 99.99, "99.99%", "99.99%"),
        (Unit("count"), 3, "3", "3"),
        (Unit("years"), 1, "1年", "1 year"),
        (Unit("years"), 9, "9年", "9 years"),
        (Unit("people"), 1, "1人", "1 person"),
        (Unit("people"), 2_000, "2,000人", "2,000 people"),
        (Unit("currency", currency="USD"), 2_500_000_000, "25亿美元", "2.5 billion US dollars"),
        (None, 42, "42", "42"),
    ],
)
def test_units(unit: Unit | None, value: float, zh: str, en: str) -> None:
    assert ZH.quantity(value, unit, None, None) == zh
    assert EN.quantity(value, unit, None, None) == en


def test_free_text_unit() -> None:
    unit = Unit("text", text=Text((("zh", "个工作日"), ("en", "working days")), None, "u"))
    assert ZH.quantity(5, unit, "个工作日", None) == "5个工作日"
    assert EN.quantity(5, unit, "working days", None) == "5 working days"


@pytest.mark.parametrize(
    ("comparator", "zh", "en"),
    [
        ("more-than", "超过90%", "more than 90%"),
        ("less-than", "不到90%", "less than 90%"),
        ("about", "约90%", "about 90%"),
        ("at-least", "至少90%", "at least 90%"),
        ("up-to", "最多90%", "up to 90%"),
    ],
)
def test_comparators(comparator: str, zh: str, en: str) -> None:
    assert ZH.quantity(90, Unit("percent"), None, comparator) == zh  # type: ignore[arg-type]
    assert EN.quantity(90, Unit("percent"), None, comparator) == en  # type: ignore[arg-type]


# -- the on-disk cache of compiled catalogs -----------------------------------


def _catalog_messages(translations) -> dict:
    return dict(translations._catalog)


def test_compiled_catalogs_are_cached_and_rebuilt_when_stale_or_damaged(tmp_path, monkeypatch) -> None:
    from pathlib import Path

    from reportgen.l10n import compile_catalog
    from reportgen.resources import resource_dir

    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("REPORTGEN_NO_CACHE", raising=False)
    po = tmp_path / "reportgen.po"
    po.write_bytes((resource_dir("locales") / "zh" / "LC_MESSAGES" / "reportgen.po").read_bytes())
    fresh = _catalog_messages(compile_catalog(po, "zh", "reportgen"))
    (entry,) = (tmp_path / "cache" / "catalogs").iterdir()
    assert _catalog_messages(compile_catalog(po, "zh", "reportgen")) == fresh  # from the entry

    # a damaged entry (a flipped byte, then a truncated file) is compiled afresh and rewritten
    for damage in (lambda b: b[:-1] + bytes([b[-1] ^ 1]), lambda b: b[: len(b) // 2]):
        entry.write_bytes(damage(entry.read_bytes()))
        assert _catalog_messages(compile_catalog(po, "zh", "reportgen")) == fresh
        assert compile_catalog(po, "zh", "reportgen").gettext("Summary") == "摘要"

    # an edited .po file is a new entry: its new wording, not the cached one
    po.write_text(po.read_text("utf-8").replace('msgstr "摘要"', 'msgstr "提要"'), "utf-8")
    assert compile_catalog(po, "zh", "reportgen").gettext("Summary") == "提要"
    assert len(list(Path(tmp_path / "cache" / "catalogs").iterdir())) == 2


def test_no_cache_means_no_catalog_entries_and_the_same_messages(tmp_path, monkeypatch) -> None:
    from reportgen.l10n import compile_catalog
    from reportgen.resources import resource_dir

    po = resource_dir("locales") / "en" / "LC_MESSAGES" / "reportgen.po"
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("REPORTGEN_NO_CACHE", "1")
    uncached = _catalog_messages(compile_catalog(po, "en", "reportgen"))
    assert not (tmp_path / "cache" / "catalogs").exists()
    monkeypatch.delenv("REPORTGEN_NO_CACHE")
    compile_catalog(po, "en", "reportgen")  # fills the cache
    assert _catalog_messages(compile_catalog(po, "en", "reportgen")) == uncached
