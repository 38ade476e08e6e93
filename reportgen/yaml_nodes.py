"""Event-file text → a graph of ``Node`` (kind, value, 1-based line), YAML 1.2 or JSON.

Why not a YAML library's own loader: reportgen needs the line of every value,
its own refusals (unknown tags, merge keys, recursive aliases, alias bombs,
absurd nesting) before anything large is built, and YAML 1.2 scalars
(``NO`` is a string, ``1e15`` a number). So the text is read as a stream of
parse events by libyaml (PyYAML's C parser: fast, and a state machine, so no
nesting depth can exhaust the C stack) and the nodes are built here, from
those events, with an explicit stack: nesting deeper than ``MAX_DEPTH`` is
refused at the event that opens it, and values are counted as aliases expand
them, so a "billion laughs" file is refused without being expanded.

libyaml is a YAML 1.1 parser; where 1.1 and 1.2 differ this module follows
1.2: plain scalars are resolved here (the rules ruamel.yaml applies to YAML
1.2, which reportgen used before: ``true``/``false`` only, ``0o17``, ``.inf``,
``~``, ``null``, ISO dates), and NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR
are ordinary characters, not line breaks (see ``_Shield``).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

__all__ = ["MAX_DEPTH", "MAX_VALUES", "JsonObject", "Node", "Refused", "compose", "quote"]

MAX_VALUES = 200_000  # values after alias expansion (an alias bomb expands to billions)
MAX_DEPTH = 64  # nesting levels; a valid event needs about eight

_STD = "tag:yaml.org,2002:"
_DEEP = f"the file is nested more than {MAX_DEPTH} levels deep"


class Refused(Exception):
    """The file cannot be read at all: one problem, nothing else is checked."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class JsonObject(list):
    """A JSON object as its (key, value) pairs, duplicates kept."""


class Node:
    """One value of the file.

    kind "map": value is a list of (key node, value node) in file order;
    kind "seq": value is a list of nodes;
    kind "scalar": tag is one of str/int/float/bool/null/timestamp, value the
      Python value (the source text for a timestamp), raw the source text;
    kind "bad": unusable (an unsupported tag, a merge key…); value is the
      message, reported with its path by the walker when it reaches the node.
    """

    __slots__ = ("kind", "line", "raw", "tag", "value")

    def __init__(
        self, kind: str, value: Any, line: int | None, tag: str = "", raw: str = ""
    ) -> None:
        self.kind = kind
        self.value = value
        self.line = line
        self.tag = tag
        self.raw = raw

    def is_str(self) -> bool:
        return self.kind == "scalar" and self.tag == "str"


def quote(value: object, limit: int = 60) -> str:
    """A value quoted for a message, shortened when long."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def compose(text: str, *, json_mode: bool, json_value: Any = None) -> tuple[Node, list[Node]]:
    """(root node, its unusable "bad" nodes); raises ``Refused``.

    ``json_value`` is the text already read by ``json.loads`` (with
    ``JsonObject`` pairs) in JSON mode: valid JSON that libyaml cannot read
    keeps its values, without lines.
    """
    CParser, YAMLError = _libyaml()
    shield = _Shield(text)
    builder = _Builder(text, shield, json_mode=json_mode)
    try:
        node, size, height = builder.run(CParser(shield.text))
    except YAMLError as exc:
        if not json_mode:
            raise _syntax_error(exc, text) from None
        node, size, height = _from_json(json_value, 1)
        builder.bad_nodes = []
    if size > MAX_VALUES:
        raise Refused(
            f"the file expands to more than {MAX_VALUES:,} values through aliases; "
            "refusing to load it"
        )
    if height > MAX_DEPTH:
        raise Refused(_DEEP)
    return node, builder.bad_nodes


def _libyaml() -> tuple[Any, type[Exception]]:
    """PyYAML's libyaml parser and its error base, imported on first use."""
    from reportgen.deferred_imports import PYYAML_UNUSED, import_deferring

    import_deferring("yaml", PYYAML_UNUSED)
    from yaml import YAMLError
    from yaml._yaml import CParser

    return CParser, YAMLError


