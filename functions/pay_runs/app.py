"""Pay runs: each organisation's PAXml files for its payroll system, one per pay period (docs/records.md §5).

Only officers of the organisation's payroll team see its pay runs; anyone else is answered 404, before any
body is read or anything is looked up. Asking for a period's file opens its batch (two requests at once make
one) and hands it to ``PayRunFilesFunction``; the file is downloaded through a short-lived URL once ready.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.api import paging, request
from eforms.api.app import create_app, ok
from eforms.core.common.bodies import Body
from eforms.core.common.clock import iso
from eforms.core.common.errors import BadRequest, NotFound
from eforms.core.common.periods import is_period
from eforms.core.identity.caller import Caller
from eforms.core.organisations.registry import Organisation
from eforms.core.payroll import pay_runs
from eforms.core.payroll.pay_runs import READY, Batch
from eforms.observability import logger
from eforms.observability import tracer as build_tracer
from eforms.wiring import now, organisations, pay_run_downloads, pay_run_queue, pay_run_store

app = create_app()
tracer = build_tracer()
PAGE = 24  # two years of monthly files


def _organisation() -> tuple[Caller, Organisation]:
    """The caller and the organisation they asked for (``?organisation=``), if its payroll is theirs."""
    event = app.current_event
    caller = request.caller(event, resolve=False)
    params = request.query_params(event)
    organisation = pay_runs.organisation_for(caller, organisations(), params.get("organisation"))
    unknown = sorted(set(params) - {"organisation", "nextToken"})
    if unknown:
        raise BadRequest("invalid_query", parameter=unknown[0][:40])
    return caller, organisation


def _view(batch: Batch, *, download: bool = False) -> dict[str, Any]:
    view: dict[str, Any] = {
        "organisation": batch.organisation,
        "payPeriod": batch.pay_period,
        "state": batch.state,
        "requestedBy": {"id": batch.requested_by.id, "name": batch.requested_by.name},
        "requestedAt": iso(batch.requested_at),
        "cutAt": iso(batch.cut_at) if batch.cut_at else None,
    }
    if batch.state == READY and batch.file is not None:
        facts = batch.file
        name = pay_runs.file_name(batch.organisation, batch.pay_period)
        view["file"] = {
            "name": name,
            "sha256": facts.sha256,
            "bytes": facts.size,
            "cases": facts.cases,
            "transactions": facts.transactions,
        }
        if download:
            url, expires = pay_run_downloads().download_url(facts.key, name, "application/xml", facts.version)
            view["download"] = {"url": url, "expires": iso(expires)}
    return view


@app.get("/pay-runs")
def listing() -> Any:
    _, organisation = _organisation()
    params = request.query_params(app.current_event)
    store = pay_run_store()
    found, cursor = store.batches(
        organisation.organisation_id, limit=PAGE, cursor=paging.decode(params.get("nextToken"))
    )
    waiting = store.waiting(organisation.organisation_id)
    body = {
        "organisation": organisation.organisation_id,
        "pending": {"cases": waiting.cases, "periods": list(waiting.periods)},
        "items": [_view(batch) for batch in found],
        "nextToken": paging.encode(cursor),
    }
    return ok(body, lang=request.language(app.current_event))


@app.post("/pay-runs")
def ask() -> Any:
    caller, organisation = _organisation()  # before the body is read
    body = Body(request.json_body(app.current_event), {"payPeriod"})
    period = pay_runs.parse_period(body.value("payPeriod"))
    body.done()
    batch, opened = pay_runs.request(pay_run_store(), pay_run_queue(), caller, organisation, period, clock=now)
    logger.info("pay run asked", extra={"organisation": organisation.organisation_id, "opened": opened})
    return ok(_view(batch), status=202 if batch.state != READY else 200, lang=request.language(app.current_event))


@app.get("/pay-runs/<period>")
def one(period: str) -> Any:
    _, organisation = _organisation()
    batch = pay_run_store().batch(organisation.organisation_id, period) if is_period(period) else None
    if batch is None:
        raise NotFound("not_found")
    return ok(_view(batch, download=True), lang=request.language(app.current_event))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
