"""The comments senders write with their ratings, kept for the centre's managers (docs/statistics.md §1,
"satisfaction"): beside the counters, one item per rated case, read per organisation and period without
reading a case. The words are the sender's: kept as text, shown as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from eforms.core.cases.model import Case
from eforms.core.common.clock import STOCKHOLM


@dataclass(frozen=True)
class Comment:
    """A rating's comment as the centre's managers read it: which case and e-service, the score, the words."""

    organisation: str
    month: str
    case_id: str
    reference: str
    form_id: str
    score: int
    text: str
    rated_at: datetime


def comment_of(case: Case, default_organisation: str = "") -> Comment | None:
    """The comment the sender wrote with their rating, if any (a case is rated once)."""
    rated = next((h for h in case.history if h.action == "rated"), None)
    words = str(rated.details.get("comment", "")) if rated else ""
    if rated is None or not words:
        return None
    return Comment(
        organisation=case.organisation_id or default_organisation,
        month=rated.at.astimezone(STOCKHOLM).strftime("%Y-%m"),
        case_id=case.case_id,
        reference=case.reference,
        form_id=case.form_id,
        score=int(rated.details.get("score", 0)),
        text=words,
        rated_at=rated.at,
    )