# --------------------------------------------------------------------------
# characters libyaml would read as YAML 1.1 does


class _Shield:
    """Same-length stand-ins for what libyaml reads differently from YAML 1.2, put back afterwards.

    NEL, LS and PS (U+0085, U+2028, U+2029) are line breaks in YAML 1.1 and
    ordinary characters in 1.2; ``\\uD800``-style escapes (lone surrogates,
    which JSON allows and libyaml refuses) must reach the walker, which reports
    them with their path. Each becomes a private-use character (or an escape
    of one) that appears nowhere in the file, not even as an escape, and is
    turned back in every scalar. Files without them are not touched.
    """

    _RAW = re.compile("[\x85\u2028\u2029]")
    _SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)([dD][89a-fA-F][0-9a-fA-F]{2})")
    _ESCAPE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))")

    def __init__(self, text: str) -> None:
        self.text = text
        self.back: dict[str, str] = {}
        raw = set(self._RAW.findall(text))
        escapes = {m.group(0) for m in self._SURROGATE_ESCAPE.finditer(text)}
        if not raw and not escapes:
            return
        taken = set(text) | {
            chr(int(next(g for g in m.groups() if g), 16))
            for m in self._ESCAPE.finditer(text)
            if int(next(g for g in m.groups() if g), 16) <= 0x10FFFF
        }
        spare = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in taken)
        for ch in sorted(raw):
            stand_in = next(spare)
            self.text = self.text.replace(ch, stand_in)
            self.back[stand_in] = ch
        for escape in sorted(escapes):
            stand_in = next(spare)
            prefix = escape[: len(escape) - 4]  # \u or \U0000: the same length
            replacement = f"{prefix}{ord(stand_in):04X}"
            self.text = self.text.replace(escape, replacement)
            self.back[stand_in] = chr(int(escape[-4:], 16))
            self.back[replacement] = escape  # an escaped backslash before it: literal text

    def restore(self, value: str) -> str:
        for stand_in, original in self.back.items():
            if stand_in in value:
                value = value.replace(stand_in, original)
        return value


# --------------------------------------------------------------------------
# events → nodes


class _Open:
    """A mapping or sequence whose events are still coming."""

    __slots__ = ("anchor", "bad", "bad_nodes", "height", "items", "key", "kind", "line", "size", "skip")

    def __init__(self, kind: str, line: int, anchor: str | None, bad: str | None, bad_nodes: int) -> None:
        self.kind = kind
        self.items: list[Any] = []
        self.line = line
        self.anchor = anchor
        self.bad = bad  # a message: the collection is unusable, its content is read and dropped
        self.size = 1
        self.height = 0
        self.key: tuple[Node, int, int] | None = None  # a mapping's key awaiting its value
        self.skip = 0  # after a merge key: 1 + the count of bad nodes before its value (dropped)
        self.bad_nodes = bad_nodes  # the count of bad nodes before this collection


_OPEN = object()  # an anchor whose collection is still open


