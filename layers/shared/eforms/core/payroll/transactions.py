"""A case's pay transactions: proposed from its answers by the form's rules, confirmed by the registering
officer, checked by the second (docs/records.md §4).

A transaction is plain data, as the desk shows it and the pay-run file takes it::

    {"item": "leave.vacation", "kind": "time", "code": "SEM", "from": "2027-01-04", "to": "2027-01-08",
     "extent": 100}
    {"item": "overtime.paid", "kind": "time", "code": "ÖT1", "date": "2026-12-03", "hours": 2.5}
    {"item": "fee", "kind": "pay", "code": "ARV", "date": "2026-12-10", "quantity": 1, "amount": 4500,
     "employee": "E1002"}

(``employee``, where the form names whose pay it is, is not the person the case concerns: the officer sees it
and cannot change it.)

The officer may correct a date, an extent, hours or an amount before confirming (each change is in the
registration's history entry); what they confirm is checked: a number where a number goes, with at most two
decimals (what the pay-run file writes), nothing starting after the pay period's month (a leave may run on past
it; an earlier one is registered late), nothing negative.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from eforms.core.cases.model import Case
from eforms.core.common.errors import FieldError
from eforms.core.common.periods import is_period, last_day
from eforms.core.forms import pointers
from eforms.core.payroll.declaration import AMOUNT, ROWS, SPAN, PayRule
from eforms.core.payroll.items import ITEMS

MAX_TRANSACTIONS = 100


def _first(data: Any, pointer: str) -> Any:
    found = pointers.values_at(data, pointer)
    return found[0] if found else None


def _hours(start: str, end: str) -> float:
    """Hours between two times of one day ("HH:MM"); past midnight when the end is not after the start."""
    begin, finish = (datetime.strptime(value, "%H:%M") for value in (start, end))
    minutes = (finish - begin).total_seconds() / 60
    return round((minutes if minutes > 0 else minutes + 24 * 60) / 60, 2)


def of_case(case: Case, rules: tuple[PayRule, ...], codes: dict[str, str]) -> list[dict[str, Any]]:
    """The case's pay transactions as payroll sees them: as the officer confirmed them once registered, else
    as its answers propose them, coded the way its organisation's payroll system codes them."""
    registration = case.payroll.registration if case.payroll else None
    if registration is not None and registration.transactions:
        return list(registration.transactions)
    return proposed(rules, case.data, codes)


def proposed(rules: tuple[PayRule, ...], data: dict[str, Any], codes: dict[str, str]) -> list[dict[str, Any]]:
    """What the answers give under each rule that applies, coded the organisation's way. An organisation that
    declares no codes at all (its payroll is not fed from here) gets none: registering asks for nothing."""
    if not codes:
        return []
    from eforms.core.forms.verdict import condition_holds  # the compiled conditions: only where a case is coded

    found: list[dict[str, Any]] = []
    for rule in rules:
        if rule.when is not None and not condition_holds(rule.when, data):
            continue
        base = {"item": rule.item, "kind": ITEMS[rule.item], "code": codes.get(rule.item, "")}
        if rule.employee is not None:  # someone else's pay than the case's person (kept as proposed)
            base["employee"] = _first(data, rule.employee)
        fields = rule.fields
        if rule.shape == SPAN:
            extent = _first(data, fields["extent"])
            span = {"from": _first(data, fields["from"]), "to": _first(data, fields["to"])}
            found.append({**base, **span, "extent": extent})
        elif rule.shape == ROWS:
            for row in _first(data, fields["rows"]) or []:
                start, end = row.get(fields["start"]), row.get(fields["end"])
                if isinstance(start, str) and isinstance(end, str):
                    found.append({**base, "date": row.get(fields["date"]), "hours": _hours(start, end)})
        elif rule.shape == AMOUNT:
            days = sorted(d for d in pointers.values_at(data, fields["date"]) if isinstance(d, str))
            found.append(
                {**base, "date": days[0] if days else None, "quantity": 1, "amount": _first(data, fields["amount"])}
            )
    return found


