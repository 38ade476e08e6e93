"""Event file → validated ``model.Event`` (spec/event-model.md, format 1).

Every problem in a file is reported, each with the file, the 1-based line and
the path of the offending key or value (``sections[2].points[0].speaker``);
nothing is reported twice and one broken value does not set off a cascade of
follow-up complaints.

How: the text is checked for what no parser should see (size, encoding,
characters documents cannot hold, a ``%YAML`` version other than 1.2; ``.json``
files are first read by the stdlib ``json``), then turned into a graph of
small nodes with lines by ``yaml_nodes`` (libyaml's event parser; it refuses
tags we do not know, recursive aliases, alias bombs and absurd nesting), and
then walked against the schema. The model is built only when no problem was
found.

This module imports only the stdlib, ``yaml_nodes`` (PyYAML's libyaml parser,
when a file is read) and (lazily) Babel.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import math
import re
import urllib.parse
import zoneinfo
from pathlib import Path
from typing import Any

from . import model as m
from .errors import InputError, Problem
from .yaml_nodes import MAX_DEPTH, MAX_VALUES
from .yaml_nodes import JsonObject as _JsonObject
from .yaml_nodes import Node as _Node
from .yaml_nodes import Refused as _Refused
from .yaml_nodes import compose as _compose_nodes
from .yaml_nodes import quote as _q

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_VALUES",
    "SUPPORTED_FORMATS",
    "load_event",
    "load_text",
]

SUPPORTED_FORMATS = (1,)
MAX_BYTES = 2 * 1024 * 1024  # larger files are refused before parsing
# MAX_VALUES (values after alias expansion) and MAX_DEPTH (nesting levels) come from yaml_nodes

# --------------------------------------------------------------------------
# public API


def load_event(path: Path | str) -> m.Event:
    """Read, parse and validate one event file; raise ``InputError`` with every problem."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError([Problem(_too_big(size), file=path)])
        data = path.read_bytes()
    except InputError:
        raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError([Problem(f"cannot read the file: {reason}", file=path)]) from None
    return _load_bytes(data, path, json_mode=_is_json(path.name))


def load_text(text: str, name: str = "<text>") -> m.Event:
    """Like ``load_event`` for text in memory; ``name`` ending in ``.json`` selects JSON."""
    return _load_str(text, name, json_mode=_is_json(name))


# --------------------------------------------------------------------------
# bytes → text → node graph


def _is_json(name: str) -> bool:
    return name.lower().endswith(".json")


def _too_big(size: int) -> str:
    return f"the file is {size:,} bytes; event files larger than {MAX_BYTES:,} bytes are refused"


def _load_bytes(data: bytes, file: Path | str, *, json_mode: bool) -> m.Event:
    try:
        text = _decode(data)
    except _Refused as exc:
        raise InputError([Problem(exc.message, file=file, line=exc.line)]) from None
    return _load_str(text, file, json_mode=json_mode)


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise _Refused(_too_big(len(data)))
    for bom, name in (
        (b"\xff\xfe\x00\x00", "UTF-32"),
        (b"\x00\x00\xfe\xff", "UTF-32"),
        (b"\xff\xfe", "UTF-16"),
        (b"\xfe\xff", "UTF-16"),
    ):
        if data.startswith(bom):
            raise _Refused(f"the file is {name} text; save it as UTF-8")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise _Refused("this is a binary file, not YAML or JSON text (it contains NUL bytes)", line)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _Refused(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02X} cannot be decoded); "
            "save it as UTF-8",
            line,
        ) from None


def _load_str(text: str, file: Path | str, *, json_mode: bool) -> m.Event:
    try:
        root = _compose(text, json_mode=json_mode)
    except _Refused as exc:
        raise InputError([Problem(exc.message, file=file, line=exc.line)]) from None
    node, bad_nodes = root
    walker = _Walker(file)
    event = walker.event(node)
    if not walker.problems:
        # every bad node sits where the walk reports it, or under something
        # already reported; this is a safety net, never a second report
        for bad in bad_nodes:
            walker.bad(bad, "")
    if walker.problems:
        problems = sorted(walker.problems, key=lambda p: p.line or 0)
        raise InputError(problems)
    assert event is not None
    return event


# XML 1.0 can hold tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD and U+10000 up.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_YAML_VERSION_DIRECTIVE = re.compile(r"^%YAML[ \t]+(\S+)", re.MULTILINE)


