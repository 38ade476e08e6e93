"""ReportLab paragraph fragments for reportgen's own markup, without ReportLab's markup parser.

ReportLab parses every Paragraph's markup with ``html.parser`` and builds a
fragment (a ``ParaFrag``: face, size, colour, rise, link …) per run of text:
about a fifth of a warm render. reportgen's markup (pdf_markup) uses a closed
vocabulary — ``<font name>``, ``<a href color>``, ``<super size rise>``,
``<br/>``, ``<a name/>`` and the four escapes — so a run's attributes depend
only on the paragraph style and the tags around it. ReportLab's own parser
makes the fragment of each (style, open tags) combination once; every run is a
copy of it with its own text (and its own link target). Markup outside that
vocabulary returns None and goes to ReportLab's parser as before.

Whitespace is cleaned by ReportLab's own ``cleanBlockQuotedText`` first, and text
is cut where ReportLab cuts it (each escape is a fragment of its own), so the
fragments equal the parser's (tests/test_pdf_renderer.py compares them).
"""

from __future__ import annotations

import re
import weakref
from html import unescape
from typing import Any

from reportlab.lib.abag import ABag
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

# A tag of the vocabulary, or a stray "<" / ">" (then: not ours, the parser decides).
_TOKENS = re.compile(r"(<[^<>]*>|[<>])")
_ESCAPE = re.compile(r"(&(?:amp|lt|gt|quot);)")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"'}
_FONT = re.compile(r'<font name="[^"&]*">')
_SUPER = re.compile(r'<super size="[^"&]*" rise="[^"&]*">')
_LINK = re.compile(r'<a href="([^"]*)" color="([^"&]*)">')
_ANCHOR = re.compile(r'<a name="([A-Za-z0-9_.:-]+)"/>')
_CLOSE = {"</font>": "<font", "</super>": "<super", "</a>": "<a"}
_LINK_PLACEHOLDER = "#"

Signature = tuple[str, ...]  # the open tags around a run, link targets replaced by a placeholder


class _Templates:
    """The fragments ReportLab's parser makes for one style: one per tag signature and kind."""

    __slots__ = ("fingerprint", "frags")

    def __init__(self, fingerprint: tuple[Any, ...]) -> None:
        self.fingerprint = fingerprint
        self.frags: dict[tuple[Signature, str], Any] = {}


# Per style object (weakly: a style built for one paragraph goes away with it).
_BY_STYLE: weakref.WeakKeyDictionary[Any, _Templates] = weakref.WeakKeyDictionary()


def clone(frag: Any, **changes: Any) -> Any:
    """``frag.clone(**changes)`` (ReportLab's ``ABag.clone``) without the keyword-argument round trip."""
    cls = type(frag)
    if cls.clone is not ABag.clone:  # pragma: no cover - a foreign fragment class
        return frag.clone(**changes)
    new = object.__new__(cls)
    attrs = new.__dict__
    attrs.update(frag.__dict__)
    if changes:
        attrs.update(changes)
    return new


def _fingerprint(style: Any) -> tuple[Any, ...]:
    """What of a style goes into a fragment: a style changed after use gets new templates."""
    return (
        style.fontName,
        style.fontSize,
        style.textColor,
        getattr(style, "linkUnderline", None),
        getattr(style, "textTransform", None),
    )


def _parse(markup: str, style: Any) -> list[Any]:
    """ReportLab's own fragments of some markup (as ``Paragraph`` makes them)."""
    parser = ParaParser()
    parser.caseSensitive = 1
    _, frags, _ = parser.parse(cleanBlockQuotedText(markup), style)
    if frags is None:
        raise ValueError(f"ReportLab cannot parse {markup!r}")
    return frags


def _closing(signature: Signature) -> str:
    return "".join(
        "</font>" if tag.startswith("<font") else "</super>" if tag.startswith("<super") else "</a>"
        for tag in reversed(signature)
    )


