"""The local HTTP front: what API Gateway's HTTP API does on AWS, on 127.0.0.1.

It routes every path that ``template.yaml`` declares to its function's handler with a payload-v2
event, after the same JWT check the authorizer does, and answers the way API Gateway answers when it
refuses a request itself (unknown route, missing/invalid token, body over 10 MB). Requests arrive on threads
of their own; each function invocation waits its turn (``devstack.lambdas.invoke``), so no handler ever sees
another request's event.

Besides the API it serves the dev identity provider (``/dev/...``, ``/.well-known/...``).
"""

from __future__ import annotations

import gzip
import json
import logging
import mimetypes
import os
import re
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from devstack import lambdas
from devstack.events import http_event
from devstack.template import ROOT, FunctionSpec, Route
from devstack.tokens import AuthorizationError, DevIssuer, bearer_token

API_GATEWAY_MAX_BODY = 10 * 1024 * 1024
#: A form post of the largest attachment a form may take, with its fields.
S3_POST_MAX_BODY = 21 * 1024 * 1024
#: The built web client (``EFORMS_WEB_DIST`` serves another build: bench/web_first_load.py's one-chunk baseline).
WEB_DIST = Path(os.environ.get("EFORMS_WEB_DIST") or ROOT / "web" / "dist")
_CASE_PAGE = re.compile(r"^/cases/([0-9A-HJKMNP-TV-Z]{26})(?:/pdf)?$")
_DECISION_TOKEN = re.compile(r"(/decisions/)[A-Za-z0-9_-]+")
_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")
DRAIN_LIMIT = 64 * 1024 * 1024  # read and discard up to this much of an oversized body before answering
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, Accept-Language, Idempotency-Key, X-Organisation",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Max-Age": "600",
}


@dataclass
class Persona:
    id: str
    name: str
    email: str
    roles: list[str]
    description: str = ""
    #: A BankID persona's personnummer: the broker's token carries it (and no directory id).
    personnummer: str = ""
    #: The organisation (organisations/<id>.json) whose identity provider signs the persona in.
    organisation: str = ""
    #: The person's id in their organisation's own systems (``E1001``); the persona's key if not given.
    employee_id: str = ""
    #: A payroll officer's teams (centre.json), as the centre's provider asserts them.
    teams: list[str] = field(default_factory=list)

    def claims(self) -> dict[str, Any]:
        claims: dict[str, Any]
        if self.personnummer:
            claims = {"sub": f"bankid-{self.id}", "name": self.name, "personnummer": self.personnummer}
            return {**claims, "email": self.email} if self.email else claims
        claims = {"sub": self.employee_id or self.id, "name": self.name, "email": self.email, "roles": self.roles}
        if self.organisation:  # as Cognito's trigger stamps it from the provider that signed the person in
            claims["org"] = self.organisation
        return {**claims, "teams": self.teams} if self.teams else claims


class Router:
    """Matches a request to the template route and function that serve it, as API Gateway does."""

    def __init__(self, functions: list[FunctionSpec]) -> None:
        self._routes = [(route, route.pattern(), spec) for spec in functions for route in spec.routes]

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str], FunctionSpec] | None:
        for route, pattern, spec in self._routes:
            found = pattern.match(path)
            if found and route.method == method:
                return route, found.groupdict(), spec
        return None


BANKID_IDP_PREFIX = "/bankid-idp"


def organisations_listed() -> list[dict[str, Any]]:
    """The organisations people sign in for (organisations/<id>.json): names and the email domains that find
    each, as a sign-in page shows them; [] where none are declared."""
    from eforms.core.organisations.registry import Registry

    registry = Registry.read(ROOT / "organisations")
    if registry is None:
        return []
    return [
        {
            "id": o.organisation_id,
            "names": o.names,
            "emailDomains": list(o.email_domains),
            "bankid": o.bankid,
            "default": o.organisation_id == registry.default,
        }
        for o in registry.organisations.values()
    ]


