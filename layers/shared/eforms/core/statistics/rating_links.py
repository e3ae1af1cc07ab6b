"""The rating link in a finished case's email: rate it 1–5 without signing in (docs/statistics.md §1,
"satisfaction"; issue 28).

The link is the credential, so it is bound to the case and the person it was sent to: ``<caseId>.<who>.<mac>``
where ``who`` is ``a`` (whoever filed the case) or ``s`` (whom it concerns) and the MAC is an HMAC, computed in
KMS under a key kept for nothing else, over the case, ``who`` and that person's id. The URL carries no personal
data; nobody who can read the tables can make a working link; and the same email sent twice carries the same
link. It is single-use through the case itself: a case is rated once (``already_rated``), by link or page.
"""

from __future__ import annotations

import base64
import hmac
import re

from eforms.core.approval.links import LinkSigner
from eforms.core.cases.model import Case, Person

_WHO = {"a": "applicant", "s": "subject"}
_SHAPE = re.compile(r"^([0-9A-Z]{26})\.([as])\.([A-Za-z0-9_-]{43})$")


def _person(case: Case, who: str) -> Person:
    return case.applicant if who == "a" else case.subject


def _mac(signer: LinkSigner, case: Case, who: str) -> str:
    raw = signer.mac(f"rating-link|{case.case_id}|{who}|{_person(case, who).id}".encode())
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def token_for(signer: LinkSigner, case: Case, person_id: str) -> str:
    """The link token for ``person_id``, who filed the case or whom it concerns."""
    who = "a" if person_id == case.applicant.id else "s"
    return f"{case.case_id}.{who}.{_mac(signer, case, who)}"


def case_of(token: str) -> str | None:
    """The case a well-formed token names (None: not a rating link at all, so nothing is read)."""
    match = _SHAPE.match(token)
    return match.group(1) if match else None


def rater(signer: LinkSigner, token: str, case: Case) -> Person | None:
    """Whom the link was sent to, if it is this case's genuine link; None for a forged or altered one."""
    match = _SHAPE.match(token)
    if match is None or match.group(1) != case.case_id:
        return None
    who = match.group(2)
    return _person(case, who) if hmac.compare_digest(match.group(3), _mac(signer, case, who)) else None