class _Builder:
    """libyaml events → ``Node`` graph, counting values as aliases expand them."""

    def __init__(self, text: str, shield: _Shield, *, json_mode: bool) -> None:
        self.text = text
        self.shield = shield
        self.json_mode = json_mode
        self.anchors: dict[str, Any] = {}
        self.bad_nodes: list[Node] = []
        self.merge_keys: set[int] = set()  # ids of scalars tagged as merge keys ('<<')

    def bad(self, line: int, message: str) -> tuple[Node, int, int]:
        node = Node("bad", message, line)
        self.bad_nodes.append(node)
        return node, 1, 1

    def run(self, parser: Any) -> tuple[Node, int, int]:
        from yaml.composer import ComposerError
        from yaml.events import (
            AliasEvent,
            DocumentStartEvent,
            MappingStartEvent,
            ScalarEvent,
            SequenceStartEvent,
            StreamEndEvent,
        )

        stack: list[_Open] = []
        root: tuple[Node, int, int] | None = None
        get_event = parser.get_event
        event = get_event()  # stream start
        event = get_event()
        if isinstance(event, StreamEndEvent):
            raise Refused("the file holds only comments; expected an event mapping (format: 1, id: …)")
        assert isinstance(event, DocumentStartEvent)
        while root is None:
            event = get_event()
            line = event.start_mark.line + 1
            if isinstance(event, ScalarEvent):
                if len(stack) >= MAX_DEPTH:
                    raise Refused(_DEEP, line)
                done = self.scalar(event, line)
                if event.anchor is not None:
                    self.anchors[event.anchor] = done
            elif isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise Refused(_DEEP, line)
                kind = "map" if isinstance(event, MappingStartEvent) else "seq"
                tag = event.tag
                bad = None
                if tag is not None and tag != "!" and tag != _STD + kind:
                    bad = f"unsupported YAML tag {quote(tag)}"
                stack.append(_Open(kind, line, event.anchor, bad, len(self.bad_nodes)))
                if event.anchor is not None:
                    self.anchors[event.anchor] = _OPEN
                continue
            elif isinstance(event, AliasEvent):
                target = self.anchors.get(event.anchor)
                if target is None:
                    raise ComposerError(None, None, f"found undefined alias {event.anchor!r}", event.start_mark)
                if target is _OPEN:
                    holder = next(f for f in reversed(stack) if f.anchor == event.anchor)
                    raise Refused(
                        "an alias refers to a value that contains it (recursive alias)", holder.line
                    )
                done = target
            else:  # the end of the innermost collection
                frame = stack.pop()
                if frame.bad is not None:  # what is inside an unusable collection is not reported
                    del self.bad_nodes[frame.bad_nodes :]
                    done = self.bad(frame.line, frame.bad)
                else:
                    done = (Node(frame.kind, frame.items, frame.line), frame.size, frame.height + 1)
                if frame.anchor is not None and self.anchors.get(frame.anchor) is _OPEN:  # not redefined inside
                    self.anchors[frame.anchor] = done
            if not stack:
                root = done
            else:
                self.add(stack[-1], done, event)
        event = get_event()  # document end
        event = get_event()
        if isinstance(event, DocumentStartEvent):
            raise ComposerError(
                "expected a single document in the stream", _Mark(root[0].line),
                "but found another document", event.start_mark,
            )
        return root

    def add(self, frame: _Open, done: tuple[Node, int, int], event: Any) -> None:
        node, size, height = done
        if frame.skip:  # the merge key's value, and anything wrong inside it
            del self.bad_nodes[frame.skip - 1 :]
            frame.skip = 0
            return
        if frame.kind == "seq":
            frame.items.append(node)
            frame.size = min(frame.size + size, MAX_VALUES + 1)
            frame.height = max(frame.height, height)
            return
        if frame.key is None:
            if id(node) in self.merge_keys and not self.json_mode:
                message = "merge keys ('<<') are not supported in event files; write the keys out"
                knode = self.bad(node.line, message)[0]
                frame.items.append((knode, Node("scalar", None, knode.line, "null", "")))
                frame.skip = 1 + len(self.bad_nodes)
                return
            frame.key = done
            return
        knode, ksize, kheight = frame.key
        frame.key = None
        if node.kind == "scalar" and node.tag == "null" and node.raw == "":
            # an empty value's mark points at the next token: use the key's line
            node = Node("scalar", None, knode.line, "null", "")
        frame.items.append((knode, node))
        frame.size = min(frame.size + ksize + size, MAX_VALUES + 1)
        frame.height = max(frame.height, kheight, height)

    def scalar(self, event: Any, line: int) -> tuple[Node, int, int]:
        raw = event.value
        if self.shield.back:
            raw = self.shield.restore(raw)
        if self.json_mode:
            return self.json_scalar(event, raw, line), 1, 1
        tag = event.tag
        if tag is None or tag == "!":
            tag = _resolve(raw) if event.implicit[0] else _STD + "str"
        kind = tag[len(_STD):] if tag.startswith(_STD) else None
        if kind == "merge":  # a string, refused by add() as a mapping's key
            node = Node("scalar", raw, line, "str", raw)
            self.merge_keys.add(id(node))
            return node, 1, 1
        if tag == "!" or kind in ("str", "value"):
            return Node("scalar", raw, line, "str", raw), 1, 1
        if kind == "null":
            return Node("scalar", None, line, "null", raw), 1, 1
        if kind == "bool":
            if raw.lower() in ("true", "false"):
                return Node("scalar", raw.lower() == "true", line, "bool", raw), 1, 1
            return self.bad(line, f"{quote(raw)} is not true or false")
        if kind == "int":
            value = _yaml_int(raw)
            if value is None:
                return self.bad(line, f"{quote(raw)} is not an integer")
            return Node("scalar", value, line, "int", raw), 1, 1
        if kind == "float":
            fvalue = _yaml_float(raw)
            if fvalue is None:
                return self.bad(line, f"{quote(raw)} is not a number")
            return Node("scalar", fvalue, line, "float", raw), 1, 1
        if kind == "timestamp":
            return Node("scalar", raw, line, "timestamp", raw), 1, 1
        return self.bad(line, f"unsupported YAML tag {quote(tag)}")

    def json_scalar(self, event: Any, raw: str, line: int) -> Node:
        if event.style == '"':
            source = self.text[event.start_mark.index : event.end_mark.index]
            try:  # JSON's own escapes (surrogate pairs!), not YAML's
                value = json.loads(source)
            except ValueError:
                value = raw
            return Node("scalar", value, line, "str", value)
        if not event.style:
            if raw in ("true", "false"):
                return Node("scalar", raw == "true", line, "bool", raw)
            if raw == "null":
                return Node("scalar", None, line, "null", raw)
            number = _JSON_NUMBER.match(raw)
            if number:
                value = float(raw) if number.group(1) or number.group(2) else int(raw)
                return Node("scalar", value, line, "float" if isinstance(value, float) else "int", raw)
        return self.bad(line, f"{quote(raw)} is not a JSON value")[0]


