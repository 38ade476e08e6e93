"""The renderer-neutral document tree: a small closed vocabulary of frozen nodes.

Everything here is already localized: renderers only map these nodes to their
own primitives and never see the event model, a catalog or Jinja. This module
imports nothing else from reportgen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

# ---------------------------------------------------------------- inlines


@dataclass(frozen=True, slots=True)
class Span:
    """Plain text, exactly as it must come out.

    ``lang``: the text's language when it differs from its block's. ``path``: where
    the text came from in the event file (for messages such as a missing glyph).
    ``note``: a remark for editors on this text (a translation gap filled from
    another language); DOCX shows it as a comment, PDF ignores it.
    """

    text: str
    lang: str | None = None
    path: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Strong:
    """Bold text (speaker names, figure values)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Emphasis:
    """Italic in scripts that have italics; renderers may ignore it for CJK."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """An external hyperlink."""

    url: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class CiteRef:
    """A citation marker such as ``[2]`` pointing at the block anchored ``target``."""

    label: str
    target: str


@dataclass(frozen=True, slots=True)
class PageNumber:
    """The current page number (a field in DOCX, drawn per page in PDF)."""


@dataclass(frozen=True, slots=True)
class PageCount:
    """The total number of pages."""


Inline: TypeAlias = Span | Strong | Emphasis | Link | CiteRef | PageNumber | PageCount

# ---------------------------------------------------------------- blocks

CONTENTS_ANCHOR = "contents"
"""A Heading with this anchor marks where a table of contents goes: DOCX writes a
contents field after it; PDF leaves both out, its outline being the contents."""

ParagraphRole = Literal[
    "body",  # ordinary paragraph
    "banner",  # a 简报's name in its 报头: large, centred, red
    "issue",  # the issue line under the banner: 第12期 / Briefing No. 12
    "classification",  # 内部资料 and the like, top left of the first page
    "distribution",  # 报：/ 送： lines of the 报尾
    "imprint",  # the print line of the 报尾 (issuing unit, date)
    "subtitle",  # under the title
    "masthead",  # the band above the title: the larger event
    "meta",  # date / place / organizer lines
    "summary",  # the core viewpoint, set apart
    "point",  # one attributed statement
    "source",  # one entry of the sources list
    "keywords",  # the keyword line
    "note",  # small print
]


@dataclass(frozen=True, slots=True)
class Title:
    """The document title (once, at the top; a bilingual document may add a secondary one)."""

    children: tuple[Inline, ...]
    lang: str | None = None
    secondary: bool = False


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading; ``anchor`` makes it a bookmark / outline target."""

    level: int
    children: tuple[Inline, ...]
    anchor: str | None = None
    lang: str | None = None
    secondary: bool = False


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph whose look is chosen by each renderer from its ``role``."""

    role: ParagraphRole
    children: tuple[Inline, ...]
    anchor: str | None = None
    lang: str | None = None
    secondary: bool = False


@dataclass(frozen=True, slots=True)
class BulletList:
    """A bulleted list; each item is one paragraph of the given role."""

    items: tuple[Paragraph, ...]


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """One key statistic: the formatted value, what it counts, and who said it."""

    value: tuple[Inline, ...]
    label: tuple[Inline, ...]
    note: tuple[Inline, ...] = ()
    secondary_label: tuple[Inline, ...] = ()  # the label in a bilingual document's second language


@dataclass(frozen=True, slots=True)
class FigureGroup:
    """Key figures shown together as tiles."""

    figures: tuple[KeyFigure, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A simple table with one header row; cells hold inlines."""

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """A horizontal rule across the text block (a 简报's red rule, the 报尾's rules)."""

    color: Literal["text", "accent"] = "text"  # accent: the template's accent colour (red in a 简报)
    weight: Literal["thin", "thick"] = "thin"


@dataclass(frozen=True, slots=True)
class SplitLine:
    """One line with text at the left and at the right margin (issuing unit … date)."""

    left: tuple[Inline, ...]
    right: tuple[Inline, ...]
    role: ParagraphRole = "meta"


@dataclass(frozen=True, slots=True)
class Aligned:
    """Side-by-side columns, one per language, one row per item (a 左右对照 proof layout).

    ``langs`` names the column languages; each row holds one block per column.
    """

    langs: tuple[str, ...]
    rows: tuple[tuple[Block, ...], ...]


Block: TypeAlias = Title | Heading | Paragraph | BulletList | FigureGroup | Table | Aligned | Rule | SplitLine

# ---------------------------------------------------------------- document


@dataclass(frozen=True, slots=True)
class Metadata:
    """What a renderer needs about the document as a whole."""

    lang: str  # BCP 47 tag of the (primary) document language, e.g. "zh-CN", "en"
    title: str
    subject: str = ""
    keywords: tuple[str, ...] = ()
    author: str = ""
    created: str | None = None  # ISO 8601 date the document is about, never the clock
    languages: tuple[str, ...] = ()  # every language shown, primary first; () means (lang,)

    @property
    def is_cjk(self) -> bool:
        """Whether the main language is set with CJK line breaking and fonts."""
        return self.lang.split("-")[0].lower() in {"zh", "ja", "ko"}


@dataclass(frozen=True, slots=True)
class PageSetup:
    """Page geometry and look chosen by the template (its manifest), applied by every renderer."""

    style: str = "briefing"  # the style set renderers map roles to: "briefing", "jianbao"
    paper: Literal["a4", "letter"] = "a4"
    margins_mm: tuple[float, float, float, float] | None = None  # top, right, bottom, left; None: renderer default
    grid: tuple[int, int] | None = None  # (lines per page, characters per line), e.g. GB/T 9704's (22, 28)
    page_numbers: Literal["footer", "outer"] = "footer"  # outer: odd pages right, even pages left (公文 style)
    fonts: tuple[tuple[str, str], ...] = ()  # (slot, face name) overrides for DOCX styles: body, title, heading1, …


@dataclass(frozen=True, slots=True)
class Document:
    """A complete, localized document ready for any renderer."""

    metadata: Metadata
    blocks: tuple[Block, ...]
    footer: tuple[Inline, ...] = ()
    header: tuple[Inline, ...] = ()  # running header on pages after the first
    page: PageSetup = PageSetup()


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The text of some inlines as a reader would copy it (fields omitted)."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Span):
            parts.append(node.text)
        elif isinstance(node, (Strong, Emphasis, Link)):
            parts.append(plain_text(node.children))
        elif isinstance(node, CiteRef):
            parts.append(node.label)
    return "".join(parts)
