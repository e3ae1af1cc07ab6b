"""API Gateway HTTP API request events, payload format 2.0, as AWS builds them.

One detail matters for fidelity: the JWT authorizer passes claims on as strings, and arrays as
``"[a b]"``. The local front and the tests build events here so handlers see exactly that shape.
"""

from __future__ import annotations

import base64
import time
import uuid
from typing import Any
from urllib.parse import parse_qsl

_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript", "+json", "+xml")


def claims_as_api_gateway_passes_them(claims: dict[str, Any]) -> dict[str, str]:
    def flatten(value: Any) -> str:
        if isinstance(value, list | tuple):
            return "[" + " ".join(str(v) for v in value) + "]"
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    return {name: flatten(value) for name, value in claims.items()}


def _is_text(content_type: str) -> bool:
    lowered = content_type.lower()
    return any(marker in lowered for marker in _TEXT_TYPES)


def http_event(
    method: str,
    path: str,
    *,
    route_key: str,
    path_parameters: dict[str, str] | None = None,
    query: str = "",
    headers: dict[str, str] | None = None,
    body: bytes | str | None = None,
    claims: dict[str, Any] | None = None,
    source_ip: str = "127.0.0.1",
) -> dict[str, Any]:
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    raw_body = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    is_base64 = False
    body_text: str | None = None
    if raw_body is not None:
        try:
            if not _is_text(lowered.get("content-type", "")):
                raise UnicodeDecodeError("utf-8", b"", 0, 1, "binary content type")
            body_text = raw_body.decode("utf-8")
        except UnicodeDecodeError:
            body_text, is_base64 = base64.b64encode(raw_body).decode(), True
    query_params: dict[str, str] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        query_params[name] = f"{query_params[name]},{value}" if name in query_params else value
    now = time.time()
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": query,
        "headers": lowered,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": lowered.get("host", "localhost"),
            "domainPrefix": "local",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": lowered.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": route_key,
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": is_base64,
    }
    if query_params:
        event["queryStringParameters"] = query_params
    if path_parameters:
        event["pathParameters"] = path_parameters
    if body_text is not None:
        event["body"] = body_text
    if claims is not None:
        event["requestContext"]["authorizer"] = {
            "jwt": {"claims": claims_as_api_gateway_passes_them(claims), "scopes": None}
        }
    return event
