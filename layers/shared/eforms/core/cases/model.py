"""The case: one submitted form, its parties, its state and its append-only history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from eforms.core.approval.links import DecisionLink
from eforms.core.desk.service_levels import PayrollItem
from eforms.core.forms.routes import Route
from eforms.core.identity.person import Person as Person  # noqa: PLC0414 - re-exported: a case names its people

if TYPE_CHECKING:
    from eforms.core.payroll.pay_runs import Pending


class Status(StrEnum):
    """Where a case is. What leads from one to another is the table in :mod:`eforms.core.cases.lifecycle`."""

    SUBMITTED = "submitted"
    AWAITING_APPROVAL = "awaiting_approval"
    RETURNED = "returned"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"
    AT_PAYROLL = "at_payroll"  # in the payroll queue, being worked
    AWAITING_COMPLETION = "awaiting_completion"  # payroll asked the sender for what is missing
    REGISTERED = "registered"  # registered in the payroll system, waiting for a second officer's check
    COMPLETED = "completed"
    CLOSED = "closed"  # closed by payroll without completing it (not payroll's matter)
    WITHDRAWN = "withdrawn"  # withdrawn by the sender


class CaseNotFound(Exception):
    """A workflow or scheduled step names a case that is not (yet) stored. The state machine retries, then
    gives up (``CaseNeverStored``)."""


class Channel(StrEnum):
    API = "api"
    EMAIL_LINK = "email-link"
    WORKFLOW = "workflow"


#: The payroll queue of a centre without teams. With teams (``organisations/centre.json``) a case's queue is
#: the team that serves its organisation, set once payroll may handle it; that team's officers read it.
PAYROLL_QUEUE = "payroll"


@dataclass(frozen=True)
class Correction:
    """A manager's request to correct named fields; only those may change on resubmission."""

    fields: tuple[str, ...]  # JSON pointers of top-level form fields, e.g. ("/period",)
    message: str
    requested_by: Person


@dataclass(frozen=True)
class Attachment:
    """A checked file that joined the case at submission (``eforms.core.intake.uploads``)."""

    attachment_id: str  # the upload's id; the object key is ``attachments/<id>``
    kind: str  # one of the form's declared kinds
    name: str  # as the sender named it; shown, and used for the download, never for a path
    content_type: str
    size: int
    sha256: str

    @property
    def key(self) -> str:
        return f"attachments/{self.attachment_id}"


@dataclass(frozen=True)
class HistoryEntry:
    """One thing that happened to a case. Written once, never updated or deleted (until retention ends)."""

    at: datetime
    actor: Person
    role: str  # the capacity the actor acted in: applicant, manager, payroll, system
    action: str  # submitted, approved, rejected, returned, resubmitted, ...
    channel: Channel
    details: dict[str, Any] = field(default_factory=dict)
    #: Its hash in the case's chain, as stored (:mod:`eforms.core.cases.chain`): set by the store when it
    #: appends the entry, read back with it; None for an entry not yet stored, or stored before the chain.
    chain: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Message:
    """One secure message on a case, between payroll and the sender. Plain text, shown as text, never HTML."""

    at: datetime
    author: Person
    side: str  # "payroll" or "sender" (the applicant, or the employee the case concerns)
    text: str
    #: What it is in the one conversation: a ``message``, a ``completion_request`` (payroll asks for what is
    #: missing; the case waits for the sender) or a ``completion_answer``.
    kind: str = "message"


@dataclass
class Case:
    case_id: str
    form_id: str
    form_version: int
    route: Route  # the approval steps, snapshotted from the form at submission (docs/forms-platform.md)
    status: Status
    applicant: Person  # who filed it
    subject: Person  # whom it concerns; the applicant unless filed on someone's behalf
    manager_id: str | None  # the subject's manager when it was filed: the team view is keyed on this
    queue: str | None  # its payroll team (``team``) once payroll may handle it
    data: dict[str, Any]
    language: str  # the applicant's language when filing: replies and emails use it
    created_at: datetime
    updated_at: datetime
    expires_at: datetime  # end of retention: the store purges the case after this
    version: int = 1  # optimistic-locking counter, bumped by every update
    history: list[HistoryEntry] = field(default_factory=list)
    approver: Person | None = None  # who is asked to decide (a person, or ``team:<name>``), while awaiting one
    step: int | None = None  # the route step being decided (or last decided) in the current round
    link_hash: str | None = None  # SHA-256 of the one decision link that is valid now
    #: The workflow's callback token for the step waiting on this case. Backend only: never in a view,
    #: an email, a URL or a log.
    task_token: str | None = None
    correction: Correction | None = None  # set while the case is returned for correction
    payroll: PayrollItem | None = None  # set when payroll receives the case: due date, pay period
    #: SHA-256 of the canonical case data, printed on the signed PDF and kept here to check it against.
    fingerprint: str | None = None
    pdf_key: str | None = None  # S3 object key of the signed PDF (no personal data in it)
    administrators: tuple[str, ...] = ()  # administrators a manager sent the signed PDF to
    messages: list[Message] = field(default_factory=list)  # the thread with payroll, oldest first
    attachments: tuple[Attachment, ...] = ()  # the files filed with the form
    #: Who has read the thread up to when (reader id → the time of the last message they have seen).
    read_up_to: dict[str, datetime] = field(default_factory=dict)
    #: Where to email an applicant who filed with BankID (from the broker's token, if it has an email).
    contact_email: str | None = None
    #: The applicant asked for an emailed receipt when filing (otherwise none is sent: the case is on screen).
    receipt_requested: bool = False
    #: The short number people say and type (``LC-2026-004211``; :mod:`eforms.core.cases.numbers`).
    case_number: str | None = None
    #: The customer organisation the case belongs to (docs/organisations.md); "" before organisations.
    organisation_id: str = ""
    #: The centre's payroll team that serves the organisation, fixed at filing: the case's queue on the desk.
    team: str = PAYROLL_QUEUE
    #: The last history entry's chain hash as stored with the case (docs/records.md §2); the store sets it.
    chain_head: str | None = field(default=None, compare=False)

    @property
    def reference(self) -> str:
        """How the case is named to people: its number, or (filed before numbers) its id."""
        return self.case_number or self.case_id

    @property
    def filed_on_behalf(self) -> bool:
        return self.applicant.id != self.subject.id


