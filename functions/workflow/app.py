"""The approval state machine's task handler: one step of the approval flow per invocation.

The state machine (statemachine/approval.asl.json) passes ``{"step", "caseId", "taskToken"?, "stage"?,
"routeStep"?}`` (``routeStep``: which step of the case's route is asked).
Callback steps receive the task token and keep it in the case store; it never leaves the backend.
Errors are raised by class name (``CaseNotFound``, ``NoApprover``, and ``Transient`` for an AWS call that
failed for now), which the state machine's Retry and Catch match on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.aws.availability import transient_failures
from eforms.observability import logger, metrics
from eforms.observability import tracer as build_tracer
from eforms.wiring import workflow_steps

if TYPE_CHECKING:
    from eforms.core.approval.steps import WorkflowSteps

tracer = build_tracer()
_STAGES = ("initial", "reminder", "escalation")


@logger.inject_lambda_context(clear_state=True)  # keys appended for one case never leak into the next
@tracer.capture_lambda_handler
@metrics.log_metrics  # flushes ApprovalsOverdue and EventsNotPublished, if any
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    with transient_failures(logger, "workflow step failed for now"):
        return _step(event)


def _step(event: dict[str, Any]) -> dict[str, Any]:
    step, case_id = event.get("step"), event.get("caseId")
    if not isinstance(case_id, str):
        raise ValueError("the workflow must pass caseId")
    logger.append_keys(caseId=case_id, step=step)
    flow = workflow_steps()
    if step == "next_step":
        return flow.next_step(case_id)
    if step == "prepare":  # executions started before routes were data
        return flow.prepare(case_id)
    if step == "plan":
        return flow.plan(case_id)
    run = _ACTIONS.get(str(step))
    if run is None:
        raise ValueError(f"unknown workflow step {step!r}")
    run(flow, case_id, event)
    return {"caseId": case_id}


def _request_approval(flow: WorkflowSteps, case_id: str, event: dict[str, Any]) -> None:
    stage = event.get("stage", "initial")
    index = event.get("routeStep")
    flow.request_approval(
        case_id,
        str(event["taskToken"]),
        stage if stage in _STAGES else "initial",
        index if isinstance(index, int) and not isinstance(index, bool) else None,
    )
    if stage == "escalation":
        _count_overdue()


def _await_appointment(flow: WorkflowSteps, case_id: str, event: dict[str, Any]) -> None:
    if flow.await_appointment(case_id, str(event["taskToken"]), _route_step(event)):
        _count("ApproversMissing")  # a route step nobody may decide: the desk must appoint someone


def _expire(flow: WorkflowSteps, case_id: str, event: dict[str, Any]) -> None:
    reason = str(event.get("reason", "no_decision"))
    flow.expire(case_id, reason)
    if reason == "no_decision":
        _count_overdue()


def _record_stall(flow: WorkflowSteps, case_id: str, event: dict[str, Any]) -> None:
    flow.record_stall(case_id, str(event.get("error", "")))
    _count("WorkflowStalled")


_ACTIONS: dict[str, Callable[[WorkflowSteps, str, dict[str, Any]], None]] = {
    "request_approval": _request_approval,
    "await_appointment": _await_appointment,
    "await_correction": lambda flow, case_id, event: flow.await_correction(case_id, str(event["taskToken"])),
    "expire": _expire,
    "hand_to_payroll": lambda flow, case_id, _event: flow.hand_to_payroll(case_id),
    "record_stall": _record_stall,
}


def _route_step(event: dict[str, Any]) -> int:
    index = event.get("routeStep")
    if not isinstance(index, int) or isinstance(index, bool):
        raise ValueError("the workflow must pass routeStep")
    return index


def _count_overdue() -> None:
    """An approval missed its deadline (escalated, or expired undecided): the ``ApprovalsOverdue`` alarm
    counts these per day, because many at once means managers are not getting or not reading the emails."""
    _count("ApprovalsOverdue")


def _count(metric: str) -> None:
    from aws_lambda_powertools.metrics import MetricUnit

    metrics.add_metric(name=metric, unit=MetricUnit.Count, value=1)