class _Mark:
    """A stand-in for a parser mark, for errors raised here."""

    def __init__(self, line: int | None) -> None:
        self.line = (line or 1) - 1


def _from_json(value: Any, depth: int) -> tuple[Node, int, int]:
    """Fallback for JSON that libyaml cannot read: values without lines."""
    if depth > MAX_DEPTH:
        raise Refused(_DEEP)
    if isinstance(value, JsonObject):
        pairs, size, height = [], 1, 0
        for k, v in value:
            knode = Node("scalar", k, None, "str", k)
            vnode, n, h = _from_json(v, depth + 1)
            pairs.append((knode, vnode))
            size, height = size + n + 1, max(height, h)
        return Node("map", pairs, None), size, height + 1
    if isinstance(value, list):
        items, size, height = [], 1, 0
        for v in value:
            node, n, h = _from_json(v, depth + 1)
            items.append(node)
            size, height = size + n, max(height, h)
        return Node("seq", items, None), size, height + 1
    if isinstance(value, bool):
        return Node("scalar", value, None, "bool", json.dumps(value)), 1, 1
    if value is None:
        return Node("scalar", None, None, "null", "null"), 1, 1
    if isinstance(value, int):
        return Node("scalar", value, None, "int", str(value)), 1, 1
    if isinstance(value, float):
        return Node("scalar", value, None, "float", repr(value)), 1, 1
    return Node("scalar", value, None, "str", value), 1, 1


# --------------------------------------------------------------------------
# syntax errors


_INDICATORS = frozenset("[]{},:-?!&*|>'\"%@`#")


