"""Turning an API Gateway HTTP API (payload v2) request into trusted values, or a precise 4xx.

What API Gateway does not check, we do, before any parsing work: the content type, the size (HTTP API
accepts up to 10 MB; we accept 256 KiB), the encoding, well-formed JSON without duplicate keys or
NaN, and a sane nesting depth.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from eforms.core.common.errors import BadRequest, PayloadTooLarge, Unauthorized, UnsupportedMediaType
from eforms.core.common.i18n import Language, negotiate
from eforms.core.common.input_safety import MAX_DEPTH, depth_of
from eforms.core.identity.caller import BANKID, CENTRE, PAYROLL, PAYROLL_ROLES, BankIdIssuer, Caller, caller_from_claims
from eforms.core.organisations import people
from eforms.settings import settings

MAX_BODY_BYTES = 256 * 1024
_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def header(event: APIGatewayProxyEventV2, name: str) -> str | None:
    """A request header, looked up case-insensitively (Powertools' headers mapping is)."""
    value = event.headers.get(name)
    return str(value) if value is not None else None


def language(event: APIGatewayProxyEventV2) -> Language:
    """The reader's language from Accept-Language, among their organisation's languages (a Danish institution's
    people read Danish, or English if they ask; docs/organisations.md §5); any of ours without organisations."""
    return negotiate(header(event, "accept-language"), _organisation_languages(event))


def _organisation_languages(event: APIGatewayProxyEventV2) -> tuple[str, ...] | None:
    from eforms.wiring import organisations

    registry = organisations()
    if registry is None:
        return None
    authorizer = (event.raw_event.get("requestContext") or {}).get("authorizer") or {}
    claims = (authorizer.get("jwt") or {}).get("claims") or {}
    named = str(claims.get("org") or "") or (header(event, ORGANISATION_HEADER) or "").strip()
    organisation = registry.of(named) if _ORGANISATION_ID.match(named) or not named else None
    return organisation.languages if organisation else None


def caller(event: APIGatewayProxyEventV2, *, resolve: bool = True) -> Caller:
    """The signed-in caller from the JWT authorizer's claims; ``Unauthorized`` without them.

    A BankID token is resolved to the person it is (a former employee's id, or an outsider's) before any
    handler sees it, so every route treats the two kinds of sign-in the same way. ``resolve=False`` is for
    routes that only need to know someone is signed in, and how (the catalogue): no KMS, no directory.
    """
    authorizer = (event.raw_event.get("requestContext") or {}).get("authorizer") or {}
    claims = (authorizer.get("jwt") or {}).get("claims")
    config = settings()
    bankid = BankIdIssuer(config.bankid_issuer, config.bankid_personnummer_claim) if config.bankid_issuer else None
    who = caller_from_claims(claims, id_claim=config.employee_id_claim, bankid=bankid)
    if who.kind == BANKID:  # BankID names a person, not an organisation: the errand's is asked for
        who = replace(who, organisation_id=_errand_organisation(event))
    who = _in_organisation(who)
    if who.kind == BANKID and resolve:
        from eforms.core.identity.bankid import identify
        from eforms.wiring import directory, organisations, personnummer_hasher

        registry = organisations()
        namespace = registry.namespace(who.organisation_id) if registry else ""
        who = identify(who, directory(), personnummer_hasher(), namespace)
    return who


#: Which organisation a BankID sign-in's errand is for (docs/organisations.md, §2): a former employee of
#: kommun B asks kommun B. Without it, the centre's default organisation.
ORGANISATION_HEADER = "x-organisation"
_ORGANISATION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def _errand_organisation(event: APIGatewayProxyEventV2) -> str:
    named = (header(event, ORGANISATION_HEADER) or "").strip()
    if named and not _ORGANISATION_ID.match(named):
        raise Unauthorized("organisation_unknown")
    return named


def _in_organisation(who: Caller) -> Caller:
    """The caller with their organisation, the forms it offers and, for payroll, their teams
    (docs/organisations.md): the token's organisation, or the centre's default for a token without one (a
    BankID sign-in; the one organisation of before). One the registry does not know is refused: 401
    ``organisation_unknown``.

    The caller's id becomes the organisation's (``norrby/E1001``); a token whose subject already names an
    organisation is refused, so no identity provider can speak for another's people. Payroll roles count only
    for the centre's own people: a customer's provider cannot make anyone an officer. An officer works for
    the teams the token names, or their own organisation's; the centre-wide role for every team.
    """
    from eforms.wiring import organisations

    registry = organisations()
    if registry is None:
        return who
    if not who.organisation_id and who.kind != BANKID and settings().sign_in_with == "cognito":
        raise Unauthorized("organisation_unknown")  # the trigger stamps every token: one without is not ours
    organisation = registry.of(who.organisation_id)
    if organisation is None:
        raise Unauthorized("organisation_unknown")
    if who.kind == BANKID:
        if not organisation.bankid:
            raise Unauthorized("bankid_not_offered")  # its people sign in with their work accounts only
        return replace(who, organisation_id=organisation.organisation_id, offered=frozenset(organisation.forms))
    if not people.is_local(who.id):
        raise Unauthorized()
    roles, teams = who.roles, frozenset[str]()
    if organisation.organisation_id != registry.default:
        roles = roles - PAYROLL_ROLES
    elif CENTRE in roles:
        teams = frozenset(registry.centre.teams)
    elif PAYROLL in roles:
        teams = (who.teams & frozenset(registry.centre.teams)) or frozenset({organisation.payroll_team})
    return replace(
        who,
        id=registry.person_id(organisation.organisation_id, who.id),
        roles=roles,
        teams=teams,
        serves=frozenset(registry.namespace(o.organisation_id) for t in teams for o in registry.served_by(t)),
        organisation_id=organisation.organisation_id,
        offered=frozenset(organisation.forms),
    )


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError("duplicate key")
        result[key] = value
    return result


def _check_content_type(event: APIGatewayProxyEventV2) -> None:
    media_type, _, params = (header(event, "content-type") or "").partition(";")
    media_type = media_type.strip().lower()
    if media_type != "application/json" and not (
        media_type.startswith("application/") and media_type.endswith("+json")
    ):
        raise UnsupportedMediaType()
    charset = re.search(r"charset\s*=\s*\"?([\w-]+)", params, re.IGNORECASE)
    if charset and charset.group(1).lower() not in ("utf-8", "utf8"):
        raise UnsupportedMediaType()


def _body_bytes(event: APIGatewayProxyEventV2) -> bytes:
    """The raw body, size-checked before anything is decoded (a 10 MB body is refused unread)."""
    raw = event.raw_event.get("body") or ""
    if event.raw_event.get("isBase64Encoded"):
        if len(raw) > (MAX_BODY_BYTES * 4) // 3 + 4:
            raise PayloadTooLarge(limit=MAX_BODY_BYTES)
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest("invalid_encoding") from None
    else:
        if len(raw) > MAX_BODY_BYTES:  # cheap pre-check on characters before encoding anything
            raise PayloadTooLarge(limit=MAX_BODY_BYTES)
        data = raw.encode("utf-8", "surrogatepass")
    if len(data) > MAX_BODY_BYTES:
        raise PayloadTooLarge(limit=MAX_BODY_BYTES)
    return data


def json_body(event: APIGatewayProxyEventV2) -> Any:
    """The parsed JSON body, after every check in the module docstring."""
    _check_content_type(event)
    data = _body_bytes(event)
    if not data.strip():
        raise BadRequest("empty_body")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("invalid_encoding") from None
    try:
        document = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant)
    except RecursionError:
        raise BadRequest("too_deeply_nested", limit=MAX_DEPTH) from None
    except ValueError:
        raise BadRequest("invalid_json") from None
    if depth_of(document) > MAX_DEPTH:
        raise BadRequest("too_deeply_nested", limit=MAX_DEPTH)
    return document


