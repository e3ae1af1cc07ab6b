"""Attachments on their way to a case (see ``eforms.core.intake.uploads`` and docs/forms-platform.md).

* ``POST /uploads`` — ``{"formId", "formVersion"?, "kind", "name", "contentType", "size"}``: checked against
  what the form declares; answers a presigned POST (``upload.url`` + ``upload.fields``) the browser sends
  the file to. The API never carries the file.
* ``POST /uploads/{uploadId}/check`` — after the browser posted the file: the check (type by magic bytes,
  size, malware) moves it out of quarantine, or deletes it and says why (422).
* ``GET /uploads/{uploadId}`` — where an upload stands.

An upload is its uploader's alone: anyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.api import request
from eforms.api.app import create_app, ok
from eforms.api.views import upload_view
from eforms.core.common.clock import iso
from eforms.core.common.errors import ValidationFailed
from eforms.observability import logger, metrics
from eforms.observability import tracer as build_tracer
from eforms.wiring import uploads

app = create_app()
tracer = build_tracer()


@app.post("/uploads")
def start() -> Any:
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    upload, post = uploads().start(caller, request.json_body(event))
    logger.info("upload started", extra={"uploadId": upload.upload_id, "formId": upload.form_id, "kind": upload.kind})
    view = {
        **upload_view(upload),
        "upload": {"url": post["url"], "fields": post["fields"], "expiresAt": iso(upload.post_expires_at)},
    }
    return ok(view, status=201, lang=lang, headers={"Location": f"/uploads/{upload.upload_id}"})


@app.get("/uploads/<uploadId>")
def get_upload(uploadId: str) -> Any:
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    return ok(upload_view(uploads().owned(caller, uploadId)), lang=lang)


@app.post("/uploads/<uploadId>/check")
def check(uploadId: str) -> Any:
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    try:
        checked = uploads().check(caller, uploadId)
    except ValidationFailed as refused:
        # Counted per reason: many refusals of one kind tell ops a form's guidance (or a scanner) is off.
        logger.warning("upload refused", extra={"uploadId": uploadId, "reason": refused.errors[0].code})
        metrics.add_metric(name="UploadsRefused", unit="Count", value=1)
        raise
    logger.info("upload checked", extra={"uploadId": uploadId, "size": checked.size})
    return ok(upload_view(checked), lang=lang)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
