"""Decisions and corrections for signed-in users.

* ``GET /approvals`` — cases waiting for my decision, or my team's;
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

from eforms.api import paging, request
from eforms.api.app import create_app, ok
from eforms.api.views import case_view, summary_view
from eforms.core.approval.decisions import parse_decision
from eforms.core.approval.pending import pending_approvals
from eforms.core.cases.access import visible_case
from eforms.core.cases.listing import parse_limit
from eforms.core.cases.model import Case
from eforms.core.common.clock import stockholm_date
from eforms.core.documents.sharing import parse_share, share_pdf
from eforms.core.statistics.satisfaction import RATE
from eforms.observability import logger, metrics
from eforms.observability import tracer as build_tracer
from eforms.wiring import case_store, catalogue, deciding, desk_services, directory, now, resubmissions, writer

app = create_app()
tracer = build_tracer()


@app.get("/approvals")
def pending() -> Any:
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    params = event.query_string_parameters or {}
    page = pending_approvals(
        caller,
        store=case_store(),
        directory=directory(),
        today=stockholm_date(now()),
        limit=parse_limit(params, allowed=frozenset({"limit", "nextToken"})),
        cursor=paging.decode(params.get("nextToken")),
    )
    view = {"items": [summary_view(s, catalogue(), lang) for s in page.items], "nextToken": paging.encode(page.cursor)}
    return ok(view, lang=lang)


def _visible(caseId: str) -> Case:
    """The case, read once, if the caller may see it — checked before any body is parsed."""
    caller = request.caller(app.current_event)
    return visible_case(case_store(), directory(), caller, caseId, stockholm_date(now()))


@app.post("/cases/<caseId>/decision")
def decision(caseId: str) -> Any:
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    case = _visible(caseId)
    form = catalogue().get(case.form_id, case.form_version)
    decided = deciding().decide_as(caller, case, parse_decision(request.json_body(event), form, require_version=True))
    logger.info("case decided", extra={"caseId": caseId, "status": decided.status.value, "channel": "api"})
    return ok(case_view(decided, catalogue(), lang), lang=lang)


@app.post("/cases/<caseId>/resubmission")
def resubmission(caseId: str) -> Any:
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    case = _visible(caseId)
    corrected = resubmissions().resubmit(caller, case, request.json_body(event))
    logger.info("case resubmitted", extra={"caseId": caseId})
    return ok(case_view(corrected, catalogue(), lang), lang=lang)


@app.post("/cases/<caseId>/pdf/recipients")
def share(caseId: str) -> Any:
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    case = _visible(caseId)
    administrator_id = parse_share(request.json_body(event))
    shared = share_pdf(caller, case, administrator_id, directory=directory(), writer=writer(), clock=now)
    logger.info("case pdf shared", extra={"caseId": caseId})
    return ok(case_view(shared, catalogue(), lang), lang=lang)


@app.post("/cases/<caseId>/rating")
def rating(caseId: str) -> Any:
    """The sender's rating of a finished case (docs/statistics.md): once, 1–5, an optional comment."""
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    case = _visible(caseId)
    RATE.gate(caller, case)  # before the body is read
    rated = RATE(desk_services(), caller, case, request.json_body(event))
    logger.info("case rated", extra={"caseId": caseId})
    return ok(case_view(rated, catalogue(), lang), lang=lang)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