def idempotency_key(event: APIGatewayProxyEventV2) -> str | None:
    value = header(event, "idempotency-key")
    if value is None:
        return None
    if not _IDEMPOTENCY_KEY.match(value):
        raise BadRequest("idempotency_key_invalid")
    return value


def query_params(event: APIGatewayProxyEventV2) -> dict[str, str]:
    """Query parameters; a repeated parameter (``a=1&a=2``, joined with commas by HTTP API) is refused."""
    params = dict(event.query_string_parameters or {})
    for name, value in params.items():
        if "," in value or len(value) > 2048:
            raise BadRequest("invalid_query", parameter=name[:40])
    return params


MAX_FORM_BYTES = 64 * 1024
_FORM_FIELDS = 50


def form_body(event: APIGatewayProxyEventV2) -> dict[str, list[str]]:
    """An HTML form post (``application/x-www-form-urlencoded``), size- and shape-checked."""
    media_type = (header(event, "content-type") or "").partition(";")[0].strip().lower()
    if media_type != "application/x-www-form-urlencoded":
        raise UnsupportedMediaType()
    raw = event.raw_event.get("body") or ""
    if len(raw) > MAX_FORM_BYTES * 2:
        raise PayloadTooLarge(limit=MAX_FORM_BYTES)
    data = _body_bytes(event)
    if len(data) > MAX_FORM_BYTES:
        raise PayloadTooLarge(limit=MAX_FORM_BYTES)
    try:
        text = data.decode("utf-8")
        fields = parse_qs(
            text, keep_blank_values=True, strict_parsing=False, max_num_fields=_FORM_FIELDS, errors="strict"
        )
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("invalid_encoding") from None
    return fields


def form_field(fields: dict[str, list[str]], name: str, default: str | None = None) -> str | None:
    """A field a page's form sends once. Sent twice (``decision=reject&decision=approve``) the post is refused
    (400 ``repeated_field``): no reading of it may pick one of the two for the person."""
    values = fields.get(name)
    if values and len(values) > 1:
        raise BadRequest("repeated_field", field=name)
    return values[0] if values else default


def pdf_body(event: APIGatewayProxyEventV2, *, limit: int) -> bytes:
    """An uploaded document (``application/pdf``), size-checked before it is decoded; 413 past ``limit``."""
    media_type = (header(event, "content-type") or "").partition(";")[0].strip().lower()
    if media_type != "application/pdf":
        raise UnsupportedMediaType()
    raw = event.raw_event.get("body") or ""
    if len(raw) > (limit * 4) // 3 + 4:
        raise PayloadTooLarge(limit=limit)
    if event.raw_event.get("isBase64Encoded"):
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest("invalid_encoding") from None
    else:
        data = raw.encode("latin-1", "replace")  # a binary body that was not base64-encoded: as sent
    if len(data) > limit:
        raise PayloadTooLarge(limit=limit)
    return data


def version_param(event: APIGatewayProxyEventV2) -> int:
    """``?version=N`` for changes whose body is a document, not JSON."""
    raw = query_params(event).get("version", "")
    if not raw.isdigit() or not 0 < int(raw) < 2**31:
        raise BadRequest("invalid_query", parameter="version")
    return int(raw)
