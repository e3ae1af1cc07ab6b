"""The monthly service report as a PDF (docs/statistics.md §6): the month's figures beside the twelve months'
and the targets, the trend drawn as charts by reportlab's own chart module (``reportlab.graphics``, so no
second library in the layer) with the same numbers in a table beneath for whoever reads the text, and each
e-service's month.

Only figures: no person is named. Words come from the i18n home (``pdf.service_report``, ``statistics``) in
the organisation's first language; shares print with the decimal comma of Swedish and Danish.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eforms.core.common.clock import STOCKHOLM
from eforms.core.common.i18n import Language, text
from eforms.core.organisations.registry import Organisation
from eforms.core.statistics.export import COLUMNS, value_of
from eforms.core.statistics.service_reports import month_name
from eforms_pdf import layout, scripts, trend_charts
from eforms_pdf.trend_charts import label

_FORM_COLUMNS = ("received", "closed", "feedbackInTime", "leadMedian")


def _number(value: float | int | None, language: Language) -> str:
    if value is None:
        return "–"
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return shown.replace(".", ",") if language in ("sv", "da") else shown


def _cell(figures: dict[str, Any], column: str, kind: str, language: Language) -> str:
    """A figure as printed: a share with its count ("93,5 % (43 av 46)"), a count or a lead time."""
    if kind == "share":
        share = figures[column]
        if share["share"] is None:
            return "–"
        percent = _number(round(share["share"] * 100, 1), language)
        return text("pdf.service_report.share", language, share=percent, count=share["count"], of=share["of"])
    return _number(value_of(figures, column, kind), language)


class _Sheet:
    """The report's styles and its tables: the PDF's vocabulary, so each section below reads as what it shows."""

    def __init__(self, language: Language) -> None:
        from reportlab.lib import colors
        from reportlab.lib.styles import ParagraphStyle

        self.language = language
        self.font = scripts.register()
        self.body = ParagraphStyle("body", fontName=self.font, fontSize=9, leading=11.5)
        self.small = ParagraphStyle(
            "small", parent=self.body, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#333333")
        )
        self.heading = ParagraphStyle("h2", parent=self.body, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4)
        self.title = ParagraphStyle("h1", parent=self.body, fontSize=17, leading=21, spaceAfter=2)

    def t(self, key: str, **params: object) -> str:
        return text(f"pdf.service_report.{key}", self.language, **params)

    def p(self, value: object, style: Any = None) -> Any:
        from reportlab.platypus import Paragraph

        from eforms_pdf.heading import Heavy

        style = style or self.body
        return (Heavy if style in (self.heading, self.title) else Paragraph)(scripts.markup(value), style)

    def table(self, rows: list[list[Any]], widths_mm: list[float]) -> Any:
        from reportlab.lib import colors
        from reportlab.lib.units import mm
        from reportlab.platypus import Table, TableStyle

        grid = Table(rows, colWidths=[w * mm for w in widths_mm], hAlign="LEFT", repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#333333")),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ]
            )
        )
        return grid

    def cell(self, figures: dict[str, Any], column: str, kind: str) -> str:
        return _cell(figures, column, kind, self.language)

    def figures(self, the_month: dict[str, Any], year: dict[str, Any], targets: dict[str, float]) -> Any:
        """Every figure: the month, the twelve months, the target."""
        small = self.small
        rows = [[self.p(self.t(k), small) for k in ("figure", "month", "year", "target")]]
        for column, kind in COLUMNS:
            target = targets.get(column)
            shown = "" if target is None else f"{_number(round(target * 100, 1), self.language)} %"
            rows.append(
                [
                    self.p(label(column, self.language)),
                    self.p(self.cell(the_month, column, kind)),
                    self.p(self.cell(year, column, kind)),
                    self.p(shown),
                ]
            )
        return self.table(rows, [62, 40, 40, 28])

    def trend(self, trend: dict[str, Any]) -> Any:
        """The charts' numbers, month by month."""
        language, small = self.language, self.small
        shown = ("received", "closed", "feedbackInTime", "satisfied")
        header = [self.p(text("statistics.month", language), small)]
        rows = [header + [self.p(label(c, language), small) for c in shown]]
        for entry, name in zip(trend["months"], trend_charts.month_labels(trend, language), strict=True):
            figures = entry["figures"]
            rows.append(
                [self.p(f"{name} {entry['month'][:4]}", small)]
                + [self.p(self.cell(figures, c, c if c in ("received", "closed") else "share"), small) for c in shown]
            )
        return self.table(rows, [30, 25, 25, 45, 45])

    def forms(self, forms: list[dict[str, Any]]) -> Any:
        """Each e-service that had cases in the month, the busiest first."""
        kinds = dict(COLUMNS)
        rows = [
            [self.p(self.t("form"), self.small)] + [self.p(label(c, self.language), self.small) for c in _FORM_COLUMNS]
        ]
        for form in sorted(forms, key=lambda f: (-f["figures"]["received"], f["title"])):
            cells = [self.p(self.cell(form["figures"], c, kinds[c]), self.small) for c in _FORM_COLUMNS]
            rows.append([self.p(form["title"], self.small), *cells])
        return self.table(rows, [60, 20, 20, 45, 25])


def render(
    found: dict[str, dict[str, Any]], organisation: Organisation, month: str, language: Language, generated_at: datetime
) -> bytes:
    """``found``: ``{"month": <the month's report>, "trend": <the twelve months' report>}``, as the statistics
    route presents them (:func:`eforms.core.statistics.reading.named`)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Spacer

    sheet = _Sheet(language)
    the_month, trend = found["month"]["total"], found["trend"]
    targets: dict[str, float] = trend.get("targets", {})
    name, when = organisation.name(language), month_name(month, language)
    heading = sheet.t("title", month=when)
    story: list[Any] = [sheet.p(heading, sheet.title), sheet.p(sheet.t("subtitle", organisation=name), sheet.small)]
    story.append(Spacer(1, 4 * mm))
    if not the_month["received"] and not the_month["closed"]:
        story.append(sheet.p(sheet.t("none")))
    story += [sheet.figures(the_month, trend["total"], targets), sheet.p(sheet.t("trend"), sheet.heading)]
    story += [trend_charts.drawing(trend, targets, language, sheet.font), KeepTogether(sheet.trend(trend))]
    forms = [f for f in found["month"]["forms"] if f["figures"]["received"] or f["figures"]["closed"]]
    if forms:
        story.append(KeepTogether([sheet.p(sheet.t("forms"), sheet.heading), sheet.forms(forms)]))
    stamp = generated_at.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
    story += [Spacer(1, 5 * mm), sheet.p(sheet.t("generated", time=stamp), sheet.small)]

    return layout.a4(
        story,
        font=sheet.font,
        footer=f"{name} · {heading}",
        page_label=lambda number: sheet.t("page", page=number),
        title=f"{heading}: {name}",
        author=text("pdf.author", language),
        lang=language,
    )


def sealed_report(
    found: dict[str, dict[str, Any]], organisation: Organisation, month: str, language: Language, generated_at: datetime
) -> bytes:
    """The report as it is kept and sent: rendered, then sealed with the centre's seal and checked
    (docs/records.md §1)."""
    from eforms_pdf.sealing import sealed

    return sealed(render(found, organisation, month, language, generated_at))
