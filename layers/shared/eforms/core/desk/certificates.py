"""Delivering an issued certificate "digitally in the e-service": payroll uploads the PDF to the case.

The bytes are checked for what they are, not for what the request says: a PDF starts with ``%PDF-`` and
ends with ``%%EOF`` (allowing trailing whitespace). The size is bounded so the base64 body API Gateway
hands Lambda stays under Lambda's 6 MB request limit. The upload is the delivery: one transition
(``certificate_delivered``) records the document's hash and size; the employee is emailed that it is ready
and downloads it through a short-lived link.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import datetime
from typing import Protocol

from eforms.core.cases.lifecycle import Role, check
from eforms.core.cases.model import Case
from eforms.core.common.errors import FieldError, ValidationFailed
from eforms.core.desk.closing import fits
from eforms.core.desk.service_levels import Certificate
from eforms.core.desk.services import DeskServices, payroll_only
from eforms.core.identity.caller import Caller

MAX_BYTES = 4 * 1024 * 1024
_TAIL = 1024


class Documents(Protocol):
    def put_pdf(self, key: str, body: bytes, *, retention_years: int) -> None: ...


def certificate_key(case_id: str, sha256: str) -> str:
    """No personal data in the key: the case id and the document's hash."""
    return f"cases/{case_id}/certificate-{sha256}.pdf"


def pdf_errors(data: bytes) -> list[FieldError]:
    """Is this a PDF by its bytes? (An HTML page or an executable renamed .pdf is not.)"""
    if not data:
        return [FieldError("", "required")]
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-_TAIL:]:
        return [FieldError("", "not_a_pdf")]
    return []


def deliver(desk: DeskServices, documents: Documents, caller: Caller, case: Case, data: bytes, *, version: int) -> Case:
    """Store the issued certificate and deliver it: one transition, conditional on ``version``."""
    payroll_only(caller)
    check(case, "certificate_delivered")
    form = desk.form(case)
    if not fits("delivered", form):
        raise ValidationFailed([FieldError("", "outcome_not_for_form", {"completion": form.desk.completion})])
    errors = pdf_errors(data)
    if errors:
        raise ValidationFailed(errors)
    digest = hashlib.sha256(data).hexdigest()
    key = certificate_key(case.case_id, digest)
    documents.put_pdf(key, data, retention_years=form.retention_years)  # same bytes, same key: a retry is harmless
    now: datetime = desk.clock()
    certificate = Certificate(key=key, sha256=digest, size=len(data), at=now)
    return desk.change(
        case,
        "certificate_delivered",
        caller,
        Role.PAYROLL,
        version=version,
        details={"sha256": digest},
        update=lambda current: (
            {"payroll": dataclasses.replace(current.payroll, certificate=certificate)} if current.payroll else {}
        ),
    )
