"""The signed case PDF: what was applied for, by whom, what was decided, and the case's fingerprint.

Text is set in DejaVu Sans, embedded, so every name renders: å ä ö, æ ø, Ł, Đ, Ŋ, the Sami letters,
Cyrillic. Nothing a user can type makes rendering fail: text is XML-escaped for reportlab's paragraph
markup, characters XML cannot carry are dropped, and characters the font lacks (emoji) print as the
font's blank glyph instead of raising. Labels and choice titles come from the form version the case was
filed on; times are shown in Europe/Stockholm.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from eforms.core.cases.model import Case
from eforms.core.common.clock import STOCKHOLM
from eforms.core.documents.fingerprint import round_decisions
from eforms.core.forms.catalogue import FormDefinition
from eforms.core.forms.presentation import field_rows

FONTS = Path(__file__).resolve().parent / "fonts"
if not FONTS.exists():  # in the repository the fonts sit beside the package, in the layer inside it
    FONTS = Path(__file__).resolve().parent.parent / "fonts"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

ACTIONS = {
    "submitted": "Inskickad",
    "approval_requested": "Skickad till beslutsfattare",
    "reminder_sent": "Påminnelse skickad",
    "escalated": "Skickad vidare uppåt",
    "returned": "Återskickad för rättelse",
    "resubmitted": "Rättad och inskickad igen",
    "step_approved": "Godkänd i sitt steg",
    "approved": "Beviljad",
    "rejected": "Avslagen",
    "expired": "Avslutad utan beslut",
    "handed_to_payroll": "Överlämnad till Lönecentrum",
    "pdf_shared": "Skickad till administratör",
}
REASONS = {
    "manager": "Chef",
    "substitute": "Ersättare för chef",
    "next-manager": "Chefens chef",
    "managers-manager": "Chefens chef",
    "team": "Specialistfunktion",
    "escalation": "Chefens chef (eskalering)",
    "reminder": "Chef",
    "no-one-above": "Chef",
}
CHANNELS = {"api": "e-tjänsten", "email-link": "länk i e-post", "workflow": "automatiskt"}


def _text(value: object) -> str:
    """Safe for reportlab's paragraph markup: escaped, and without characters XML cannot hold."""
    return escape(_NOT_XML.sub("", str(value))).replace("\n", "<br/>")


def _when(instant: datetime) -> str:
    return instant.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


@cache
def _fonts() -> tuple[str, str]:
    """Register the embedded fonts once per container."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily("DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold")
    return "DejaVuSans", "DejaVuSans-Bold"


def render(case: Case, form: FormDefinition, *, fingerprint: str, generated_at: datetime) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#333333"))
    heading = ParagraphStyle("h2", parent=body, fontName=bold, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4)
    title = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=17, leading=21, spaceAfter=2)

    def p(value: object, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(_text(value), style)

    def table(rows: list[list[Paragraph]], widths: list[float]) -> Table:
        grid = Table(rows, colWidths=widths, hAlign="LEFT")
        grid.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return grid

    story: list[object] = [
        p(form.title("sv"), title),
        p(f"Ärendenummer {case.case_id} · formulärversion {case.form_version}", small),
        Spacer(1, 4 * mm),
    ]
    parties = [[p("Sökande", body), p(f"{case.applicant.name} ({case.applicant.id})")]]
    if case.subject.id != case.applicant.id:
        parties.append([p("Ärendet gäller"), p(f"{case.subject.name} ({case.subject.id})")])
    parties.append([p("Inskickad"), p(_when(case.created_at))])
    story += [table(parties, [45 * mm, 125 * mm]), p("Uppgifter", heading)]
    answers = [[p(label), p(value)] for _, label, value in field_rows(form, case.data, "sv")]
    story.append(table(answers or [[p("–"), p("Inga uppgifter")]], [65 * mm, 105 * mm]))

    if case.attachments:
        story.append(p("Bilagor", heading))
        files = [
            [p(a.name, small), p(f"{a.size:,} byte".replace(",", " "), small), p(a.sha256, small)]
            for a in case.attachments
        ]
        story.append(table(files, [55 * mm, 25 * mm, 90 * mm]))

    decisions = round_decisions(case)
    story.append(p("Beslut", heading))
    if not decisions:
        story.append(p("Ärendet går direkt till Lönecentrum utan chefens beslut."))
    for decision in decisions:  # every step of the route that decided, in order
        asked = next(
            (
                h
                for h in reversed(case.history[: case.history.index(decision)])
                if h.action in ("approval_requested", "reminder_sent", "escalated")
                and h.details.get("step") == decision.details.get("step")
            ),
            None,
        )
        role = REASONS.get(str(asked.details.get("reason")), "Beslutsfattare") if asked else "Beslutsfattare"
        rows = [
            [p("Beslut"), p(ACTIONS.get(decision.action, decision.action))],
            [p("Beslutsfattare"), p(f"{decision.actor.name} ({decision.actor.id})")],
            [p("Roll"), p(role)],
            [p("Tidpunkt"), p(f"{_when(decision.at)} (svensk tid)")],
            [p("Kommentar"), p(decision.details.get("message") or "–")],
        ]
        story.append(table(rows, [45 * mm, 125 * mm]))

    story.append(p("Händelser", heading))
    history = [
        [
            p(_when(h.at), small),
            p(ACTIONS.get(h.action, h.action), small),
            p(h.actor.name, small),
            p(CHANNELS.get(h.channel.value, h.channel.value), small),
        ]
        for h in case.history
    ]
    story.append(table(history, [30 * mm, 55 * mm, 50 * mm, 35 * mm]))
    story += [
        Spacer(1, 6 * mm),
        p("Fingeravtryck (SHA-256 av ärendets kanoniska data)", small),
        p(fingerprint, ParagraphStyle("mono", parent=small, fontName=regular, fontSize=7.5)),
        p(f"Skapad {_when(generated_at)} av Lönecentrums e-tjänst.", small),
    ]

    def footer(canvas: object, document: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(regular, 7)  # type: ignore[attr-defined]
        canvas.drawString(20 * mm, 10 * mm, f"{form.title('sv')} · {case.case_id} · SHA-256 {fingerprint[:16]}…")  # type: ignore[attr-defined]
        canvas.drawRightString(190 * mm, 10 * mm, f"Sida {document.page}")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{form.title('sv')} {case.case_id}",
        author="Lönecentrum",
        subject=f"SHA-256 {fingerprint}",
        invariant=1,  # reproducible bytes for the same input
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
