"""The hand-off to payroll: when a case is due, and which pay it can reach.

* **Due date** — the form's service level counted in Swedish working days from the moment payroll
  receives the case (certificates: five working days; other cases: first feedback within one).
* **Pay period** — input that reaches payroll by the 8th of a month is guaranteed in that month's pay;
  anything later goes into next month's pay (seed 001). Counted in Stockholm time: a case received at
  23:30 on the 8th is on time, one received at 00:10 on the 9th is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from eforms.core.common.clock import STOCKHOLM
from eforms.core.common.workdays import add_working_days

CUT_OFF_DAY = 8


@dataclass(frozen=True)
class PayrollItem:
    status: str  # received → (later issues) registered → checked
    received_at: datetime
    due_date: date
    pay_period: str  # YYYY-MM


def pay_period(received: date) -> str:
    year, month = received.year, received.month
    if received.day > CUT_OFF_DAY:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year:04d}-{month:02d}"


def due_date(received: date, service_level_working_days: int) -> date:
    """``n`` working days after receipt; received on a day off, the count starts on the next working day."""
    return add_working_days(received, service_level_working_days)


def receive(received_at: datetime, service_level_working_days: int) -> PayrollItem:
    local_day = received_at.astimezone(STOCKHOLM).date()
    return PayrollItem(
        status="received",
        received_at=received_at,
        due_date=due_date(local_day, service_level_working_days),
        pay_period=pay_period(local_day),
    )
