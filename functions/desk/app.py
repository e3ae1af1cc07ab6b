"""The payroll desk: the work queue and every action that works a case to its end (docs/desk.md).

Every case route first reads the case and checks the caller may see it (404 otherwise, before any body is
parsed); payroll-only actions answer 404 to everyone without a payroll role too. Each action is one
lifecycle transition, conditional on the ``version`` the caller saw (409 when stale or in the wrong state).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.api import finding, paging, request
from eforms.api.app import create_app, ok
from eforms.api.views import case_view, officer_view, summary_view, team_view, thread_view
from eforms.core.cases.access import visible_case
from eforms.core.cases.model import Case
from eforms.core.common.bodies import Body
from eforms.core.common.clock import stockholm_date
from eforms.core.desk import appointing, certificates, claims, closing, completion, messages, registration, teams
from eforms.core.desk.queue import parse_queue, work_queue
from eforms.core.desk.services import DeskAction, payroll_only
from eforms.core.identity.caller import Caller
from eforms.observability import logger
from eforms.observability import tracer as build_tracer
from eforms.wiring import case_store, catalogue, desk_services, directory, documents, now, organisations

app = create_app()
tracer = build_tracer()


@app.get("/desk/cases")
def queue() -> Any:
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    params = request.query_params(event)
    query = replace(parse_queue(caller, params), cursor=paging.decode(params.get("nextToken")))
    payroll_only(caller)  # before any search: nobody else learns what a number or personnummer finds
    page = finding.page(  # with q: a case number, or a personnummer (docs/desk.md, "Find a case")
        params,
        caller,
        lambda subject: work_queue(case_store(), caller, replace(query, subject_id=subject or query.subject_id)),
    )
    items = [summary_view(s, catalogue(), lang) for s in page.items]
    return ok({"items": items, "nextToken": paging.encode(page.cursor)}, lang=lang)


@app.get("/desk/officers")
def officers() -> Any:
    caller, lang = request.caller(app.current_event), request.language(app.current_event)
    payroll_only(caller)
    return ok({"items": [officer_view(e) for e in teams.officers(caller, directory())]}, lang=lang)


@app.get("/desk/teams")
def desk_teams() -> Any:
    caller, lang = request.caller(app.current_event), request.language(app.current_event)
    payroll_only(caller)
    return ok({"items": [team_view(team, lang) for team in teams.teams(caller, organisations())]}, lang=lang)


def _visible(caseId: str) -> tuple[Caller, Case]:
    """The caller and the case, read once, if they may see it — before any body is parsed."""
    caller = request.caller(app.current_event)
    return caller, visible_case(case_store(), directory(), caller, caseId, stockholm_date(now()))


def _act(caseId: str, action: DeskAction[Any], name: str) -> Any:
    """The case read and access checked, then the action's gate (who may ask), then its body parsed into a
    command at the edge, then the domain step (``DeskAction``)."""
    caller, case = _visible(caseId)
    action.gate(caller, case)  # before the body is read: anyone else learns nothing of the case from it
    changed = action(desk_services(), caller, case, request.json_body(app.current_event))
    logger.info("desk action", extra={"caseId": caseId, "action": name, "status": changed.status.value})
    return ok(case_view(changed, catalogue(), request.language(app.current_event)))


@app.post("/cases/<caseId>/claim")
def claim(caseId: str) -> Any:
    return _act(caseId, claims.CLAIM, "claim")


@app.post("/cases/<caseId>/completion-request")
def completion_request(caseId: str) -> Any:
    return _act(caseId, completion.REQUEST, "completion-request")


@app.post("/cases/<caseId>/completion")
def completion_answer(caseId: str) -> Any:
    return _act(caseId, completion.ANSWER, "completion")


@app.post("/cases/<caseId>/registration")
def register(caseId: str) -> Any:
    return _act(caseId, registration.REGISTER, "registration")


@app.post("/cases/<caseId>/registration/check")
def check(caseId: str) -> Any:
    return _act(caseId, registration.CHECK, "registration-check")


@app.post("/cases/<caseId>/closure")
def close(caseId: str) -> Any:
    return _act(caseId, closing.CLOSE, "closure")


@app.post("/cases/<caseId>/approver")
def appoint(caseId: str) -> Any:
    return _act(caseId, appointing.APPOINT, "approver")


@app.post("/cases/<caseId>/withdrawal")
def withdraw(caseId: str) -> Any:
    return _act(caseId, closing.WITHDRAW, "withdrawal")


@app.put("/cases/<caseId>/certificate")
def upload_certificate(caseId: str) -> Any:
    """The issued certificate as the body (application/pdf, up to 4 MiB), kept on the case unsent: the officer
    previews it and sends it by closing the case as ``delivered``."""
    caller, case = _visible(caseId)
    payroll_only(caller)  # before the body is read
    event = app.current_event
    data = request.pdf_body(event, limit=certificates.MAX_BYTES)
    version = request.version_param(event)
    uploaded = certificates.upload(desk_services(), documents(), caller, case, data, version=version)
    logger.info("desk action", extra={"caseId": caseId, "action": "certificate", "bytes": len(data)})
    return ok(case_view(uploaded, catalogue(), request.language(event)))


@app.get("/cases/<caseId>/messages")
def thread(caseId: str) -> Any:
    caller, case = _visible(caseId)
    return ok(thread_view(messages.thread(caller, case), case), lang=request.language(app.current_event))


@app.post("/cases/<caseId>/messages")
def post_message(caseId: str) -> Any:
    caller, case = _visible(caseId)
    changed = messages.post(desk_services(), caller, case, request.json_body(app.current_event))
    logger.info("desk action", extra={"caseId": caseId, "action": "message"})
    return ok(thread_view(messages.thread(caller, changed), changed), status=201)


@app.post("/cases/<caseId>/messages/read")
def read(caseId: str) -> Any:
    caller, case = _visible(caseId)
    Body(request.json_body(app.current_event), set()).done()  # {} as its contract says: nothing else
    changed = messages.mark_read(desk_services(), caller, case)
    return ok(thread_view(messages.thread(caller, changed), changed))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