def _cannot_hold(char: str) -> str:
    return f"contains U+{ord(char):04X}, which documents cannot hold"


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _compose(text: str, *, json_mode: bool) -> tuple[_Node, list[_Node]]:
    """Text → (root node, its unusable "bad" nodes); raises ``_Refused``."""
    if len(text) > MAX_BYTES:
        raise _Refused(_too_big(len(text.encode("utf-8", "surrogatepass"))))
    if not text.strip():
        raise _Refused("the file is empty; expected an event mapping (format: 1, id: …)")
    bad = _NOT_XML.search(text)
    if bad:  # raw control characters: no parser would give us a path for them
        raise _Refused(_cannot_hold(bad.group()), _line_at(text, bad.start()))
    if not json_mode:
        directive = _YAML_VERSION_DIRECTIVE.search(text)
        if directive and directive.group(1) != "1.2":
            raise _Refused(
                f"YAML {directive.group(1)} is not supported; event files are YAML 1.2 "
                "(remove the %YAML line)",
                _line_at(text, directive.start()),
            )

    json_value: Any = None
    if json_mode:
        try:
            json_value = json.loads(text, object_pairs_hook=_JsonObject)
        except json.JSONDecodeError as exc:
            raise _Refused(f"JSON syntax error: {exc.msg}", exc.lineno) from None
        except RecursionError:
            raise _Refused(f"the file is nested more than {MAX_DEPTH} levels deep") from None

    return _compose_nodes(text, json_mode=json_mode, json_value=json_value)


# --------------------------------------------------------------------------
# vocabularies


_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z")
FIXED_UNITS = ("percent", "count", "years", "people")
COMPARATORS = ("more-than", "less-than", "about", "at-least", "up-to")
URL_SCHEMES = ("http", "https", "mailto")

# Babel (CLDR) territories that are not assigned ISO 3166-1 alpha-2 country
# codes: exceptionally reserved (AC CP CQ DG EA IC TA), groupings (EU EZ UN QO),
# pseudo-locales (XA XB), user-assigned (XK) and unknown (ZZ).
_NOT_COUNTRIES = frozenset(
    "AC CP CQ DG EA IC TA EU EZ UN QO XA XB XK ZZ".split()
)
# ISO 4217 codes that are no currency: testing, no currency.
_NOT_CURRENCIES = frozenset({"XTS", "XXX"})


@functools.cache
def _countries() -> frozenset[str]:
    from babel import Locale

    return frozenset(
        code
        for code in Locale("en").territories
        if len(code) == 2 and code.isalpha() and code.isupper() and code not in _NOT_COUNTRIES
    )


@functools.cache
def _currencies() -> frozenset[str]:
    from babel.numbers import list_currencies

    return frozenset(list_currencies()) - _NOT_CURRENCIES


_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})\Z")
_DATETIME = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d*))?)?"
    r"[ \t]*(Z|z|[-+]\d{1,2}(?::?\d{2})?)?\Z"
)
_DATE_FORMS = "YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS] with an optional offset such as +08:00"


def _parse_moment(s: str) -> dt.date | dt.datetime:
    """An ISO 8601 / YAML timestamp → date or datetime; ValueError with a reason."""
    s = s.strip()
    match = _DATE.match(s)
    if match:
        return dt.date(*(int(g) for g in match.groups()))
    match = _DATETIME.match(s)
    if not match:
        raise ValueError(f"expected a date or datetime ({_DATE_FORMS}), got {_q(s)}")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    tzinfo: dt.tzinfo | None = None
    if offset in ("Z", "z"):
        tzinfo = dt.timezone.utc
    elif offset:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        hours, minutes = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
        delta = dt.timedelta(hours=int(hours), minutes=int(minutes))
        if delta >= dt.timedelta(hours=24):
            raise ValueError(f"UTC offset {offset} is out of range")
        tzinfo = dt.timezone(sign * delta)
    return dt.datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro,
        tzinfo=tzinfo,
    )


def _as_date(moment: dt.date) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment


def _before(end: dt.date, start: dt.date) -> bool:
    if isinstance(end, dt.datetime) and isinstance(start, dt.datetime):
        if (end.tzinfo is None) == (start.tzinfo is None):
            return end < start
    return _as_date(end) < _as_date(start)


def _describe(node: _Node) -> str:
    if node.kind == "map":
        return "a mapping"
    if node.kind == "seq":
        return "a list"
    return {
        "str": "a string",
        "int": "a number",
        "float": "a number",
        "bool": f"{node.raw}",
        "null": "no value",
        "timestamp": "a date",
    }.get(node.tag, "a value")


