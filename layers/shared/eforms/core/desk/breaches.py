"""The scheduled service-level check: mark every case whose promise is broken, once, and say so.

It reads only the cases whose clock runs unanswered and whose due date has passed — the sparse
``ByDeadline`` index holds nothing else — and marks each with ``sla_breached`` (history entry, event on
the bus). Marking takes the case out of that index, so the next run never sees it again and a case is
counted once. The count becomes the ``SlaBreaches`` metric the template's alarm watches.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from eforms.core.cases import lifecycle
from eforms.core.cases.model import Case, CaseStore, HistoryEntry
from eforms.core.cases.writer import CaseWriter, Unchanged
from eforms.core.common.clock import Clock, stockholm_date
from eforms.core.common.errors import Conflict

PAGE = 100
MAX_PAGES = 50  # 5,000 breaches in one run would be an outage, not a queue: stop, alarm, and go on next run


def mark_breaches(store: CaseStore, writer: CaseWriter, clock: Clock, teams: Iterable[str]) -> int:
    """Mark every overdue case of every team; returns how many were marked now."""
    return sum(_mark_team(store, writer, clock, team) for team in teams)


def _mark_team(store: CaseStore, writer: CaseWriter, clock: Clock, team: str) -> int:
    today = stockholm_date(clock())
    marked = 0
    for _ in range(MAX_PAGES):
        due = store.overdue(team, today, limit=PAGE)
        if not due:
            break
        for summary in due:
            case = store.get(summary.case_id)
            if case is None:
                continue
            try:
                written = writer.apply(case, _breach(clock), retry=True)
            except Conflict:
                continue  # someone acted on it this very moment; the next run looks again
            if written.after.version != case.version:
                marked += 1
    return marked


def _breach(clock: Clock) -> Any:
    def plan(case: Case) -> tuple[Case, HistoryEntry]:
        item = case.payroll
        if item is None or not item.clock_runs or case.status not in lifecycle.rule_for("sla_breached").sources:
            raise Unchanged(case)  # answered, paused or finished since the index was read
        now = clock()
        return lifecycle.by_the_system(
            case,
            "sla_breached",
            now=now,
            details={"dueDate": item.due_date.isoformat()},
            payroll=dataclasses.replace(item, breached_at=now),
        )

    return plan
