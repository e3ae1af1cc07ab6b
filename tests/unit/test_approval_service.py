"""The approval flow's race handling, with fakes: timers against decisions, tokens against resubmissions."""

from __future__ import annotations

import dataclasses

from eforms.core.approval.decisions import DecisionRequest
from eforms.core.cases.model import Status
from eforms.core.forms.catalogue import Catalogue
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Employee
from eforms.core.intake.submission import parse_submit_request, submit
from eforms.core.notify.emails import approval_request
from tests.support.approval import ApprovalHarness
from tests.support.fakes import FakeCaseStore, FakeDirectory, FakeEngine, FakeEventSink, FakeMailer, FixedClock
from tests.support.samples import LEAVE
from tests.unit.test_catalogue import SCHEMAS

ANNA = Caller("anna", "Anna <script>", "anna@x.se", frozenset())
MARIA = Caller("maria", "Maria Lind", "maria@x.se", frozenset({"manager"}))


def _flow() -> tuple[ApprovalHarness, FakeCaseStore, FakeEngine, FakeMailer, str]:
    directory = FakeDirectory(
        Employee("anna", "Anna <script>", "anna@x.se", manager_id="maria"),
        Employee("maria", "Maria Lind", "maria@x.se", manager_id="lars"),
        Employee("lars", "Lars Holm", "lars@x.se"),
    )
    store, engine, mailer = FakeCaseStore(), FakeEngine(), FakeMailer()
    catalogue = Catalogue(SCHEMAS)
    case = submit(
        parse_submit_request({"formId": "leave-application", "data": LEAVE}),
        caller=ANNA,
        language="sv",
        catalogue=catalogue,
        directory=directory,
        store=store,
        clock=FixedClock(),
        workflow=engine,
    )
    flow = ApprovalHarness(store, directory, catalogue, mailer, engine, FixedClock(), events=FakeEventSink())
    return flow, store, engine, mailer, case.case_id


def test_start_comes_before_store() -> None:
    _, store, engine, _, case_id = _flow()
    assert engine.started == [case_id]
    assert store.get(case_id) is not None


def test_a_timer_step_that_finds_a_decision_reports_it_instead_of_asking_again() -> None:
    flow, store, engine, mailer, case_id = _flow()
    flow.request_approval(case_id, "t1", "initial")
    engine.dead.add("t1")  # the wait timed out at the moment Maria decided
    flow.decide_as(MARIA, case_id, DecisionRequest("approve"))
    sent_before = len(mailer.sent)
    flow.request_approval(case_id, "t2", "reminder")  # the reminder step runs after the decision
    assert engine.completed[-1] == ("t2", {"outcome": "approved"})
    assert len(mailer.sent) == sent_before  # no reminder for a decided case
    case = store.get(case_id)
    assert case is not None
    assert case.status == Status.APPROVED


def test_a_resubmission_racing_the_token_attach_resumes_the_right_token() -> None:
    flow, store, engine, _, case_id = _flow()
    flow.request_approval(case_id, "t1", "initial")
    flow.decide_as(MARIA, case_id, DecisionRequest("return", "Ändra datumen.", ("/period",)))
    case = store.get(case_id)
    assert case is not None
    seen_version = case.version
    # The workflow attaches its correction token after the employee loaded the case, before they send.
    flow.await_correction(case_id, "t2")
    fixed = {**LEAVE, "period": {"from": "2027-01-04", "to": "2027-01-08"}}
    corrected = flow.resubmit(ANNA, case_id, {"data": fixed, "version": seen_version})
    assert corrected.status == Status.SUBMITTED
    assert engine.completed[-1] == ("t2", {"outcome": "resubmitted"})


def test_a_correction_step_that_finds_the_case_resubmitted_reports_it() -> None:
    flow, store, engine, _, case_id = _flow()
    flow.request_approval(case_id, "t1", "initial")
    flow.decide_as(MARIA, case_id, DecisionRequest("return", "Ändra.", ("/period",)))
    case = store.get(case_id)
    assert case is not None
    flow.resubmit(
        ANNA,
        case_id,
        {"data": {**LEAVE, "period": {"from": "2027-01-04", "to": "2027-01-05"}}, "version": case.version},
    )
    flow.await_correction(case_id, "t2")
    assert engine.completed[-1] == ("t2", {"outcome": "resubmitted"})


def test_emails_escape_names_and_subjects_say_whose_case_it_is() -> None:
    flow, store, _, mailer, case_id = _flow()
    flow.request_approval(case_id, "t1", "initial")
    [email] = mailer.sent
    assert "<script>" not in email.html
    assert "&lt;script&gt;" in email.html
    # Which case, at a glance: the form, whom it concerns, its period (issue 29) — as plain text, one line.
    assert email.subject.startswith("Ledighetsansökan väntar på ditt beslut – Anna <script>, 20")
    case = store.get(case_id)
    assert case is not None
    english = approval_request(
        dataclasses.replace(case),
        Catalogue(SCHEMAS).get("leave-application"),
        to="x@y.se",
        language="en",
        stage="escalation",
        link_url="https://e.test/decisions/x",
        valid_until=case.created_at,
    )
    assert english.subject.startswith("Leave application has been passed on to you – Anna <script>, 20")
