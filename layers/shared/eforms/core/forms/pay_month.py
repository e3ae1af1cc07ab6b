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

from eforms.core.forms import pointers

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])(?:-\d{2})?$")


def parse_pointers(raw: Any, schema: dict[str, Any]) -> tuple[str, ...]:
    return pointers.declared(raw, schema, "payMonthFrom")


def concerned_month(declared: tuple[str, ...], data: dict[str, Any]) -> str | None:
    """The earliest ``YYYY-MM`` found at the ``declared`` pointers in ``data``, or None."""
    found = [
        f"{match.group(1)}-{match.group(2)}"
        for pointer in declared
        for value in pointers.values_at(data, pointer)
        if isinstance(value, str) and (match := _MONTH.match(value))
    ]
    return min(found) if found else None
