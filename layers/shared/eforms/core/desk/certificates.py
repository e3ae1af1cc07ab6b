"""Delivering an issued certificate "digitally in the e-service": upload, preview, then send.

The bytes are checked for what they are, not for what the request says: a PDF starts with ``%PDF-`` and
ends with ``%%EOF`` (allowing trailing whitespace). The size is bounded so the base64 body API Gateway
hands Lambda stays under Lambda's 6 MB request limit.

An upload is not a delivery: an officer who picked the wrong file (another person's PDF) must be able to
see it before anyone else does. The upload records the document on the case (``certificate_uploaded``,
no email; another upload replaces it); the officer opens it, sees whom it goes to (:func:`recipients`),
and sends it by closing the case as ``delivered`` (``certificate_delivered``, which records the document's
hash). Only then is the employee emailed, and only then may they download it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import datetime
from typing import Protocol

from eforms.core.cases import actions
from eforms.core.cases.lifecycle import Role
from eforms.core.cases.model import Case, Person
from eforms.core.common.errors import Conflict, FieldError, ValidationFailed
from eforms.core.desk.service_levels import Certificate
from eforms.core.desk.services import DeskServices
from eforms.core.identity.caller import Caller

MAX_BYTES = 4 * 1024 * 1024
_TAIL = 1024


class Documents(Protocol):
    def put_pdf(self, key: str, body: bytes, *, retention_years: int) -> None: ...

    def discard(self, key: str) -> None:
        """Remove every version of an object that is no longer (or never became) part of the case."""
        ...


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


def upload(desk: DeskServices, documents: Documents, caller: Caller, case: Case, data: bytes, *, version: int) -> Case:
    """Store the issued certificate on the case, not yet sent: one transition, conditional on ``version``."""
    actions.require(desk.context(caller, case), "upload_certificate")
    form = desk.form(case)
    errors = pdf_errors(data)
    if errors:
        raise ValidationFailed(errors)
    digest = hashlib.sha256(data).hexdigest()
    key = certificate_key(case.case_id, digest)
    documents.put_pdf(key, data, retention_years=form.retention_years)  # same bytes, same key: a retry is harmless
    now: datetime = desk.clock()
    certificate = Certificate(key=key, sha256=digest, size=len(data), at=now)
    replaced = case.payroll.certificate if case.payroll else None
    try:
        changed = desk.change(
            case,
            "certificate_uploaded",
            caller,
            Role.PAYROLL,
            version=version,
            details={"sha256": digest, "size": len(data)},
            update=lambda current: (
                {"payroll": dataclasses.replace(current.payroll, certificate=certificate)} if current.payroll else {}
            ),
        )
    except Conflict:
        if replaced is None or replaced.key != key:
            documents.discard(key)  # refused (stale, or sent meanwhile): nothing of it stays
        raise
    if replaced is not None and replaced.key != key and replaced.delivered_at is None:
        documents.discard(replaced.key)  # the file it replaces was never sent: it goes (it may be someone else's)
    return changed


def recipients(case: Case) -> list[Person]:
    """Who receives the certificate once sent: whom the case concerns and, if someone else filed it, the filer
    (both may download it from the case). Shown by name before the officer sends it."""
    return list({person.id: person for person in (case.subject, case.applicant)}.values())


def downloadable(caller: Caller, case: Case) -> Certificate | None:
    """The certificate this caller may open: payroll previews it before it is sent; anyone else who may see
    the case, only once it is sent."""
    certificate = case.payroll.certificate if case.payroll else None
    if certificate is None or (certificate.delivered_at is None and not caller.is_payroll):
        return None
    return certificate
