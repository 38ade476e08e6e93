"""A Localizer bound to one output language: gettext catalogs plus Babel/CLDR formatting.

Fixed wording comes from ``locales/<lang>/LC_MESSAGES/reportgen.po``, compiled
in memory when first needed (and cached on disk), so there is no build step to forget. A language
without a catalog is an error, never a silent fallback to English.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.errors import ResourceError, UsageError
from reportgen.model import language_chain
from reportgen.resources import resource_dir

if TYPE_CHECKING:
    from babel import Locale
    from babel.support import Translations

    from reportgen.model import Comparator, Moment, Unit

DOMAIN = "reportgen"
_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


LOCALES_ENV = "REPORTGEN_LOCALES"


def catalog_dirs() -> list[Path]:
    """Where catalogs are looked up: directories named in $REPORTGEN_LOCALES first, then the shipped ones.

    A user adds a language (or overrides wording) by pointing the variable at a
    directory laid out like ``locales/``, without touching reportgen itself.
    """
    extra = [Path(p) for p in os.environ.get(LOCALES_ENV, "").split(os.pathsep) if p]
    return [*extra, resource_dir("locales")]


def _catalog_path(tag: str) -> Path | None:
    for root in catalog_dirs():
        path = root / tag / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


def available_languages() -> tuple[str, ...]:
    """Language tags that have a catalog, sorted."""
    tags = {
        entry.name
        for root in catalog_dirs()
        if root.is_dir()
        for entry in root.iterdir()
        if (entry / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
    }
    return tuple(sorted(tags))


def catalog_tag(lang: str) -> str | None:
    """The catalog serving ``lang`` (specific to general), or None."""
    shipped = {tag.lower(): tag for tag in available_languages()}
    for candidate in language_chain(lang):
        if candidate.lower() in shipped:
            return shipped[candidate.lower()]
    return None


def check_language(lang: str) -> str:
    """Return ``lang`` if reportgen can write it, else raise a usage error listing what it can."""
    from babel import Locale, UnknownLocaleError

    choices = ", ".join(available_languages())
    if not _TAG.match(lang) or catalog_tag(lang) is None:
        raise UsageError(f"unsupported language {lang!r}; available: {choices}")
    try:
        Locale.parse(lang, sep="-")
    except (UnknownLocaleError, ValueError):
        raise UsageError(f"unknown locale {lang!r}; available: {choices}") from None
    return lang


@cache
def _translations(tag: str) -> Translations:
    po_path = _catalog_path(tag)
    if po_path is None:
        raise ResourceError(f"no catalog for {tag!r}")
    return compile_catalog(po_path, tag, DOMAIN)


def compile_catalog(po_path: Path, tag: str, domain: str) -> Translations:
    """A .po file compiled in memory: no .mo build step to forget, no stale .mo to ship.

    The compiled catalog is cached on disk (``resources.cache_dir("catalogs")``),
    keyed by the .po file's bytes, the language, the domain and Babel's version,
    so a run after the first skips Babel's .po parser (~35 ms for two catalogs).
    A missing, stale or damaged entry is compiled afresh; the messages are the
    same either way.
    """
    from babel.support import Translations

    try:
        po = po_path.read_bytes()
    except OSError as exc:
        raise ResourceError(f"cannot read catalog {po_path}: {exc}") from exc
    return Translations(io.BytesIO(_compiled_mo(po, po_path, tag, domain)), domain=domain)


_MO_CACHE_FORMAT = b"reportgen catalog cache 1\n"


def _compiled_mo(po: bytes, po_path: Path, tag: str, domain: str) -> bytes:
    """The .mo bytes for a .po file's bytes: from the on-disk cache, else compiled (and stored)."""
    import hashlib

    import babel

    from reportgen.resources import cache_dir, read_cache_entry, write_cache_entry

    directory = cache_dir("catalogs")
    entry = None
    if directory is not None:
        digest = hashlib.sha256(f"{babel.__version__}|{tag}|{domain}|".encode())
        digest.update(po)
        entry = directory / f"{domain}-{tag}-{digest.hexdigest()[:32]}.mo"
        cached = read_cache_entry(entry, _MO_CACHE_FORMAT)
        if cached is not None:
            return cached
    mo = _compile_mo(po, po_path, tag, domain)
    if entry is not None:
        write_cache_entry(entry, _MO_CACHE_FORMAT, mo)
    return mo


