"""Event + language → document tree, through a Jinja2 template and Babel.

A template renders a small XML vocabulary with autoescaping on, so ``<`` or
``&`` in event text can never change the structure; ``doctree_from_xml`` then
parses that XML into doctree nodes and rejects anything outside the vocabulary:

    document  → header? footer? body
    body      → title | heading[level, anchor] | para[role, anchor] | list | figures | table
                | rule[color=text|accent, weight=thin|thick] | split[role] → left right
    list      → para*            figures → figure*     figure → value label note
    table     → row[header]*     row → cell*
    inline    → span[lang, path, note] | strong | em | link[href] | cite[target, label]
                | page-number | page-count

Whitespace between block elements is ignored; inside an inline container every
character is text.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, partial
from typing import TYPE_CHECKING, Any, get_args

import markupsafe
from markupsafe import Markup, escape

from reportgen import doctree as dt
from reportgen import templates as tpl
from reportgen.errors import TemplateError
from reportgen.l10n import Localizer, localizer
from reportgen.model import Event, EventInfo, Organization, Person, SourceId, Text, TextList

if TYPE_CHECKING:
    from jinja2 import Environment

DEFAULT_TEMPLATE = "briefing"

# Text and attribute values written into the template's XML: markupsafe's escaping in C where it has it (3.x:
# one call, a str back, a text with nothing to escape returned as it is) rather than html.escape's five
# replaces; which entities stand for a character does not matter once the XML is read.
_escape_xml: Callable[[str], str] = getattr(markupsafe, "_escape_inner", None) or (lambda text: str(escape(text)))
# Markup(s) of a plain str, as Markup.__new__ makes it (a str has no __html__), without its Python frame
_markup_of_str: Callable[[str], Markup] = partial(str.__new__, Markup)


@dataclass(frozen=True, slots=True)
class Gap:
    """A text shown in another language because the wanted one is missing."""

    path: str
    wanted: str
    used: str

    def __str__(self) -> str:
        return f"{self.path}: no {self.wanted} text, used {self.used}"


@dataclass(frozen=True, slots=True)
class Composition:
    """A composed document and the translation gaps met while composing it."""

    document: dt.Document
    gaps: tuple[Gap, ...]


def compose(event: Event, lang: str, template: str = DEFAULT_TEMPLATE) -> Composition:
    """Localize ``event`` into ``lang`` and build its document tree.

    ``template``: a shipped template's name or a template directory (see reportgen.templates).
    """
    l10n = localizer(lang)
    spec = tpl.load(template)
    helpers = _Helpers(event, l10n)
    try:
        jinja_template = _environment(lang, spec).get_template(spec.entry)
        xml = jinja_template.render(ev=event, l10n=l10n, **helpers.functions())
    except Exception as exc:  # a template bug: name the template file and line
        from jinja2 import TemplateError as JinjaError

        if isinstance(exc, JinjaError):
            raise TemplateError(tpl.describe_error(exc, spec)) from exc
        raise
    try:
        body, header, footer = doctree_from_xml(xml, spec.file(spec.entry))
    except TemplateError as exc:  # an element outside the vocabulary: where the template writes it
        tag = getattr(exc, "element", None)
        found = tpl.locate_element(spec, tag) if tag else None
        if found is None:
            raise
        raise TemplateError(f"template {found[0]}:{found[1]}: {exc.args[0].partition(': ')[2]}") from exc
    metadata = dt.Metadata(
        lang=l10n.document_tag,
        title=helpers.plain(event.title),
        subject=helpers.plain(event.event.name),
        keywords=tuple(helpers.keyword_list(event.keywords)) if event.keywords else (),
        author=helpers.plain(event.briefing.issuer) if event.briefing else "",
        created=_created(event),
    )
    document = dt.Document(metadata=metadata, blocks=body, header=header, footer=footer, page=spec.page)
    gaps = sorted(helpers.gaps.values(), key=lambda gap: _natural_key(gap.path))
    return Composition(document=document, gaps=tuple(gaps))


def compose_languages(
    event: Event, langs: tuple[str, ...], template: str = DEFAULT_TEMPLATE, layout: str = "interleaved"
) -> Composition:
    """One document in one language, or a bilingual one (``langs`` = primary, second)."""
    from reportgen.bilingual import merge

    parts = [compose(event, lang, template) for lang in langs]
    if len(parts) == 1:
        return parts[0]
    document = merge(parts[0].document, parts[1].document, layout)  # type: ignore[arg-type]
    return Composition(document=document, gaps=parts[0].gaps + parts[1].gaps)


def _natural_key(path: str) -> list[tuple[int, str]]:
    """Sort ``people[10]`` after ``people[2]``."""
    return [(int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"\[(\d+)\]", path)]


def _created(event: Event) -> str:
    if event.briefing and event.briefing.date:
        return event.briefing.date.isoformat()
    start = event.event.start
    return (start.date() if isinstance(start, datetime.datetime) else start).isoformat()


# ------------------------------------------------------------------ Jinja environment


@cache
def _environment(lang: str, template: tpl.Template) -> Environment:
    """One environment per (language, template), kept for the process.

    Every template is confined to its own directory, with its own catalog (if
    any) in front of reportgen's; a user's runs in the sandbox (reportgen.templates).
    """
    return tpl.environment(template, lang)  # type: ignore[no-any-return]


# ------------------------------------------------------------------ template helpers


@dataclass
class _Speaker:
    name: Markup
    role: Markup | None = None
    organization: Markup | None = None


@dataclass
class _Helpers:
    """Functions a template calls; they resolve texts and remember translation gaps."""

    event: Event
    l10n: Localizer
    gaps: dict[str, Gap] = field(default_factory=dict)

    def functions(self) -> dict[str, Callable[..., Any]]:
        return {
            "t": tpl.unbound(self.t),
            "strong": self.strong,
            "markup": Markup,
            "marker": tpl.list_marker,
            "plain": lambda value: Markup(value).striptags(),
            "join": self.join,
            "cites": tpl.unbound(self.cites),
            "speaker": tpl.unbound(self.speaker),
            "org_name": tpl.unbound(self.org_name),
            "org_names": lambda ids: [self.org_name(i) for i in ids],
            "listing": tpl.unbound(self.listing),
            "place": tpl.unbound(self.place),
            "person_country": tpl.unbound(self.person_country),
            "figure_value": tpl.unbound(self.figure_value),
            "source_anchor": tpl.unbound(self.source_anchor),
            "keywords": lambda text_list: self.join(
                self.keyword_list(text_list), self.l10n.pgettext("keyword separator", "; ")
            ),
        }

    # resolving texts

    def _resolve(self, text: Text) -> tuple[str, str | None, bool]:
        resolved = text.resolve(self.l10n.lang, self.event.source_language)
        if resolved.gap and text.path not in self.gaps:
            self.gaps[text.path] = Gap(text.path, self.l10n.lang, resolved.lang or "")
        return resolved

    def plain(self, text: Text) -> str:
        """A text as a plain string in the document language (gaps recorded)."""
        return self._resolve(text)[0]

    def t(self, text: Text | None) -> Markup:
        """A text as a span that knows its path; a gap also carries its language and a note."""
        if text is None:
            return Markup("")
        value, lang, gap = self._resolve(text)
        # written out rather than through Markup's ``%``, which wraps every value (a fifth of composing);
        # _escape_xml returns a str, where markupsafe's escape makes a Markup of each piece
        attributes = f' path="{_escape_xml(text.path)}"'
        if lang is not None and lang.split("-")[0].lower() != self.l10n.language:
            attributes += f' lang="{_escape_xml(lang)}"'
        if gap and lang is not None:
            attributes += f' note="{_escape_xml(self.l10n.gap_note(lang))}"'
        return _markup_of_str(f"<span{attributes}>{_escape_xml(value)}</span>")

    def keyword_list(self, text_list: TextList) -> list[str]:
        by_tag = {tag.lower(): values for tag, values in text_list.translations}
        from reportgen.model import language_chain

        for tag in language_chain(self.l10n.lang):
            if tag.lower() in by_tag:
                return list(by_tag[tag.lower()])
        fallback = next(
            (v for t, v in text_list.translations if t.lower() == self.event.source_language.lower()),
            text_list.translations[0][1],
        )
        if text_list.path not in self.gaps:
            self.gaps[text_list.path] = Gap(text_list.path, self.l10n.lang, "another language")
        return list(fallback)

    # markup building

    @staticmethod
    def strong(value: object) -> Markup:
        # Markup's % would wrap the value in a helper that escapes it: escaped here (markup as it is)
        return _markup_of_str(f"<strong>{value if type(value) is Markup else escape(value)}</strong>")

    @staticmethod
    def join(parts: Iterable[object], separator: str) -> Markup:
        return escape(separator).join(parts)  # Markup's join escapes each part

    def listing(self, items: list[Markup]) -> Markup:
        """A locale-correct conjunction list of markup items (CLDR glue, escaped)."""
        if not items:
            return Markup("")
        keys = [f"\ue000{i}\ue001" for i in range(len(items))]
        glued = self.l10n.list(keys)
        out = Markup("")
        rest = glued
        for key, item in zip(keys, items, strict=True):
            before, _, rest = rest.partition(key)
            out += escape(before) + escape(item)
        return out + escape(rest)

    def pattern(self, message: str, **values: object) -> Markup:
        """A catalog pattern filled with escaped values: the translation is text, not markup."""
        return escape(self.l10n.gettext(message)) % {k: escape(v) for k, v in values.items()}

    # model lookups

    def cites(self, refs: Iterable[SourceId]) -> Markup:
        numbers = map(self.event.source_number, refs)  # whole numbers: nothing to escape
        return _markup_of_str("".join(f'<cite target="source-{n}" label="[{n}]"/>' for n in numbers))

    def source_anchor(self, ref: SourceId) -> str:
        return f"source-{self.event.source_number(ref)}"  # loading guarantees references resolve

    def org_name(self, org_id: str) -> Markup:
        return self.t(self.event.organization(org_id).name)

    def speaker(self, party_id: str) -> _Speaker:
        party = self.event.party(party_id)
        if isinstance(party, Organization):
            return _Speaker(name=self.t(party.name))
        return _Speaker(
            name=self.t(party.name),
            role=self.t(party.role) if party.role else None,
            organization=self.org_name(party.organization) if party.organization else None,
        )

    def person_country(self, person: Person) -> str:
        code = person.country
        if code is None and person.organization:
            code = self.event.organization(person.organization).country
        return self.l10n.country(code) if code else ""

    def place(self, info: EventInfo) -> Markup:
        """Venue, city and country in the language's order: 中国贵阳 / Guiyang, China."""
        venue = self.t(info.venue) if info.venue else None
        city = self.t(info.city) if info.city else None
        country = self.l10n.country(info.country) if info.country else None
        _ = self.pattern
        if venue and city and country:
            return _("%(venue)s, %(city)s, %(country)s", venue=venue, city=city, country=country)
        if venue and city:
            return _("%(venue)s, %(city)s", venue=venue, city=city)
        if city and country:
            return _("%(city)s, %(country)s", city=city, country=country)
        if venue and country:
            return _("%(venue)s, %(country)s", venue=venue, country=country)
        return escape(venue or city or country or "")

    def figure_value(self, figure: Any) -> str:
        unit_text = self.plain(figure.unit.text) if figure.unit and figure.unit.text else None
        return self.l10n.quantity(figure.value, figure.unit, unit_text, figure.comparator)


