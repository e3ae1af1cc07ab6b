"""Delivering one case event to one signed webhook subscriber: what is sent, and what a failure means.

The delivery function reads case events from the subscriber's queue (an EventBridge rule on the case bus puts
them there) and hands each to :class:`Deliverer`. The body is the event exactly as EventBridge carried it,
the documented envelope of docs/events.md, which holds ids and codes, never personal data. Any answer but
2xx is a failure: the message stays in the queue, comes back after :func:`retry_delay`, and after the
queue's last attempt moves to the subscriber's dead-letter queue, where an alarm fires.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

from eforms.core.integrations.signing import key_of, signature

USER_AGENT = "eforms-webhooks/1"


@dataclass(frozen=True)
class Auth:
    """How the subscriber's endpoint wants us to identify ourselves, besides the signature."""

    kind: str  # "api_key" or "oauth_client_credentials"
    secret_id: str  # Secrets Manager: {"apiKey": …} or {"clientSecret": …}
    header: str = "X-Api-Key"
    token_url: str = ""
    client_id: str = ""
    scope: str = ""


@dataclass(frozen=True)
class Target:
    """A signed subscriber, as the template passes it to the delivery function."""

    name: str
    url: str
    signing_secret_id: str
    auth: Auth | None = None


def targets(config: str) -> dict[str, Target]:
    """The delivery function's ``WEBHOOK_TARGETS``: JSON, keyed by the subscriber queue's ARN."""
    found = {}
    for queue_arn, raw in json.loads(config or "{}").items():
        auth = raw.get("auth")
        found[queue_arn] = Target(
            name=raw["name"],
            url=raw["url"],
            signing_secret_id=raw["signingSecret"],
            auth=Auth(
                kind=auth["type"],
                secret_id=auth["secret"],
                header=auth.get("header", "X-Api-Key"),
                token_url=auth.get("tokenUrl", ""),
                client_id=auth.get("clientId", ""),
                scope=auth.get("scope", ""),
            )
            if auth
            else None,
        )
    return found


class Secrets(Protocol):
    def get(self, secret_id: str) -> str: ...


class Http(Protocol):
    def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        """POST and return the status code; a network failure is status 0."""
        ...

    def client_credentials_token(self, auth: Auth, client_secret: str) -> str:
        """An OAuth 2.0 access token for ``auth`` (client credentials grant), cached until near its expiry."""
        ...


class UnknownQueue(Exception):
    """A record from a queue the function has no subscriber for (a template and function out of step)."""


class MalformedEvent(ValueError):
    """A queued record that is not an EventBridge event (it can never be delivered: it ends dead-lettered)."""


def retry_delay(attempt: int, *, base: int = 30, cap: int = 3600) -> int:
    """Seconds before the next attempt after failed attempt number ``attempt`` (1, 2, …): 30 s doubling to
    an hour. With the queue's 12 receives that is about six hours before the dead-letter queue."""
    return int(min(cap, base * 2 ** max(0, attempt - 1)))


@dataclass
class Deliverer:
    targets: dict[str, Target]
    secrets: Secrets
    http: Http

    def request(self, target: Target, event_id: str, body: bytes, *, now: int) -> dict[str, str]:
        """The headers of one delivery: the signature, the ids a receiver deduplicates on, and auth."""
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "webhook-id": event_id,
            "webhook-timestamp": str(now),
            "webhook-signature": signature(key_of(self.secrets.get(target.signing_secret_id)), event_id, now, body),
        }
        if target.auth and target.auth.kind == "api_key":
            headers[target.auth.header] = _secret_field(self.secrets.get(target.auth.secret_id), "apiKey")
        elif target.auth:
            client_secret = _secret_field(self.secrets.get(target.auth.secret_id), "clientSecret")
            headers["Authorization"] = f"Bearer {self.http.client_credentials_token(target.auth, client_secret)}"
        return headers

    def deliver(self, queue_arn: str, body: str, *, now: int) -> tuple[Target, int]:
        """POST one queued event to its subscriber; the target and the status it answered (0: no answer)."""
        target = self.targets.get(queue_arn)
        if target is None:
            raise UnknownQueue(queue_arn)
        try:
            event: Any = json.loads(body)
            # The case event's own stable id: the same however often the entry is announced or replayed
            # (EventBridge's envelope id is new on every PutEvents). An event from before ids: the envelope's.
            detail = event.get("detail")
            event_id = detail.get("eventId") if isinstance(detail, dict) and "eventId" in detail else event["id"]
        except (ValueError, TypeError, KeyError, AttributeError):
            raise MalformedEvent(queue_arn) from None
        if not isinstance(event_id, str) or not event_id:
            raise MalformedEvent(queue_arn)
        payload = body.encode()
        return target, self.http.post(target.url, payload, self.request(target, event_id, payload, now=now))


def delivered(status: int) -> bool:
    return 200 <= status < 300


def _secret_field(secret: str, name: str) -> str:
    """A field of a JSON secret, or the whole secret when it is plain text."""
    try:
        parsed = json.loads(secret)
    except ValueError:
        return secret
    return str(parsed[name]) if isinstance(parsed, dict) else secret
