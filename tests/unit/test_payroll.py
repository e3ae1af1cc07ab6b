from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from eforms.core.desk.service_levels import due_date, pay_period, receive


@pytest.mark.parametrize(
    ("received", "period"),
    [
        (date(2026, 11, 1), "2026-11"),
        (date(2026, 11, 8), "2026-11"),  # by the 8th: this month's pay
        (date(2026, 11, 9), "2026-12"),
        (date(2026, 12, 9), "2027-01"),  # over the year end
        (date(2026, 12, 31), "2027-01"),
        (date(2027, 2, 28), "2027-03"),
    ],
)
def test_pay_period_cut_off(received: date, period: str) -> None:
    assert pay_period(received) == period


def test_the_cut_off_is_in_stockholm_time() -> None:
    assert receive(datetime(2026, 11, 8, 22, 30, tzinfo=UTC), 1).pay_period == "2026-11"  # 23:30 on the 8th
    assert receive(datetime(2026, 11, 8, 23, 10, tzinfo=UTC), 1).pay_period == "2026-12"  # 00:10 on the 9th


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        (date(2026, 11, 23), 1, date(2026, 11, 24)),
        (date(2026, 11, 20), 1, date(2026, 11, 23)),  # Friday → Monday
        (date(2026, 11, 20), 5, date(2026, 11, 27)),  # a certificate
        (date(2026, 12, 22), 5, date(2027, 1, 4)),  # Christmas, New Year, weekends
        (date(2026, 11, 21), 1, date(2026, 11, 24)),  # received on a Saturday: count from Monday
        (date(2026, 4, 2), 1, date(2026, 4, 7)),  # Easter
    ],
)
def test_due_dates_in_working_days(received: date, days: int, due: date) -> None:
    assert due_date(received, days) == due
