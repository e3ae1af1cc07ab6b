"""An AWS world for integration tests: moto, with every resource created from template.yaml.

``Api`` calls the real handlers (imported from the CodeUri/Handler the template names) with real
payload-v2 events, and checks every response it gets against docs/openapi.yaml, so each integration
test also proves the API document true.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from devstack import api_destinations, lambdas, moto_speed, moto_state, queues, stepping, streams, webhooks
from devstack.events import http_event
from devstack.front import Persona, Router
from devstack.moto_atomic import make_dynamodb_atomic
from devstack.resources import provision
from devstack.stack import load_personas, seed_directory
from devstack.template import ROOT, Template, load
from eforms import wiring
from eforms.aws import clients
from eforms.aws.dynamo_directory import DynamoDirectory
from eforms.outbound.http import UrllibHttp
from tests.support.openapi import check_response

MOTO_CONFIG: Any = {"stepfunctions": {"execute_state_machine": True}}
BASE_URL = "https://eforms.test"
SENDER = "lonecentrum@example.se"
PAYROLL_MAILBOX = "loneadministration@example.se"
BANKID_ISSUER = "https://bankid-broker.test"
#: Template parameters for tests: timers in seconds, long enough not to fire unless a test waits for them.
TEST_PARAMETERS = {
    "OidcIssuer": "https://idp.test",
    "OidcAudience": "eforms-test",
    "PublicBaseUrl": BASE_URL,
    "SenderAddress": SENDER,
    "TimerUnit": "seconds",
    "ReminderAfter": "600",
    "EscalateAfter": "1200",
    "ExpireAfter": "1800",
    "PayrollMailbox": PAYROLL_MAILBOX,
    "MalwareScanning": "Off",
    "BankIdIssuer": BANKID_ISSUER,
    "BankIdAudience": "eforms-test-bankid",
}


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str

    def json(self) -> Any:
        return json.loads(self.text)

    @property
    def codes(self) -> list[tuple[str, str]]:
        """(pointer, code) of every field error in a 422 problem."""
        return [(e["pointer"], e["code"]) for e in self.json().get("errors", [])]


@dataclass
class Api:
    template: Template
    personas: dict[str, Persona]
    calls: list[tuple[str, str, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.router = Router(self.template.functions())

    def call(
        self,
        method: str,
        path: str,
        *,
        as_: str | dict[str, Any] | None = "anna",
        json_body: Any = None,
        body: str | bytes | None = None,
        headers: dict[str, str] | None = None,
        query: str = "",
    ) -> Reply:
        matched = self.router.match(method, path)
        assert matched is not None, f"no route in template.yaml for {method} {path}"
        route, path_parameters, spec = matched
        all_headers = {"content-type": "application/json"} if json_body is not None or body is not None else {}
        all_headers.update(headers or {})
        if json_body is not None:
            body = json.dumps(json_body)
        claims = self.personas[as_].claims() if isinstance(as_, str) else as_
        event = http_event(
            method,
            path,
            route_key=route.route_key,
            path_parameters=path_parameters or None,
            query=query,
            headers=all_headers,
            body=body,
            claims=claims,
        )
        result = lambdas.invoke(spec, event)
        reply = Reply(
            status=int(result["statusCode"]),
            headers={k.lower(): str(v) for k, v in (result.get("headers") or {}).items()},
            text=result.get("body") or "",
        )
        # 503 is the honest answer when AWS is throttling or down (fault tests make it so); any other 5xx is a defect.
        assert reply.status < 500 or reply.status == 503, f"{method} {path} answered {reply.status}: {reply.text}"
        check_response(method, route.path, reply.status, reply.headers.get("content-type", ""), reply.text.encode())
        self.calls.append((method, route.path, reply.status))
        return reply

    def submit(
        self,
        data: dict[str, Any],
        *,
        form: str = "leave-application",
        as_: str | dict[str, Any] = "anna",
        receipt: bool = True,
        **kwargs: Any,
    ) -> Reply:
        """File ``data`` as ``as_``. Asks for the emailed receipt unless told not to: most tests follow a
        case's emails from the first (the default without the field, no receipt, has tests of its own)."""
        body = {"formId": form, "data": data, **({"emailReceipt": True} if receipt else {})}
        return self.call("POST", "/cases", as_=as_, json_body=body, **kwargs)


