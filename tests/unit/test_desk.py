"""The payroll desk's rules with fakes: who may act, four-eyes on every path, the clock, the thread."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from eforms.core.cases.model import Case, Person, Status
from eforms.core.cases.writer import CaseWriter
from eforms.core.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from eforms.core.desk import claims, closing, completion, messages, registration
from eforms.core.desk.service_levels import SlaState, receive
from eforms.core.desk.services import DeskServices
from eforms.core.forms.catalogue import Catalogue
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Employee
from tests.support.cases import case_at_payroll
from tests.support.fakes import FakeCaseStore, FakeDirectory, FakeEventSink, FixedClock
from tests.support.samples import SUPPORT
from tests.unit.test_catalogue import SCHEMAS

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
ANNA = Caller("anna", "Anna Andersson", "anna@x.se", frozenset())
MARIA = Caller("maria", "Maria Lind", "maria@x.se", frozenset({"manager"}))
PIA = Caller("pia", "Pia Nilsson", "pia@x.se", frozenset({"payroll"}))
PER = Caller("per", "Per Dahl", "per@x.se", frozenset({"payroll"}))


class Desk:
    def __init__(self, form_id: str = "payroll-support", data: dict[str, Any] | None = None) -> None:
        self.store, self.events = FakeCaseStore(), FakeEventSink()
        self.clock = FixedClock(NOW)
        directory = FakeDirectory(
            Employee("anna", "Anna Andersson", "anna@x.se", manager_id="maria"),
            Employee("maria", "Maria Lind", "maria@x.se"),
            Employee("pia", "Pia Nilsson", "pia@x.se", team="payroll"),
            Employee("per", "Per Dahl", "per@x.se", team="payroll"),
        )
        self.services = DeskServices(CaseWriter(self.store, self.clock), directory, Catalogue(SCHEMAS), self.clock)
        self.store.create(case_at_payroll(form_id=form_id, data=data or SUPPORT, payroll=receive(NOW, 1)))
        self.store.relaying_to(self.events)  # what the desk does from here on is announced

    @property
    def case(self) -> Case:
        found = self.store.get("01JDESK0000000000000000000")
        assert found is not None
        return found

    def act(self, action: Any, caller: Caller, **body: Any) -> Case:
        result: Case = action(self.services, caller, self.case, {"version": self.case.version, **body})
        return result


def test_the_registrar_can_never_check_their_own_registration_on_any_path() -> None:
    desk = Desk()
    desk.act(registration.REGISTER, PIA, reference="R1", payPeriod="2026-12")
    for outcome in ("approve", "return"):
        with pytest.raises(Forbidden) as refused:
            desk.act(registration.CHECK, PIA, outcome=outcome, note="n")
        assert refused.value.code == "four_eyes_same_officer"
    desk.act(registration.CHECK, PER, outcome="return", note="Fel period.")
    desk.act(registration.REGISTER, PER, reference="R2", payPeriod="2027-01")  # per registers this time
    with pytest.raises(Forbidden):
        desk.act(registration.CHECK, PER, outcome="approve")
    assert desk.act(registration.CHECK, PIA, outcome="approve").status == Status.COMPLETED


def test_checks_happen_only_on_registered_cases() -> None:
    desk = Desk()
    with pytest.raises(Conflict) as refused:
        desk.act(registration.CHECK, PER, outcome="approve")
    assert refused.value.params == {"status": "at_payroll"}


def test_payroll_actions_do_not_exist_for_employees_and_managers() -> None:
    desk = Desk()
    for caller in (ANNA, MARIA):
        for action in (claims.CLAIM, completion.REQUEST, registration.REGISTER, closing.CLOSE):
            with pytest.raises(NotFound):
                desk.act(action, caller)


def test_assigning_needs_a_payroll_officer_and_history_keeps_the_previous_owner() -> None:
    desk = Desk()
    desk.act(claims.CLAIM, PIA)
    with pytest.raises(ValidationFailed) as invalid:
        desk.act(claims.CLAIM, PIA, assigneeId="maria")
    assert [(e.pointer, e.code) for e in invalid.value.errors] == [("/assigneeId", "not_a_payroll_officer")]
    assigned = desk.act(claims.CLAIM, PIA, assigneeId="per")
    assert assigned.payroll is not None
    assert assigned.payroll.assignee == Person("per", "Per Dahl")
    assert (assigned.history[-1].action, assigned.history[-1].details) == (
        "assigned",
        {"assigneeId": "per", "previousAssigneeId": "pia"},
    )


def test_messages_take_turns_and_unread_is_per_reader() -> None:
    desk = Desk()
    asked = messages.post(desk.services, PIA, desk.case, {"text": "Vilken månad?"})
    assert asked.payroll is not None
    assert (asked.payroll.waiting, asked.payroll.messages) == ("sender", 1)
    assert asked.payroll.state(NOW.date()) == SlaState.MET  # a message is the first answer
    assert [unread for _, unread in messages.thread(ANNA, desk.case)] == [True]
    assert [unread for _, unread in messages.thread(PIA, desk.case)] == [False]  # one's own message
    with pytest.raises(NotFound):
        messages.post(desk.services, MARIA, desk.case, {"text": "Hej"})  # the manager is not in the thread
    with pytest.raises(ValidationFailed):
        messages.post(desk.services, ANNA, desk.case, {"text": "\x07"})
    messages.mark_read(desk.services, ANNA, desk.case)
    assert [unread for _, unread in messages.thread(ANNA, desk.case)] == [False]


def test_completion_pauses_and_the_answer_may_change_only_the_reopened_fields() -> None:
    desk = Desk()
    asked = desk.act(completion.REQUEST, PIA, message="Ange period.", fields=["/payPeriod"])
    assert asked.status == Status.AWAITING_COMPLETION
    assert asked.payroll is not None
    assert asked.payroll.state(NOW.date()) == SlaState.PAUSED
    with pytest.raises(ValidationFailed) as locked:
        desk.act(completion.ANSWER, ANNA, data={**SUPPORT, "heading": "Annat"})
    assert ("/data/heading", "field_locked") in [(e.pointer, e.code) for e in locked.value.errors]
    with pytest.raises(NotFound):
        desk.act(completion.ANSWER, MARIA, data=SUPPORT)
    answered = desk.act(completion.ANSWER, ANNA, data={**SUPPORT, "payPeriod": "2026-11"})
    assert (answered.status, answered.correction, answered.data["payPeriod"]) == (Status.AT_PAYROLL, None, "2026-11")


def test_a_digital_certificate_is_not_delivered_without_the_document() -> None:
    certificate = {
        "certificateType": "loneintyg",
        "personnummer": "19121212-1212",
        "employmentPeriod": {"from": "2015-01-01"},
        "delivery": "digital",
    }
    desk = Desk("certificate-request", certificate)
    with pytest.raises(Conflict) as refused:
        desk.act(closing.CLOSE, PIA, outcome="delivered")
    assert refused.value.code == "certificate_missing"
    with pytest.raises(ValidationFailed):
        desk.act(closing.CLOSE, PIA, outcome="resolved", message="Klart")  # certificates are delivered


def test_the_filer_withdraws_until_registration() -> None:
    desk = Desk()
    desk.act(registration.REGISTER, PIA, reference="R1", payPeriod="2026-12")
    with pytest.raises(Conflict):
        closing.WITHDRAW(desk.services, ANNA, desk.case, {"version": desk.case.version})
    fresh = Desk()
    withdrawn = closing.WITHDRAW(fresh.services, ANNA, fresh.case, {"version": fresh.case.version})
    assert withdrawn.status == Status.WITHDRAWN


def test_a_request_is_gated_then_parsed_at_the_edge_and_the_core_takes_a_command() -> None:
    """Issue 26, item 13: who may ask is checked before the body is read (a malformed body from an employee
    is still 404), the body becomes a small command, and the domain step takes that command, not a body."""
    desk = Desk()
    for action in (claims.CLAIM, registration.REGISTER, closing.CLOSE, completion.REQUEST):
        with pytest.raises(NotFound):
            action(desk.services, ANNA, desk.case, "not even an object")
    with pytest.raises(ValidationFailed) as refused:
        registration.REGISTER(desk.services, PIA, desk.case, {"version": 1, "payPeriod": "2026-13", "x": 1})
    assert sorted(e.pointer for e in refused.value.errors) == ["/payPeriod", "/reference", "/x"]
    command = registration.Register(desk.case.version, "R1", "2026-12", "")
    assert registration.register(desk.services, PIA, desk.case, command).status == Status.REGISTERED
