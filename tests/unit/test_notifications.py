"""The notifier's rules with fakes: who gets which email in which language, sent exactly once; what
the event on the bus may carry; and who may send a signed PDF on to an administrator."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from eforms.core.approval.decisions import DecisionRequest
from eforms.core.cases.access import visible_case
from eforms.core.cases.events import TYPES, CaseEvent, MalformedEvent, from_envelope, from_history, pdf_created
from eforms.core.cases.model import Case
from eforms.core.cases.writer import CaseWriter
from eforms.core.common.clock import STOCKHOLM, stockholm_date
from eforms.core.common.errors import Conflict, Forbidden, NotFound, ValidationFailed
from eforms.core.common.workdays import DENMARK, SWEDEN
from eforms.core.documents.sharing import parse_share, share_pdf
from eforms.core.forms.catalogue import Catalogue
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Employee
from eforms.core.intake.submission import parse_submit_request, submit
from eforms.core.notify.digest import Digests, PayrollMailboxes, next_slot
from eforms.core.notify.emails import Email
from eforms.core.notify.notifier import Links, Notifier, UnknownCase, messages_for
from tests.support.approval import ApprovalHarness
from tests.support.fakes import (
    FakeCaseStore,
    FakeDigestStore,
    FakeDirectory,
    FakeEngine,
    FakeEventSink,
    FakeLedger,
    FakeMailer,
    FixedClock,
)
from tests.support.samples import CERTIFICATE, LEAVE, SUPPORT, support_for
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
    digests: Digests

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
    ledger = FakeLedger()
    mailboxes = PayrollMailboxes(PAYROLL)
    digests = Digests(FakeDigestStore(), ledger, store, catalogue, mailer, mailboxes, "https://e.test", FixedClock())
    notifier = Notifier(store, DIRECTORY, catalogue, mailer, ledger, "https://e.test", mailboxes, digests)
    flow = ApprovalHarness(store, DIRECTORY, catalogue, FakeMailer(), FakeEngine(), FixedClock(), events=events)
    return Setup(store, events, mailer, notifier, flow, digests)


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
    assert setup.notify_all() == ["receipt->anna@x.se", "decision-approved->anna@x.se"]
    # Payroll's mailbox hears of it in the next digest (12:00 on this Monday), not by an email of its own.
    assert setup.digests.store.pending(["digest#2026-11-23T12:00"]) == {"digest#2026-11-23T12:00": [case.case_id]}
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
        payroll_mailbox=PayrollMailboxes(PAYROLL),
    )
    assert [(e.kind, e.to) for e in sent] == ([("case-completed", "anna@x.se")] if told else [])


def _at_payroll(setup: Setup, data: dict[str, Any] | None = None, form: str = "payroll-support") -> Case:
    """A case filed and handed to payroll, its events handled by the notifier (so collected for a digest)."""
    case = setup.file(data or SUPPORT, form)
    setup.flow.hand_to_payroll(case.case_id)
    setup.notify_all()
    setup.events.published.clear()
    found = setup.store.get(case.case_id)
    assert found is not None
    return found


def test_digest_slots_are_seven_and_noon_on_working_days() -> None:
    def at(text: str) -> datetime:
        return datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)

    assert next_slot(at("2026-11-23T10:30")) == at("2026-11-23T12:00")  # Monday morning → noon
    assert next_slot(at("2026-11-23T12:00")) == at("2026-11-24T07:00")  # strictly after
    assert next_slot(at("2026-11-27T13:00")) == at("2026-11-30T07:00")  # Friday afternoon → Monday
    assert next_slot(at("2026-12-24T15:00")) == at("2026-12-28T07:00")  # over Christmas
    assert next_slot(at("2026-06-04T15:00"), DENMARK) == at("2026-06-08T07:00")  # Grundlovsdag Friday (DK)
    assert next_slot(at("2026-06-04T15:00"), SWEDEN) == at("2026-06-05T07:00")  # an ordinary Friday in Sweden


def test_the_digest_lists_the_new_cases_once_soonest_due_first(setup: Setup) -> None:
    first, second = _at_payroll(setup), _at_payroll(setup, CERTIFICATE, "certificate-request")
    assert setup.mailer.sent == [] or all(m.kind != "payroll-digest" for m in setup.mailer.sent)
    setup.digests.clock = FixedClock(datetime(2026, 11, 23, 11, 5, tzinfo=UTC))  # 12:05 in Stockholm
    assert setup.digests.send_due() == 1
    digest = setup.mailer.sent[-1]
    assert (digest.kind, digest.to, digest.language) == ("payroll-digest", PAYROLL, "sv")
    assert digest.subject == "Nya ärenden hos Lönecentrum: 2"
    due = sorted([first, second], key=lambda c: (c.payroll.due_date if c.payroll else None, c.case_id))
    assert digest.text.index(due[0].case_id) < digest.text.index(due[1].case_id)
    assert f"https://e.test/cases/{first.case_id}" in digest.html
    assert "Anna" not in digest.text  # forms, ids and dates: the desk holds the rest
    assert setup.digests.send_due() == 0  # that slot went out


def test_a_digest_that_could_not_be_sent_goes_out_on_the_next_run(setup: Setup) -> None:
    _at_payroll(setup)
    setup.digests.clock = FixedClock(datetime(2026, 11, 23, 11, 5, tzinfo=UTC))

    def refuse(email: Email) -> None:
        raise RuntimeError("SES throttled")

    sent_before = len(setup.mailer.sent)
    original, setup.digests.mailer.send = setup.digests.mailer.send, refuse  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        setup.digests.send_due()
    setup.digests.mailer.send = original  # type: ignore[method-assign]
    assert setup.digests.send_due() == 1
    assert len(setup.mailer.sent) == sent_before + 1


def test_a_case_collected_after_its_slot_went_out_waits_for_the_next(setup: Setup) -> None:
    early = _at_payroll(setup)
    setup.digests.clock = FixedClock(datetime(2026, 11, 23, 11, 5, tzinfo=UTC))
    setup.digests.send_due()
    late = _at_payroll(setup)  # handed over at 10:30, its event handled after the noon digest went out
    assert setup.digests.store.pending(["digest#2026-11-24T07:00"]) == {"digest#2026-11-24T07:00": [late.case_id]}
    assert early.case_id not in str(setup.digests.store.pending(["digest#2026-11-24T07:00"]))
    setup.digests.collect(late, late.history[-1].at)  # the same hand-off again: nothing changes
    assert setup.digests.store.pending(["digest#2026-11-24T07:00"]) == {"digest#2026-11-24T07:00": [late.case_id]}


def test_nothing_new_sends_no_digest(setup: Setup) -> None:
    setup.digests.clock = FixedClock(datetime(2026, 11, 23, 11, 5, tzinfo=UTC))
    assert setup.digests.send_due() == 0
    assert setup.mailer.sent == []
