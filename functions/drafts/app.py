"""Drafts: a form half filled, kept for its filer to finish later on any device (``eforms.core.intake.drafts``).

* ``GET /drafts`` — the caller's drafts, the most recently saved first (one Query on their partition).
* ``POST /drafts`` — ``{"formId", "formVersion"?, "title"?, "data"}`` → 201.
* ``GET /drafts/{draftId}`` — the draft with its answers.
* ``PUT /drafts/{draftId}`` — ``{"version", "title"?, "data"}``: saved over the version read (409 if stale).
* ``DELETE /drafts/{draftId}`` — 204.

A draft is its owner's alone: anyone else's answers 404, before the body is read. ``POST /cases`` with a
``draftId`` files it and deletes it in one transaction.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.api import request
from eforms.api.app import create_app, ok
from eforms.api.resolver import Response
from eforms.api.views import draft_view
from eforms.core.common.i18n import Language
from eforms.core.intake.drafts import Draft, Drafts
from eforms.observability import logger
from eforms.observability import tracer as build_tracer
from eforms.wiring import catalogue, drafts

app = create_app()
tracer = build_tracer()


def _view(service: Drafts, draft: Draft, lang: Language, *, answers: bool) -> dict[str, Any]:
    view = draft_view(draft, catalogue(), lang, retired=service.retired(draft))
    return {**view, "data": draft.data} if answers else view


@app.get("/drafts")
def mine() -> Any:
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    service = drafts()
    return ok({"items": [_view(service, d, lang, answers=False) for d in service.mine(caller)]}, lang=lang)


@app.post("/drafts")
def save_new() -> Any:
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    service = drafts()
    draft = service.create(caller, request.json_body(event), lang)
    logger.info("draft saved", extra={"draftId": draft.draft_id, "formId": draft.form_id})
    headers = {"Location": f"/drafts/{draft.draft_id}"}
    return ok(_view(service, draft, lang, answers=True), status=201, lang=lang, headers=headers)


@app.get("/drafts/<draftId>")
def get_draft(draftId: str) -> Any:
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    service = drafts()
    return ok(_view(service, service.owned(caller, draftId), lang, answers=True), lang=lang)


@app.put("/drafts/<draftId>")
def save_again(draftId: str) -> Any:
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    service = drafts()
    # Found first: someone else's draft is 404 before its body is read.
    draft = service.update(service.owned(caller, draftId), request.json_body(event), lang)
    logger.info("draft saved", extra={"draftId": draft.draft_id, "formId": draft.form_id, "version": draft.version})
    return ok(_view(service, draft, lang, answers=True), lang=lang)


@app.delete("/drafts/<draftId>")
def discard(draftId: str) -> Any:
    event = app.current_event
    caller = request.caller(event)
    drafts().discard(caller, draftId)
    logger.info("draft discarded", extra={"draftId": draftId})
    return Response(status_code=204, body="", headers={"Cache-Control": "no-store"})


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
