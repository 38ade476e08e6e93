"""ReportLab paragraph fragments for reportgen's own markup, without ReportLab's markup parser.

ReportLab parses every Paragraph's markup with ``html.parser`` and builds a
fragment (a ``ParaFrag``: face, size, colour, rise, link …) per run of text:
about a fifth of a warm render. reportgen's markup uses a closed vocabulary —
``<font name>``, ``<a href color>``, ``<super size rise>``, ``<br/>``,
``<a name/>`` and the four escapes — so a run's attributes depend only on the
paragraph style and the tags around it. ReportLab's own parser makes the
fragment of each (style, open tags) combination once; every run is a copy of
it with its own text (and its own link target).

The vocabulary is a list of :data:`Token`\\ s. pdf_markup writes tokens (and
renders them as markup text only when something asks); markup text read here
becomes the same tokens. Either way the fragments equal the parser's: whitespace
cleaned as ReportLab's ``cleanBlockQuotedText`` cleans it, text cut where
ReportLab cuts it (each escape is a fragment of its own), the same link
numbering (tests/test_pdf_renderer.py compares them). Markup outside the
vocabulary returns None and goes to ReportLab's parser as before.
"""

from __future__ import annotations

import re
import weakref
from html import unescape
from typing import Any

from reportlab.lib.abag import ABag
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

# Token kinds. A token is a tuple whose first item is its kind:
TEXT = "text"  # (TEXT, text): text as shown, not escaped
FONT = "font"  # (FONT, face): opens <font name="face">
SUPER = "super"  # (SUPER, tag): opens a <super size rise> tag, written as it stands
LINK = "link"  # (LINK, target, colour): opens <a href="target" color="colour">
END = "end"  # (END, kind): closes the innermost open FONT, SUPER or LINK
BREAK = "br"  # (BREAK,): <br/>
ANCHOR = "anchor"  # (ANCHOR, name): <a name="name"/>
Token = tuple[str, ...]
CLOSING = {FONT: "</font>", SUPER: "</super>", LINK: "</a>"}

# A tag of the vocabulary, or a stray "<" / ">" (then: not ours, the parser decides).
_TOKENS = re.compile(r"(<[^<>]*>|[<>])")
_ESCAPE = re.compile(r"(&(?:amp|lt|gt|quot);)")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"'}
_FONT = re.compile(r'<font name="([^"&]*)">')
_SUPER = re.compile(r'<super size="[^"&]*" rise="[^"&]*">')
_LINK = re.compile(r'<a href="([^"]*)" color="([^"&]*)">')
_ANCHOR = re.compile(r'<a name="([A-Za-z0-9_.:-]+)"/>')
_CLOSE = {"</font>": FONT, "</super>": SUPER, "</a>": LINK}
_BREAK: Token = (BREAK,)
# Characters markup escapes: in text each is a fragment of its own, as ReportLab parses an escape.
_ESCAPED = re.compile(r'([&<>"])')
_SPACE_RUN = re.compile("  +")

Signature = tuple[Token, ...]  # the open tags around a run (links with a placeholder target)


def open_tag(token: Token) -> str:
    """The markup of an opening or empty tag."""
    kind = token[0]
    if kind == FONT:
        return f'<font name="{token[1]}">'
    if kind == SUPER:
        return token[1]
    if kind == LINK:
        return f'<a href="{token[1]}" color="{token[2]}">'
    if kind == ANCHOR:
        return f'<a name="{token[1]}"/>'
    return "<br/>"


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
    new.__dict__ = {**frag.__dict__, **changes} if changes else frag.__dict__.copy()
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


def _template(templates: _Templates, style: Any, signature: Signature, kind: str) -> Any | None:
    """The fragment of a run ("text"), a line break ("br") or an anchor ("anchor") inside some tags.

    None when ReportLab cannot parse it (e.g. an unregistered face).
    """
    key = (signature, kind)
    frag = templates.frags.get(key)
    if frag is None:
        inner = {"text": "x", "br": "<br/>", "anchor": '<a name="x"/>'}[kind]
        markup = "".join(map(open_tag, signature)) + inner + "".join(CLOSING[t[0]] for t in reversed(signature))
        try:
            (frag,) = _parse(markup, style)
        except ValueError:  # an unknown face …: ReportLab's parser says so for the paragraph
            return None
        templates.frags[key] = frag
    return frag


def _templates(style: Any) -> _Templates | None:
    """The style's templates; None if runs of it are not copies of one fragment (a text transform)."""
    transform = getattr(style, "textTransform", None)
    if transform and transform.lower() != "none":
        return None
    fingerprint = _fingerprint(style)
    templates = _BY_STYLE.get(style)
    if templates is None or templates.fingerprint != fingerprint:
        templates = _BY_STYLE[style] = _Templates(fingerprint)
    return templates


