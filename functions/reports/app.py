"""``GET /statistics``: an organisation's follow-up figures for a period (docs/statistics.md, §4).

Read from the aggregates only — one Query for the organisation and period, never a case. Who may read
whose is decided before anything is read (404 otherwise, as for a case); the period is checked at the edge
(400 naming the parameter).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.api import request
from eforms.api.app import create_app, ok
from eforms.api.resolver import Response
from eforms.core.common.errors import BadRequest, NotFound
from eforms.core.identity.caller import CENTRE
from eforms.core.statistics.export import FORMATS, as_csv, as_xlsx
from eforms.core.statistics.reading import comment_view, named, parse_month, parse_period, readable, report
from eforms.core.statistics.service_reports import pdf_key
from eforms.observability import logger
from eforms.observability import tracer as build_tracer
from eforms.wiring import catalogue, directory, documents, organisations, report_store, statistics_store

app = create_app()
tracer = build_tracer()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@app.get("/statistics")
def statistics() -> Any:
    event = app.current_event
    caller, lang = request.caller(event, resolve=False), request.language(event)
    params = request.query_params(event)
    organisation = readable(caller, organisations(), params.get("organisation"))  # 404 before anything else
    period = parse_period(params)
    wanted = params.get("format", "json")
    if wanted not in FORMATS:
        raise BadRequest("invalid_query", parameter="format")
    officers = caller.is_payroll or CENTRE in caller.roles  # the centre's internal follow-up, not a customer's
    found = report(statistics_store(), organisation, period, form_id=params.get("formId"), officers=officers)
    registry = organisations()
    assert registry is not None  # readable() found the organisation in it

    def officer_name(officer_id: str) -> str:
        row = directory().get(officer_id)
        return row.name if row else officer_id

    found = named(
        found,
        registry.organisations[organisation],
        lang,
        form_title=catalogue().title_of,
        officer_name=officer_name,
    )
    if wanted == "json":
        return ok(found, lang=lang)
    body, kind = (as_csv(found, lang), "text/csv; charset=utf-8") if wanted == "csv" else (as_xlsx(found, lang), XLSX)
    filename = f"statistics-{organisation}-{period.first}-{period.last}.{wanted}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
    return Response(status_code=200, content_type=kind, body=body, headers=headers)


@app.get("/statistics/comments")
def comments() -> Any:
    """The comments senders wrote with their ratings, for the centre's managers only (404 to anyone else,
    before anything is read): newest first, each with its case, e-service and score."""
    event = app.current_event
    caller, lang = request.caller(event, resolve=False), request.language(event)
    params = request.query_params(event)
    if CENTRE not in caller.roles:
        raise NotFound("not_found")
    organisation = readable(caller, organisations(), params.get("organisation"))
    period = parse_period({k: v for k, v in params.items() if k != "format"})
    found = statistics_store().comments(organisation, period.first, period.last)
    return ok({"organisation": organisation, "items": [comment_view(c, lang, catalogue()) for c in found]}, lang=lang)


@app.get("/statistics/reports")
def service_reports() -> Any:
    """The months whose monthly service report the organisation has, newest first (docs/statistics.md §6)."""
    event = app.current_event
    caller, params = request.caller(event, resolve=False), request.query_params(event)
    organisation = readable(caller, organisations(), params.get("organisation"))  # 404 before anything else
    if set(params) - {"organisation"}:
        raise BadRequest("invalid_query", parameter=sorted(set(params) - {"organisation"})[0][:40])
    months = report_store().months(organisation)
    return ok({"organisation": organisation, "items": [{"month": m} for m in months]}, lang=request.language(event))


@app.get("/statistics/reports/<month>")
def service_report(month: str) -> Any:
    """One month's report as the PDF that was emailed; 404 for a month without one."""
    event = app.current_event
    caller, params = request.caller(event, resolve=False), request.query_params(event)
    organisation = readable(caller, organisations(), params.get("organisation"))
    parse_month(month)
    if month not in report_store().months(organisation):
        raise NotFound("not_found")
    pdf = documents().read_pdf(pdf_key(organisation, month))
    headers = {
        "Content-Disposition": f'attachment; filename="service-report-{organisation}-{month}.pdf"',
        "Cache-Control": "no-store",
    }
    return Response(status_code=200, content_type="application/pdf", body=pdf, headers=headers)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
