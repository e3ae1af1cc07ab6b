"""Finding a person by what people know — a name (``GET /people?q=``): the type-ahead that picks whose cases
to list at the desk or in a manager's team, and whom payroll appoints to decide.

Who sees whom: an administrator finds anyone of their own organisation, payroll anyone of the organisations
their teams serve; a manager
finds only the people they manage directly (their reports, read by the reporting line, so a common name
elsewhere never crowds them out); nobody else may search (404, as for a route they
cannot see). The answer is a name and an id — no email, no personnummer.
"""

from __future__ import annotations

from datetime import date

from eforms.core.common.errors import BadRequest, NotFound
from eforms.core.identity.caller import ADMINISTRATOR, MANAGER, Caller
from eforms.core.identity.directory import MIN_SEARCH, Directory, Employee, manages, matches, name_words
from eforms.core.organisations.people import organisation_of

MAX_QUERY = 100
MAX_LIMIT = 20


def parse_search(params: dict[str, str]) -> tuple[str, int]:
    """``q`` (at least two letters) and ``limit`` (1–20, 10 by default); ``BadRequest`` names the wrong one."""
    unknown = set(params) - {"q", "limit"}
    if unknown:
        raise BadRequest("invalid_query", parameter=sorted(unknown)[0][:40])
    text = params.get("q", "").strip()
    if not MIN_SEARCH <= len(text) <= MAX_QUERY:
        raise BadRequest("invalid_query", parameter="q")
    raw = params.get("limit", "10")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadRequest("invalid_query", parameter="limit")
    return text, int(raw)


def find_people(caller: Caller, directory: Directory, text: str, *, limit: int, today: date) -> list[Employee]:
    if not caller.is_employee_sign_in:
        raise NotFound("not_found")
    if caller.is_payroll:
        return directory.search(text, limit=limit, organisations=caller.serves or None)
    if caller.has_any((ADMINISTRATOR,)):
        return directory.search(text, limit=limit, organisations=frozenset({organisation_of(caller.id)}))
    if caller.has_any((MANAGER,)):
        # Their own people first (a team is tens), then the name: a common name elsewhere never crowds them out.
        words = name_words(text)
        own = [p for p in directory.reports(caller.id) if matches(p, words) and manages(directory, caller.id, p, today)]
        return sorted(own, key=lambda p: (p.name, p.employee_id))[:limit]
    raise NotFound("not_found")