# ------------------------------------------------------------------ XML → doctree

def doctree_from_xml(
    xml: str, source: str
) -> tuple[tuple[dt.Block, ...], tuple[dt.Inline, ...], tuple[dt.Inline, ...]]:
    """Parse a rendered template into (body blocks, header inlines, footer inlines)."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        line = exc.position[0]
        context = xml.splitlines()[line - 1] if 0 < line <= len(xml.splitlines()) else ""
        raise TemplateError(
            f"template {source} produced malformed XML at output line {line}: {exc}; {context[:120]!r}"
        ) from exc
    parser = _TreeParser(source)
    if root.tag != "document":
        parser.fail(root, "document", "the root element must be <document>")
    header: tuple[dt.Inline, ...] = ()
    footer: tuple[dt.Inline, ...] = ()
    body: tuple[dt.Block, ...] = ()
    for child in parser.children(root, "document"):
        where = f"document/{child.tag}"
        if child.tag == "header":
            header = parser.inlines(child, where)
        elif child.tag == "footer":
            footer = parser.inlines(child, where)
        elif child.tag == "body":
            body = tuple(parser.block(c, f"{where}/{c.tag}") for c in parser.children(child, where))
        else:
            parser.fail(child, where, "expected <header>, <footer> or <body>")
    return body, header, footer


class _TreeParser:
    """Turns the vocabulary's elements into nodes; anything unknown is a template error."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, element: ET.Element, where: str, why: str) -> None:
        error = TemplateError(f"template {self.source}: <{element.tag}> at {where}: {why}")
        error.element = element.tag  # type: ignore[attr-defined]  # compose() finds it in the template
        raise error

    def children(self, element: ET.Element, where: str) -> list[ET.Element]:
        """Child elements of a block container; stray text there is an error."""
        if (element.text or "").strip():
            raise TemplateError(f"template {self.source}: text {element.text.strip()[:40]!r} directly in {where}")
        for child in element:
            if (child.tail or "").strip():
                raise TemplateError(
                    f"template {self.source}: text {child.tail.strip()[:40]!r} after <{child.tag}> in {where}"
                )
        return list(element)

    def block(self, el: ET.Element, where: str) -> dt.Block:
        tag = el.tag
        if tag == "title":
            return dt.Title(self.inlines(el, where))
        if tag == "heading":
            level = int(el.get("level", "1"))
            return dt.Heading(level, self.inlines(el, where), anchor=el.get("anchor"))
        if tag == "para":
            return self.paragraph(el, where)
        if tag == "list":
            items = tuple(self.paragraph(c, f"{where}/{c.tag}") for c in self.children(el, where))
            return dt.BulletList(items)
        if tag == "figures":
            return dt.FigureGroup(tuple(self.figure(c, f"{where}/figure") for c in self.children(el, where)))
        if tag == "table":
            return self.table(el, where)
        if tag == "rule":
            return self.rule(el, where)
        if tag == "split":
            return self.split(el, where)
        self.fail(el, where, "unknown block element")
        raise AssertionError  # unreachable

    def paragraph(self, el: ET.Element, where: str) -> dt.Paragraph:
        if el.tag != "para":
            self.fail(el, where, "expected <para>")
        role = el.get("role", "body")
        if role not in _ROLES:
            self.fail(el, where, f"unknown role {role!r}; known: {', '.join(sorted(_ROLES))}")
        return dt.Paragraph(role, self.inlines(el, where), anchor=el.get("anchor"))  # type: ignore[arg-type]

    def rule(self, el: ET.Element, where: str) -> dt.Rule:
        """``<rule color="accent|text" weight="thick|thin"/>``: a rule across the text block."""
        self.children(el, where)
        if len(el):
            self.fail(el, where, "<rule/> is empty")
        color, weight = el.get("color", "text"), el.get("weight", "thin")
        if color not in {"text", "accent"}:
            self.fail(el, where, f"color {color!r}: text or accent")
        if weight not in {"thin", "thick"}:
            self.fail(el, where, f"weight {weight!r}: thin or thick")
        return dt.Rule(color=color, weight=weight)  # type: ignore[arg-type]

    def split(self, el: ET.Element, where: str) -> dt.SplitLine:
        """``<split role="meta"><left>…</left><right>…</right></split>``: text at both margins."""
        role = el.get("role", "meta")
        if role not in _ROLES:
            self.fail(el, where, f"unknown role {role!r}; known: {', '.join(sorted(_ROLES))}")
        parts: dict[str, tuple[dt.Inline, ...]] = {}
        for child in self.children(el, where):
            if child.tag not in {"left", "right"} or child.tag in parts:
                self.fail(child, f"{where}/{child.tag}", "expected one <left> and one <right>")
            parts[child.tag] = self.inlines(child, f"{where}/{child.tag}")
        return dt.SplitLine(parts.get("left", ()), parts.get("right", ()), role=role)  # type: ignore[arg-type]

    def figure(self, el: ET.Element, where: str) -> dt.KeyFigure:
        if el.tag != "figure":
            self.fail(el, where, "expected <figure>")
        parts: dict[str, tuple[dt.Inline, ...]] = {}
        for child in self.children(el, where):
            if child.tag not in {"value", "label", "note"}:
                self.fail(child, f"{where}/{child.tag}", "expected <value>, <label> or <note>")
            parts[child.tag] = self.inlines(child, f"{where}/{child.tag}")
        return dt.KeyFigure(parts.get("value", ()), parts.get("label", ()), parts.get("note", ()))

    def table(self, el: ET.Element, where: str) -> dt.Table:
        header: tuple[tuple[dt.Inline, ...], ...] = ()
        rows: list[tuple[tuple[dt.Inline, ...], ...]] = []
        for row in self.children(el, where):
            if row.tag != "row":
                self.fail(row, f"{where}/{row.tag}", "expected <row>")
            cells = []
            for cell in self.children(row, f"{where}/row"):
                if cell.tag != "cell":
                    self.fail(cell, f"{where}/row/{cell.tag}", "expected <cell>")
                cells.append(self.inlines(cell, f"{where}/row/cell"))
            if row.get("header") == "1" and not header and not rows:
                header = tuple(cells)
            else:
                rows.append(tuple(cells))
        return dt.Table(header, tuple(rows))

    def inlines(self, el: ET.Element, where: str) -> tuple[dt.Inline, ...]:
        """The element's text and inline children, neighbouring spans of the same kind joined, empty ones left out."""
        out: list[dt.Inline] = []
        if el.text:
            out.append(dt.Span(el.text))
        for child in el:
            _add_inline(out, self.inline(child, where))
            if child.tail:
                _add_inline(out, dt.Span(child.tail))
        return tuple(out)

    def inline(self, el: ET.Element, parent: str) -> dt.Inline:
        """One inline element of the container at ``parent`` (its own path is made only for a message)."""
        tag = el.tag
        if tag == "span":
            if len(el):
                self.fail(el, f"{parent}/{tag}", "<span> holds text only")
            get = el.get
            return dt.Span(el.text or "", get("lang"), get("path"), get("note"))
        if tag == "cite":
            target, label = el.get("target"), el.get("label")
            if not target or not label:
                self.fail(el, f"{parent}/{tag}", "<cite> needs target and label")
            return dt.CiteRef(label or "", target or "")
        where = f"{parent}/{tag}"
        if tag == "strong":
            return dt.Strong(self.inlines(el, where))
        if tag == "em":
            return dt.Emphasis(self.inlines(el, where))
        if tag == "link":
            href = el.get("href")
            if not href:
                self.fail(el, where, "<link> needs href")
            return dt.Link(href or "", self.inlines(el, where))
        if tag == "page-number":
            return dt.PageNumber()
        if tag == "page-count":
            return dt.PageCount()
        self.fail(el, where, "unknown inline element")
        raise AssertionError  # unreachable


_ROLES = frozenset(get_args(dt.ParagraphRole))


def _add_inline(nodes: list[dt.Inline], node: dt.Inline) -> None:
    """Append ``node``, joining it to a span of the same language, path and note before it: renderers see whole runs."""
    if type(node) is dt.Span:
        if not node.text:
            return
        last = nodes[-1] if nodes else None
        if type(last) is dt.Span and last.lang == node.lang and last.path == node.path and last.note == node.note:
            nodes[-1] = dt.Span(last.text + node.text, last.lang, last.path, last.note)
            return
    nodes.append(node)
