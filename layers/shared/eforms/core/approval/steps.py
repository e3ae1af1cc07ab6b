"""What each step of the approval workflow does.

The Step Functions state machine (``statemachine/approval.asl.json``) decides *when* things happen — waits,
timers, loops. This module decides *what* happens at each step. Every change goes through the lifecycle's
:class:`~eforms.core.cases.writer.CaseWriter`, so each is checked against the transition table and
written conditionally on the version read.

A step that loses a race (a decision made at the moment a timer fires) re-reads the case and reports what
already happened to the workflow, so a decision is never lost nor applied twice. Every step is safe to
retry: one whose work is already done does nothing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from eforms.core.approval import approvers, links
from eforms.core.approval.engine import Engine
from eforms.core.approval.timers import Timers
from eforms.core.cases import lifecycle
from eforms.core.cases.lifecycle import SYSTEM, Role
from eforms.core.cases.model import PAYROLL_QUEUE, Case, CaseNotFound, CaseStore, Channel, HistoryEntry, Person, Status
from eforms.core.cases.writer import CaseWriter, Plan, Unchanged
from eforms.core.common.clock import Clock, stockholm_date
from eforms.core.common.errors import Conflict
from eforms.core.desk import service_levels
from eforms.core.forms.catalogue import Catalogue
from eforms.core.identity.directory import Directory
from eforms.core.notify import emails

Stage = Literal["initial", "reminder", "escalation"]
_STAGE_ACTION = {"initial": "approval_requested", "reminder": "reminder_sent", "escalation": "escalated"}
#: What the workflow is told when a step finds the case already past the point it was started for.
SETTLED = {
    Status.APPROVED: "approved",
    Status.REJECTED: "rejected",
    Status.RETURNED: "returned",
    Status.EXPIRED: "expired",
    Status.WITHDRAWN: "withdrawn",
}


def _as_planned(step: tuple[Case, HistoryEntry]) -> Plan:
    """A plan that writes exactly ``step``, made for the case as read (the link is bound to its version)."""
    return lambda _case: step


@dataclass
class WorkflowSteps:
    store: CaseStore
    directory: Directory
    catalogue: Catalogue
    mailer: emails.Mailer
    engine: Engine
    writer: CaseWriter
    clock: Clock
    timers: Timers
    base_url: str  # where decision pages and cases are reached, e.g. https://eforms.example.se

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
        outcome = SETTLED.get(case.status)
        if outcome is not None:
            self.engine.complete(task_token, {"outcome": outcome})
            return True
        return False

    def _choose(self, case: Case, stage: Stage) -> approvers.Approver:
        """Who is asked at this stage: the resolved approver, the one above, or the one asked before."""
        today = stockholm_date(self.clock())
        excluded = {case.applicant.id, case.subject.id}
        try:
            if stage == "initial" or case.approver is None:
                return approvers.resolve(self.directory, case.subject.id, excluded=excluded, today=today)
            if stage == "escalation":
                return approvers.resolve(
                    self.directory, case.subject.id, excluded=excluded, today=today, above=case.approver.id
                )
            row = self.directory.get(case.approver.id)
            if row is None:
                raise approvers.NoApprover()
            return approvers.Approver(row, "reminder")
        except approvers.NoApprover:
            if stage == "initial" or case.approver is None:
                raise
            # Nobody further up: remind the person already asked instead of dropping the case.
            row = self.directory.get(case.approver.id)
            if row is None:
                raise
            return approvers.Approver(row, "no-one-above")

    def request_approval(self, case_id: str, task_token: str, stage: Stage) -> None:
        """Ask (again, or someone further up) for a decision: a new link, the stored token, an email."""
        for _ in range(3):  # a lost race re-reads the case and looks again
            case = self._load(case_id)
            if self._settled(case, task_token):
                return
            now = self.clock()
            chosen = self._choose(case, stage)
            token, token_hash = links.new_token()
            step = lifecycle.transition(
                case,
                _STAGE_ACTION[stage],
                actor=SYSTEM,
                role=Role.SYSTEM,
                channel=Channel.WORKFLOW,
                now=now,
                details={
                    "approverId": chosen.employee.employee_id,
                    "approverName": chosen.employee.name,
                    "reason": chosen.reason,
                },
                approver=Person(chosen.employee.employee_id, chosen.employee.name),
                link_hash=token_hash,
                task_token=task_token,
            )
            link = links.DecisionLink(
                token_hash,
                case.case_id,
                chosen.employee.employee_id,
                step[0].version,
                now + timedelta(days=self.timers.link_days),
            )
            try:
                # Not retried inside the writer: a lost race must look at the case again (it may be decided).
                written = self.writer.apply(case, _as_planned(step), attempts=1, new_link=link)
            except Conflict:
                continue
            form = self.catalogue.get(case.form_id, case.form_version)
            self.mailer.send(
                emails.approval_request(
                    written.after,
                    form,
                    to=chosen.employee.email,
                    language=chosen.employee.language,
                    stage=stage,
                    link_url=f"{self.base_url}/decisions/{token}",
                    valid_until=link.valid_until,
                )
            )
            return
        raise Conflict()

    def await_correction(self, case_id: str, task_token: str) -> None:
        """Keep the token that the employee's resubmission will resume (bookkeeping: no version bump)."""
        for _ in range(3):
            case = self._load(case_id)
            if case.status != Status.RETURNED:
                # Already resubmitted (or expired, withdrawn) before this step ran.
                resubmitted = case.status == Status.SUBMITTED
                outcome = "resubmitted" if resubmitted else SETTLED.get(case.status, "expired")
                self.engine.complete(task_token, {"outcome": outcome})
                return
            try:
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
        """Nobody decided (or the employee never corrected) in time; the notifier tells the employee."""

        def plan(case: Case) -> Any:
            if case.status not in lifecycle.rule_for("expired").sources:
                raise Unchanged(case)  # decided, withdrawn or already expired: nothing to do
            return lifecycle.transition(
                case,
                "expired",
                actor=SYSTEM,
                role=Role.SYSTEM,
                channel=Channel.WORKFLOW,
                now=self.clock(),
                details={"reason": reason},
                approver=None,
                link_hash=None,
                task_token=None,
                correction=None,
            )

        self.writer.apply(self._load(case_id), plan, retry=True)

    def hand_to_payroll(self, case_id: str) -> None:
        """Approved or direct cases reach the payroll queue, with their due date and pay period."""

        def plan(case: Case) -> Any:
            if case.status not in lifecycle.rule_for("handed_to_payroll").sources:
                raise Unchanged(case)  # a retried step: already handed over (or withdrawn meanwhile)
            now = self.clock()
            form = self.catalogue.get(case.form_id, case.form_version)
            item = service_levels.receive(now, form.service_level_working_days)
            return lifecycle.transition(
                case,
                "handed_to_payroll",
                actor=SYSTEM,
                role=Role.SYSTEM,
                channel=Channel.WORKFLOW,
                now=now,
                details={"dueDate": item.due_date.isoformat(), "payPeriod": item.pay_period},
                queue=PAYROLL_QUEUE,
                payroll=item,
                task_token=None,
            )

        self.writer.apply(self._load(case_id), plan, retry=True)
