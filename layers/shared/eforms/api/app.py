"""The Powertools HTTP API resolver every API function uses, with one way of answering errors.

Errors are ``application/problem+json`` (RFC 9457) with a stable ``code``, a human ``title`` in the
caller's language (Accept-Language: Swedish unless English is preferred) and, for validation
failures, ``errors``: one entry per field with its JSON pointer, code and message.
"""

from __future__ import annotations

import json
from typing import Any

from eforms.api.request import language
from eforms.api.resolver import APIGatewayHttpResolver, Response
from eforms.aws.availability import aws_code, aws_unavailable
from eforms.core.common.errors import DomainError, NotFound, ServiceUnavailable, ValidationFailed
from eforms.core.common.i18n import Language, message
from eforms.observability import logger

PROBLEM_JSON = "application/problem+json"
JSON = "application/json"


def dumps(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def problem(error: DomainError, lang: Language) -> Response[str]:
    body: dict[str, Any] = {
        "type": f"urn:eforms:problem:{error.code}",
        "title": message(error.code, lang, error.params),
        "status": error.status,
        "code": error.code,
    }
    if error.params:
        # RFC 9457 extension members: e.g. the case's status when an action does not fit it (409).
        body["params"] = error.params
    if isinstance(error, ValidationFailed):
        body["errors"] = [
            {"pointer": e.pointer, "code": e.code, "message": message(e.code, lang, e.params), **_params(e.params)}
            for e in error.errors
        ]
    return Response(
        status_code=error.status,
        content_type=PROBLEM_JSON,
        body=dumps(body),
        headers={"Content-Language": lang, "Cache-Control": "no-store"},
    )


def _params(params: dict[str, Any]) -> dict[str, Any]:
    return {"params": params} if params else {}


def ok(
    body: Any, *, status: int = 200, lang: Language | None = None, headers: dict[str, str] | None = None
) -> Response[str]:
    all_headers = {"Cache-Control": "no-store", "Vary": "Accept-Language, Authorization"}
    if lang:
        all_headers["Content-Language"] = lang
    all_headers.update(headers or {})
    return Response(status_code=status, content_type=JSON, body=dumps(body), headers=all_headers)


RETRY_AFTER_SECONDS = 5
#: The BankID sign-in reaches the same handlers under this prefix (its own JWT authorizer in template.yaml).
BANKID_PREFIX = "/bankid"


def create_app() -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(strip_prefixes=[BANKID_PREFIX])

    @app.exception_handler(DomainError)  # type: ignore[untyped-decorator]
    def _domain_error(error: DomainError) -> Response[str]:
        logger.info("request refused", extra={"status": error.status, "code": error.code})
        return problem(error, language(app.current_event))

    @app.exception_handler(Exception)  # type: ignore[untyped-decorator]
    def _unexpected(error: Exception) -> Response[str]:
        """An AWS service that is throttling or down is answered honestly: 503 with Retry-After, nothing
        half-written (every change is one conditional transaction). Anything else is a defect: re-raised, so
        Lambda reports the error, the 5xx alarm fires and the trace shows where."""
        if not aws_unavailable(error):
            raise error
        logger.error("aws unavailable", extra={"error": type(error).__name__, "code": aws_code(error)})
        response = problem(ServiceUnavailable(), language(app.current_event))
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.not_found
    def _no_route(_: Exception) -> Response[str]:
        return problem(NotFound("route_not_found"), language(app.current_event))

    return app