# The local relay's HTTP client for API destinations (webhook subscribers a test declares).
_HTTP = UrllibHttp(timeout=5)
#: The process environment every world needs (the functions' own comes from the template).
_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-north-1",
    "AWS_REGION": "eu-north-1",
    "EFORMS_SCHEMA_DIR": str(ROOT / "schemas"),
    "POWERTOOLS_TRACE_DISABLED": "true",
}


@dataclass
class World:
    """One emulated AWS account with the template's resources, kept for a whole test session and put back to
    its first state between tests (:meth:`reset`), which costs milliseconds where building it cost a second.

    Nothing in it runs in the background: a workflow execution, the table's stream and the queues move only
    when a test calls :meth:`settle` (directly, or through ``wait_for`` / ``emails_for``), and a workflow's
    timers only when it calls :meth:`advance` — the same run every time (docs/testing.md).
    """

    template: Template
    refs: dict[str, str]
    api: Api
    stepper: stepping.Stepper
    #: The seeded directory table's items (moto's), put back by :meth:`reset`: a test may change a row.
    directory_items: Any = None
    stream_poller: streams.StreamPoller | None = None

    def settle(self) -> int:
        """Run whatever is due, until nothing is: the workflow executions that can go on, the cases table's
        stream (the outbox: events onto the bus, workflow steps resumed), then the queue consumers (the
        notifier) and the webhook relays on what the bus delivered. A failing record or message is tried
        again at once, as many times as its mapping allows. Returns how much moved."""
        if self.stream_poller is None:
            self.stream_poller = streams.StreamPoller(streams.sources(self.template, self.refs))
        total = 0
        for _ in range(200):
            moved = self.stepper.run_due()
            moved += self.stream_poller.poll(streams.client(), self.client("sqs"))
            moved += queues.drain(self.client("sqs"), queues.sources(self.template, self.refs))
            if relays := api_destinations.relays(self.template, self.refs):
                moved += api_destinations.drain(self.client("sqs"), self.client("secretsmanager"), relays, _HTTP)
            total += moved
            if not moved:
                return total
        raise AssertionError("the world did not settle: something keeps producing work")

    def run_workflows(self) -> int:
        """Run only the workflow executions that can go on (what AWS runs at once, in the background); the
        stream and the queues wait for :meth:`settle`."""
        return self.stepper.run_due()

    def advance(self, seconds: float) -> int:
        """Let ``seconds`` pass for the workflow's timers (a reminder, an escalation, an expiry) and the queues'
        visibility timeouts (a backed-off retry), then settle. The services' own clock is not moved: a test that
        needs another date sets it (``wiring.use_clock``). What is due now runs first, at the time it is due."""
        self.settle()
        self.stepper.advance(seconds)
        moto_state.pass_time_in_queues(seconds)
        return self.settle()

    def dead_letters(self, logical_id: str = "NotificationDeadLetterQueue") -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = (
            self.client("sqs")
            .receive_message(QueueUrl=self.refs[logical_id], MaxNumberOfMessages=10, VisibilityTimeout=0)
            .get("Messages", [])
        )
        return messages

    def client(self, service: str) -> Any:
        return boto3.client(service)

    def update_employee(self, employee_id: str, **changes: Any) -> None:
        """Change one row of the seeded directory, as an HR export would."""
        directory = DynamoDirectory(self.refs["DirectoryTable"])
        row = directory.get(employee_id)
        assert row is not None, employee_id
        directory.put_all([dataclasses.replace(row, **changes)])

    def appoint_substitute(self, manager_id: str, substitute_id: str, *, days: int = 7) -> None:
        """Make ``substitute_id`` act for ``manager_id`` from yesterday until ``days`` from today."""
        today = date.today()
        self.update_employee(
            manager_id,
            substitute_id=substitute_id,
            substitute_from=today - timedelta(days=1),
            substitute_to=today + timedelta(days=days),
        )

    def table_items(self, logical_id: str) -> list[dict[str, Any]]:
        """Every item of a table (tests may scan; request paths may not)."""
        items: list[dict[str, Any]] = self.client("dynamodb").scan(TableName=self.refs[logical_id])["Items"]
        return items

    def reset(self) -> None:
        """Back to the state the world was built in: no executions, every table empty but the seeded directory,
        no stream records, queued messages, sent emails or stored objects; the workflow's clock at zero, the
        real clock in the services, fresh AWS clients (no retry quota or fault hook carried over) and a new
        container for every function (nothing a handler module cached, such as a secret, carried over)."""
        self.stepper.reset()
        moto_state.clear(keep={self.refs["DirectoryTable"]: self.directory_items})
        moto_state.forget_model_instances()
        self.stream_poller = None
        self.api.calls.clear()
        clients.reset()
        wiring.reset()
        lambdas.recycle(self.template.functions())


