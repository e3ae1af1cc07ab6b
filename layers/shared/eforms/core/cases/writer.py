"""The one writer of case changes: a lifecycle transition and its history entry, stored conditionally in one
transaction. The entry is the change's announcement: the outbox relay reads it from the table's stream and
puts its event on the bus (``core/cases/outbox``), so nothing here can store a change and lose its event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eforms.core.cases.model import Case, CaseStore, HistoryEntry
from eforms.core.common.clock import Clock
from eforms.core.common.errors import Conflict


class Unchanged(Exception):
    """Raised by a plan when there is nothing to do (a retried step finds its work already done)."""

    def __init__(self, case: Case) -> None:
        super().__init__("unchanged")
        self.case = case


Plan = Callable[[Case], tuple[Case, HistoryEntry]]


@dataclass(frozen=True)
class Written:
    before: Case  # the case as it was read when the change was made (its task token resumes the workflow)
    after: Case


@dataclass
class CaseWriter:
    """Stores transitions: one conditional transaction per change, with its history entry.

    ``plan`` turns the case as read into the changed case and its entry (usually by :func:`transition`);
    it runs again on a fresh read when a write loses a race it may retry:

    * always when only the workflow's callback token moved (bookkeeping, nobody's decision changed);
    * when ``retry=True``, on any lost race (workflow steps and messages: they are meant for the case as
      it is *now*; a person acting on the version they saw passes ``retry=False`` and gets 409).
    """

    store: CaseStore
    clock: Clock

    def apply(self, case: Case, plan: Plan, *, retry: bool = False, attempts: int = 3, **save: Any) -> Written:
        for _ in range(attempts):
            try:
                changed, entry = plan(case)
            except Unchanged as unchanged:
                return Written(case, unchanged.case)
            try:
                self.store.save(
                    changed,
                    expected_version=case.version,
                    expected_token=case.task_token,
                    new_history=[entry],
                    **save,
                )
            except Conflict:
                fresh = self.store.get(case.case_id)
                only_token_moved = (
                    fresh is not None and fresh.version == case.version and fresh.task_token != case.task_token
                )
                if fresh is None or not (retry or only_token_moved):
                    raise
                case = fresh
                continue
            return Written(case, changed)
        raise Conflict()