def owned(
    transactions: tuple[dict[str, Any], ...], rules: tuple[PayRule, ...], data: dict[str, Any]
) -> tuple[dict[str, Any], ...]:
    """The transactions, each naming the employee its rule says it pays where it does not yet: one confirmed
    before its form said whose pay it is (a fee registered before the rule named the payee) is not paid to
    the person who filed it."""
    named = {rule.item: rule.employee for rule in rules if rule.employee is not None}
    return tuple(
        {**t, "employee": _first(data, named[t["item"]])} if t["item"] in named and "employee" not in t else t
        for t in transactions
    )


_NUMBERS = ("extent", "hours", "quantity", "amount")
_DATES = ("from", "to", "date")


def confirmed(
    raw: Any, proposal: list[dict[str, Any]], pay_period: str, base: str
) -> tuple[list[dict[str, Any]], list[FieldError]]:
    """The transactions the officer confirms: the proposal's, in its order, with the values they corrected.
    Each checked; the problems at ``<base>/<n>/<field>``, and none confirmed while any has one."""
    if not isinstance(raw, list) or len(raw) != len(proposal) or len(raw) > MAX_TRANSACTIONS:
        return [], [FieldError(base, "transactions_mismatch")]
    period_end = _month_end(pay_period)
    kept: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    for index, (sent, offered) in enumerate(zip(raw, proposal, strict=True)):
        one, problems = _checked(sent, offered, f"{base}/{index}", period_end, pay_period)
        kept.append(one)
        errors += problems
    return (kept if not errors else []), errors


def _checked(
    sent: Any, offered: dict[str, Any], where: str, period_end: date | None, pay_period: str
) -> tuple[dict[str, Any], list[FieldError]]:
    """One transaction as confirmed: the offered one, the same item and code, its values as the officer set."""
    if not isinstance(sent, dict) or any(sent.get(k) != offered[k] for k in ("item", "kind", "code")):
        return offered, [FieldError(where, "transactions_mismatch")]
    kept, errors = dict(offered), []
    for name in (n for n in _NUMBERS if n in offered):
        value = sent.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float) or not _finite(value):
            errors.append(FieldError(f"{where}/{name}", "not_a_number"))
        elif value < 0:
            errors.append(FieldError(f"{where}/{name}", "negative"))
        elif _decimals(value) > 2:  # the pay-run file writes two (PAXml's percent has two): none lost in it
            errors.append(FieldError(f"{where}/{name}", "not_multiple_of", {"limit": 0.01}))
        else:
            kept[name] = value
    for name in (n for n in _DATES if n in offered):
        day = _day(sent.get(name))
        if day is None:
            errors.append(FieldError(f"{where}/{name}", "invalid_date"))
        elif name != "to" and period_end is not None and day > period_end:
            errors.append(FieldError(f"{where}/{name}", "after_pay_period", {"payPeriod": pay_period}))
        else:
            kept[name] = day.isoformat()
    if not offered["code"]:
        errors.append(FieldError(f"{where}/code", "pay_code_missing", {"item": offered["item"]}))
    if "extent" in offered and not errors:
        errors += _span_problems(kept, where)
    return kept, errors


def _span_problems(span: dict[str, Any], where: str) -> list[FieldError]:
    """A corrected leave is still a leave: an extent of full time's percent above 0, an end not before its
    start (PAXml's ``omfattning`` is above 0 and at most 100)."""
    if span["extent"] > 100:
        return [FieldError(f"{where}/extent", "above_maximum", {"limit": 100})]
    if span["extent"] == 0:
        return [FieldError(f"{where}/extent", "below_minimum", {"limit": 1})]
    return [FieldError(f"{where}/to", "date_order")] if span["to"] < span["from"] else []


def changes(proposal: list[dict[str, Any]], confirmed: list[dict[str, Any]], base: str) -> list[str]:
    """Where the officer's confirmed values differ from the proposal (``/transactions/0/amount``)."""
    return [
        f"{base}/{index}/{name}"
        for index, (offered, kept) in enumerate(zip(proposal, confirmed, strict=False))
        for name in (*_NUMBERS, *_DATES)
        if name in offered and offered[name] != kept.get(name)
    ]


def _decimals(value: float) -> int:
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _finite(value: float) -> bool:
    try:
        return Decimal(str(value)).is_finite()
    except InvalidOperation:
        return False


def _day(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _month_end(period: str) -> date | None:
    """The last day of a pay period ("2026-12"): a transaction may start on or before it, never after."""
    return last_day(period) if is_period(period) else None
