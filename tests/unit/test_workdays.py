from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from eforms.core.common.clock import STOCKHOLM
from eforms.core.common.workdays import add_working_days, easter_sunday, holidays, is_working_day, working_days_later


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28))],
)
def test_easter(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_the_2026_calendar() -> None:
    days = holidays(2026)
    assert days[date(2026, 4, 3)] == "Långfredagen"
    assert days[date(2026, 4, 6)] == "Annandag påsk"
    assert days[date(2026, 5, 14)] == "Kristi himmelsfärdsdag"
    assert days[date(2026, 6, 19)] == "Midsommarafton"
    assert days[date(2026, 6, 20)] == "Midsommardagen"
    assert days[date(2026, 10, 31)] == "Alla helgons dag"
    assert not is_working_day(date(2026, 12, 24))
    assert not is_working_day(date(2026, 11, 21))  # a Saturday
    assert is_working_day(date(2026, 11, 23))


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2026, 11, 20), 1, date(2026, 11, 23)),  # Friday + 1 → Monday
        (date(2026, 11, 21), 0, date(2026, 11, 23)),  # Saturday → next working day
        (date(2026, 12, 23), 1, date(2026, 12, 28)),  # over Christmas
        (date(2026, 12, 30), 1, date(2027, 1, 4)),  # over New Year's Eve and Day, weekend
        (date(2027, 1, 5), 1, date(2027, 1, 7)),  # over Trettondedag jul
        (date(2026, 4, 2), 1, date(2026, 4, 7)),  # over Easter
        (date(2026, 6, 18), 1, date(2026, 6, 22)),  # over Midsummer
        (date(2026, 11, 23), 5, date(2026, 11, 30)),
    ],
)
def test_add_working_days(start: date, count: int, expected: date) -> None:
    assert add_working_days(start, count) == expected


def test_working_days_keep_the_wall_clock_time() -> None:
    friday_afternoon = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)  # 15:00 in Stockholm
    due = working_days_later(friday_afternoon, 1)
    assert due.astimezone(STOCKHOLM).replace(tzinfo=None) == datetime(2026, 11, 23, 15, 0)


def test_asked_on_a_weekend_counts_from_monday_morning() -> None:
    saturday = datetime(2026, 11, 21, 20, 0, tzinfo=UTC)
    assert working_days_later(saturday, 1).astimezone(STOCKHOLM).replace(tzinfo=None) == datetime(2026, 11, 24, 8, 0)


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2026, 1, 1), -1)


def test_the_danish_calendar_for_a_danish_centre() -> None:
    from datetime import date as day

    from eforms.core.common.workdays import DENMARK, SWEDEN, add_working_days, holidays, is_working_day

    danish = holidays(2026, DENMARK)
    assert danish[day(2026, 4, 2)] == "Skærtorsdag"  # a working day in Sweden
    assert is_working_day(day(2026, 4, 2), SWEDEN)
    assert not is_working_day(day(2026, 4, 2), DENMARK)
    assert not is_working_day(day(2026, 5, 25), DENMARK)  # 2. pinsedag (Annandag pingst is not Swedish)
    assert not is_working_day(day(2026, 6, 5), DENMARK)  # Grundlovsdag
    assert is_working_day(day(2026, 6, 6), DENMARK) is False  # a Saturday anyway
    assert is_working_day(day(2026, 6, 19), DENMARK)  # Midsommarafton is Swedish only
    assert day(2023, 5, 5) in holidays(2023, DENMARK)  # Store bededag, until it was abolished
    assert day(2024, 4, 26) not in holidays(2024, DENMARK)
    # One working day from Skærtorsdag: Denmark resumes on Tuesday 7 April, so the answer is due Wednesday.
    assert add_working_days(day(2026, 4, 2), 1, DENMARK) == day(2026, 4, 8)
    assert add_working_days(day(2026, 4, 2), 1, SWEDEN) == day(2026, 4, 7)


def test_approval_timers_count_in_the_forms_country() -> None:
    from datetime import UTC, datetime

    from eforms.core.approval.timers import Timers

    # Wednesday 1 April 2026, 09:00 Stockholm: a reminder after one working day.
    asked = datetime(2026, 4, 1, 7, 0, tzinfo=UTC)
    timers = Timers(reminder=1, escalation=2, expiry=3)
    swedish, danish = timers.plan(asked), timers.plan(asked, "dk")
    assert swedish["reminder"] == 24 * 3600  # Thursday is a working day in Sweden
    assert danish["reminder"] == 6 * 24 * 3600  # Skærtorsdag to 2. påskedag are off in Denmark: Tuesday
