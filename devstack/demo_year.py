"""A year of demo activity, filed through the running stack's HTTP API on a moved clock (``/dev/clock``), so
the statistics page and the monthly service reports show a year of figures for every demo organisation
from the first look — counted by the real consumer from real case histories, never inserted numbers.

Every organisation files a few cases a month, answered, registered and checked by its own team (a second
officer checks: four-eyes), some answered late, some registrations sent back, most rated by the sender.
The steps of all the cases are run in the order of their moved times, so the clock only moves forward.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from eforms.core.common.clock import STOCKHOLM
from eforms.core.common.workdays import add_working_days, is_working_day

MONTHS = 12


class Client(Protocol):
    def call(self, method: str, path: str, persona: str | None = None, body: Any = None) -> Any: ...

    def submit(self, persona: str, form_id: str, data: dict[str, Any]) -> str: ...

    def wait(self, case_id: str, status: str, persona: str) -> dict[str, Any]: ...

    def desk(self, case_id: str, action: str, persona: str, body: dict[str, Any]) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Team:
    """Who files for an organisation, on which form, and the two officers who answer and check."""

    organisation: str
    filers: tuple[str, ...]
    form: str
    officer: str
    checker: str
    country: str = "se"
    #: The officer's first answer, in the team's language.
    answer: str = "Tack, vi tittar på det."
    #: Who approves before payroll, for a form with a manager's step (the employee's manager).
    decider: str | None = None
    #: Whether its cases are always registered (a pay form), not answered and resolved (a question).
    registers: bool = False
    #: What its people write with a rating, in their language ("" for none).
    comments: tuple[str, ...] = ("Snabbt och tydligt svar, tack!", "", "Bra, men det tog några dagar.", "")


TEAMS = (
    Team("lonecentrum", ("anna", "erik", "aslak"), "payroll-support", "pia", "per"),
    Team("sundsvik", ("lena", "omar"), "payroll-support", "pia", "per"),
    Team("norrby", ("nils",), "payroll-support", "siv", "stig"),
    Team(
        "skovby-gymnasium",
        ("dorte",),
        "one-off-payment-dk",
        "mads",
        "ida",
        "dk",
        "Tak, vi kigger på det.",
        "henrik",
        True,
        ("Hurtigt og klart svar, tak!", "", "Godt, men det tog et par dage.", ""),
    ),
)
_QUESTIONS = (
    ("Fel OB-tillägg", "OB-tillägget för helgen saknas på lönespecifikationen.", "lon-utbetalning"),
    ("Skattetabell", "Vilken skattetabell har jag i år?", "skatt"),
    ("Semesterdagar", "Hur många sparade semesterdagar har jag kvar?", "ovrigt"),
    ("Nytt konto", "Lönen ska till mitt nya konto från nästa månad.", "anstallningsuppgifter"),
)


@dataclass
class Plan:
    """Every step of every case, each at its moved time; run in time order."""

    steps: list[tuple[datetime, int, Callable[[], object]]] = field(default_factory=list)
    cases: dict[int, str] = field(default_factory=dict)

    def at(self, when: datetime, step: Callable[[], object]) -> None:
        self.steps.append((when, len(self.steps), step))


def _data(team: Team, number: int, day: date) -> dict[str, Any]:
    if team.form == "one-off-payment-dk":  # the school's administrator, for a teacher's extra lessons
        return {
            "employee": {"employeeId": "E1001", "name": "Freja Kjær"},
            "kind": "engangsvederlag",
            "amountDkk": 1500 + 25 * (number % 8),
            "pensionable": False,
            "reason": f"Ekstra undervisning i {day:%m/%Y}.",
        }
    heading, message, category = _QUESTIONS[number % len(_QUESTIONS)]
    return {"category": category, "heading": heading, "message": message}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM)


def _next_month(day: date) -> str:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return f"{year:04d}-{month:02d}"


def _plan_case(plan: Plan, api: Client, team: Team, number: int, filed: datetime, *, last_month: bool) -> None:
    """One case's steps: filed; answered (in time, or two working days late); registered; checked (sent back
    once in five); rated by the sender (most of the time). In the last month some stay open: the backlog."""
    filer = team.filers[number % len(team.filers)]
    day = filed.astimezone(STOCKHOLM).date()

    def later(days: int, hour: int) -> datetime:
        return _at(add_working_days(day + timedelta(days=1), days - 1, team.country), hour, number % 50)

    def submit() -> None:
        plan.cases[number] = api.submit(filer, team.form, _data(team, number, day))

    def answer() -> None:
        case_id = plan.cases[number]
        api.wait(case_id, "at_payroll", team.officer)
        api.call("POST", f"/cases/{case_id}/messages", team.officer, {"text": team.answer})

    def register(reference: str) -> Callable[[], object]:
        period = _next_month(day)
        return lambda: api.desk(
            plan.cases[number], "registration", team.officer, {"reference": reference, "payPeriod": period}
        )

    def check(outcome: str) -> Callable[[], object]:
        note = "Forkert lønperiode." if team.country == "dk" else "Fel löneperiod."
        body = {"outcome": outcome, **({"note": note} if outcome == "return" else {})}
        return lambda: api.desk(plan.cases[number], "registration/check", team.checker, body)

    def rate() -> None:
        score = (5, 5, 4, 5, 3, 4, 5, 5, 2)[number % 9]  # most are satisfied; some are not
        comment = team.comments[number % len(team.comments)]
        api.desk(plan.cases[number], "rating", filer, {"score": score, **({"comment": comment} if comment else {})})

    def resolve() -> None:
        case_id = plan.cases[number]
        api.wait(case_id, "at_payroll", team.officer)
        api.desk(case_id, "closure", team.officer, {"outcome": "resolved", "message": team.answer})

    plan.at(filed, submit)
    if team.decider:
        decider = team.decider

        def decide() -> None:
            case = api.wait(plan.cases[number], "awaiting_approval", decider)
            body = {"decision": "approve", "version": case["version"]}
            api.call("POST", f"/cases/{plan.cases[number]}/decision", decider, body)

        plan.at(filed + timedelta(minutes=50), decide)
    # Answered the next working day before the hour it came (in time), or two days on (late).
    answered = later(2, 9) if number % 6 == 1 else later(1, 7)
    registers = team.registers or number % 6 in (2, 4)
    if last_month and number % 2:
        plan.at(answered, answer)
        return  # still being worked on: the backlog
    if not registers:
        plan.at(answered, resolve)
    else:
        reference = f"{team.organisation[:3].upper()}-{day:%Y%m}-{number}"
        plan.at(answered, answer)
        plan.at(later(2, 11), register(reference))
        if number % 6 == 2:  # a deviation: the second officer sends it back
            plan.at(later(3, 9), check("return"))
            plan.at(later(3, 14), register(reference + "b"))
        plan.at(later(4, 11), check("approve"))
    if number % 6 != 3:
        plan.at(later(5, 15), rate)


def plan_year(api: Client, today: date) -> Plan:
    """The year's cases: a day or two a month on which every organisation files one or two; each day's cases
    are answered the next, so the stack works them side by side."""
    plan, number = Plan(), 0
    for back in range(MONTHS, 0, -1):
        year, month = today.year, today.month - back
        while month < 1:
            year, month = year - 1, month + 12
        first = date(year, month, 1)
        days = [first + timedelta(days=n) for n in range(28) if is_working_day(first + timedelta(days=n))]
        for day in (days[back % 5], days[8 + back % 5]):
            for index, team in enumerate(TEAMS):
                for k in range(1 + (back + index) % 2 if day == days[back % 5] else 1):
                    number += 1
                    _plan_case(plan, api, team, number, _at(day, 8, 10 * index + k), last_month=back == 1)
    return plan


def seed_year(api: Client, today: date) -> int:
    """File the year through the API on the moved clock; how many cases. The clock is the real one after."""
    plan = plan_year(api, today)
    try:
        for when, _, step in sorted(plan.steps, key=lambda s: (s[0], s[1])):
            api.call("POST", "/dev/clock", body={"at": when.isoformat()})
            step()
    finally:
        api.call("POST", "/dev/clock", body={"at": None})
    return len(plan.cases)