@contextmanager
def aws_world(
    monkeypatch: pytest.MonkeyPatch | None = None, *, run_workflows: bool = True, subscribers: list[Any] | None = None
) -> Iterator[World]:
    """Build a world: moto with every resource of the template and the demo organisation's directory.

    Tests take the session's world from the ``world`` fixture instead; this is for the fixture itself and for
    benchmarks. ``run_workflows=False`` records executions without ever running them (benchmarks: nothing
    then writes between their measurements); ``subscribers`` (devstack.webhooks.Subscriber) adds their
    delivery resources to the template.
    """
    patch = monkeypatch or pytest.MonkeyPatch()
    for name, value in _ENVIRONMENT.items():
        patch.setenv(name, value)
    patch.delenv("AWS_ENDPOINT_URL", raising=False)
    logging.getLogger("moto.stepfunctions").setLevel(logging.WARNING)
    # botocore's own backoff between retries of a throttled call is skipped: time is not what a test measures.
    patch.setattr("botocore.retries.standard.ExponentialBackoff.delay_amount", lambda self, context: 0)
    make_dynamodb_atomic()
    moto_speed.install()
    stepper = stepping.Stepper(paused=not run_workflows)
    stepper.install()
    try:
        with mock_aws(config=MOTO_CONFIG):
            clients.reset()
            wiring.reset()
            template = webhooks.merged(load(), subscribers) if subscribers else load()
            refs, environment, undo = provision(template, boto3.client, "test", TEST_PARAMETERS)
            try:
                for name, value in environment.items():
                    patch.setenv(name, value)
                patch.setenv("EFORMS_SCHEMA_DIR", str(ROOT / "schemas"))  # the layer's /opt/schemas, from the repo
                rows = seed_directory(refs["DirectoryTable"], refs["PersonnummerKey"])
                directory_items = moto_state.table_items(refs["DirectoryTable"])
                world = World(template, refs, Api(template, load_personas(rows)), stepper, directory_items)
                _current.append(world)
                yield world
            finally:
                _current.clear()
                stepper.reset()
                undo()
                clients.reset()
                wiring.reset()
    finally:
        stepper.uninstall()
        if monkeypatch is None:
            patch.undo()


_current: list[World] = []


def settle() -> int:
    """``World.settle`` on the world of the running test (for helpers that look for emails)."""
    return _current[-1].settle() if _current else 0


def run_workflows() -> int:
    """``World.run_workflows`` on the world of the running test."""
    return _current[-1].run_workflows() if _current else 0


@dataclass
class Worlds:
    """The session's worlds: one at a time, reused (and reset) while tests ask for the same kind, rebuilt when
    a test asks for another (webhook subscribers of its own)."""

    _stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    _kind: tuple[Any, ...] | None = None
    _world: World | None = None

    def get(self, *, subscribers: list[Any] | None = None) -> World:
        kind = tuple(subscribers or ())
        if self._world is None or kind != self._kind:
            self.close()
            self._world = self._stack.enter_context(aws_world(subscribers=subscribers))
            self._kind = kind
        else:
            self._world.reset()
        return self._world

    def close(self) -> None:
        self._stack.close()
        self._world = None
