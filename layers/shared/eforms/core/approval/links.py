"""Decision links: the capability in the approver's email.

A link carries 256 bits no one can guess: an HMAC-SHA256, under a key that never leaves KMS, of the workflow
step that asks (:func:`token_for`) — so a retry of that step, after an email whose reply was lost, mails
the very same working link instead of a new one that kills the first. Only the SHA-256 of the token is
stored, so a copy of the table cannot be turned into working links. A link is bound to one
case, one approver and one case version, expires (14 days by default) and works once; any later link for
the same case (a reminder, an escalation, a correction round) supersedes it.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

TOKEN_BYTES = 32
_TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")


@dataclass(frozen=True)
class DecisionLink:
    link_hash: str
    case_id: str
    approver_id: str
    case_version: int  # the case version the link was issued for
    valid_until: datetime
    used_at: datetime | None = None


class LinkProblem(Exception):
    """Why a link cannot be used: ``unknown``, ``expired``, ``used`` or ``superseded``."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class LinkSigner(Protocol):
    def mac(self, message: bytes) -> bytes:
        """HMAC-SHA256 of ``message`` under the decision links' key (32 bytes)."""
        ...


def new_token() -> tuple[str, str]:
    """A fresh random link token and its hash (the hash is what gets stored)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def token_for(signer: LinkSigner, case_id: str, task_token: str) -> tuple[str, str]:
    """The link token of the workflow step waiting on ``task_token`` and its hash: the same on every retry
    of that step, different for every other step (a reminder, an escalation and each round wait on tokens of
    their own)."""
    mac = signer.mac(f"decision-link|{case_id}|{task_token}".encode())
    token = base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def well_formed(token: str) -> bool:
    """Cheap shape check before any lookup: a truncated or padded token is simply unknown."""
    return bool(_TOKEN_PATTERN.match(token))


def check(
    link: DecisionLink | None, *, current_hash: str | None, current_version: int, awaiting: bool, now: datetime
) -> DecisionLink:
    """The link if it may decide now, else ``LinkProblem`` naming why not.

    Order matters for the message a person sees: a used link says "already used" even after it expired.
    """
    if link is None:
        raise LinkProblem("unknown")
    if link.used_at is not None:
        raise LinkProblem("used")
    if link.link_hash != current_hash or link.case_version != current_version or not awaiting:
        raise LinkProblem("superseded")
    if now >= link.valid_until:
        raise LinkProblem("expired")
    return link
