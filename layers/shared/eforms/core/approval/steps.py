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
import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from eforms.core.approval import approvers, links, resubmission
from eforms.core.approval.engine import Engine
from eforms.core.approval.timers import Timers
from eforms.core.cases import lifecycle
from eforms.core.cases.lifecycle import SYSTEM, Role
from eforms.core.cases.model import Case, CaseNotFound, CaseStore, Channel, HistoryEntry, Person, Status
from eforms.core.cases.writer import CaseWriter, Plan, Unchanged
from eforms.core.common.clock import Clock, stockholm_date
from eforms.core.common.errors import Conflict
from eforms.core.common.i18n import as_language
from eforms.core.desk import service_levels
from eforms.core.forms import pay_month, routes
from eforms.core.forms.catalogue import Catalogue
from eforms.core.identity.directory import Directory
from eforms.core.notify import emails
from eforms.core.notify.notifier import SentLedger
from eforms.core.organisations import people
from eforms.core.organisations.registry import Calendars, form_calendar

Stage = Literal["initial", "reminder", "escalation"]
#: What an error name may hold on the record: letters, digits and dots (States.Timeout, Transient).
_ERROR_NAME = re.compile(r"[^A-Za-z0-9.]")
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
    signer: links.LinkSigner  # derives each step's link token (the same on the step's retries)
    #: Which requests went to whom: a retried step mails nobody twice (None: every send goes out).
    sent: SentLedger | None = None
    #: A form's pay calendar in an organisation (its file); the form's own where none is declared.
    calendars: Calendars = form_calendar

    def _load(self, case_id: str) -> Case:
        case = self.store.get(case_id)
        if case is None:
            raise CaseNotFound(case_id)
        return case

    def next_step(self, case_id: str) -> dict[str, Any]:
        """Where the route goes now: ``{"kind": "approval", "step": i, "timers": …, "then": …}`` for the next
        approval step that applies to the case's data, ``{"kind": "payroll"}`` once every step is approved
        (or none applies), ``{"kind": "closed"}`` when the case has ended meanwhile. Reads only: safe to retry.

        ``then`` is where an approval of that step leads: ``"payroll"`` when no later step applies, else
        ``"approval"``. The data cannot change while a step waits (a correction starts the route again), so
        the workflow goes from an approved last step straight to the PDF without asking again: two billed
        transitions less per approved case (docs/cost.md). Every plan carries the four keys, as the state
        machine's ResultSelector requires.

        A case just submitted or resubmitted starts from the route's first step; one whose step was just
        approved goes on from that step.
        """
        case = self._load(case_id)
        if case.status == Status.SUBMITTED:
            index = routes.next_step(case.route, case.data)
        elif case.status == Status.AWAITING_APPROVAL:
            index = (
                self._current_step(case) if case.approver else routes.next_step(case.route, case.data, after=case.step)
            )
        elif case.status == Status.APPROVED:
            index = None
        else:
            return {"kind": "closed", "step": -1, "timers": {}, "then": "closed"}
        if index is None:
            return {"kind": "payroll", "step": -1, "timers": {}, "then": "payroll"}
        country = self.catalogue.get(case.form_id, case.form_version).country
        last = routes.next_step(case.route, case.data, after=index) is None
        timers = self.timers.plan(self.clock(), country)
        return {"kind": "approval", "step": index, "timers": timers, "then": "payroll" if last else "approval"}

    def prepare(self, case_id: str) -> dict[str, Any]:
        """The first step of executions started before routes were data (they choose on a route name)."""
        plan = self.next_step(case_id)
        return {"route": "payroll" if plan["kind"] == "payroll" else "manager-approval", "timers": plan["timers"]}

    def plan(self, case_id: str) -> dict[str, Any]:
        """Timers for the next round, for executions started before routes were data."""
        self._load(case_id)
        return self.timers.plan(self.clock())

    @staticmethod
    def _current_step(case: Case) -> int | None:
        return case.step if case.step is not None else routes.next_step(case.route, case.data)

    def _settled(self, case: Case, task_token: str, stage: Stage, step: int | None) -> bool:
        """If the case moved on before this step could act, tell the workflow so and stop."""
        outcome = SETTLED.get(case.status)
        between = case.status == Status.AWAITING_APPROVAL and case.approver is None and case.step is not None
        decided = case.step if case.step is not None else -1
        if outcome is None and between and (stage != "initial" or (step is not None and decided >= step)):
            outcome = "approved"  # this step was approved meanwhile; the route goes on
        if outcome is not None:
            self.engine.complete(task_token, {"outcome": outcome})
            return True
        return False

    def _choose(self, case: Case, index: int, stage: Stage) -> approvers.Approver | approvers.TeamApprover:
        """Who is asked at this stage: the step's approver (or whom the desk appointed, or the step's fallback
        team), the one above, or the one asked before. ``NoApprover``: the desk must appoint someone."""
        step = case.route[index]
        today = stockholm_date(self.clock())
        excluded = approvers.excluded_for(case)
        asked = case.approver
        if stage == "initial":
            appointed = approvers.appointed(self.directory, case, index, today)
            if appointed is not None:
                return appointed
        if stage == "initial" or asked is None or approvers.team_of(asked.id) is not None:
            # A team has nobody above it: a reminder or escalation asks the team again.
            return approvers.with_fallback(self.directory, step, case.subject.id, excluded=excluded, today=today)
        try:
            if stage == "escalation":
                return approvers.resolve(
                    self.directory, case.subject.id, excluded=excluded, today=today, above=asked.id
                )
            row = self.directory.get(asked.id)
            if row is None:
                raise approvers.NoApprover()
            return approvers.Approver(row, "reminder")
        except approvers.NoApprover:
            # Nobody further up: remind the person already asked instead of dropping the case.
            row = self.directory.get(asked.id)
            if row is None:
                raise
            return approvers.Approver(row, "no-one-above")

    def request_approval(self, case_id: str, task_token: str, stage: Stage, step: int | None = None) -> None:
        """Ask (again, or someone further up) for a decision on route step ``step``: a new link, the stored
        token, an email — or, for a team step, an email to each member, who decide signed in.

        A retry of this very step (the workflow retries after an outage, or after an email whose reply was
        lost) finds its own token on the case: it writes nothing and mails the same link again — to
        whoever has not had it yet (the send ledger), so nobody is emailed twice and no link dies."""
        for _ in range(3):  # a lost race re-reads the case and looks again
            case = self._load(case_id)
            if self._settled(case, task_token, stage, step):
                return
            index = step if step is not None else self._current_step(case)
            if index is None or not 0 <= index < len(case.route) or not case.route[index].decides:
                raise ValueError(f"route step {index} of case {case_id} is not an approval step")
            if self._ask_again(case, task_token, index, stage):
                return
            now = self.clock()
            chosen = self._choose(case, index, stage)
            if isinstance(chosen, approvers.TeamApprover):
                asked, token, token_hash = Person(chosen.key, chosen.step.title("sv")), None, None
                reason = chosen.reason
            else:
                asked = Person(chosen.employee.employee_id, chosen.employee.name)
                token, token_hash = links.token_for(self.signer, case.case_id, task_token)
                reason = chosen.reason
            step_entry = lifecycle.transition(
                case,
                _STAGE_ACTION[stage],
                actor=SYSTEM,
                role=Role.SYSTEM,
                channel=Channel.WORKFLOW,
                now=now,
                details={"approverId": asked.id, "approverName": asked.name, "reason": reason, "step": index},
                approver=asked,
                step=index,
                link_hash=token_hash,
                task_token=task_token,
            )
            link = None
            if token_hash is not None:
                link = links.DecisionLink(
                    token_hash,
                    case.case_id,
                    asked.id,
                    step_entry[0].version,
                    now + timedelta(days=self.timers.link_days),
                )
            try:
                # Not retried inside the writer: a lost race must look at the case again (it may be decided).
                written = self.writer.apply(case, _as_planned(step_entry), attempts=1, new_link=link)
            except Conflict:
                continue
            self._send_requests(written.after, chosen, stage, token, link)
            return
        raise Conflict()

    def _ask_again(self, case: Case, task_token: str, index: int, stage: Stage) -> bool:
        """If this step already asked (its token is on the case), send its request again and say so."""
        asked = case.approver
        if case.task_token != task_token or case.step != index or asked is None:
            return False
        team = approvers.team_of(asked.id)
        if team is not None:
            step = case.route[index]
            team_step = step if step.team == people.local_id(team) else step.fallback
            if team_step is None:
                return False
            today = stockholm_date(self.clock())
            try:  # the team as it is asked (its current members, nobody excluded), as the first try asked it
                chosen = approvers.for_step(
                    self.directory, team_step, case.subject.id, excluded=approvers.excluded_for(case), today=today
                )
            except approvers.NoApprover:
                return True  # nobody left in the team to mail again; the step still waits on its token
            self._send_requests(case, chosen, stage, None, None)
            return True
        row = self.directory.get(asked.id)
        token, token_hash = links.token_for(self.signer, case.case_id, task_token)
        link = self.store.get_link(token_hash) if token_hash == case.link_hash else None
        if row is None or link is None:
            return False  # a link made before links were derived: ask afresh
        self._send_requests(case, approvers.Approver(row, "again"), stage, token, link)
        return True

    def _send_requests(
        self,
        case: Case,
        chosen: approvers.Approver | approvers.TeamApprover,
        stage: Stage,
        token: str | None,
        link: links.DecisionLink | None,
    ) -> None:
        form = self.catalogue.get(case.form_id, case.form_version)

        def changes(language: str) -> list[tuple[str, str, str]]:
            return [(c.label, c.before, c.after) for c in resubmission.round_changes(case, form, as_language(language))]

        if isinstance(chosen, approvers.TeamApprover):
            for member in chosen.members:
                self._send_once(
                    case,
                    emails.approval_request(
                        case,
                        form,
                        to=member.email,
                        language=member.language,
                        stage=stage,
                        link_url=f"{self.base_url}/cases/{case.case_id}",
                        valid_until=None,
                        team=chosen.step.title(member.language),
                        changes=changes(member.language),
                    ),
                )
            return
        assert token is not None
        assert link is not None
        self._send_once(
            case,
            emails.approval_request(
                case,
                form,
                to=chosen.employee.email,
                language=chosen.employee.language,
                stage=stage,
                link_url=f"{self.base_url}/decisions/{token}",
                valid_until=link.valid_until,
                changes=changes(chosen.employee.language),
            ),
        )

    def _send_once(self, case: Case, email: emails.Email) -> None:
        """Send one request unless this request (the case's version: nothing is written between a step and
        its retries) already went to this recipient; a failed send is released for the retry."""
        if self.sent is None:
            self.mailer.send(email)
            return
        raw = "|".join((case.case_id, str(case.version), email.kind, email.to.lower()))
        key = "approval#" + hashlib.sha256(raw.encode()).hexdigest()
        if not self.sent.claim(key):
            return
        try:
            self.mailer.send(email)
        except BaseException:
            self.sent.release(key)
            raise

    def await_appointment(self, case_id: str, task_token: str, step: int) -> bool:
        """Nobody may decide route step ``step`` and no fallback team can: the case waits (still awaiting
        approval) for the payroll desk to appoint someone, with the workflow's token kept for that moment.
        The filer and the payroll mailbox are told by the notifier (``case.approver_missing``). True when
        this call put the case there (a retry finds it done and only keeps the newest token)."""
        for _ in range(3):
            case = self._load(case_id)
            if case.status not in (Status.AWAITING_APPROVAL, Status.SUBMITTED):
                self.engine.complete(task_token, {"outcome": SETTLED.get(case.status, "expired")})
                return False
            today = stockholm_date(self.clock())
            if not approvers.awaits_appointment(case) and approvers.appointed(self.directory, case, step, today):
                # A retry after the desk already appointed someone: go on and ask them, never undo it.
                self.engine.complete(task_token, {"outcome": "appointed"})
                return False
            try:
                if approvers.awaits_appointment(case) and case.step == step:
                    if case.task_token != task_token:  # bookkeeping: the retry's token is the one waited on
                        self.store.save(
                            dataclasses.replace(case, task_token=task_token),
                            expected_version=case.version,
                            expected_token=case.task_token,
                            new_history=[],
                        )
                    return False
                entry = lifecycle.by_the_system(
                    case,
                    "approver_missing",
                    now=self.clock(),
                    details={"step": step, "kind": case.route[step].approver},
                    approver=Person(approvers.appointment_wanted(case.team), "Lönecentrum"),
                    step=step,
                    link_hash=None,
                    task_token=task_token,
                )
                self.writer.apply(case, _as_planned(entry), attempts=1)
                return True
            except Conflict:
                continue
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
            return lifecycle.by_the_system(
                case,
                "expired",
                now=self.clock(),
                details={"reason": reason},
                approver=None,
                link_hash=None,
                task_token=None,
                correction=None,
            )

        self.writer.apply(self._load(case_id), plan, retry=True)

    def record_stall(self, case_id: str, error: str) -> None:
        """The workflow gave up on a step (an outage outlasting its retries): on the case's record, with the
        error's name only, so the case page and ops see it; the execution then fails, which alarms."""

        def plan(case: Case) -> Any:
            if case.status not in lifecycle.rule_for("workflow_stalled").sources:
                raise Unchanged(case)
            details = {"error": _ERROR_NAME.sub("", error)[:64] or "unknown"}
            return lifecycle.by_the_system(case, "workflow_stalled", now=self.clock(), details=details)

        self.writer.apply(self._load(case_id), plan, retry=True)

    def hand_to_payroll(self, case_id: str) -> None:
        """Approved or direct cases reach the payroll queue, with their due date and pay period."""

        def plan(case: Case) -> Any:
            if case.status not in lifecycle.rule_for("handed_to_payroll").sources:
                raise Unchanged(case)  # a retried step: already handed over (or withdrawn meanwhile)
            now = self.clock()
            form = self.catalogue.get(case.form_id, case.form_version)
            item = service_levels.receive(
                now,
                form.service_level_working_days,
                self.calendars(case.organisation_id, form),
                not_before=pay_month.concerned_month(form.pay_month_from, case.data),
            )
            item = dataclasses.replace(item, approved=case.status == Status.APPROVED)
            return lifecycle.by_the_system(
                case,
                "handed_to_payroll",
                now=now,
                details={
                    "dueDate": item.due_date.isoformat(),
                    "payPeriod": item.pay_period,
                    # Approved, but its PDF could not be made yet: the approval is told now, the PDF later.
                    **({"pdfPending": True} if case.pdf_key is None and case.status == Status.APPROVED else {}),
                },
                queue=case.team,
                payroll=item,
                task_token=None,
            )

        self.writer.apply(self._load(case_id), plan, retry=True)
