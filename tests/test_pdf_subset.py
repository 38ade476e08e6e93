"""TrueType subsets made glyph by glyph (renderers/pdf_subset.py) are ReportLab's bytes, remembered and forgotten."""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFile

from reportgen.renderers import pdf_fonts, pdf_jianbao
from reportgen.renderers.pdf_subset import SubsetMaker, checksum


def _faces() -> list[tuple[str, object]]:
    pdf_fonts.bundled_fonts()
    pdf_jianbao.grid_faces(1000)
    faces = []
    for name in sorted(pdfmetrics.getRegisteredFontNames()):
        face = getattr(pdfmetrics.getFont(name), "face", None)
        if isinstance(getattr(face, "makeSubset", None), SubsetMaker):
            faces.append((name, face))
    return faces


def test_every_bundled_face_makes_its_subsets_through_the_glyph_memo() -> None:
    names = [name for name, _ in _faces()]
    assert {"NotoSerif", "NotoSerif-Bold", "NotoSerif-Italic", "NotoSerifSC", "NotoSerifSC-Bold"} <= set(names)
    assert sum(name.startswith("RGJB-") for name in names) >= 3, names  # the 简报 faces too


@pytest.mark.parametrize("seed", range(3))
def test_subsets_are_reportlabs_bytes(seed: int) -> None:
    """Random subsets (sorted and in first-use order, with missing characters) of every face: ReportLab's bytes."""
    rng = random.Random(seed)
    composites = 0
    for name, face in _faces():
        maker = face.makeSubset  # type: ignore[attr-defined]
        codes = sorted(face.charToGlyph)  # type: ignore[attr-defined]
        for size in (1, 2, 60, 255, 256):
            subset = [0, *rng.sample(codes, size - 1)] if size > 1 else [32]
            if size == 60:
                subset.sort()
            if size == 255:
                subset[7] = 0x10FFFD  # a code the face lacks: glyph 0
            maker.forget()
            theirs = TTFontFile.makeSubset(face, subset)
            assert maker(subset) == theirs, (name, size)
            assert maker._make(list(subset)) == theirs, (name, size)  # again, every glyph from the memo
        composites += len(maker.composites)
    assert composites > 50  # Noto Serif's accented letters are composites: their parts were renumbered


def test_composites_bring_their_parts_in_reportlabs_order() -> None:
    """Accented letters without their base letters: each composite's parts are appended in the order found."""
    for name, face in _faces():
        if not name.startswith("NotoSerif") or name.startswith("NotoSerifSC"):
            continue
        subset = [0, *map(ord, "ǺǻǾǿẤấẦầẪẫẬậḖḗṒṓǕǖǗǘǙǚǛǜȪȫȬȭȰȱ ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿ")]
        face.makeSubset.forget()  # type: ignore[attr-defined]
        assert face.makeSubset(subset) == TTFontFile.makeSubset(face, subset), name  # type: ignore[attr-defined]
        assert not face.makeSubset.composites.isdisjoint(map(face.charToGlyph.get, subset))  # type: ignore[attr-defined]


def test_the_recent_subsets_are_remembered_until_forgotten() -> None:
    _, face = next((n, f) for n, f in _faces() if n == "NotoSerifSC")
    maker = face.makeSubset  # type: ignore[attr-defined]
    subset = [0, 32, *map(ord, "数字政府")]
    first = maker(subset)
    assert maker(subset) is first  # a re-run: the same bytes object (its hash kept for the compression memo)
    pdf_fonts.forget_subsets()
    again = maker(subset)
    assert again == first and again is not first


def test_the_file_checksum_adjustment_makes_the_whole_file_sum_to_the_magic_number() -> None:
    _, face = next((n, f) for n, f in _faces() if n == "NotoSerif-Italic")
    data = face.makeSubset([0, 32, *map(ord, "Ééçñ Œuvre ǅ")])  # type: ignore[attr-defined]
    assert checksum(data) == 0xB1B0AFBA
    assert checksum(b"\x00\x00\x00\x01\x00\x00\x00\x02\x03") == 0x03000003  # padded with zeros


def _toy_face(glyphs: list[bytes]) -> SimpleNamespace:
    positions = [0]
    for glyph in glyphs:
        positions.append(positions[-1] + len(glyph))
    return SimpleNamespace(
        glyphPos=positions,
        charToGlyph={65 + i: i for i in range(len(glyphs))},
        hmetrics=[(500, 0)] * len(glyphs),
        data=b"".join(glyphs),
    )


@pytest.mark.parametrize(
    "glyph",
    [
        b"\xff",  # a glyph of one byte: ReportLab reads its number of contours past it
        b"\xff\xff" + bytes(8) + b"\x00\x20\x00",  # a composite cut short inside its first part
    ],
)
def test_a_glyph_read_differently_from_reportlab_sends_the_subset_to_reportlab(glyph: bytes) -> None:
    face = _toy_face([b"", glyph])
    maker = SubsetMaker(face, lambda tag: face.data, fallback=lambda subset: b"ReportLab's")
    assert maker([0, 66]) == b"ReportLab's"
