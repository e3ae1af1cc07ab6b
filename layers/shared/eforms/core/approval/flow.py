"""The approval flow: what each workflow step does, and how decisions and corrections arrive.

The Step Functions state machine (``statemachine/approval.asl.json``) decides *when* things happen —
waits, timers, loops. This module decides *what* happens at each step and keeps the case, its history
and its decision links consistent. It talks to the world through ports, so it is tested with fakes.

Races are settled by the case store: every write is conditional on the case version read, so of two
decisions (double click, two tabs, link and API) exactly one is written and the other gets a 409. A
workflow step that loses such a race re-reads the case and reports what already happened to the
workflow, so a decision made at the same moment a timer fires is never lost nor applied twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from eforms.core.approval import approvers, links
from eforms.core.approval.corrections import parse_resubmission, resubmit
from eforms.core.approval.decisions import RESULT, DecisionRequest, decide
from eforms.core.cases.access import can_view
from eforms.core.cases.events import EventSink, from_history
from eforms.core.cases.model import PAYROLL_QUEUE, Case, CaseStore, Channel, HistoryEntry, Person, Status
from eforms.core.common.clock import Clock, stockholm_date
from eforms.core.common.errors import Conflict, Forbidden, NotFound
from eforms.core.common.workdays import working_days_later
from eforms.core.desk import service_levels
from eforms.core.forms.catalogue import Catalogue
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Directory
from eforms.core.notify import emails

SYSTEM = Person("system", "E-tjänsten")
Stage = Literal["initial", "reminder", "escalation"]
_STAGE_ACTION = {"initial": "approval_requested", "reminder": "reminder_sent", "escalation": "escalated"}
#: What the workflow is told when a step finds the case already past the point it was started for.
_SETTLED = {
    Status.APPROVED: "approved",
    Status.REJECTED: "rejected",
    Status.RETURNED: "returned",
    Status.EXPIRED: "expired",
}


class CaseNotFound(Exception):
    """The workflow names a case that is not (yet) stored. The state machine retries, then gives up."""


class Mailer(Protocol):
    def send(self, email: emails.Email) -> None: ...


class Engine(Protocol):
    def complete(self, task_token: str, output: dict[str, Any]) -> bool:
        """Resume the workflow step waiting on ``task_token``; False if that step no longer waits."""
        ...


@dataclass(frozen=True)
class Timers:
    """Approval timers from the template's parameters, counted from the moment approval is requested."""

    unit: Literal["workdays", "seconds"] = "workdays"
    reminder: int = 3
    escalation: int = 5
    expiry: int = 10
    link_days: int = 14

    def deadline(self, now: datetime, amount: int) -> datetime:
        if self.unit == "seconds":
            return now + timedelta(seconds=amount)
        return working_days_later(now, amount)

    def plan(self, now: datetime) -> dict[str, int]:
        """Seconds for each wait in the state machine (its TimeoutSecondsPath values), each at least 1."""
        reminder, escalation, expiry = (self.deadline(now, n) for n in (self.reminder, self.escalation, self.expiry))

        def seconds(start: datetime, end: datetime) -> int:
            return max(1, int((end - start).total_seconds()))

        return {
            "reminder": seconds(now, reminder),
            "escalation": seconds(reminder, escalation),
            "expiry": seconds(escalation, expiry),
            "correction": seconds(now, expiry),
        }


