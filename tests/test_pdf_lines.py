"""pdf_lines draws our paragraphs' lines exactly as ReportLab's ``_putFragLine`` would, and does draw them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT

from reportgen.compose import compose_languages
from reportgen.loading import load_event
from reportgen.renderers import pdf, pdf_fonts, pdf_linebreak, pdf_lines
from reportgen.renderers.pdf_frags import clone

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CASES = [
    # links, citations (anchors, superscripts), Han–Latin spacing, flush lines, tables
    ("digital-government-2025.yaml", ("zh",), "briefing"),
    ("digital-government-2025.yaml", ("en",), "briefing"),
    ("digital-government-2025.yaml", ("zh", "en"), "briefing"),
    ("jianbao-example.yaml", ("zh",), "jianbao"),
    # right-to-left runs (gaps drawn for spaces), markup look-alikes, emoji, rare characters
    ("hostile/look-alikes.yaml", ("zh",), "briefing"),
    ("hostile/look-alikes.yaml", ("en",), "briefing"),
]


def render(name: str, langs: tuple[str, ...], template: str) -> bytes:
    event = load_event(FIXTURES / name)
    return pdf.render(compose_languages(event, langs, template).document)


@pytest.mark.parametrize(("name", "langs", "template"), CASES)
def test_lines_are_drawn_with_the_bytes_reportlab_would_write(
    name: str, langs: tuple[str, ...], template: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = render(name, langs, template)
    # every line to ReportLab's own _putFragLine
    monkeypatch.setattr(pdf_lines, "_plain", lambda words: (False, True))
    assert render(name, langs, template) == ours


def recording(put_frag_line: Any, lines: list[Any]) -> Any:
    """A line drawer that notes each line it is given, then draws it."""

    def put(cur_x: float, tx: Any, line: Any, last: Any, kind: str) -> None:
        lines.append(line)
        put_frag_line(cur_x, tx, line, last, kind)

    return put


@pytest.mark.parametrize(("name", "langs", "template"), CASES)
def test_our_lines_are_not_handed_to_reportlab(
    name: str, langs: tuple[str, ...], template: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed: list[Any] = []
    drawn: list[Any] = []
    monkeypatch.setattr(pdf_lines, "reportlab_put_frag_line", recording(pdf_lines.reportlab_put_frag_line, handed))
    monkeypatch.setattr(pdf_lines, "put_frag_line", recording(pdf_lines.put_frag_line, drawn))
    render(name, langs, template)
    assert len(drawn) > 20
    assert handed == []


def test_the_reportlab_function_is_restored_after_a_build() -> None:
    from reportlab.platypus import paragraph

    render("digital-government-2025.yaml", ("en",), "briefing")
    assert paragraph._putFragLine is pdf_lines.reportlab_put_frag_line


def test_the_frame_deep_copy_keeps_numbers_and_copies_containers() -> None:
    import copy

    frame = pdf._Frame(0, 0, 100, 200, id="body")
    frame._savedGeom = {"_x1": 1.0}  # containers ReportLab may hang on a frame
    frame._generated_content = [["a"]]
    twin = copy.deepcopy(frame)
    assert type(twin) is pdf._Frame and twin is not frame
    assert twin.__dict__ == frame.__dict__
    assert twin._savedGeom is not frame._savedGeom
    assert twin._generated_content[0] is not frame._generated_content[0]
    twin.width = 50  # geometry still goes through Frame.__setattr__, on the copy only
    assert (twin._aW, frame._aW) == (50 - 12, 100 - 12)


@pytest.mark.parametrize(("name", "langs", "template"), CASES)
def test_paragraphs_are_drawn_with_the_bytes_reportlab_draw_para_would_write(
    name: str, langs: tuple[str, ...], template: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[Any] = []
    monkeypatch.setattr(pdf_linebreak, "_draw_lines", recording_paragraphs(pdf_linebreak._draw_lines, drawn))
    ours = render(name, langs, template)
    assert len(drawn) > 20  # the lean drawing is what runs
    monkeypatch.setattr(pdf_linebreak, "_LINE_DRAWERS", {})  # every paragraph to ReportLab's drawPara
    assert render(name, langs, template) == ours


def recording_paragraphs(draw_lines: Any, paragraphs: list[Any]) -> Any:
    def draw(paragraph: Any, line_drawer: Any) -> None:
        paragraphs.append(paragraph)
        draw_lines(paragraph, line_drawer)

    return draw


@pytest.mark.parametrize(
    ("markup", "style"),
    [
        # underlines, strike-through, background colours and links: ReportLab's bookkeeping after each line
        ("Plain <u>underlined text that runs on</u> and <strike>struck</strike> words " * 4, {}),
        ('A <a href="https://example.org/x">link over a line end</a> and <span backColor="#ffff00">marked</span> ' * 4, {}),
        ("中文段落，首行缩进，两端对齐。" * 12, {"alignment": TA_JUSTIFY, "firstLineIndent": 20}),
        ("centred text " * 12, {"alignment": TA_CENTER, "autoLeading": "max"}),
        ("right text <font size=14>bigger</font> " * 8, {"alignment": TA_RIGHT, "autoLeading": "min"}),
        ("a list item that wraps onto a second line " * 3, {"bulletFontName": "Helvetica", "leftIndent": 12}),
        # ReportLab's debugging boundary is drawn in the state the drawing left
        ('<u color="gray">underlined in the boundary\'s grey</u> ' * 4, {"showBoundary": True}),
    ],
)
def test_the_lean_draw_para_writes_what_reportlab_draw_para_writes(
    markup: str, style: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas

    fonts = pdf_fonts.bundled_fonts()
    boundary = style.pop("showBoundary", False)
    paragraph_style = ParagraphStyle("t", fontName=fonts.base(cjk=True), fontSize=10, leading=14, **style)

    def state(canvas: Canvas) -> list[Any]:
        return [getattr(canvas, name) for name in Canvas.STATE_ATTRIBUTES if name != "_extgstate"] + [
            canvas._extgstate,
            dict(canvas._extgstate._d),
        ]

    def drawn(direct: bool = False) -> str:
        canvas = Canvas(io.BytesIO())
        canvas.setFont("Helvetica", 7)
        before = state(canvas)
        bullet = "•" if "bulletFontName" in style else None
        paragraph = pdf_linebreak.KinsokuParagraph(markup, paragraph_style, bulletText=bullet)
        paragraph.wrapOn(canvas, 200, 1000)
        paragraph._showBoundary = boundary
        if direct:  # not through drawOn: the lines save and restore the canvas's state themselves
            paragraph.canv = canvas
            paragraph.drawPara()
        else:
            paragraph.drawOn(canvas, 50, 100)
        assert state(canvas) == before  # drawing leaves the canvas's state as it found it
        return "\n".join(canvas._code)

    lean, lean_direct = drawn(), drawn(direct=True)
    monkeypatch.setattr(pdf_linebreak, "_LINE_DRAWERS", {})
    assert drawn() == lean
    assert drawn(direct=True) == lean_direct
    assert lean.count("T*") > 1  # more than one line was drawn


_MARKUPS = [
    "plain text over a few words",
    "数字政府 A&amp;B 中文<font name=\"{latin}\">Latin 4.62</font>继续",
    "first<br/>second<br/><br/>third",
    '<a name="rg-a3"/>anchored <a href="https://example.org/a" color="#1f4e8c">a link</a> after',
    'text<super size="62%" rise="38%">4</super>.',
]


@pytest.mark.parametrize("markup", _MARKUPS)
def test_a_lines_runs_from_its_frags_equal_its_runs_from_its_characters(markup: str) -> None:
    from reportlab.platypus.paragraph import Paragraph

    from reportgen.renderers.pdf_story import stylesheet

    fonts = pdf_fonts.bundled_fonts()
    style = stylesheet(fonts, True).get("body", True)
    frags = Paragraph(markup.format(latin=fonts.base(cjk=False)), style).frags

    class Shaped(str):  # a text of a str subclass (ReportLab's ShapedStr) becomes a plain str either way
        pass

    frags[0].text = Shaped(frags[0].text)
    # a callback frag with text draws as one zero-width item; given twice in a row, as two runs
    callback = clone(frags[0], text="zz", cbDefn=pdf_lines.CharSpace(0.0))
    frags[1:1] = [callback, callback]
    text = pdf_linebreak._Text(frags)
    n = len(text.chars)
    assert n > 5
    assert text.zero_width == [i for i, char in enumerate(text.chars) if not char]
    for lo in range(n):
        for hi in range(lo + 1, n + 1):
            by_frag = pdf_linebreak._frag_runs(text, lo, hi)
            by_char = pdf_linebreak._char_runs(text, lo, hi, None, lo)
            assert by_frag == by_char, (lo, hi)
            assert [type(t) for t in by_frag.texts] == [str] * len(by_frag.texts)


@pytest.mark.parametrize(("name", "langs", "template"), CASES[:4])
def test_remembered_wraps_give_the_bytes_of_wrapping_every_time(
    name: str, langs: tuple[str, ...], template: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.platypus.paragraph import Paragraph

    ours = render(name, langs, template)
    monkeypatch.setattr(pdf_linebreak.KinsokuParagraph, "wrap", Paragraph.wrap)
    assert render(name, langs, template) == ours


def test_a_paragraph_wrapped_again_at_the_same_width_keeps_its_size_and_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus.paragraph import Paragraph

    wraps: list[float] = []
    reportlab_wrap = Paragraph.wrap

    def counted(self: Any, width: float, height: float) -> Any:
        wraps.append(width)
        return reportlab_wrap(self, width, height)

    monkeypatch.setattr(Paragraph, "wrap", counted)
    style = ParagraphStyle("t", fontName=pdf_fonts.bundled_fonts().base(cjk=True), fontSize=10, leading=14)
    text = "中文段落，首行缩进，两端对齐。" * 8
    paragraph = pdf_linebreak.KinsokuParagraph(text, style)
    first = paragraph.wrap(200, 1000)
    lines = paragraph.blPara
    paragraph.height = 0  # as a caller might leave it
    assert paragraph.wrap(200, 500) == first == (paragraph.width, paragraph.height)
    assert paragraph.blPara is lines and wraps == [200]
    narrow = paragraph.wrap(120, 1000)  # another width: wrapped anew
    assert narrow[1] > first[1] and wraps == [200, 120]
    paragraph.style = ParagraphStyle("t2", parent=style, leading=20)  # another style: wrapped anew
    paragraph.wrap(120, 1000)
    assert wraps == [200, 120, 120]
    fresh = pdf_linebreak.KinsokuParagraph(text, paragraph.style)
    assert paragraph.height == fresh.wrap(120, 1000)[1]


@pytest.mark.parametrize("readable", [False, True])
@pytest.mark.parametrize("cjk", [False, True])
def test_a_faces_runs_in_a_document_are_reportlabs_split_string(cjk: bool, readable: bool) -> None:
    """Codes looked up equal ReportLab's subset assignment (bundled faces: codes in order of first use)."""
    from reportlab.pdfbase.pdfdoc import PDFDocument
    from reportlab.pdfbase.pdfmetrics import getFont

    font = getFont(pdf_fonts.bundled_fonts().base(cjk=cjk))
    assert font._asciiReadable is False  # the bundled faces embed only the ASCII they draw
    texts = ["Plain ASCII, with (brackets) & \\\\ ~", "", "数字政府", "A 数字 B", "数字", "nbsp\xa0here", "Plain ASCII", "é"]
    hanzi = "".join(map(chr, range(0x4E00, 0x4E00 + 300)))
    # codes past 32, past a subset's 256; then (second time round) a text all in the second subset, and one across two
    texts += ["".join(map(chr, range(0x21, 0x7F))), hanzi, hanzi[250:] + "A", hanzi[260:280]]
    # known characters, then new ones: in one run with them ("新" next in the second subset as they are) or not
    texts += [hanzi[260:263] + "新字", "数字凤", "A 数字 龙"]
    ours, theirs = PDFDocument(), PDFDocument()
    font._asciiReadable = readable  # ReportLab's default for other faces: ASCII keeps its codes
    try:
        face = pdf_lines._FaceInDocument(font)
        for text in texts * 2:
            assert face.runs(text, ours) == font.splitString(text, theirs), text
    finally:
        font._asciiReadable = False
    assert face.known  # texts looked up, not split again


