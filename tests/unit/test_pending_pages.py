"""The approvals list, paged over two partitions (mine and my team's): every case once, oldest first."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from eforms.core.approval.pending import pending_approvals
from eforms.core.cases.model import Case, Person, Status
from eforms.core.common.errors import BadRequest
from eforms.core.forms.routes import TEAM_PREFIX
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Employee
from tests.support.cases import case_at_payroll
from tests.support.fakes import FakeCaseStore, FakeDirectory

TODAY = date(2026, 11, 23)
START = datetime(2026, 11, 1, tzinfo=UTC)
DIRECTORY = FakeDirectory(Employee("ida", "Ida", "i@example.se", team="specialist-support"))
IDA = Caller("ida", "Ida", "i@example.se", frozenset({"employee"}))


def _waiting(number: int, approver: str) -> Case:
    at = START + timedelta(minutes=number)
    return case_at_payroll(
        f"01K{number:023d}",
        form_id="access-request",
        status=Status.AWAITING_APPROVAL,
        queue=None,
        payroll=None,
        created_at=at,
        updated_at=at,
        approver=Person(approver, approver),
    )


def _store(own: list[int], team: list[int]) -> FakeCaseStore:
    store = FakeCaseStore()
    for number in own:
        case = _waiting(number, "ida")
        store.cases[case.case_id] = case
    for number in team:
        case = _waiting(number, f"{TEAM_PREFIX}specialist-support")
        store.cases[case.case_id] = case
    return store


def _all_pages(store: FakeCaseStore, limit: int) -> tuple[list[str], int]:
    seen: list[str] = []
    cursor: dict[str, Any] | None = None
    pages = 0
    while True:
        page = pending_approvals(IDA, store=store, directory=DIRECTORY, today=TODAY, limit=limit, cursor=cursor)
        pages += 1
        seen += [s.case_id for s in page.items]
        assert len(page.items) == limit or page.cursor is None  # every page but the last is full
        if page.cursor is None:
            return seen, pages
        cursor = page.cursor


@pytest.mark.parametrize("limit", [1, 3, 7, 25])
def test_every_pending_case_once_oldest_first_across_both_partitions(limit: int) -> None:
    own, team = list(range(0, 40, 3)), [n for n in range(40) if n % 3]
    store = _store(own, team)
    seen, pages = _all_pages(store, limit)
    assert seen == [f"01K{n:023d}" for n in sorted(own + team)]
    assert pages == max(1, -(-len(seen) // limit))


def test_each_page_reads_each_partition_once_at_most() -> None:
    store = _store(list(range(0, 60, 2)), list(range(1, 60, 2)))
    reads: list[str] = []
    original = store.pending_for

    def counted(approver_id: str, **kwargs: Any) -> Any:
        reads.append(approver_id)
        return original(approver_id, **kwargs)

    store.pending_for = counted  # type: ignore[method-assign]
    page = pending_approvals(IDA, store=store, directory=DIRECTORY, today=TODAY, limit=10)
    assert sorted(reads) == ["ida", f"{TEAM_PREFIX}specialist-support"]
    reads.clear()
    pending_approvals(IDA, store=store, directory=DIRECTORY, today=TODAY, limit=10, cursor=page.cursor)
    assert len(reads) == 2


def test_an_exhausted_partition_is_not_read_again() -> None:
    store = _store([1], list(range(2, 30)))
    first = pending_approvals(IDA, store=store, directory=DIRECTORY, today=TODAY, limit=5)
    assert first.cursor is not None
    assert first.cursor["own"] == "end"


def test_nothing_pending_is_one_empty_page() -> None:
    page = pending_approvals(IDA, store=_store([], []), directory=DIRECTORY, today=TODAY, limit=25)
    assert (page.items, page.cursor) == ([], None)


@pytest.mark.parametrize(
    "cursor",
    [
        {"someone-else": "end"},
        {"own": {"createdAt": "2026-11-01T00:00:00.000000Z"}},
        {"own": {"createdAt": "yesterday", "caseId": "01K0000000000000000000000001"}},
        {"own": {"createdAt": "2026-11-01T00:00:00.000000Z", "caseId": "../../etc"}},
        {"own": "start"},
    ],
)
def test_a_cursor_that_is_not_a_position_in_my_own_lists_is_refused(cursor: dict[str, Any]) -> None:
    with pytest.raises(BadRequest):
        pending_approvals(IDA, store=_store([1], [2]), directory=DIRECTORY, today=TODAY, limit=5, cursor=cursor)


def test_without_a_team_only_my_own_partition_is_read() -> None:
    directory = FakeDirectory(dataclasses.replace(DIRECTORY.rows["ida"], team=None))
    page = pending_approvals(IDA, store=_store([1, 2], [3]), directory=directory, today=TODAY, limit=5)
    assert [s.case_id for s in page.items] == ["01K00000000000000000000001", "01K00000000000000000000002"]
