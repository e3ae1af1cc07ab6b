from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from eforms.core.desk.service_levels import SlaState, clocked, due_date, pay_period, preview, receive


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


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour - 1, tzinfo=UTC)  # 10:00 Stockholm in winter


def test_the_clock_pauses_while_the_sender_is_asked_and_moves_the_due_date_by_the_days_waited() -> None:
    item = receive(_at(date(2026, 11, 23)), 5)  # Monday: due Monday next week
    assert item.due_date == date(2026, 11, 30)
    paused = clocked(item, "pause", _at(date(2026, 11, 24)), meets_promise=False)  # a certificate: not an answer
    assert (paused.paused_at is not None, paused.responded_at) == (True, None)
    assert paused.state(date(2026, 12, 10)) == SlaState.PAUSED  # never overdue while waiting
    resumed = clocked(paused, "resume", _at(date(2026, 11, 27)))  # Tuesday → Friday: 3 working days
    assert (resumed.paused_at, resumed.due_date) == (None, date(2026, 12, 3))


def test_a_first_answer_meets_the_promise_and_later_ones_change_nothing() -> None:
    item = receive(_at(date(2026, 11, 23)), 1)
    assert item.state(date(2026, 11, 23)) == SlaState.ON_TIME
    assert item.state(date(2026, 11, 24)) == SlaState.DUE_TODAY
    assert item.state(date(2026, 11, 25)) == SlaState.OVERDUE
    answered = clocked(item, "respond", _at(date(2026, 11, 24)))
    assert answered.state(date(2026, 12, 1)) == SlaState.MET
    assert clocked(answered, "respond", _at(date(2026, 11, 30))) == answered
    late = clocked(item, "respond", _at(date(2026, 11, 26)))
    assert late.state(date(2026, 12, 1)) == SlaState.LATE
    assert clocked(item, "respond", _at(date(2026, 11, 24)), meets_promise=False) == item
    assert clocked(item, "stop", _at(date(2026, 11, 24))).responded_at is not None


def test_the_preview_tells_the_due_date_and_pay_run_before_submitting() -> None:
    early = preview(_at(date(2026, 12, 8)), 1)
    assert (early["dueDate"], early["payPeriod"]) == ("2026-12-09", "2026-12")
    late = preview(_at(date(2026, 12, 9)), 5)
    assert (late["dueDate"], late["payPeriod"]) == ("2026-12-16", "2027-01")
    # The pay runs still reachable, each with its last day to send: the page picks by the answers' month.
    assert late["payRuns"][:2] == [
        {"payPeriod": "2027-01", "sendBy": "2027-01-08"},
        {"payPeriod": "2027-02", "sendBy": "2027-02-08"},
    ]
    assert len(late["payRuns"]) == 13
    assert late["payRuns"][-1] == {"payPeriod": "2028-01", "sendBy": "2028-01-08"}


@pytest.mark.parametrize(
    ("received", "concerned", "period"),
    [
        (date(2026, 11, 20), "2027-01", "2027-01"),  # Karen's January leave, filed in November: January's pay
        (date(2026, 12, 7), "2027-01", "2027-01"),  # before December's cut-off, still not December's pay
        (date(2026, 12, 9), "2026-11", "2027-01"),  # a past month: the first run the receipt allows
        (date(2026, 12, 9), None, "2027-01"),  # nothing declared or answered: the receipt decides
    ],
)
def test_the_pay_period_is_never_earlier_than_the_month_the_answers_concern(
    received: date, concerned: str | None, period: str
) -> None:
    assert pay_period(received, not_before=concerned) == period