def test_an_ascii_paragraphs_classes_are_its_characters_classes() -> None:
    text = "".join(map(chr, range(128)))
    assert text.encode("ascii").translate(pdf_linebreak._ASCII_CLASSES) == bytes(map(pdf_linebreak._CLASS.__getitem__, text))


@pytest.mark.parametrize("text", ["Title", "", "a\nb\tc", "x\x18y", "\x1f", "\x7f", "café", "数据", "a\x17b"])
def test_pdfdoc_encoding_of_plain_text_is_reportlabs(text: str) -> None:
    """ASCII encoded directly gives ReportLab's bytes; what its codec refuses (U+0018..U+001F) it still refuses."""
    from reportlab.pdfbase import pdfdoc

    def outcome(encode: Any) -> Any:
        try:
            return encode(text)
        except UnicodeEncodeError as error:
            return type(error)

    assert outcome(pdf_fonts._pdfdoc_encoder(pdfdoc.pdfdocEnc)) == outcome(pdfdoc.pdfdocEnc)


def test_a_lines_height_comes_from_the_font_its_name_stands_for_now() -> None:
    """Line metrics are remembered per font name and size; a name whose font is replaced stands for the new one."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus.paragraph import Paragraph

    from reportgen.renderers.pdf_story import stylesheet

    style = stylesheet(pdf_fonts.bundled_fonts(), True).get("body", True)
    frags = Paragraph("text", style).frags
    name = "rg-test-renamed-face"
    seen: set[float] = set()
    try:
        for filename in ("NotoSerif-Regular.ttf", "NotoSerifSC-Regular.ttf"):
            pdfmetrics._fonts.pop(name, None)  # ReportLab keeps a TrueType font's name for good: replaced by hand
            pdfmetrics.registerFont(TTFont(name, str(pdf_fonts.font_path(filename))))
            frags[0].fontName = name
            line = pdf_linebreak.kinsoku_lines(frags, [300.0], justify=False).lines[0]
            ascent, descent = pdfmetrics.getAscentDescent(name, frags[0].fontSize)
            assert (line.ascent, line.descent) == (ascent, descent)
            seen.add(ascent)
        assert len(seen) == 2  # the two fonts differ
    finally:
        pdfmetrics._fonts.pop(name, None)
