"""Errors the domain raises; the API layer turns each into a precise 4xx problem response.

Every error carries a stable machine-readable ``code`` (clients switch on it) and the message is
produced per language at the edge, so the domain never has to know who is asking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One problem with one field, addressed by JSON pointer (RFC 6901) into the submitted data."""

    pointer: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


class DomainError(Exception):
    """Base for every expected failure. ``status`` is the HTTP status the API answers with."""

    status = 400
    code = "bad_request"

    def __init__(self, code: str | None = None, **params: Any) -> None:
        self.code = code or type(self).code
        self.params = params
        super().__init__(self.code)


class BadRequest(DomainError):
    status = 400
    code = "bad_request"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    """Also used when a case exists but the caller may not see it: never reveal existence."""

    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"


class ServiceUnavailable(DomainError):
    """A service the request needs is throttling or down; nothing was changed, the client may retry."""

    status = 503
    code = "service_unavailable"


class ValidationFailed(DomainError):
    """The submission broke the form's rules; ``errors`` lists every one of them."""

    status = 422
    code = "validation_failed"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__()
        self.errors = errors


class IdempotencyKeyReused(DomainError):
    """The Idempotency-Key was used before with a different body (IETF idempotency-key draft: 422)."""

    status = 422
    code = "idempotency_key_reused"
