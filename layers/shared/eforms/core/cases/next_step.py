"""What happens next with a case, as the person who filed it should be told (issue 29, docs/self-service.md §3).

Whom the case waits on — a named approver or team, payroll, the reader themself (or, to anyone else
reading, its sender), or nobody once it is finished — by when payroll answers, and which pay it reaches.
Computed here, from the case, its form, the directory and the pay calendar, so the receipt page and the
case page say the same thing and the client derives nothing. Right after filing the workflow may not yet
have asked anyone; the first step's approver is then found the way the workflow will find them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from eforms.core.approval import approvers
from eforms.core.cases.model import Case, Status
from eforms.core.common.clock import stockholm_date
from eforms.core.desk import service_levels
from eforms.core.desk.service_levels import PayCalendar
from eforms.core.forms import pay_month, routes
from eforms.core.forms.catalogue import FormDefinition
from eforms.core.forms.routes import RouteStep
from eforms.core.identity.directory import Directory

WaitingOn = Literal["approver", "team", "payroll", "you", "sender", "nobody"]

#: Where the case waits for its sender: a correction the approver asked for, or what payroll asked to complete.
WAITING_ON_SENDER = frozenset({Status.RETURNED, Status.AWAITING_COMPLETION})
_FINISHED = frozenset({Status.REJECTED, Status.EXPIRED, Status.COMPLETED, Status.CLOSED, Status.WITHDRAWN})


@dataclass(frozen=True)
class NextStep:
    waiting_on: WaitingOn
    #: The approver's name (``approver``), or the team step whose title names it in the reader's language.
    approver_name: str | None = None
    team_step: RouteStep | None = None
    #: When payroll answers at the latest: its due date once it has the case.
    answer_by: date | None = None
    #: Payroll's promise in working days, counted from when it receives the case (while a decision waits).
    working_days: int = 0
    #: The pay the case reaches (if approved and at payroll by ``send_by``), and that last day.
    pay_period: str | None = None
    send_by: date | None = None


def awaits_sender(status: Status, applicant_id: str, reader_id: str) -> bool:
    """Whether something waits on ``reader_id`` (the "Att göra" marker): a correction or a completion of theirs."""
    return status in WAITING_ON_SENDER and reader_id == applicant_id


def next_step(
    case: Case, form: FormDefinition, *, reader_id: str, directory: Directory, calendar: PayCalendar, now: datetime
) -> NextStep:
    today = stockholm_date(now)
    if case.status in _FINISHED:
        return NextStep("nobody")
    if case.status in WAITING_ON_SENDER:
        waiting: WaitingOn = "you" if reader_id == case.applicant.id else "sender"
        return _with_pay(NextStep(waiting, working_days=form.service_level_working_days), case, form, calendar, now)
    if case.payroll is not None:
        item = case.payroll
        send_by = service_levels.send_by(item.pay_period, calendar)
        return NextStep("payroll", answer_by=item.due_date, pay_period=item.pay_period, send_by=send_by)
    found = _deciding(case, directory, today)
    return _with_pay(found, case, form, calendar, now)


def _deciding(case: Case, directory: Directory, today: date) -> NextStep:
    """Who decides now: the one asked, or (before the workflow has asked) the first step's approver."""
    if case.approver is not None and not approvers.awaits_appointment(case):
        step = case.route[case.step] if case.step is not None and 0 <= case.step < len(case.route) else None
        if step is not None and step.approver == "team":
            return NextStep("team", team_step=step)
        return NextStep("approver", approver_name=case.approver.name)
    index = routes.next_step(case.route, case.data) if case.status == Status.SUBMITTED else None
    if index is None:
        return NextStep("payroll")  # straight to payroll, approved, or waiting for payroll to appoint someone
    step = case.route[index]
    try:
        who = approvers.with_fallback(
            directory, step, case.subject.id, excluded=approvers.excluded_for(case), today=today
        )
    except approvers.NoApprover:
        return NextStep("payroll")  # payroll appoints someone (the desk's "Väntar på beslutsfattare")
    if isinstance(who, approvers.TeamApprover):
        return NextStep("team", team_step=who.step)
    return NextStep("approver", approver_name=who.employee.name)


def _with_pay(found: NextStep, case: Case, form: FormDefinition, calendar: PayCalendar, now: datetime) -> NextStep:
    """The pay the case would reach if payroll received it now, and the last day to make it."""
    item = service_levels.receive(
        now,
        form.service_level_working_days,
        calendar,
        not_before=pay_month.concerned_month(form.pay_month_from, case.data),
    )
    return NextStep(
        found.waiting_on,
        approver_name=found.approver_name,
        team_step=found.team_step,
        answer_by=None,
        working_days=form.service_level_working_days,
        pay_period=item.pay_period,
        send_by=service_levels.send_by(item.pay_period, calendar),
    )
