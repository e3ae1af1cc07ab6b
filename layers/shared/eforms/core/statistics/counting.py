"""Counting a case into the aggregates, each contribution once (docs/statistics.md, §2).

The consumer of the case events reads the case, computes what it contributes now
(:func:`eforms.core.statistics.contributions.contributions`), asks the store which of those are already
counted (one read), and applies the rest, each in one transaction with its claim. A redelivered or
out-of-order event finds every claim and adds nothing; a lost one is made good by the case's next event.
A rating's comment is kept beside the counters for the centre's managers: text, put whole, so a repeat changes
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from eforms.core.cases.model import Case
from eforms.core.forms.catalogue import Catalogue
from eforms.core.statistics.comments import Comment, comment_of
from eforms.core.statistics.contributions import Contribution, contributions


class StatisticsStore(Protocol):
    def claimed(self, contribution_ids: Iterable[str]) -> set[str]:
        """Which of these contributions are counted already."""
        ...

    def apply(self, contribution: Contribution, *, expires_at: datetime) -> bool:
        """Add the contribution's counters and claim it, at once; False if it was claimed meanwhile. The claim
        is kept as long as the case (``expires_at``)."""
        ...

    def keep_comment(self, comment: Comment, *, expires_at: datetime) -> None:
        """Keep a rating's comment for the centre's managers (the same put on every delivery)."""
        ...


def count(case: Case, catalogue: Catalogue, store: StatisticsStore, default_organisation: str = "") -> int:
    """Count what ``case`` contributes and is not counted yet; how many contributions were added now."""
    found = contributions(case, catalogue.get(case.form_id, case.form_version), default_organisation)
    done = store.claimed(c.contribution_id for c in found)
    added = sum(store.apply(c, expires_at=case.expires_at) for c in found if c.contribution_id not in done)
    comment = comment_of(case, default_organisation)
    if comment is not None:  # put again on each event of the case: a put that failed once is made good
        store.keep_comment(comment, expires_at=case.expires_at)
    return added
