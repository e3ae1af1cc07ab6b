"""Decisions and corrections for signed-in users.

* ``GET /approvals`` — cases waiting for my decision;
* ``POST /cases/{caseId}/decision`` — approve, reject or return a case I am asked to decide
  (``{"decision", "message"?, "fields"?, "version"}``; the version guards against deciding on a case
  that changed since it was shown);
* ``POST /cases/{caseId}/resubmission`` — the employee's corrected form (``{"data", "version"}``);
* ``POST /cases/{caseId}/pdf/recipients`` — a manager sends the signed PDF to an administrator
  (``{"administratorId"}``), who may then download it.

Anyone not entitled to the case gets 404, exactly as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.api import request
from eforms.api.app import create_app, ok
from eforms.api.deps import approvals, case_store, catalogue, directory, event_sink
from eforms.api.views import case_view, summary_view
from eforms.core.approval.decisions import parse_decision
from eforms.core.cases.ids import is_case_id
from eforms.core.common.clock import utc_now
from eforms.core.common.errors import NotFound
from eforms.core.documents.sharing import parse_share, share_pdf
from eforms.observability import logger, metrics
from eforms.observability import tracer as build_tracer

app = create_app()
tracer = build_tracer()
PENDING_LIMIT = 100


@app.get("/approvals")
def pending() -> Any:
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    items = case_store().pending_for(caller.id, limit=PENDING_LIMIT)
    return ok({"items": [summary_view(s, catalogue(), lang) for s in items]}, lang=lang)


@app.post("/cases/<caseId>/decision")
def decision(caseId: str) -> Any:
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    body = request.json_body(event)
    case = case_store().get(caseId) if is_case_id(caseId) else None
    if case is None:
        raise NotFound("case_not_found")
    form = catalogue().get(case.form_id, case.form_version)
    decided = approvals().decide_as(caller, caseId, parse_decision(body, form, require_version=True))
    logger.info("case decided", extra={"caseId": caseId, "status": decided.status.value, "channel": "api"})
    return ok(case_view(decided, catalogue(), lang), lang=lang)


@app.post("/cases/<caseId>/resubmission")
def resubmission(caseId: str) -> Any:
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    body = request.json_body(event)
    if not is_case_id(caseId):
        raise NotFound("case_not_found")
    corrected = approvals().resubmit(caller, caseId, body)
    logger.info("case resubmitted", extra={"caseId": caseId})
    return ok(case_view(corrected, catalogue(), lang), lang=lang)


@app.post("/cases/<caseId>/pdf/recipients")
def share(caseId: str) -> Any:
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    administrator_id = parse_share(request.json_body(event))
    if not is_case_id(caseId):
        raise NotFound("case_not_found")
    shared = share_pdf(
        caller,
        caseId,
        administrator_id,
        store=case_store(),
        directory=directory(),
        clock=utc_now,
        events=event_sink(),
    )
    logger.info("case pdf shared", extra={"caseId": caseId})
    return ok(case_view(shared, catalogue(), lang), lang=lang)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