def _frags(tokens: list[Token], style: Any) -> list[Any] | None:
    """The fragments of cleaned tokens (text cut as ReportLab cuts it); None if ReportLab must decide."""
    templates = _templates(style)
    if templates is None:
        return None
    out: list[Any] = []
    signature: Signature = ()
    text_frag: Any = None  # the template of a run inside ``signature``
    links: list[list[tuple[int, str]]] = [[]]  # the link list of the innermost open link
    n_links = 0
    for token in tokens:
        kind = token[0]
        if kind == TEXT:
            if text_frag is None:
                text_frag = _template(templates, style, signature, "text")
                if text_frag is None or text_frag.us_lines:  # underlined links: line numbering not handled here
                    return None
                frag_class = type(text_frag)
            attrs = text_frag.__dict__.copy()  # clone(text_frag, text=...), for a template of ours
            attrs["text"] = token[1]
            if links[-1]:
                attrs["link"] = links[-1]
            run = object.__new__(frag_class)
            run.__dict__ = attrs
            out.append(run)
        elif kind == END:
            if not signature or signature[-1][0] != token[1]:
                return None
            if token[1] == LINK:
                links.pop()
            signature = signature[:-1]
            text_frag = None
        elif kind == BREAK or kind == ANCHOR:
            template = _template(templates, style, signature, kind)
            if template is None:
                return None
            frag = clone(template)
            if kind == ANCHOR:
                defn = ABag()
                defn.label = defn.kind = "anchor"
                defn.name = token[1]
                frag.cbDefn = defn
            if links[-1]:
                frag.link = links[-1]
            out.append(frag)
        elif kind == LINK:
            if not token[1]:
                return None
            signature += ((LINK, "#", token[2]),)
            links.append([*links[-1], (n_links, token[1])])
            n_links += 1
            text_frag = None
        else:
            signature += (token,)
            text_frag = None
    if signature:
        return None
    return out


def _string_tokens(cleaned: str) -> list[Token] | None:
    """The tokens of markup text already cleaned of whitespace; None if it is not reportgen's vocabulary."""
    tokens: list[Token] = []
    for k, part in enumerate(_TOKENS.split(cleaned)):
        if not part:
            continue
        if k % 2 == 0:  # text: a token per run between escapes, one per escape
            if "&" not in part:
                tokens.append((TEXT, part))
                continue
            for j, piece in enumerate(_ESCAPE.split(part)):
                if not piece:
                    continue
                if j % 2:
                    piece = _ENTITIES[piece]
                elif "&" in piece:  # an unescaped "&": not reportgen's markup
                    return None
                tokens.append((TEXT, piece))
        elif part in _CLOSE:
            tokens.append((END, _CLOSE[part]))
        elif part == "<br/>":
            tokens.append(_BREAK)
        elif part.startswith("<a name="):
            m = _ANCHOR.fullmatch(part)
            if m is None:
                return None
            tokens.append((ANCHOR, m.group(1)))
        elif part.startswith("<a href="):
            m = _LINK.fullmatch(part)
            if m is None:
                return None
            tokens.append((LINK, unescape(m.group(1)).strip(), m.group(2)))
        elif m := _FONT.fullmatch(part):
            tokens.append((FONT, m.group(1)))
        elif _SUPER.fullmatch(part):
            tokens.append((SUPER, part))
        else:
            return None
    return tokens


def cleaned_tokens(tokens: list[Token]) -> list[Token]:
    """Tokens whose text and link targets hold no space but U+0020, cleaned as ReportLab cleans their markup.

    ``cleanBlockQuotedText`` turns each run of whitespace between two tags into
    one space and strips the markup's ends; the parser then makes a fragment of
    each text between tags, and one of each escape.
    """
    out: list[Token] = []
    n = len(tokens)
    i = 0
    while i < n:
        token = tokens[i]
        kind = token[0]
        if kind != TEXT:
            if kind == LINK:  # the target, as the parser reads it from the cleaned attribute
                target = _SPACE_RUN.sub(" ", token[1]).strip()
                if target != token[1]:
                    token = (LINK, target, token[2])
            out.append(token)
            i += 1
            continue
        j = i + 1
        while j < n and tokens[j][0] == TEXT:
            j += 1
        text = token[1] if j == i + 1 else "".join([t[1] for t in tokens[i:j]])
        if "  " in text:
            text = _SPACE_RUN.sub(" ", text)
        if i == 0:
            text = text.lstrip(" ")
        if j == n:
            text = text.rstrip(" ")
        if "&" in text or "<" in text or ">" in text or '"' in text:  # _ESCAPED, by memchr (a class costs per char)
            out.extend([(TEXT, piece) for piece in _ESCAPED.split(text) if piece])
        elif text:
            out.append(token if text is token[1] else (TEXT, text))
        i = j
    return out


def token_frags(tokens: list[Token], style: Any) -> list[Any] | None:
    """The fragments ReportLab would make of the markup of some tokens (see :func:`cleaned_tokens`)."""
    return _frags(cleaned_tokens(tokens), style)


def paragraph_frags(text: str, style: Any) -> tuple[str, list[Any]] | None:
    """The cleaned text and the fragments ReportLab would make of some markup; None if it is not ours.

    Equal to ``ParaParser().parse(cleanBlockQuotedText(text), style)``: the same
    attributes, the same cut into fragments (each escape on its own), the same
    link numbering.
    """
    cleaned = cleanBlockQuotedText(text)
    if cleaned.startswith("<para") or "<bullet" in cleaned:
        return None
    tokens = _string_tokens(cleaned)
    if tokens is None:
        return None
    frags = _frags(tokens, style)
    return None if frags is None else (cleaned, frags)


__all__ = ["ANCHOR", "BREAK", "END", "FONT", "LINK", "SUPER", "TEXT", "Token", "clone", "paragraph_frags", "token_frags"]
