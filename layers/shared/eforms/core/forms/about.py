"""What a case is about in a few words, for the places that must tell one case from another at a glance:
an email's subject and the like — "Anna Andersson, 2027-01-05–2027-01-14" (issue 29, docs/self-service.md §5).

The person is whom the case concerns (by name: never an id, never a personnummer). The period comes from
the dates the form already declares its pay month by (``x-eform.payMonthFrom``): a pointer to a ``from``
whose object has a ``to`` gives that span; several dates (``/rows/*/date``) give the first to the last; one
date or month gives itself. A form that declares none — a question to payroll — is about the person alone.
"""

from __future__ import annotations

import re
from typing import Any

from eforms.core.cases.model import Case
from eforms.core.forms import pointers
from eforms.core.forms.catalogue import FormDefinition

_DAY_OR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$")


def _dates(data: dict[str, Any], pointer: str) -> list[str]:
    """The dates (or months) at ``pointer``; for a ``…/from`` whose object also has a ``to``, both."""
    found = [v for v in pointers.values_at(data, pointer) if isinstance(v, str) and _DAY_OR_MONTH.match(v)]
    if pointer.endswith("/from"):
        found += [v for v in pointers.values_at(data, pointer[: -len("from")] + "to") if isinstance(v, str)]
    return [v for v in found if _DAY_OR_MONTH.match(v)]


def period(form: FormDefinition, data: dict[str, Any]) -> str:
    """The case's period as written in its answers ("2027-01-05–2027-01-14", "2026-11"); "" for none."""
    found = sorted({d for pointer in form.pay_month_from for d in _dates(data, pointer)})
    if not found:
        return ""
    return found[0] if found[0] == found[-1] else f"{found[0]}–{found[-1]}"


def about(case: Case, form: FormDefinition) -> str:
    """Whom the case concerns and, where the form has one, its period."""
    name = " ".join(case.subject.name.split())  # a header's one line, whatever the directory holds
    span = period(form, case.data)
    return f"{name}, {span}" if span else name