def _persona_picker(provider: Provider, params: dict[str, str]) -> str:
    """The dev provider's choices, as Cognito's hosted page would put them: the organisation first — picked,
    or found from the work email's domain — then its people (every organisation's, until one is picked)."""
    # The BankID broker's people belong to no organisation: they say which one an errand is for, later.
    listed = organisations_listed() if any(p.organisation for p in provider.personas.values()) else []
    email = params.get("email", "").strip().lower()
    found = next((o["id"] for o in listed if email.rpartition("@")[2] in o["emailDomains"]), "") if email else ""
    chosen = params.get("organisation", "") or found
    base = {k: v for k, v in params.items() if k not in ("organisation", "email", "persona")}
    finder = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in base.items())
    finder = (
        f'<form method="get"><label>Work email <input name="email" type="email" value="{escape(email)}"></label>'
        f"{finder}<button>Find my organisation</button></form>"
    )
    if email and not found:
        finder += '<p role="alert">No organisation signs in with that address.</p>'
    groups = []
    for organisation in listed or [{"id": "", "names": {"sv": "Demo"}}]:
        if chosen and organisation["id"] != chosen:
            continue
        people = [p for p in provider.personas.values() if p.organisation == organisation["id"] or not listed]
        choices = "".join(
            f'<li><a data-persona="{escape(p.id)}" href="?{escape(urlencode({**base, "persona": p.id}))}">'
            f"<strong>{escape(p.name)}</strong> {escape(p.description)}</a></li>"
            for p in people
        )
        if choices:
            link = escape(urlencode({**base, "organisation": organisation["id"]}))
            groups.append(f'<h2><a href="?{link}">{escape(organisation["names"]["sv"])}</a></h2><ul>{choices}</ul>')
    return finder + "<p>Sign in as (local demo personas):</p>" + "".join(groups)


@dataclass
class Provider:
    """A dev identity provider mounted at ``prefix`` on the front: the BankID broker, next to the
    organisation's provider at the root (``/dev/…``, ``/.well-known/…``)."""

    prefix: str
    issuer: DevIssuer
    personas: dict[str, Persona]


