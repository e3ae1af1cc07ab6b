"""Approval timers: when to remind, escalate and expire, counted from each approval request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from eforms.core.common.workdays import SWEDEN, working_days_later


@dataclass(frozen=True)
class Timers:
    """From the template's parameters. ``workdays`` follow the form's country's calendar (Swedish unless the
    form says ``dk``); ``seconds`` are for demos and tests."""

    unit: Literal["workdays", "seconds"] = "workdays"
    reminder: int = 3
    escalation: int = 5
    expiry: int = 10
    link_days: int = 14

    def deadline(self, now: datetime, amount: int, country: str = SWEDEN) -> datetime:
        if self.unit == "seconds":
            return now + timedelta(seconds=amount)
        return working_days_later(now, amount, country)

    def plan(self, now: datetime, country: str = SWEDEN) -> dict[str, int]:
        """Seconds for each wait in the state machine (its TimeoutSecondsPath values), each at least 1."""
        reminder, escalation, expiry = (
            self.deadline(now, n, country) for n in (self.reminder, self.escalation, self.expiry)
        )

        def seconds(start: datetime, end: datetime) -> int:
            return max(1, int((end - start).total_seconds()))

        return {
            "reminder": seconds(now, reminder),
            "escalation": seconds(reminder, escalation),
            "expiry": seconds(escalation, expiry),
            "correction": seconds(now, expiry),
        }
