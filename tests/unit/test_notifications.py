"""The notifier's rules with fakes: who gets which email in which language, sent exactly once; what
the event on the bus may carry; and who may send a signed PDF on to an administrator."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from eforms.core.approval.decisions import DecisionRequest
from eforms.core.cases.access import visible_case
from eforms.core.cases.events import TYPES, CaseEvent, MalformedEvent, from_envelope, from_history, pdf_created
from eforms.core.cases.model import Case
from eforms.core.cases.writer import CaseWriter
from eforms.core.common.clock import stockholm_date
from eforms.core.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from eforms.core.documents.sharing import parse_share, share_pdf
from eforms.core.forms.catalogue import Catalogue
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Employee
from eforms.core.intake.submission import parse_submit_request, submit
from eforms.core.notify.notifier import Links, Notifier, UnknownCase, messages_for
from tests.support.approval import ApprovalHarness
from tests.support.fakes import (
    FakeCaseStore,
    FakeDirectory,
    FakeEngine,
    FakeEventSink,
    FakeLedger,
    FakeMailer,
    FixedClock,
)
from tests.support.samples import CERTIFICATE, LEAVE, support_for
from tests.unit.test_catalogue import SCHEMAS

ANNA = Caller("anna", "Anna Andersson", "anna@x.se", frozenset())
MARIA = Caller("maria", "Maria Lind", "maria@x.se", frozenset({"manager"}))
ERIK = Caller("erik", "Erik Öberg", "erik@x.se", frozenset())
DIRECTORY = FakeDirectory(
    Employee("anna", "Anna Andersson", "anna@x.se", manager_id="maria"),
    Employee("aslak", "Áslat Niillas", "aslak@x.se", manager_id="maria", language="en"),
    Employee("erik", "Erik Öberg", "erik@x.se", manager_id="maria"),
    Employee("maria", "Maria Lind", "maria@x.se", manager_id="lars"),
    Employee("lars", "Lars Holm", "lars@x.se"),
    Employee("ada", "Åsa Admin", "ada@x.se", manager_id="lars", language="en"),
)
PAYROLL = "lon@x.se"


@dataclasses.dataclass
class Setup:
    store: FakeCaseStore
    events: FakeEventSink
    mailer: FakeMailer
    notifier: Notifier
    flow: ApprovalHarness

    def file(
        self, data: dict[str, Any], form: str = "leave-application", caller: Caller = ANNA, *, receipt: bool = True
    ) -> Case:
        return submit(
            parse_submit_request({"formId": form, "data": data, "emailReceipt": receipt}),
            caller=caller,
            language="sv",
            catalogue=Catalogue(SCHEMAS),
            directory=DIRECTORY,
            store=self.store,
            clock=FixedClock(),
            workflow=FakeEngine(),
        )

    def notify_all(self) -> list[str]:
        """Hand every published event to the notifier; the kinds of the emails sent."""
        sent = []
        for event in self.events.published:
            sent += [f"{e.kind}->{e.to}" for e in self.notifier.handle(event)]
        return sent


@pytest.fixture
def setup() -> Setup:
    events, mailer = FakeEventSink(), FakeMailer()
    store = FakeCaseStore(outbox=events)  # plays the stream and the relay
    catalogue = Catalogue(SCHEMAS)
    notifier = Notifier(store, DIRECTORY, catalogue, mailer, FakeLedger(), "https://e.test", PAYROLL)
    flow = ApprovalHarness(store, DIRECTORY, catalogue, FakeMailer(), FakeEngine(), FixedClock(), events=events)
    return Setup(store, events, mailer, notifier, flow)


def test_receipt_decision_and_payroll_emails_in_order(setup: Setup) -> None:
    case = setup.file(LEAVE)
    setup.flow.request_approval(case.case_id, "t1", "initial")
    setup.flow.decide_as(MARIA, case.case_id, DecisionRequest("approve", "Ok"))
    stored = setup.store.get(case.case_id)
    assert stored is not None
    signed = dataclasses.replace(stored, pdf_key="cases/x.pdf", fingerprint="f" * 64)
    setup.store.cases[case.case_id] = signed
    setup.events.publish([pdf_created(signed)])
    setup.flow.hand_to_payroll(case.case_id)
    assert setup.events.types == [
        "case.submitted",
        "case.approval_requested",
        "case.approved",
        "case.pdf_created",
        "case.handed_to_payroll",
    ]
    assert setup.notify_all() == [
        "receipt->anna@x.se",
        "decision-approved->anna@x.se",
        "payroll-handoff->lon@x.se",
    ]
    approved = setup.mailer.sent[1]
    assert "https://e.test/cases/" + case.case_id + "/pdf" in approved.text
    assert approved.language == "sv"


def test_a_replayed_event_sends_nothing(setup: Setup) -> None:
    setup.file(LEAVE)
    assert len(setup.notify_all()) == 1
    assert setup.notify_all() == []  # the same events again: every send key is claimed
    assert len(setup.mailer.sent) == 1


def test_a_failed_send_releases_its_claim_so_the_retry_sends(setup: Setup) -> None:
    setup.file(LEAVE)
    calls = {"n": 0}
    send = setup.mailer.send

    def flaky(email: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("throttled")
        send(email)

    setup.notifier.mailer = type("M", (), {"send": staticmethod(flaky)})()
    with pytest.raises(ConnectionError):
        setup.notify_all()
    assert setup.notify_all() == ["receipt->anna@x.se"]


def test_returned_names_the_open_fields_in_the_recipients_language(setup: Setup) -> None:
    case = setup.file(LEAVE, caller=Caller("aslak", "Áslat Niillas", "aslak@x.se", frozenset()))
    setup.flow.request_approval(case.case_id, "t1", "initial")
    setup.flow.decide_as(MARIA, case.case_id, DecisionRequest("return", "Fix the dates", ("/period",)))
    setup.notify_all()
    returned = setup.mailer.sent[-1]
    assert (returned.kind, returned.language) == ("decision-returned", "en")
    assert "Period" in returned.text
    assert "Fix the dates" in returned.text


def test_a_rejection_carries_the_message_and_a_direct_case_gets_no_approval_email(setup: Setup) -> None:
    case = setup.file(LEAVE)
    setup.flow.request_approval(case.case_id, "t1", "initial")
    setup.flow.decide_as(MARIA, case.case_id, DecisionRequest("reject", "Bemanningen räcker inte."))
    certificate = setup.file(CERTIFICATE, form="certificate-request")
    setup.events.publish([pdf_created(dataclasses.replace(certificate, pdf_key="k", fingerprint="0" * 64))])
    kinds = setup.notify_all()
    assert kinds == ["receipt->anna@x.se", "decision-rejected->anna@x.se", "receipt->anna@x.se"]
    assert "Bemanningen räcker inte." in setup.mailer.sent[1].text


def test_on_behalf_cases_tell_both_the_filer_and_the_employee(setup: Setup) -> None:
    setup.file(support_for("anna"), form="payroll-support", caller=MARIA)
    assert sorted(setup.notify_all()) == ["receipt->anna@x.se", "receipt->maria@x.se"]


def test_an_event_for_an_unknown_case_is_an_error_not_an_email(setup: Setup) -> None:
    case = setup.file(LEAVE)
    del setup.store.cases[case.case_id]
    with pytest.raises(UnknownCase):
        setup.notifier.handle(setup.events.published[0])
    assert setup.mailer.sent == []


def test_the_event_detail_carries_no_personal_data(setup: Setup) -> None:
    case = setup.file(support_for("anna", "Anna Andersson"), form="payroll-support", caller=MARIA)
    event = from_history(case)
    raw = json.dumps(event.detail(), ensure_ascii=False)
    for personal in ("Anna", "Maria", "Jämkning", "@"):
        assert personal not in raw
    assert event.detail()["details"] == {"onBehalfOf": "anna"}


def _envelope(**changes: Any) -> dict[str, Any]:
    event = CaseEvent("case.submitted", "01JD0Q4F6Z2M3N4P5Q6R7S8T9V", "leave-application", 1, "submitted", 1,
                      FixedClock()(), "anna", "applicant")  # fmt: skip
    envelope = {"source": "eforms.cases", "detail-type": event.type, "detail": event.detail()}
    envelope.update(changes)
    return envelope


def test_an_envelope_round_trips() -> None:
    event = from_envelope(_envelope())
    assert from_envelope({"source": "eforms.cases", "detail-type": event.type, "detail": event.detail()}) == event
    assert set(TYPES) >= {"case.submitted", "case.pdf_shared"}


@pytest.mark.parametrize(
    "envelope",
    [
        None,
        [],
        _envelope(source="aws.s3"),
        _envelope(**{"detail-type": "case.deleted"}),
        _envelope(detail="x"),
        _envelope(detail={**_envelope()["detail"], "caseVersion": 0}),
        _envelope(detail={**_envelope()["detail"], "caseVersion": True}),
        _envelope(detail={**_envelope()["detail"], "at": "yesterday"}),
        _envelope(detail={**_envelope()["detail"], "caseId": "x" * 500}),
        _envelope(detail={**_envelope()["detail"], "actor": "anna"}),
        _envelope(detail={k: v for k, v in _envelope()["detail"].items() if k != "formId"}),
    ],
)
def test_malformed_envelopes_are_refused(envelope: Any) -> None:
    with pytest.raises(MalformedEvent):
        from_envelope(envelope)


# ------------------------------------------------------------------------------- sharing the PDF


def _signed(setup: Setup) -> Case:
    case = setup.file(LEAVE)
    setup.flow.request_approval(case.case_id, "t1", "initial")
    setup.flow.decide_as(MARIA, case.case_id, DecisionRequest("approve"))
    stored = setup.store.get(case.case_id)
    assert stored is not None
    setup.store.cases[case.case_id] = dataclasses.replace(stored, pdf_key="k", fingerprint="0" * 64)
    return setup.store.cases[case.case_id]


def _share(setup: Setup, caller: Caller, case_id: str, administrator: str = "ada") -> Case:
    case = visible_case(setup.store, DIRECTORY, caller, case_id, stockholm_date(FixedClock()()))
    writer = CaseWriter(setup.store, FixedClock())
    return share_pdf(caller, case, administrator, directory=DIRECTORY, writer=writer, clock=FixedClock())


def test_the_deciding_manager_shares_and_the_administrator_is_told_in_their_language(setup: Setup) -> None:
    case = _signed(setup)
    shared = _share(setup, MARIA, case.case_id)
    assert shared.administrators == ("ada",)
    assert shared.history[-1].action == "pdf_shared"
    assert setup.events.types[-1] == "case.pdf_shared"
    email = setup.notifier.handle(setup.events.published[-1])[0]
    assert (email.kind, email.to, email.language) == ("pdf-shared", "ada@x.se", "en")
    assert "Maria Lind" in email.text


@pytest.mark.parametrize(("caller", "error"), [(ANNA, Forbidden), (ERIK, NotFound)])
def test_only_a_manager_may_share(setup: Setup, caller: Caller, error: type[Exception]) -> None:
    case = _signed(setup)
    with pytest.raises(error):
        _share(setup, caller, case.case_id)


def test_sharing_needs_a_pdf_and_a_known_administrator(setup: Setup) -> None:
    case = setup.file(LEAVE)
    with pytest.raises(Conflict):
        _share(setup, MARIA, case.case_id)
    signed = _signed(setup)
    with pytest.raises(ValidationFailed):
        _share(setup, MARIA, signed.case_id, "nobody")


@pytest.mark.parametrize("body", [None, [], {}, {"administratorId": 3}, {"administratorId": "a" * 129}, {"x": 1}])
def test_share_bodies_are_checked(body: Any) -> None:
    with pytest.raises(ValidationFailed):
        parse_share(body)


def test_no_receipt_unless_the_applicant_asked_for_one(setup: Setup) -> None:
    """The case is on the applicant's screen the moment they file it; the email is for those who want it."""
    setup.file(CERTIFICATE, form="certificate-request", receipt=False)
    assert setup.notify_all() == []
    setup.file(CERTIFICATE, form="certificate-request", receipt=True)
    assert setup.notify_all() == ["receipt->anna@x.se"]


