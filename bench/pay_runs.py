"""What cutting one organisation's pay-run file costs: requests, items, bytes (docs/records.md §5).

``python3 dev bench`` runs it (``--cases N`` for another size). A benchmark, not a test: it prints a table.

The cases table (moto, from template.yaml) holds what tens of thousands of approved registrations leave
pending for one organisation in one month (DOMAIN.md: "tens of thousands of cases a month for one
customer"): a mix of leaves (one time transaction), overtime reports (two to five rows) and fees (one pay
transaction), written through the real adapter. Then the real ``cut`` runs through the real store and S3:
every DynamoDB and S3 request is counted by operation, and the file's size per transaction printed. moto's
seconds are printed for the record but are moto's, not DynamoDB's: the request counts are what deploys.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
sys.path[:0] = [str(ROOT / "layers" / "shared"), str(ROOT)]

CASES = 20_000
ORGANISATION = "lonecentrum"
PERIOD = "2026-12"


def _pending(count: int) -> list[Any]:
    from eforms.core.payroll.pay_runs import Pending

    rng = random.Random(30)  # noqa: S311 - a reproducible month, not a secret
    made = []
    for n in range(count):
        kind = rng.random()
        if kind < 0.6:
            days = rng.randrange(1, 20)
            transactions: tuple[dict[str, Any], ...] = (
                {"item": "leave.vacation", "kind": "time", "code": "SEM", "from": "2026-12-01",
                 "to": f"2026-12-{days:02d}", "extent": rng.choice((100, 50, 75))},
            )  # fmt: skip
        elif kind < 0.9:
            transactions = tuple(
                {"item": "overtime.paid", "kind": "time", "code": "ÖT1", "date": f"2026-12-{d + 1:02d}",
                 "hours": rng.choice((1.5, 2, 2.25, 3.5))}
                for d in range(rng.randrange(2, 6))
            )  # fmt: skip
        else:
            transactions = (
                {"item": "fee", "kind": "pay", "code": "310", "date": "2026-12-10", "quantity": 1,
                 "amount": rng.randrange(1000, 9000)},
            )  # fmt: skip
        made.append(Pending(ORGANISATION, PERIOD, f"case{n:06d}", f"LC-2026-{n:06d}", f"E{n:05d}", transactions))
    return made


class _Requests:
    """Every AWS request the cut makes, by service and operation, at the botocore layer."""

    def __init__(self) -> None:
        self.by: Counter[str] = Counter()
        self.items: Counter[str] = Counter()

    def on(self, client: Any) -> None:
        client.meta.events.register("after-call.*.*", self.after_call)

    def after_call(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        self.by[model.name] += 1
        if model.name == "Query":
            self.items["Query"] += int(parsed.get("ScannedCount", 0))


def _fill(table: str, pending: list[Any]) -> None:
    """The pending items as the approvals write them (the adapter's own item), 25 to a batch write."""
    import boto3

    from eforms.aws.pay_run_store import WAITING, pay_run_pk, pending_writes

    dynamodb = boto3.client("dynamodb")
    for first in range(0, len(pending), 25):
        items = [pending_writes(table, p)[0]["Put"]["Item"] for p in pending[first : first + 25]]
        dynamodb.batch_write_item(RequestItems={table: [{"PutRequest": {"Item": item}} for item in items]})
    count = {"pk": {"S": pay_run_pk(ORGANISATION)}, "sk": {"S": WAITING}, PERIOD: {"N": str(len(pending))}}
    dynamodb.put_item(TableName=table, Item=count)  # what the approvals' transactions counted


def _measure(refs: dict[str, str], count: int) -> dict[str, Any]:
    """Open the batch, then count what is waiting and cut it, each through the real store and S3."""
    from eforms.aws import clients
    from eforms.aws.pay_run_store import DynamoPayRunStore
    from eforms.aws.record_store import LockedPayRunFiles
    from eforms.core.cases.model import Person
    from eforms.core.organisations.registry import Registry
    from eforms.core.payroll.paxml import pay_run_file
    from eforms.core.payroll.pay_runs import CUTTING, Batch, cut

    registry = Registry.read(ROOT / "organisations")
    assert registry is not None
    organisation = registry.organisations[ORGANISATION]
    _fill(refs["CasesTable"], _pending(count))
    store = DynamoPayRunStore(refs["CasesTable"])
    now = datetime(2026, 12, 20, 9, tzinfo=UTC)
    store.open(Batch(ORGANISATION, PERIOD, CUTTING, Person("pia", "Pia Nilsson"), now))
    counted = _Requests()
    counted.on(clients.client("dynamodb"))
    counted.on(clients.client("s3"))
    began = time.perf_counter()
    waiting = store.waiting(ORGANISATION)
    found: dict[str, Any] = {"waiting": waiting, "waiting_s": time.perf_counter() - began}
    found["waiting_requests"] = sum(counted.by.values())
    counted.by.clear()
    began = time.perf_counter()
    batch = cut(store, LockedPayRunFiles(refs["RecordsBucket"]), organisation, PERIOD, lambda: now)
    found["cut_s"] = time.perf_counter() - began
    assert batch is not None
    assert batch.file is not None
    found["facts"], found["requests"] = batch.file, dict(counted.by)
    lines = [line.line() for line in store.lines(ORGANISATION, PERIOD)]
    assert batch.header is not None
    began = time.perf_counter()
    pay_run_file(batch.header, lines)
    found["render_s"] = time.perf_counter() - began
    return found


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/pay_runs.py")
    parser.add_argument("--cases", type=int, default=CASES)
    args = parser.parse_args()

    import boto3
    from moto import mock_aws

    from bench.listings import _moto_credentials
    from devstack.moto_atomic import make_dynamodb_atomic
    from devstack.resources import provision
    from devstack.template import load
    from eforms.aws import clients
    from tests.support.world import TEST_PARAMETERS

    _moto_credentials()
    make_dynamodb_atomic()
    with mock_aws():
        clients.reset()
        refs, _, _ = provision(load(), boto3.client, "bench", TEST_PARAMETERS)
        found = _measure(refs, args.cases)
    facts, requests = found["facts"], found["requests"]
    claims = requests.get("TransactWriteItems", 0)
    print(
        f"One organisation's month: {facts.cases:,} cases with {facts.transactions:,} confirmed transactions "
        f"pending (60 % leaves, 30 % overtime reports of 2-5 rows, 10 % fees), cut into one PAXml file.\n"
    )
    print("| figure | value |")
    print("| --- | --- |")
    print(f"| what waits (`GET /pay-runs`) | {found['waiting'].cases:,} cases, "
          f"{found['waiting_requests']} request (the organisation's count, kept with the items) |")  # fmt: skip
    print(f"| claims | {claims:,} TransactWriteItems ({facts.cases / max(claims, 1):.0f} cases each) |")
    print(f"| reads | {requests.get('Query', 0)} Query, {requests.get('GetItem', 0)} GetItem |")
    print(f"| state changes | {requests.get('UpdateItem', 0)} UpdateItem (sealed, ready) |")
    print(f"| file kept | {requests.get('PutObject', 0)} PutObject (write-once, locked), {facts.size / 1024:,.0f} KiB "
          f"({facts.size / facts.transactions:.0f} bytes a transaction) |")  # fmt: skip
    print(f"| writing the file (ElementTree, this machine) | {found['render_s']:.2f} s |")
    print(f"| the whole cut, in moto (moto's time, not DynamoDB's) | {found['cut_s']:.1f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
