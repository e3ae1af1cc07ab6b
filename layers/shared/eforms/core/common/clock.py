"""Time, as the service sees it: instants in UTC, calendar days in Europe/Stockholm.

"Today" matters for rules such as "the last day of employment is not in the past" and, later, for
working days and pay-period cut-offs, all of which follow the Swedish calendar whatever the server's
zone. Injected as a callable so tests can stop the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def stockholm_date(instant: datetime) -> date:
    return instant.astimezone(STOCKHOLM).date()


def iso(instant: datetime) -> str:
    """ISO 8601 in UTC with microseconds and a Z: sorts lexically in the same order as in time."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
