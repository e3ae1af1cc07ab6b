"""The approval services wired to fakes, behind the calls a unit test makes (case ids in, cases out)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eforms.core.approval.deciding import Deciding
from eforms.core.approval.decisions import DecisionRequest
from eforms.core.approval.resubmission import Resubmissions
from eforms.core.approval.steps import Stage, WorkflowSteps
from eforms.core.approval.timers import Timers
from eforms.core.cases.model import Case, CaseStore
from eforms.core.cases.writer import CaseWriter
from eforms.core.common.clock import Clock
from eforms.core.common.errors import NotFound
from eforms.core.forms.catalogue import Catalogue
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Directory
from tests.support.fakes import FakeCaseStore, FakeEngine, FakeEventSink, FakeLedger, FakeMailer, FakeSigner


@dataclass
class ApprovalHarness:
    store: CaseStore
    directory: Directory
    catalogue: Catalogue
    mailer: FakeMailer
    engine: FakeEngine
    clock: Clock
    timers: Timers = field(default_factory=Timers)
    base_url: str = "https://e.test"
    events: FakeEventSink = field(default_factory=FakeEventSink)

    def __post_init__(self) -> None:
        if isinstance(self.store, FakeCaseStore) and self.store.outbox is None:
            self.store.relaying_to(self.events)  # the store's stream, relayed: every stored entry is announced
        self.writer = CaseWriter(self.store, self.clock)
        self.steps = WorkflowSteps(
            self.store,
            self.directory,
            self.catalogue,
            self.mailer,
            self.engine,
            self.writer,
            self.clock,
            self.timers,
            self.base_url,
            FakeSigner(),
            FakeLedger(),
        )
        self.deciding = Deciding(self.store, self.directory, self.engine, self.writer, self.clock)
        self.resubmissions = Resubmissions(self.catalogue, self.engine, self.writer, self.clock)

    def _case(self, case_id: str) -> Case:
        case = self.store.get(case_id)
        if case is None:
            raise NotFound("case_not_found")
        return case

    def request_approval(self, case_id: str, task_token: str, stage: Stage) -> None:
        self.steps.request_approval(case_id, task_token, stage)

    def await_correction(self, case_id: str, task_token: str) -> None:
        self.steps.await_correction(case_id, task_token)

    def expire(self, case_id: str, reason: str = "no_decision") -> None:
        self.steps.expire(case_id, reason)

    def hand_to_payroll(self, case_id: str) -> None:
        self.steps.hand_to_payroll(case_id)

    def decide_as(self, caller: Caller, case_id: str, request: DecisionRequest) -> Case:
        return self.deciding.decide_as(caller, self._case(case_id), request)

    def decide_with_link(self, token: str, request: DecisionRequest) -> Case:
        link, case = self.deciding.open_link(token)
        return self.deciding.decide_with_link(link, case, request)

    def resubmit(self, caller: Caller, case_id: str, body: Any) -> Case:
        return self.resubmissions.resubmit(caller, self._case(case_id), body)
