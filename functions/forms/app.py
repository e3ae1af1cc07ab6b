"""GET /forms and GET /forms/{formId}: the e-form catalogue, in the caller's language.

Needs no AWS client to list or describe forms, so it imports neither boto3 nor the X-Ray SDK at start (Lambda's
active tracing still records each invocation): the cheapest cold start in the service. Only a prefill from the
directory (a form's ``directory.unit``) reads the directory table, and boto3 is loaded on that first read.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.api import request
from eforms.api.app import create_app, ok
from eforms.api.views import form_detail, form_summary
from eforms.core.common.clock import stockholm_date
from eforms.core.common.errors import BadRequest, NotFound
from eforms.core.forms import prefill
from eforms.observability import logger
from eforms.wiring import catalogue, contact_of, directory, now, pay_calendar

app = create_app()


@app.get("/forms")
def list_forms() -> Any:
    """The forms the caller may file: the ones that accept how they signed in (organisation or BankID) and,
    where a form is for some roles only (a new hire, a new salary), the caller holds one."""
    caller = request.caller(app.current_event, resolve=False)
    lang = request.language(app.current_event)
    forms = [
        form_summary(f, lang, catalogue().versions(f.form_id))
        for f in catalogue().latest()
        if f.open_to(caller.kind, caller.roles) and caller.offers(f.form_id)  # their organisation's catalogue
    ]
    # The groups the page shows them under, in order: only those this caller has forms in.
    used = {f["category"] for f in forms}
    groups = [{"id": c.category_id, "title": c.title(lang)} for c in catalogue().categories if c.category_id in used]
    return ok({"forms": forms, "categories": groups, **contact_of(caller.organisation_id)}, lang=lang)


@app.get("/forms/<formId>")
def get_form(formId: str) -> Any:
    caller = request.caller(app.current_event, resolve=False)
    if not caller.offers(formId):  # not in their organisation's catalogue: as for a form that does not exist
        raise NotFound("unknown_form", formId=formId[:64])
    lang = request.language(app.current_event)
    params = request.query_params(app.current_event)
    if set(params) - {"version", "prefill"}:
        raise BadRequest("invalid_query", parameter=sorted(set(params) - {"version", "prefill"})[0][:40])
    if params.get("prefill", "true") != "true":
        raise BadRequest("invalid_query", parameter="prefill")
    raw_version = params.get("version")
    if raw_version is not None and (not raw_version.isdigit() or len(raw_version) > 4 or int(raw_version) < 1):
        raise BadRequest("invalid_query", parameter="version")
    form = catalogue().get(formId, int(raw_version) if raw_version else None)
    calendar = pay_calendar(caller.organisation_id, form)  # its pay runs in the caller's organisation
    detail = form_detail(form, lang, catalogue().versions(form.form_id), calendar)
    if "prefill" in params:  # what the sign-in and the directory answer (BankID's personnummer, the unit)
        today = stockholm_date(now())
        detail["prefill"] = prefill.values(form.prefill, prefill.known(form.prefill, caller, directory(), today))
    return ok(detail, lang=lang)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
