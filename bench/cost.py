"""What 1,000 cases cost on AWS: ``python3 dev cost`` (docs/cost.md explains the result).

Nothing here is guessed that can be counted. Each kind of case is walked once to warm up and once to
measure, through the real handlers, the real state machine (moto's interpreter) and the real notifier:

- every handler invocation and its duration (time inside the handler, less the Step Functions calls it
  makes, since moto runs the next workflow step inside that call while AWS returns at once), billed at
  the MemorySize template.yaml gives that function;
- every state transition, from the executions' own history;
- every AWS API call the handlers make (DynamoDB with the size of what it reads and writes, S3, SES,
  EventBridge, SQS), and every HTTP API request the people in the walk make.

Those counts are weighted by a case mix and priced with the dated price list below. What is not counted
(cold starts, SQS polling, fixed monthly items) is listed as an assumption, with its own figure.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "layers" / "shared"), str(ROOT / "layers" / "pdf"), str(ROOT)]

#: AWS list prices, USD, US East (N. Virginia), from the public pricing pages as last read for this
#: project (aws.amazon.com/<service>/pricing). Stockholm (eu-north-1) lists the same or up to ~10 % more
#: for these items. Check them before budgeting: prices change, and free tiers are left out on purpose.
PRICE_LIST_DATE = "2025-06"
PRICES = {
    "lambda_request": 0.20 / 1e6,
    "lambda_gb_second_arm": 0.0000133334,
    "http_api_request": 1.00 / 1e6,
    "sfn_standard_transition": 0.025 / 1000,
    "dynamodb_write_request_unit": 0.625 / 1e6,  # on demand
    "dynamodb_read_request_unit": 0.125 / 1e6,
    "ses_email": 0.10 / 1000,
    "eventbridge_custom_event": 1.00 / 1e6,  # per 64 KB chunk
    "sqs_request": 0.40 / 1e6,  # per 64 KB chunk
    "s3_put": 0.005 / 1000,
    "s3_get": 0.0004 / 1000,
    "s3_gb_month": 0.023,
    "kms_request": 0.03 / 10_000,
    "logs_ingested_gb": 0.50,
    "xray_trace": 5.00 / 1e6,  # recorded
    # SES beyond pay-as-you-go on the shared IPs (docs/operations.md, "SES plan"): not assumed, shown beside.
    "ses_vdm_email": 0.07 / 1000,  # Virtual Deliverability Manager, per email sent
    "ses_dedicated_ip_month": 24.95,  # one standard dedicated IP
    "kms_key_month": 1.00,
    "alarm_metric_month": 0.10,  # a metric-math alarm pays for each metric it reads
    "dashboard_month": 3.00,
}
#: The kinds of case walked, and their share of a month (DOMAIN.md: leave dominates; certificates and
#: support cases skip the manager).
MIX = {
    "leave, approved": 0.55,
    "leave, returned once, then approved": 0.10,
    "leave, rejected": 0.05,
    "certificate (straight to payroll)": 0.20,
    "payroll support (straight to payroll)": 0.10,
}
#: Not measurable locally. Since August 2025 Lambda bills the init phase of on-demand functions.
COLD_START_SHARE = 0.05  # one invocation in 20 starts a container (bursty traffic, several functions)
INIT_MS = {"RenderPdfFunction": 900.0}  # docs/performance.md: the PDF layer's import, fonts loaded lazily
INIT_MS_DEFAULT = 300.0  # API functions' cold import on a 512 MB arm64 container, rounded up
LOG_BYTES_PER_INVOCATION = 1_500  # START/END/REPORT lines plus one or two JSON log lines
PDF_DOWNLOADS_PER_APPROVED_CASE = 2  # the employee once, payroll or an administrator once
#: Applicants who tick "email me a receipt" (the web client leaves it off: the case is on their screen).
RECEIPT_SHARE = 0.2
#: The payroll mailbox hears of new cases in a digest at 07:00 and 12:00 on working days, not per case
#: (core/notify/digest.py): about 42 emails a month shared by the month's cases (DOMAIN.md: tens of
#: thousands; 20,000 here). The walks do not run the scheduler, so this is added, as the receipts are.
DIGESTS_PER_CASE = 2 * 21 / 20_000


@dataclass
class Walk:
    """What one case of one kind used."""

    durations: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    calls: Counter[str] = field(default_factory=Counter)
    read_units: float = 0.0
    write_units: float = 0.0
    transitions: int = 0
    http_requests: int = 0
    event_chunks: int = 0
    pdf_bytes: int = 0

    @property
    def invocations(self) -> int:
        return sum(len(samples) for samples in self.durations.values())

    @property
    def handler_ms(self) -> float:
        return sum(sum(samples) for samples in self.durations.values())


_local = threading.local()
_current: list[Walk] = []


def _units(payload: Any, unit_bytes: int) -> float:
    """DynamoDB request units for an item (or items) of this serialised size, at least one."""
    return max(1.0, math.ceil(len(json.dumps(payload, default=str)) / unit_bytes))


def _dynamodb_units(operation: str, params: dict[str, Any], response: dict[str, Any]) -> tuple[float, float]:
    """(read units, write units) of one DynamoDB call: 4 KB per read unit (strongly consistent; the code
    reads consistently where it matters), 1 KB per write unit, transactions twice."""
    if operation in {"GetItem"}:
        return _units(response.get("Item", {}), 4096), 0.0
    if operation in {"Query", "Scan"}:
        return _units(response.get("Items", []), 4096), 0.0
    if operation == "BatchGetItem":
        return sum(_units(items, 4096) for items in response.get("Responses", {}).values()), 0.0
    if operation in {"PutItem", "DeleteItem"}:
        return 0.0, _units(params.get("Item", params.get("Key")), 1024)
    if operation == "UpdateItem":
        return 0.0, _units(response.get("Attributes") or params, 1024)
    if operation == "TransactWriteItems":
        return 0.0, sum(2 * _units(next(iter(item.values())), 1024) for item in params["TransactItems"])
    if operation == "BatchWriteItem":
        return 0.0, sum(_units(r, 1024) for rs in params["RequestItems"].values() for r in rs)
    return 0.0, 0.0


@contextmanager
def instrumented(monkeypatch: Any) -> Iterator[None]:
    """Count handler time and the AWS calls made from inside handlers (not the walk's own calls).

    The patches live in ``monkeypatch`` (a pytest.MonkeyPatch), undone with it."""
    import botocore.client

    from devstack import lambdas, queues, streams

    original_invoke = lambdas.invoke
    original_call = botocore.client.BaseClient._make_api_call

    def invoke(spec: Any, event: dict[str, Any]) -> Any:
        depth = getattr(_local, "depth", 0)
        _local.depth = depth + 1
        excluded = getattr(_local, "excluded", 0.0)
        _local.excluded = 0.0
        start = time.perf_counter()
        try:
            return original_invoke(spec, event)
        finally:
            elapsed = (time.perf_counter() - start) * 1000 - _local.excluded
            _local.depth, _local.excluded = depth, excluded
            if _current:
                _current[-1].durations[spec.logical_id].append(max(elapsed, 1.0))

    def make_api_call(client: Any, operation: str, params: dict[str, Any]) -> Any:
        service = client.meta.service_model.service_name
        body = params.get("Body")  # read before the call: botocore swaps bytes for a file object
        body_bytes = len(body) if isinstance(body, bytes | bytearray) else 0
        start = time.perf_counter()
        response = original_call(client, operation, params)
        if getattr(_local, "depth", 0) and _current:
            walk = _current[-1]
            walk.calls[f"{service}:{operation}"] += 1
            if service == "dynamodb":
                reads, writes = _dynamodb_units(operation, params, response)
                walk.read_units += reads
                walk.write_units += writes
            elif service == "events" and operation == "PutEvents":
                walk.event_chunks += sum(math.ceil(len(json.dumps(e)) / 65536) for e in params["Entries"])
            elif service == "s3" and operation == "PutObject":
                walk.pdf_bytes += body_bytes
            elif service == "stepfunctions":
                _local.excluded = getattr(_local, "excluded", 0.0) + (time.perf_counter() - start) * 1000
        return response

    monkeypatch.setattr(lambdas, "invoke", invoke)
    monkeypatch.setattr(queues, "invoke", invoke)  # it imported the name itself
    monkeypatch.setattr(streams, "invoke", invoke)  # the outbox relay: it puts every event on the bus
    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", make_api_call)
    yield


def _settle(world: Any, case_id: str, statuses: set[str]) -> None:
    """Run everything due (the workflow, the stream, the notifier), then check the case reached one of
    ``statuses``, reading the table directly so the check itself costs no API request."""
    from eforms.aws.case_store import DynamoCaseStore

    world.settle()
    case = DynamoCaseStore(world.refs["CasesTable"]).get(case_id)
    if case is None or case.status not in statuses:
        raise RuntimeError(f"case {case_id} did not reach {statuses}")


def _walk(world: Any, kind: str) -> str:
    """One case of ``kind``, with the reads people really make along the way."""
    from tests.support.flows import emails_for, link_path, post_page
    from tests.support.samples import CERTIFICATE, LEAVE, SUPPORT

    api = world.api
    form, data = {
        "certificate (straight to payroll)": ("certificate-request", CERTIFICATE),
        "payroll support (straight to payroll)": ("payroll-support", SUPPORT),
    }.get(kind, ("leave-application", LEAVE))
    case_id: str = api.submit(data, form=form, receipt=False).json()["caseId"]  # the default; see RECEIPT_SHARE
    api.call("GET", "/cases", query="scope=mine")  # the employee's list, then the case itself
    api.call("GET", f"/cases/{case_id}")
    if form == "leave-application":
        _settle(world, case_id, {"awaiting_approval"})
        link = link_path(emails_for(case_id, "approval-initial")[-1])
        api.call("GET", link, as_=None)  # the manager opens the emailed link, then decides
        if kind.startswith("leave, returned"):
            post_page(api, link, decision="return", fields="/period", message="Krockar med jouren.", lang="sv")
            _settle(world, case_id, {"returned"})
            version = api.call("GET", f"/cases/{case_id}").json()["version"]
            new_dates = {**LEAVE, "period": {"from": "2027-01-11", "to": "2027-01-15"}}
            api.call("POST", f"/cases/{case_id}/resubmission", json_body={"data": new_dates, "version": version})
            _settle(world, case_id, {"awaiting_approval"})
            link = link_path(emails_for(case_id, "approval-initial", count=2)[-1])
            api.call("GET", link, as_=None)
        if kind == "leave, rejected":
            post_page(api, link, decision="reject", message="Bemanningen räcker inte.", lang="sv")
            _settle(world, case_id, {"rejected"})
            api.call("GET", f"/cases/{case_id}")
            return case_id
        post_page(api, link, decision="approve", message="", lang="sv")
    _settle(world, case_id, {"at_payroll"})
    api.call("GET", f"/cases/{case_id}")
    api.call("GET", f"/cases/{case_id}/pdf")  # the presigned link; the download itself is an S3 GET
    _desk(world, case_id, form)
    return case_id


PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def _desk(world: Any, case_id: str, form: str) -> None:
    """Payroll works the case to its end, as docs/desk.md describes: the queue, the case, a claim; a
    question and its answer on support cases; a certificate uploaded and downloaded; otherwise a
    registration and a second officer's check."""
    api = world.api

    def case(persona: str = "pia") -> dict[str, Any]:
        found: dict[str, Any] = api.call("GET", f"/cases/{case_id}", as_=persona).json()
        return found

    def thread(persona: str) -> None:  # opening the case page reads the thread and marks it read
        api.call("GET", f"/cases/{case_id}/messages", as_=persona)
        api.call("POST", f"/cases/{case_id}/messages/read", as_=persona, json_body={})

    api.call("GET", "/desk/cases", as_="pia")
    current = case()
    thread("pia")
    api.call("POST", f"/cases/{case_id}/claim", as_="pia", json_body={"version": current["version"]})
    if form == "certificate-request":
        version = case()["version"]
        api.call(
            "PUT",
            f"/cases/{case_id}/certificate",
            as_="pia",
            body=PDF,
            headers={"content-type": "application/pdf"},
            query=f"version={version}",
        )
        case("anna")
        api.call("GET", f"/cases/{case_id}/certificate")
        _settle(world, case_id, {"completed"})
        return
    if form == "payroll-support":
        api.call("POST", f"/cases/{case_id}/messages", as_="pia", json_body={"text": "Vilken månad gäller det?"})
        case("anna")
        thread("anna")
        api.call("POST", f"/cases/{case_id}/messages", as_="anna", json_body={"text": "November."})
        case()
        thread("pia")
    version = case()["version"]
    registration = {"version": version, "reference": "HR-2026-0815", "payPeriod": "2026-12"}
    api.call("POST", f"/cases/{case_id}/registration", as_="pia", json_body=registration)
    api.call("GET", "/desk/cases", as_="per")
    version = case("per")["version"]
    api.call(
        "POST", f"/cases/{case_id}/registration/check", as_="per", json_body={"version": version, "outcome": "approve"}
    )
    case("anna")
    _settle(world, case_id, {"completed"})


def _transitions(world: Any) -> dict[str, int]:
    """State transitions of every execution, from its history (each state entered is one transition)."""
    sfn = world.client("stepfunctions")
    counts: dict[str, int] = {}
    for execution in sfn.list_executions(stateMachineArn=world.refs["ApprovalStateMachine"])["executions"]:
        events = sfn.get_execution_history(executionArn=execution["executionArn"], maxResults=1000)["events"]
        counts[execution["name"]] = sum(1 for e in events if e["type"].endswith("StateEntered"))
    return counts


def measure() -> dict[str, Walk]:
    import pytest

    from tests.support.world import aws_world

    walks: dict[str, Walk] = {}
    monkeypatch = pytest.MonkeyPatch()
    try:
        with aws_world(monkeypatch) as world, instrumented(monkeypatch):
            from eforms.observability import logger

            logger.setLevel("WARNING")
            monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
            for kind in MIX:
                _current.append(Walk())
                _walk(world, kind)  # warm-up: imports, first font load, moto's first table copies
                _current[-1] = walk = Walk()
                before = len(world.api.calls)
                case_id = _walk(world, kind)
                walk.http_requests = len(world.api.calls) - before
                walk.transitions = sum(n for name, n in _transitions(world).items() if case_id in name)
                walks[kind] = walk
                _current.clear()
    finally:
        monkeypatch.undo()
    return walks


def _memory_mb() -> dict[str, int]:
    from devstack.template import load

    template = load()
    default = int(template.document["Globals"]["Function"]["MemorySize"])
    return {
        logical_id: int(resource["Properties"].get("MemorySize", default))
        for logical_id, resource in template.of_type("AWS::Serverless::Function").items()
    }


def monthly() -> dict[str, float]:
    """Fixed per month, whatever the volume, counted from template.yaml."""
    from devstack.template import load

    template = load()
    alarm_metrics = sum(
        sum(1 for m in alarm["Properties"].get("Metrics", []) if "MetricStat" in m) or 1
        for alarm in template.of_type("AWS::CloudWatch::Alarm").values()
    )
    keys = len(template.of_type("AWS::KMS::Key"))
    dashboards = len(template.of_type("AWS::CloudWatch::Dashboard"))
    return {
        f"KMS keys ({keys})": keys * PRICES["kms_key_month"],
        f"CloudWatch alarms ({alarm_metrics} metrics)": alarm_metrics * PRICES["alarm_metric_month"],
        f"CloudWatch dashboards ({dashboards})": dashboards * PRICES["dashboard_month"],
        # The notifier's event source mapping long-polls with a handful of pollers around the clock.
        "SQS polling (~5 pollers, 20 s long polls)": 5 * 3 * 60 * 24 * 30 * PRICES["sqs_request"],
        # The service-level check: every 15 minutes, one Query and a few hundred ms at 512 MB.
        "Service-level check (2,880 runs)": 2880
        * (PRICES["lambda_request"] + 0.5 * 0.3 * PRICES["lambda_gb_second_arm"]),
    }


def function_tracing() -> str:
    """The functions' X-Ray mode as template.yaml deploys it unless told otherwise (``FunctionTracing``)."""
    from devstack.template import load

    return str(load().document["Parameters"]["FunctionTracing"]["Default"])


def emails_sent(walk: Walk) -> float:
    """Emails one case of this walk sends: those the walk saw, plus its share of receipts (the walks file
    without one) and of the payroll mailbox's digests."""
    return walk.calls["sesv2:SendEmail"] + RECEIPT_SHARE + DIGESTS_PER_CASE


def cost_per_case(walk: Walk, memory: dict[str, int], tracing: str = "PassThrough") -> dict[str, float]:
    """USD for one case of this walk, by line item. ``tracing`` is the functions' X-Ray mode: with
    PassThrough only the workflow's execution is a trace (its steps inside it); Active adds one per API
    request, since default sampling keeps the first request each second and 5 % after: at this service's
    rate, nearly every one."""
    invocations = walk.invocations
    gb_seconds = sum(
        memory[fn] / 1024 * sum(math.ceil(ms) for ms in samples) / 1000 for fn, samples in walk.durations.items()
    )
    init_gb_seconds = sum(
        COLD_START_SHARE * len(samples) * memory[fn] / 1024 * INIT_MS.get(fn, INIT_MS_DEFAULT) / 1000
        for fn, samples in walk.durations.items()
    )
    emails = emails_sent(walk)
    sqs_requests = walk.calls["sqs:SendMessage"] + 2 * walk.event_chunks  # bus→queue send; receive + delete
    s3_gets = walk.calls["s3:GetObject"] + (PDF_DOWNLOADS_PER_APPROVED_CASE if walk.pdf_bytes else 0)
    return {
        "Lambda requests": invocations * PRICES["lambda_request"],
        "Lambda duration": gb_seconds * PRICES["lambda_gb_second_arm"],
        "Lambda init (cold starts)": init_gb_seconds * PRICES["lambda_gb_second_arm"],
        "HTTP API requests": walk.http_requests * PRICES["http_api_request"],
        "Step Functions transitions": walk.transitions * PRICES["sfn_standard_transition"],
        "DynamoDB writes": walk.write_units * PRICES["dynamodb_write_request_unit"],
        "DynamoDB reads": walk.read_units * PRICES["dynamodb_read_request_unit"],
        "SES emails": emails * PRICES["ses_email"],
        "EventBridge events": walk.event_chunks * PRICES["eventbridge_custom_event"],
        "SQS requests": sqs_requests * PRICES["sqs_request"],
        "S3 requests": walk.calls["s3:PutObject"] * PRICES["s3_put"] + s3_gets * PRICES["s3_get"],
        # A PDF is kept for its form's retention (2 or 10 years); this is one year of it.
        "S3 storage (PDF, first year)": walk.pdf_bytes / 1e9 * PRICES["s3_gb_month"] * 12,
        "CloudWatch Logs": invocations * LOG_BYTES_PER_INVOCATION / 1e9 * PRICES["logs_ingested_gb"],
        "X-Ray traces": (1 + (walk.http_requests if tracing == "Active" else 0)) * PRICES["xray_trace"],
    }


def report(walks: dict[str, Walk], cases: int, out: Callable[[str], None] = print) -> float:
    memory = _memory_mb()
    tracing = function_tracing()
    out(f"Measured per case (price list: AWS public prices, US East, {PRICE_LIST_DATE}; see docs/cost.md)\n")
    out("| kind | share | invocations | handler ms | transitions | HTTP requests | emails | WRU | RRU | USD/case |")
    out("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    totals: dict[str, float] = defaultdict(float)
    for kind, walk in walks.items():
        items = cost_per_case(walk, memory, tracing)
        for item, usd in items.items():
            totals[item] += usd * MIX[kind] * cases
        out(
            f"| {kind} | {MIX[kind]:.0%} | {walk.invocations} | {walk.handler_ms:.0f} | "
            f"{walk.transitions} | {walk.http_requests} | {walk.calls['sesv2:SendEmail']} | {walk.write_units:.0f} | "
            f"{walk.read_units:.0f} | {sum(items.values()):.5f} |"
        )
    out("\nHandler time per function, all kinds together (median ms):")
    merged: dict[str, list[float]] = defaultdict(list)
    for walk in walks.values():
        for fn, samples in walk.durations.items():
            merged[fn].extend(samples)
    for fn, samples in sorted(merged.items()):
        out(f"  {fn:<24} {sorted(samples)[len(samples) // 2]:7.1f} ms  x{len(samples)}  ({memory[fn]} MB)")
    total = sum(totals.values())
    out(f"\nCost of {cases:,} cases in this mix (USD):")
    for item, usd in sorted(totals.items(), key=lambda entry: -entry[1]):
        out(f"  {item:<30} {usd:9.4f}  {usd / total:5.1%}")
    out(f"  {'total':<30} {total:9.4f}")
    out("\nFixed per month, whatever the volume (USD):")
    fixed = monthly()
    for item, usd in fixed.items():
        out(f"  {item:<44} {usd:6.2f}")
    out(f"  {'total':<44} {sum(fixed.values()):6.2f}")
    out(f"\nThe same {cases:,} cases under the other settings and SES plans (USD):")
    for setting, usd in alternatives(walks, memory, tracing).items():
        out(f"  {setting:<62} {usd * cases:9.4f}")
    out(f"  {'... and a dedicated IP for SES adds, per month':<62} {PRICES['ses_dedicated_ip_month']:9.2f}")
    return total


def alternatives(walks: dict[str, Walk], memory: dict[str, int], tracing: str) -> dict[str, float]:
    """USD per case of the mix under what the figure does not assume: the other X-Ray mode for the
    functions (template parameter ``FunctionTracing``), and SES with Virtual Deliverability Manager."""

    def per_case(mode: str, extra_per_email: float = 0.0) -> float:
        usd = 0.0
        for kind, walk in walks.items():
            usd += MIX[kind] * (sum(cost_per_case(walk, memory, mode).values()) + emails_sent(walk) * extra_per_email)
        return usd

    other = "Active" if tracing == "PassThrough" else "PassThrough"
    return {
        f"as measured (FunctionTracing={tracing}, SES pay as you go)": per_case(tracing),
        f"FunctionTracing={other}": per_case(other),
        "SES with Virtual Deliverability Manager": per_case(tracing, PRICES["ses_vdm_email"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="price this many cases (default 1,000)")
    args = parser.parse_args()
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")  # here, not at import: the tests import this
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    total = report(measure(), args.cases)
    from bench import goals

    goals.record(cost_per_1000_usd=total * 1000 / args.cases)


if __name__ == "__main__":
    main()
