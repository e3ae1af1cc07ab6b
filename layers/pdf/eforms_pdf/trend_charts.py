"""The service report's trend, drawn by reportlab's own chart module (``reportlab.graphics``, so no second
library in the PDF layer): received and closed per month as bars, and the targeted shares per month against
their targets as lines. The same numbers are printed in a table beneath, for whoever reads the text."""

from __future__ import annotations

from typing import Any

from eforms.core.common.i18n import Language, text

#: The shares a target is drawn for (docs/statistics.md §5), and their colours.
TARGETED = (("feedbackInTime", "#1b4f8a"), ("satisfied", "#2e7d32"))
RECEIVED, CLOSED = "#1b4f8a", "#9db4d0"


def label(column: str, language: Language) -> str:
    """A figure's name without the unit its column heading carries."""
    return text(f"statistics.{column}", language).replace(" (%)", "")


def month_labels(trend: dict[str, Any], language: Language) -> list[str]:
    return [text(f"statistics.months.{int(m['month'][5:])}", language)[:3] for m in trend["months"]]


def _axes(chart: Any, font: str) -> None:
    for axis in (
        getattr(chart, "categoryAxis", None) or chart.xValueAxis,
        getattr(chart, "valueAxis", None) or chart.yValueAxis,
    ):
        axis.labels.fontName, axis.labels.fontSize = font, 6
    across = getattr(chart, "categoryAxis", None) or chart.xValueAxis
    across.labels.angle, across.labels.boxAnchor = 45, "ne"


def _legend(x: float, pairs: list[tuple[str, str]], font: str, rows: int) -> Any:
    from reportlab.graphics.charts.legends import Legend
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    legend = Legend()
    legend.x, legend.y, legend.alignment = x, 11 * mm, "right"  # the legend grows down from y; swatch first
    legend.fontName, legend.fontSize, legend.columnMaximum, legend.dx, legend.dy = font, 5.5, rows, 6, 4
    legend.colorNamePairs = [(colors.HexColor(colour), name) for colour, name in pairs]
    return legend


def volumes(trend: dict[str, Any], language: Language, font: str, x: float) -> list[Any]:
    """Received and closed per month: the bars, their title and legend."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import String
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    months = trend["months"]
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = x, 24 * mm, 70 * mm, 44 * mm
    bars.data = [[m["figures"]["received"] for m in months], [m["figures"]["closed"] for m in months]]
    bars.bars[0].fillColor, bars.bars[1].fillColor = colors.HexColor(RECEIVED), colors.HexColor(CLOSED)
    bars.categoryAxis.categoryNames = month_labels(trend, language)
    highest = max([0, *bars.data[0], *bars.data[1]])
    step = max(1, -(-highest // 5))  # whole cases: five steps at most, none of them a fraction
    bars.valueAxis.valueMin, bars.valueAxis.valueMax, bars.valueAxis.valueStep = 0, max(5, step * 5), step
    bars.barSpacing, bars.groupSpacing = 0.5, 3
    _axes(bars, font)
    title = String(x, 74 * mm, text("pdf.service_report.volumes", language), fontName=font, fontSize=7.5)
    pairs = [(RECEIVED, label("received", language)), (CLOSED, label("closed", language))]
    return [bars, title, _legend(x, pairs, font, 1)]


def shares(trend: dict[str, Any], targets: dict[str, float], language: Language, font: str, x: float) -> list[Any]:
    """The targeted shares per month (a month without a denominator has no point) and each target as a dashed
    line: the lines, their title and legend."""
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.graphics.shapes import String
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    months, names = trend["months"], month_labels(trend, language)
    target_word = text("pdf.service_report.target", language)
    series: list[tuple[list[tuple[float, float]], str, str, bool]] = []
    for column, colour in TARGETED:
        points = [
            (float(i), round(m["figures"][column]["share"] * 100, 1))
            for i, m in enumerate(months)
            if m["figures"][column]["share"] is not None
        ]
        if points:
            series.append((points, colour, label(column, language), False))
        if column in targets:
            level = targets[column] * 100
            line = [(0.0, level), (float(len(months) - 1), level)]
            series.append((line, colour, f"{target_word}: {label(column, language)}", True))
    lines = LinePlot()
    lines.x, lines.y, lines.width, lines.height = x, 24 * mm, 70 * mm, 44 * mm
    lines.data = [points for points, *_ in series] or [[(0.0, 0.0)]]
    for index, (_, colour, _name, dashed) in enumerate(series):
        lines.lines[index].strokeColor = colors.HexColor(colour)
        lines.lines[index].strokeWidth = 0.8 if dashed else 1.2
        if dashed:
            lines.lines[index].strokeDashArray = (3, 2)
    lines.xValueAxis.valueMin, lines.xValueAxis.valueMax = 0, max(len(months) - 1, 1)
    lines.xValueAxis.valueSteps = list(range(len(months)))
    lines.xValueAxis.labelTextFormat = lambda value: names[int(value)] if 0 <= int(value) < len(names) else ""
    lines.yValueAxis.valueMin, lines.yValueAxis.valueMax, lines.yValueAxis.valueStep = 0, 100, 20
    _axes(lines, font)
    title = String(x, 74 * mm, text("pdf.service_report.shares", language), fontName=font, fontSize=7.5)
    return [lines, title, _legend(x, [(colour, name) for _, colour, name, _ in series], font, 2)]


def drawing(trend: dict[str, Any], targets: dict[str, float], language: Language, font: str) -> Any:
    """Both charts side by side, one flowable."""
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.units import mm

    found = Drawing(170 * mm, 80 * mm)
    for shape in [*volumes(trend, language, font, 8 * mm), *shares(trend, targets, language, font, 96 * mm)]:
        found.add(shape)
    return found
