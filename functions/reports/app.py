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
from eforms.core.common.errors import BadRequest
from eforms.core.identity.caller import CENTRE
from eforms.core.statistics.export import FORMATS, as_csv, as_xlsx
from eforms.core.statistics.reading import parse_period, readable, report
from eforms.observability import logger
from eforms.observability import tracer as build_tracer
from eforms.wiring import catalogue, directory, organisations, statistics_store

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
    assert registry is not None
    named = registry.get(organisation)
    titles = {f.form_id: f.title(lang) for f in catalogue().latest()}
    for form in found["forms"]:
        form["title"] = titles.get(form["id"], form["id"])
    for officer in found.get("officers", []):
        row = directory().get(officer["id"])
        officer["name"] = row.name if row else officer["id"]
    name = named.name(lang) if named else organisation
    found = {"organisation": {"id": organisation, "name": name}, **found}
    if wanted == "json":
        return ok(found, lang=lang)
    body, kind = (as_csv(found, lang), "text/csv; charset=utf-8") if wanted == "csv" else (as_xlsx(found, lang), XLSX)
    filename = f"statistics-{organisation}-{period.first}-{period.last}.{wanted}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
    return Response(status_code=200, content_type=kind, body=body, headers=headers)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
