"""The scheduled service-level check with fakes: each late, unanswered case is marked exactly once."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from eforms.core.cases.model import Case, Status
from eforms.core.cases.writer import CaseWriter
from eforms.core.desk.breaches import mark_breaches
from eforms.core.desk.service_levels import receive
from tests.support.cases import RECEIVED, case_at_payroll
from tests.support.fakes import FakeCaseStore, FakeEventSink, FixedClock


def _case(case_id: str, status: Status = Status.AT_PAYROLL, **payroll: Any) -> Case:
    return case_at_payroll(case_id, status=status, payroll=dataclasses.replace(receive(RECEIVED, 1), **payroll))


def test_only_late_unanswered_running_cases_are_marked_and_only_once() -> None:
    store, events = FakeCaseStore(), FakeEventSink()
    store.create(_case("late"))
    store.create(_case("answered", responded_at=RECEIVED))
    store.create(_case("paused", Status.AWAITING_COMPLETION, paused_at=RECEIVED))
    store.create(_case("done", Status.COMPLETED))
    clock = FixedClock(RECEIVED + timedelta(days=7))
    writer = CaseWriter(store.relaying_to(events), clock)
    assert mark_breaches(store, writer, clock, ["payroll"]) == 1
    assert events.types == ["case.sla_breached"]
    late = store.get("late")
    assert late is not None
    assert late.payroll is not None
    assert late.payroll.breached_at == clock.now
    assert late.history[-1].details == {"dueDate": "2026-11-24"}
    assert mark_breaches(store, writer, clock, ["payroll"]) == 0


def test_nothing_is_late_on_the_due_date_itself() -> None:
    store, events = FakeCaseStore(), FakeEventSink()
    store.create(_case("today"))
    clock = FixedClock(datetime(2026, 11, 24, 15, tzinfo=UTC))
    assert mark_breaches(store, CaseWriter(store.relaying_to(events), clock), clock, ["payroll"]) == 0
