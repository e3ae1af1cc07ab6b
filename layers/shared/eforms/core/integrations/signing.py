"""Signed webhook payloads, in the Standard Webhooks scheme (standardwebhooks.com), so a receiver can verify
them with an off-the-shelf library or twenty lines of its own.

The signed content is ``{webhook-id}.{webhook-timestamp}.{body}``; the signature is HMAC-SHA256 of it under the
subscriber's key, base64, sent as ``webhook-signature: v1,<signature>``. The timestamp (Unix seconds) lets a
receiver refuse replays older than a few minutes; the id (the EventBridge event's id) lets it ignore a repeat.
EventBridge cannot sign, which is why signed subscribers are delivered by our own function (docs/webhooks.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

VERSION = "v1"
TOLERANCE_SECONDS = 300


def signature(key: bytes, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header's value for one delivery."""
    content = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, content, hashlib.sha256).digest()
    return f"{VERSION},{base64.b64encode(digest).decode()}"


def verifies(key: bytes, message_id: str, timestamp: int, body: bytes, header: str, *, now: int) -> bool:
    """Whether ``header`` (one or more space-separated ``v1,<sig>``, as during a key rotation) signs the body,
    and the timestamp is within :data:`TOLERANCE_SECONDS` of ``now``: a receiver's check, and ours in tests."""
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = signature(key, message_id, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in header.split())


def key_of(secret: str) -> bytes:
    """The HMAC key from the stored secret: its UTF-8 bytes. (With a Standard Webhooks library, pass
    ``"whsec_" + base64(secret)``: the library base64-decodes what follows the prefix.)"""
    return secret.encode()
