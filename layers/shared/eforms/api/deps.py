"""The adapters a handler works with, built lazily and once per container where that is safe.

Nothing here runs at import: the first request pays for the catalogue index and the boto3 client,
later requests reuse them. The directory is the exception: it is built per request because it caches
rows, and a reporting line changed in the directory must show on the next request.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from eforms.aws.dynamo_cases import DynamoCaseStore
from eforms.aws.dynamo_directory import DynamoDirectory
from eforms.core.forms.catalogue import Catalogue
from eforms.settings import settings

if TYPE_CHECKING:
    from eforms.aws.documents import DocumentStore
    from eforms.aws.events import EventBridgeSink
    from eforms.core.approval.flow import Approvals
    from eforms.core.notify.notifier import Notifier


@cache
def catalogue() -> Catalogue:
    return Catalogue(settings().schema_dir)


@cache
def case_store() -> DynamoCaseStore:
    return DynamoCaseStore(settings().cases_table)


def directory() -> DynamoDirectory:
    return DynamoDirectory(settings().directory_table)


def approvals() -> Approvals:
    """The approval flow wired to AWS (new per request: it holds a per-request directory cache).

    Imported here, not at module level: the approval flow pulls in the validator (jsonschema), which
    the catalogue function must not pay for at cold start.
    """
    from eforms.aws.mail import SesMailer
    from eforms.aws.workflow import StepFunctionsEngine
    from eforms.core.approval.flow import Approvals, Timers
    from eforms.core.common.clock import utc_now

    config = settings()
    return Approvals(
        store=case_store(),
        directory=directory(),
        catalogue=catalogue(),
        mailer=SesMailer(config.sender_address),
        engine=StepFunctionsEngine(config.state_machine_arn),
        clock=utc_now,
        timers=Timers(
            unit="seconds" if config.timer_unit == "seconds" else "workdays",
            reminder=config.reminder_after,
            escalation=config.escalate_after,
            expiry=config.expire_after,
            link_days=config.link_valid_days,
        ),
        base_url=config.public_base_url,
        events=event_sink(),
    )


@cache
def event_sink() -> EventBridgeSink:
    from eforms.aws.events import EventBridgeSink

    return EventBridgeSink(settings().event_bus_name)


def notifier() -> Notifier:
    """The notifier wired to AWS (new per batch: it holds a per-request directory cache)."""
    from eforms.aws.mail import SesMailer
    from eforms.aws.sent_ledger import DynamoSentLedger
    from eforms.core.notify.notifier import Notifier

    config = settings()
    return Notifier(
        store=case_store(),
        directory=directory(),
        catalogue=catalogue(),
        mailer=SesMailer(config.sender_address),
        ledger=DynamoSentLedger(config.idempotency_table),
        base_url=config.public_base_url,
        payroll_mailbox=config.payroll_mailbox,
    )


def documents() -> DocumentStore:
    from eforms.aws.documents import DocumentStore

    return DocumentStore(settings().documents_bucket)


def workflow_engine() -> Any:
    from eforms.aws.workflow import StepFunctionsEngine

    return StepFunctionsEngine(settings().state_machine_arn)


@cache
def idempotency_store() -> Any:
    """Powertools' DynamoDB persistence layer (imported here: it pulls in boto3 and builds a client)."""
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    return DynamoDBPersistenceLayer(table_name=settings().idempotency_table)


def reset() -> None:
    """Forget everything cached (tests change the environment between cases)."""
    for cached in (catalogue, case_store, idempotency_store, event_sink, settings):
        cached.cache_clear()
