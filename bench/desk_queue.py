"""How many DynamoDB requests one page of payroll's work queue costs, with 100,000 cases at payroll.

``python3 dev bench`` runs it (``--cases N`` for another size). A benchmark, not a test: it prints a table.

The table (moto, every resource from template.yaml) is filled the way the service writes cases: the real
``case_item`` of the DynamoDB adapter, so the sparse desk keys are what production writes. The mix is a
service centre's: most cases long finished, a tenth open, spread over 79 officers (Stockholm's payroll
team), 16 forms and 20,000 employees. Each filter of ``GET /desk/cases`` is then paged through the real
store, counting Query requests per page, items read and items returned, next to what the same filter costs
as a FilterExpression over the whole payroll partition (the ByQueue index: the design the desk replaced).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
sys.path[:0] = [str(ROOT / "layers" / "shared"), str(ROOT)]

OFFICERS = [f"officer{n:02d}" for n in range(79)]
FORMS = [f"form-{n:02d}" for n in range(16)]
OPEN_SHARE = 0.10
PAGE = 25


def _cases(count: int) -> list[Any]:
    from eforms.core.cases.model import Case, Person, Status
    from eforms.core.desk.service_levels import receive
    from eforms.core.forms.routes import LEGACY

    rng = random.Random(8)  # noqa: S311 - a reproducible queue, not a secret
    start = datetime(2026, 1, 1, 8, tzinfo=UTC)
    cases = []
    for n in range(count):
        created = start + timedelta(minutes=n * 4)
        employee = f"e{rng.randrange(20_000):05d}"
        payroll = receive(created, rng.choice((1, 1, 1, 5)))
        if rng.random() < OPEN_SHARE:
            status = rng.choices(
                (Status.AT_PAYROLL, Status.AWAITING_COMPLETION, Status.REGISTERED), weights=(80, 8, 12)
            )[0]
            if rng.random() < 0.7:
                officer = rng.choice(OFFICERS)
                payroll = dataclasses.replace(payroll, assignee=Person(officer, officer))
        else:
            status = rng.choices((Status.COMPLETED, Status.CLOSED, Status.WITHDRAWN), weights=(94, 4, 2))[0]
        cases.append(
            Case(
                case_id=f"01BENCH{n:019d}",
                form_id=rng.choice(FORMS),
                form_version=1,
                route=LEGACY["payroll"],
                status=status,
                applicant=Person(employee, employee),
                subject=Person(employee, employee),
                manager_id=None,
                queue="payroll",
                data={},
                language="sv",
                created_at=created,
                updated_at=created,
                expires_at=created + timedelta(days=3650),
                payroll=payroll,
            )
        )
    return cases


def _load(table: str, cases: list[Any]) -> float:
    import boto3

    from eforms.aws.dynamo_cases import case_item

    dynamodb = boto3.client("dynamodb")
    began = time.perf_counter()
    for first in range(0, len(cases), 25):
        batch = [{"PutRequest": {"Item": case_item(c)}} for c in cases[first : first + 25]]
        dynamodb.batch_write_item(RequestItems={table: batch})
    return time.perf_counter() - began


class _Counter:
    """Counts Query requests and the items DynamoDB read for them (ScannedCount), at the botocore layer."""

    def __init__(self) -> None:
        self.requests = 0
        self.scanned = 0

    def after_call(self, http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name == "Query":
            self.requests += 1
            self.scanned += int(parsed.get("ScannedCount", 0))


def _walk(page_of: Any, counter: _Counter, *, max_pages: int = 5) -> dict[str, float]:
    """Page through a listing (its first ``max_pages`` pages: moto reads a whole index per Query, so more
    pages would time moto, not DynamoDB); per page: requests, items read, items returned."""
    requests, scanned, returned = [], [], []
    cursor = None
    for _ in range(max_pages):
        before = (counter.requests, counter.scanned)
        page = page_of(cursor)
        requests.append(counter.requests - before[0])
        scanned.append(counter.scanned - before[1])
        returned.append(len(page.items))
        cursor = page.cursor
        if cursor is None:
            break
    full = [r for r, more in zip(returned, [*([True] * (len(returned) - 1)), False], strict=True) if more]
    return {
        "pages": len(requests),
        "requests": statistics.mean(requests),
        "max_requests": max(requests),
        "read": statistics.mean(scanned),
        "returned": statistics.mean(returned),
        "short_pages": sum(1 for r in full if r < PAGE),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()

    import boto3
    from moto import mock_aws

    from devstack.resources import provision
    from devstack.template import load
    from eforms.aws import clients
    from eforms.aws.dynamo_cases import DynamoCaseStore
    from eforms.core.cases.model import DeskQuery, Filters, Status
    from tests.support.world import TEST_PARAMETERS

    for name, value in {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "eu-north-1",
    }.items():
        os.environ[name] = value
    with mock_aws():
        clients.reset()
        refs, _, _ = provision(load(), boto3.client, "bench", TEST_PARAMETERS)
        cases = _cases(args.cases)
        seconds = _load(refs["CasesTable"], cases)
        store = DynamoCaseStore(refs["CasesTable"])
        counter = _Counter()
        clients.client("dynamodb").meta.events.register("after-call.dynamodb.Query", counter.after_call)
        open_cases = [c for c in cases if c.status.value in ("at_payroll", "awaiting_completion", "registered")]
        officer = max(
            OFFICERS, key=lambda o: sum(1 for c in open_cases if c.payroll.assignee and c.payroll.assignee.id == o)
        )
        employee = cases[len(cases) // 2].subject.id
        print(f"{args.cases:,} cases at payroll ({len(open_cases):,} open), loaded into moto in {seconds:.0f} s\n")
        print("| filter | served by | pages | Query requests per page (max) | items read per page | items per page |")
        print("| --- | --- | --- | --- | --- | --- |")
        rows = {
            "none (every open case)": ("ByDesk key", DeskQuery(limit=PAGE)),
            "status=awaiting_completion": (
                "ByDeskStatus key",
                DeskQuery(status=Status.AWAITING_COMPLETION, limit=PAGE),
            ),
            "status=completed": ("ByDeskStatus key", DeskQuery(status=Status.COMPLETED, limit=PAGE)),
            "formId=form-03": ("ByDeskForm key", DeskQuery(form_id="form-03", limit=PAGE)),
            "assignee=me": ("ByAssignee key", DeskQuery(assignee_id=officer, limit=PAGE)),
            "employee=…": ("BySubject key + queue filter", DeskQuery(subject_id=employee, limit=PAGE)),
            "status=awaiting_completion & formId=form-03": (
                "ByDeskStatus key + form filter",
                DeskQuery(status=Status.AWAITING_COMPLETION, form_id="form-03", limit=PAGE),
            ),
        }
        for label, (served, query) in rows.items():
            figures = _walk(lambda cursor, q=query: store.desk_queue(dataclasses.replace(q, cursor=cursor)), counter)
            requests = f"{figures['requests']:.1f} ({figures['max_requests']})"
            print(
                f"| {label} | {served} | {figures['pages']:.0f} | {requests} "
                f"| {figures['read']:.0f} | {figures['returned']:.1f} |"
            )
        print("\nThe same filters as a FilterExpression over the whole payroll partition (ByQueue), for comparison:\n")
        print("| filter | pages | Query requests per page (max) | items read per page | items per page | short pages |")
        print("| --- | --- | --- | --- | --- | --- |")
        for label, filters in {
            "status=awaiting_completion": Filters(status="awaiting_completion"),
            "formId=form-03": Filters(form_id="form-03"),
        }.items():
            figures = _walk(
                lambda cursor, f=filters: store.list("payroll", "payroll", filters=f, limit=PAGE, cursor=cursor),
                counter,
            )
            print(
                f"| {label} | {figures['pages']:.0f}+ | {figures['requests']:.1f} ({figures['max_requests']}) "
                f"| {figures['read']:.0f} | {figures['returned']:.1f} | {figures['short_pages']:.0f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
