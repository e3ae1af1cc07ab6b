"""What one case adds to the follow-up figures: its contributions, each a set of counter increments with a
stable id (docs/statistics.md, §1–2).

Every figure is a function of one case — its state and its history — so the same function serves the
consumer of the case events (which applies each contribution once, claimed by its id) and the recount from
the histories (``python3 dev rebuild-statistics``): the two cannot disagree. A contribution is added once
its fact is known and never changes afterwards; whatever order events arrive in, a case's contributions
only grow.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from eforms.core.cases.lifecycle import Role, Sla, rule_for
from eforms.core.cases.model import Case, HistoryEntry, Status
from eforms.core.common.clock import STOCKHOLM
from eforms.core.common.workdays import SWEDEN
from eforms.core.desk.service_levels import working_days_between
from eforms.core.forms import pay_month
from eforms.core.forms.catalogue import FormDefinition

#: A case's end: it is counted closed in the month of its last entry.
FINISHED = frozenset({Status.COMPLETED, Status.CLOSED, Status.REJECTED, Status.WITHDRAWN, Status.EXPIRED})
#: What payroll does that finishes its part of a case (the officer's "handled").
#: A rating of 4 or 5 is a satisfied sender (the centre's target: 90 % of them).
SATISFIED = 4
FINISHING = frozenset({"registered", "resolved", "dismissed", "certificate_delivered"})
#: The lead-time histogram's buckets: 0 … 30 working days, and everything longer in the last.
LEAD_BUCKETS = 31
ALL = "all"


@dataclass(frozen=True)
class Increment:
    """Counters added to one row: an organisation's month, in one dimension (``all``, ``form#…``, ``officer#…``)."""

    organisation: str
    month: str
    dimension: str
    counters: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Contribution:
    """One fact about one case, counted once: its id claims it (``feedback:<caseId>``)."""

    contribution_id: str
    increments: tuple[Increment, ...]


def month_of(moment: datetime) -> str:
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m")


def _day(moment: datetime) -> date:
    return moment.astimezone(STOCKHOLM).date()


def contributions(case: Case, form: FormDefinition, default_organisation: str = "") -> list[Contribution]:
    """Everything ``case`` contributes now (docs/statistics.md, §1)."""
    counted = _Counted(case, case.organisation_id or default_organisation)
    return [*_filed_and_ended(counted), *_at_payroll(counted, form), *_per_entry(counted)]


@dataclass(frozen=True)
class _Counted:
    """One case being counted, in its organisation."""

    case: Case
    organisation: str

    def made(
        self,
        kind: str,
        moment: datetime,
        counters: dict[str, int],
        officer: str | None = None,
        part: str = "",
    ) -> Contribution:
        """A contribution to the ``all`` and form rows (and the officer's) of ``moment``'s month; ``part``: which
        of a case's several of a kind (a history entry's place, an officer)."""
        dimensions = [ALL, f"form#{self.case.form_id}", *([f"officer#{officer}"] if officer else [])]
        month = month_of(moment)
        key = f"{self.case.case_id}:{part}" if part else self.case.case_id
        return Contribution(
            f"{kind}:{key}", tuple(Increment(self.organisation, month, d, dict(counters)) for d in dimensions)
        )

    @cached_property
    def handed(self) -> HistoryEntry | None:
        """When the case reached payroll, if it did."""
        return _first(self.case.history, "handed_to_payroll")

    @cached_property
    def end(self) -> HistoryEntry | None:
        return self.case.history[-1] if self.case.status in FINISHED and self.case.history else None


def _filed_and_ended(counted: _Counted) -> Iterator[Contribution]:
    case = counted.case
    yield counted.made("received", case.created_at, {"received": 1})
    end = counted.end
    if end is not None:
        lead = working_days_between(_day(case.created_at), _day(end.at), _country(case))
        counters = {"closed": 1, f"lead#{min(lead, LEAD_BUCKETS - 1):02d}": 1}
        if counted.handed is not None:
            counters["closed_at_payroll"] = 1  # those its sender may rate: the response rate's denominator
        yield counted.made("closed", end.at, counters)


def _at_payroll(counted: _Counted, form: FormDefinition) -> Iterator[Contribution]:
    """The desk's figures, all counted in the month the case reached payroll."""
    case, handed = counted.case, counted.handed
    if handed is None:
        return
    yield counted.made("at_payroll", handed.at, {"at_payroll": 1})
    certificate = form.desk.completion == "certificate"
    feedback = _feedback(case, handed, certificate)
    if feedback is not None:
        due = handed.details.get("dueDate")
        in_time = int(isinstance(due, str) and _day(feedback.at).isoformat() <= due)
        counters = {"feedback": 1, "feedback_in_time": in_time}
        if certificate:
            counters |= {"certificates": 1, "certificates_in_time": in_time}
        yield counted.made("feedback", handed.at, counters)
    if _first(case.history, "completion_requested") is not None:
        yield counted.made("completion", handed.at, {"asked_to_complete": 1})
    if counted.end is not None:
        yield counted.made("done", handed.at, {"finished_at_payroll": 1})
    concerned = pay_month.concerned_month(form.pay_month_from, case.data) if form.pay_month_from else None
    if concerned is not None and case.payroll is not None:
        before = int(case.payroll.pay_period == concerned)
        yield counted.made("cutoff", handed.at, {"pay_cases": 1, "before_cutoff": before})


def _per_entry(counted: _Counted) -> Iterator[Contribution]:
    """Registrations, four-eyes returns (against who registered) and the cases each officer finished (once
    per officer, at their first finishing entry: a registration sent back and made again is one case)."""
    history = counted.case.history
    finished_by: set[str] = set()
    for place, entry in enumerate(history):
        if entry.action == "registered":
            yield counted.made("registered", entry.at, {"registrations": 1}, entry.actor.id, f"{place:04d}")
        if entry.action == "registration_returned":
            registrar = _last_before(history, place, "registered")
            officer = registrar.actor.id if registrar else None
            yield counted.made("return", entry.at, {"returns": 1}, officer, f"{place:04d}")
        if entry.action == "rated":
            score = entry.details.get("score")
            satisfied = int(isinstance(score, int) and score >= SATISFIED)
            yield counted.made("rating", entry.at, {"ratings": 1, "satisfied": satisfied})
        if entry.action in FINISHING and entry.role == Role.PAYROLL and entry.actor.id not in finished_by:
            finished_by.add(entry.actor.id)
            yield counted.made("handled", entry.at, {"handled": 1}, entry.actor.id, entry.actor.id)


def _feedback(case: Case, handed: HistoryEntry, certificate: bool) -> HistoryEntry | None:
    """The first thing the sender saw from payroll after the hand-off (for a certificate: the certificate)."""
    started = False
    for entry in case.history:
        if entry is handed:
            started = True
            continue
        if not started or entry.role != Role.PAYROLL:
            continue
        if certificate:
            if entry.action == "certificate_delivered":
                return entry
        elif rule_for(entry.action).sla in (Sla.RESPOND, Sla.PAUSE, Sla.STOP):
            return entry
    return None


def _first(history: list[HistoryEntry], action: str) -> HistoryEntry | None:
    return next((entry for entry in history if entry.action == action), None)


def _last_before(history: list[HistoryEntry], place: int, action: str) -> HistoryEntry | None:
    return next((entry for entry in reversed(history[:place]) if entry.action == action), None)


def _country(case: Case) -> str:
    return case.payroll.country if case.payroll is not None else SWEDEN
