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
