"""Deciding a case: from the emailed link (the link is the credential) or signed in through the API.

The same rules apply either way (:mod:`eforms.core.approval.decisions`); the decision is one lifecycle
transition, written conditionally on the version read, so of two decisions at once (double click, two
tabs, link and API) exactly one is written and the other gets 409 — or 410 for a link already used.
"""

from __future__ import annotations

from dataclasses import dataclass

from eforms.core.approval import approvers, links
from eforms.core.approval.decisions import RESULT, DecisionRequest, decide
from eforms.core.approval.engine import Engine, tell
from eforms.core.cases.model import Case, CaseStore, Channel, Person, Status
from eforms.core.cases.writer import CaseWriter
from eforms.core.common.clock import Clock, stockholm_date
from eforms.core.common.errors import Conflict, Forbidden
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Directory


@dataclass
class Deciding:
    store: CaseStore
    directory: Directory
    engine: Engine
    writer: CaseWriter
    clock: Clock

    def open_link(self, token: str) -> tuple[links.DecisionLink, Case]:
        """The link and its case if the link may decide now; ``LinkProblem`` says why not."""
        if not links.well_formed(token):
            raise links.LinkProblem("unknown")
        link = self.store.get_link(links.hash_token(token))
        case = self.store.get(link.case_id) if link else None
        if link is None or case is None:
            raise links.LinkProblem("unknown")
        links.check(
            link,
            current_hash=case.link_hash,
            current_version=case.version,
            awaiting=case.status == Status.AWAITING_APPROVAL,
            now=self.clock(),
        )
        return link, case

    def decide_with_link(self, link: links.DecisionLink, case: Case, request: DecisionRequest) -> Case:
        """Decide with a link :meth:`open_link` accepted (the case as it read it); the link is used up."""
        approver = self.directory.get(link.approver_id)
        actor = Person(link.approver_id, approver.name if approver else case.approver.name if case.approver else "")
        return self._decide(case, request, actor=actor, channel=Channel.EMAIL_LINK, use_link=link.link_hash)

    def decide_as(self, caller: Caller, case: Case, request: DecisionRequest) -> Case:
        """A signed-in decision on a case the caller may see (see ``access.visible_case``): one that has
        moved on is a 409; someone who may see it but is not the one asked to decide gets 403. For a team
        step, any member who has not already decided a step of this round decides."""
        if case.status != Status.AWAITING_APPROVAL:
            raise Conflict("case_not_awaiting_decision", status=case.status.value)
        if not approvers.may_decide(self.directory, caller, case, stockholm_date(self.clock())):
            raise Forbidden("not_the_approver")
        return self._decide(case, request, actor=Person(caller.id, caller.name), channel=Channel.API, use_link=None)

    def _decide(
        self, case: Case, request: DecisionRequest, *, actor: Person, channel: Channel, use_link: str | None
    ) -> Case:
        now = self.clock()
        written = self.writer.apply(
            case,
            lambda current: decide(current, request, actor=actor, channel=channel, now=now),
            use_link=use_link,
            now=now,
        )
        if written.before.task_token:
            # If the wait already timed out, the timer step that runs next finds the decision and reports it.
            tell(self.engine, written.before.task_token, {"outcome": RESULT[request.outcome]})
        return written.after
