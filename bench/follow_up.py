"""What a follow-up report costs, read from the aggregates: requests and items per ``GET /statistics``.

``python3 dev bench`` runs it. A benchmark, not a test: it prints a table. The statistics table (moto, from
template.yaml) is filled the way the consumer fills it, through the real store: a year of 100,000 cases'
contributions over 30 organisations served by 3 teams, 16 forms and 79 officers (bench/listings.py's
centre). Then one organisation's year, one month, and every organisation's year are read through the real
report, counting DynamoDB requests and items read. The goal (issue 28): O(months × rows) items, never a case.

(Named ``follow_up``, not ``statistics``: with ``bench/`` on the path that name would hide the standard
library's ``statistics`` from the other benchmarks.)
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
sys.path[:0] = [str(ROOT / "layers" / "shared"), str(ROOT / "layers" / "pdf"), str(ROOT)]

CASES = 100_000
ORGANISATIONS = 30
FORMS = [f"form-{n:02d}" for n in range(16)]
OFFICERS = [f"officer{n:02d}" for n in range(79)]


def _contributions(count: int) -> list[Any]:
    """Each case's facts as the consumer counts them: received, at payroll, feedback, closed, a registration."""
    from eforms.core.statistics.contributions import Contribution, Increment

    rng = random.Random(28)  # noqa: S311 - a reproducible centre, not a secret
    start = datetime(2026, 1, 1, 8, tzinfo=UTC)
    made = []
    for n in range(count):
        at = start + timedelta(minutes=n * 5)
        month = at.strftime("%Y-%m")
        organisation = f"org-{rng.randrange(ORGANISATIONS):02d}"
        form, officer = rng.choice(FORMS), rng.choice(OFFICERS)
        counters = {"received": 1, "at_payroll": 1, "feedback": 1, "feedback_in_time": int(rng.random() < 0.9)}
        counters |= {"closed": 1, "closed_at_payroll": 1, f"lead#{rng.randrange(8):02d}": 1}
        rows = [("all", counters), (f"form#{form}", counters), (f"officer#{officer}", {"handled": 1})]
        made.append(Contribution(f"case:{n}", tuple(Increment(organisation, month, d, dict(c)) for d, c in rows)))
    return made


def _fill(table: str, contributions: list[Any]) -> float:
    """The rows the consumer's increments add up to, written once each (the table as it stands after a year)."""
    import boto3

    from eforms.aws.statistics_store import row_key
    from eforms.core.statistics.contributions import Increment
    from eforms.core.statistics.report import accumulate

    dynamodb = boto3.client("dynamodb")
    rows = accumulate(contributions)
    items = [
        {"PutRequest": {"Item": {**row_key(Increment(o, m, d)), **{k: {"N": str(v)} for k, v in c.items()}}}}
        for (o, m, d), c in rows.items()
    ]
    began = time.perf_counter()
    for first in range(0, len(items), 25):
        dynamodb.batch_write_item(RequestItems={table: items[first : first + 25]})
    return time.perf_counter() - began


def main() -> int:
    import boto3
    from moto import mock_aws

    from bench.listings import _Counter, _moto_credentials
    from devstack.resources import provision
    from devstack.template import load
    from eforms.aws import clients
    from eforms.aws.statistics_store import DynamoStatisticsStore
    from eforms.core.statistics.reading import Period, report
    from tests.support.world import TEST_PARAMETERS

    _moto_credentials()
    with mock_aws():
        clients.reset()
        refs, _, _ = provision(load(), boto3.client, "bench", TEST_PARAMETERS)
        seconds = _fill(refs["StatisticsTable"], _contributions(CASES))
        store = DynamoStatisticsStore(refs["StatisticsTable"])
        counter = _Counter.on(clients.client("dynamodb"))
        print(
            f"{CASES:,} cases of 2026 counted into the aggregates (30 organisations, 16 forms, 79 officers; "
            f"rows written in {seconds:.0f} s). Goal: O(months x rows) items per report, never a case.\n"
        )
        print("| report | requests | items read | months | rows in it |")
        print("| --- | --- | --- | --- | --- |")
        reads = {
            "one organisation, one month": [("org-07", Period("2026-06", "2026-06"))],
            "one organisation, the year": [("org-07", Period("2026-01", "2026-12"))],
            "every organisation, the year": [
                (f"org-{n:02d}", Period("2026-01", "2026-12")) for n in range(ORGANISATIONS)
            ],
        }
        for label, wanted in reads.items():
            before = (counter.requests, counter.scanned)
            for organisation, period in wanted:
                found = report(store, organisation, period, form_id=None, officers=True)
            rows = len(found["forms"]) + len(found.get("officers", [])) + 1
            print(
                f"| {label} | {counter.requests - before[0]} | {counter.scanned - before[1]:,} | "
                f"{len(wanted[0][1].months)} | {rows} per organisation |"
            )
        _service_report(store, counter)
    return 0


def _service_report(store: Any, counter: Any) -> None:
    """One organisation's monthly service report as ServiceReportsFunction makes it: its reads, and the PDF's
    render time and size (reportlab's charts included), the median of five renders after a first."""
    from eforms.core.organisations.registry import Organisation
    from eforms.core.statistics.service_reports import ServiceReports
    from eforms_pdf.service_report import render

    organisation = Organisation(
        "org-07", {"sv": "Organisation 07"}, "se", ("sv",), {}, (), False, {}, None, (), "team-north", {},
        targets={"feedbackInTime": 0.95, "certificatesInTime": 0.95, "satisfied": 0.9},
    )  # fmt: skip
    reports: Any = ServiceReports(
        None, store, None, None, render, None, lambda: datetime.now(UTC), "", lambda form_id, _: form_id  # type: ignore[arg-type]
    )  # fmt: skip
    before = (counter.requests, counter.scanned)
    found = reports.figures(organisation, "2026-11", "sv")
    reads = (counter.requests - before[0], counter.scanned - before[1])
    times, pdf = [], b""
    for _ in range(6):
        began = time.perf_counter()
        pdf = render(found, organisation, "2026-11", "sv", datetime.now(UTC))
        times.append(time.perf_counter() - began)
    print(
        f"\nThe monthly service report of one organisation (November, with its twelve months): {reads[0]} requests, "
        f"{reads[1]:,} items read; the PDF renders in {sorted(times[1:])[2] * 1000:.0f} ms (first "
        f"{times[0] * 1000:.0f} ms) and is {len(pdf) / 1024:.1f} KiB."
    )


if __name__ == "__main__":
    sys.exit(main())