def _template(templates: _Templates, style: Any, signature: Signature, kind: str) -> Any | None:
    """The fragment of a run ("text"), a line break ("br") or an anchor ("anchor") inside some tags.

    None when ReportLab cannot parse it (e.g. an unregistered face).
    """
    key = (signature, kind)
    frag = templates.frags.get(key)
    if frag is None:
        inner = {"text": "x", "br": "<br/>", "anchor": '<a name="x"/>'}[kind]
        try:
            (frag,) = _parse("".join(signature) + inner + _closing(signature), style)
        except ValueError:  # an unknown face …: ReportLab's parser says so for the paragraph
            return None
        templates.frags[key] = frag
    return frag


def paragraph_frags(text: str, style: Any) -> tuple[str, list[Any]] | None:
    """The cleaned text and the fragments ReportLab would make of some markup; None if it is not ours.

    Equal to ``ParaParser().parse(cleanBlockQuotedText(text), style)``: the same
    attributes, the same cut into fragments (each escape on its own), the same
    link numbering.
    """
    transform = getattr(style, "textTransform", None)
    if transform and transform.lower() != "none":
        return None
    cleaned = cleanBlockQuotedText(text)
    if cleaned.startswith("<para") or "<bullet" in cleaned:
        return None
    fingerprint = _fingerprint(style)
    templates = _BY_STYLE.get(style)
    if templates is None or templates.fingerprint != fingerprint:
        templates = _BY_STYLE[style] = _Templates(fingerprint)
    out: list[Any] = []
    signature: Signature = ()
    links: list[list[tuple[int, str]]] = [[]]  # the link list of the innermost open link
    opened: list[bool] = []  # per open tag: whether it opened a link
    n_links = 0
    for k, part in enumerate(_TOKENS.split(cleaned)):
        if not part:
            continue
        if k % 2 == 0:  # text: a fragment per run between escapes, one per escape
            frag = _template(templates, style, signature, "text")
            if frag is None or frag.us_lines:  # underlined links: numbering of lines not handled here
                return None
            link = links[-1]
            pieces = _ESCAPE.split(part) if "&" in part else (part,)
            for j, piece in enumerate(pieces):
                if not piece:
                    continue
                if j % 2:
                    piece = _ENTITIES[piece]
                elif "&" in piece:  # an unescaped "&": not reportgen's markup
                    return None
                run = clone(frag, text=piece)
                if link:
                    run.link = link
                out.append(run)
            continue
        if part in _CLOSE:
            if not signature or not signature[-1].startswith(_CLOSE[part]):
                return None
            signature = signature[:-1]
            if opened.pop():
                links.pop()
        elif part == "<br/>":
            template = _template(templates, style, signature, "br")
            if template is None:
                return None
            frag = clone(template)
            if links[-1]:
                frag.link = links[-1]
            out.append(frag)
        elif part.startswith("<a name="):
            m = _ANCHOR.fullmatch(part)
            if m is None:
                return None
            template = _template(templates, style, signature, "anchor")
            if template is None:
                return None
            frag = clone(template)
            defn = ABag()
            defn.label = defn.kind = "anchor"
            defn.name = m.group(1)
            frag.cbDefn = defn
            if links[-1]:
                frag.link = links[-1]
            out.append(frag)
        elif part.startswith("<a href="):
            m = _LINK.fullmatch(part)
            if m is None:
                return None
            target = unescape(m.group(1)).strip()
            if not target:
                return None
            signature += (f'<a href="{_LINK_PLACEHOLDER}" color="{m.group(2)}">',)
            links.append([*links[-1], (n_links, target)])
            n_links += 1
            opened.append(True)
        elif _FONT.fullmatch(part) or _SUPER.fullmatch(part):
            signature += (part,)
            opened.append(False)
        else:
            return None
    if signature:
        return None
    return cleaned, out


__all__ = ["clone", "paragraph_frags"]
