"""Injecting AWS faults at the botocore layer: a ``before-send`` hook answers instead of moto.

The handlers' own clients (``eforms.aws.clients.client``) get the hook, so the call fails exactly as it
would against AWS — after botocore's own retries — and nothing reaches the emulated service (a test below
the fault tests proves that: a refused write is not in the table).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.awsrequest import AWSResponse

from eforms.aws.clients import client

_JSON_THROTTLED = "ThrottlingException"
#: service → (content type, the answer's body with ``{code}``, the code a throttled call gets) in that
#: service's protocol, so botocore parses the refusal as it would AWS's.
_PROTOCOL_ERRORS = {
    "dynamodb": ("application/x-amz-json-1.0", '{{"__type": "{code}", "message": "refused"}}', _JSON_THROTTLED),
    "s3": ("application/xml", "<Error><Code>{code}</Code><Message>refused</Message></Error>", "SlowDown"),
    "events": ("application/x-amz-json-1.1", '{{"__type": "{code}", "message": "refused"}}', _JSON_THROTTLED),
    "secretsmanager": ("application/x-amz-json-1.1", '{{"__type": "{code}", "message": "refused"}}', _JSON_THROTTLED),
    "sesv2": ("application/json", '{{"__type": "{code}", "message": "refused"}}', "TooManyRequestsException"),
    "stepfunctions": ("application/x-amz-json-1.0", '{{"__type": "{code}", "message": "refused"}}', _JSON_THROTTLED),
    "sqs": ("application/x-amz-json-1.0", '{{"__type": "{code}", "message": "refused"}}', _JSON_THROTTLED),
    "kms": ("application/x-amz-json-1.1", '{{"__type": "{code}", "message": "refused"}}', _JSON_THROTTLED),
    "cloudfront": (
        "text/xml",
        "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>refused</Message></Error></ErrorResponse>",
        "Throttling",
    ),
}


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.body


@contextmanager
def throttled(
    service: str,
    operation: str,
    *,
    times: int | None = None,
    code: str | None = None,
    on: Any = None,
    after: int = 0,
    carrying: str | None = None,
) -> Iterator[list[str]]:
    """While inside, every ``operation`` call of ``service`` is answered with a throttling error — or only the
    first ``times`` calls (an outage that heals); ``code`` answers with another error code
    (e.g. SES's ``SendingPausedException``, which botocore does not retry itself). ``on`` is the client
    whose calls fail; by default the functions' own (``eforms.aws.clients``). The first ``after`` calls go
    through (an outage that begins halfway). With ``carrying``, only requests whose body or address holds that
    text fail (one index's Queries, e.g. ``"DraftReminders"``; one S3 key, e.g. ``"record.json"``).

    Yields the list of calls it refused (one per attempt, retries included), so a test can see it acted.
    """
    refused: list[str] = []
    passed: list[str] = []

    def answer(request: Any, **_: Any) -> AWSResponse | None:
        body = request.body or b""
        body = body.encode() if isinstance(body, str) else body if isinstance(body, bytes) else b""  # a stream
        if carrying is not None and carrying.encode() not in body + request.url.encode():
            return None  # another call of the same operation: not this fault's
        if len(passed) < after:
            passed.append(operation)
            return None  # not yet broken
        if times is not None and len(refused) >= times:
            return None  # healed: the call goes on to moto
        refused.append(operation)
        # botocore hands every before-send handler the request and keeps the first answer; moto's handler
        # runs after this one. Pointing the request nowhere keeps moto from carrying it out regardless.
        return _refusal(service, request, code)

    target = on if on is not None else client(service)
    events = target.meta.events
    event_name = f"before-send.{target.meta.service_model.service_id.hyphenize()}.{operation}"
    events.register_first(event_name, answer)  # before moto's own before-send handler answers
    try:
        yield refused
    finally:
        events.unregister(event_name, answer)


def _refusal(service: str, request: Any, code: str | None = None) -> AWSResponse:
    """The throttling answer of ``service``'s protocol; the request pointed nowhere, so moto never runs it."""
    content_type, body, throttling = _PROTOCOL_ERRORS[service]
    body = body.format(code=code or throttling)
    request.url = "https://fault-injected.invalid/"
    return AWSResponse(
        request.url, 503 if service == "s3" else 400, {"Content-Type": content_type}, _Raw(body.encode())
    )


@contextmanager
def random_faults(services: tuple[str, ...], rate: float, seed: int) -> Iterator[list[str]]:
    """While inside, ``rate`` of every call the functions make to ``services`` is refused as throttled, chosen
    by a seeded generator (the same run every time). Yields the refused calls' event names."""
    chosen = random.Random(seed)  # noqa: S311 - picks faults for a test, not secrets
    refused: list[str] = []
    hooks = []
    for service in services:

        def answer(request: Any, event_name: str = "", _service: str = service, **_: Any) -> AWSResponse | None:
            if chosen.random() >= rate:
                return None
            refused.append(event_name)
            return _refusal(_service, request)

        events = client(service).meta.events
        name = f"before-send.{client(service).meta.service_model.service_id.hyphenize()}"
        events.register_first(name, answer)
        hooks.append((events, name, answer))
    try:
        yield refused
    finally:
        for events, name, answer in hooks:
            events.unregister(name, answer)


@contextmanager
def reply_lost(service: str, operation: str, *, times: int = 1) -> Iterator[list[str]]:
    """While inside, the first ``times`` ``operation`` calls are carried out by the service — and then the
    reply is lost (a read timeout after the request went through): the caller cannot know it worked. This
    is the fault a retry must not turn into a duplicate. Yields the calls whose reply it dropped."""
    from botocore.exceptions import ReadTimeoutError

    lost: list[str] = []

    def drop(**_: Any) -> None:
        if len(lost) < times:
            lost.append(operation)
            raise ReadTimeoutError(endpoint_url="https://reply-lost.invalid/")

    target = client(service)
    event_name = f"after-call.{target.meta.service_model.service_id.hyphenize()}.{operation}"
    target.meta.events.register(event_name, drop)
    try:
        yield lost
    finally:
        target.meta.events.unregister(event_name, drop)
