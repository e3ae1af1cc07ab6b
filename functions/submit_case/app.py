"""POST /cases: validate a filled-in form and store it as a case.

An ``Idempotency-Key`` header makes the call safe to retry: the same caller, key and body return the
first call's case (Powertools idempotency, records in their own table for 24 hours); the same key with
a different body is refused with 422.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.api import request
from eforms.api.app import create_app, ok
from eforms.api.views import case_view
from eforms.core.common.errors import Conflict, IdempotencyKeyReused, ValidationFailed
from eforms.core.identity.caller import Caller
from eforms.core.intake.submission import parse_submit_request, submit
from eforms.observability import logger, metrics
from eforms.observability import tracer as build_tracer
from eforms.settings import settings
from eforms.wiring import (
    case_store,
    catalogue,
    directory,
    draft_store,
    file_store,
    idempotency_store,
    now,
    personnummer_hasher,
    serving_team,
    upload_store,
    workflow_engine,
)

app = create_app()
tracer = build_tracer()
IDEMPOTENCY_SECONDS = 24 * 3600


def _submit(payload: dict[str, Any]) -> dict[str, Any]:
    """The whole submission as a function of plain data, so its result can be stored and replayed."""
    caller = Caller.from_plain(payload["caller"])
    case = submit(
        parse_submit_request(payload["body"]),
        caller=caller,
        language=payload["language"],
        catalogue=catalogue(),
        directory=directory(),
        store=case_store(),
        clock=now,
        workflow=workflow_engine(),
        uploads=upload_store(),
        files=file_store(),
        hasher=personnummer_hasher,  # only a form that names the subject's personnummer pays for it
        numbers=case_store(),
        number_prefix=settings().case_number_prefix,
        team=serving_team(caller.organisation_id),
        drafts=draft_store(),  # a filing that finishes a draft deletes it with the case's transaction
    )
    metrics.add_dimension(name="formId", value=case.form_id)
    metrics.add_metric(name="CasesSubmitted", unit=MetricUnit.Count, value=1)
    logger.info("case submitted", extra={"caseId": case.case_id, "formId": case.form_id, "queue": case.queue})
    return case_view(case, catalogue(), payload["language"])


def _submit_once(payload: dict[str, Any]) -> dict[str, Any]:
    """``_submit`` under Powertools idempotency, keyed on caller + Idempotency-Key, checked on the body."""
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    config = IdempotencyConfig(
        event_key_jmespath="[caller.id, key]",
        payload_validation_jmespath="body",
        expires_after_seconds=IDEMPOTENCY_SECONDS,
    )
    # Lets Powertools expire an in-progress record when this invocation times out, so a retry can run.
    config.register_lambda_context(app.lambda_context)
    once = idempotent_function(
        _submit, data_keyword_argument="payload", persistence_store=idempotency_store(), config=config
    )
    try:
        result: dict[str, Any] = once(payload=payload)
    except IdempotencyValidationError:
        raise IdempotencyKeyReused() from None
    except IdempotencyAlreadyInProgressError:
        raise Conflict("request_in_progress") from None
    return result


@app.post("/cases")
def submit_case() -> Any:
    event = app.current_event
    caller = request.caller(event)
    lang = request.language(event)
    key = request.idempotency_key(event)
    payload = {
        "caller": caller.as_plain(),
        "language": lang,
        "key": key,
        "body": request.json_body(event),
    }
    try:
        view = _submit_once(payload) if key else _submit(payload)
    except ValidationFailed:
        # How often people hit form errors, per form, is what tells us a form needs better guidance.
        metrics.add_dimension(
            name="formId",
            value=str(payload["body"].get("formId", "unknown"))[:64]
            if isinstance(payload["body"], dict)
            else "unknown",
        )
        metrics.add_metric(name="CasesRejected", unit=MetricUnit.Count, value=1)
        raise
    return ok(view, status=201, lang=lang, headers={"Location": f"/cases/{view['caseId']}"})


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