def _compile_mo(po: bytes, po_path: Path, tag: str, domain: str) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    try:
        catalog = read_po(io.BytesIO(po), locale=tag.replace("-", "_"), domain=domain)
    except (OSError, ValueError) as exc:
        raise ResourceError(f"cannot read catalog {po_path}: {exc}") from exc
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


@cache
def localizer(lang: str) -> Localizer:
    """The one Localizer per language tag in this process."""
    return Localizer(check_language(lang))


class Localizer:
    """Wording and formatting for one output language; create through ``localizer()``."""

    def __init__(self, lang: str) -> None:
        from babel import Locale

        self.lang = lang
        tag = catalog_tag(lang)
        assert tag is not None
        self.translations = _translations(tag)
        self.locale: Locale = Locale.parse(lang, sep="-")

    # ------------------------------------------------------------ identity

    @cached_property
    def document_tag(self) -> str:
        """The tag written into documents: plain ``zh`` is Simplified Chinese of mainland China."""
        if self.locale.language == "zh" and self.lang.lower() in {"zh", "zh-hans"}:
            return "zh-CN"
        return self.lang

    @property
    def language(self) -> str:
        """The primary language subtag, e.g. ``zh``."""
        return self.locale.language

    # ------------------------------------------------------------ gettext

    def gettext(self, message: str) -> str:
        return self.translations.ugettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ungettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self.translations.upgettext(context, message)

    def language_name(self, tag: str) -> str:
        """A language's name in this locale, from CLDR: 中文 / Chinese."""
        primary = tag.split("-")[0].lower()
        return self.locale.languages.get(primary, tag)

    def gap_note(self, shown: str) -> str:
        """The editor's note on a text filled from another language."""
        return self.gettext("no %(language)s text; %(shown)s shown") % {
            "language": self.language_name(self.lang),
            "shown": self.language_name(shown),
        }

    # ------------------------------------------------------------ CLDR formatting

    def date(self, moment: Moment) -> str:
        """A date in the locale's long form: 2025年8月27日 / August 27, 2025."""
        from babel.dates import format_date

        day = moment.date() if isinstance(moment, dt.datetime) else moment
        return format_date(day, "long", locale=self.locale)

    def date_range(self, start: Moment, end: Moment | None, timezone: str | None = None) -> str:
        """When an event happens: one date, a date range (2025年8月27日至29日), or a day with times.

        Datetimes are shown as local time in the event's time zone, whatever
        offset they were written with, so the times read like the date line.
        """
        from babel.dates import format_interval, format_time, get_datetime_format

        start, end = self._local(start, timezone), self._local(end, timezone) if end else None
        first, last = _day(start), _day(end) if end else None
        if not isinstance(start, dt.datetime):
            if last is None or last == first:
                return self.date(first)
            return format_interval(first, last, "yMMMd", locale=self.locale)
        if last is not None and last != first:
            return format_interval(first, last, "yMMMd", locale=self.locale)
        if isinstance(end, dt.datetime) and end != start:
            skeleton = "Hm" if "H" in str(self.locale.time_formats["short"]) else "hm"
            times = format_interval(start, end, skeleton, tzinfo=start.tzinfo, locale=self.locale)
        else:
            times = format_time(start, "short", tzinfo=start.tzinfo, locale=self.locale)
        return str(get_datetime_format("medium", locale=self.locale)).format(times, self.date(first))

    def _local(self, moment: Moment, timezone: str | None) -> Moment:
        if isinstance(moment, dt.datetime) and timezone and moment.tzinfo is not None:
            from zoneinfo import ZoneInfo

            return moment.astimezone(ZoneInfo(timezone))
        return moment

    def list(self, items: list[str]) -> str:
        """A conjunction list: 中国信息协会和中国联通 / A, B, and C."""
        from babel.lists import format_list

        return format_list(items, locale=self.locale)

    def country(self, code: str) -> str:
        """A country's name from CLDR."""
        return self.locale.territories.get(code, code)

    def number(self, value: int | float | Decimal) -> str:
        """A number in words of the locale's own large units where that is exact enough.

        Chinese counts in 万/亿/万亿 (``10万亿``), English in million/billion/trillion
        (``10 trillion``); smaller or ragged values are written in full with grouping.
        """
        from babel.numbers import format_compact_decimal, format_decimal

        exact = Decimal(str(value))
        magnitudes = _CJK_MAGNITUDES if self.language in {"zh", "ja"} else _WESTERN_MAGNITUDES
        for magnitude in magnitudes:
            if abs(exact) >= magnitude:
                scaled = exact / magnitude
                if scaled == scaled.quantize(Decimal("0.01")):
                    style = "short" if self.language in {"zh", "ja"} else "long"
                    return format_compact_decimal(
                        exact, format_type=style, fraction_digits=2, locale=self.locale
                    )
                break
        return format_decimal(exact, locale=self.locale)

    def percent(self, value: int | float) -> str:
        """``90`` → ``90%`` in the locale's pattern, keeping up to two decimals."""
        from babel.numbers import format_percent

        return format_percent(Decimal(str(value)) / 100, "#,##0.##%", locale=self.locale)

    def currency_unit(self, code: str, value: int | float) -> str:
        """The word for a currency after an amount: 元 / yuan; otherwise CLDR's name."""
        from babel.numbers import get_currency_name

        customary = {"CNY": self.pgettext("currency unit", "CNY")}  # 元, not CLDR's 人民币
        if code in customary:
            return customary[code]
        return get_currency_name(code, count=value, locale=self.locale)

    def quantity(
        self,
        value: int | float,
        unit: Unit | None,
        unit_text: str | None,
        comparator: Comparator | None,
    ) -> str:
        """A figure's value with its unit and qualifier: ``超过10万亿元`` / ``more than 10 trillion yuan``."""
        _ = self.gettext
        count = int(value) if float(value).is_integer() else 2  # plural category for decimals
        if unit is None or unit.kind == "count":
            text = self.number(value)
        elif unit.kind == "percent":
            text = self.percent(value)
        elif unit.kind == "years":
            text = self.ngettext("%(num)s year", "%(num)s years", count) % {"num": self.number(value)}
        elif unit.kind == "people":
            text = self.ngettext("%(num)s person", "%(num)s people", count) % {
                "num": self.number(value)
            }
        elif unit.kind == "currency":
            assert unit.currency is not None
            text = _("%(amount)s %(currency)s") % {
                "amount": self.number(value),
                "currency": self.currency_unit(unit.currency, value),
            }
        else:
            text = _("%(num)s %(unit)s") % {"num": self.number(value), "unit": unit_text or ""}
        if comparator is not None:
            text = self._comparator_pattern(comparator) % {"value": text}
        return text

    def _comparator_pattern(self, comparator: Comparator) -> str:
        _ = self.gettext
        patterns = {
            "more-than": _("more than %(value)s"),
            "less-than": _("less than %(value)s"),
            "about": _("about %(value)s"),
            "at-least": _("at least %(value)s"),
            "up-to": _("up to %(value)s"),
        }
        return patterns[comparator]


_CJK_MAGNITUDES = tuple(Decimal(10) ** e for e in (12, 8, 4))
_WESTERN_MAGNITUDES = tuple(Decimal(10) ** e for e in (12, 9, 6))


def _day(moment: Moment) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment
