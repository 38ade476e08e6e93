"""The event model, format 1 (spec/event-model.md): typed, immutable, no I/O.

Loading and validation live in ``loading.py``; this module only says what a
valid event is made of. Every text remembers the path it was read from, so a
translation gap can be reported where the editor has to fix it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple, TypeAlias

SourceId: TypeAlias = int | str
Moment: TypeAlias = dt.date | dt.datetime  # a datetime is also a date: test datetime first


@lru_cache(maxsize=256)
def language_chain(tag: str) -> tuple[str, ...]:
    """Lookup order for a BCP 47 tag, specific to general: zh-Hans-CN → zh-Hans → zh."""
    parts = tag.split("-")
    return tuple("-".join(parts[:n]) for n in range(len(parts), 0, -1))


@lru_cache(maxsize=256)
def _folded_chain(tag: str) -> tuple[str, ...]:
    """:func:`language_chain` in lower case: tags match whatever their case."""
    return tuple(candidate.lower() for candidate in language_chain(tag))


class Resolved(NamedTuple):
    """A text resolved for one language; ``lang`` is the tag actually used.

    A named tuple: one is made for every text a document shows, and a frozen
    dataclass's construction sets each field through ``object.__setattr__``.
    """

    value: str
    lang: str | None  # None for a language-neutral plain string
    gap: bool  # True when the requested language was missing and a fallback was used


@dataclass(frozen=True, slots=True)
class Text:
    """A text in several languages, or one plain string meaning the same in all."""

    translations: tuple[tuple[str, str], ...]  # (tag, value) in file order; empty if neutral
    neutral: str | None
    path: str  # where it stands in the file, e.g. "people[0].name"

    def lookup(self, lang: str) -> tuple[str, str] | None:
        """The (tag, value) for ``lang`` following the specific-to-general chain, if any."""
        for candidate in _folded_chain(lang):
            for tag, value in reversed(self.translations):  # of a tag given twice, the last
                if tag.lower() == candidate:
                    return tag, value
        return None

    def resolve(self, lang: str, source_language: str) -> Resolved:
        """The text for ``lang``, else for the source language, else the first one listed."""
        if self.neutral is not None:
            return Resolved(self.neutral, None, False)
        hit = self.lookup(lang)
        if hit is not None:
            return Resolved(hit[1], hit[0], False)
        hit = self.lookup(source_language) or self.translations[0]
        return Resolved(hit[1], hit[0], True)


@dataclass(frozen=True, slots=True)
class TextList:
    """A list of strings per language (``keywords``)."""

    translations: tuple[tuple[str, tuple[str, ...]], ...]
    path: str


@dataclass(frozen=True, slots=True)
class Organization:
    id: str
    name: Text
    short_name: Text | None = None
    country: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: Text
    role: Text | None = None
    organization: str | None = None  # organization id
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Point:
    text: Text
    speaker: str | None = None  # person or organization id
    refs: tuple[SourceId, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    heading: Text
    points: tuple[Point, ...]


FixedUnit: TypeAlias = Literal["percent", "count", "years", "people"]
Comparator: TypeAlias = Literal["more-than", "less-than", "about", "at-least", "up-to"]


@dataclass(frozen=True, slots=True)
class Unit:
    """A figure's unit: one of the fixed kinds, an ISO 4217 currency, or free text."""

    kind: Literal["percent", "count", "years", "people", "currency", "text"]
    currency: str | None = None  # ISO 4217 code when kind == "currency"
    text: Text | None = None  # when kind == "text"


@dataclass(frozen=True, slots=True)
class Figure:
    id: str
    value: int | float
    label: Text
    unit: Unit | None = None
    comparator: Comparator | None = None
    year: int | None = None
    speaker: str | None = None
    refs: tuple[SourceId, ...] = ()


@dataclass(frozen=True, slots=True)
class Source:
    id: SourceId
    publisher: Text
    title: Text | None = None
    url: str | None = None
    published: Moment | None = None
    locator: Text | None = None


@dataclass(frozen=True, slots=True)
class Briefing:
    issuer: Text
    number: int | None = None
    date: dt.date | None = None
    classification: Text | None = None
    prepared_by: Text | None = None
    report_to: tuple[Text, ...] = ()
    copy_to: tuple[Text, ...] = ()


@dataclass(frozen=True, slots=True)
class EventInfo:
    name: Text
    start: Moment
    part_of: Text | None = None
    end: Moment | None = None
    timezone: str | None = None  # IANA name
    venue: Text | None = None
    city: Text | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    organizers: tuple[str, ...] = ()
    supporters: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Event:
    """One validated event file."""

    format: int
    id: str
    source_language: str
    title: Text
    event: EventInfo
    summary: Text
    sections: tuple[Section, ...]
    subtitle: Text | None = None
    organizations: tuple[Organization, ...] = ()
    people: tuple[Person, ...] = ()
    summary_refs: tuple[SourceId, ...] = ()
    keywords: TextList | None = None
    figures: tuple[Figure, ...] = ()
    sources: tuple[Source, ...] = ()
    briefing: Briefing | None = None
    # id -> party, organization and source number, made on first use: a large event's lookups stay linear
    _index: dict[str, dict[SourceId, object]] = dataclasses.field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def party(self, party_id: str) -> Person | Organization:
        """The person or organization with this id (ids are validated to resolve)."""
        return self._indexed("party", party_id)  # type: ignore[return-value]

    def organization(self, org_id: str) -> Organization:
        return self._indexed("organization", org_id)  # type: ignore[return-value]

    def source_number(self, source_id: SourceId) -> int:
        """The source's number in the list of sources, from 1."""
        return self._indexed("source", source_id)  # type: ignore[return-value]

    def _indexed(self, kind: str, key: SourceId) -> object:
        index = self._index
        if not index:
            parties: dict[SourceId, object] = {}
            for party in (*self.people, *self.organizations):
                parties.setdefault(party.id, party)  # the first of a repeated id, as a search in order finds
            organizations: dict[SourceId, object] = {}
            for org in self.organizations:
                organizations.setdefault(org.id, org)
            sources: dict[SourceId, object] = {}
            for number, source in enumerate(self.sources, start=1):
                sources.setdefault(source.id, number)
            index.update(party=parties, organization=organizations, source=sources)
        try:
            return index[kind][key]
        except KeyError:
            raise KeyError(key) from None


def iter_texts(value: object) -> Iterator[Text]:
    """Every Text inside a model object, in file order (depth first)."""
    if isinstance(value, Text):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from iter_texts(getattr(value, f.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from iter_texts(item)
