"""Configuration from the environment, which ``template.yaml`` sets per function.

Read lazily and once, on a function's first request: a resource name that is missing or empty is a
deployment error, and fails that request naming every such variable (never later, as an empty table or
bucket name in an AWS call). Not at import, so importing a handler in a test or a benchmark needs no
environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# Where the catalogue lives when deployed: the layer is unpacked under /opt.
_DEFAULT_SCHEMA_DIR = "/opt/schemas"


@dataclass(frozen=True)
class Settings:
    cases_table: str
    directory_table: str
    idempotency_table: str
    schema_dir: Path
    #: The JWT claim that carries the employee id the directory is keyed on.
    employee_id_claim: str
    state_machine_arn: str
    sender_address: str
    public_base_url: str
    timer_unit: str
    reminder_after: int
    escalate_after: int
    expire_after: int
    link_valid_days: int
    documents_bucket: str
    event_bus_name: str
    #: The payroll team's shared mailbox, told of every case handed to payroll.
    payroll_mailbox: str
    #: ``guardduty`` when GuardDuty Malware Protection scans uploads (AWS); ``none`` locally.
    malware_scanner: str = "none"
    #: Where browsers post uploads, when not S3's own endpoint (the local stack's same-origin proxy).
    upload_url: str = ""
    #: The BankID broker's issuer ("" = no BankID sign-in), the claim with the personnummer, and the KMS HMAC
    #: key its keyed hash is made with.
    bankid_issuer: str = ""
    bankid_personnummer_claim: str = "personnummer"
    personnummer_key_id: str = ""
    decision_link_key_id: str = ""
    #: The KMS HMAC key of the rating links in finished cases' emails ("": no rating link is sent).
    rating_link_key_id: str = ""
    case_number_prefix: str = "LC"
    #: ``cognito``: every token carries its organisation (the trigger stamps it); ``oidc``: one organisation's
    #: own provider, whose tokens name none (the centre's default organisation).
    sign_in_with: str = "oidc"
    #: The follow-up aggregates (docs/statistics.md); only the statistics consumer and reports have it.
    statistics_table: str = ""
    #: The centre's seal (docs/records.md §1): the KMS key that signs, and the SSM parameter holding the seal
    #: certificate's PEM chain (the seal certificate first, its root last). Only the PDF functions have them.
    seal_key_id: str = ""
    seal_chain_parameter: str = ""
    #: The write-once records bucket (Object Lock, compliance): the archive function's only (docs/records.md §3).
    records_bucket: str = ""
    #: The queue the pay-run files are cut from (docs/records.md §5): the pay-run routes send to it.
    pay_run_queue_url: str = ""


class MissingSetting(RuntimeError):
    """A resource name the function needs is not in its environment (template.yaml's Globals set them all)."""


#: The resource names every function is given; none may be empty.
REQUIRED = (
    "CASES_TABLE",
    "DIRECTORY_TABLE",
    "IDEMPOTENCY_TABLE",
    "APPROVAL_STATE_MACHINE_ARN",
    "SENDER_ADDRESS",
    "PUBLIC_BASE_URL",
    "DOCUMENTS_BUCKET",
    "EVENT_BUS_NAME",
    "PAYROLL_MAILBOX",
    "PERSONNUMMER_KEY_ID",
)


@cache
def settings() -> Settings:
    env = os.environ
    missing = [name for name in REQUIRED if not env.get(name)]
    if missing:
        raise MissingSetting(f"not set: {', '.join(missing)} (template.yaml sets them in Globals)")
    return Settings(
        cases_table=env["CASES_TABLE"],
        directory_table=env["DIRECTORY_TABLE"],
        idempotency_table=env["IDEMPOTENCY_TABLE"],
        schema_dir=Path(env.get("EFORMS_SCHEMA_DIR", _DEFAULT_SCHEMA_DIR)),
        employee_id_claim=env.get("EMPLOYEE_ID_CLAIM", "sub"),
        state_machine_arn=env["APPROVAL_STATE_MACHINE_ARN"],
        sender_address=env["SENDER_ADDRESS"],
        public_base_url=env["PUBLIC_BASE_URL"].rstrip("/"),
        timer_unit=env.get("TIMER_UNIT", "workdays"),
        reminder_after=int(env.get("REMINDER_AFTER", "3")),
        escalate_after=int(env.get("ESCALATE_AFTER", "5")),
        expire_after=int(env.get("EXPIRE_AFTER", "10")),
        link_valid_days=int(env.get("LINK_VALID_DAYS", "14")),
        documents_bucket=env["DOCUMENTS_BUCKET"],
        event_bus_name=env["EVENT_BUS_NAME"],
        payroll_mailbox=env["PAYROLL_MAILBOX"],
        malware_scanner=env.get("MALWARE_SCANNER", "none"),
        upload_url=env.get("UPLOAD_URL", "").rstrip("/"),
        bankid_issuer=env.get("BANKID_ISSUER", ""),
        bankid_personnummer_claim=env.get("BANKID_PERSONNUMMER_CLAIM", "personnummer"),
        personnummer_key_id=env["PERSONNUMMER_KEY_ID"],
        decision_link_key_id=env.get("DECISION_LINK_KEY_ID", ""),
        rating_link_key_id=env.get("RATING_LINK_KEY_ID", ""),
        case_number_prefix=env.get("CASE_NUMBER_PREFIX", "LC"),
        sign_in_with=env.get("SIGN_IN_WITH", "oidc"),
        statistics_table=env.get("STATISTICS_TABLE", ""),
        seal_key_id=env.get("SEAL_KEY_ID", ""),
        seal_chain_parameter=env.get("SEAL_CHAIN_PARAMETER", ""),
        records_bucket=env.get("RECORDS_BUCKET", ""),
        pay_run_queue_url=env.get("PAY_RUN_QUEUE_URL", ""),
    )


def organisation_dir() -> Path:
    """Where the organisation files are (the layer's /opt/organisations, beside the schemas): needs no other
    setting, so an operator's command that shows cases names their organisations too."""
    env = os.environ
    return Path(
        env.get("EFORMS_ORGANISATION_DIR")
        or Path(env.get("EFORMS_SCHEMA_DIR", _DEFAULT_SCHEMA_DIR)).parent / "organisations"
    )
