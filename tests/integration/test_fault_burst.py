"""A burst of 200 submissions while 5 % of the service's AWS calls fail at random (docs/resilience.md): the
invariants hold — every case stored once and in a consistent state, every notice sent exactly once after
recovery, every failure visible in the logs."""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3

from devstack.mailbox import sent_emails
from tests.support.faults import random_faults
from tests.support.samples import LEAVE
from tests.support.world import Api, World

BURST = 200
RATE = 0.05
#: The services the functions call; a random few of their calls fail as AWS's do when throttling.
SERVICES = ("dynamodb", "s3", "events", "sesv2", "stepfunctions")


def _submit_until_stored(api: Api, as_: str, refusals: list[int]) -> str:
    """A client that retries an honest 503 (or a request still in progress) with the same Idempotency-Key."""
    key = str(uuid.uuid4())
    for _ in range(40):
        reply = api.call(
            "POST",
            "/cases",
            as_=as_,
            json_body={"formId": "leave-application", "data": LEAVE, "emailReceipt": True},
            headers={"Idempotency-Key": key},
        )
        if reply.status == 201:
            return str(reply.json()["caseId"])
        assert reply.status in (503, 409), reply.text  # never a 500
        assert reply.status == 503 or reply.json()["code"] == "request_in_progress"
        if reply.status == 503:
            assert reply.headers["retry-after"]
            refusals.append(503)
        time.sleep(0.01)
    raise AssertionError("a submission never got through")


def test_a_burst_under_random_faults_loses_nothing_and_sends_everything_once(
    api: Api, world: World, service_logs: Any
) -> None:
    # The workflows run when the world settles, after the burst: as on AWS, where a workflow that starts before
    # its case is stored keeps trying for minutes, long enough for the client's retry to store it.
    filers = ["anna", "erik", "aslak"] * (BURST // 3 + 1)
    refusals: list[int] = []
    started = time.monotonic()
    with random_faults(SERVICES, RATE, seed=2026) as failed, ThreadPoolExecutor(8) as pool:
        case_ids = list(pool.map(lambda who: _submit_until_stored(api, who, refusals), filers[:BURST]))
        world.settle()
    print(f"burst {time.monotonic() - started:.1f} s, {len(failed)} calls failed, {len(refusals)} answered 503")
    assert len(failed) > 50  # the faults did bite
    assert len(set(case_ids)) == BURST  # no submission stored twice, none lost

    # Recovery: the stream and the queues drain, every workflow reaches the manager's decision.
    sfn, machine = boto3.client("stepfunctions"), world.refs["ApprovalStateMachine"]
    world.settle()
    running = sfn.list_executions(stateMachineArn=machine, statusFilter="RUNNING", maxResults=1000)["executions"]
    assert len(running) == len(case_ids)  # each waits for its manager (or stalled visibly, checked below)
    asked = Counter(m.case_id for m in sent_emails() if m.kind == "approval-initial")
    receipts = Counter(m.case_id for m in sent_emails() if m.kind == "receipt")
    print(f"recovered {time.monotonic() - started:.1f} s")
    for case_id in case_ids:
        case = api.call("GET", f"/cases/{case_id}", as_="maria").json()
        actions = [h["action"] for h in case["history"]]
        stalled = "workflow_stalled" in actions
        # Consistent: waiting for the manager with one live link — or visibly stalled, never in between.
        assert case["status"] == "awaiting_approval" or stalled, (case_id, case["status"], actions)
        assert asked[case_id] == 1 or stalled, (case_id, asked[case_id])  # asked exactly once
        assert receipts[case_id] == 1, (case_id, receipts[case_id])  # told exactly once
    # Every failure is visible: what failed is in the logs, at WARNING or above, with ids only.
    logged = [json.loads(line) for line in service_logs.getvalue().splitlines() if line.startswith("{")]
    warnings = [entry for entry in logged if entry.get("level") in ("WARNING", "ERROR")]
    unavailable = [entry for entry in warnings if entry.get("message") == "aws unavailable"]
    assert len(unavailable) >= len(refusals)  # every 503 a caller saw was logged as such
    assert not any("@example.se" in json.dumps(entry) for entry in warnings)
    assert world.dead_letters() == []
