"""The payroll desk's scheduled run (EventBridge Scheduler, every 15 minutes): mark every case whose
service level is broken, and count them in the ``SlaBreaches`` metric the template's alarm watches; send
the payroll mailbox's digest of new cases when its time has come (07:00 and 12:00 on working days); and
remind people of drafts about to expire. A digest or reminder that could not be sent is logged, counted
(``DigestsNotSent``, ``DraftRemindersNotSent``) and sent by the next run."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.core.desk.breaches import mark_breaches
from eforms.core.intake.draft_reminders import RemindersNotSent
from eforms.observability import logger, metrics
from eforms.observability import tracer as build_tracer
from eforms.wiring import case_store, digests, draft_reminders, now, payroll_teams, writer

tracer = build_tracer()


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    marked = mark_breaches(case_store(), writer(), now, payroll_teams())
    metrics.add_metric(name="SlaBreaches", unit=MetricUnit.Count, value=marked)
    logger.info("service levels checked", extra={"breaches": marked})
    reminded = _remind_drafts()
    try:
        sent = digests().send_due()
    except Exception as error:  # SES or DynamoDB failing: the slot was released, the next run sends it
        logger.error("payroll digest not sent", extra={"error": type(error).__name__})
        metrics.add_metric(name="DigestsNotSent", unit=MetricUnit.Count, value=1)
        raise
    if sent:
        logger.info("payroll digest sent", extra={"emails": sent})
    return {"breaches": marked, "digests": sent, "draftReminders": reminded}


def _remind_drafts() -> int:
    """Before the digest, and never stopping it: a reminder SES refused, or a run DynamoDB failed, waits for the
    next run, counted (``DraftRemindersNotSent``, alarmed)."""
    try:
        reminded = draft_reminders().send_due()
    except RemindersNotSent as partly:
        logger.error("draft reminders not sent", extra={"failed": partly.failed, "sent": partly.sent})
        metrics.add_metric(name="DraftRemindersNotSent", unit=MetricUnit.Count, value=partly.failed)
        return partly.sent
    except Exception as error:  # the index could not be read: nothing was sent, the next run tries again
        logger.error("draft reminders not sent", extra={"error": type(error).__name__})
        metrics.add_metric(name="DraftRemindersNotSent", unit=MetricUnit.Count, value=1)
        return 0
    if reminded:
        logger.info("draft reminders sent", extra={"emails": reminded})
    return reminded
