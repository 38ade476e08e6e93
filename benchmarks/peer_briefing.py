"""The peer route "plain ReportLab + python-docx script", written to make the same briefing as reportgen.

``peer_plain.py`` pastes the title, summary, points and sources into paragraphs:
half of what reportgen's briefing shows. This script is what a user would write
by hand to get reportgen's briefing: the masthead, title and meta lines (event,
date, place, organizers, supporters), the summary in a shaded box, the key
figures side by side, each section's points with the speaker's name, role and
organization in bold, the participants table, the numbered sources, the
keywords, a running header and "Page x of y" on every page (ReportLab's
numbered-canvas recipe), citation marks as superscripts; the same in DOCX with
python-docx. It keeps reportgen's fixed words and CLDR formats in small
dictionaries and f-strings, uses one Chinese face (regular and bold) for all
text, and has no line-breaking rules, fallback faces, outline, metadata beyond
the title, or translation-gap handling. Timed side by side by
``benchmarks/run.py --peer reportlab-briefing``.

    python benchmarks/peer_briefing.py EVENT OUT_DIR            # zh+en, PDF+DOCX, once (cold)
    python benchmarks/peer_briefing.py EVENT OUT_DIR --serve    # then serve timing requests (see peer_plain)
"""

from __future__ import annotations

import datetime
import io
from xml.sax.saxutils import escape

from peer_plain import FONTS, load, serve, text

__all__ = ["docx", "load", "pdf"]

WORDS = {
    "zh": {
        "Event": "活动", "Date": "日期", "Place": "地点", "Organizers": "主办单位", "Supporters": "支持单位",
        "Summary": "摘要", "Key figures": "关键数据", "Participants": "参会人员", "Sources": "资料来源",
        "Keywords": "关键词", "Name": "姓名", "Role": "职务", "Organization": "单位", "Country": "国家或地区",
        "and": "和", "sep": "、", "colon": "：", "page": "第 {page} 页，共 {pages} 页",
    },
    "en": {
        "Event": "Event", "Date": "Date", "Place": "Place", "Organizers": "Organizers", "Supporters": "Supporters",
        "Summary": "Summary", "Key figures": "Key figures", "Participants": "Participants", "Sources": "Sources",
        "Keywords": "Keywords", "Name": "Name", "Role": "Role", "Organization": "Organization",
        "Country": "Country or region", "and": " and ", "sep": ", ", "colon": ": ", "page": "Page {page} of {pages}",
    },
}
COUNTRIES = {"CN": {"zh": "中国", "en": "China"}, "TH": {"zh": "泰国", "en": "Thailand"}}
UNITS = {"years": {"zh": "{}年", "en": "{} years"}, "percent": {"zh": "{}%", "en": "{}%"}}


def date(value: object, lang: str) -> str:
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not isinstance(day, datetime.date):
        return str(value)
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else f"{day:%B} {day.day}, {day.year}"


def joined(names: list[str], lang: str) -> str:
    words = WORDS[lang]
    return names[0] if len(names) < 2 else words["sep"].join(names[:-1]) + words["and"] + names[-1]


def figure_value(figure: dict, lang: str) -> str:
    value, unit = figure["value"], figure.get("unit")
    if unit == "CNY" and value >= 10**12:
        amount = f"{value / 10**12:g}万亿元" if lang == "zh" else f"{value / 10**12:g} trillion yuan"
        if figure.get("comparator") == "more-than":
            return ("超过" if lang == "zh" else "more than ") + amount
        return amount
    return UNITS.get(unit, {"zh": "{}", "en": "{}"})[lang].format(value)


class Briefing:
    """The event's parts in one language, shared by the PDF and the DOCX writer."""

    def __init__(self, event: dict, lang: str) -> None:
        self.event, self.lang, self.words = event, lang, WORDS[lang]
        self.people = {p["id"]: p for p in event.get("people", [])}
        self.orgs = {o["id"]: o for o in event.get("organizations", [])}
        self.numbers = {s["id"]: n for n, s in enumerate(event.get("sources", []), 1)}

    def t(self, value: object) -> str:
        return text(value, self.lang)

    def speaker(self, who: str) -> str:
        party = self.people.get(who) or self.orgs.get(who)
        parts = [self.t(party["name"])]
        if party.get("role"):
            parts.append(self.t(party["role"]))
        if party.get("organization"):
            parts.append(self.t(self.orgs[party["organization"]]["name"]))
        return "".join(reversed(parts)) if self.lang == "zh" else ", ".join(parts)  # 单位职务姓名

    def marks(self, refs: list) -> str:
        return "".join(f"[{self.numbers[r]}]" for r in refs or [])

    def meta(self) -> list[tuple[str, str]]:
        info, lang = self.event["event"], self.lang
        lines = [(self.words["Event"], self.t(info["name"])), (self.words["Date"], date(info["start"], lang))]
        city = self.t(info.get("city")) if info.get("city") else ""
        country = COUNTRIES.get(info.get("country"), {}).get(lang, "")
        if city or country:
            place = f"{country}{city}" if lang == "zh" else ", ".join(p for p in (city, country) if p)
            lines.append((self.words["Place"], place))
        for key, label in (("organizers", "Organizers"), ("supporters", "Supporters")):
            if info.get(key):
                lines.append((self.words[label], joined([self.t(self.orgs[o]["name"]) for o in info[key]], lang)))
        return lines

    def figure_note(self, figure: dict) -> str:
        return self.speaker(figure["speaker"]) if figure.get("speaker") else ""

    def participants(self) -> list[list[str]]:
        rows = []
        for person in self.event.get("people", []):
            org = self.orgs.get(person.get("organization"), {})
            country = person.get("country") or org.get("country")
            rows.append([
                self.t(person["name"]),
                self.t(person.get("role")) if person.get("role") else "",
                self.t(org["name"]) if org else "",
                COUNTRIES.get(country, {}).get(self.lang, country or ""),
            ])
        return rows

    def source(self, number: int, source: dict) -> str:
        parts = [self.t(source["publisher"])]
        if source.get("title"):
            parts.append(f"“{self.t(source['title'])}”")
        if source.get("published"):
            parts.append(date(source["published"], self.lang))
        if source.get("locator"):
            parts.append(self.t(source["locator"]))
        return f"[{number}] " + ", ".join(parts) + "."


