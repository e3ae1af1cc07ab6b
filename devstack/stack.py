"""Starting and stopping the local system: moto server, resources from the template, seed, HTTP front."""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devstack import lambdas, queues, streams
from devstack.front import BANKID_IDP_PREFIX, Front, Persona, Provider, serve
from devstack.resources import provision
from devstack.template import ROOT, load
from devstack.tokens import AUDIENCE, BANKID_AUDIENCE, DevIssuer

SEED = Path(__file__).resolve().parent / "seed"
STATE_FILE = ROOT / ".devstack" / "stack.json"
REGION = "eu-north-1"
SENDER = "lonecentrum@example.se"
PAYROLL_MAILBOX = "loneadministration@example.se"
#: How soon a message the notifier failed on is tried again locally (AWS: the queue's visibility timeout).
REDELIVERY_SECONDS = 2
#: How often the emulation forgets what AWS would have forgotten (delivered stream records, old sent mail,
#: finished executions beyond the newest): ``moto_state.trim``.
TRIM_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def seed_directory(table: str, personnummer_key: str) -> list[dict[str, Any]]:
    """Load the demo directories into the directory table, as ``python3 dev load-directory [--org ORG]``
    does (each personnummer as its keyed hash under the stack's KMS HMAC key): the centre's own people
    (seed/org.json, the default organisation) and each customer's (seed/organisations/<org>.json, whose ids
    collide: two ``E1001``). Returns every row, its ids as the service names them (``norrby/E1001``)."""
    from eforms.aws.dynamo_directory import DynamoDirectory
    from eforms.aws.personnummer_key import KmsPersonnummerHasher
    from eforms.core.identity.directory_import import parse_export
    from eforms.core.organisations.people import person_id

    hasher = KmsPersonnummerHasher(personnummer_key)
    exports = [("", SEED / "org.json"), *((p.stem, p) for p in sorted((SEED / "organisations").glob("*.json")))]
    rows: list[dict[str, Any]] = []
    for namespace, path in exports:
        text = path.read_text(encoding="utf-8")
        DynamoDirectory(table).put_all(parse_export(text, fmt="json", hasher=hasher, namespace=namespace))
        rows += [{**row, "employeeId": person_id(namespace, row["employeeId"])} for row in json.loads(text)]
    return rows


def load_bankid_personas() -> dict[str, Persona]:
    """The people the dev BankID broker signs in (seed/bankid.json): a former employee, an outsider, and an
    employee who also has BankID."""
    entries = json.loads((SEED / "bankid.json").read_text(encoding="utf-8"))
    return {
        e["id"]: Persona(e["id"], e["name"], e["email"], [], e["description"], personnummer=e["personnummer"])
        for e in entries
    }


def load_personas(directory_rows: list[dict[str, Any]]) -> dict[str, Persona]:
    """The people the dev identity provider signs in (seed/personas.json), each of one organisation: its
    token carries the organisation and the person's own id, as Cognito's trigger stamps them."""
    from eforms.core.organisations.registry import Registry

    registry = Registry.read(ROOT / "organisations")
    assert registry is not None
    rows = {row["employeeId"]: row for row in directory_rows}
    personas = {}
    for entry in json.loads((SEED / "personas.json").read_text(encoding="utf-8")):
        organisation = entry.get("organisation", registry.default)
        local = entry.get("employeeId", entry["id"])
        row = rows[registry.person_id(organisation, local)]
        personas[entry["id"]] = Persona(
            entry["id"],
            row["name"],
            row["email"],
            entry["roles"],
            entry["description"],
            organisation=organisation,
            employee_id=local,
            teams=entry.get("teams", []),
        )
    return personas


