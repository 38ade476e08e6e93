"""A user's reference document (``--reference-docx FILE``): its styles, by name, in place of ours.

As with pandoc's option, the file's look is taken and its content ignored: its
styles part (and, when it has them, its numbering definitions and theme)
replace the bundled ones in the output package; page size, margins, settings,
headers and footers stay reportgen's. reportgen looks the styles it needs up by
**name** (case-insensitively: Word stores built-in names such as "heading 1" in
lower case, and Chinese Word gives them style ids such as "1" or "a3"), so the
body refers to the file's own style ids. Every style the document needs that the
file lacks is reported, one line each (only styles the document uses are needed:
Word and LibreOffice drop unused ones when saving). The simplest way to get a file:
build a DOCX with reportgen, restyle it in Word / WPS / LibreOffice, save it and
pass it as the reference.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.parser import parse_xml
from lxml import etree

from reportgen.errors import ResourceError

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Styles every Word document has implicitly: a file need not define them.
_IMPLICIT = frozenset({"DefaultParagraphFont", "TableNormal", "NoList"})


class ReferenceDocxError(ResourceError):
    """The reference document given with ``--reference-docx`` cannot be used; one line per problem."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self._lines = lines

    def lines(self) -> list[str]:
        return list(self._lines)


def required_styles(bundled_styles: bytes) -> tuple[tuple[str, str, str], ...]:
    """(type, styleId, name) of every style of the bundled reference that reportgen may use."""
    return _required_styles(bundled_styles)


@cache
def _required_styles(bundled_styles: bytes) -> tuple[tuple[str, str, str], ...]:
    root = etree.fromstring(bundled_styles)
    out = []
    for style in root.iter(f"{{{_W}}}style"):
        style_id = style.get(f"{{{_W}}}styleId")
        if style_id in _IMPLICIT:
            continue
        name = style.find(f"{{{_W}}}name").get(f"{{{_W}}}val")
        out.append((style.get(f"{{{_W}}}type"), style_id, name))
    return tuple(out)


def use_reference_docx(docx_doc: DocxDocument, path: Path) -> dict[str, str]:
    """Put the styles (numbering, theme) of the document at ``path`` into ``docx_doc``.

    Returns a map from each bundled style id to the file's id for the same name (for
    the styles the file has; ``rename_styles`` reports the others that are used).
    Raises ReferenceDocxError if the file is unusable."""
    import docx  # the renderer's import; python-docx is loaded already

    if not path.is_file():
        raise ReferenceDocxError([f"{path}: reference document not found"])
    try:
        user = docx.Document(str(path))
    except Exception as exc:  # zipfile.BadZipFile, KeyError, ValueError, lxml errors …
        raise ReferenceDocxError([f"{path}: not a usable .docx reference document ({exc})"]) from None

    user_parts = {rel.reltype: rel.target_part for rel in user.part.rels.values() if not rel.is_external}
    styles_part = user_parts.get(RT.STYLES)
    if styles_part is None:
        raise ReferenceDocxError([f"{path}: reference document has no styles"])

    ours = docx_doc.part._styles_part  # noqa: SLF001 - python-docx has no public setter
    required = required_styles(ours.blob)
    user_styles = parse_xml(styles_part.blob)
    by_name: dict[tuple[str, str], str] = {}
    for style in user_styles.iter(f"{{{_W}}}style"):
        name = style.find(f"{{{_W}}}name")
        style_id = style.get(f"{{{_W}}}styleId")
        if name is not None and style_id:
            by_name.setdefault((style.get(f"{{{_W}}}type") or "paragraph", name.get(f"{{{_W}}}val").lower()), style_id)

    mapping: dict[str, str] = {}
    for kind, style_id, name in required:
        found = by_name.get((kind, name.lower()))
        if found is not None:
            mapping[style_id] = found

    ours._element = user_styles  # noqa: SLF001
    numbering = user_parts.get(RT.NUMBERING)
    if numbering is not None:
        docx_doc.part.numbering_part._element = parse_xml(numbering.blob)  # noqa: SLF001
    theme = user_parts.get(RT.THEME)
    if theme is not None:
        part = Part(PackURI("/word/theme/theme1.xml"), CT.OFC_THEME, theme.blob, docx_doc.part.package)
        docx_doc.part.relate_to(part, RT.THEME)
    return mapping


def rename_styles(
    roots: list[etree._Element], mapping: Mapping[str, str], path: Path, bundled_styles: bytes
) -> None:
    """Point every style reference in ``roots`` at the reference document's ids; raises
    ReferenceDocxError naming, in the bundled order, each used style the file lacks."""
    tags = {f"{{{_W}}}{name}" for name in ("pStyle", "rStyle", "tblStyle")}
    used: set[str] = set()
    for root in roots:
        for element in root.iter(*tags):
            value = element.get(f"{{{_W}}}val")
            used.add(value)
            element.set(f"{{{_W}}}val", mapping.get(value, value))
    missing = [
        f"{path}: reference document lacks the {kind} style {name!r}"
        for kind, style_id, name in required_styles(bundled_styles)
        if style_id in used and style_id not in mapping
    ]
    if missing:
        raise ReferenceDocxError(missing)
