"""Totals the server computes from a form's rows, never taking the sender's sum on trust (``x-totals``).

Declared on the form's root::

    "x-totals": {"rows": "rows", "by": "activity", "start": "from", "end": "to", "hours": "hours",
                 "into": "totals"}

Each row counts ``hours`` if it has them, else the time from ``start`` to ``end`` (past midnight when the
end is before the start). The hours are summed per ``by`` value; without ``by`` (an overtime report's
shifts) into one sum, under the empty group. A sender may include their own sums under
``into``; they must equal the server's (``totals_mismatch``, naming the right ones). Whatever was sent, the
case shows the server's totals (``presentation``), so payroll, the PDF and the approver read the same sums.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeGuard

from eforms.core.forms.problems import Problem
from eforms.core.forms.row_rules import minutes


def spec_of(schema: dict[str, Any]) -> dict[str, Any] | None:
    spec = schema.get("x-totals")
    return spec if isinstance(spec, dict) else None


def compute(spec: dict[str, Any], data: Any) -> dict[str, float]:
    """Hours per group, in the order the groups first appear; rows that are not well-formed count nothing."""
    rows = data.get(spec.get("rows")) if isinstance(data, dict) else None
    totals: dict[str, float] = {}
    by = spec.get("by")
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict) or (by is not None and not isinstance(row.get(by), str)):
            continue
        hours = _hours(spec, row)
        if hours is not None:
            group = row[by] if by is not None else ""
            totals[group] = round(totals.get(group, 0.0) + hours, 2)
    return totals


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _hours(spec: dict[str, Any], row: dict[str, Any]) -> float | None:
    given = row.get(str(spec.get("hours")))
    if _is_number(given):
        return float(given)
    start, end = minutes(row.get(str(spec.get("start")))), minutes(row.get(str(spec.get("end"))))
    if start is None or end is None or start == end:
        return None
    return ((end - start) % (24 * 60)) / 60


def shown(totals: dict[str, float], number: Callable[[float], str] = "{:g}".format) -> str:
    """``PROJ1: 7.5 h, ADM: 2 h``: how the totals read in the case, the PDF and the approver's email.
    ``number`` writes each sum (presentation passes its own, which writes ``7,5`` where the reader does)."""
    parts = (f"{group}: {number(hours)} h" if group else f"{number(hours)} h" for group, hours in totals.items())
    return ", ".join(parts) or "–"


def check(spec: Any, instance: Any) -> Iterator[Problem]:
    """The sender's sums under ``into``, where they differ from the server's (``x-totals`` declared as ``spec``)."""
    if not isinstance(spec, dict) or not isinstance(instance, dict) or spec.get("into") not in instance:
        return
    sent = instance[spec["into"]]
    if isinstance(sent, dict) and not all(_is_number(hours) for hours in sent.values()):
        return  # a sum that is not a number is the schema's to report (wrong_type), not comparable here
    computed = compute(spec, instance)
    same = isinstance(sent, dict) and set(sent) == set(computed)
    if not same or any(abs(float(sent[group]) - computed[group]) > 0.005 for group in computed):
        yield Problem("totals_mismatch", (str(spec["into"]),), {"computed": shown(computed)})
