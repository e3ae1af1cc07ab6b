"""GET and POST /ratings/{token}: the page a finished case's email links to, where its sender rates it 1–5
without signing in (docs/statistics.md §1, "satisfaction").

The token is the capability: bound to the case and the person the email went to, an HMAC made in KMS
(:mod:`eforms.core.statistics.rating_links`). GET only shows — mail scanners follow links — and POST rates,
once: a second post, by either link or the case page, finds the case rated and says so; nothing is counted
twice. A forged or altered link reads the case it names and learns nothing of it.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.api import request
from eforms.api.app import create_app
from eforms.api.rating_page import rating_form, rating_problem, thanks_page
from eforms.core.cases.model import Case, Person
from eforms.core.common.errors import BadRequest, Conflict, DomainError, NotFound, ValidationFailed
from eforms.core.common.i18n import SUPPORTED, Language, as_language
from eforms.core.statistics.rating_links import case_of, rater
from eforms.core.statistics.satisfaction import may_rate, rate_by_link
from eforms.observability import logger
from eforms.observability import tracer as build_tracer
from eforms.wiring import case_store, catalogue, desk_services, rating_signer

app = create_app()
tracer = build_tracer()
_REFUSED = {"case_not_finished": ("not_finished", 409), "already_rated": ("already_rated", 410)}


def _language(chosen: str | None = None) -> Language:
    """The page's language (``?lang=``, the form's hidden field), else the browser's."""
    chosen = chosen or (app.current_event.query_string_parameters or {}).get("lang")
    return as_language(chosen) if chosen in SUPPORTED else request.language(app.current_event)


def _open(token: str) -> tuple[Case, Person]:
    """The case and the person this link was sent to; 404 for anything else (unknown, forged, altered)."""
    case_id, signer = case_of(token), rating_signer()
    case = case_store().get(case_id) if case_id and signer else None
    person = rater(signer, token, case) if case and signer else None
    if case is None or person is None:
        raise NotFound("case_not_found")
    return case, person


@app.get("/ratings/<token>")
def show(token: str) -> Any:
    lang = _language()
    case, person = _open(token)
    may_rate(desk_services(), case, person)
    return rating_form(case, catalogue().get(case.form_id, case.form_version), lang)


@app.post("/ratings/<token>")
def post(token: str) -> Any:
    posted = request.form_body(app.current_event)
    lang = _language(request.form_field(posted, "lang"))
    fields = {name: value for name in ("score", "comment") if (value := request.form_field(posted, name))}
    case, person = _open(token)
    try:
        rated = rate_by_link(desk_services(), case, person, fields)
    except ValidationFailed as invalid:
        form = catalogue().get(case.form_id, case.form_version)
        return rating_form(case, form, lang, errors=invalid.errors, attempted=fields, status=422)
    logger.info("case rated", extra={"caseId": rated.case_id, "channel": "email-link"})
    return thanks_page(lang)


@app.exception_handler(DomainError)  # type: ignore[untyped-decorator]
def _as_page(error: DomainError) -> Any:
    """Every refusal is a page in the reader's language, never JSON: a person is reading."""
    lang = _language()
    if isinstance(error, Conflict) and error.code in _REFUSED:
        kind, status = _REFUSED[error.code]
        return rating_problem(kind, lang, status)
    if isinstance(error, NotFound):
        return rating_problem("link_unknown", lang, 404)
    return rating_problem("bad_post" if isinstance(error, BadRequest) else "link_unknown", lang, error.status)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