@dataclass
class Approvals:
    store: CaseStore
    directory: Directory
    catalogue: Catalogue
    mailer: Mailer
    engine: Engine
    clock: Clock
    timers: Timers
    base_url: str  # where decision pages and cases are reached, e.g. https://eforms.example.se
    events: EventSink

    # ------------------------------------------------------------------ workflow steps
    def _load(self, case_id: str) -> Case:
        case = self.store.get(case_id)
        if case is None:
            raise CaseNotFound(case_id)
        return case

    def prepare(self, case_id: str) -> dict[str, Any]:
        """First step: the route to take and the timers for the first wait."""
        case = self._load(case_id)
        return {"route": case.route, "timers": self.timers.plan(self.clock())}

    def plan(self, case_id: str) -> dict[str, Any]:
        """Timers for the next round of approval (after a correction, counted afresh)."""
        self._load(case_id)
        return self.timers.plan(self.clock())

    def _settled(self, case: Case, task_token: str) -> bool:
        """If the case moved on before this step could act, tell the workflow so and stop."""
        outcome = _SETTLED.get(case.status)
        if outcome is not None:
            self.engine.complete(task_token, {"outcome": outcome})
            return True
        return False

    def request_approval(self, case_id: str, task_token: str, stage: Stage) -> None:
        """Ask (again, or someone further up) for a decision: a new link, stored token, an email."""
        for _ in range(3):  # a lost race re-reads the case and looks again
            case = self._load(case_id)
            if self._settled(case, task_token):
                return
            now = self.clock()
            today = stockholm_date(now)
            excluded = {case.applicant.id, case.subject.id}
            try:
                if stage == "initial" or case.approver is None:
                    chosen = approvers.resolve(self.directory, case.subject.id, excluded=excluded, today=today)
                elif stage == "escalation":
                    chosen = approvers.resolve(
                        self.directory, case.subject.id, excluded=excluded, today=today, above=case.approver.id
                    )
                else:
                    row = self.directory.get(case.approver.id)
                    if row is None:
                        raise approvers.NoApprover()
                    chosen = approvers.Approver(row, "reminder")
            except approvers.NoApprover:
                if stage == "initial" or case.approver is None:
                    raise
                # Nobody further up: remind the person already asked instead of dropping the case.
                row = self.directory.get(case.approver.id)
                if row is None:
                    raise
                chosen = approvers.Approver(row, "no-one-above")
            token, token_hash = links.new_token()
            entry = HistoryEntry(
                at=now,
                actor=SYSTEM,
                role="system",
                action=_STAGE_ACTION[stage],
                channel=Channel.WORKFLOW,
                details={
                    "approverId": chosen.employee.employee_id,
                    "approverName": chosen.employee.name,
                    "reason": chosen.reason,
                },
            )
            updated = dataclasses.replace(
                case,
                status=Status.AWAITING_APPROVAL,
                approver=Person(chosen.employee.employee_id, chosen.employee.name),
                link_hash=token_hash,
                task_token=task_token,
                version=case.version + 1,
                updated_at=now,
                history=[*case.history, entry],
            )
            link = links.DecisionLink(
                token_hash,
                case.case_id,
                chosen.employee.employee_id,
                updated.version,
                now + timedelta(days=self.timers.link_days),
            )
            try:
                self.store.save(
                    updated,
                    expected_version=case.version,
                    expected_token=case.task_token,
                    new_history=[entry],
                    new_link=link,
                )
            except Conflict:
                continue
            form = self.catalogue.get(case.form_id, case.form_version)
            self.mailer.send(
                emails.approval_request(
                    updated,
                    form,
                    to=chosen.employee.email,
                    language=chosen.employee.language,
                    stage=stage,
                    link_url=f"{self.base_url}/decisions/{token}",
                    valid_until=link.valid_until,
                )
            )
            self.events.publish([from_history(updated)])
            return
        raise Conflict()

    def await_correction(self, case_id: str, task_token: str) -> None:
        """Keep the token that the employee's resubmission will resume."""
        for _ in range(3):
            case = self._load(case_id)
            if case.status != Status.RETURNED:
                # Already resubmitted (or expired) before this step ran.
                self.engine.complete(
                    task_token,
                    {
                        "outcome": "resubmitted"
                        if case.status == Status.SUBMITTED
                        else _SETTLED.get(case.status, "expired")
                    },
                )
                return
            try:
                # Same version: attaching the token is bookkeeping, not a change the employee must reload for.
                self.store.save(
                    dataclasses.replace(case, task_token=task_token),
                    expected_version=case.version,
                    expected_token=case.task_token,
                    new_history=[],
                )
                return
            except Conflict:
                continue
        raise Conflict()

    def expire(self, case_id: str, reason: str = "no_decision") -> None:
        case = self._load(case_id)
        if case.status in (Status.EXPIRED, Status.APPROVED, Status.REJECTED, Status.AT_PAYROLL):
            return
        now = self.clock()
        entry = HistoryEntry(
            at=now, actor=SYSTEM, role="system", action="expired", channel=Channel.WORKFLOW, details={"reason": reason}
        )
        expired = dataclasses.replace(
            case,
            status=Status.EXPIRED,
            approver=None,
            link_hash=None,
            task_token=None,
            correction=None,
            version=case.version + 1,
            updated_at=now,
            history=[*case.history, entry],
        )
        self.store.save(expired, expected_version=case.version, expected_token=case.task_token, new_history=[entry])
        self.events.publish([from_history(expired)])  # the notifier tells the employee

    def hand_to_payroll(self, case_id: str) -> None:
        case = self._load(case_id)
        if case.status == Status.AT_PAYROLL:
            return  # a retried step: already done
        now = self.clock()
        form = self.catalogue.get(case.form_id, case.form_version)
        item = service_levels.receive(now, form.service_level_working_days)
        entry = HistoryEntry(
            at=now,
            actor=SYSTEM,
            role="system",
            action="handed_to_payroll",
            channel=Channel.WORKFLOW,
            details={"dueDate": item.due_date.isoformat(), "payPeriod": item.pay_period},
        )
        handed = dataclasses.replace(
            case,
            status=Status.AT_PAYROLL,
            queue=PAYROLL_QUEUE,
            payroll=item,
            task_token=None,
            version=case.version + 1,
            updated_at=now,
            history=[*case.history, entry],
        )
        self.store.save(handed, expected_version=case.version, expected_token=case.task_token, new_history=[entry])
        self.events.publish([from_history(handed)])  # the notifier tells the payroll team

    # ------------------------------------------------------------------ decisions
    def decide_with_link(self, token: str, request: DecisionRequest) -> Case:
        link, case = self.open_link(token)
        approver = self.directory.get(link.approver_id)
        actor = Person(link.approver_id, approver.name if approver else case.approver.name if case.approver else "")
        return self._decide(case, request, actor=actor, channel=Channel.EMAIL_LINK, use_link=link.link_hash)

    def decide_as(self, caller: Caller, case_id: str, request: DecisionRequest) -> Case:
        """A signed-in decision. Whoever may not see the case gets 404; a case that has moved on, 409;
        someone who may see it but is not the one asked to decide, 403."""
        case = self.store.get(case_id)
        if case is None or not can_view(caller, case, self.directory, stockholm_date(self.clock())):
            raise NotFound("case_not_found")
        if case.status != Status.AWAITING_APPROVAL:
            raise Conflict("case_not_awaiting_decision")
        if case.approver is None or case.approver.id != caller.id:
            raise Forbidden("not_the_approver")
        return self._decide(case, request, actor=Person(caller.id, caller.name), channel=Channel.API, use_link=None)

    def open_link(self, token: str) -> tuple[links.DecisionLink, Case]:
        """The link and its case if the link may decide now; ``LinkProblem`` says why not."""
        if not links.well_formed(token):
            raise links.LinkProblem("unknown")
        link = self.store.get_link(links.hash_token(token))
        case = self.store.get(link.case_id) if link else None
        if link is None or case is None:
            raise links.LinkProblem("unknown")
        links.check(
            link,
            current_hash=case.link_hash,
            current_version=case.version,
            awaiting=case.status == Status.AWAITING_APPROVAL,
            now=self.clock(),
        )
        return link, case

    def _write(
        self, case: Case, change: Callable[[Case], tuple[Case, HistoryEntry]], **extra: Any
    ) -> tuple[Case, Case]:
        """Apply ``change`` to the case and store it; returns (the case as written over, the new case).

        Losing only to the workflow attaching its token (same version, new token) is not a conflict the
        person caused: re-read and write again. Any other lost race is a 409.
        """
        for _ in range(3):
            updated, entry = change(case)
            try:
                self.store.save(
                    updated, expected_version=case.version, expected_token=case.task_token, new_history=[entry], **extra
                )
                return case, updated
            except Conflict:
                fresh = self.store.get(case.case_id)
                if fresh is None or fresh.version != case.version or fresh.task_token == case.task_token:
                    raise
                case = fresh
        raise Conflict()

    def _decide(
        self, case: Case, request: DecisionRequest, *, actor: Person, channel: Channel, use_link: str | None
    ) -> Case:
        now = self.clock()
        case, decided = self._write(
            case,
            lambda current: decide(current, request, actor=actor, channel=channel, now=now),
            use_link=use_link,
            now=now,
        )
        if case.task_token:
            # If the wait already timed out, the timer step that runs next finds the decision and reports it.
            self.engine.complete(case.task_token, {"outcome": RESULT[request.outcome]})
        self.events.publish([from_history(decided)])  # the notifier tells the employee
        return decided

    # ------------------------------------------------------------------ corrections
    def resubmit(self, caller: Caller, case_id: str, body: Any) -> Case:
        case = self.store.get(case_id)
        if case is None or caller.id not in (case.applicant.id, case.subject.id):
            raise NotFound("case_not_found")
        if caller.id != case.applicant.id:
            raise Conflict("not_the_applicant")
        data, version = parse_resubmission(body)
        form = self.catalogue.get(case.form_id, case.form_version)
        now = self.clock()
        actor = Person(caller.id, caller.name)
        case, corrected = self._write(
            case, lambda current: resubmit(current, data, version, form=form, actor=actor, now=now)
        )
        if case.task_token:
            self.engine.complete(case.task_token, {"outcome": "resubmitted"})
        self.events.publish([from_history(corrected)])
        return corrected
