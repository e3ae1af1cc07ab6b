"""The follow-up figures read from the aggregates: counts summed over rows, shares divided once, the lead
time's median and 90th percentile read from its histogram (docs/statistics.md, §1).

Nothing here reads a case. Rows are what the aggregates hold: one organisation's month in one dimension,
with its counters. A share over a team, a quarter or a year is the sum of its counts, divided once, never
an average of monthly percentages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from eforms.core.statistics.contributions import LEAD_BUCKETS, Contribution

#: (organisation, month, dimension) → counters
Rows = dict[tuple[str, str, str], dict[str, int]]
#: Each share: its numerator and denominator counters.
SHARES = {
    "feedbackInTime": ("feedback_in_time", "feedback"),
    "certificatesInTime": ("certificates_in_time", "certificates"),
    "askedToComplete": ("asked_to_complete", "at_payroll"),
    "fourEyesReturns": ("returns", "registrations"),
    "beforeCutOff": ("before_cutoff", "pay_cases"),
    "satisfied": ("satisfied", "ratings"),
    "responseRate": ("ratings", "closed_at_payroll"),
}
COUNTS = ("received", "at_payroll", "closed", "handled", "registrations", "returns")


def accumulate(contributions: Iterable[Contribution], rows: Rows | None = None) -> Rows:
    """The rows ``contributions`` add up to (on top of ``rows``): what the aggregates hold after applying
    each once — the recount's arithmetic, and the fake store's."""
    found: Rows = rows if rows is not None else {}
    for contribution in contributions:
        for increment in contribution.increments:
            row = found.setdefault((increment.organisation, increment.month, increment.dimension), {})
            for name, amount in increment.counters.items():
                row[name] = row.get(name, 0) + amount
    return found


def total(rows: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """The rows' counters summed."""
    summed: dict[str, int] = {}
    for row in rows:
        for name, amount in row.items():
            summed[name] = summed.get(name, 0) + amount
    return summed


def share(counters: Mapping[str, int], name: str) -> dict[str, Any]:
    """A share as its count, its denominator and their quotient (None when there is nothing to divide)."""
    numerator, denominator = SHARES[name]
    part, whole = counters.get(numerator, 0), counters.get(denominator, 0)
    return {"count": part, "of": whole, "share": round(part / whole, 4) if whole else None}


def lead_percentile(counters: Mapping[str, int], fraction: float) -> int | None:
    """The lead time (working days) that ``fraction`` of the closed cases did not exceed; None for none. The
    last bucket holds every longer case: its value reads as "at least"."""
    buckets = [counters.get(f"lead#{n:02d}", 0) for n in range(LEAD_BUCKETS)]
    count = sum(buckets)
    if not count:
        return None
    wanted, seen = fraction * count, 0
    for days, amount in enumerate(buckets):
        seen += amount
        if seen >= wanted:
            return days
    return LEAD_BUCKETS - 1


def figures(counters: Mapping[str, int]) -> dict[str, Any]:
    """Every figure of docs/statistics.md §1 from one set of summed counters."""
    return {
        **{name: counters.get(name, 0) for name in COUNTS},
        **{name: share(counters, name) for name in SHARES},
        "leadTime": {"median": lead_percentile(counters, 0.5), "p90": lead_percentile(counters, 0.9)},
        "backlog": counters.get("at_payroll", 0) - counters.get("finished_at_payroll", 0),
    }
