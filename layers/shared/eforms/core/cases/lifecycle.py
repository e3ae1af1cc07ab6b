"""The case lifecycle: the one table of what may happen to a case, and the one way to make it happen.

Every change of a case — a workflow step, a manager's decision, the employee's correction, every payroll
action — is a row of :data:`TABLE`: the action (which is also the history entry's ``action`` and the
event's ``case.<action>``), the statuses it may start from, the status it leads to, who may do it and what
it does to the service-level clock. :func:`transition` is the only code that appends a history entry and
bumps a case's version; ``eforms.core.cases.writer.CaseWriter`` is the only code that stores such a
change (conditional on the version read) and publishes its event. ``docs/workflow.md`` draws this table,
and a test keeps the drawing true.

Bookkeeping that changes no state a person sees — the workflow attaching its callback token, the PDF
renderer recording the document key, a reader marking messages read — is not a transition and bumps no
version.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from eforms.core.cases.model import Case, Channel, HistoryEntry, Person, Status
from eforms.core.common.errors import Conflict
from eforms.core.desk import service_levels


class Role(StrEnum):
    """The capacity someone acts in. A person can hold several; each transition names the ones it allows."""

    APPLICANT = "applicant"  # filed the case (or, for the desk's messages, the person it concerns)
    APPROVER = "approver"  # asked to decide it
    MANAGER = "manager"
    PAYROLL = "payroll"
    SYSTEM = "system"  # the workflow and scheduled steps


class Sla(StrEnum):
    """What a transition does to the payroll service-level clock (see ``eforms.core.desk.service_levels``)."""

    NONE = "none"  # no effect
    START = "start"  # payroll received the case: the due date is set
    RESPOND = "respond"  # payroll answered the sender: the first-response promise is met (if not yet)
    PAUSE = "pause"  # waiting for the sender: the clock stops
    RESUME = "resume"  # the sender answered: the clock runs again, the paused days added to the due date
    STOP = "stop"  # the case is finished


#: Who acts when the workflow or a scheduled step changes a case.
SYSTEM = Person("system", "E-tjänsten")

S = Status
_BEFORE_PAYROLL = frozenset({S.SUBMITTED, S.AWAITING_APPROVAL, S.RETURNED})
#: Where payroll works a case: open on the desk (registered cases wait for the four-eyes check).
AT_DESK = frozenset({S.AT_PAYROLL, S.AWAITING_COMPLETION, S.REGISTERED})
BEFORE_REGISTRATION = frozenset({S.AT_PAYROLL, S.AWAITING_COMPLETION})
FINAL = frozenset({S.REJECTED, S.EXPIRED, S.COMPLETED, S.CLOSED, S.WITHDRAWN})


@dataclass(frozen=True)
class Rule:
    action: str
    sources: frozenset[Status]  # empty: the action creates the case
    target: Status | None  # None: the status stays
    roles: frozenset[Role]
    sla: Sla = Sla.NONE
    #: The problem code when the case is in another status (clients switch on it; the status is named too).
    refusal: str = "action_not_allowed"

    @property
    def event(self) -> str:
        return f"case.{self.action}"

    def leads_from(self, status: Status) -> Status:
        return self.target or status


def _rule(
    action: str,
    sources: Iterable[Status],
    target: Status | None,
    *roles: Role,
    sla: Sla = Sla.NONE,
    refusal: str = "action_not_allowed",
) -> Rule:
    return Rule(action, frozenset(sources), target, frozenset(roles), sla, refusal)


R = Role
#: status × action → new status, who may, the SLA effect. Read top to bottom, it is the life of a case.
TABLE: dict[str, Rule] = {
    rule.action: rule
    for rule in (
        # -- filing and the manager's approval (the approval workflow drives the system steps)
        _rule("submitted", (), S.SUBMITTED, R.APPLICANT),
        _rule("approval_requested", {S.SUBMITTED, S.AWAITING_APPROVAL}, S.AWAITING_APPROVAL, R.SYSTEM),
        _rule("reminder_sent", {S.AWAITING_APPROVAL}, None, R.SYSTEM),
        _rule("escalated", {S.AWAITING_APPROVAL}, None, R.SYSTEM),
        # nobody may decide a step and it names no team that can: the payroll desk appoints someone
        _rule("approver_missing", {S.SUBMITTED, S.AWAITING_APPROVAL}, S.AWAITING_APPROVAL, R.SYSTEM),
        _rule("approver_appointed", {S.AWAITING_APPROVAL}, None, R.PAYROLL, refusal="approver_not_missing"),
        # one step of a longer route approved: the case waits for the next step's approver
        _rule("step_approved", {S.AWAITING_APPROVAL}, None, R.APPROVER, refusal="case_not_awaiting_decision"),
        _rule("approved", {S.AWAITING_APPROVAL}, S.APPROVED, R.APPROVER, refusal="case_not_awaiting_decision"),
        _rule("rejected", {S.AWAITING_APPROVAL}, S.REJECTED, R.APPROVER, refusal="case_not_awaiting_decision"),
        _rule("returned", {S.AWAITING_APPROVAL}, S.RETURNED, R.APPROVER, refusal="case_not_awaiting_decision"),
        _rule("resubmitted", {S.RETURNED}, S.SUBMITTED, R.APPLICANT, refusal="case_not_returned"),
        _rule("expired", _BEFORE_PAYROLL, S.EXPIRED, R.SYSTEM),
        _rule("handed_to_payroll", {S.SUBMITTED, S.APPROVED}, S.AT_PAYROLL, R.SYSTEM, sla=Sla.START),
        _rule(
            "pdf_shared",
            {S.APPROVED, *AT_DESK, S.COMPLETED, S.CLOSED, S.WITHDRAWN},
            None,
            R.MANAGER,
            refusal="pdf_not_available",
        ),
        # -- the payroll desk
        _rule("claimed", AT_DESK, None, R.PAYROLL),
        _rule("assigned", AT_DESK, None, R.PAYROLL),
        _rule("message_from_payroll", AT_DESK, None, R.PAYROLL, sla=Sla.RESPOND),
        _rule("message_from_sender", AT_DESK, None, R.APPLICANT),
        _rule("completion_requested", {S.AT_PAYROLL}, S.AWAITING_COMPLETION, R.PAYROLL, sla=Sla.PAUSE),
        _rule("completion_provided", {S.AWAITING_COMPLETION}, S.AT_PAYROLL, R.APPLICANT, sla=Sla.RESUME),
        _rule("registered", {S.AT_PAYROLL}, S.REGISTERED, R.PAYROLL, sla=Sla.RESPOND),
        _rule("registration_approved", {S.REGISTERED}, S.COMPLETED, R.PAYROLL, sla=Sla.STOP),
        _rule("registration_returned", {S.REGISTERED}, S.AT_PAYROLL, R.PAYROLL),
        # the issued document uploaded (again, if the officer picked the wrong file), previewed, then sent
        _rule("certificate_uploaded", {S.AT_PAYROLL}, None, R.PAYROLL),
        _rule("certificate_delivered", {S.AT_PAYROLL}, S.COMPLETED, R.PAYROLL, sla=Sla.STOP),
        _rule("resolved", BEFORE_REGISTRATION, S.COMPLETED, R.PAYROLL, sla=Sla.STOP),
        _rule("dismissed", BEFORE_REGISTRATION, S.CLOSED, R.PAYROLL, sla=Sla.STOP),
        _rule("withdrawn", _BEFORE_PAYROLL | BEFORE_REGISTRATION, S.WITHDRAWN, R.APPLICANT, sla=Sla.STOP),
        _rule("sla_breached", BEFORE_REGISTRATION, None, R.SYSTEM),
        # -- how it went, in the sender's words: once, when payroll has finished (docs/statistics.md)
        _rule("rated", {S.COMPLETED, S.CLOSED}, None, R.APPLICANT, refusal="case_not_finished"),
        # -- the workflow could not go on (an AWS outage outlasting its retries): the case stays as it is,
        # the stall is on record and alarmed, and ops resume it (docs/resilience.md §3)
        _rule("workflow_stalled", _BEFORE_PAYROLL | {S.APPROVED} | AT_DESK, None, R.SYSTEM),
    )
}


def rule_for(action: str) -> Rule:
    return TABLE[action]


def allowed_actions(status: Status, role: Role) -> list[str]:
    """What someone in ``role`` may do to a case in ``status`` (the table's answer, before finer rules)."""
    return [rule.action for rule in TABLE.values() if status in rule.sources and role in rule.roles]


def check(case: Case, action: str) -> Rule:
    """The rule for ``action``, or ``Conflict`` naming the case's status when the table forbids it now."""
    rule = TABLE[action]
    if case.status not in rule.sources:
        raise Conflict(rule.refusal, status=case.status.value)
    return rule


def opening(
    action: str, *, actor: Person, role: Role, channel: Channel, now: datetime, details: dict[str, Any] | None = None
) -> tuple[Status, HistoryEntry]:
    """The status a new case starts in and its first history entry, for an action that creates a case."""
    rule = TABLE[action]
    if rule.sources or rule.target is None or role not in rule.roles:
        raise ValueError(f"{action} does not create a case as {role}")
    return rule.target, HistoryEntry(
        at=now, actor=actor, role=role.value, action=action, channel=channel, details=details or {}
    )


def by_the_system(
    case: Case, action: str, *, now: datetime, details: dict[str, Any] | None = None, **changes: Any
) -> tuple[Case, HistoryEntry]:
    """A :func:`transition` the service makes itself (the workflow, the scheduled checks)."""
    return transition(
        case, action, actor=SYSTEM, role=Role.SYSTEM, channel=Channel.WORKFLOW, now=now, details=details, **changes
    )


def transition(
    case: Case,
    action: str,
    *,
    actor: Person,
    role: Role,
    channel: Channel,
    now: datetime,
    details: dict[str, Any] | None = None,
    meets_promise: bool = True,
    **changes: Any,
) -> tuple[Case, HistoryEntry]:
    """The case after ``action`` and the history entry recording it (not yet stored).

    Checks the table (status and role), applies ``changes`` to the case's fields, runs the payroll
    service-level clock as the table says (``meets_promise=False``: this response does not keep the
    form's promise), sets the new status, appends the entry and bumps the version. The only place any of
    those things happen.
    """
    rule = check(case, action)
    if role not in rule.roles:
        raise ValueError(f"{role} may not {action}")  # a programming error: callers check who acts first
    entry = HistoryEntry(at=now, actor=actor, role=role.value, action=action, channel=channel, details=details or {})
    payroll = changes.pop("payroll", case.payroll)
    if payroll is not None and rule.sla not in (Sla.NONE, Sla.START):
        payroll = service_levels.clocked(payroll, rule.sla.value, now, meets_promise=meets_promise)
    changed = dataclasses.replace(
        case,
        **changes,
        payroll=payroll,
        status=rule.leads_from(case.status),
        version=case.version + 1,
        updated_at=now,
        history=[*case.history, entry],
    )
    return changed, entry
