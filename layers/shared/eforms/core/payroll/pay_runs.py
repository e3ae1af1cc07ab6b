"""Pay runs: each organisation's confirmed transactions, handed to its payroll system once, as one PAXml file
per pay period (docs/records.md §5).

A case whose registration the second officer approved leaves its transactions **pending** for its
organisation (written in the approval's own transaction, so none is lost between the two). Asking for a
period's file opens its **batch** (a conditional put: two requests at once make one). The worker **cuts** it:
it claims every pending case of that period or an earlier one (each claim conditional, so each transaction goes
into exactly one file), **seals** the batch so nothing more can join, and makes the file from what the batch
holds, which gives the same bytes however often it is made. A case registered after its period's batch was
sealed waits for the next.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from eforms.core.cases.model import Case, Person, Status
from eforms.core.common.clock import Clock, stockholm_date
from eforms.core.common.errors import Conflict, FieldError, NotFound, ValidationFailed
from eforms.core.common.periods import following, is_period
from eforms.core.identity.caller import Caller
from eforms.core.organisations.people import local_id
from eforms.core.organisations.registry import Organisation, Registry
from eforms.core.payroll.declaration import PayRule
from eforms.core.payroll.paxml import FileHeader, Line, pay_run_file
from eforms.core.payroll.transactions import owned

CUTTING, SEALED, READY = "cutting", "sealed", "ready"
#: The accounting act (bokföringslagen 7 kap. 2 §) keeps a pay run's vouchers through the seventh year after
#: the end of the calendar year: eight years at most from the pay run (the file's lifecycle rule).
RETENTION_YEARS = 8


@dataclass(frozen=True)
class Pending:
    """A case's confirmed transactions, waiting for its organisation's next pay-run file; as a batch line,
    the same content in the batch that took it."""

    organisation: str
    pay_period: str
    case_id: str
    case_number: str
    employee: str  # the employee's number in the payroll system (PAXml ``anstid``)
    transactions: tuple[dict[str, Any], ...]

    def line(self) -> Line:
        return Line(self.employee, self.case_number, self.transactions)


@dataclass(frozen=True)
class FileFacts:
    """The file a batch made: where it is kept, its SHA-256 and size, and what it holds."""

    key: str
    sha256: str
    size: int
    cases: int
    transactions: int
    #: The version kept (write-once): the one every download hands out, whatever is written over it later.
    version: str = ""


@dataclass(frozen=True)
class Batch:
    organisation: str
    pay_period: str
    state: str
    requested_by: Person
    requested_at: datetime
    #: Set when sealed: who the file is for and when the batch stopped taking transactions (the file's header,
    #: kept on the batch, so a name changed in the organisation's file later changes no file made before).
    header: FileHeader | None = None
    file: FileFacts | None = None

    @property
    def cut_at(self) -> datetime | None:
        return self.header.cut_at if self.header else None


@dataclass(frozen=True)
class Waiting:
    """What is pending for an organisation: how many cases, and for which pay periods."""

    cases: int
    periods: tuple[str, ...] = field(default_factory=tuple)


class PayRunStore(Protocol):
    def batch(self, organisation: str, period: str) -> Batch | None: ...

    def batches(
        self, organisation: str, *, limit: int, cursor: dict[str, Any] | None
    ) -> tuple[list[Batch], dict[str, Any] | None]:
        """The organisation's batches, newest period first, a page at a time."""
        ...

    def open(self, batch: Batch) -> bool:
        """Store a new batch, ``cutting``; False when the period has one already (it is left as it is)."""
        ...

    def waiting(self, organisation: str) -> Waiting: ...

    def pending(self, organisation: str, up_to: str) -> Iterator[list[Pending]]:
        """The pending cases of pay period ``up_to`` or earlier, a page at a time, oldest period first."""
        ...

    def claim(self, organisation: str, period: str, taken: list[Pending]) -> bool:
        """Move the pending cases into the batch's lines, each only if still pending (another cut may have
        taken it: then it is skipped); False when the batch no longer takes any (sealed)."""
        ...

    def seal(self, organisation: str, period: str, header: FileHeader) -> None:
        """``cutting`` → ``sealed`` with the file's header (its cut time); nothing when past cutting already."""
        ...

    def lines(self, organisation: str, period: str) -> list[Pending]:
        """The batch's cases, in the order of their keys (the file's order)."""
        ...

    def finish(self, organisation: str, period: str, facts: FileFacts) -> None:
        """``sealed`` → ``ready`` with the file; nothing when it is ready already."""
        ...


class HandOvers(Protocol):
    def handed_over(self, organisation: str, case_id: str, pay_period: str) -> tuple[str, str] | None:
        """Where a case's transactions are: ``("pending", period)`` waiting for the next file, ``("file",
        period)`` in that period's batch, None in neither (not approved yet, or erased)."""
        ...


class PayRunFiles(Protocol):
    def keep(self, key: str, body: bytes, *, until: date, years: int) -> str:
        """Keep the file write-once until ``until`` (and expire it by its ``years`` after): a voucher of the
        employer's accounts. Returns the version kept; a second keep of the same key (a second run) leaves
        the first as it is and returns its version."""
        ...


class PayRunQueue(Protocol):
    def send(self, organisation: str, period: str) -> None:
        """Ask the worker to cut (or finish cutting) the batch."""
        ...