def pdf(event: dict, lang: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    from reportlab.platypus import (
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    if "SC" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("SC", str(FONTS / "NotoSerifSC-Regular.ttf")))
        pdfmetrics.registerFont(TTFont("SC-Bold", str(FONTS / "NotoSerifSC-Bold.ttf")))
        pdfmetrics.registerFontFamily("SC", normal="SC", bold="SC-Bold", italic="SC", boldItalic="SC-Bold")
    b = Briefing(event, lang)
    words = b.words
    base = getSampleStyleSheet()
    wrap = "CJK" if lang == "zh" else "LTR"
    body = ParagraphStyle("body", base["BodyText"], fontName="SC", fontSize=10, leading=15, wordWrap=wrap)
    small = ParagraphStyle("small", body, fontSize=8, leading=11, textColor=colors.grey)
    title = ParagraphStyle("title", body, fontName="SC-Bold", fontSize=20, leading=26, spaceAfter=8)
    heading = ParagraphStyle("heading", body, fontName="SC-Bold", fontSize=13, leading=18, spaceBefore=10,
                             spaceAfter=4, textColor=colors.HexColor("#1f3a5f"))
    big = ParagraphStyle("big", body, fontName="SC-Bold", fontSize=15, leading=19)
    band = ParagraphStyle("band", body, textColor=colors.white, fontSize=9, leading=12)
    bullet = ParagraphStyle("bullet", body, leftIndent=12, bulletIndent=2)

    def para(value: str, style: ParagraphStyle = body, refs: list | None = None, **kw: object) -> Paragraph:
        marks = b.marks(refs) if refs else ""
        return Paragraph(value + (f"<super>{marks}</super>" if marks else ""), style, **kw)

    story: list = []
    info = event["event"]
    if info.get("part_of"):
        masthead = Table([[Paragraph(escape(b.t(info["part_of"])), band)]], colWidths=[170 * mm])
        masthead.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#1f3a5f"))]))
        story += [masthead, Spacer(1, 6)]
    story.append(para(escape(b.t(event["title"])), title))
    if event.get("subtitle"):
        story.append(para(escape(b.t(event["subtitle"])), heading))
    for label, value in b.meta():
        story.append(para(f"<b>{escape(label)}</b>{words['colon']}{escape(value)}", small))
    story.append(para(escape(words["Summary"]), heading))
    summary = Table([[para(escape(b.t(event["summary"])), refs=event.get("summary_refs"))]], colWidths=[170 * mm])
    summary.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#eef2f7")),
                                 ("LINEBEFORE", (0, 0), (0, -1), 2, colors.HexColor("#1f3a5f"))]))
    story.append(summary)
    if event.get("figures"):
        story.append(para(escape(words["Key figures"]), heading))
        cells = [[para(escape(figure_value(f, lang)), big), para(escape(b.t(f["label"]))),
                  para(escape(b.figure_note(f)), small, refs=f.get("refs"))] for f in event["figures"]]
        figures = Table([cells], colWidths=[170 * mm / len(cells)] * len(cells))
        figures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                     ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f4f6f9")),
                                     ("LINEAFTER", (0, 0), (-2, -1), 4, colors.white)]))
        story.append(figures)
    for section in event["sections"]:
        story.append(para(escape(b.t(section["heading"])), heading))
        for point in section["points"]:
            who = f"<b>{escape(b.speaker(point['speaker']))}</b>{words['colon']}" if point.get("speaker") else ""
            story.append(para(who + escape(b.t(point["text"])), bullet, refs=point.get("refs"), bulletText="•"))
    if event.get("people"):
        story.append(para(escape(words["Participants"]), heading))
        rows = [[para(f"<b>{escape(words[w])}</b>", small) for w in ("Name", "Role", "Organization", "Country")]]
        rows += [[para(escape(cell), small) for cell in row] for row in b.participants()]
        people = Table(rows, colWidths=[35 * mm, 35 * mm, 65 * mm, 35 * mm], repeatRows=1)
        people.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7"))]))
        story.append(people)
    if event.get("sources"):
        story.append(para(escape(words["Sources"]), heading))
        for number, source in enumerate(event["sources"], 1):
            line = escape(b.source(number, source))
            if source.get("url"):
                line += f' <link href="{escape(source["url"])}">{escape(source["url"])}</link>'
            story.append(para(line, small))
    if event.get("keywords"):
        keywords = (words["sep"] if lang == "zh" else "; ").join(b.t(k) for k in event["keywords"].get(lang, []))
        story.append(para(f"<b>{escape(words['Keywords'])}</b>{words['colon']}{escape(keywords)}", small))

    header = b.t(info["name"])

    class NumberedCanvas(canvas.Canvas):
        """ReportLab's recipe for "Page x of y": keep each page's state, draw the furniture when the count is known."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont("SC", 8)
                self.setFillColor(colors.grey)
                self.drawString(20 * mm, A4[1] - 14 * mm, header)
                self.line(20 * mm, A4[1] - 16 * mm, A4[0] - 20 * mm, A4[1] - 16 * mm)
                page = words["page"].format(page=self._pageNumber, pages=len(self._pages))
                self.drawCentredString(A4[0] / 2, 12 * mm, page)
                super().showPage()
            super().save()

    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, title=b.t(event["title"]), leftMargin=20 * mm,
                                 rightMargin=20 * mm, topMargin=22 * mm, bottomMargin=20 * mm)
    document.build(story, canvasmaker=NumberedCanvas)
    return out.getvalue()


def docx(event: dict, lang: str) -> bytes:
    import docx as python_docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    b = Briefing(event, lang)
    words = b.words
    document = python_docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")

    def labelled(paragraph: object, label: str, value: str) -> None:
        paragraph.add_run(label).bold = True
        paragraph.add_run(words["colon"] + value)

    def marks(paragraph: object, refs: list | None) -> None:
        if refs:
            paragraph.add_run(b.marks(refs)).font.superscript = True

    info = event["event"]
    section = document.sections[0]
    section.header.paragraphs[0].text = b.t(info["name"])
    footer = section.footer.paragraphs[0]
    before, _, after = words["page"].partition("{page}")
    middle, _, end = after.partition("{pages}")
    footer.add_run(before)
    for field, tail in (("PAGE", middle), ("NUMPAGES", end)):
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), field)
        footer._p.append(simple)
        footer.add_run(tail)
    if info.get("part_of"):
        run = document.add_paragraph().add_run(b.t(info["part_of"]))
        run.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    document.add_heading(b.t(event["title"]), 0)
    if event.get("subtitle"):
        document.add_paragraph(b.t(event["subtitle"]), style="Subtitle")
    for label, value in b.meta():
        labelled(document.add_paragraph(), label, value)
    document.add_heading(words["Summary"], 1)
    summary = document.add_paragraph(b.t(event["summary"]), style="Intense Quote")
    marks(summary, event.get("summary_refs"))
    if event.get("figures"):
        document.add_heading(words["Key figures"], 1)
        table = document.add_table(rows=1, cols=len(event["figures"]))
        for cell, figure in zip(table.rows[0].cells, event["figures"]):
            value = cell.paragraphs[0].add_run(figure_value(figure, lang))
            value.bold, value.font.size = True, Pt(15)
            cell.add_paragraph(b.t(figure["label"]))
            note = cell.add_paragraph()
            note.add_run(b.figure_note(figure)).font.size = Pt(8)
            marks(note, figure.get("refs"))
    for part in event["sections"]:
        document.add_heading(b.t(part["heading"]), 1)
        for point in part["points"]:
            paragraph = document.add_paragraph(style="List Bullet")
            if point.get("speaker"):
                paragraph.add_run(b.speaker(point["speaker"])).bold = True
                paragraph.add_run(words["colon"])
            paragraph.add_run(b.t(point["text"]))
            marks(paragraph, point.get("refs"))
    if event.get("people"):
        document.add_heading(words["Participants"], 1)
        table = document.add_table(rows=1, cols=4, style="Table Grid")
        for cell, word in zip(table.rows[0].cells, ("Name", "Role", "Organization", "Country")):
            cell.paragraphs[0].add_run(words[word]).bold = True
        for row in b.participants():
            for cell, value in zip(table.add_row().cells, row):
                cell.text = value
    if event.get("sources"):
        document.add_heading(words["Sources"], 1)
        for number, source in enumerate(event["sources"], 1):
            line = b.source(number, source)
            document.add_paragraph(line + (f" {source['url']}" if source.get("url") else ""))
    if event.get("keywords"):
        keywords = (words["sep"] if lang == "zh" else "; ").join(b.t(k) for k in event["keywords"].get(lang, []))
        labelled(document.add_paragraph(), words["Keywords"], keywords)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


if __name__ == "__main__":
    raise SystemExit(serve(pdf, docx))
