"""x-rows: a row's times in order (or past midnight), its length within bounds, no overlapping rows."""

from __future__ import annotations

from typing import Any

import pytest

from eforms.core.forms.problems import Problem
from eforms.core.forms.row_rules import check, minutes

SPEC: dict[str, Any] = {
    "date": "date",
    "start": "from",
    "end": "to",
    "overnight": True,
    "minHours": 0.25,
    "maxHours": 16,
    "noOverlap": True,
}


def _errors(rows: list[Any], spec: dict[str, Any] = SPEC) -> list[tuple[str, list[Any], dict[str, Any]]]:
    found: list[Problem] = list(check(spec, rows))
    return [(e.code, list(e.path), e.params) for e in found]


def _row(day: str, start: str, end: str) -> dict[str, str]:
    return {"date": day, "from": start, "to": end}


@pytest.mark.parametrize(("text", "expected"), [("00:00", 0), ("23:59", 1439), ("07:05", 425)])
def test_minutes(text: str, expected: int) -> None:
    assert minutes(text) == expected


@pytest.mark.parametrize("text", ["24:00", "7:05", "07:60", "0700", "", None, 7])
def test_not_a_time(text: Any) -> None:
    assert minutes(text) is None


def test_a_night_row_runs_past_midnight_only_when_the_form_allows_it() -> None:
    assert _errors([_row("2026-11-16", "22:00", "06:00")]) == []
    day_only = {**SPEC, "overnight": False}
    assert _errors([_row("2026-11-16", "22:00", "06:00")], day_only) == [("time_order", [0, "to"], {})]
    assert _errors([_row("2026-11-16", "08:00", "08:00")]) == [("time_order", [0, "to"], {})]  # never zero


def test_a_rows_length_is_bounded() -> None:
    assert _errors([_row("2026-11-16", "08:00", "08:10")]) == [("row_hours", [0, "to"], {"min": "0.25", "max": "16"})]
    assert _errors([_row("2026-11-16", "06:00", "22:30")]) == [("row_hours", [0, "to"], {"min": "0.25", "max": "16"})]
    assert _errors([_row("2026-11-16", "06:00", "22:00")]) == []  # exactly 16 hours


def test_overlaps_are_found_across_midnight_and_reported_once_at_the_later_row() -> None:
    rows = [
        _row("2026-11-16", "22:00", "03:00"),
        _row("2026-11-17", "01:00", "02:00"),  # inside the night shift that began the day before
        _row("2026-11-17", "03:00", "05:00"),  # starts as the night shift ends: no overlap
        _row("2026-11-16", "23:00", "23:30"),  # also inside the night shift
    ]
    assert _errors(rows) == [("rows_overlap", [3, "from"], {"row": 1}), ("rows_overlap", [1, "from"], {"row": 1})]


def test_rows_the_schema_already_refuses_are_left_to_it() -> None:
    assert _errors([{"date": "2026-11-16", "from": "25:00", "to": "06:00"}, "not a row", {}]) == []
