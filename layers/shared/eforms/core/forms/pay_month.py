"""The month a form's own answers say the pay concerns (``x-eform.payMonthFrom``).

A case reaches the first pay run its receipt date and the cut-off allow — but never one earlier than the
month its answers are about: a leave starting in January reaches January's pay at the earliest, even when
it is filed in November (docs/desk.md, "Pay period"). A form declares where that month is: one JSON
pointer or several into its data, each to a date (``YYYY-MM-DD``) or a month (``YYYY-MM``); ``*`` runs over
an array's items (``/rows/*/date``). The earliest month found counts; none found sets no floor.
"""

from __future__ import annotations

import re
from typing import Any

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])(?:-\d{2})?$")


def parse_pointers(raw: Any, schema: dict[str, Any]) -> tuple[str, ...]:
    """The declared pointers, each checked to lead to a property of ``schema``; ``ValueError`` says which not."""
    if raw is None:
        return ()
    pointers = [raw] if isinstance(raw, str) else raw
    if not isinstance(pointers, list) or not pointers or not all(isinstance(p, str) for p in pointers):
        raise ValueError("payMonthFrom must be a JSON pointer or a list of them")
    for pointer in pointers:
        if not pointer.startswith("/") or _schema_at(schema, pointer.split("/")[1:]) is None:
            raise ValueError(f"payMonthFrom: {pointer} names no field of the form")
    return tuple(pointers)


def _schema_at(schema: dict[str, Any], parts: list[str]) -> dict[str, Any] | None:
    node: Any = schema
    for part in parts:
        if not isinstance(node, dict):
            return None
        node = node.get("items") if part == "*" else node.get("properties", {}).get(part)
    return node if isinstance(node, dict) else None


def concerned_month(pointers: tuple[str, ...], data: dict[str, Any]) -> str | None:
    """The earliest ``YYYY-MM`` found at ``pointers`` in ``data``, or None."""
    found = [month for pointer in pointers for month in _months(data, pointer.split("/")[1:])]
    return min(found) if found else None


def _months(node: Any, parts: list[str]) -> list[str]:
    if not parts:
        match = _MONTH.match(node) if isinstance(node, str) else None
        return [f"{match.group(1)}-{match.group(2)}"] if match else []
    head, rest = parts[0], parts[1:]
    if head == "*":
        return [m for item in node for m in _months(item, rest)] if isinstance(node, list) else []
    return _months(node[head], rest) if isinstance(node, dict) and head in node else []
