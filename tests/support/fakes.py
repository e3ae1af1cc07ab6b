"""In-memory implementations of the core's ports, for unit tests of the domain without AWS."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from eforms.core.cases import Case, CaseSummary, Page
from eforms.core.directory import Employee
from eforms.core.errors import Conflict


class FakeDirectory:
    def __init__(self, *employees: Employee) -> None:
        self.rows = {e.employee_id: e for e in employees}
        self.reads = 0

    def get(self, employee_id: str) -> Employee | None:
        self.reads += 1
        return self.rows.get(employee_id)


class FakeCaseStore:
    def __init__(self) -> None:
        self.cases: dict[str, Case] = {}

    def create(self, case: Case) -> None:
        if case.case_id in self.cases:
            raise Conflict()
        self.cases[case.case_id] = copy.deepcopy(case)

    def get(self, case_id: str) -> Case | None:
        found = self.cases.get(case_id)
        return copy.deepcopy(found) if found else None

    def list(self, scope: str, key: str, *, status: str | None, limit: int, cursor: dict[str, Any] | None) -> Page:
        def partition(case: Case) -> str | None:
            return {
                "mine": case.subject.id,
                "filed": case.applicant.id if case.filed_on_behalf else None,
                "team": case.manager_id,
                "payroll": case.queue,
            }[scope]

        matching = sorted(
            (c for c in self.cases.values() if partition(c) == key and (status is None or c.status == status)),
            key=lambda c: c.created_at,
            reverse=True,
        )
        start = int(cursor["offset"]) if cursor else 0
        chunk = matching[start : start + limit]
        more = start + limit < len(matching)
        summaries = [
            CaseSummary(
                c.case_id,
                c.form_id,
                c.form_version,
                c.route,
                c.status,
                c.applicant,
                c.subject,
                c.created_at,
                c.updated_at,
            )
            for c in chunk
        ]
        return Page(summaries, {"offset": start + limit} if more else None)


class FixedClock:
    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 11, 23, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now
