"""Reading the emails the system sent from moto's SES, as parsed messages (tests and the dev mailbox)."""

from __future__ import annotations

import email
from dataclasses import dataclass
from email import policy
from typing import Any

from devstack.resources import ACCOUNT, REGION


@dataclass(frozen=True)
class SentEmail:
    to: list[str]
    sender: str
    subject: str
    kind: str
    case_id: str
    language: str
    text: str
    html: str
    #: (file name, content type, bytes) of each attached file
    attachments: tuple[tuple[str, str, bytes], ...] = ()


def _parse(raw: str | bytes) -> SentEmail:
    # moto keeps the raw message as text; a part sent 8bit (short Swedish text) is UTF-8 inside it, so the
    # message is parsed from its bytes and each part decoded by its own charset, not read as ASCII.
    data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else raw
    message: Any = email.message_from_bytes(data, policy=policy.default)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return SentEmail(
        to=[a.strip() for a in str(message.get("To", "")).split(",") if a.strip()],
        sender=str(message.get("From", "")),
        subject=str(message.get("Subject", "")),
        kind=str(message.get("X-Eforms-Kind", "")),
        case_id=str(message.get("X-Eforms-Case", "")),
        language=str(message.get("Content-Language", "")),
        text=text.get_content() if text else "",
        html=html.get_content() if html else "",
        attachments=tuple(
            (str(part.get_filename()), part.get_content_type(), part.get_content())
            for part in message.iter_attachments()
        ),
    )


def sent_emails() -> list[SentEmail]:
    """Every raw email moto's SES accepted in this process, oldest first."""
    from moto.ses.models import ses_backends

    backend = ses_backends[ACCOUNT][REGION]
    return [_parse(m.raw_data) for m in backend.sent_messages if hasattr(m, "raw_data")]
