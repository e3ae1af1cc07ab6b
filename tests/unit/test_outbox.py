"""The outbox's rules with fakes: which stored entries resume the workflow, what is relayed, and that a
failure is raised (so the stream keeps the record) rather than swallowed."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest

from eforms.aws.case_items import history_item, signed_case, stored_entry
from eforms.core.cases.model import Channel, HistoryEntry, Person
from eforms.core.cases.outbox import WORKFLOW_OUTCOMES, StoredEntry, relay
from tests.support.cases import case_at_payroll
from tests.support.fakes import FakeEventSink

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
MARIA = Person("maria", "Maria Lind")


def _entry(action: str, details: dict[str, Any] | None = None) -> HistoryEntry:
    return HistoryEntry(NOW, MARIA, "approver", action, Channel.API, details or {})


class Workflow:
    def __init__(self, fail: bool = False) -> None:
        self.told: list[tuple[str, dict[str, Any]]] = []
        self.fail = fail

    def complete(self, task_token: str, output: dict[str, Any]) -> bool:
        if self.fail:
            raise RuntimeError("Step Functions is down")
        self.told.append((task_token, output))
        return True


@pytest.mark.parametrize(("action", "outcome"), sorted(WORKFLOW_OUTCOMES.items()))
def test_an_entry_that_ends_a_wait_resumes_the_workflow_with_its_outcome(action: str, outcome: str) -> None:
    stored = StoredEntry(_entry(action), "C1", "leave-application", 1, "approved", 4, resumes="token-1")
    events, workflow = FakeEventSink(), Workflow()
    relay(stored, events, workflow)
    assert events.types == [f"case.{action}"]
    assert workflow.told == [("token-1", {"outcome": outcome})]


def test_other_entries_are_only_announced_and_private_details_stay_home() -> None:
    stored = StoredEntry(
        _entry("message_from_payroll", {"message": "Hej Anna", "assigneeId": "pia"}),
        "C1",
        "payroll-support",
        1,
        "at_payroll",
        7,
        resumes="token-1",
    )
    events, workflow = FakeEventSink(), Workflow()
    relay(stored, events, workflow)
    assert workflow.told == []
    [event] = events.published
    assert (event.case_id, event.status, event.version, event.details) == ("C1", "at_payroll", 7, {"assigneeId": "pia"})


def test_a_failure_to_tell_the_workflow_is_raised_so_the_record_is_tried_again() -> None:
    stored = StoredEntry(_entry("approved"), "C1", "leave-application", 1, "approved", 4, resumes="token-1")
    with pytest.raises(RuntimeError):
        relay(stored, FakeEventSink(), Workflow(fail=True))


def test_the_stored_item_carries_what_the_relay_needs_and_the_token_only_where_a_wait_ends() -> None:
    case = case_at_payroll("C2")
    decided = history_item(case, _entry("approved"), 3, resumes="token-9")
    back = stored_entry(decided)
    assert back is not None
    assert (back.case_id, back.form_id, back.status, back.version, back.resumes) == (
        "C2",
        case.form_id,
        case.status.value,
        case.version,
        "token-9",
    )
    assert "resumes" not in history_item(case, _entry("claimed"), 4, resumes="token-9")
    assert stored_entry({"pk": {"S": "CASE#C2"}, "sk": {"S": "MSG#x"}}) is None


def test_a_pdf_recorded_on_the_case_is_announced_once() -> None:
    from eforms.aws.case_items import case_item

    case = case_at_payroll("C3")
    before = case_item(case)
    signed = case_item(dataclasses.replace(case, pdf_key="cases/C3/f.pdf", fingerprint="f" * 64))
    assert signed_case(before, signed) is not None
    assert signed_case(signed, signed) is None  # the same PDF again: nothing new
    assert signed_case(None, before) is None  # no PDF yet
