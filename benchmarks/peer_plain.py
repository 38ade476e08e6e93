"""The peer route "plain ReportLab + python-docx script": what a user would write by hand.

It reads the event file with a YAML library and writes the reference event's
texts naively: ReportLab Paragraphs in one registered CJK TrueType face (no
Latin face, no line-breaking rules, no outline, no page X of Y, no metadata
beyond the title, no citations or participants table, no translation-gap
handling), and a python-docx document with the default template and direct
formatting. It does strictly less than reportgen; it is here only to be
timed side by side (``benchmarks/run.py --peer reportlab-script``).

    python benchmarks/peer_plain.py EVENT OUT_DIR            # zh+en, PDF+DOCX, once (cold)
    python benchmarks/peer_plain.py EVENT OUT_DIR --serve    # then, per line "pdf zh 20" on stdin,
                                                             # a JSON list of per-document ms on stdout
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

FONTS = Path(__file__).resolve().parent.parent / "reportgen" / "fonts"


def text(value: object, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or next(iter(value.values())))
    return "" if value is None else str(value)


def load(path: Path) -> dict:
    import yaml  # PyYAML, as such a script would use it

    return yaml.safe_load(path.read_text("utf-8"))


def pdf(event: dict, lang: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    if "SC" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("SC", str(FONTS / "NotoSerifSC-Regular.ttf")))
        pdfmetrics.registerFont(TTFont("SC-Bold", str(FONTS / "NotoSerifSC-Bold.ttf")))
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = "SC-Bold" if style.name.startswith(("Heading", "Title")) else "SC"
        if lang == "zh":
            style.wordWrap = "CJK"
    people = {p["id"]: p for p in event.get("people", [])}
    orgs = {o["id"]: o for o in event.get("organizations", [])}
    story = [Paragraph(escape(text(event["title"], lang)), styles["Title"])]
    story.append(Paragraph(escape(text(event["summary"], lang)), styles["BodyText"]))
    for section in event["sections"]:
        story.append(Paragraph(escape(text(section["heading"], lang)), styles["Heading2"]))
        for point in section["points"]:
            who = point.get("speaker")
            party = people.get(who) or orgs.get(who)
            prefix = f"<b>{escape(text(party['name'], lang))}</b>: " if party else ""
            story.append(Paragraph(prefix + escape(text(point["text"], lang)), styles["BodyText"]))
    story.append(Spacer(1, 12))
    for source in event.get("sources", []):
        line = f"{text(source.get('publisher'), lang)}: {text(source.get('title'), lang)}"
        story.append(Paragraph(escape(line), styles["BodyText"]))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=text(event["title"], lang)).build(story)
    return out.getvalue()


def docx(event: dict, lang: str) -> bytes:
    import docx as python_docx
    from docx.oxml.ns import qn

    document = python_docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    people = {p["id"]: p for p in event.get("people", [])}
    orgs = {o["id"]: o for o in event.get("organizations", [])}
    document.add_heading(text(event["title"], lang), 0)
    document.add_paragraph(text(event["summary"], lang))
    for section in event["sections"]:
        document.add_heading(text(section["heading"], lang), 1)
        for point in section["points"]:
            paragraph = document.add_paragraph()
            who = point.get("speaker")
            party = people.get(who) or orgs.get(who)
            if party:
                paragraph.add_run(text(party["name"], lang) + ": ").bold = True
            paragraph.add_run(text(point["text"], lang))
    for source in event.get("sources", []):
        document.add_paragraph(
            f"{text(source.get('publisher'), lang)}: {text(source.get('title'), lang)}", style="List Bullet"
        )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def serve(pdf: Callable[[dict, str], bytes], docx: Callable[[dict, str], bytes]) -> int:
    """The command line of a peer script: write zh+en PDF+DOCX once, then (``--serve``) time batches on request."""
    parser = argparse.ArgumentParser()
    parser.add_argument("event", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--serve", action="store_true", help='then time documents asked for on stdin ("pdf zh 20")')
    args = parser.parse_args()
    event = load(args.event)
    args.out.mkdir(parents=True, exist_ok=True)
    for lang in ("zh", "en"):
        (args.out / f"{event['id']}.{lang}.pdf").write_bytes(pdf(event, lang))
        (args.out / f"{event['id']}.{lang}.docx").write_bytes(docx(event, lang))
    if args.serve:  # benchmarks/run.py asks for each batch right after timing reportgen's: the same load for both
        makers = {"pdf": pdf, "docx": docx}
        for request in sys.stdin:
            name, lang, count = request.split()
            make = makers[name]
            make(event, lang)  # warm
            samples = []
            for _ in range(int(count)):
                started = time.perf_counter()
                make(event, lang)
                samples.append((time.perf_counter() - started) * 1000)
            print(json.dumps(samples), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(serve(pdf, docx))
