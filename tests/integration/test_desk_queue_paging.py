"""The desk queue's pages against DynamoDB (moto): soonest due first, every page full, every case once —
also when a second filter thins the partition the first one chose."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from eforms.aws.case_items import case_item
from eforms.aws.case_store import DynamoCaseStore
from eforms.core.cases.model import DeskQuery, Person, Status
from eforms.core.common.errors import BadRequest
from eforms.core.desk.service_levels import receive
from tests.support.cases import RECEIVED, case_at_payroll
from tests.support.world import World

STATUSES = [Status.AT_PAYROLL, Status.AWAITING_COMPLETION, Status.REGISTERED, Status.COMPLETED]
FORMS = ["payroll-support", "certificate-request", "leave-application"]


def _fill(world: World, count: int = 120) -> list[dict[str, str]]:
    table = world.refs["CasesTable"]
    written = []
    for n in range(count):
        received = RECEIVED + timedelta(hours=n * 7)
        case = case_at_payroll(
            f"01JPAGE{n:019d}",
            status=STATUSES[n % 4],
            form_id=FORMS[n % 3],
            subject=Person(f"e{n % 10}", "E"),
            payroll=dataclasses.replace(receive(received, 1), assignee=Person("pia", "Pia") if n % 5 == 0 else None),
        )
        world.client("dynamodb").put_item(TableName=table, Item=case_item(case))
        written.append(
            {
                "id": case.case_id,
                "status": case.status.value,
                "form": case.form_id,
                "due": str(case.payroll.due_date) if case.payroll else "",
            }
        )
    return written


def _walk(store: DynamoCaseStore, query: DeskQuery) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        page = store.desk_queue(dataclasses.replace(query, cursor=cursor))
        pages.append([s.case_id for s in page.items])
        cursor = page.cursor
        if cursor is None:
            return pages


@pytest.mark.parametrize(
    "query",
    [
        DeskQuery(limit=7),
        DeskQuery(status=Status.AWAITING_COMPLETION, limit=4),
        DeskQuery(form_id="certificate-request", limit=5),
        DeskQuery(assignee_id="pia", limit=3),
        DeskQuery(status=Status.AT_PAYROLL, form_id="payroll-support", limit=3),  # key + filter
        DeskQuery(assignee_id="pia", status=Status.AT_PAYROLL, limit=2),
    ],
    ids=["open", "status", "form", "assignee", "status-and-form", "assignee-and-status"],
)
def test_every_page_is_full_and_every_case_comes_once_soonest_due_first(world: World, query: DeskQuery) -> None:
    cases = _fill(world)
    store = DynamoCaseStore(world.refs["CasesTable"])
    pages = _walk(store, query)
    open_statuses = {"at_payroll", "awaiting_completion", "registered"}
    expected = [
        c
        for n, c in enumerate(cases)
        if (c["status"] == query.status.value if query.status else c["status"] in open_statuses)
        and (query.form_id is None or c["form"] == query.form_id)
        and (query.assignee_id is None or n % 5 == 0)
    ]
    assert [len(p) for p in pages[:-1]] == [query.limit] * (len(pages) - 1)  # complete pages
    seen = [case_id for page in pages for case_id in page]
    assert sorted(seen) == sorted(c["id"] for c in expected)  # each once, none missing
    due = {c["id"]: c["due"] for c in cases}
    assert [due[i] for i in seen] == sorted(due[i] for i in seen)


def test_a_page_token_from_another_partition_is_refused(world: World) -> None:
    _fill(world, 10)
    store = DynamoCaseStore(world.refs["CasesTable"])
    page = store.desk_queue(DeskQuery(assignee_id="pia", limit=1))
    assert page.cursor is not None
    with pytest.raises(BadRequest):
        store.desk_queue(DeskQuery(assignee_id="per", limit=1, cursor=page.cursor))
