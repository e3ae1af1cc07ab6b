"""``nextToken``: the store's cursor, made opaque for clients (URL-safe base64 of compact JSON).

The token is not secret and need not be: the case store rejects any cursor that points outside the
partition the caller is entitled to list, so decoding here only has to be strict about the shape.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from eforms.core.common.errors import BadRequest

MAX_TOKEN_LENGTH = 2048


def encode(cursor: dict[str, Any] | None) -> str | None:
    if cursor is None:
        return None
    raw = json.dumps(cursor, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(token: str | None) -> dict[str, Any] | None:
    if token is None:
        return None
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise BadRequest("invalid_page_token")
    try:
        cursor = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError):
        raise BadRequest("invalid_page_token") from None
    if not isinstance(cursor, dict):
        raise BadRequest("invalid_page_token")
    return cursor
