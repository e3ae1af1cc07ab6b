"""Driving a case through its workflow the way people do: by API, by emailed link, by waiting for mail.

Shared by the integration tests and the cost benchmark (bench/cost.py), which walks the same paths.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from devstack.mailbox import SentEmail, sent_emails
from tests.support.samples import LEAVE
from tests.support.world import BASE_URL, Api, Reply, World, run_workflows, settle

FORM = {"content-type": "application/x-www-form-urlencoded"}


def wait_for(api: Api, case_id: str, status: str, *, as_: str | dict[str, Any] = "anna") -> dict[str, Any]:
    """The case once its workflow has run what is due (the stream and the queues wait for :func:`settle`),
    which must have brought it to ``status``."""
    run_workflows()
    case: dict[str, Any] = api.call("GET", f"/cases/{case_id}", as_=as_).json()
    assert case["status"] == status, f"case is {case.get('status')}, wanted {status}; history {case.get('history')}"
    return case


def emails_for(case_id: str, kind: str | None = None, *, count: int = 1) -> list[SentEmail]:
    """The case's emails (of one kind), once everything due has run; at least ``count`` of them."""
    settle()  # the notifier's emails come from the case events the bus queued
    found = [m for m in sent_emails() if m.case_id == case_id and (kind is None or m.kind == kind)]
    assert len(found) >= count, f"{count} x {kind} expected for {case_id}, got {[m.kind for m in found]}"
    return found


def link_path(email: SentEmail) -> str:
    match = re.search(re.escape(BASE_URL) + r"(/decisions/[A-Za-z0-9_-]+)", email.text)
    assert match, email.text
    assert match.group(1) in email.html
    return match.group(1)


def post_page(api: Api, path: str, **fields: Any) -> Reply:
    return api.call("POST", path, as_=None, body=urlencode(fields, doseq=True), headers=FORM)


def submit_and_get_link(
    api: Api, data: dict[str, Any] | None = None, *, as_: str = "anna", form: str = "leave-application"
) -> tuple[str, str]:
    case_id = api.submit(data or LEAVE, form=form, as_=as_).json()["caseId"]
    [request] = emails_for(case_id, "approval-initial")
    return case_id, link_path(request)


def run_desk_scheduler(world: World, at: datetime) -> Any:
    """The desk's scheduled run (breaches, then the payroll digest) as if it were ``at``."""
    from devstack import lambdas
    from eforms import wiring
    from eforms.core.common.clock import utc_now

    wiring.use_clock(lambda: at)
    try:
        return lambdas.invoke(world.template.function("DeskSchedulerFunction"), {"source": "aws.scheduler"})
    finally:
        wiring.use_clock(utc_now)


def next_digest_time() -> datetime:
    """A minute past the next digest time (07:00 or 12:00 on a working day) from now."""
    from eforms.core.common.clock import utc_now
    from eforms.core.notify.digest import next_slot

    return next_slot(utc_now()) + timedelta(minutes=1)


def payroll_digest(world: World, case_id: str) -> SentEmail:
    """The payroll mailbox's digest listing the case: the desk's scheduled run, at the case's next digest time."""
    settle()  # the hand-off event collects the case for its slot
    run_desk_scheduler(world, next_digest_time())
    found = [m for m in sent_emails() if m.kind == "payroll-digest" and case_id in m.text]
    assert len(found) == 1, [m.kind for m in sent_emails()]
    return found[0]


def states_entered(world: World, case_id: str) -> list[str]:
    """The states the case's first workflow execution entered, in order; it must have ended."""
    world.settle()
    sfn = world.client("stepfunctions")
    arn = world.refs["ApprovalStateMachine"].replace(":stateMachine:", ":execution:") + f":{case_id}"
    assert sfn.describe_execution(executionArn=arn)["status"] != "RUNNING", f"the workflow of {case_id} still runs"
    events = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    return [e["stateEnteredEventDetails"]["name"] for e in events if e["type"].endswith("StateEntered")]
