"""Payroll's promises on a case: when it is due, which pay it reaches, and whether the promise is kept.

* **Due date** — the form's service level counted in Swedish working days from the moment payroll
  receives the case (certificates: five working days; other cases: first feedback within one).
* **Pay period** — input that reaches payroll by the 8th of a month is guaranteed in that month's pay;
  anything later goes into next month's pay (seed 001). Counted in Stockholm time: a case received at
  23:30 on the 8th is on time, one received at 00:10 on the 9th is not.
* **The clock** — what meets the promise, and when it pauses, is the lifecycle table's SLA column
  (:class:`eforms.core.cases.lifecycle.Sla`); :func:`clocked` applies one effect. While payroll waits for the
  sender the clock stands still; when the sender answers, the due date moves on by the working days waited.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from eforms.core.common.clock import STOCKHOLM
from eforms.core.common.periods import following
from eforms.core.common.workdays import SWEDEN, add_working_days, is_working_day
from eforms.core.identity.person import Person

CUT_OFF_DAY = 8


class SlaState(StrEnum):
    """What a queue row shows about the promise."""

    ON_TIME = "on_time"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    PAUSED = "paused"  # waiting for the sender
    MET = "met"  # answered by the due date
    LATE = "late"  # answered, after the due date


@dataclass(frozen=True)
class Registration:
    """What the officer recorded in the payroll system; a different officer checks it against the form."""

    reference: str
    pay_period: str  # YYYY-MM: the pay it affects
    note: str
    by: Person
    at: datetime
    #: The pay transactions the officer confirmed, as plain data (docs/records.md §4); none for a form that
    #: declares none.
    transactions: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Certificate:
    """The issued document payroll uploaded. The officer previews it (naming its recipient) and then sends
    it; only then may the employee download it, through a short-lived link."""

    key: str  # S3 object key (no personal data in it)
    sha256: str
    size: int
    at: datetime  # uploaded
    delivered_at: datetime | None = None  # sent to the employee (``certificate_delivered``)


@dataclass(frozen=True)
class PayrollItem:
    """The case as payroll's work item: set when payroll receives it, changed by every desk action."""

    received_at: datetime
    due_date: date
    pay_period: str  # YYYY-MM
    responded_at: datetime | None = None  # when the promise was met (first feedback; for certificates, delivery)
    paused_at: datetime | None = None  # while waiting for the sender
    breached_at: datetime | None = None  # when the scheduled check found it overdue
    assignee: Person | None = None
    registration: Registration | None = None
    certificate: Certificate | None = None
    waiting: str | None = None  # whose turn it is in the message thread: "payroll" or "sender"
    messages: int = 0
    country: str = SWEDEN  # whose working days the promise is counted in (the form's ``x-eform.country``)
    #: Reached payroll approved (through its route's decisions), not directly: its status reads "Beviljad – …".
    approved: bool = False

    @property
    def clock_runs(self) -> bool:
        """The promise is still open and the clock is not paused (what the breach check looks at)."""
        return self.responded_at is None and self.paused_at is None and self.breached_at is None

    def state(self, today: date) -> SlaState:
        if self.paused_at is not None:
            return SlaState.PAUSED  # waiting for the sender says more than a promise already kept
        if self.responded_at is not None:
            answered = self.responded_at.astimezone(STOCKHOLM).date()
            return SlaState.MET if answered <= self.due_date else SlaState.LATE
        if today > self.due_date:
            return SlaState.OVERDUE
        return SlaState.DUE_TODAY if today == self.due_date else SlaState.ON_TIME


@dataclass(frozen=True)
class PayCalendar:
    """When a case's pay runs close, and whose working days its promise counts: the form's cut-off day, else
    the organisation's — a day of each month, or explicit dates where its pay runs move around holidays
    (docs/organisations.md, §1) — in the organisation's (or a country-bound form's) country."""

    cut_off_day: int | None = None
    #: The last day to send for the pay run of each date's own month; a month not listed closes on the day.
    cut_off_dates: tuple[date, ...] = ()
    country: str = SWEDEN

    def cut_off(self, year: int, month: int) -> date:
        listed = [d for d in self.cut_off_dates if (d.year, d.month) == (year, month)]
        return listed[0] if listed else date(year, month, self.cut_off_day or CUT_OFF_DAY)