@dataclass
class Front:
    """Everything a request needs: routes, the token issuers, the personas they may sign for."""

    functions: list[FunctionSpec]
    issuer: DevIssuer
    personas: dict[str, Persona]
    bankid: Provider | None = None

    def __post_init__(self) -> None:
        self.router = Router(self.functions)

    def provider(self, path: str) -> tuple[Provider, str]:
        """The provider a ``/dev/…`` or ``/.well-known/…`` path is for, and the path within it."""
        if self.bankid is not None and path.startswith(self.bankid.prefix + "/"):
            return self.bankid, path.removeprefix(self.bankid.prefix)
        return Provider("", self.issuer, self.personas), path

    def issuer_for(self, authorizer: str | None) -> DevIssuer:
        """The issuer whose tokens a route's authorizer accepts, as API Gateway's JWT authorizers do."""
        if authorizer == "BankIdAuthorizer" and self.bankid is not None:
            return self.bankid.issuer
        return self.issuer

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str], FunctionSpec] | None:
        return self.router.match(method, path)

    def invoke(self, spec: FunctionSpec, event: dict[str, Any]) -> dict[str, Any]:
        """Run the handler; a crash becomes API Gateway's own 500 answer, as on AWS."""
        try:
            result: dict[str, Any] = lambdas.invoke(spec, event)
        except Exception:
            logging.getLogger("devstack").exception("%s failed", spec.logical_id)
            return {
                "statusCode": 500,
                "body": '{"message":"Internal Server Error"}',
                "headers": {"Content-Type": "application/json"},
            }
        return result


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """The request log, with a decision link's token redacted as API Gateway's access log would be
        configured to: the token is the approver's credential."""
        if not self.server.quiet:
            self.log_line(_DECISION_TOKEN.sub(r"\1<redacted>", format % args))

    def log_line(self, line: str) -> None:
        sys.stderr.write(f"{self.address_string()} - - [{self.log_date_time_string()}] {line}\n")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals as API Gateway answers them: JSON, and an unknown method is 405."""
        if code == HTTPStatus.NOT_IMPLEMENTED:  # no do_<METHOD>: a method no route takes
            self.close_connection = True  # its body, if any, was not read
            self._send(
                HTTPStatus.METHOD_NOT_ALLOWED,
                b'{"message":"Method Not Allowed"}',
                {"Content-Type": "application/json", "Allow": ", ".join(_METHODS)},
            )
            return
        super().send_error(code, message, explain)

    # ------------------------------------------------------------- plumbing
    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in {**CORS_HEADERS, **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, body: Any) -> None:
        self._send(status, json.dumps(body).encode(), {"Content-Type": "application/json"})

    def _read_body(self) -> bytes | None:
        """The body, or None when it is over API Gateway's limit (then drained, so the client hears 413)."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if length > API_GATEWAY_MAX_BODY:
            self.close_connection = True
            remaining = min(length, DRAIN_LIMIT)
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 1 << 16))
                if not chunk:
                    break
                remaining -= len(chunk)
            return None
        return self.rfile.read(length) if length > 0 else b""

    # ------------------------------------------------------------- verbs
    def do_OPTIONS(self) -> None:
        # A preflight's body (rare, but allowed) is read, so it is not taken for the next request on the
        # kept-alive connection.
        if self._read_body() is None:
            self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"message": "Request Entity Too Large"})
            return
        self._send(HTTPStatus.NO_CONTENT, b"", {})

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        """As GET, without the body (``_send`` writes none for HEAD): the headers a GET would have."""
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def _dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        if method == "POST" and url.path.startswith("/s3/"):
            self._s3_post(url.path.removeprefix("/s3"))
            return
        body = self._read_body()
        if body is None:
            self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"message": "Request Entity Too Large"})
            return
        if url.path.startswith(("/dev/", "/.well-known/", BANKID_IDP_PREFIX + "/")):
            self._dev(method, url.path, body, url.query)
            return
        if method == "GET" and (url.path == "/" or url.path.startswith("/app/") or url.path == "/app"):
            self._static(url.path)
            return
        if method == "GET" and self._browser_navigation() and (case_id := _case_page(url.path)):
            # An email's case link, opened in a browser: the web client shows the case after sign-in.
            self._send(HTTPStatus.FOUND, b"", {"Location": f"/app/#/cases/{case_id}"})
            return
        front = self.server.front
        matched = front.match(method, url.path)
        if matched is None:
            self._json(HTTPStatus.NOT_FOUND, {"message": "Not Found"})
            return
        route, path_parameters, spec = matched
        claims = None
        if route.auth:
            token = bearer_token(self.headers.get("Authorization"))
            claims = front.issuer_for(route.authorizer).verify(token) if token else None
            if claims is None:
                self._send(
                    HTTPStatus.UNAUTHORIZED,
                    b'{"message":"Unauthorized"}',
                    {"Content-Type": "application/json", "WWW-Authenticate": "Bearer"},
                )
                return
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]},{value}" if key in headers else value
        event = http_event(
            method,
            url.path,
            route_key=route.route_key,
            path_parameters=path_parameters or None,
            query=url.query,
            headers=headers,
            body=body if body or method in ("POST", "PUT", "PATCH") else None,
            claims=claims,
            source_ip=self.client_address[0],
        )
        result = front.invoke(spec, event)
        self._lambda_response(result)

    def _s3_post(self, path: str) -> None:
        """A browser's presigned POST of an attachment, passed to the local S3 (moto) as S3 would take it.

        Stands in for the bucket's own endpoint, which browsers reach directly on AWS: same-origin here, so
        the local S3 needs no CORS. Only bucket-root form posts pass; nothing else of S3 is reachable.
        """
        endpoint = os.environ.get("AWS_ENDPOINT_URL", "")
        length = int(self.headers.get("Content-Length") or 0)
        if not endpoint or path.count("/") != 1 or not 0 < length <= S3_POST_MAX_BODY:
            self._json(HTTPStatus.BAD_REQUEST, {"message": "Bad Request"})
            return
        forwarded = urllib.request.Request(  # noqa: S310 - the local moto server, on loopback
            endpoint + path,
            data=self.rfile.read(length),
            method="POST",
            headers={"Content-Type": self.headers.get("Content-Type", "")},
        )
        try:
            with urllib.request.urlopen(forwarded, timeout=30) as answer:  # noqa: S310
                status, body = answer.status, answer.read()
        except urllib.error.HTTPError as refused:
            status, body = refused.code, refused.read()
        self._send(status, body, {"Content-Type": "application/xml"} if body else {})

    def _browser_navigation(self) -> bool:
        return "Authorization" not in self.headers and "text/html" in self.headers.get("Accept", "")

    def _static(self, path: str) -> None:
        """The web client's built files (web/dist), under /app/ as CloudFront serves them."""
        if path in ("/", "/app"):
            self._send(HTTPStatus.FOUND, b"", {"Location": "/app/"})
            return
        relative = path.removeprefix("/app/") or "index.html"
        target = (WEB_DIST / relative).resolve()
        if not target.is_relative_to(WEB_DIST.resolve()) or not target.is_file():
            self._json(HTTPStatus.NOT_FOUND, {"message": "Not Found"})
            return
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        headers = {"Content-Type": content_type, "Cache-Control": "no-cache"}
        body = target.read_bytes()
        if content_type.startswith("text/") or content_type.endswith(("javascript", "json", "svg+xml")):
            headers["Content-Type"] += "; charset=utf-8"
            # Compressed as CloudFront compresses it (the distribution's Compress: true), so a phone's first
            # load measured here is the one it gets.
            headers["Vary"] = "Accept-Encoding"
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                body, headers["Content-Encoding"] = gzip.compress(body, 6), "gzip"
        self._send(HTTPStatus.OK, body, headers)

    def _lambda_response(self, result: dict[str, Any]) -> None:
        import base64

        body = result.get("body") or ""
        raw = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode()
        headers = {k: str(v) for k, v in (result.get("headers") or {}).items()}
        for name, values in (result.get("multiValueHeaders") or {}).items():
            headers[name] = ", ".join(str(v) for v in values)
        self._send(int(result.get("statusCode", 200)), raw, headers)

    def _authorize(self, provider: Provider, query: str) -> None:
        """The dev provider's sign-in page: pick a persona, go back to the client with a one-time code."""
        params = dict(parse_qsl(query))
        try:
            provider.issuer.check_authorization_request(params)
        except AuthorizationError as refused:  # never redirect to a URI that failed the check
            self._json(HTTPStatus.BAD_REQUEST, refused.response())
            return
        persona = provider.personas.get(params.get("persona", ""))
        if persona is not None:
            code = provider.issuer.authorize(params, persona.claims())
            location = f"{params['redirect_uri']}?{urlencode({'code': code, 'state': params.get('state', '')})}"
            self._send(HTTPStatus.FOUND, b"", {"Location": location})
            return
        page = (
            '<!doctype html><html lang="sv"><meta charset="utf-8"><title>Dev identity provider</title>'
            "<h1>Dev identity provider</h1>" + _persona_picker(provider, params) + "</html>"
        )
        self._send(HTTPStatus.OK, page.encode(), {"Content-Type": "text/html; charset=utf-8"})

    def _stack_tool(self, path: str, body: bytes) -> None:
        """The stack's own tools: the mailbox (every email sent) and the moved clock (devstack/dev_clock.py)."""
        if path == "/dev/mailbox":
            from dataclasses import asdict

            from devstack.mailbox import sent_emails

            shown = [
                {
                    **asdict(m),
                    "attachments": [{"filename": n, "contentType": t, "size": len(d)} for n, t, d in m.attachments],
                }
                for m in reversed(sent_emails())
            ]
            self._json(HTTPStatus.OK, {"emails": shown})
            return
        from devstack import dev_clock
        from eforms import wiring
        from eforms.core.common.clock import iso

        try:
            dev_clock.move(dev_clock.parse(json.loads(body or b"{}").get("at")))
        except (ValueError, AttributeError) as wrong:
            self._json(HTTPStatus.BAD_REQUEST, {"message": str(wrong)})
            return
        self._json(HTTPStatus.OK, {"now": iso(wiring.now())})

    def _dev(self, method: str, full_path: str, body: bytes, query: str = "") -> None:
        front = self.server.front
        provider, path = front.provider(full_path)
        if method == "GET" and path == "/.well-known/jwks.json":
            self._json(HTTPStatus.OK, provider.issuer.jwks())
        elif method == "GET" and path == "/.well-known/openid-configuration":
            self._json(HTTPStatus.OK, provider.issuer.discovery())
        elif method == "GET" and path == "/dev/authorize":
            self._authorize(provider, query)
        elif method == "POST" and path == "/dev/oauth/token":
            try:
                self._json(HTTPStatus.OK, provider.issuer.exchange(dict(parse_qsl(body.decode(errors="replace")))))
            except AuthorizationError as refused:
                self._json(HTTPStatus.BAD_REQUEST, refused.response())
        elif not provider.prefix and (method, path) in (("GET", "/dev/mailbox"), ("POST", "/dev/clock")):
            self._stack_tool(path, body)
        elif method == "GET" and path == "/dev/personas":
            personas = [
                {
                    "id": p.id,
                    "name": p.name,
                    "roles": p.roles,
                    "description": p.description,
                    "organisation": p.organisation,
                }
                for p in provider.personas.values()
            ]
            self._json(HTTPStatus.OK, {"personas": personas, "organisations": organisations_listed()})
        elif method == "POST" and path == "/dev/token":
            try:
                persona_id = json.loads(body or b"{}").get("persona")
            except (ValueError, AttributeError):
                persona_id = None
            persona = provider.personas.get(persona_id) if isinstance(persona_id, str) else None
            if persona is None:
                self._json(HTTPStatus.BAD_REQUEST, {"message": "unknown persona", "personas": list(provider.personas)})
                return
            self._json(HTTPStatus.OK, {"token": provider.issuer.sign(persona.claims()), "persona": persona.id})
        else:
            self._json(HTTPStatus.NOT_FOUND, {"message": "Not Found"})


def _case_page(path: str) -> str | None:
    match = _CASE_PAGE.match(path)
    return match.group(1) if match else None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a page's burst of parallel requests (and the tests' 50) all get in

    def __init__(self, address: tuple[str, int], front: Front, *, quiet: bool) -> None:
        super().__init__(address, _Handler)
        self.front = front
        self.quiet = quiet


def serve(front: Front, host: str = "127.0.0.1", port: int = 0, *, quiet: bool = False) -> _Server:
    """Bind (port 0 picks a free one) without serving yet; call ``serve_forever`` on the result."""
    return _Server((host, port), front, quiet=quiet)