@dataclass
class LocalStack:
    api_port: int = 8000
    moto_port: int = 0
    quiet: bool = False
    refs: dict[str, str] = field(default_factory=dict)
    #: The form catalogue the functions read (the layer's /opt/schemas); another folder previews forms.
    schemas: Path = ROOT / "schemas"
    #: Webhook subscribers to deliver to instead of webhooks.yaml's (a test's receiver on this machine).
    webhooks: Path | None = None

    def start(self) -> None:
        from moto.core.config import default_user_config
        from moto.server import ThreadedMotoServer

        from devstack import moto_speed
        from devstack.moto_atomic import make_dynamodb_atomic

        make_dynamodb_atomic()
        moto_speed.install()
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's own request log is noise here
        # Server mode has no decorator to pass config to; this is the same switch mock_aws(config=...) sets.
        default_user_config["stepfunctions"]["execute_state_machine"] = True
        self.moto_port = self.moto_port or free_port()
        self.api_port = self.api_port or free_port()
        # moto's Step Functions interpreter calls other services at localhost:$MOTO_PORT in server mode.
        os.environ["MOTO_PORT"] = str(self.moto_port)
        self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=self.moto_port, verbose=False)
        self._moto.start()
        os.environ.update(
            {
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
                "AWS_DEFAULT_REGION": REGION,
                "AWS_REGION": REGION,
                "AWS_ENDPOINT_URL": self.moto_url,
            }
        )
        import boto3

        template = load()
        if self.webhooks:
            from devstack import webhooks

            template = webhooks.merged(template, webhooks.load_subscribers(self.webhooks))
        self._template = template
        self.refs, environment, self._undo_dispatch = provision(template, boto3.client, "local", self.parameters())
        os.environ.update(environment)
        os.environ.update(
            {
                "EFORMS_SCHEMA_DIR": str(self.schemas),  # the layer's /opt/schemas, from the repo
                "POWERTOOLS_TRACE_DISABLED": "true",  # no X-Ray daemon on a laptop
                "POWERTOOLS_METRICS_DISABLED": "true",  # EMF lines would drown the request log
                "POWERTOOLS_DEV": "false",
                # Browsers post attachments through the front (same origin), which passes them to moto.
                "UPLOAD_URL": f"{self.api_url}/s3",
                # A webhook receiver that failed is tried again after seconds, not the half minute deployed.
                "WEBHOOK_RETRY_SECONDS": "1",
            }
        )
        directory_rows = seed_directory(self.refs["DirectoryTable"], self.refs["PersonnummerKey"])
        bankid = Provider(BANKID_IDP_PREFIX, DevIssuer(issuer="", audience=BANKID_AUDIENCE), load_bankid_personas())
        self._server = serve(
            Front(template.functions(), DevIssuer(issuer=""), load_personas(directory_rows), bankid=bankid),
            port=self.api_port,
            quiet=self.quiet,
        )
        self.api_port = self._server.server_address[1]
        self._server.front.issuer.issuer = self.api_url
        bankid.issuer.issuer = self.api_url + BANKID_IDP_PREFIX
        self._thread = threading.Thread(target=self._server.serve_forever, name="front", daemon=True)
        self._thread.start()
        self._stopping = threading.Event()
        self._poller = threading.Thread(
            target=self._poll_queues,
            args=(queues.sources(template, self.refs), streams.StreamPoller(streams.sources(template, self.refs))),
            name="queues",
            daemon=True,
        )
        self._poller.start()
        STATE_FILE.parent.mkdir(exist_ok=True)
        STATE_FILE.write_text(json.dumps({"api": self.api_url, "endpoint": self.moto_url, "refs": self.refs}, indent=2))

    def parameters(self) -> dict[str, str]:
        """The template parameters for the local stack: short timers, so a person sees reminders happen."""
        return {
            "OidcIssuer": self.api_url,
            "OidcAudience": AUDIENCE,
            "PublicBaseUrl": self.api_url,
            "SenderAddress": SENDER,
            "PayrollMailbox": PAYROLL_MAILBOX,
            "TimerUnit": "seconds",
            "ReminderAfter": "120",
            "EscalateAfter": "300",
            "ExpireAfter": "900",
            "MalwareScanning": "Off",  # no GuardDuty on a laptop: the platform's own check decides alone
            # The dev BankID broker: a second issuer on the same front, with its own personas.
            "BankIdIssuer": self.api_url + BANKID_IDP_PREFIX,
            "BankIdAudience": BANKID_AUDIENCE,
        }

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def moto_url(self) -> str:
        return f"http://127.0.0.1:{self.moto_port}"

    def _poll_queues(self, queue_sources: list[queues.QueueSource], stream_poller: streams.StreamPoller) -> None:
        """Lambda's event source mappings, locally: relay the cases table's stream (the outbox) and deliver
        queued case events to the notifier; and
        EventBridge Scheduler's, running scheduled functions (at most a minute apart, so a demo shows them)."""
        import boto3

        from devstack import api_destinations, dev_clock, moto_state
        from eforms.outbound.http import UrllibHttp

        sqs, stream_client, secretsmanager = boto3.client("sqs"), streams.client(), boto3.client("secretsmanager")
        relays, http = api_destinations.relays(self._template, self.refs), UrllibHttp(timeout=5)
        scheduled = [spec for spec in load().functions() if spec.every_seconds]
        next_run = {spec.logical_id: time.monotonic() + 30 for spec in scheduled}
        next_trim = time.monotonic() + TRIM_SECONDS
        while not self._stopping.wait(0.5):
            if time.monotonic() >= next_trim:
                next_trim = time.monotonic() + TRIM_SECONDS
                moto_state.trim(stream_poller.handled())
            try:
                stream_poller.poll(stream_client, sqs)
                queues.drain(sqs, queue_sources, redelivery_seconds=REDELIVERY_SECONDS)
                api_destinations.drain(sqs, secretsmanager, relays, http)
            except Exception:  # keep polling; the handler's own log says what failed
                logging.getLogger("devstack").exception("delivering queued events failed")
            for spec in [] if dev_clock.schedules_held() else scheduled:
                if time.monotonic() >= next_run[spec.logical_id]:
                    next_run[spec.logical_id] = time.monotonic() + min(spec.every_seconds or 60, 60)
                    try:
                        lambdas.invoke(spec, {"source": "aws.scheduler", "detail-type": "Scheduled Event"})
                    except Exception:
                        logging.getLogger("devstack").exception("scheduled %s failed", spec.logical_id)

    def stop(self) -> None:
        self._stopping.set()
        self._poller.join(timeout=2)
        self._server.shutdown()
        self._server.server_close()
        self._undo_dispatch()
        self._moto.stop()
        STATE_FILE.unlink(missing_ok=True)


def local_stack_refs() -> dict[str, str] | None:
    """Point boto3 at the running ``dev run`` stack and return its resource names, or None if none runs.

    For the admin commands (load-directory, subject-access), which work on AWS with explicit names and
    on the local stack without them.
    """
    if not STATE_FILE.exists():
        return None
    state = json.loads(STATE_FILE.read_text())
    os.environ.setdefault("AWS_ENDPOINT_URL", state["endpoint"])
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ.setdefault(name, "local")
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-north-1")
    refs: dict[str, str] = state["refs"]
    return refs