def pay_period(received: date, calendar: PayCalendar = PayCalendar(), not_before: str | None = None) -> str:
    """The pay a case received on ``received`` reaches: this month's up to its cut-off, else the next —
    and never one earlier than ``not_before`` (``YYYY-MM``: the month the form's answers say the pay
    concerns, :mod:`eforms.core.forms.pay_month`)."""
    year, month = received.year, received.month
    if received > calendar.cut_off(year, month):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    reachable = f"{year:04d}-{month:02d}"
    return max(reachable, not_before) if not_before else reachable


def send_by(period: str, calendar: PayCalendar = PayCalendar()) -> date:
    """The last day a case may reach payroll to make the pay of ``period`` (``YYYY-MM``): its cut-off."""
    year, month = (int(part) for part in period.split("-"))
    return calendar.cut_off(year, month)


def pay_runs(today: date, calendar: PayCalendar = PayCalendar(), *, count: int = 13) -> list[dict[str, str]]:
    """The next ``count`` pay runs a case sent today can still make, each with its last day to send: the
    calendar the form page picks from once it knows the month the answers concern."""
    period = pay_period(today, calendar)
    runs = []
    for _ in range(count):
        runs.append({"payPeriod": period, "sendBy": send_by(period, calendar).isoformat()})
        period = following(period)
    return runs


def due_date(received: date, service_level_working_days: int, country: str = SWEDEN) -> date:
    """``n`` working days after receipt; received on a day off, the count starts on the next working day."""
    return add_working_days(received, service_level_working_days, country)


def receive(
    received_at: datetime,
    service_level_working_days: int,
    calendar: PayCalendar = PayCalendar(),
    *,
    not_before: str | None = None,
) -> PayrollItem:
    local_day = received_at.astimezone(STOCKHOLM).date()
    return PayrollItem(
        received_at=received_at,
        due_date=due_date(local_day, service_level_working_days, calendar.country),
        pay_period=pay_period(local_day, calendar, not_before),
        country=calendar.country,
    )


def repriced(item: PayrollItem, calendar: PayCalendar, not_before: str | None) -> PayrollItem:
    """``item`` with its pay period worked out again, as of its receipt, after the answers changed."""
    received = item.received_at.astimezone(STOCKHOLM).date()
    return dataclasses.replace(item, pay_period=pay_period(received, calendar, not_before))


def working_days_between(start: date, end: date, country: str = SWEDEN) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not later)."""
    count, day = 0, start
    while day < end:
        day = date.fromordinal(day.toordinal() + 1)
        count += is_working_day(day, country)
    return count


def clocked(item: PayrollItem, effect: str, now: datetime, *, meets_promise: bool = True) -> PayrollItem:
    """``item`` after one SLA effect of the lifecycle table (``start`` is :func:`receive` itself).

    ``meets_promise`` is False for a response that does not keep this form's promise (a message on a
    certificate request: only the certificate does).
    """
    if effect == "respond" and meets_promise and item.responded_at is None:
        return dataclasses.replace(item, responded_at=now)
    if effect == "stop" and item.responded_at is None:
        return dataclasses.replace(item, responded_at=now, paused_at=None)
    if effect == "pause" and item.paused_at is None:
        # Asking the sender is feedback too (unless only the certificate keeps this form's promise).
        responded = item.responded_at or (now if meets_promise else None)
        return dataclasses.replace(item, paused_at=now, responded_at=responded)
    if effect == "resume" and item.paused_at is not None:
        paused = item.paused_at.astimezone(STOCKHOLM).date()
        resumed = now.astimezone(STOCKHOLM).date()
        due = add_working_days(item.due_date, working_days_between(paused, resumed, item.country), item.country)
        return dataclasses.replace(item, paused_at=None, due_date=max(due, item.due_date))
    return item


def preview(now: datetime, service_level_working_days: int, calendar: PayCalendar = PayCalendar()) -> dict[str, Any]:
    """What the employee is told before submitting: when payroll answers, which pay it reaches if sent now
    whatever it is about, and the pay runs after that with the last day to send for each (the form page
    picks the first one not earlier than the month the answers concern)."""
    item = receive(now, service_level_working_days, calendar)
    runs = pay_runs(now.astimezone(STOCKHOLM).date(), calendar)
    return {"dueDate": item.due_date.isoformat(), "payPeriod": item.pay_period, "payRuns": runs}