def pending_of(case: Case, organisation: str, rules: tuple[PayRule, ...] = ()) -> Pending | None:
    """What a case hands to payroll when its registration is approved, each transaction the employee's its
    form's ``rules`` name (else the person the case concerns); None when it confirmed nothing."""
    registration = case.payroll.registration if case.payroll else None
    if registration is None or not registration.transactions:
        return None
    return Pending(
        organisation,
        registration.pay_period,
        case.case_id,
        case.case_number or case.case_id,
        local_id(case.subject.id),
        owned(tuple(registration.transactions), rules, case.data),
    )


def whereabouts(store: HandOvers, case: Case, organisation: str) -> dict[str, str] | None:
    """For payroll's view of a case: whether its confirmed transactions wait for the next pay-run file or which
    period's file holds them (``{"state": "pending" | "handedOver", "payPeriod"}``); None before that."""
    registration = case.payroll.registration if case.payroll else None
    if case.status != Status.COMPLETED or registration is None or not registration.transactions:
        return None  # not approved (a registration is approved once: completed is final)
    found = store.handed_over(organisation, case.case_id, registration.pay_period)
    if found is None:
        return None
    state, period = found
    return {"state": "pending" if state == "pending" else "handedOver", "payPeriod": period}


def organisation_for(caller: Caller, registry: Registry | None, wanted: str | None) -> Organisation:
    """The organisation whose pay runs the caller asked for, if they work in its payroll team: anyone else,
    another team's officer included, is told there is no such thing (404), before anything is read."""
    found = registry.get(wanted) if registry is not None and wanted else None
    if found is None or not caller.is_payroll or not caller.works(found.payroll_team):
        raise NotFound("not_found")
    return found


def parse_period(value: Any) -> str:
    """The pay period a request names; 422 at ``/payPeriod`` otherwise."""
    if not is_period(value):
        raise ValidationFailed([FieldError("/payPeriod", "pattern_mismatch", {"pattern": "YYYY-MM"})])
    assert isinstance(value, str)
    return value


def request(
    store: PayRunStore, queue: PayRunQueue, caller: Caller, organisation: Organisation, period: str, *, clock: Clock
) -> tuple[Batch, bool]:
    """Open the period's batch and have it cut; ``(batch, True)`` when this request opened it. A batch that
    exists is answered as it is (two requests at once make one batch) and, until its file is ready, sent to
    the worker again: a cut that stopped half way goes on."""
    org = organisation.organisation_id
    existing = store.batch(org, period)
    if existing is None:
        now = clock()
        _may_open(store, org, period, now)
        batch = Batch(org, period, CUTTING, Person(caller.id, caller.name), now)
        if store.open(batch):
            queue.send(org, period)
            return batch, True
        existing = store.batch(org, period)  # another request opened it a moment ago
        assert existing is not None  # a batch is kept for years (kept_until), never deleted before
    if existing.state != READY:
        queue.send(org, period)
    return existing, False


def _may_open(store: PayRunStore, organisation: str, period: str, now: datetime) -> None:
    """A period no later than next month, after the newest batch's, with something pending for it."""
    ahead = following(f"{stockholm_date(now):%Y-%m}")
    if period > ahead:
        raise ValidationFailed([FieldError("/payPeriod", "pay_period_ahead", {"limit": ahead})])
    newest, _ = store.batches(organisation, limit=1, cursor=None)
    if newest and newest[0].pay_period > period:
        raise Conflict("pay_run_closed", payPeriod=newest[0].pay_period)
    if not any(store.pending(organisation, period)):
        raise Conflict("pay_run_empty", payPeriod=period)


def kept_until(period: str) -> date:
    """Until when a batch and its lines are kept (the table's TTL): through the seventh year after the pay
    period's year, and one more for the year a late case's pay run falls in."""
    return date(int(period[:4]) + RETENTION_YEARS + 1, 1, 1)


def file_key(organisation: str, period: str) -> str:
    return f"pay-runs/{organisation}/{period}.xml"


def file_name(organisation: str, period: str) -> str:
    return f"paxml-{organisation}-{period}.xml"


def cut(store: PayRunStore, files: PayRunFiles, organisation: Organisation, period: str, clock: Clock) -> Batch | None:
    """Claim what is pending, seal, make and keep the file. Safe to run again, or twice at once, at any point:
    each step is conditional on the one before, and the file depends on nothing but the sealed batch."""
    org = organisation.organisation_id
    batch = store.batch(org, period)
    if batch is None or batch.state == READY:
        return batch
    if batch.state == CUTTING:
        for page in store.pending(org, period):
            if not store.claim(org, period, page):
                break  # sealed by another run meanwhile: what it holds is final
        store.seal(
            org,
            period,
            FileHeader(organisation.name(organisation.languages[0]), organisation.organisation_number, clock()),
        )
        batch = store.batch(org, period)
        assert batch is not None
    if batch.state == SEALED:
        body, facts = made(store, batch)
        version = files.keep(facts.key, body, until=kept_until(period), years=RETENTION_YEARS)
        store.finish(org, period, dataclasses.replace(facts, version=version))
    return store.batch(org, period)


def made(store: PayRunStore, batch: Batch) -> tuple[bytes, FileFacts]:
    """The sealed batch's file, from what the batch holds alone — its lines and the header it was sealed with —
    so made again, years on, it is the same bytes."""
    assert batch.header is not None
    lines = store.lines(batch.organisation, batch.pay_period)
    body = pay_run_file(batch.header, [line.line() for line in lines])
    facts = FileFacts(
        file_key(batch.organisation, batch.pay_period),
        hashlib.sha256(body).hexdigest(),
        len(body),
        len(lines),
        sum(len(line.transactions) for line in lines),
    )
    return body, facts
