"""The forms' own keywords and formats as plain checks, shared by both validators (``verdict``, ``field_errors``).

JSON Schema cannot say "the end date is not before the start date" or "this personnummer's checksum holds",
so forms declare such rules with ``x-`` keywords and formats (the list is in ``validation``). Each is written
once, here, as a function of the value (and the keyword's declaration) that yields :class:`Problem`\\ s, and
knows nothing of either validator library: the compiled verdict calls it from generated code, the explaining
validator turns each problem into a field error.

"Today" and the form's date window reach the checks through context variables (:func:`as_of`), so a
validator built once per container stays right across midnight.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from eforms.core.common.workdays import working_days_between
from eforms.core.forms import cpr, personnummer, row_rules, totals
from eforms.core.forms.problems import Problem

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
# Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is the mail server's call.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,253}\.[^@\s.]{2,63}$")
_today: ContextVar[date | None] = ContextVar("eforms_validation_today", default=None)
#: The form's date window (years back, years ahead) while one form's data is validated.
_window: ContextVar[tuple[int, int] | None] = ContextVar("eforms_validation_date_window", default=None)


@contextmanager
def as_of(today: date, window: tuple[int, int] | None = None) -> Iterator[None]:
    """Validate as on ``today``, with dates kept inside ``window`` (years back, years ahead)."""
    token, window_token = _today.set(today), _window.set(window)
    try:
        yield
    finally:
        _today.reset(token)
        _window.reset(window_token)


def parse_date(value: Any) -> date | None:
    """A strict ``YYYY-MM-DD`` date, or None for anything else (Python alone would also take ``20261122``)."""
    if not isinstance(value, str) or not _DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def years_from(today: date, years: int) -> date:
    """``today`` moved by whole years (29 February becomes 28 February in a common year)."""
    try:
        return today.replace(year=today.year + years)
    except ValueError:
        return today.replace(year=today.year + years, day=28)


#: ``format`` values a form may use, each a check of a string (other types pass: ``type`` judges those).
FORMATS: dict[str, Callable[[str], bool]] = {
    "date": lambda value: parse_date(value) is not None,
    "email": lambda value: bool(_EMAIL.match(value)),
    "personnummer": personnummer.is_valid,
    "cpr": cpr.is_valid,
}


@dataclass(frozen=True)
class Window:
    """The dates a form accepts today: its ``x-eform.dateWindow`` around today."""

    earliest: date
    latest: date

    @classmethod
    def now(cls) -> Window | None:
        window, today = _window.get(), _today.get()
        if window is None or today is None:
            return None
        return cls(years_from(today, -window[0]), years_from(today, window[1]))

    def params(self) -> dict[str, str]:
        return {"earliest": self.earliest.isoformat(), "latest": self.latest.isoformat()}


def date_outside_window(value: Any) -> Problem | None:
    """A well-formed date outside the form's window (``date_out_of_range``), or None."""
    window, day = Window.now(), parse_date(value)
    if window is None or day is None or window.earliest <= day <= window.latest:
        return None
    return Problem("date_out_of_range", (), window.params())


def _date_order(spec: Any, instance: Any) -> Iterator[Problem]:
    if not isinstance(instance, dict) or not isinstance(spec, dict):
        return
    start, end = parse_date(instance.get(spec.get("start"))), parse_date(instance.get(spec.get("end")))
    if start and end and end < start:
        yield Problem("date_order", (spec["end"],))


def _not_in_past(enabled: Any, instance: Any) -> Iterator[Problem]:
    today, value = _today.get(), parse_date(instance)
    if enabled is True and today is not None and value is not None and value < today:
        yield Problem("date_in_past")


def _min_working_days(spec: Any, instance: Any) -> Iterator[Problem]:
    if not isinstance(instance, dict) or not isinstance(spec, dict):
        return
    start, end = parse_date(instance.get(spec.get("start"))), parse_date(instance.get(spec.get("end")))
    days = spec.get("days")
    if start and end and isinstance(days, int) and working_days_between(start, end) < days:
        yield Problem("too_few_working_days")


@dataclass(frozen=True)
class Keyword:
    """One of the forms' ``x-`` keywords: its check, and whether its problems are the form's own rule
    (a row's or a total's, reported as they are) rather than a keyword a form may explain in its own words
    (``x-ruleMessage``)."""

    check: Callable[[Any, Any], Iterator[Problem]]
    own_rule: bool = field(default=False)


KEYWORDS: dict[str, Keyword] = {
    "x-dateOrder": Keyword(_date_order),
    "x-notInPast": Keyword(_not_in_past),
    "x-minWorkingDays": Keyword(_min_working_days),
    "x-rows": Keyword(row_rules.check, own_rule=True),
    "x-totals": Keyword(totals.check, own_rule=True),
}


def broken(keyword: str, spec: Any, instance: Any) -> bool:
    """Whether ``instance`` breaks the form keyword ``keyword`` declared as ``spec``: the compiled verdict's
    question, which needs no list of problems."""
    return next(KEYWORDS[keyword].check(spec, instance), None) is not None


def format_broken(name: str, value: str) -> bool:
    """Whether a string breaks ``format: name``, the form's date window included."""
    return not FORMATS[name](value) or (name == "date" and date_outside_window(value) is not None)
