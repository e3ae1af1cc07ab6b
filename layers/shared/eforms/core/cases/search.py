"""Finding a case by what people know (``q`` on the desk's queue and on a manager's team listing).

* **A case number** (``LC-2026-004211``, typed in any case, zeros optional): the case it names — if the
  caller may see it; otherwise nothing, exactly as for a number nobody has.
* **A personnummer** (``YYYYMMDD-NNNN``, hyphen optional): the cases of whom it belongs to. It is never
  compared or stored in clear: its keyed hash finds the directory row (or, for someone signed in with
  BankID who is not in the directory, the id they are known by).
* **A name** is found first as a person (``GET /people?q=``, a type-ahead), whose cases the listing's
  ``employee`` filter then shows: a name is not unique, a person is.

Each is one key read or one index partition: no scan, however many cases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from eforms.core.cases import numbers
from eforms.core.cases.access import can_view
from eforms.core.cases.model import Case, CaseStore, CaseSummary, Page
from eforms.core.common.errors import BadRequest
from eforms.core.forms.personnummer import is_valid
from eforms.core.identity.bankid import OUTSIDER_PREFIX, PersonnummerHasher
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Directory
from eforms.core.organisations import people

MAX_QUERY = 40


@dataclass(frozen=True)
class Sought:
    number: str | None = None  # a case number, canonical
    subject_id: str | None = None  # whom a personnummer names


def sought(
    text: str, directory: Directory, hasher: PersonnummerHasher, namespaces: frozenset[str] | None = None
) -> Sought:
    """What ``q`` asks for; ``BadRequest`` on ``q`` for anything else (a name goes through ``/people``). A
    personnummer names its holder in the searcher's organisations (``namespaces``)."""
    text = text.strip()
    number = numbers.parse(text) if len(text) <= MAX_QUERY else None
    if number is not None:
        return Sought(number=number)
    if is_valid(text):
        digest = hasher.digest(text)
        return Sought(subject_id=directory.person_with(digest, namespaces) or OUTSIDER_PREFIX + digest)
    raise BadRequest("invalid_query", parameter="q")


def run(
    text: str,
    *,
    store: CaseStore,
    directory: Directory,
    hasher: PersonnummerHasher,
    caller: Caller,
    today: date,
    listing: Callable[[str], Page],
) -> Page:
    """One page of what ``text`` finds: the numbered case, or ``listing`` of a person's cases (the caller's
    own listing — the desk's queue, a manager's team — narrowed to whom the personnummer names)."""
    # Whose people: an officer's teams' customers, anyone else their own organisation's.
    namespaces = caller.serves or frozenset({people.organisation_of(caller.id)})
    found = sought(text, directory, hasher, namespaces)
    if found.number is not None:
        return numbered(store, directory, caller, found.number, today)
    assert found.subject_id is not None
    return listing(found.subject_id)


def numbered(store: CaseStore, directory: Directory, caller: Caller, number: str, today: date) -> Page:
    """The one case a number names, as a listing page — empty when there is none or the caller may not
    see it (nobody learns that a number exists)."""
    case = store.by_number(number)
    if case is None or not can_view(caller, case, directory, today):
        return Page([], None)
    return Page([summary_of(case)], None)


def summary_of(case: Case) -> CaseSummary:
    return CaseSummary(
        case_id=case.case_id,
        form_id=case.form_id,
        form_version=case.form_version,
        route=case.route,
        status=case.status,
        applicant=case.applicant,
        subject=case.subject,
        created_at=case.created_at,
        updated_at=case.updated_at,
        signed=case.pdf_key is not None,
        payroll=case.payroll,
        case_number=case.case_number,
    )
