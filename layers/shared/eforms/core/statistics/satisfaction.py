"""The sender's rating of how a case went: 1–5 and an optional comment, once, when payroll has finished
(docs/statistics.md §1, "satisfaction"). 4 or 5 counts as satisfied, against the centre's 90 % target.

It is a history entry (``rated``) like any other change, so the statistics consumer counts it from its event
(the score; never the comment, which stays in the case). The comment is the sender's own words: kept as
text, shown as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eforms.core.cases import actions
from eforms.core.cases.lifecycle import Role
from eforms.core.cases.model import Case, Channel, Person
from eforms.core.common.bodies import Body
from eforms.core.common.errors import NotFound
from eforms.core.desk.services import DeskAction, DeskServices
from eforms.core.identity.caller import Caller

MAX_COMMENT = 1000


@dataclass(frozen=True)
class Rating:
    """``{"version", "score", "comment"?}``."""

    version: int
    score: int
    comment: str


def parse_rating(body: Any) -> Rating:
    request = Body(body, {"version", "score", "comment"})
    version = request.version()
    score = request.value("score")
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        request.fail("/score", "required" if score is None else "invalid_choice", allowed=[1, 2, 3, 4, 5])
        score = 0
    comment = request.text("comment", limit=MAX_COMMENT)
    request.done()
    return Rating(version, score, comment)


def _senders_only(caller: Caller, case: Case) -> None:
    """Only whoever filed the case, or whom it concerns, rates it; anyone else learns nothing of it."""
    if caller.id not in (case.applicant.id, case.subject.id):
        raise NotFound("case_not_found")


def rate(desk: DeskServices, caller: Caller, case: Case, command: Rating, *, channel: Channel = Channel.API) -> Case:
    actions.require(desk.context(caller, case), "rate")
    details = {"score": command.score, **({"comment": command.comment} if command.comment else {})}
    return desk.change(case, "rated", caller, Role.APPLICANT, version=command.version, details=details, channel=channel)


def _as_caller(case: Case, rater: Person) -> Caller:
    """The person an emailed rating link was sent to, acting on the case without signing in."""
    return Caller(rater.id, rater.name, "", frozenset(), organisation_id=case.organisation_id)


def may_rate(desk: DeskServices, case: Case, rater: Person) -> None:
    """Whether the link's page may offer the rating now: the case page's rules (``case_not_finished``,
    ``already_rated``), raised as theirs."""
    actions.require(desk.context(_as_caller(case, rater), case), "rate")


def rate_by_link(desk: DeskServices, case: Case, rater: Person, fields: dict[str, str]) -> Case:
    """The rating posted from the emailed link's page, as the person it was sent to: the same rules as the
    case page's (finished, once), the score a form field."""
    score = fields.get("score", "")
    body = {"version": case.version, "score": int(score) if score.isdigit() else score or None}
    command = parse_rating({**body, **({"comment": fields["comment"]} if fields.get("comment") else {})})
    return rate(desk, _as_caller(case, rater), case, command, channel=Channel.EMAIL_LINK)


RATE = DeskAction(_senders_only, parse_rating, rate)
