"""Composition: templates turn an event into a document tree; event text can never become structure."""

from __future__ import annotations

import pytest

from conftest import REFERENCE
from reportgen import doctree as dt
from reportgen.compose import compose, doctree_from_xml
from reportgen.errors import TemplateError
from reportgen.loading import load_event, load_text

HOSTILE = "R&D <b>bold</b> &amp; ]]> <para> {{ 7*7 }} {% raw %} %s {0} \\ \"q\" 'a' 𠮷"


def hostile_event():
    text = REFERENCE.read_text("utf-8")
    text = text.replace(
        "en: Guests from government, business and academia, from China and abroad, gathered to discuss digital governance.",
        "en: " + '"' + HOSTILE.replace("\\", "\\\\").replace('"', '\\"') + '"',
    )
    return load_text(text, "hostile.yaml")


def all_spans(node: object) -> list[str]:
    found: list[str] = []
    if isinstance(node, dt.Span):
        found.append(node.text)
    elif isinstance(node, tuple):
        for item in node:
            found.extend(all_spans(item))
    elif hasattr(node, "__dataclass_fields__"):
        for name in node.__dataclass_fields__:
            found.extend(all_spans(getattr(node, name)))
    return found


def test_markup_and_template_lookalikes_stay_text() -> None:
    document = compose(hostile_event(), "en").document
    assert HOSTILE in "".join(all_spans(document.blocks))


def test_text_escaped_by_markupsafes_c_function_or_without_it_composes_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without markupsafe 3's C escaping (older markupsafe), or with html.escape, the same tree comes out."""
    import html

    import markupsafe

    from reportgen import compose as composing

    event = hostile_event()
    document = compose(event, "en").document
    assert HOSTILE in "".join(all_spans(document.blocks))
    for fallback in (lambda text: str(markupsafe.escape(text)), html.escape):
        monkeypatch.setattr(composing, "_escape_xml", fallback)
        assert compose(event, "en").document == document


def test_gaps_are_collected_once_with_their_path() -> None:
    composition = compose(load_event(REFERENCE), "zh")
    paths = [gap.path for gap in composition.gaps]
    assert sorted(paths) == ["people[0].name", "people[1].name", "people[2].name", "people[3].name"]
    assert str(composition.gaps[0]).endswith("no zh text, used en")


def test_a_filled_gap_keeps_its_own_language() -> None:
    document = compose(load_event(REFERENCE), "zh").document
    spans = [node for node in _walk(document.blocks) if isinstance(node, dt.Span) and node.text == "Jia Lijun"]
    assert spans and all(span.lang == "en" for span in spans)


def test_citation_markers_point_at_source_anchors() -> None:
    document = compose(load_event(REFERENCE), "en").document
    anchors = {b.anchor for b in document.blocks if isinstance(b, dt.Paragraph) and b.anchor}
    cites = [n for n in _walk(document.blocks) if isinstance(n, dt.CiteRef)]
    assert cites and {c.target for c in cites} <= anchors
    assert {c.label for c in cites} == {"[1]", "[2]", "[3]", "[4]"}


def test_footer_fields_come_from_the_catalog() -> None:
    footer = compose(load_event(REFERENCE), "zh").document.footer
    assert footer == (dt.Span("第 "), dt.PageNumber(), dt.Span(" 页 / 共 "), dt.PageCount(), dt.Span(" 页"))


def _walk(node: object):
    if isinstance(node, tuple):
        for item in node:
            yield from _walk(item)
    elif hasattr(node, "__dataclass_fields__"):
        yield node
        for name in node.__dataclass_fields__:
            yield from _walk(getattr(node, name))


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        ("<document><body><blink>x</blink></body></document>", "unknown block element"),
        ("<document><body><para role='shout'>x</para></body></document>", "unknown role 'shout'"),
        ("<document><body><para>x<marquee/></para></body></document>", "<marquee> at document/body/para/marquee: unknown inline element"),
        (
            "<document><body><para><strong><span>a<em/></span></strong></para></body></document>",
            "<span> at document/body/para/strong/span: <span> holds text only",
        ),
        ("<document><body><para><cite target='x'/></para></body></document>", "<cite> at document/body/para/cite: <cite> needs"),
        ("<document><body><para><em><link>x</link></em></para></body></document>", "<link> at document/body/para/em/link: <link> needs href"),
        ("<document><body>stray</body></document>", "text 'stray' directly in document/body"),
        ("<document><body><para>", "malformed XML"),
        ("<report/>", "root element must be <document>"),
    ],
)
def test_vocabulary_is_closed(xml: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        doctree_from_xml(xml, "test.xml.j2")


def test_neighbouring_spans_of_the_same_kind_are_joined_and_empty_ones_left_out() -> None:
    xml = (
        "<document><body><para>a<span>b</span><span path='p'>c</span><span path='p'>d</span><span/>"
        "<span path='q'></span>e<strong>f</strong></para></body></document>"
    )
    blocks, _, _ = doctree_from_xml(xml, "t")
    assert blocks[0].children == (
        dt.Span("ab"), dt.Span("cd", path="p"), dt.Span("e"), dt.Strong((dt.Span("f"),))
    )


def test_whitespace_inside_inline_content_is_text() -> None:
    blocks, _, _ = doctree_from_xml("<document><body>\n  <para>  two  spaces </para>\n</body></document>", "t")
    assert blocks == (dt.Paragraph("body", (dt.Span("  two  spaces "),)),)


def test_markup_made_from_a_str_without_markups_frame_is_markups_own() -> None:
    from markupsafe import Markup

    from reportgen.compose import _markup_of_str

    for text in ("", "a <b>&amp;</b>", "𠮷"):
        made = _markup_of_str(text)
        assert type(made) is Markup and made == Markup(text) and made.striptags() == Markup(text).striptags()


def test_strong_and_join_escape_text_and_keep_markup_as_markupsafe_does() -> None:
    from markupsafe import Markup, escape

    from reportgen.compose import _Helpers

    class Loud(Markup):  # a Markup subclass that says something else of itself
        def __html__(self) -> Markup:
            return Markup(str.upper(self))

    for value in ("R&D <b>", Markup("<em>x</em>"), Loud("<q>"), 7, None):
        made = _Helpers.strong(value)
        assert type(made) is Markup and made == Markup("<strong>%s</strong>") % (value,)
    parts = ["a < b", Markup("<i>c</i>"), Loud("<q>"), 3]
    joined = _Helpers.join(parts, " & ")
    assert joined == escape(" & ").join(escape(p) for p in parts) == "a &lt; b &amp; <i>c</i> &amp; <Q> &amp; 3"