@pytest.mark.parametrize("value", ["yes", 1, None, {"on": True}])
def test_the_receipt_choice_is_a_boolean(value: object) -> None:
    with pytest.raises(ValidationFailed) as raised:
        parse_submit_request({"formId": "leave-application", "data": {}, "emailReceipt": value})
    assert [(e.pointer, e.code) for e in raised.value.errors] == [("/emailReceipt", "wrong_type")]


@pytest.mark.parametrize(
    ("form", "data", "told"), [("leave-application", LEAVE, False), ("certificate-request", CERTIFICATE, True)]
)
def test_a_registered_case_is_announced_only_where_no_decision_told_the_outcome(
    setup: Setup, form: str, data: dict[str, Any], told: bool
) -> None:
    """An approved leave application's approval email was the news; its registration at payroll is not."""
    case = setup.file(data, form=form, receipt=False)
    event = CaseEvent(
        "case.registration_approved",
        case.case_id,
        form,
        case.form_version,
        "completed",
        9,
        case.created_at,
        "per",
        "payroll",
    )
    sent = messages_for(
        event,
        case,
        directory=DIRECTORY,
        catalogue=Catalogue(SCHEMAS),
        links=Links("https://e.test"),
        payroll_mailbox=PAYROLL,
    )
    assert [(e.kind, e.to) for e in sent] == ([("case-completed", "anna@x.se")] if told else [])
