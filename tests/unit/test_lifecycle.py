"""The lifecycle table: every allowed and every forbidden transition, the one primitive, the one writer."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

import pytest

from devstack import lifecycle_doc
from eforms.core.cases import lifecycle
from eforms.core.cases.events import TYPES
from eforms.core.cases.lifecycle import FINAL, TABLE, Role
from eforms.core.cases.model import Case, Channel, HistoryEntry, Person, Status
from eforms.core.cases.writer import CaseWriter, Unchanged
from eforms.core.common.errors import Conflict
from tests.support.cases import case_at_payroll
from tests.support.fakes import FakeCaseStore, FakeEventSink, FixedClock

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
PIA = Person("pia", "Pia Persson")


def _case(status: Status, version: int = 3) -> Case:
    return case_at_payroll("01JCASE0000000000000000000", status=status, version=version, history=[])


CHANGES = [(rule.action, status) for rule in TABLE.values() if rule.sources for status in Status]


@pytest.mark.parametrize(("action", "status"), CHANGES, ids=[f"{a}-from-{s.value}" for a, s in CHANGES])
def test_every_action_from_every_status_is_allowed_exactly_as_the_table_says(action: str, status: Status) -> None:
    rule = TABLE[action]
    role = sorted(rule.roles)[0]
    case = _case(status)
    if status in rule.sources:
        changed, entry = lifecycle.transition(case, action, actor=PIA, role=role, channel=Channel.API, now=NOW)
        assert changed.status == (rule.target or status)
        assert changed.version == case.version + 1
        assert changed.history == [entry]
        assert (entry.action, entry.role, entry.at, entry.actor) == (action, role.value, NOW, PIA)
        assert case.version == 3
        assert case.history == []
    else:
        with pytest.raises(Conflict) as refused:
            lifecycle.transition(case, action, actor=PIA, role=role, channel=Channel.API, now=NOW)
        assert refused.value.params == {"status": status.value}


def test_a_role_the_table_does_not_name_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="may not"):
        lifecycle.transition(
            _case(Status.REGISTERED),
            "registration_approved",
            actor=PIA,
            role=Role.APPLICANT,
            channel=Channel.API,
            now=NOW,
        )


def test_final_statuses_lead_nowhere_but_bookkeeping() -> None:
    for status in FINAL:
        moving = [r.action for r in TABLE.values() if status in r.sources and r.target not in (None, status)]
        assert moving == [], status


def test_every_status_is_reachable_and_every_open_one_can_end() -> None:
    reachable = {r.target for r in TABLE.values() if r.target}
    assert reachable == set(Status)
    for status in set(Status) - FINAL:
        assert any(status in r.sources and r.target and r.target != status for r in TABLE.values()), status


def test_the_sla_clock_pauses_only_while_the_sender_is_asked_and_resumes_on_their_answer() -> None:
    pausing = {r.action for r in TABLE.values() if r.sla == lifecycle.Sla.PAUSE}
    resuming = {r.action for r in TABLE.values() if r.sla == lifecycle.Sla.RESUME}
    assert pausing == {"completion_requested"}
    assert resuming == {"completion_provided"}
    assert TABLE["completion_requested"].target == TABLE["completion_provided"].sources.__iter__().__next__()


def test_only_the_submission_creates_a_case() -> None:
    assert [r.action for r in TABLE.values() if not r.sources] == ["submitted"]
    status, entry = lifecycle.opening("submitted", actor=PIA, role=Role.APPLICANT, channel=Channel.API, now=NOW)
    assert (status, entry.action) == (Status.SUBMITTED, "submitted")
    with pytest.raises(ValueError, match="does not create"):
        lifecycle.opening("claimed", actor=PIA, role=Role.PAYROLL, channel=Channel.API, now=NOW)


def test_allowed_actions_answer_from_the_table() -> None:
    assert set(lifecycle.allowed_actions(Status.REGISTERED, Role.PAYROLL)) == {
        "claimed",
        "assigned",
        "message_from_payroll",
        "registration_approved",
        "registration_returned",
    }
    assert lifecycle.allowed_actions(Status.COMPLETED, Role.PAYROLL) == []


def _claim(case: Case) -> tuple[Case, HistoryEntry]:
    return lifecycle.transition(case, "claimed", actor=PIA, role=Role.PAYROLL, channel=Channel.API, now=NOW)


def test_the_writer_stores_conditionally_and_publishes_the_event() -> None:
    store, events = FakeCaseStore(), FakeEventSink()
    store.create(_case(Status.AT_PAYROLL))
    written = CaseWriter(store.relaying_to(events), FixedClock(NOW)).apply(_case(Status.AT_PAYROLL), _claim)
    assert written.after.version == 4
    stored = store.get(written.after.case_id)
    assert stored is not None
    assert stored.version == 4
    assert events.types == ["case.claimed"]


def test_a_stale_version_is_a_conflict_unless_the_action_may_retry_on_a_fresh_read() -> None:
    store, events = FakeCaseStore(), FakeEventSink()
    store.create(_case(Status.AT_PAYROLL, version=5))  # someone changed it since it was read at version 3
    writer = CaseWriter(store.relaying_to(events), FixedClock(NOW))
    with pytest.raises(Conflict):
        writer.apply(_case(Status.AT_PAYROLL), _claim)
    assert events.types == []
    written = writer.apply(_case(Status.AT_PAYROLL), _claim, retry=True)
    assert written.after.version == 6
    assert events.types == ["case.claimed"]


def _remind(case: Case) -> tuple[Case, HistoryEntry]:
    return lifecycle.transition(case, "reminder_sent", actor=PIA, role=Role.SYSTEM, channel=Channel.WORKFLOW, now=NOW)


def test_a_lost_race_only_to_the_workflow_token_is_retried() -> None:
    """The workflow attached a new token (same version): nobody's decision changed, so write again."""
    store, events = FakeCaseStore(), FakeEventSink()
    store.create(dataclasses.replace(_case(Status.AWAITING_APPROVAL), task_token="t2"))
    read = dataclasses.replace(_case(Status.AWAITING_APPROVAL), task_token="t1")
    written = CaseWriter(store.relaying_to(events), FixedClock(NOW)).apply(read, _remind)
    assert (written.before.task_token, written.after.version) == ("t2", 4)


def test_a_plan_with_nothing_to_do_writes_nothing() -> None:
    store, events = FakeCaseStore(), FakeEventSink()
    store.create(_case(Status.COMPLETED))

    def nothing(case: Case) -> tuple[Case, HistoryEntry]:
        raise Unchanged(case)

    written = CaseWriter(store.relaying_to(events), FixedClock(NOW)).apply(_case(Status.COMPLETED), nothing)
    assert written.after.version == 3
    assert events.types == []


def test_docs_workflow_md_draws_the_table_as_it_is() -> None:
    """If this fails, run ``python3 dev docs`` and commit docs/workflow.md."""
    text = lifecycle_doc.DOC.read_text(encoding="utf-8")
    assert lifecycle_doc.render(text) == text
    for rule in TABLE.values():
        assert f"| `{rule.action}` |" in text


def test_the_event_schema_names_every_event_and_status_the_table_has() -> None:
    """docs/case-event.schema.json is what subscribers code against: it must know every transition."""
    schema = json.loads((lifecycle_doc.DOC.parent / "case-event.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["detail-type"]["enum"] == list(TYPES)
    assert set(schema["properties"]["detail"]["properties"]["status"]["enum"]) == {s.value for s in Status}
    assert set(TYPES) == {rule.event for rule in TABLE.values()} | {"case.pdf_created"}
