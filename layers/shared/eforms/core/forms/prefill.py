"""Answers the service already knows, declared by the form (``x-prefill``), so nobody types them again.

A field names where its answer comes from::

    "personnummer": {"type": "string", "x-prefill": "identity.personnummer"}
    "name": {"type": "string", "x-prefill": {"from": "identity.name", "editable": true}}

The sources are the signed-in identity: ``identity.name``, ``identity.email``, ``identity.employeeId`` (the
organisation's own number, for a work-account sign-in) and ``identity.personnummer`` (BankID's, for a BankID
sign-in only); and the directory's row for a work-account sign-in: ``directory.unit`` (where they work) and
``directory.manager`` (their manager's name). A form naming anything else does not load (the catalogue test
names its file). The directory answers a work-account sign-in only: a BankID caller's row is found with the
personnummer key at submission, which the catalogue does not hold, so their directory fields are typed.

A prefilled field is the person's own data as their sign-in asserts it: shown read-only with where it came
from, unless the form says it may be edited (a name on a postal address may carry "c/o"). At submission a
locked field is set again from the same source (:func:`applied`), so a changed value from the client is never
trusted. The personnummer is the exception: the service never keeps it past the request, so it is checked,
not set — the form's ``ownPersonnummer`` rule compares it with the BankID sign-in.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from typing import Any

from eforms.core.forms import personnummer
from eforms.core.identity.caller import BANKID, EMPLOYEE, Caller
from eforms.core.identity.directory import Directory, Employee, current
from eforms.core.organisations import people

#: Each source, and what the page says it came from.
SOURCES: dict[str, str] = {
    "identity.name": "sign_in",
    "identity.email": "sign_in",
    "identity.employeeId": "sign_in",
    "identity.personnummer": "bankid",
    "directory.unit": "directory",
    "directory.manager": "directory",
}


@dataclass(frozen=True)
class Known:
    """What the service knows of the caller for a form: their sign-in and, where the form asks, their directory
    row and their manager's (read once per request by :func:`known`)."""

    caller: Caller
    employee: Employee | None = None
    manager: Employee | None = None


@dataclass(frozen=True)
class Prefilled:
    pointer: str  # JSON pointer into the answers (``/postalAddress/name``); never inside a repeated row
    source: str
    editable: bool = False

    @property
    def shown_as(self) -> str:
        return SOURCES[self.source]


def declared(schema: dict[str, Any]) -> tuple[Prefilled, ...]:
    """Every ``x-prefill`` of the form, outside repeated rows; ``ValueError`` naming the field otherwise."""
    found: list[Prefilled] = []
    stack: list[tuple[dict[str, Any], str]] = [(schema, "")]
    while stack:
        node, pointer = stack.pop()
        for name, field in (node.get("properties") or {}).items():
            if not isinstance(field, dict):
                continue
            here = f"{pointer}/{name}"
            if "x-prefill" in field:
                found.append(_parse(field["x-prefill"], here))
            stack.append((field, here))
        items = node.get("items")
        if isinstance(items, dict) and _mentions_prefill(items):
            raise ValueError(f"{pointer}: x-prefill is not allowed inside a repeated row")
    return tuple(sorted(found, key=lambda p: p.pointer))


def _mentions_prefill(node: Any) -> bool:
    if isinstance(node, dict):
        return "x-prefill" in node or any(_mentions_prefill(v) for v in node.values())
    return isinstance(node, list) and any(_mentions_prefill(v) for v in node)


def _parse(raw: Any, pointer: str) -> Prefilled:
    source, editable = (raw.get("from"), raw.get("editable", False)) if isinstance(raw, dict) else (raw, False)
    if source not in SOURCES:
        raise ValueError(f"{pointer}: x-prefill names {source!r}; the sources are {sorted(SOURCES)}")
    if not isinstance(editable, bool) or (isinstance(raw, dict) and set(raw) - {"from", "editable"}):
        raise ValueError(f"{pointer}: x-prefill is a source, or {{from, editable}}")
    return Prefilled(pointer, str(source), editable)


def known(prefilled: tuple[Prefilled, ...], caller: Caller, directory: Directory, today: date) -> Known:
    """The caller, with their directory rows only when the form prefills from the directory (a form that does
    not costs no read) and they signed in with the organisation's account."""
    sources = {p.source for p in prefilled}
    if caller.kind != EMPLOYEE or not sources & _DIRECTORY:
        return Known(caller)
    employee = current(directory, caller.id, today)
    if employee is None or not employee.manager_id or "directory.manager" not in sources:
        return Known(caller, employee)
    return Known(caller, employee, current(directory, employee.manager_id, today))


_DIRECTORY = frozenset(s for s in SOURCES if s.startswith("directory."))


def value_for(source: str, who: Known) -> str | None:
    """What the caller's sign-in or directory row says for ``source``; None where it says nothing (no BankID,
    no number, no unit recorded)."""
    caller = who.caller
    if source == "directory.unit":
        return who.employee.unit or None if who.employee else None
    if source == "directory.manager":
        return who.manager.name or None if who.manager else None
    if source == "identity.name":
        return caller.name or None
    if source == "identity.email":
        return caller.email or None
    if source == "identity.employeeId":
        return people.local_id(caller.id) if caller.kind == EMPLOYEE else None
    if source == "identity.personnummer":
        return personnummer.written(caller.personnummer) or None if caller.kind == BANKID else None
    return None


def values(prefilled: tuple[Prefilled, ...], who: Known) -> list[dict[str, Any]]:
    """The form page's prefill: each field the service can answer, its value, whence, and whether locked."""
    answered = ((p, value_for(p.source, who)) for p in prefilled)
    return [
        {"pointer": p.pointer, "value": value, "source": p.shown_as, "editable": p.editable}
        for p, value in answered
        if value is not None
    ]


def applied(prefilled: tuple[Prefilled, ...], data: dict[str, Any], who: Known) -> dict[str, Any]:
    """``data`` with every locked prefilled field set again from its source (what the client sent is not trusted).
    A field whose source says nothing for this caller, one in a group not answered, and the personnummer
    (checked, not kept) stay as sent."""
    result = data
    for p in prefilled:
        value = value_for(p.source, who)
        if p.editable or value is None or p.source == "identity.personnummer":
            continue
        if result is data:
            result = copy.deepcopy(data)
        node: Any = result
        *parents, last = p.pointer.split("/")[1:]
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):  # a group left out (no postal address for digital delivery) stays out
            node[last] = value
    return result
