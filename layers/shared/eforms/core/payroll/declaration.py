"""How a form's answers become pay transactions, declared by the form (``x-eform.payroll``; docs/records.md §4).

A list of rules, each naming a pay item, the condition it applies under (``when``: a JSON Schema, as a
route step's) and where its values are::

    {"item": "leave.vacation", "when": {...}, "from": "/period/from", "to": "/period/to",
     "extent": "/extentPercent"}                                     # a time span, at an extent in percent
    {"item": "overtime.paid", "when": {...}, "rows": "/rows", "date": "date", "start": "from", "end": "to"}
                                                                     # one per row: its date and its hours
    {"item": "fee", "when": {...}, "date": "/dates/*", "amount": "/amountSek"}   # an amount, on its first day

Any rule may add ``"employee": "/payee/employeeId"``: whose pay the transaction is, where that is not the
person the case concerns (a fee a colleague files for the employee who earned it). A rule naming a field the
form lacks, an unknown item or a shape that is none of the three does not load (the catalogue test names the
file).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eforms.core.forms import pointers
from eforms.core.payroll.items import ITEMS, PAY

SPAN, ROWS, AMOUNT = "span", "rows", "amount"
_SHAPES: dict[str, frozenset[str]] = {
    SPAN: frozenset({"from", "to", "extent"}),
    ROWS: frozenset({"rows", "date", "start", "end"}),
    AMOUNT: frozenset({"date", "amount"}),
}


@dataclass(frozen=True)
class PayRule:
    item: str
    shape: str  # SPAN, ROWS or AMOUNT
    fields: dict[str, str]  # the shape's pointers (a row's are relative to its row)
    when: dict[str, Any] | None = None
    #: Where the employee whose pay it is stands in the answers; None: the person the case concerns.
    employee: str | None = None


_OPTIONAL = ("item", "when", "employee")


def _shape(rule: dict[str, Any]) -> str | None:
    keys = set(rule) - set(_OPTIONAL)
    return next((name for name, needed in _SHAPES.items() if keys == needed), None)


def parse(raw: Any, schema: dict[str, Any]) -> tuple[PayRule, ...]:
    """``x-eform.payroll``, each rule checked against the form's fields; ``ValueError`` naming the rule."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        raise ValueError("payroll is a list of rules")
    rules = []
    for index, rule in enumerate(raw):
        where = f"payroll/{index}"
        if not isinstance(rule, dict) or rule.get("item") not in ITEMS:
            raise ValueError(f"{where}: names no pay item ({', '.join(sorted(ITEMS))})")
        shape = _shape(rule)
        if shape is None:
            raise ValueError(f"{where}: give from/to/extent, rows/date/start/end, or date/amount")
        if (ITEMS[rule["item"]] == PAY) != (shape == AMOUNT):
            raise ValueError(f"{where}: {rule['item']} is a {ITEMS[rule['item']]} item")
        when = rule.get("when")
        if when is not None and not isinstance(when, dict):
            raise ValueError(f"{where}: when must be a JSON Schema object")
        fields = {key: value for key, value in rule.items() if key not in _OPTIONAL}
        employee = rule.get("employee")
        if employee is not None:
            pointers.declared(employee, schema, where)
        if shape == ROWS:
            rows = pointers.declared(fields["rows"], schema, where)[0]
            for key in ("date", "start", "end"):
                pointers.declared(f"{rows}/*/{fields[key]}", schema, where)
        else:
            for value in fields.values():
                pointers.declared(value, schema, where)
        rules.append(PayRule(rule["item"], shape, fields, when, employee))
    return tuple(rules)