def _suggest(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _show_id(value: Any) -> str:
    return str(value) if isinstance(value, int) else _q(value)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# --------------------------------------------------------------------------
# the schema walk


_TOP_REQUIRED = ("format", "id", "source_language", "title", "event", "summary", "sections")
_TOP_OPTIONAL = (
    "subtitle", "organizations", "people", "summary_refs", "keywords", "figures",
    "sources", "briefing",
)


class _Walker:
    def __init__(self, file: Path | str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.reported: set[int] = set()
        self.timezone: zoneinfo.ZoneInfo | None = None
        self.timezone_state = "unknown"  # "unknown" (event unreadable), "absent", "bad", "ok"
        # ids: party id -> (kind, path, line); "complete" is False once an id could not be read
        self.parties: dict[str, tuple[str, str, int | None]] = {}
        self.orgs_complete = True
        self.people_complete = True
        self.sources: dict[str, tuple[m.SourceId, str, int | None]] = {}
        self.sources_complete = True
        # references to resolve at the end: (kind, value, line, path)
        self.references: list[tuple[str, Any, int | None, str]] = []

    # -- reporting ---------------------------------------------------------

    def bad(self, node: _Node, path: str) -> bool:
        """True for an unusable node, reporting it (once) with the path it was reached by."""
        if node.kind != "bad":
            return False
        if id(node) not in self.reported:
            self.reported.add(id(node))
            self.error(node, path, node.value)
        return True

    def error(self, where: _Node | int | None, path: str, message: str) -> None:
        line = where.line if isinstance(where, _Node) else where
        self.problems.append(Problem(message, file=self.file, line=line, path=path or None))

    def wrong_type(self, node: _Node, path: str, expected: str, hint: str = "") -> None:
        self.error(node, path, f"expected {expected}, got {_describe(node)}{hint}")

    # -- structure ---------------------------------------------------------

    def mapping(
        self,
        node: _Node,
        path: str,
        required: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ) -> _Fields | None:
        """The known keys of a mapping; reports unknown, duplicate and missing keys."""
        if self.bad(node, path):
            return None
        if node.kind != "map":
            self.wrong_type(node, path, "a mapping")
            return None
        allowed = required + optional
        fields: dict[str, _Node] = {}
        first_line: dict[str, int | None] = {}
        for key, value in node.value:
            name = self.key_name(key, path)
            if name is None:
                continue
            if name in first_line:
                where = f" (first on line {first_line[name]})" if first_line[name] else ""
                self.error(key, path, f"duplicate key {_q(name)}{where}")
                continue
            first_line[name] = key.line
            if name not in allowed:
                self.error(key, path, f"unknown key {_q(name)}{_suggest(name, allowed)}")
                continue
            fields[name] = value
        complete = True
        for name in required:
            if name not in first_line:
                self.error(node, path, f"missing required key '{name}'")
                complete = False
        return _Fields(fields, path, ok=complete)

    def key_name(self, key: _Node, path: str) -> str | None:
        if self.bad(key, path):
            return None
        if key.kind != "scalar":
            self.error(key, path, f"a key must be a name, got {_describe(key)}")
            return None
        return str(key.raw)

    def sequence(self, node: _Node, path: str, what: str = "a list") -> list[_Node] | None:
        if self.bad(node, path):
            return None
        if node.kind != "seq":
            self.wrong_type(node, path, what)
            return None
        return list(node.value)

    # -- scalars -----------------------------------------------------------

    def string(self, node: _Node, path: str, what: str = "a string") -> str | None:
        """A non-empty string, surrounding white space removed, every character writable."""
        if self.bad(node, path):
            return None
        if not node.is_str():
            hint = ""
            if node.kind == "scalar" and node.tag in ("int", "float", "bool", "timestamp"):
                hint = "; put it in quotes if it is meant as text"
            self.wrong_type(node, path, what, hint)
            return None
        return self.clean(node.value, node, path)

    def clean(self, value: str, node: _Node, path: str) -> str | None:
        bad = _NOT_XML.search(value)
        if bad:
            self.error(node, path, _cannot_hold(bad.group()))
            return None
        value = value.strip()
        if not value:
            self.error(node, path, "empty text")
            return None
        return value

    def text(self, node: _Node, path: str) -> m.Text | None:
        if self.bad(node, path):
            return None
        if node.is_str():
            value = self.clean(node.value, node, path)
            return None if value is None else m.Text((), value, path)
        if node.kind != "map":
            hint = ""
            if node.kind == "scalar" and node.tag in ("int", "float", "bool", "timestamp"):
                hint = "; put it in quotes if it is meant as text"
            self.wrong_type(
                node, path, "text (a string, or a mapping from language tag to string)", hint
            )
            return None
        if not node.value:
            self.error(node, path, "empty text: give it in at least one language")
            return None
        translations: list[tuple[str, str]] = []
        ok = True
        for tag, value in self.language_pairs(node, path):
            if value is None:
                ok = False
                continue
            s = self.string(value, _join(path, tag), "text")
            if s is None:
                ok = False
            else:
                translations.append((tag, s))
        return m.Text(tuple(translations), None, path) if ok else None

    def language_pairs(self, node: _Node, path: str) -> list[tuple[str, _Node | None]]:
        """(tag, value) of a language mapping; value None where the key was refused."""
        pairs: list[tuple[str, _Node | None]] = []
        seen: dict[str, tuple[str, int | None]] = {}
        for key, value in node.value:
            tag = self.key_name(key, path)
            if tag is None:
                pairs.append(("", None))
                continue
            if not self.check_language(tag, key, path):
                pairs.append((tag, None))
                continue
            folded = tag.lower()
            if folded in seen:
                first, line = seen[folded]
                where = f" (first on line {line})" if line else ""
                if first == tag:
                    self.error(key, path, f"duplicate key {_q(tag)}{where}")
                else:
                    self.error(key, path, f"duplicate language {_q(tag)}, the same as {_q(first)}{where}")
                pairs.append((tag, None))
                continue
            seen[folded] = (tag, key.line)
            pairs.append((tag, value))
        return pairs

    def check_language(self, tag: str, node: _Node, path: str) -> bool:
        if _LANGUAGE_TAG.match(tag):
            return True
        hint = " such as 'en', 'zh' or 'zh-Hans'"
        if "_" in tag and _LANGUAGE_TAG.match(tag.replace("_", "-")):
            hint = f"; use '-', not '_': '{tag.replace('_', '-')}'"
        self.error(node, path, f"{_q(tag)} is not a BCP 47 language tag{hint}")
        return False

    def language(self, node: _Node, path: str) -> str | None:
        value = self.string(node, path, "a language tag")
        if value is None:
            return None
        return value if self.check_language(value, node, path) else None

    def text_list(self, node: _Node, path: str) -> m.TextList | None:
        if self.bad(node, path):
            return None
        if node.kind != "map" or not node.value:
            if node.kind == "map":
                self.error(node, path, "empty: give the list in at least one language")
            else:
                self.wrong_type(node, path, "a mapping from language tag to a list of strings")
            return None
        translations: list[tuple[str, tuple[str, ...]]] = []
        ok = True
        for tag, value in self.language_pairs(node, path):
            if value is None:
                ok = False
                continue
            item_path = _join(path, tag)
            items = self.sequence(value, item_path, "a list of strings")
            if items is None:
                ok = False
                continue
            if not items:
                self.error(value, item_path, "empty list")
                ok = False
                continue
            strings = [self.string(item, f"{item_path}[{i}]") for i, item in enumerate(items)]
            if any(s is None for s in strings):
                ok = False
                continue
            translations.append((tag, tuple(s for s in strings if s is not None)))
        return m.TextList(tuple(translations), path) if ok else None

    def slug(self, node: _Node, path: str, what: str = "an id") -> str | None:
        if self.bad(node, path):
            return None
        if not node.is_str():
            self.wrong_type(node, path, f"{what} (a string such as 'china-unicom')")
            return None
        value = node.value
        if not _SLUG.match(value):
            fixed = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
            hint = f", e.g. '{fixed}'" if fixed and _SLUG.match(fixed) else ""
            self.error(
                node, path,
                f"{_q(value)} is not a valid id: use lower-case letters a-z, digits and '-', "
                f"starting with a letter or digit{hint}",
            )
            return None
        return value

    def integer(self, node: _Node, path: str, minimum: int | None = None,
                maximum: int | None = None) -> int | None:
        if self.bad(node, path):
            return None
        if node.kind == "scalar" and node.tag == "float":
            self.error(node, path, f"expected an integer, got {node.raw}")
            return None
        if node.kind != "scalar" or node.tag != "int":
            self.wrong_type(node, path, "an integer")
            return None
        value = node.value
        if minimum is not None and value < minimum or maximum is not None and value > maximum:
            bounds = f"at least {minimum}" if maximum is None else f"between {minimum} and {maximum}"
            self.error(node, path, f"{value} is out of range; expected {bounds}")
            return None
        return value

    def number(self, node: _Node, path: str) -> int | float | None:
        if self.bad(node, path):
            return None
        if node.kind == "scalar" and node.tag in ("int", "float"):
            if isinstance(node.value, float) and not math.isfinite(node.value):
                self.error(node, path, f"expected a finite number, got {node.raw}")
                return None
            return node.value
        if node.is_str():
            self.error(
                node, path,
                f"expected a number, got the string {_q(node.value.strip())}; write the raw "
                "quantity without quotes or words (10000000000000, not '10 trillion')",
            )
            return None
        self.wrong_type(node, path, "a number")
        return None

    def choice(self, node: _Node, path: str, choices: tuple[str, ...], what: str) -> str | None:
        value = self.string(node, path, f"a {what}")
        if value is None:
            return None
        if value not in choices:
            self.error(
                node, path,
                f"unknown {what} {_q(value)}{_suggest(value, choices)}; "
                f"expected one of {', '.join(choices)}",
            )
            return None
        return value

    def country(self, node: _Node, path: str) -> str | None:
        value = self.string(node, path, "an ISO 3166-1 alpha-2 country code")
        if value is None:
            return None
        if value in _countries():
            return value
        upper = value.upper()
        if upper in _countries():
            hint = f"; use upper case '{upper}'"
        elif upper == "UK":
            hint = "; the code for the United Kingdom is 'GB'"
        elif upper in _NOT_COUNTRIES:
            hint = f"; '{upper}' is not an assigned country code"
        else:
            hint = ", such as 'CN' or 'NO'"
        self.error(
            node, path, f"{_q(value)} is not an ISO 3166-1 alpha-2 country code{hint}"
        )
        return None

    def url(self, node: _Node, path: str) -> str | None:
        value = self.string(node, path, "a URL")
        if value is None:
            return None
        try:
            parts = urllib.parse.urlsplit(value)
        except ValueError as exc:
            self.error(node, path, f"{_q(value)} is not a valid URL: {exc}")
            return None
        scheme = parts.scheme.lower()
        if scheme not in URL_SCHEMES:
            hint = f"; did you mean 'https://{value}'?" if not parts.scheme else ""
            self.error(node, path, f"{_q(value)} is not an http, https or mailto URL{hint}")
            return None
        if re.search(r"\s", value):
            self.error(node, path, f"{_q(value)} contains white space; encode it as %20")
            return None
        if scheme in ("http", "https") and not parts.netloc:
            self.error(node, path, f"{_q(value)} has no host name")
            return None
        if scheme == "mailto" and not parts.path:
            self.error(node, path, f"{_q(value)} has no address")
            return None
        return value

    def moment(self, node: _Node, path: str, *, date_only: bool = False) -> dt.date | None:
        """A date or datetime; a datetime without offset gets ``event.timezone``."""
        if self.bad(node, path):
            return None
        what = "a date (YYYY-MM-DD)" if date_only else f"a date or datetime ({_DATE_FORMS})"
        if node.kind != "scalar" or node.tag not in ("timestamp", "str"):
            self.wrong_type(node, path, what)
            return None
        raw = str(node.value)
        bad = _NOT_XML.search(raw)
        if bad:
            self.error(node, path, _cannot_hold(bad.group()))
            return None
        try:
            value = _parse_moment(raw)
        except ValueError as exc:
            reason = str(exc)
            if not reason.startswith("expected"):
                reason = f"{_q(raw.strip())} is not a valid date: {reason}"
            elif date_only:
                reason = f"expected a date (YYYY-MM-DD), got {_q(raw.strip())}"
            self.error(node, path, reason)
            return None
        if isinstance(value, dt.datetime):
            if date_only:
                self.error(node, path, f"expected a date (YYYY-MM-DD), got the datetime {_q(raw.strip())}")
                return None
            if value.tzinfo is None:
                if self.timezone is not None:
                    value = value.replace(tzinfo=self.timezone)
                elif self.timezone_state == "absent":
                    self.error(
                        node, path,
                        f"the datetime {_q(raw.strip())} has no UTC offset: add one "
                        "(e.g. +08:00) or set event.timezone",
                    )
                    return None
        return value

    # -- references --------------------------------------------------------

    def party_id(self, node: _Node, path: str, kind: str) -> str | None:
        """An id that must resolve later: kind "party" (person or organization) or "org"."""
        if self.bad(node, path):
            return None
        if not node.is_str():
            self.wrong_type(node, path, "an id (a string such as 'china-unicom')")
            return None
        value = node.value.strip()
        self.references.append((kind, value, node.line, path))
        return value

    def id_list(self, node: _Node, path: str, kind: str) -> tuple[Any, ...] | None:
        items = self.sequence(node, path)
        if items is None:
            return None
        result: list[Any] = []
        ok = True
        seen: dict[str, int | None] = {}
        for i, item in enumerate(items):
            item_path = f"{path}[{i}]"
            if kind == "source":
                value = self.source_ref(item, item_path)
            else:
                value = self.party_id(item, item_path, kind)
            if value is None:
                ok = False
                continue
            key = str(value)
            if key in seen:
                self.error(item, item_path, f"{_show_id(value)} is listed twice")
                ok = False
                continue
            seen[key] = item.line
            result.append(value)
        return tuple(result) if ok else None

    def source_ref(self, node: _Node, path: str) -> m.SourceId | None:
        if self.bad(node, path):
            return None
        if node.kind == "scalar" and node.tag == "int":
            value: m.SourceId = node.value
        elif node.is_str():
            value = node.value.strip()
        else:
            self.wrong_type(node, path, "a source id (an integer or a string)")
            return None
        self.references.append(("source", value, node.line, path))
        return value

    def register_party(self, node: _Node | None, value: str | None, kind: str, path: str) -> None:
        """Record a person's or organization's id; ``value`` None when it was refused."""
        if value is None and node is not None:
            value = _raw_id(node)  # as written: references to it should not pile up complaints
        if value is None or node is None:
            if kind == "person":
                self.people_complete = False
            else:
                self.orgs_complete = False
            return
        if value in self.parties:
            other_kind, other_path, other_line = self.parties[value]
            where = f" on line {other_line}" if other_line else ""
            if other_kind == kind:
                self.error(node, f"{path}.id",
                           f"duplicate id {_q(value)} (already used by {other_path}{where})")
            else:
                self.error(
                    node, f"{path}.id",
                    f"id {_q(value)} is already used by {other_path}{where}; "
                    "people and organizations share one id space",
                )
            return
        self.parties[value] = (kind, path, node.line)

    def resolve(self) -> None:
        orgs = {k for k, (kind, _, _) in self.parties.items() if kind == "organization"}
        people = {k for k, (kind, _, _) in self.parties.items() if kind == "person"}
        for kind, value, line, path in self.references:
            if kind == "org":
                if value in orgs:
                    continue
                if value in people:
                    self.error(line, path, f"{_q(value)} is a person, not an organization")
                elif self.orgs_complete:
                    self.error(line, path, f"unknown organization {_q(value)}{_suggest(value, orgs)}")
            elif kind == "party":
                if value in orgs or value in people:
                    continue
                if self.orgs_complete and self.people_complete:
                    self.error(
                        line, path,
                        f"unknown person or organization {_q(value)}{_suggest(value, orgs | people)}",
                    )
            elif kind == "source":
                entry = self.sources.get(str(value))
                if entry is not None and entry[0] == value:
                    continue
                if entry is not None:
                    real = entry[0]
                    self.error(
                        line, path,
                        f"unknown source {_show_id(value)}; the source's id is {_show_id(real)} "
                        f"({'without' if isinstance(real, int) else 'with'} quotes)",
                    )
                elif self.sources_complete:
                    self.error(line, path, f"unknown source {_show_id(value)}")

    # -- the event ---------------------------------------------------------

    def event(self, root: _Node) -> m.Event | None:
        if self.bad(root, ""):
            return None
        if root.kind != "map":
            self.error(root, "", f"expected a mapping at the top level, got {_describe(root)}")
            return None
        fmt = _field(root, "format")
        if fmt is not None and not self.bad(fmt, "format"):
            if not (fmt.kind == "scalar" and fmt.tag == "int" and fmt.value in SUPPORTED_FORMATS):
                if fmt.is_str():
                    shown = f"'{fmt.raw}'"
                elif fmt.kind == "scalar" and fmt.tag != "null":
                    shown = fmt.raw
                else:
                    shown = f"({_describe(fmt)})"
                supported = ", ".join(str(f) for f in SUPPORTED_FORMATS)
                self.error(fmt, "format", f"unsupported format {shown}; supported formats: {supported}")
                return None  # another format has other rules: checking on would only mislead
        get = self.mapping(root, "", _TOP_REQUIRED, _TOP_OPTIONAL)
        assert get is not None
        event_id = get("id", self.slug)
        source_language = get("source_language", self.language)
        title = get("title", self.text)
        subtitle = get("subtitle", self.text)
        summary = get("summary", self.text)
        keywords = get("keywords", self.text_list)
        # people and organizations first (ids), then the event (its timezone
        # is needed for the datetimes of sources), then everything else
        organizations = get("organizations", self.list_of(self.organization, self._orgs_broken), ())
        people = get("people", self.list_of(self.person, self._people_broken), ())
        info = get("event", self.event_info)
        sections = get("sections", self.list_of(self.section, unique="section", minimum=1))
        figures = get("figures", self.list_of(self.figure, unique="figure"), ())
        sources = get("sources", self.list_of(self.source, self._sources_broken), ())
        briefing = get("briefing", self.briefing)
        summary_refs = get("summary_refs", self.refs_to("source"), ())
        self.resolve()
        if self.problems:
            return None
        return m.Event(
            format=get.nodes["format"].value,
            id=event_id,
            source_language=source_language,
            title=title,
            event=info,
            summary=summary,
            sections=sections,
            subtitle=subtitle,
            organizations=organizations,
            people=people,
            summary_refs=summary_refs,
            keywords=keywords,
            figures=figures,
            sources=sources,
            briefing=briefing,
        )

    def _orgs_broken(self) -> None:
        self.orgs_complete = False

    def _people_broken(self) -> None:
        self.people_complete = False

    def _sources_broken(self) -> None:
        self.sources_complete = False

    def items(self, node: _Node, path: str, read: Any, *, unique: str | None = None,
              on_broken: Any = None, minimum: int = 0, noun: str = "item") -> tuple[Any, ...] | None:
        """A list of mappings, each read by ``read(node, path)``; ids unique if asked."""
        items = self.sequence(node, path)
        if items is None:
            if on_broken:
                on_broken()
            return None
        if len(items) < minimum:
            self.error(node, path, f"expected at least {minimum} {noun}, got none")
            return None
        result = []
        seen: dict[str, tuple[str, int | None]] = {}
        for i, item in enumerate(items):
            item_path = f"{path}[{i}]"
            if item.kind != "map":
                if not self.bad(item, item_path):
                    self.wrong_type(item, item_path, "a mapping")
                if on_broken:
                    on_broken()
                result.append(None)
                continue
            if unique:  # checked on the id as written, whatever else is wrong with the item
                id_node = _field(item, "id")
                ident = _raw_id(id_node) if id_node is not None else None
                if ident is not None and ident in seen:
                    other, line = seen[ident]
                    where = f" on line {line}" if line else ""
                    self.error(id_node, f"{item_path}.id",
                               f"duplicate {unique} id '{ident}' (already used by {other}{where})")
                elif ident is not None:
                    seen[ident] = (item_path, id_node.line if id_node else None)
            result.append(read(item, item_path))
        if any(v is None for v in result):
            return None
        return tuple(result)

    def list_of(self, read: Any, on_broken: Any = None, *, unique: str | None = None,
                minimum: int = 0, noun: str | None = None) -> Any:
        """A reader for a list of mappings, for ``_Fields.__call__``."""
        noun = noun or unique or "item"
        return lambda node, path: self.items(
            node, path, read, unique=unique, on_broken=on_broken, minimum=minimum, noun=noun
        )

    def refs_to(self, kind: str) -> Any:
        """A reader for a list of references ("source" or "org"), for ``_Fields.__call__``."""
        return lambda node, path: self.id_list(node, path, kind)

    # Each reader below gets a mapping node and its path and returns the model
    # object, or None when it reported a problem.

    def organization(self, node: _Node, path: str) -> m.Organization | None:
        get = self.mapping(node, path, ("id", "name"), ("short_name", "country", "url"))
        if get is None:
            return None
        ident = get("id", self.slug)
        self.register_party(get.nodes.get("id"), ident, "organization", path)
        org = m.Organization(
            id=ident,
            name=get("name", self.text),
            short_name=get("short_name", self.text),
            country=get("country", self.country),
            url=get("url", self.url),
        )
        return org if get.ok else None

    def person(self, node: _Node, path: str) -> m.Person | None:
        get = self.mapping(node, path, ("id", "name"), ("role", "organization", "country"))
        if get is None:
            return None
        ident = get("id", self.slug)
        self.register_party(get.nodes.get("id"), ident, "person", path)
        person = m.Person(
            id=ident,
            name=get("name", self.text),
            role=get("role", self.text),
            organization=get("organization", self.reference_to("org")),
            country=get("country", self.country),
        )
        return person if get.ok else None

    def reference_to(self, kind: str) -> Any:
        """A reader for one person/organization reference, for ``_Fields.__call__``."""
        return lambda node, path: self.party_id(node, path, kind)

    def event_info(self, node: _Node, path: str) -> m.EventInfo | None:
        get = self.mapping(node, path, ("name", "start"), (
            "part_of", "end", "timezone", "venue", "city", "country", "organizers", "supporters",
        ))
        if get is None:
            return None
        self.timezone_state = "absent"
        timezone = get("timezone", self.timezone_name)
        if "timezone" in get:
            self.timezone_state = "ok" if timezone is not None else "bad"
        start = get("start", self.moment)
        end = get("end", self.moment)
        if start is not None and end is not None and _before(end, start):
            self.error(get.nodes["end"], f"{path}.end",
                       f"the end ({end.isoformat()}) is before the start ({start.isoformat()})")
            get.ok, end = False, None
        info = m.EventInfo(
            name=get("name", self.text),
            start=start,
            part_of=get("part_of", self.text),
            end=end,
            timezone=timezone,
            venue=get("venue", self.text),
            city=get("city", self.text),
            country=get("country", self.country),
            organizers=get("organizers", self.refs_to("org"), ()),
            supporters=get("supporters", self.refs_to("org"), ()),
        )
        return info if get.ok else None

    def timezone_name(self, node: _Node, path: str) -> str | None:
        name = self.string(node, path, "an IANA time zone name")
        if name is None:
            return None
        try:
            if not re.fullmatch(r"[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+)*", name):
                raise ValueError(name)
            zone = zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            self.error(node, path, f"unknown time zone {_q(name)}; expected an IANA name such as "
                                   "'Asia/Shanghai' or 'Europe/Oslo'")
            return None
        self.timezone = zone
        return name

    def section(self, node: _Node, path: str) -> m.Section | None:
        get = self.mapping(node, path, ("id", "heading", "points"))
        if get is None:
            return None
        section = m.Section(
            id=get("id", self.slug),
            heading=get("heading", self.text),
            points=get("points", self.list_of(self.point, minimum=1, noun="point")),
        )
        return section if get.ok else None

    def point(self, node: _Node, path: str) -> m.Point | None:
        get = self.mapping(node, path, ("text",), ("speaker", "refs"))
        if get is None:
            return None
        point = m.Point(
            text=get("text", self.text),
            speaker=get("speaker", self.reference_to("party")),
            refs=get("refs", self.refs_to("source"), ()),
        )
        return point if get.ok else None

    def figure(self, node: _Node, path: str) -> m.Figure | None:
        get = self.mapping(node, path, ("id", "value", "label"),
                           ("unit", "comparator", "year", "speaker", "refs"))
        if get is None:
            return None
        figure = m.Figure(
            id=get("id", self.slug),
            value=get("value", self.number),
            label=get("label", self.text),
            unit=get("unit", self.unit),
            comparator=get("comparator", lambda n, p: self.choice(n, p, COMPARATORS, "comparator")),
            year=get("year", lambda n, p: self.integer(n, p, 1, 9999)),
            speaker=get("speaker", self.reference_to("party")),
            refs=get("refs", self.refs_to("source"), ()),
        )
        return figure if get.ok else None

    def unit(self, node: _Node, path: str) -> m.Unit | None:
        if node.kind == "map":
            text = self.text(node, path)
            return None if text is None else m.Unit("text", text=text)
        value = self.string(node, path, "a unit")
        if value is None:
            return None
        if value in FIXED_UNITS:
            return m.Unit(value)  # type: ignore[arg-type]
        if value in _currencies():
            return m.Unit("currency", currency=value)
        if re.fullmatch(r"[A-Z]{3}", value):
            self.error(node, path, f"unknown currency code {_q(value)}; expected an ISO 4217 code "
                                   "such as CNY or USD")
            return None
        if value.lower() in FIXED_UNITS:
            self.error(node, path, f"unknown unit {_q(value)}; write '{value.lower()}'")
            return None
        if value.upper() in _currencies() and len(value) == 3:
            self.error(node, path, f"unknown unit {_q(value)}; currency codes are upper case: "
                                   f"'{value.upper()}'")
            return None
        if value == "%":
            self.error(node, path, "write the unit '%' as 'percent'")
            return None
        return m.Unit("text", text=m.Text((), value, path))

    def source(self, node: _Node, path: str) -> m.Source | None:
        get = self.mapping(node, path, ("id", "publisher"), ("title", "url", "published", "locator"))
        if get is None:
            return None
        ident = get("id", self.source_id)
        if ident is None:
            self.sources_complete = False
        elif str(ident) in self.sources:
            _, other, line = self.sources[str(ident)]
            where = f" on line {line}" if line else ""
            self.error(get.nodes["id"], f"{path}.id",
                       f"duplicate source id {_show_id(ident)} (already used by {other}{where})")
            get.ok = False
        else:
            self.sources[str(ident)] = (ident, path, get.nodes["id"].line)
        source = m.Source(
            id=ident,
            publisher=get("publisher", self.text),
            title=get("title", self.text),
            url=get("url", self.url),
            published=get("published", self.moment),
            locator=get("locator", self.text),
        )
        return source if get.ok else None

    def source_id(self, node: _Node, path: str) -> m.SourceId | None:
        if self.bad(node, path):
            return None
        if node.kind == "scalar" and node.tag == "int":
            if node.value < 0:
                self.error(node, path, f"{node.value} is out of range; a numeric source id is at least 0")
                return None
            return node.value
        if node.is_str():
            return self.slug(node, path, "a source id")
        self.wrong_type(node, path, "a source id (an integer, or a string such as 'xinhua-1')")
        return None

    def briefing(self, node: _Node, path: str) -> m.Briefing | None:
        get = self.mapping(node, path, ("issuer",), (
            "number", "date", "classification", "prepared_by", "report_to", "copy_to",
        ))
        if get is None:
            return None
        briefing = m.Briefing(
            issuer=get("issuer", self.text),
            number=get("number", lambda n, p: self.integer(n, p, 1)),
            date=get("date", lambda n, p: self.moment(n, p, date_only=True)),
            classification=get("classification", self.text),
            prepared_by=get("prepared_by", self.text),
            report_to=get("report_to", self.text_items, ()),
            copy_to=get("copy_to", self.text_items, ()),
        )
        return briefing if get.ok else None

    def text_items(self, node: _Node, path: str) -> tuple[m.Text, ...] | None:
        items = self.sequence(node, path, "a list of texts")
        if items is None:
            return None
        texts = [self.text(item, f"{path}[{i}]") for i, item in enumerate(items)]
        return None if any(t is None for t in texts) else tuple(texts)  # type: ignore[misc]


class _Fields:
    """The known keys of one mapping, read one at a time.

    ``get("name", reader)`` runs ``reader(node, path)`` on the key's value (or
    returns ``default`` when the key is absent); ``ok`` stays True only while
    every required key is present and every reader returned a value.
    """

    def __init__(self, nodes: dict[str, _Node], path: str, *, ok: bool) -> None:
        self.nodes = nodes
        self.path = path
        self.ok = ok

    def __contains__(self, key: str) -> bool:
        return key in self.nodes

    def __call__(self, key: str, read: Any, default: Any = None) -> Any:
        node = self.nodes.get(key)
        if node is None:
            return default
        value = read(node, _join(self.path, key))
        if value is None:
            self.ok = False
        return value


def _field(node: _Node, name: str) -> _Node | None:
    for key, value in node.value:
        if key.kind == "scalar" and key.raw == name:
            return value
    return None


def _raw_id(node: _Node) -> str | None:
    """The id as written, even when it is not a valid slug (so references still resolve)."""
    if node.is_str() and node.value.strip():
        return node.value.strip()
    return None
