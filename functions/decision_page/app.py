"""GET and POST /decisions/{token}, GET its attachments: the page an approver reaches from the emailed link.

No sign-in: the link's token is the capability (256 random bits, single-use, bound to the case, the
approver and the case version, expiring). GET only shows — mail scanners follow links — and POST decides.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.api import request
from eforms.api.app import create_app
from eforms.api.decision_page import decision_form, done_page, problem_page
from eforms.api.link_pages import HEADERS
from eforms.api.resolver import Response
from eforms.core.approval.decisions import RESULT, parse_decision
from eforms.core.approval.links import LinkProblem
from eforms.core.common.errors import Conflict, DomainError, ValidationFailed
from eforms.core.common.i18n import SUPPORTED, Language, as_language
from eforms.observability import logger, metrics
from eforms.observability import tracer as build_tracer
from eforms.wiring import catalogue, deciding, file_store

app = create_app()
tracer = build_tracer()
_LINK_STATUS = {"unknown": 404, "expired": 410, "used": 410, "superseded": 410}


def _language(chosen: str | None) -> Language:
    """The language the page's link asked for (``?lang=``, the form's hidden field), else the browser's."""
    return as_language(chosen) if chosen in SUPPORTED else request.language(app.current_event)


def _link_page(problem: LinkProblem, lang: Language) -> Any:
    """Why the link opens nothing: unknown (404), or expired, used or superseded (410)."""
    return problem_page(f"link_{problem.kind}", lang, _LINK_STATUS[problem.kind])


def _query_language() -> Language:
    return _language((app.current_event.query_string_parameters or {}).get("lang"))


@app.get("/decisions/<token>")
def show(token: str) -> Any:
    lang = _query_language()
    try:
        _, case = deciding().open_link(token)
    except LinkProblem as problem:
        return _link_page(problem, lang)
    return decision_form(case, catalogue().get(case.form_id, case.form_version), lang, token=token)


@app.get("/decisions/<token>/attachments/<attachmentId>")
def download(token: str, attachmentId: str) -> Any:
    """One of the case's files, while the link is open: a redirect to a short presigned GET. Only reads, like
    the page itself, so a mail scanner following it changes nothing."""
    lang = _query_language()
    try:
        _, case = deciding().open_link(token)
    except LinkProblem as problem:
        return _link_page(problem, lang)
    attachment = next((a for a in case.attachments if a.attachment_id == attachmentId), None)
    if attachment is None:
        return problem_page("attachment_missing", lang, 404)
    url, _ = file_store().download_url(attachment.key, filename=attachment.name, content_type=attachment.content_type)
    logger.info("attachment link issued", extra={"caseId": case.case_id, "attachmentId": attachmentId})
    return Response(status_code=302, body="", headers={**HEADERS, "Location": url})


@app.post("/decisions/<token>")
def decide(token: str) -> Any:
    fields = request.form_body(app.current_event)
    lang = _language((fields.get("lang") or [""])[0])  # the page's language only: never refused
    flow = deciding()
    try:
        link, case = flow.open_link(token)
    except LinkProblem as problem:
        return _link_page(problem, lang)
    form = catalogue().get(case.form_id, case.form_version)
    attempted: dict[str, Any] = {
        "decision": request.form_field(fields, "decision"),
        "message": request.form_field(fields, "message", ""),
        "fields": fields.get("fields", []),
    }
    try:
        decided = flow.decide_with_link(link, case, parse_decision(attempted, form))
    except ValidationFailed as invalid:
        return decision_form(case, form, lang, errors=invalid.errors, attempted=attempted, status=422, token=token)
    except LinkProblem as problem:
        return _link_page(problem, lang)
    except Conflict:
        return problem_page("conflict", lang, 409)
    logger.info("case decided", extra={"caseId": case.case_id, "status": decided.status.value, "channel": "email-link"})
    return done_page(decided, form, lang, RESULT[attempted["decision"]])


@app.exception_handler(DomainError)  # type: ignore[untyped-decorator]
def _as_page(error: DomainError) -> Any:
    """Malformed posts (wrong content type, too large) get a plain page, not JSON: a person is reading."""
    lang = request.language(app.current_event)
    return problem_page("link_unknown" if error.status == 404 else "bad_post", lang, error.status)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics  # flushes EventsNotPublished, if any
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
