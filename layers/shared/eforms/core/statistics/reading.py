"""``GET /statistics``: an organisation's follow-up figures for a period of months, read from the aggregates
(docs/statistics.md, §4). Never a case.

Who sees what, as for cases (404 to anyone else, before anything is read): the centre-wide role every
organisation; a payroll officer the organisations their teams serve; a customer's contact person (the
``contact`` role) their own organisation, without the officers' figures, which are the centre's internal
follow-up.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from eforms.core.common.clock import iso
from eforms.core.common.errors import BadRequest, NotFound
from eforms.core.common.i18n import Language
from eforms.core.forms.catalogue import Catalogue
from eforms.core.identity.caller import CENTRE, CONTACT, Caller
from eforms.core.organisations.registry import Organisation, Registry
from eforms.core.statistics.comments import Comment
from eforms.core.statistics.contributions import ALL
from eforms.core.statistics.report import Rows, figures, total

MAX_MONTHS = 24
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_PARAMETERS = frozenset({"organisation", "from", "to", "formId", "format"})


class StatisticsReader(Protocol):
    def rows(self, organisation: str, first: str, last: str) -> Rows:
        """One organisation's counter rows for the months ``first`` … ``last`` (``YYYY-MM``)."""
        ...


@dataclass(frozen=True)
class Period:
    first: str
    last: str

    @property
    def months(self) -> list[str]:
        year, month = (int(part) for part in self.first.split("-"))
        found = []
        while f"{year:04d}-{month:02d}" <= self.last:
            found.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


def parse_month(value: str) -> str:
    """A month in a path (``YYYY-MM``); ``BadRequest`` naming it otherwise."""
    if not _MONTH.match(value):
        raise BadRequest("invalid_query", parameter="month")
    return value


def parse_period(params: dict[str, str]) -> Period:
    """``from`` and ``to`` (``YYYY-MM``, both required, at most 24 months); ``BadRequest`` names the wrong one."""
    unknown = sorted(set(params) - _PARAMETERS)
    if unknown:
        raise BadRequest("invalid_query", parameter=unknown[0][:40])
    for name in ("from", "to"):
        if not _MONTH.match(params.get(name, "")):
            raise BadRequest("invalid_query", parameter=name)
    period = Period(params["from"], params["to"])
    if period.last < period.first or len(period.months) > MAX_MONTHS:
        raise BadRequest("invalid_query", parameter="to")
    return period


def readable(caller: Caller, registry: Registry | None, wanted: str | None) -> str:
    """The organisation whose figures the caller asked for, if they may see them; 404 otherwise."""
    if registry is None or not caller.is_employee_sign_in:
        raise NotFound("not_found")
    organisation = registry.get(wanted) if wanted else registry.of(caller.organisation_id)
    if organisation is None:
        raise NotFound("not_found")
    if CENTRE in caller.roles:
        return organisation.organisation_id
    if caller.works(organisation.payroll_team):
        return organisation.organisation_id
    if CONTACT in caller.roles and organisation.organisation_id == caller.organisation_id:
        return organisation.organisation_id
    raise NotFound("not_found")


def report(
    reader: StatisticsReader, organisation: str, period: Period, *, form_id: str | None, officers: bool
) -> dict[str, Any]:
    """The figures per month and for the whole period, per form, and (for the centre's own) per officer."""
    rows = reader.rows(organisation, period.first, period.last)
    dimension = f"form#{form_id}" if form_id else ALL

    def of(month: str, name: str) -> dict[str, int]:
        return rows.get((organisation, month, name), {})

    months = [{"month": m, "figures": figures(of(m, dimension))} for m in period.months]
    by = {"forms": "form#", **({"officers": "officer#"} if officers else {})}
    groups: dict[str, list[dict[str, Any]]] = {}
    for group, prefix in by.items():
        names = sorted({key[2] for key in rows if key[2].startswith(prefix)})
        groups[group] = [
            {"id": name.removeprefix(prefix), "figures": figures(total(of(m, name) for m in period.months))}
            for name in names
        ]
    return {
        "from": period.first,
        "to": period.last,
        "total": figures(total(of(m, dimension) for m in period.months)),
        "months": months,
        **groups,
    }


def named(
    found: dict[str, Any],
    organisation: Organisation,
    language: Language,
    *,
    form_title: Callable[[str, Language], str],
    officer_name: Callable[[str], str],
) -> dict[str, Any]:
    """The report as people read it: the organisation's name and targets, each form's title and each officer's
    name beside the ids (the page, the exports and the service report alike)."""
    for form in found["forms"]:
        form["title"] = form_title(form["id"], language)
    for officer in found.get("officers", []):
        officer["name"] = officer_name(officer["id"])
    return {
        "organisation": {"id": organisation.organisation_id, "name": organisation.name(language)},
        "targets": dict(organisation.targets),
        **found,
    }


def comment_view(comment: Comment, language: Language, catalogue: Catalogue) -> dict[str, Any]:
    """A comment as the centre's managers read it (``GET /statistics/comments``): the words are the sender's,
    kept and shown as text."""
    return {
        "caseId": comment.case_id,
        "caseNumber": comment.reference,
        "formId": comment.form_id,
        "formTitle": catalogue.title_of(comment.form_id, language),
        "score": comment.score,
        "comment": comment.text,
        "ratedAt": iso(comment.rated_at),
    }
