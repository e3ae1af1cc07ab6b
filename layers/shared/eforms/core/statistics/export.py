"""The follow-up figures as a table to take away: CSV or an Excel workbook (``GET /statistics?format=``).

One row per month and one for the whole period, the columns named in the reader's language. Shares are
percentages of their denominators (blank where there was nothing to divide); CSV follows the reader's
spreadsheet (a semicolon and a decimal comma in Swedish and Danish). The workbook is written by openpyxl,
imported only on this request.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from eforms.core.common.i18n import Language, text

#: (column key, how a figures dict gives its value)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("received", "received"),
    ("at_payroll", "at_payroll"),
    ("closed", "closed"),
    ("feedbackInTime", "share"),
    ("certificatesInTime", "share"),
    ("askedToComplete", "share"),
    ("fourEyesReturns", "share"),
    ("beforeCutOff", "share"),
    ("satisfied", "share"),
    ("responseRate", "share"),
    ("leadMedian", "median"),
    ("leadP90", "p90"),
    ("backlog", "backlog"),
    ("handled", "handled"),
)
FORMATS = ("json", "csv", "xlsx")


def value_of(figures: dict[str, Any], column: str, kind: str) -> float | int | None:
    """One column's value: a share as a percentage (None: nothing to divide), a lead time, a count."""
    if kind == "share":
        share = figures[column]["share"]
        return None if share is None else round(share * 100, 1)
    if kind in ("median", "p90"):
        found: int | None = figures["leadTime"][kind]
        return found
    number: int = figures[kind]
    return number


def table(found: dict[str, Any], language: Language) -> tuple[list[str], list[list[Any]]]:
    """The header and the rows: each month, then the whole period."""
    header = [text("statistics.month", language)] + [text(f"statistics.{c}", language) for c, _ in COLUMNS]
    months = [[m["month"], *(value_of(m["figures"], c, k) for c, k in COLUMNS)] for m in found["months"]]
    whole = [text("statistics.total", language), *(value_of(found["total"], c, k) for c, k in COLUMNS)]
    return header, [*months, whole]


def as_csv(found: dict[str, Any], language: Language) -> bytes:
    header, rows = table(found, language)
    comma = language in ("sv", "da")  # their spreadsheets read a decimal comma, and columns by semicolon
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if comma else ",", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            ["" if v is None else str(v).replace(".", ",") if comma and isinstance(v, float) else v for v in row]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM: spreadsheets then read it as UTF-8


def as_xlsx(found: dict[str, Any], language: Language) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows = table(found, language)
    book = Workbook()
    sheet = book.active
    sheet.title = text("statistics.sheet", language)[:31]
    sheet.append([f"{found['organisation']['name']}, {found['from']} – {found['to']}"])
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "B3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