@dataclass(frozen=True)
class CaseSummary:
    """What a listing shows of a case: enough to pick it, without its data or history."""

    case_id: str
    form_id: str
    form_version: int
    route: Route
    status: Status
    applicant: Person
    subject: Person
    created_at: datetime
    updated_at: datetime
    signed: bool = False  # a signed PDF exists
    payroll: PayrollItem | None = None  # on payroll's listings: due date, SLA, assignee, whose turn it is
    case_number: str | None = None


@dataclass(frozen=True)
class Filters:
    """Narrowing a listing: by status, employee, form, filing period, and whether a signed PDF exists."""

    status: str | None = None
    subject_id: str | None = None
    form_id: str | None = None
    since: datetime | None = None  # filed at or after
    until: datetime | None = None  # filed before
    signed: bool | None = None

    def matches(self, summary: CaseSummary) -> bool:
        return (
            (self.status is None or summary.status == self.status)
            and (self.subject_id is None or summary.subject.id == self.subject_id)
            and (self.form_id is None or summary.form_id == self.form_id)
            and (self.since is None or summary.created_at >= self.since)
            and (self.until is None or summary.created_at < self.until)
            and (self.signed is None or summary.signed == self.signed)
        )


@dataclass(frozen=True)
class DeskQuery:
    """Narrowing payroll's work queue: one team's (its customers' cases). With nothing else set: every open
    case in it; ``organisation_id`` narrows it to one customer."""

    team: str = PAYROLL_QUEUE
    organisation_id: str | None = None
    status: Status | None = None
    form_id: str | None = None
    assignee_id: str | None = None
    subject_id: str | None = None
    limit: int = 25
    cursor: dict[str, Any] | None = None


@dataclass(frozen=True)
class Page:
    items: list[CaseSummary]
    cursor: dict[str, Any] | None  # opaque to the domain; the API encodes it as nextToken


class CaseStore(Protocol):
    """Persistence port for cases. The DynamoDB adapter implements it; tests use an in-memory fake."""

    def create(self, case: Case, *, draft: tuple[str, int] | None = None) -> None:
        """Store a new case with its first history entries; fail if the id exists. The uploads its
        attachments came from are used up in the same transaction: each must still be a clean upload of
        the applicant's (``Conflict`` otherwise), so one file never joins two cases. So is the applicant's
        ``draft`` (id, version) the case finishes, so a draft never outlives its case."""
        ...

    def save(
        self,
        case: Case,
        *,
        expected_version: int,
        new_history: list[HistoryEntry],
        expected_token: str | None = None,
        new_link: DecisionLink | None = None,
        use_link: str | None = None,
        now: datetime | None = None,
        new_message: Message | None = None,
        pay_run: Pending | None = None,
    ) -> None:
        """Write ``case`` if it is still at ``expected_version`` and still holds ``expected_token`` (the
        workflow token as read; attaching a token changes no version), with its new history entries, in
        one transaction; optionally store a new decision link or mark one used (only if unused and
        current), add a message to the thread, or leave the case's confirmed pay transactions pending for
        its organisation's next pay-run file (docs/records.md §5). Raises ``Conflict`` when any condition fails: exactly
        one of two racing writers wins."""
        ...

    def mark_read(self, case_id: str, reader_id: str, up_to: datetime) -> None:
        """Remember that ``reader_id`` has read the thread up to ``up_to`` (bookkeeping: no version)."""
        ...

    def overdue(self, team: str, before: date, *, limit: int) -> list[CaseSummary]:
        """Cases whose service-level clock runs unanswered and whose due date is before ``before``."""
        ...

    def desk_queue(self, query: DeskQuery) -> Page:
        """Payroll's work queue: open cases, soonest due first, narrowed by ``query`` — each filter served by
        an index key (see docs/desk.md), every page complete."""
        ...

    def get_link(self, link_hash: str) -> DecisionLink | None:
        """A decision link by the hash of its token."""
        ...

    def pending_for(self, approver_id: str, *, limit: int, after: dict[str, str] | None = None) -> list[CaseSummary]:
        """Cases waiting for this person's (or ``team:<name>``'s) decision, oldest first; ``after`` is the
        filing time and id of the last one already shown."""
        ...

    def numbered(self, summaries: list[CaseSummary]) -> list[CaseSummary]:
        """The rows with their case numbers (a listing index may not hold them): at most one read."""
        ...

    def by_number(self, case_number: str) -> Case | None:
        """The case a number names (one read of its pointer, one of the case), or None."""
        ...

    def get(self, case_id: str) -> Case | None:
        """The case with its full history, or None."""
        ...

    def list(self, scope: str, key: str, *, filters: Filters, limit: int, cursor: dict[str, Any] | None) -> Page:
        """Cases in one listing scope (see :mod:`eforms.core.cases.listing`) that match ``filters``, newest first,
        each row with its case number (and, in the payroll queue, its payroll block)."""
        ...
