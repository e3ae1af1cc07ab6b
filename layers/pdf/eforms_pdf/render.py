"""The signed case PDF: what was applied for, by whom, what was decided, and the case's fingerprint.

Every name renders, in whatever script it is written: DejaVu Sans, embedded, sets Latin (with every Nordic
and Sámi letter), Cyrillic, Greek, Arabic and Hebrew; characters it lacks (Chinese, Japanese, Korean,
emoji) are set in a fallback font, and the text layer reads back as typed (``scripts``). Nothing a user can
type makes rendering fail: text is XML-escaped for reportlab's paragraph markup and characters XML cannot
carry are dropped. Labels and choice titles come from the form version the case was filed on, in the
language the form is written in (its first, ``x-eform.languages``), as are the PDF's own words
(``core/common/i18n``, under ``pdf``); times are shown in Europe/Stockholm (Copenhagen's too).
"""

from __future__ import annotations

from datetime import datetime

from eforms.core.cases.lifecycle import SYSTEM
from eforms.core.cases.model import Case
from eforms.core.common.clock import STOCKHOLM
from eforms.core.common.i18n import text, texts
from eforms.core.documents.fingerprint import round_decisions
from eforms.core.forms.catalogue import FormDefinition
from eforms.core.forms.presentation import field_rows
from eforms_pdf import layout, scripts

_text = scripts.markup


def _when(instant: datetime) -> str:
    return instant.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def render(case: Case, form: FormDefinition, *, fingerprint: str, generated_at: datetime) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    from eforms_pdf.heading import Heavy

    body = ParagraphStyle("body", fontName=scripts.register(), fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#333333"))
    heading = ParagraphStyle("h2", parent=body, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4)
    title = ParagraphStyle("h1", parent=body, fontSize=17, leading=21, spaceAfter=2)

    def p(value: object, style: ParagraphStyle = body) -> Paragraph:
        return (Heavy if style in (heading, title) else Paragraph)(_text(value), style)

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

    lang = form.languages[0]

    def t(key: str, **params: object) -> str:
        return text(f"pdf.{key}", lang, **params)

    def named(group: str, key: str, default: str) -> str:
        return t(f"{group}.{key}") if f"pdf.{group}.{key}" in texts(lang) else default

    story: list[object] = [
        p(form.title(lang), title),
        p(t("case_line", case_id=case.reference, version=case.form_version), small),
        Spacer(1, 4 * mm),
    ]
    parties = [[p(t("applicant"), body), p(case.applicant.name)]]
    if case.subject.id != case.applicant.id:
        parties.append([p(t("concerns")), p(case.subject.name)])
    parties.append([p(t("submitted")), p(_when(case.created_at))])
    story += [table(parties, [45 * mm, 125 * mm]), p(t("answers"), heading)]
    answers = [[p(label), p(value)] for _, label, value in field_rows(form, case.data, lang)]
    story.append(table(answers or [[p("–"), p(t("no_answers"))]], [65 * mm, 105 * mm]))

    if case.attachments:
        story.append(p(t("attachments"), heading))
        files = [
            [p(a.name, small), p(t("bytes", size=f"{a.size:,}".replace(",", " ")), small), p(a.sha256, small)]
            for a in case.attachments
        ]
        story.append(table(files, [55 * mm, 25 * mm, 90 * mm]))

    decisions = round_decisions(case)
    story.append(p(t("decisions"), heading))
    if not decisions:
        story.append(p(t("straight_to_payroll")))
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
        role = named("reason", str(asked.details.get("reason")), t("decider")) if asked else t("decider")
        rows = [
            [p(t("decision")), p(named("action", decision.action, decision.action))],
            [p(t("decider")), p(decision.actor.name)],
            [p(t("role")), p(role)],
            [p(t("time")), p(text("value.local_time", lang, time=_when(decision.at)))],
            [p(t("comment")), p(decision.details.get("message") or "–")],
        ]
        story.append(table(rows, [45 * mm, 125 * mm]))

    story.append(p(t("events"), heading))
    history = [
        [
            p(_when(h.at), small),
            p(named("action", h.action, h.action), small),
            p(text("value.system", lang) if h.actor.id == SYSTEM.id else h.actor.name, small),
            p(named("channel", h.channel.value, h.channel.value), small),
        ]
        for h in case.history
    ]
    story.append(table(history, [30 * mm, 55 * mm, 50 * mm, 35 * mm]))
    story += [
        Spacer(1, 6 * mm),
        p(t("fingerprint"), small),
        p(fingerprint, ParagraphStyle("mono", parent=small, fontSize=7.5)),
        p(t("generated", time=_when(generated_at)), small),
    ]

    return layout.a4(
        story,
        font=body.fontName,
        footer=f"{form.title(lang)} · {case.case_id} · SHA-256 {fingerprint[:16]}…",
        page_label=lambda number: t("page", page=number),
        title=f"{form.title(lang)} {case.reference}",
        author=t("author"),
        subject=f"SHA-256 {fingerprint}",
    )
