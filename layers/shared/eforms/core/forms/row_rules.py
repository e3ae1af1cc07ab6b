"""Rules over the repeatable rows of a form (a time report, overtime, shifted hours), declared in the schema.

``x-rows`` on an array of objects (one spec, or a list of specs for several pairs of times per row)::

    {"date": "date", "start": "from", "end": "to", "overnight": true,
     "minHours": 0.25, "maxHours": 16, "noOverlap": true}

* ``start``/``end`` name two ``HH:MM`` fields of a row: the end must come after the start — or, with
  ``overnight``, a row whose end is before its start runs past midnight (22:00–06:00 is 8 hours);
* ``minHours``/``maxHours`` bound a row's length;
* ``noOverlap``: no two rows of the same ``date`` may overlap in time (a night row counts into the next day).

JSON Schema cannot say any of these, so they are the server's (the browser learns of them from the 422,
each at its row's field). Rows that are not yet well-formed are left to the schema's own errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from eforms.core.forms.problems import Problem

_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$", re.ASCII)
_DAY = timedelta(days=1)


def minutes(value: Any) -> int | None:
    """``HH:MM`` as minutes after midnight, or None for anything else."""
    match = _TIME.match(value) if isinstance(value, str) else None
    return int(match.group(1)) * 60 + int(match.group(2)) if match else None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def _hours(number: float) -> str:
    return f"{number:g}"


def check(spec: Any, instance: Any) -> Iterator[Problem]:
    """Every broken row rule of ``instance`` (the rows) under ``x-rows`` declared as ``spec``."""
    if not isinstance(instance, list):
        return
    for one in spec if isinstance(spec, list) else [spec]:
        if isinstance(one, dict):
            yield from _check(one, instance)


def _check(spec: dict[str, Any], rows: list[Any]) -> Iterator[Problem]:
    start_key, end_key, date_key = spec.get("start"), spec.get("end"), spec.get("date")
    spans: list[tuple[int, datetime, datetime]] = []
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            continue
        start, end = minutes(row.get(start_key)), minutes(row.get(end_key))
        if start is None or end is None:
            continue
        length = end - start
        if length <= 0:
            if not spec.get("overnight") or length == 0:
                yield Problem("time_order", (index, str(end_key)))
                continue
            length += 24 * 60
        low, high = spec.get("minHours"), spec.get("maxHours")
        too_short = isinstance(low, int | float) and length < low * 60
        if too_short or (isinstance(high, int | float) and length > high * 60):
            params = {"min": _hours(low or 0), "max": _hours(high or 24)}
            yield Problem("row_hours", (index, str(end_key)), params)
            continue
        day = _day(row.get(date_key)) if date_key else None
        if day is not None:
            begins = datetime(day.year, day.month, day.day) + timedelta(minutes=start)
            spans.append((index, begins, begins + timedelta(minutes=length)))
    if spec.get("noOverlap"):
        yield from _overlaps(spans, str(start_key))


def _overlaps(spans: list[tuple[int, datetime, datetime]], start_key: str) -> Iterator[Problem]:
    """Each row that starts inside an earlier row's time, reported once, naming the row it overlaps."""
    ordered = sorted(spans, key=lambda span: (span[1], span[0]))
    for position, (index, begins, _) in enumerate(ordered):
        for other, other_begins, other_ends in ordered[:position]:
            if other_begins <= begins < other_ends:
                yield Problem("rows_overlap", (index, start_key), {"row": other + 1})
                break
