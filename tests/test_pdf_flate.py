"""PDF streams deflated by zlib-ng (renderers/pdf_flate.py): standard Flate, about zlib's size, remembered by object."""

from __future__ import annotations

import zlib
from pathlib import Path

from pypdf import PdfReader

from reportgen.renderers.pdf_flate import RememberedDeflate
from reportgen.renderers.pdf_subset import checksum


def _streams(pdf: Path) -> tuple[list, list]:
    """The font programs and page content streams of a PDF, each once."""
    programs, pages, seen = [], [], set()
    for page in PdfReader(pdf).pages:
        pages.append(page["/Contents"].get_object())
        for font in page["/Resources"]["/Font"].values():
            stream = font.get_object()["/FontDescriptor"].get_object()["/FontFile2"].get_object()
            if stream.indirect_reference not in seen:
                seen.add(stream.indirect_reference)
                programs.append(stream)
    return programs, pages


def test_streams_inflate_with_the_standard_zlib_and_are_about_its_size(reference_build) -> None:
    """Font programs read back to ``Length1`` bytes of TrueType; page streams to PDF operators. zlib-ng at
    zlib's default level is faster, not smaller: each stream within 3 % (+32 bytes), all within 1 % of zlib's."""
    out_dir, _ = reference_build
    programs = pages = ours = zlibs = 0
    for pdf in sorted(out_dir.glob("*.pdf")):
        font_streams, page_streams = _streams(pdf)
        for stream in font_streams + page_streams:
            assert list(stream["/Filter"]) == ["/FlateDecode"]
            data = zlib.decompress(stream._data)
            if stream in font_streams:
                assert len(data) == stream["/Length1"]
                assert data[:4] == b"\x00\x01\x00\x00" and checksum(data) == 0xB1B0AFBA
                programs += 1
            else:
                assert b" Tf" in data and b"BT" in data
                pages += 1
            assert len(stream._data) <= 1.03 * len(zlib.compress(data)) + 32, pdf.name
            ours += len(stream._data)
            zlibs += len(zlib.compress(data))
    assert programs >= 5 and pages >= 5
    assert ours <= 1.01 * zlibs


def test_a_font_program_is_compressed_once_per_bytes_object_until_forgotten() -> None:
    deflate = RememberedDeflate()
    program = bytes(range(256)) * 64
    first = deflate.encode(program)
    assert zlib.decompress(first) == program
    assert deflate.encode(program) is first  # a re-run: the subset maker hands back the same object
    copy = bytes(bytearray(program))
    again = deflate.encode(copy)
    assert again == first and again is not first  # equal bytes, another object: compressed again
    deflate.forget()
    assert deflate.encode(program) is not first
    assert deflate.encode("BT /F1 12 Tf (é) Tj ET") == RememberedDeflate().encode("BT /F1 12 Tf (é) Tj ET".encode())
