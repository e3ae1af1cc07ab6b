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

from devstack import api_destinations, lambdas, queues, streams, webhooks
from devstack.events import http_event
from devstack.front import Persona, Router
from devstack.moto_atomic import serialize_dynamodb_writes
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
        as_: str = "anna",
        receipt: bool = True,
        **kwargs: Any,
    ) -> Reply:
        """File ``data`` as ``as_``. Asks for the emailed receipt unless told not to: most tests follow a
        case's emails from the first (the default without the field, no receipt, has tests of its own)."""
        body = {"formId": form, "data": data, **({"emailReceipt": True} if receipt else {})}
        return self.call("POST", "/cases", as_=as_, json_body=body, **kwargs)


# The local relay's HTTP client for API destinations (webhook subscribers a test declares).
_HTTP = UrllibHttp(timeout=5)


@dataclass
class World:
    template: Template
    refs: dict[str, str]
    api: Api

    stream_poller: streams.StreamPoller | None = None

    def deliver(self) -> int:
        """Relay what the cases table's stream holds (the outbox: events onto the bus, workflow steps resumed),
        then run the queue consumers (the notifier) on what the bus delivered; until nothing is left.
        A failing record or message is tried again at once, as many times as its mapping allows."""
        if self.stream_poller is None:
            self.stream_poller = streams.StreamPoller(streams.sources(self.template, self.refs))
        total = 0
        for _ in range(50):
            moved = self.stream_poller.poll(streams.client(), self.client("sqs"))
            moved += queues.drain(self.client("sqs"), queues.sources(self.template, self.refs))
            if relays := api_destinations.relays(self.template, self.refs):
                moved += api_destinations.drain(self.client("sqs"), self.client("secretsmanager"), relays, _HTTP)
            total += moved
            if not moved:
                break
        return total

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


@contextmanager
def aws_world(
    monkeypatch: pytest.MonkeyPatch, *, run_workflows: bool = True, subscribers: list[Any] | None = None
) -> Iterator[World]:
    """The world; ``run_workflows=False`` records executions without running them (for benchmarks, where
    executions writing in the background would both skew the figures and race moto's table copies);
    ``subscribers`` (devstack.webhooks.Subscriber) adds their delivery resources to the template."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "eu-north-1",
        "AWS_REGION": "eu-north-1",
        "EFORMS_SCHEMA_DIR": str(ROOT / "schemas"),
        "POWERTOOLS_TRACE_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    interpreter_log = logging.getLogger("moto.stepfunctions")
    interpreter_log.setLevel(logging.WARNING)
    config: Any = MOTO_CONFIG if run_workflows else {"stepfunctions": {"execute_state_machine": False}}
    serialize_dynamodb_writes()
    with mock_aws(config=config):
        clients.reset()
        wiring.reset()
        template = webhooks.merged(load(), subscribers) if subscribers else load()
        refs, environment, undo = provision(template, boto3.client, "test", TEST_PARAMETERS)
        try:
            for name, value in environment.items():
                monkeypatch.setenv(name, value)
            monkeypatch.setenv("EFORMS_SCHEMA_DIR", str(ROOT / "schemas"))
            rows = seed_directory(refs["DirectoryTable"], refs["PersonnummerKey"])
            world = World(template, refs, Api(template, load_personas(rows)))
            _current.append(world)
            yield world
        finally:
            _current.clear()
            _stop_executions(refs)
            # A stopped execution's thread may still be mid-step; what it says after this world is gone is noise.
            interpreter_log.setLevel(logging.CRITICAL)
            undo()
            clients.reset()
            wiring.reset()


_current: list[World] = []


def deliver() -> int:
    """``World.deliver`` on the world of the running test (for helpers that poll for emails)."""
    return _current[-1].deliver() if _current else 0


def _stop_executions(refs: dict[str, str]) -> None:
    """Stop executions a test left waiting, so their threads do not outlive the emulated AWS."""
    sfn = boto3.client("stepfunctions")
    for machine in sfn.list_state_machines()["stateMachines"]:
        running = sfn.list_executions(stateMachineArn=machine["stateMachineArn"], statusFilter="RUNNING")
        for execution in running["executions"]:
            # Best effort: moto cannot stop an execution whose worker finished between the two calls.
            with contextlib.suppress(Exception):
                sfn.stop_execution(executionArn=execution["executionArn"])
