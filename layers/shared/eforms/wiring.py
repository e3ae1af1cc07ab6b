"""Wiring: the stores and services every function works with, built lazily and once per container where
that is safe, and the one clock they all read.

Nothing here runs at import: the first request pays for the catalogue index and the boto3 client,
later requests reuse them. The directory is the exception: it is built per request because it caches
rows, and a reporting line changed in the directory must show on the next request.

**The clock seam.** Every service is given :func:`now`, which reads the clock set here. Tests that need
another time call :func:`use_clock` (and :func:`reset` puts the real one back) instead of patching
constructors or modules.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from eforms.aws.case_store import DynamoCaseStore
from eforms.aws.dynamo_directory import DynamoDirectory
from eforms.core.common.clock import Clock, utc_now
from eforms.core.forms.catalogue import Catalogue
from eforms.settings import organisation_dir, settings

if TYPE_CHECKING:
    from eforms.aws.documents import DocumentStore
    from eforms.aws.draft_store import DynamoDraftStore
    from eforms.aws.dynamo_uploads import DynamoUploadStore
    from eforms.aws.events import EventBridgeSink
    from eforms.aws.link_signer import KmsLinkSigner
    from eforms.aws.mail import SesMailer
    from eforms.aws.outbox_holds import DynamoHolds
    from eforms.aws.pay_run_queue import SqsPayRunQueue
    from eforms.aws.pay_run_store import DynamoPayRunStore
    from eforms.aws.personnummer_key import KmsPersonnummerHasher
    from eforms.aws.record_store import LockedPayRunFiles, S3RecordStore
    from eforms.aws.service_report_store import DynamoReportStore
    from eforms.aws.statistics_store import DynamoStatisticsStore
    from eforms.aws.uploads import S3FileStore
    from eforms.aws.workflow import StepFunctionsEngine
    from eforms.core.approval.deciding import Deciding
    from eforms.core.approval.resubmission import Resubmissions
    from eforms.core.approval.steps import WorkflowSteps
    from eforms.core.approval.timers import Timers
    from eforms.core.cases.writer import CaseWriter
    from eforms.core.desk.service_levels import PayCalendar
    from eforms.core.desk.services import DeskServices
    from eforms.core.forms.catalogue import FormDefinition
    from eforms.core.intake.draft_reminders import DraftReminders
    from eforms.core.intake.drafts import Drafts
    from eforms.core.intake.uploads import Uploads
    from eforms.core.notify.digest import Digests, PayrollMailboxes
    from eforms.core.notify.notifier import Notifier
    from eforms.core.organisations.registry import Registry
    from eforms.core.statistics.service_reports import Renderer, ServiceReports

_clock: list[Clock] = [utc_now]


def now() -> datetime:
    """The current instant, from the clock in use (the real one unless a test set another)."""
    return _clock[0]()


def use_clock(clock: Clock) -> None:
    """Make every service read ``clock`` from now on (tests: a stopped or advanced clock)."""
    _clock[0] = clock


@cache
def catalogue() -> Catalogue:
    return Catalogue(settings().schema_dir)


@cache
def organisations() -> Registry | None:
    """The customer organisations, read once per container (None: none declared, one organisation)."""
    from eforms.core.organisations.registry import Registry

    return Registry.read(organisation_dir())


def pay_calendar(organisation_id: str, form: FormDefinition) -> PayCalendar:
    """The pay runs and working days of a form in an organisation (its file; the form's own without one)."""
    from eforms.core.organisations.registry import calendar_of

    registry = organisations()
    return calendar_of(registry.of(organisation_id) if registry else None, form)


def contact_of(organisation_id: str) -> dict[str, Any]:
    """``{"organisation": …, "contact": …}``: whom an organisation's people turn to at payroll ("Din
    lönehandläggare: …", its file's ``contact``) and the organisation's names; nothing without organisations."""
    registry = organisations()
    found = registry.of(organisation_id) if registry else None
    if found is None:
        return {}
    organisation = {"id": found.organisation_id, "names": found.names, "languages": list(found.languages)}
    return {"organisation": organisation, "contact": dict(found.contact)}


def serving_team(organisation_id: str) -> str:
    """The payroll team whose queue an organisation's cases go to (the one queue without teams)."""
    from eforms.core.cases.model import PAYROLL_QUEUE

    registry = organisations()
    team = registry.team_of(organisation_id) if registry else None
    return team or PAYROLL_QUEUE


def payroll_teams() -> tuple[str, ...]:
    """Every payroll team's queue (the centre's teams; the one queue without them)."""
    from eforms.core.cases.model import PAYROLL_QUEUE

    registry = organisations()
    return tuple(registry.centre.teams) if registry else (PAYROLL_QUEUE,)


@cache
def case_store() -> DynamoCaseStore:
    return DynamoCaseStore(settings().cases_table)


def directory() -> DynamoDirectory:
    return DynamoDirectory(settings().directory_table)


@cache
def personnummer_hasher() -> KmsPersonnummerHasher:
    from eforms.aws.personnummer_key import KmsPersonnummerHasher

    return KmsPersonnummerHasher(settings().personnummer_key_id)


@cache
def event_sink() -> EventBridgeSink:
    from eforms.aws.events import EventBridgeSink

    return EventBridgeSink(settings().event_bus_name)


@cache
def upload_store() -> DynamoUploadStore:
    from eforms.aws.dynamo_uploads import DynamoUploadStore

    return DynamoUploadStore(settings().cases_table)


@cache
def file_store() -> S3FileStore:
    from eforms.aws.uploads import S3FileStore

    config = settings()
    return S3FileStore(config.documents_bucket, scanner=config.malware_scanner, public_url=config.upload_url or None)


def uploads() -> Uploads:
    from eforms.core.intake.uploads import Uploads

    return Uploads(catalogue=catalogue(), uploads=upload_store(), files=file_store(), clock=now, directory=directory())


def draft_store() -> DynamoDraftStore:
    from eforms.aws.draft_store import DynamoDraftStore

    return DynamoDraftStore(settings().cases_table)


def drafts() -> Drafts:
    from eforms.core.intake.drafts import Drafts

    return Drafts(catalogue=catalogue(), store=draft_store(), clock=now, directory=directory())


def draft_reminders() -> DraftReminders:
    """The drafts' expiry reminders, sent by the desk's scheduled run through the notifier's send ledger."""
    from eforms.aws.sent_ledger import DynamoSentLedger
    from eforms.core.intake.draft_reminders import DraftReminders

    config = settings()
    return DraftReminders(
        drafts=draft_store(),
        catalogue=catalogue(),
        directory=directory(),
        mailer=mailer(),
        ledger=DynamoSentLedger(config.idempotency_table),
        clock=now,
        base_url=config.public_base_url,
    )


def writer() -> CaseWriter:
    """The one way a case changes: the lifecycle's checked, conditional, announced write."""
    from eforms.core.cases.writer import CaseWriter

    return CaseWriter(store=case_store(), clock=now)


def mailer() -> SesMailer:
    from eforms.aws.mail import SesMailer

    return SesMailer(settings().sender_address)


def workflow_engine() -> StepFunctionsEngine:
    from eforms.aws.workflow import StepFunctionsEngine

    return StepFunctionsEngine(settings().state_machine_arn)


def timers() -> Timers:
    from eforms.core.approval.timers import Timers

    config = settings()
    return Timers(
        unit="seconds" if config.timer_unit == "seconds" else "workdays",
        reminder=config.reminder_after,
        escalation=config.escalate_after,
        expiry=config.expire_after,
        link_days=config.link_valid_days,
    )


def outbox_holds() -> DynamoHolds:
    """The cases the outbox relay holds behind an entry it could not relay yet (docs/resilience.md §1)."""
    from eforms.aws.outbox_holds import DynamoHolds

    return DynamoHolds(settings().idempotency_table)


def workflow_steps() -> WorkflowSteps:
    """The approval workflow's steps wired to AWS (new per invocation: it holds a per-request directory).

    Imported here, not at module level: the approval flow pulls in the validator (jsonschema), which
    the catalogue function must not pay for at cold start.
    """
    from eforms.aws.link_signer import KmsLinkSigner
    from eforms.aws.sent_ledger import DynamoSentLedger
    from eforms.core.approval.steps import WorkflowSteps

    config = settings()
    return WorkflowSteps(
        store=case_store(),
        directory=directory(),
        catalogue=catalogue(),
        mailer=mailer(),
        engine=workflow_engine(),
        writer=writer(),
        clock=now,
        timers=timers(),
        base_url=config.public_base_url,
        signer=KmsLinkSigner(config.decision_link_key_id),
        sent=DynamoSentLedger(config.idempotency_table),
        calendars=pay_calendar,
    )


def deciding() -> Deciding:
    from eforms.core.approval.deciding import Deciding

    return Deciding(store=case_store(), directory=directory(), engine=workflow_engine(), writer=writer(), clock=now)


def resubmissions() -> Resubmissions:
    from eforms.core.approval.resubmission import Resubmissions

    return Resubmissions(catalogue=catalogue(), engine=workflow_engine(), writer=writer(), clock=now)


def pay_codes(organisation_id: str) -> dict[str, str]:
    """An organisation's payroll codes (its file's ``payroll.codes``); none where none is declared."""
    registry = organisations()
    found = registry.of(organisation_id) if registry else None  # a case stored without one: the default's
    return dict(found.pay_codes) if found else {}


def desk_services() -> DeskServices:
    """What every payroll desk action works with (new per request: it holds a per-request directory)."""
    from eforms.core.desk.services import DeskServices

    return DeskServices(
        writer=writer(),
        directory=directory(),
        catalogue=catalogue(),
        clock=now,
        engine=workflow_engine(),
        calendars=pay_calendar,
        pay_codes=pay_codes,
        default_organisation=default_organisation(),
    )


def notifier() -> Notifier:
    """The notifier wired to AWS (new per batch: it holds a per-request directory cache)."""
    from eforms.aws.sent_ledger import DynamoSentLedger
    from eforms.core.notify.notifier import Notifier

    config = settings()
    return Notifier(
        store=case_store(),
        directory=directory(),
        catalogue=catalogue(),
        mailer=mailer(),
        ledger=DynamoSentLedger(config.idempotency_table),
        base_url=config.public_base_url,
        payroll_mailbox=payroll_mailboxes(),
        digests=digests(),
        rating_signer=rating_signer(),
    )


def rating_signer() -> KmsLinkSigner | None:
    """The rating links' key (KMS), where the stack has one (``RATING_LINK_KEY_ID``)."""
    from eforms.aws.link_signer import KmsLinkSigner

    key = settings().rating_link_key_id
    return KmsLinkSigner(key) if key else None


def digests() -> Digests:
    """The payroll mailbox's digests: collected by the notifier, sent by the desk's scheduled run."""
    from eforms.aws.digest_store import DynamoDigestStore
    from eforms.aws.sent_ledger import DynamoSentLedger
    from eforms.core.notify.digest import Digests

    config = settings()
    return Digests(
        store=DynamoDigestStore(config.idempotency_table),
        ledger=DynamoSentLedger(config.idempotency_table),
        cases=case_store(),
        catalogue=catalogue(),
        mailer=mailer(),
        payroll_mailbox=payroll_mailboxes(),
        base_url=config.public_base_url,
        clock=now,
        teams=payroll_teams(),
    )


@cache
def statistics_store() -> DynamoStatisticsStore:
    from eforms.aws.statistics_store import DynamoStatisticsStore

    return DynamoStatisticsStore(settings().statistics_table)


def report_store() -> DynamoReportStore:
    from eforms.aws.service_report_store import DynamoReportStore

    return DynamoReportStore(settings().statistics_table)


def service_reports(render: Renderer) -> ServiceReports:
    """The monthly service reports (docs/statistics.md §6), drawn by ``render`` (the PDF layer's)."""
    from eforms.aws.documents import DocumentStore
    from eforms.core.statistics.service_reports import ServiceReports

    config, registry, forms = settings(), organisations(), catalogue()
    if registry is None:
        raise RuntimeError("the monthly service reports need the organisations (organisations/)")
    archive = DocumentStore(config.documents_bucket)
    return ServiceReports(
        registry=registry,
        reader=statistics_store(),
        store=report_store(),
        keep=archive.put_report,
        render=render,
        mailer=mailer(),
        clock=now,
        base_url=config.public_base_url,
        form_title=forms.title_of,
    )


def default_organisation() -> str:
    """The centre's default organisation ("" where none are declared): a case from before organisations is its."""
    registry = organisations()
    return registry.default if registry else ""


def payroll_mailboxes() -> PayrollMailboxes:
    """Each payroll team's mailbox (centre.json), else the centre's one (PAYROLL_MAILBOX)."""
    from eforms.core.notify.digest import PayrollMailboxes

    registry = organisations()
    declared = {t: str(d["email"]) for t, d in registry.centre.teams.items() if d.get("email")} if registry else {}
    return PayrollMailboxes(settings().payroll_mailbox, declared)


def record_store() -> S3RecordStore:
    """The write-once records (docs/records.md §3), copying from the case documents."""
    from eforms.aws.record_store import S3RecordStore

    config = settings()
    return S3RecordStore(config.records_bucket, config.documents_bucket)


def pay_run_store() -> DynamoPayRunStore:
    """Each organisation's pending pay transactions, batches and lines (docs/records.md §5)."""
    from eforms.aws.pay_run_store import DynamoPayRunStore

    return DynamoPayRunStore(settings().cases_table)


def pay_run_files() -> LockedPayRunFiles:
    """The pay-run files, write-once in the records bucket (docs/records.md §5)."""
    from eforms.aws.record_store import LockedPayRunFiles

    return LockedPayRunFiles(settings().records_bucket)


def pay_run_downloads() -> DocumentStore:
    """Short-lived links to the pay-run files where they are kept (the records bucket)."""
    from eforms.aws.documents import DocumentStore

    return DocumentStore(settings().records_bucket)


def pay_run_queue() -> SqsPayRunQueue:
    from eforms.aws.pay_run_queue import SqsPayRunQueue

    return SqsPayRunQueue(settings().pay_run_queue_url)


def documents() -> DocumentStore:
    from eforms.aws.documents import DocumentStore

    return DocumentStore(settings().documents_bucket)


@cache
def idempotency_store() -> Any:
    """Powertools' DynamoDB persistence layer (imported here: it pulls in boto3 and builds a client)."""
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    return DynamoDBPersistenceLayer(table_name=settings().idempotency_table)


def reset() -> None:
    """Forget everything cached and use the real clock again (tests change the environment between cases)."""
    for cached in (
        catalogue,
        organisations,
        statistics_store,
        case_store,
        idempotency_store,
        event_sink,
        upload_store,
        file_store,
        personnummer_hasher,
        settings,
    ):
        cached.cache_clear()
    _clock[0] = utc_now
