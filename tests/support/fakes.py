"""In-memory implementations of the core's ports, for unit tests of the domain without AWS."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import hmac
from datetime import UTC, date, datetime
from typing import Any

from eforms.core.approval.links import DecisionLink
from eforms.core.cases.events import CaseEvent, pdf_created
from eforms.core.cases.lifecycle import AT_DESK
from eforms.core.cases.model import Case, CaseSummary, DeskQuery, Filters, HistoryEntry, Message, Page
from eforms.core.cases.outbox import StoredEntry
from eforms.core.common.clock import iso
from eforms.core.common.errors import Conflict
from eforms.core.identity.directory import Employee, matches, name_words
from eforms.core.notify.emails import Email
from eforms.core.organisations.people import organisation_of
from eforms.core.payroll.pay_runs import Pending


class FakeDirectory:
    def __init__(self, *employees: Employee) -> None:
        self.rows = {e.employee_id: e for e in employees}
        self.reads = 0

    def get(self, employee_id: str) -> Employee | None:
        self.reads += 1
        return self.rows.get(employee_id)

    def team(self, team: str) -> list[Employee]:
        return sorted((e for e in self.rows.values() if e.team == team), key=lambda e: e.employee_id)

    def by_personnummer(self, digest: str, namespaces: frozenset[str] | None = None) -> Employee | None:
        return next(
            (
                e
                for e in self.rows.values()
                if e.personnummer_hash == digest
                and (namespaces is None or organisation_of(e.employee_id) in namespaces)
            ),
            None,
        )

    def reports(self, manager_id: str) -> list[Employee]:
        return [e for e in self.rows.values() if e.manager_id == manager_id]

    def person_with(self, digest: str, namespaces: frozenset[str] | None = None) -> str | None:
        found = self.by_personnummer(digest, namespaces)
        return found.employee_id if found else None

    def search(self, text: str, *, limit: int, organisations: frozenset[str] | None = None) -> list[Employee]:
        words = name_words(text)
        found = [
            e
            for e in self.rows.values()
            if words
            and matches(e, words)
            and (organisations is None or organisation_of(e.employee_id) in organisations)
        ]
        return sorted(found, key=lambda e: (e.name, e.employee_id))[:limit]


class FakeCaseStore:
    """The case table in memory. With an ``outbox``, it plays the stream and the relay too: every history
    entry it stores is published there (and ``case.pdf_created`` when a PDF is recorded), as on AWS."""

    def __init__(self, outbox: FakeEventSink | None = None) -> None:
        self.cases: dict[str, Case] = {}
        self.links: dict[str, DecisionLink] = {}
        self.outbox = outbox
        #: What each case left pending for a pay-run file, by case id (docs/records.md §5).
        self.pay_runs: dict[str, Pending] = {}

    def _relay(self, case: Case, entries: list[HistoryEntry], before: Case | None = None) -> None:
        if self.outbox is None:
            return
        first = len(case.history) - len(entries)
        for n, entry in enumerate(entries):
            stored = StoredEntry(
                entry,
                case.case_id,
                case.form_id,
                case.form_version,
                case.status.value,
                case.version,
                sequence=first + n,
            )
            self.outbox.publish([stored.event()])
        if case.pdf_key and (before is None or before.pdf_key != case.pdf_key):
            self.outbox.publish([pdf_created(case)])

    def relaying_to(self, outbox: FakeEventSink) -> FakeCaseStore:
        """From now on, relay what is stored to ``outbox`` (cases seeded before are not announced)."""
        self.outbox = outbox
        return self

    def create(self, case: Case, *, draft: tuple[str, int] | None = None) -> None:
        if case.case_id in self.cases:
            raise Conflict()
        self.cases[case.case_id] = copy.deepcopy(case)
        self._relay(case, list(case.history))

    def get(self, case_id: str) -> Case | None:
        found = self.cases.get(case_id)
        return copy.deepcopy(found) if found else None

    def numbered(self, summaries: list[CaseSummary]) -> list[CaseSummary]:
        return [
            dataclasses.replace(s, case_number=self.cases[s.case_id].case_number) if s.case_id in self.cases else s
            for s in summaries
        ]

    def by_number(self, case_number: str) -> Case | None:
        return next((copy.deepcopy(c) for c in self.cases.values() if c.case_number == case_number), None)

    def save(
        self,
        case: Case,
        *,
        expected_version: int,
        new_history: list[HistoryEntry],
        expected_token: str | None = None,
        new_link: DecisionLink | None = None,
        use_link: str | None = None,
        now: datetime | None = None,
        new_message: Message | None = None,
        pay_run: Pending | None = None,
    ) -> None:
        stored = self.cases.get(case.case_id)
        if stored is None or stored.version != expected_version or stored.task_token != expected_token:
            raise Conflict()
        if use_link is not None:
            link = self.links.get(use_link)
            if link is None or link.used_at is not None or (now is not None and now >= link.valid_until):
                raise Conflict()
            self.links[use_link] = dataclasses.replace(link, used_at=now or datetime.now(UTC))
        if new_link is not None:
            self.links[new_link.link_hash] = new_link
        if pay_run is not None:
            self.pay_runs[case.case_id] = pay_run
        self.cases[case.case_id] = copy.deepcopy(case)
        self._relay(case, new_history, stored)

    def get_link(self, link_hash: str) -> DecisionLink | None:
        return self.links.get(link_hash)

    def mark_read(self, case_id: str, reader_id: str, up_to: datetime) -> None:
        case = self.cases[case_id]
        if reader_id not in case.read_up_to or case.read_up_to[reader_id] < up_to:
            case.read_up_to[reader_id] = up_to

    def overdue(self, team: str, before: date, *, limit: int) -> list[CaseSummary]:
        due = [
            c
            for c in self.cases.values()
            if c.team == team and c.payroll and c.payroll.clock_runs and c.status in AT_DESK
        ]
        late = sorted((c for c in due if c.payroll and c.payroll.due_date < before), key=lambda c: c.case_id)
        return [_summary(c) for c in late[:limit]]

    def desk_queue(self, query: DeskQuery) -> Page:
        def wanted(case: Case) -> bool:
            item = case.payroll
            if item is None:
                return False
            return (
                case.team == query.team
                and query.organisation_id in (None, case.organisation_id)
                and (case.status in AT_DESK if query.status is None else case.status == query.status)
                and (query.form_id is None or case.form_id == query.form_id)
                and (query.subject_id is None or case.subject.id == query.subject_id)
                and (query.assignee_id is None or (item.assignee is not None and item.assignee.id == query.assignee_id))
            )

        matching = sorted(
            (c for c in self.cases.values() if wanted(c)),
            key=lambda c: (c.payroll.due_date if c.payroll else c.created_at.date(), c.case_id),
        )
        start = int(query.cursor["offset"]) if query.cursor else 0
        chunk = matching[start : start + query.limit]
        more = start + query.limit < len(matching)
        return Page([_summary(c) for c in chunk], {"offset": start + query.limit} if more else None)

    def pending_for(self, approver_id: str, *, limit: int, after: dict[str, str] | None = None) -> list[CaseSummary]:
        waiting = sorted(
            (c for c in self.cases.values() if c.approver and c.approver.id == approver_id),
            key=lambda c: (iso(c.created_at), c.case_id),
        )
        if after is not None:
            waiting = [c for c in waiting if (iso(c.created_at), c.case_id) > (after["createdAt"], after["caseId"])]
        return [_summary(c) for c in waiting[:limit]]

    def list(self, scope: str, key: str, *, filters: Filters, limit: int, cursor: dict[str, Any] | None) -> Page:
        def partition(case: Case) -> str | None:
            return {
                "mine": case.subject.id,
                "filed": case.applicant.id if case.filed_on_behalf else None,
                "team": case.manager_id,
                "payroll": case.queue,
            }[scope]

        matching = sorted(
            (c for c in self.cases.values() if partition(c) == key and filters.matches(_summary(c))),
            key=lambda c: c.created_at,
            reverse=True,
        )
        start = int(cursor["offset"]) if cursor else 0
        chunk = matching[start : start + limit]
        more = start + limit < len(matching)
        return Page([_summary(c) for c in chunk], {"offset": start + limit} if more else None)


def _summary(c: Case) -> CaseSummary:
    return CaseSummary(
        c.case_id,
        c.form_id,
        c.form_version,
        c.route,
        c.status,
        c.applicant,
        c.subject,
        c.created_at,
        c.updated_at,
        signed=c.pdf_key is not None,
        payroll=c.payroll,
    )


class FakeMailer:
    def __init__(self) -> None:
        self.sent: list[Email] = []

    def send(self, email: Email) -> None:
        self.sent.append(email)


class FakeEngine:
    """Records what the workflow was told; ``dead`` tokens behave like timed-out steps."""

    def __init__(self) -> None:
        self.completed: list[tuple[str, dict[str, Any]]] = []
        self.started: list[str] = []
        self.dead: set[str] = set()

    def start(self, case_id: str) -> None:
        self.started.append(case_id)

    def complete(self, task_token: str, output: dict[str, Any]) -> bool:
        if task_token in self.dead:
            return False
        self.completed.append((task_token, output))
        return True


class FixedClock:
    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 11, 23, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class FakeEventSink:
    """Collects published events; ``types`` lists them in order."""

    def __init__(self) -> None:
        self.published: list[CaseEvent] = []

    def publish(self, events: list[CaseEvent]) -> None:
        self.published.extend(events)

    @property
    def types(self) -> list[str]:
        return [e.type for e in self.published]


class FakeSigner:
    """The decision links' KMS key, as a local HMAC (tests only)."""

    def mac(self, message: bytes) -> bytes:
        return hmac.new(b"test-decision-link-key", message, hashlib.sha256).digest()


class FakeLedger:
    def __init__(self) -> None:
        self.keys: set[str] = set()

    def claim(self, key: str) -> bool:
        if key in self.keys:
            return False
        self.keys.add(key)
        return True

    def release(self, key: str) -> None:
        self.keys.discard(key)


class FakeDigestStore:
    """The payroll digests' slots in memory, with the adapter's rules: a sent slot takes no more cases."""

    def __init__(self) -> None:
        self.slots: dict[str, set[str]] = {}
        self.sent: set[str] = set()

    def add(self, slot: str, case_id: str) -> bool:
        if slot in self.sent:
            return False
        self.slots.setdefault(slot, set()).add(case_id)
        return True

    def pending(self, slots: list[str]) -> dict[str, list[str]]:
        return {s: sorted(self.slots[s]) for s in slots if s in self.slots and s not in self.sent}

    def claim(self, slot: str) -> bool:
        if slot in self.sent or slot not in self.slots:
            return False
        self.sent.add(slot)
        return True

    def release(self, slot: str) -> None:
        self.sent.discard(slot)
