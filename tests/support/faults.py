"""Injecting AWS faults at the botocore layer: a ``before-send`` hook answers instead of moto.

The handlers' own clients (``eforms.aws.clients.client``) get the hook, so the call fails exactly as it
would against AWS — after botocore's own retries — and nothing reaches the emulated service (a test below
the fault tests proves that: a refused write is not in the table).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.awsrequest import AWSResponse

from eforms.aws.clients import client

_PROTOCOL_ERRORS = {
    # service → (content type, body) of a throttling answer in that service's protocol
    "dynamodb": (
        "application/x-amz-json-1.0",
        json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}),
    ),
    "s3": (
        "application/xml",
        "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>",
    ),
    "events": ("application/x-amz-json-1.1", json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"})),
    "sesv2": ("application/json", json.dumps({"__type": "TooManyRequestsException", "message": "Sending paused"})),
    "stepfunctions": (
        "application/x-amz-json-1.0",
        json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}),
    ),
}


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


@contextmanager
def throttled(service: str, operation: str) -> Iterator[list[str]]:
    """While inside, every ``operation`` call of ``service`` is answered with a throttling error.

    Yields the list of calls it refused (one per attempt, retries included), so a test can see it acted.
    """
    refused: list[str] = []
    content_type, body = _PROTOCOL_ERRORS[service]
    status = 503 if service == "s3" else 400

    def answer(request: Any, **_: Any) -> AWSResponse:
        refused.append(operation)
        # botocore hands every before-send handler the request and keeps the first answer; moto's handler
        # runs after this one. Pointing the request nowhere keeps moto from carrying it out regardless.
        request.url = "https://fault-injected.invalid/"
        return AWSResponse(request.url, status, {"Content-Type": content_type}, _Raw(body.encode()))

    events = client(service).meta.events
    event_name = f"before-send.{client(service).meta.service_model.service_id.hyphenize()}.{operation}"
    events.register_first(event_name, answer)  # before moto's own before-send handler answers
    try:
        yield refused
    finally:
        events.unregister(event_name, answer)
