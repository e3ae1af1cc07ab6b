"""Working days: weekends, public holidays and the eves that are days off — Swedish, or Danish for the
forms a Danish service centre publishes (``x-eform.country``).

Service levels and approval timers are counted in working days ("feedback within one working day"), so
the calendar must know that nobody works on Långfredagen or Midsommarafton. Public holidays follow the
Act on public holidays (1989:253); Midsommarafton, Julafton and Nyårsafton are not public holidays in law
but are days off under the municipal collective agreements, so they count as non-working here too.

Danish helligdage follow the same Easter arithmetic (Skærtorsdag, Langfredag, Påskedag, 2. påskedag, Kristi
himmelfartsdag, Pinsedag, 2. pinsedag); Store bededag is a holiday only until 2023 (abolished from 2024).
Grundlovsdag, Juleaftensdag and Nytårsaftensdag are days off under the public-sector agreements, so they
count as non-working for a Danish centre.

Easter is computed with the anonymous Gregorian algorithm, so the calendar needs no table to maintain.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

from eforms.core.common.clock import STOCKHOLM

_SATURDAY = 5
SWEDEN, DENMARK = "se", "dk"
COUNTRIES = (SWEDEN, DENMARK)


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (Meeus/Jones/Butcher algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _saturday_between(start: date, days: int) -> date:
    for offset in range(days):
        candidate = start + timedelta(days=offset)
        if candidate.weekday() == _SATURDAY:
            return candidate
    raise ValueError("no Saturday in range")  # pragma: no cover - a 7-day range always has one


@cache
def holidays(year: int, country: str = SWEDEN) -> dict[date, str]:
    """Non-working days other than weekends, with their names in the country's language."""
    if country == DENMARK:
        return _danish(year)
    easter = easter_sunday(year)
    midsummer_day = _saturday_between(date(year, 6, 20), 7)
    all_saints = _saturday_between(date(year, 10, 31), 7)
    return {
        date(year, 1, 1): "Nyårsdagen",
        date(year, 1, 6): "Trettondedag jul",
        easter - timedelta(days=2): "Långfredagen",
        easter: "Påskdagen",
        easter + timedelta(days=1): "Annandag påsk",
        date(year, 5, 1): "Första maj",
        easter + timedelta(days=39): "Kristi himmelsfärdsdag",
        easter + timedelta(days=49): "Pingstdagen",
        date(year, 6, 6): "Sveriges nationaldag",
        midsummer_day - timedelta(days=1): "Midsommarafton",
        midsummer_day: "Midsommardagen",
        all_saints: "Alla helgons dag",
        date(year, 12, 24): "Julafton",
        date(year, 12, 25): "Juldagen",
        date(year, 12, 26): "Annandag jul",
        date(year, 12, 31): "Nyårsafton",
    }


def _danish(year: int) -> dict[date, str]:
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1): "Nytårsdag",
        easter - timedelta(days=3): "Skærtorsdag",
        easter - timedelta(days=2): "Langfredag",
        easter: "Påskedag",
        easter + timedelta(days=1): "2. påskedag",
        easter + timedelta(days=39): "Kristi himmelfartsdag",
        easter + timedelta(days=49): "Pinsedag",
        easter + timedelta(days=50): "2. pinsedag",
        date(year, 6, 5): "Grundlovsdag",
        date(year, 12, 24): "Juleaftensdag",
        date(year, 12, 25): "Juledag",
        date(year, 12, 26): "2. juledag",
        date(year, 12, 31): "Nytårsaftensdag",
    }
    if year <= 2023:
        days[easter + timedelta(days=26)] = "Store bededag"
    return days


def is_working_day(day: date, country: str = SWEDEN) -> bool:
    return day.weekday() < _SATURDAY and day not in holidays(day.year, country)


def working_days_between(start: date, end: date, *, limit: int = 3700, country: str = SWEDEN) -> int:
    """Working days from ``start`` to ``end``, both included (0 if ``end`` is before ``start``); counting
    stops at ``limit`` days, far beyond any period a form asks about."""
    count, day = 0, start
    for _ in range(limit):
        if day > end:
            break
        count += is_working_day(day, country)
        day += timedelta(days=1)
    return count


def add_working_days(start: date, count: int, country: str = SWEDEN) -> date:
    """The date ``count`` working days after ``start`` (``count`` ≥ 0; 0 gives the next working day or start)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    while not is_working_day(day, country):
        day += timedelta(days=1)
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, country):
            remaining -= 1
    return day


def working_days_before(end: date, count: int, country: str = SWEDEN) -> date:
    """The working day ``count`` working days before ``end`` (``count`` ≥ 1): a reminder due three working
    days before something goes falls on a working day, never on the weekend before it."""
    if count < 1:
        raise ValueError("count must be at least 1")
    day, remaining = end, count
    while remaining:
        day -= timedelta(days=1)
        if is_working_day(day, country):
            remaining -= 1
    return day


def working_days_later(instant: datetime, count: int, country: str = SWEDEN) -> datetime:
    """The same Stockholm wall-clock time ``count`` working days after ``instant``.

    Something asked for on Friday at 15:00 with one working day is due Monday at 15:00; asked for on a
    Saturday, it is due on Tuesday (the first working day, Monday, counts as day zero).
    """
    local = instant.astimezone(STOCKHOLM)
    start = local.date()
    if not is_working_day(start, country):
        local = datetime.combine(add_working_days(start, 0, country), datetime.min.time(), STOCKHOLM).replace(hour=8)
    target = add_working_days(local.date(), count, country)
    return datetime.combine(target, local.timetz().replace(tzinfo=None), STOCKHOLM)
