"""GET /cases/{caseId} and GET /cases: reading cases the caller is entitled to, and download links for
their PDF, certificate and attachments.

A case the caller may not see answers exactly like a case that does not exist (404), so ids cannot be
probed. Listings read one index partition chosen by the caller's identity, never a scan.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from eforms.api import finding, paging, request
from eforms.api.app import create_app, ok
from eforms.api.payroll_view import payroll_part
from eforms.api.views import case_view, next_view, summary_view
from eforms.core.cases import actions
from eforms.core.cases.access import visible_case
from eforms.core.cases.listing import list_cases, parse_query, partition_for
from eforms.core.common.clock import iso, stockholm_date
from eforms.core.common.errors import NotFound
from eforms.core.desk import certificates
from eforms.core.identity.people import find_people, parse_search
from eforms.observability import logger
from eforms.observability import tracer as build_tracer
from eforms.wiring import case_store, catalogue, directory, documents, file_store, now

app = create_app()
tracer = build_tracer()


@app.get("/people")
def people_named() -> Any:
    """Who a name finds, for the caller: a type-ahead over the directory (docs/desk.md, "Find a case")."""
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    text, limit = parse_search(request.query_params(event))
    found = find_people(caller, directory(), text, limit=limit, today=stockholm_date(now()))
    return ok({"items": [{"id": p.employee_id, "name": p.name} for p in found]}, lang=lang)


@app.get("/cases/<caseId>")
def get_case(caseId: str) -> Any:
    event = app.current_event
    caller = request.caller(event)
    lang = request.language(event)
    today = stockholm_date(now())
    people = directory()  # one per request: its cache serves the access check and mayDecide alike
    case = visible_case(case_store(), people, caller, caseId, today)
    view = case_view(case, catalogue(), lang, reader_id=caller.id)
    # What the reader may do now, in the order of the work: the client shows exactly these (one rule, the
    # handlers' own: eforms.core.cases.actions) — and so need not know who a team is, or who registered.
    form = catalogue().get(case.form_id, case.form_version)
    context = actions.Context(caller, case, form, people, today)
    view["actions"] = actions.available(context)
    view["mayDecide"] = "decide" in view["actions"]
    # The receipt: who decides, by when payroll answers, which pay it reaches (the client derives none of it).
    view["next"] = next_view(case, form, caller.id, people, lang)
    # Who is reading, as the service knows them: a BankID outsider's id is a hash only the server can make.
    view["viewerId"] = caller.id
    if caller.is_payroll:  # its pay transactions, to confirm at registration, and where they went
        view.update(payroll_part(case, form))
    return ok(view, lang=lang)


@app.get("/cases/<caseId>/pdf")
def get_pdf(caseId: str) -> Any:
    """A short-lived download link for the signed PDF, for whoever may see the case."""
    event = app.current_event
    caller = request.caller(event)
    lang = request.language(event)
    case = visible_case(case_store(), directory(), caller, caseId, stockholm_date(now()))
    if case.pdf_key is None:
        raise NotFound("pdf_not_available")
    url, expires = documents().download_url(case.pdf_key, f"{case.form_id}-{case.case_id}.pdf")
    logger.info("pdf link issued", extra={"caseId": caseId})
    return ok({"url": url, "expiresAt": iso(expires), "fingerprint": case.fingerprint}, lang=lang)


@app.get("/cases/<caseId>/certificate")
def get_certificate(caseId: str) -> Any:
    """A short-lived download link for the certificate payroll issued, for whoever may see the case once it is
    sent — and for payroll before, to check it."""
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    case = visible_case(case_store(), directory(), caller, caseId, stockholm_date(now()))
    certificate = certificates.downloadable(caller, case)
    if certificate is None:
        raise NotFound("certificate_not_available")
    url, expires = documents().download_url(certificate.key, f"intyg-{case.case_id}.pdf")
    logger.info("certificate link issued", extra={"caseId": caseId})
    return ok({"url": url, "expiresAt": iso(expires), "sha256": certificate.sha256}, lang=lang)


@app.get("/cases/<caseId>/attachments/<attachmentId>")
def get_attachment(caseId: str, attachmentId: str) -> Any:
    """A short-lived download link for one of the case's attachments, for whoever may see the case."""
    event = app.current_event
    caller, lang = request.caller(event), request.language(event)
    case = visible_case(case_store(), directory(), caller, caseId, stockholm_date(now()))
    attachment = next((a for a in case.attachments if a.attachment_id == attachmentId), None)
    if attachment is None:
        raise NotFound("attachment_not_found")
    url, expires = file_store().download_url(
        attachment.key, filename=attachment.name, content_type=attachment.content_type
    )
    logger.info("attachment link issued", extra={"caseId": caseId, "attachmentId": attachmentId})
    return ok({"url": url, "expiresAt": iso(expires), "sha256": attachment.sha256}, lang=lang)


@app.get("/cases")
def get_cases() -> Any:
    event = app.current_event
    caller = request.caller(event)
    lang = request.language(event)
    params = request.query_params(event)
    query = replace(parse_query(params), cursor=paging.decode(params.get("nextToken")))
    partition_for(caller, query.scope, query.team)  # the scope's role first: nobody searches a list they lack
    filters = query.filters
    page = finding.page(  # with q: a case number, or a personnummer, in the caller's team or payroll's cases
        params,
        caller,
        lambda subject: list_cases(
            case_store(), caller, replace(query, filters=replace(filters, subject_id=subject or filters.subject_id))
        ),
    )
    return ok(
        {
            "items": [summary_view(s, catalogue(), lang, reader_id=caller.id) for s in page.items],
            "nextToken": paging.encode(page.cursor),
        },
        lang=lang,
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
