"""Which closing blocks of a 简报 sit at the foot of its last page (the 报尾), decided once for both renderers.

GB/T 9704-2012 §7.4 puts the 版记 (in a 简报 the 报尾: rules, 报：/送： lines, the
imprint) at the bottom of the last page, whatever the body's length. A template
marks nothing for it: the 报尾 is the run of rules, distribution and imprint blocks
that ends the document, provided it holds at least one line of text.
"""

from __future__ import annotations

from reportgen import doctree as t

FOOT_ROLES = frozenset({"distribution", "imprint"})


def _belongs_to_foot(block: t.Block) -> bool:
    return (
        isinstance(block, t.Rule)
        or (isinstance(block, t.Paragraph) and block.role in FOOT_ROLES)
        or (isinstance(block, t.SplitLine) and block.role == "imprint")
    )


def foot_start(blocks: tuple[t.Block, ...]) -> int:
    """Index of the first 报尾 block; ``len(blocks)`` when the document has none (nothing but rules ends it)."""
    start = len(blocks)
    while start > 0 and _belongs_to_foot(blocks[start - 1]):
        start -= 1
    if all(isinstance(block, t.Rule) for block in blocks[start:]):
        return len(blocks)
    return start
