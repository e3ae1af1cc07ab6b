"""Who is told what when a case event happens, as emails in each recipient's language — sent once.

The notifier consumes the case events from the bus and reads the case for what the event leaves out
(names, messages, addresses). Approval requests, reminders and escalations are not sent from here: they
carry the decision link, which must never travel through the bus, so the workflow step that mints the
link sends them itself.

Sending is idempotent: each email has a key made of the event (case, type, time) and the recipient, and
is sent only by whoever first claims that key in the ledger. A redelivered or republished event finds
its keys claimed and sends nothing. A send that fails releases its claim, so the retry sends it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from eforms.core.approval.links import LinkSigner
from eforms.core.cases.events import CaseEvent
from eforms.core.cases.model import Case, CaseStore, HistoryEntry
from eforms.core.common.clock import iso
from eforms.core.common.i18n import as_language
from eforms.core.forms import routes
from eforms.core.forms.catalogue import Catalogue, FormDefinition
from eforms.core.identity.directory import Directory, Employee
from eforms.core.notify import emails
from eforms.core.notify.digest import Digests, PayrollMailboxes
from eforms.core.notify.emails import Email, Mailer
from eforms.core.statistics import rating_links


class UnknownCase(Exception):
    """The event names a case this service does not hold (deleted, another stage's, or forged)."""


class SentLedger(Protocol):
    def claim(self, key: str) -> bool:
        """Record ``key`` as sent; False if it already was (by this or an earlier delivery)."""
        ...

    def release(self, key: str) -> None:
        """Forget a claim whose send failed, so a retry may send."""
        ...


def _entry(case: Case, action: str, event: CaseEvent) -> HistoryEntry | None:
    """The history entry the event announces (by action and time), else the latest with that action."""
    matching = [h for h in case.history if h.action == action]
    exact = [h for h in matching if h.at == event.at]
    chosen = exact or matching
    return chosen[-1] if chosen else None


@dataclass(frozen=True)
class Links:
    base_url: str
    #: Signs the rating links of finished cases' emails (None: the stack sends none).
    rating_signer: LinkSigner | None = None

    def case(self, case: Case) -> str:
        return f"{self.base_url}/cases/{case.case_id}"

    def rating(self, case: Case, person_id: str) -> str | None:
        """The page where ``person_id`` rates the finished case without signing in (rating_links)."""
        if self.rating_signer is None:
            return None
        return f"{self.base_url}/ratings/{rating_links.token_for(self.rating_signer, case, person_id)}"

    def pdf(self, case: Case) -> str:
        return f"{self.base_url}/cases/{case.case_id}/pdf"


@dataclass(frozen=True)
class _Context:
    event: CaseEvent
    case: Case
    form: FormDefinition
    directory: Directory
    links: Links
    payroll_mailbox: PayrollMailboxes

    def people(self) -> list[Employee]:
        """The people the case is about: the applicant and, if filed on someone's behalf, the subject —
        from the directory, or (an outsider signed in with BankID) the contact the case keeps."""
        ids = dict.fromkeys((self.case.applicant.id, self.case.subject.id))
        rows = [self._contact(person_id) for person_id in ids]
        return [row for row in rows if row is not None and row.email]

    def _contact(self, person_id: str) -> Employee | None:
        if person_id == self.case.applicant.id and self.case.contact_email:
            return Employee(person_id, self.case.applicant.name, self.case.contact_email, language=self.case.language)
        return self.directory.get(person_id)


def messages_for(
    event: CaseEvent,
    case: Case,
    *,
    directory: Directory,
    catalogue: Catalogue,
    links: Links,
    payroll_mailbox: PayrollMailboxes,
) -> list[Email]:
    build = _BUILDERS.get(event.type.removeprefix("case."))
    if build is None:
        return []
    form = catalogue.get(case.form_id, case.form_version)
    return build(_Context(event, case, form, directory, links, payroll_mailbox))


def _receipt(c: _Context) -> list[Email]:
    if not c.case.receipt_requested:
        return []  # only for those who asked: the case is on their screen the moment they file it
    return [
        emails.receipt(c.case, c.form, to=p.email, language=as_language(p.language), case_url=c.links.case(c.case))
        for p in c.people()
    ]


def _decision(c: _Context) -> list[Email]:
    """Rejections and returns at once; an approval once its signed PDF exists, so the email can link it — or,
    when the PDF could not be made before the hand-off (``pdfPending``), at the hand-off without the link
    (the PDF's own event sends it with the link later)."""
    kind = c.event.type.removeprefix("case.")
    outcome = "approved" if kind in ("pdf_created", "handed_to_payroll") else kind
    if outcome == "approved" and not routes.needs_approval(c.case.route, c.case.data):
        return []  # a direct case's PDF is the filed form, not a decision; the receipt already went out
    entry = _entry(c.case, outcome, c.event)
    if entry is None:
        return []
    result = []
    for person in c.people():
        language = as_language(person.language)
        result.append(
            emails.decision_notice(
                c.case,
                c.form,
                to=person.email,
                language=language,
                outcome=outcome,
                approver=entry.actor.name,
                message=str(entry.details.get("message", "")),
                field_titles=[c.form.field_title(p, language) or p for p in entry.details.get("fields", [])],
                case_url=c.links.case(c.case),
                pdf_url=c.links.pdf(c.case) if kind == "pdf_created" else None,
            )
        )
    return result


def _expiry(c: _Context) -> list[Email]:
    return [
        emails.expiry_notice(
            c.case, c.form, to=p.email, language=as_language(p.language), case_url=c.links.case(c.case)
        )
        for p in c.people()
    ]


def _payroll(c: _Context) -> list[Email]:
    """The approval told now when its PDF is late. Payroll's own mailbox hears of the case in the next digest
    (:mod:`eforms.core.notify.digest`), not by an email of its own."""
    return _decision(c) if c.event.details.get("pdfPending") else []


def _shared(c: _Context) -> list[Email]:
    entry = _entry(c.case, "pdf_shared", c.event)
    administrator = c.directory.get(str(c.event.details.get("administratorId", "")))
    if entry is None or administrator is None or not administrator.email:
        return []
    return [
        emails.pdf_shared(
            c.case,
            c.form,
            to=administrator.email,
            language=administrator.language,
            sender=entry.actor.name,
            case_url=c.links.case(c.case),
            pdf_url=c.links.pdf(c.case),
        )
    ]


def _to_people(kind: str, *, finished: bool = False) -> Callable[[_Context], list[Email]]:
    """A desk notice to the employees the case is about, each in their language; when the case is
    ``finished``, with the link that rates it without signing in (each person's own)."""

    def build(c: _Context) -> list[Email]:
        return [
            emails.desk_notice(
                c.case,
                c.form,
                kind=kind,
                to=p.email,
                language=as_language(p.language),
                case_url=c.links.case(c.case),
                rating_url=c.links.rating(c.case, p.employee_id) if finished else None,
            )
            for p in c.people()
        ]

    return build


def _to_payroll(kind: str) -> Callable[[_Context], list[Email]]:
    """A desk notice to whoever has the case at payroll, or, while nobody has claimed it, the team's mailbox."""

    def build(c: _Context) -> list[Email]:
        assignee = c.case.payroll.assignee if c.case.payroll else None
        row = c.directory.get(assignee.id) if assignee else None
        if row is not None and row.email:
            to, language = row.email, as_language(row.language)
        elif c.payroll_mailbox.of(c.case.team):
            to, language = c.payroll_mailbox.of(c.case.team), "sv"
        else:
            return []
        return [emails.desk_notice(c.case, c.form, kind=kind, to=to, language=language, case_url=c.links.case(c.case))]

    return build


#: Secure messages in a row make one notice: a reader who was told of a message from the other side in the
#: last few minutes and has not read it yet is not emailed again (the fuzzer's 94 emails in 8 minutes).
COALESCE = timedelta(minutes=10)


def _told_recently(c: _Context, side: str, reader_id: str | None) -> bool:
    """Whether an earlier message of ``side`` in the last :data:`COALESCE`, unread by ``reader_id`` (the
    payroll mailbox reads nothing: None), already brought a notice this one would only repeat."""
    read = c.case.read_up_to.get(reader_id) if reader_id else None
    sent = [message for message in c.case.messages if message.side == side and message.at <= c.event.at]
    earlier = sent[:-1]  # the last is the one this event announces (written a moment before its entry)
    return any(c.event.at - COALESCE <= m.at and (read is None or m.at > read) for m in earlier)


def _message_to_people(c: _Context) -> list[Email]:
    told = _to_people("message-waiting")(c)
    return [
        email
        for email, person in zip(told, c.people(), strict=True)
        if not _told_recently(c, "payroll", person.employee_id)
    ]


def _message_to_payroll(c: _Context) -> list[Email]:
    assignee = c.case.payroll.assignee if c.case.payroll else None
    return [] if _told_recently(c, "sender", assignee.id if assignee else None) else _to_payroll("message-waiting")(c)


def _assigned(c: _Context) -> list[Email]:
    """Told when someone else gives you a case; claiming one yourself needs no email."""
    return _to_payroll("case-assigned")(c) if c.event.actor_id != c.event.details.get("assigneeId") else []


def _approver_missing(c: _Context) -> list[Email]:
    """Nobody may decide a step: the filer is told the truth (the case waits, payroll appoints someone) and
    payroll is asked to appoint (the case has nobody at payroll yet: the team's mailbox)."""
    return _to_people("approver-missing")(c) + _to_payroll("appointment-wanted")(c)


def _registration_returned(c: _Context) -> list[Email]:
    registrar = c.directory.get(str(c.event.details.get("registeredBy", "")))
    if registrar is None or not registrar.email:
        return []
    return [
        emails.desk_notice(
            c.case,
            c.form,
            kind="registration-returned",
            to=registrar.email,
            language=as_language(registrar.language),
            case_url=c.links.case(c.case),
        )
    ]


def _registered(c: _Context) -> list[Email]:
    """Payroll has registered the case and a second officer checked it. The people it concerns are told
    only if no decision told them the outcome already: for an approved case, registering it is payroll's
    own bookkeeping, and every email is a paid send (docs/cost.md)."""
    if routes.needs_approval(c.case.route, c.case.data):
        return []
    return _to_people("case-completed", finished=True)(c)


def _withdrawn(c: _Context) -> list[Email]:
    """Payroll needs to know only if the case had reached it."""
    return _to_payroll("case-withdrawn")(c) if c.case.payroll else []


_BUILDERS: dict[str, Callable[[_Context], list[Email]]] = {
    "message_from_payroll": _message_to_people,
    "message_from_sender": _message_to_payroll,
    "completion_requested": _to_people("completion-requested"),
    "completion_provided": _to_payroll("completion-provided"),
    "registration_approved": _registered,
    "resolved": _to_people("case-completed", finished=True),
    "certificate_delivered": _to_people("certificate-ready", finished=True),
    "dismissed": _to_people("case-closed", finished=True),
    "withdrawn": _withdrawn,
    "assigned": _assigned,
    "registration_returned": _registration_returned,
    "approver_missing": _approver_missing,
    "submitted": _receipt,
    "rejected": _decision,
    "returned": _decision,
    "pdf_created": _decision,
    "expired": _expiry,
    "handed_to_payroll": _payroll,
    "pdf_shared": _shared,
}


def send_key(event: CaseEvent, email: Email) -> str:
    """The same for every delivery of one event to one recipient; reveals nothing (it is a hash)."""
    raw = "|".join((event.case_id, event.type, iso(event.at), email.kind, email.to.lower()))
    return "notification#" + hashlib.sha256(raw.encode()).hexdigest()


@dataclass
class Notifier:
    store: CaseStore
    directory: Directory
    catalogue: Catalogue
    mailer: Mailer
    ledger: SentLedger
    base_url: str
    payroll_mailbox: PayrollMailboxes
    #: Collects each case handed to payroll into the payroll mailbox's next digest.
    digests: Digests | None = None
    #: Signs the rating link in a finished case's email (None: no link).
    rating_signer: LinkSigner | None = None

    def handle(self, event: CaseEvent) -> list[Email]:
        """Send the event's emails that were not sent before; returns those sent now."""
        case = self.store.get(event.case_id)
        if case is None:
            raise UnknownCase(event.case_id)
        messages = messages_for(
            event,
            case,
            directory=self.directory,
            catalogue=self.catalogue,
            links=Links(self.base_url, self.rating_signer),
            payroll_mailbox=self.payroll_mailbox,
        )
        sent = []
        for email in messages:
            key = send_key(event, email)
            if not self.ledger.claim(key):
                continue
            try:
                self.mailer.send(email)
            except Exception:
                self.ledger.release(key)
                raise
            sent.append(email)
        if event.type == "case.handed_to_payroll" and self.digests is not None:
            self.digests.collect(case, event.at)
        return sent
