"""Two single-language trees of one template → one bilingual document tree.

Each language is composed on its own (its catalog, its CLDR formatting), so the
two trees have the same shape; they are then paired block by block. This keeps
templates single-language and gives both catalogs' wording where both show.

- ``interleaved`` (上下对照): every block in the primary language, then the same
  block in the second language, marked ``secondary`` so renderers set it smaller.
- ``parallel`` (左右对照): runs of text blocks become ``Aligned`` rows, one column
  per language; figures and tables stay full width, with both languages inside.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Literal, TypeAlias

from reportgen import doctree as dt
from reportgen.errors import TemplateError

Layout: TypeAlias = Literal["interleaved", "parallel"]
LAYOUTS: tuple[Layout, ...] = ("interleaved", "parallel")
_PAGE_SEPARATOR = "　·　"  # between the two languages' footers; ideographic spaces, language neutral


def merge(primary: dt.Document, second: dt.Document, layout: Layout) -> dt.Document:
    """The bilingual document: ``primary`` first, ``second`` subordinate or beside it."""
    if len(primary.blocks) != len(second.blocks):
        raise TemplateError("the template gives the two languages different block structures")
    lang = second.metadata.lang
    pairs = list(zip(primary.blocks, second.blocks, strict=True))
    blocks = tuple(_interleave(pairs, lang) if layout == "interleaved" else _parallel(pairs, primary, lang))
    metadata = replace(
        primary.metadata,
        keywords=primary.metadata.keywords + second.metadata.keywords,
        languages=(primary.metadata.lang, lang),
    )
    same = second.footer == primary.footer  # a footer without words (— 1 —) shows once
    footer = primary.footer + ((dt.Span(_PAGE_SEPARATOR),) + second.footer if second.footer and not same else ())
    return dt.Document(metadata=metadata, blocks=blocks, header=primary.header, footer=footer, page=primary.page)


def _second_copy(block: dt.Block, lang: str, *, secondary: bool) -> dt.Block:
    """The second language's copy of a block, without an anchor or citations of its own.

    The primary block already cites the sources; citing them again from the
    translation would double every footnote of a bilingual DOCX.
    """
    if isinstance(block, (dt.Heading, dt.Paragraph)):
        return replace(
            block, children=_uncited(block.children), anchor=None, lang=lang, secondary=secondary
        )
    if isinstance(block, dt.Title):
        return replace(block, lang=lang, secondary=secondary)
    raise AssertionError(block)


def _same_kind(a: dt.Block, b: dt.Block) -> None:
    if type(a) is not type(b):
        raise TemplateError(
            f"the template gives the two languages different blocks: {type(a).__name__} and {type(b).__name__}"
        )


def _interleave(pairs: list[tuple[dt.Block, dt.Block]], lang: str) -> Iterator[dt.Block]:
    for a, b in pairs:
        _same_kind(a, b)
        if isinstance(a, dt.BulletList) and isinstance(b, dt.BulletList):
            items: list[dt.Paragraph] = []
            for item_a, item_b in zip(a.items, b.items, strict=True):
                items += [item_a, _second_copy(item_b, lang, secondary=True)]  # type: ignore[list-item]
            yield dt.BulletList(tuple(items))
        elif isinstance(a, (dt.FigureGroup, dt.Table)):
            yield _both_inside(a, b, lang)
        elif isinstance(a, dt.Rule):
            yield a  # once
        elif isinstance(a, dt.SplitLine) and isinstance(b, dt.SplitLine):
            yield a
            yield replace(b, left=_tag(b.left, lang), right=_tag(b.right, lang))
        elif isinstance(a, dt.Heading) and a.anchor == dt.CONTENTS_ANCHOR:
            yield a  # navigation, not content: one contents heading
        else:
            yield a
            yield _second_copy(b, lang, secondary=True)


def _parallel(pairs: list[tuple[dt.Block, dt.Block]], primary: dt.Document, lang: str) -> Iterator[dt.Block]:
    langs = (primary.metadata.lang, lang)
    rows: list[tuple[dt.Block, ...]] = []
    for a, b in pairs:
        _same_kind(a, b)
        if isinstance(a, dt.BulletList) and isinstance(b, dt.BulletList):
            rows += [
                (dt.BulletList((item_a,)), dt.BulletList((_second_copy(item_b, lang, secondary=False),)))  # type: ignore[arg-type]
                for item_a, item_b in zip(a.items, b.items, strict=True)
            ]
        elif isinstance(a, (dt.FigureGroup, dt.Table, dt.Rule, dt.SplitLine)):
            if rows:
                yield dt.Aligned(langs, tuple(rows))
                rows = []
            if isinstance(a, dt.Rule):
                yield a  # full width, once
            elif isinstance(a, dt.SplitLine) and isinstance(b, dt.SplitLine):
                yield a
                yield replace(b, left=_tag(b.left, lang), right=_tag(b.right, lang))
            else:
                yield _both_inside(a, b, lang)
        elif isinstance(a, dt.Heading) and a.anchor == dt.CONTENTS_ANCHOR:
            if rows:
                yield dt.Aligned(langs, tuple(rows))
                rows = []
            yield a  # navigation, not content: one contents heading, full width
        else:
            rows.append((a, _second_copy(b, lang, secondary=False)))
    if rows:
        yield dt.Aligned(langs, tuple(rows))


def _both_inside(a: dt.Block, b: dt.Block, lang: str) -> dt.Block:
    """Figures and tables keep one grid: the second language goes inside each tile or cell."""
    if isinstance(a, dt.FigureGroup) and isinstance(b, dt.FigureGroup):
        figures = []
        for fig_a, fig_b in zip(a.figures, b.figures, strict=True):
            label = _tag(fig_b.label, lang)
            if dt.plain_text(fig_a.value) != dt.plain_text(fig_b.value):
                label = _tag(fig_b.value, lang) + (dt.Span(" ", lang=lang),) + label
            figures.append(replace(fig_a, secondary_label=label))
        return dt.FigureGroup(tuple(figures))
    if isinstance(a, dt.Table) and isinstance(b, dt.Table):
        return dt.Table(
            header=tuple(_cell(x, y, lang) for x, y in zip(a.header, b.header, strict=True)),
            rows=tuple(
                tuple(_cell(x, y, lang) for x, y in zip(row_a, row_b, strict=True))
                for row_a, row_b in zip(a.rows, b.rows, strict=True)
            ),
        )
    raise AssertionError(a)


def _cell(a: tuple[dt.Inline, ...], b: tuple[dt.Inline, ...], lang: str) -> tuple[dt.Inline, ...]:
    """A table cell with both languages, one per line; a text that reads the same shows once."""
    if not b or dt.plain_text(a) == dt.plain_text(b):
        return a
    if not a:
        return _tag(b, lang)
    return a + (dt.Span("\n"),) + _tag(b, lang)


def _uncited(inlines: tuple[dt.Inline, ...]) -> tuple[dt.Inline, ...]:
    return tuple(node for node in inlines if not isinstance(node, dt.CiteRef))


def _tag(inlines: tuple[dt.Inline, ...], lang: str) -> tuple[dt.Inline, ...]:
    """Mark spans with the second language; spans that carry their own language keep it."""
    tagged: list[dt.Inline] = []
    for node in inlines:
        if isinstance(node, dt.Span) and node.lang is None:
            node = replace(node, lang=lang)
        elif isinstance(node, (dt.Strong, dt.Emphasis, dt.Link)):
            node = replace(node, children=_tag(node.children, lang))
        tagged.append(node)
    return tuple(tagged)


def parse_languages(spec: str) -> tuple[str, ...]:
    """``zh`` → ("zh",); ``zh+en`` → ("zh", "en"): the languages of one output document."""
    from reportgen.errors import UsageError
    from reportgen.l10n import check_language

    langs = tuple(check_language(part) for part in spec.split("+"))
    if len(langs) > 2 or len({lang.lower() for lang in langs}) != len(langs):
        raise UsageError(f"{spec!r}: a document holds one language or two different ones (zh+en)")
    return langs