def _syntax_error(exc: Any, text: str) -> Refused:
    from yaml.error import MarkedYAMLError
    from yaml.reader import ReaderError

    if isinstance(exc, ReaderError):
        # libyaml counts the position in bytes of the UTF-8 text
        position = exc.position if isinstance(exc.position, int) else None
        line = None
        if position is not None:
            line = text.encode("utf-8", "surrogatepass")[:position].count(b"\n") + 1
        char = exc.character
        if isinstance(char, int):
            return Refused(
                f"contains U+{char:04X}, which YAML does not allow unescaped "
                '(write it as an escape in a "double-quoted" string, or remove it)',
                line,
            )
        return Refused(f"YAML syntax error: {exc.reason}", line)
    if isinstance(exc, MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        if exc.problem == "exceeded maximum nesting depth":  # libyaml's own limit (1000 levels)
            return Refused(_DEEP, line)
        message = _wording(str(exc.problem or exc.context or "unreadable YAML"), text, exc.problem_mark)
        if exc.problem and exc.context:
            message = f"{message} ({exc.context}"
            if exc.context_mark is not None:
                message += f" started on line {exc.context_mark.line + 1}"
            message += ")"
        return Refused(f"YAML syntax error: {message}", line)
    return Refused(f"YAML syntax error: {exc}")


def _wording(problem: str, text: str, mark: Any) -> str:
    """libyaml's "did not find expected ',' or ']'" as "expected ',' or ']', but got '}'", and the like."""
    index = getattr(mark, "index", None)
    found = text[index] if isinstance(index, int) and index < len(text) else None
    if problem == "found character that cannot start any token" and found is not None:
        return f"found character {found!r} that cannot start any token"
    if not problem.startswith("did not find expected "):
        return problem
    expected = problem.removeprefix("did not find expected ")
    if found is not None and found in _INDICATORS:
        return f"expected {expected}, but got '{found}'"
    return f"expected {expected}"


# --------------------------------------------------------------------------
# YAML 1.2 plain scalars: the rules ruamel.yaml applies to YAML 1.2 (used before)


_IMPLICIT = (
    ("bool", re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z"), "tTfF"),
    ("float", re.compile(
        r"(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
        r"|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)"
        r"|\.(?:nan|NaN|NAN))\Z"
    ), "-+0123456789."),
    ("int", re.compile(
        r"(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)\Z"
    ), "-+0123456789"),
    ("merge", re.compile(r"<<\Z"), "<"),
    ("null", re.compile(r"(?:~|null|Null|NULL|)\Z"), "~nN"),
    ("timestamp", re.compile(
        r"(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
        r"|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?"
        r"(?:[Tt]|[ \t]+)[0-9][0-9]?"
        r":[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?"
        r"(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)\Z"
    ), "0123456789"),
    ("value", re.compile(r"=\Z"), "="),
)


def _resolve(raw: str) -> str:
    """The tag of an untagged plain scalar."""
    if not raw:
        return _STD + "null"
    first = raw[0]
    for kind, pattern, starts in _IMPLICIT:
        if first in starts and pattern.match(raw):
            return _STD + kind
    return _STD + "str"


_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?\Z")


def _yaml_int(raw: str) -> int | None:
    s = raw.replace("_", "")
    sign = -1 if s.startswith("-") else 1
    s = s.lstrip("+-")
    try:
        if s[:2] in ("0b", "0B"):
            return sign * int(s[2:], 2)
        if s[:2] in ("0x", "0X"):
            return sign * int(s[2:], 16)
        if s[:2] in ("0o", "0O"):
            return sign * int(s[2:], 8)
        return sign * int(s, 10)
    except ValueError:
        return None


def _yaml_float(raw: str) -> float | None:
    s = raw.replace("_", "").lower()
    sign = -1.0 if s.startswith("-") else 1.0
    body = s.lstrip("+-")
    if body == ".inf":
        return sign * math.inf
    if body == ".nan":
        return math.nan
    try:
        return float(s)
    except ValueError:
        return None
