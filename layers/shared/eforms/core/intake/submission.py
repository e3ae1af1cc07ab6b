"""Submitting a case: the envelope, the form's rules, who the case concerns, and the stored result.

Everything is checked before anything is written, and every problem is reported at once (a person
fixing a form wants the whole list, not one error per round trip). Pointers in errors point into the
request body, so a form's field ``/period/to`` is reported as ``/data/period/to``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from eforms.core.cases import lifecycle
from eforms.core.cases.ids import new_case_id
from eforms.core.cases.lifecycle import Role
from eforms.core.cases.model import PAYROLL_QUEUE, Attachment, Case, CaseStore, Channel, Person
from eforms.core.cases.numbers import CaseNumbers, format_number
from eforms.core.common.clock import Clock, stockholm_date
from eforms.core.common.errors import FieldError, NotFound, ValidationFailed
from eforms.core.common.input_safety import text_errors
from eforms.core.forms import prefill, routes, validation
from eforms.core.forms.catalogue import Catalogue, FormDefinition, resolve_form, version_errors
from eforms.core.forms.normalize import normalized
from eforms.core.identity.bankid import PersonnummerHasher
from eforms.core.identity.caller import ADMINISTRATOR, BANKID, Caller
from eforms.core.identity.directory import Directory, current, manages
from eforms.core.intake import own_personnummer
from eforms.core.intake.drafts import Draft, DraftStore, is_draft_id
from eforms.core.intake.eligibility import check_may_file
from eforms.core.intake.uploads import FileStore, UploadStore, is_upload_id
from eforms.core.organisations import people

MAX_ATTACHMENTS = 50
_ENVELOPE_FIELDS = {"formId", "formVersion", "data", "attachments", "emailReceipt", "draftId"}
_DAYS_PER_YEAR = 366  # generous: retention is a minimum, never cut a day short in a leap year


class WorkflowStarter(Protocol):
    def start(self, case_id: str) -> None:
        """Start the case's workflow; starting the same case twice must be harmless."""
        ...


@dataclass(frozen=True)
class SubmitRequest:
    form_id: str
    form_version: int | None
    data: dict[str, Any]
    attachments: tuple[str, ...] = ()  # upload ids (``eforms.core.intake.uploads``), checked and clean
    #: The applicant asked for a receipt by email. The web client shows the case at once; the email is only
    #: for those who want one (each is a paid send, docs/cost.md).
    email_receipt: bool = False
    #: The caller's draft this filing finishes: deleted in the transaction that stores the case.
    draft_id: str | None = None


def parse_submit_request(body: Any) -> SubmitRequest:
    """Check the request envelope ``{"formId", "formVersion"?, "data", "attachments"?, "emailReceipt"?,
    "draftId"?}``; every problem as a FieldError."""
    if not isinstance(body, dict):
        raise ValidationFailed([FieldError("", "wrong_type", {"expected": "object"})])
    errors = [FieldError(f"/{key}", "unknown_field") for key in body if key not in _ENVELOPE_FIELDS]
    form_id, version, data = body.get("formId"), body.get("formVersion"), body.get("data")
    if form_id is None:
        errors.append(FieldError("/formId", "required"))
    elif not isinstance(form_id, str):
        errors.append(FieldError("/formId", "wrong_type", {"expected": "string"}))
    if "formVersion" in body:
        errors += version_errors(version)
    if data is None:
        errors.append(FieldError("/data", "required"))
    elif not isinstance(data, dict):
        errors.append(FieldError("/data", "wrong_type", {"expected": "object"}))
    attachments = body.get("attachments", [])
    if not isinstance(attachments, list) or not all(isinstance(a, str) for a in attachments):
        errors.append(FieldError("/attachments", "wrong_type", {"expected": "array of strings"}))
    elif len(attachments) > MAX_ATTACHMENTS:
        errors.append(FieldError("/attachments", "too_many_items", {"limit": MAX_ATTACHMENTS}))
    elif len(set(attachments)) != len(attachments):
        errors.append(FieldError("/attachments", "duplicate_items"))
    receipt = body.get("emailReceipt", False)
    if not isinstance(receipt, bool):
        errors.append(FieldError("/emailReceipt", "wrong_type", {"expected": "boolean"}))
    draft_id = body.get("draftId")
    if draft_id is not None and not isinstance(draft_id, str):
        errors.append(FieldError("/draftId", "wrong_type", {"expected": "string"}))
    if errors or not isinstance(form_id, str) or not isinstance(data, dict):
        raise ValidationFailed(sorted(errors, key=lambda e: e.pointer))
    return SubmitRequest(
        form_id=form_id,
        form_version=version,
        data=data,
        attachments=tuple(attachments),
        email_receipt=receipt is True,
        draft_id=draft_id,
    )


def _finished_draft(request: SubmitRequest, caller: Caller, drafts: DraftStore | None, now: datetime) -> Draft | None:
    """The caller's draft the filing finishes, of the same form; anyone else's, or none, is 404."""
    if request.draft_id is None:
        return None
    draft = drafts.get(caller.id, request.draft_id) if drafts is not None and is_draft_id(request.draft_id) else None
    if draft is None or not draft.usable_by(caller.id, now) or draft.form_id != request.form_id:
        raise NotFound("draft_not_found")
    return draft


def _attachments(
    form: FormDefinition, request: SubmitRequest, caller: Caller, uploads: UploadStore | None, now: datetime
) -> tuple[tuple[Attachment, ...], list[FieldError]]:
    """The request's uploads as the case's attachments: each the caller's own, for this form version,
    checked clean; no kind over its count; every required kind present."""
    errors: list[FieldError] = []
    found: list[Attachment] = []
    for index, upload_id in enumerate(request.attachments):
        pointer = f"/attachments/{index}"
        upload = uploads.get(upload_id) if uploads is not None and is_upload_id(upload_id) else None
        if (
            upload is None
            or not upload.usable_by(caller.id, now)
            or upload.form_id != form.form_id
            or upload.form_version != form.version
        ):
            errors.append(FieldError(pointer, "upload_not_found"))  # someone else's looks like no one's
        elif upload.state != "clean" or upload.size is None or upload.sha256 is None:
            errors.append(FieldError(pointer, "upload_not_checked" if upload.state == "pending" else "file_rejected"))
        else:
            found.append(
                Attachment(upload.upload_id, upload.kind, upload.name, upload.content_type, upload.size, upload.sha256)
            )
    for kind in form.attachments:
        count = sum(1 for a in found if a.kind == kind.kind)
        if count > kind.max_count:
            errors.append(FieldError("/attachments", "too_many_files", {"kind": kind.kind, "limit": kind.max_count}))
        if kind.required and count == 0 and not errors:
            errors.append(FieldError("/attachments", "attachment_required", {"kind": kind.kind}))
    return tuple(found), errors


def _pointer_get(document: Any, pointer: str) -> Any:
    node = document
    for part in [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _subject(
    form: FormDefinition, data: dict[str, Any], caller: Caller, directory: Directory, today: Any
) -> tuple[Person, list[FieldError]]:
    """Whom the case concerns: the caller, or (on-behalf forms) an employee the caller may act for."""
    me = Person(caller.id, caller.name)
    rule = form.on_behalf
    if rule is None or (not rule.always and _pointer_get(data, str(rule.flag)) is not True):
        return me, []
    pointer = "/data" + rule.employee_id
    # A form always about someone else points its refusals at the employee; an optional one at its flag.
    asked_at = pointer if rule.flag is None else "/data" + rule.flag
    if not caller.has_any(rule.roles):
        return me, [FieldError(asked_at, "on_behalf_not_permitted")]
    employee_id = _pointer_get(data, rule.employee_id)
    if employee_id in (caller.id, people.local_id(caller.id)):
        return me, [FieldError(asked_at, "on_behalf_self")]
    # The number the form shows is the organisation's own; the service's id carries the organisation.
    named = people.colleague(caller.id, employee_id) if isinstance(employee_id, str) else None
    employee = current(directory, named, today)
    # Administrators file for anyone in the organisation; managers only for their own employees — and a
    # manager is told the same for an id nobody has as for someone else's employee, so the answer never
    # says who works here (directory enumeration).
    administrator = caller.has_any((ADMINISTRATOR,))
    if employee is None:
        return me, [FieldError(pointer, "unknown_employee" if administrator else "not_your_employee")]
    if not administrator and not manages(directory, caller.id, employee, today):
        return me, [FieldError(pointer, "not_your_employee")]
    return Person(employee.employee_id, employee.name), []


def submit(
    request: SubmitRequest,
    *,
    caller: Caller,
    language: str,
    catalogue: Catalogue,
    directory: Directory,
    store: CaseStore,
    clock: Clock,
    workflow: WorkflowStarter | None = None,
    uploads: UploadStore | None = None,
    files: FileStore | None = None,
    hasher: Callable[[], PersonnummerHasher] | None = None,
    numbers: CaseNumbers | None = None,
    number_prefix: str = "LC",
    team: str = PAYROLL_QUEUE,
    drafts: DraftStore | None = None,
) -> Case:
    """Validate ``request`` completely and store it as a new case, or raise ``ValidationFailed``."""
    now: datetime = clock()
    today = stockholm_date(now)
    form = resolve_form(catalogue, request.form_id, request.form_version, today)
    check_may_file(form, caller, directory, today)
    draft = _finished_draft(request, caller, drafts, now)
    # What the sign-in answers is set from it again (a prefilled field the client changed is not trusted), and
    # answers are written the way the form keeps them (an activity code in capitals).
    # Only a locked field is set again (an editable one stays as typed): only its source is read.
    known = prefill.known(tuple(p for p in form.prefill if not p.editable), caller, directory, today)
    request = replace(request, data=normalized(form.schema, prefill.applied(form.prefill, request.data, known)))
    errors = text_errors(request.data, "/data")
    if not errors:
        errors = validation.validate(form, request.data, today=today, base="/data")
    if errors:
        raise ValidationFailed(errors)
    subject, errors = _subject(form, request.data, caller, directory, today)
    personnummer: own_personnummer.Check | None = None
    if not errors and form.own_personnummer is not None and hasher is not None:
        personnummer, errors = own_personnummer.check(form, request.data, subject, directory, hasher())
    attachments, attachment_errors = _attachments(form, request, caller, uploads, now)
    errors += attachment_errors
    subject_row = current(directory, subject.id, today)
    manager_id = subject_row.manager_id if subject_row else None
    if errors:
        raise ValidationFailed(errors)

    applicant = Person(caller.id, caller.name)
    status, first = lifecycle.opening(
        "submitted",
        actor=applicant,
        role=Role.APPLICANT,
        channel=Channel.API,
        now=now,
        details={
            **({"onBehalfOf": subject.id} if subject.id != applicant.id else {}),
            **({"personnummer": personnummer} if personnummer == "unverified" else {}),
        },
    )
    case = Case(
        case_id=new_case_id(int(now.timestamp() * 1000)),
        form_id=form.form_id,
        form_version=form.version,
        route=form.route,
        status=status,
        applicant=applicant,
        subject=subject,
        manager_id=manager_id,
        queue=None if routes.needs_approval(form.route, request.data) else team,
        data=request.data,
        language=language,
        created_at=now,
        updated_at=now,
        # Whole seconds: the store keeps it as an epoch-seconds TTL, and the view must not change on reload.
        expires_at=(now + timedelta(days=_DAYS_PER_YEAR * form.retention_years)).replace(microsecond=0),
        history=[first],
        attachments=attachments,
        # Signed in with BankID (an outsider, or someone whose work address may be gone): emailed where the
        # broker's token said, if it said.
        contact_email=(caller.email or None) if caller.kind == BANKID else None,
        receipt_requested=request.email_receipt,
        # Taken last, once the filing is valid: a refused one uses up no number.
        case_number=format_number(number_prefix, today.year, numbers.next(today.year)) if numbers else None,
        organisation_id=caller.organisation_id,
        team=team,
    )
    if files is not None:
        # Before the case is stored: a file the case names is never left to expire as a draft.
        for attachment in attachments:
            files.keep(attachment.key, retention_years=form.retention_years)
    if workflow is not None:
        # Start first, store second. If the start fails nothing is stored and the caller may retry; if
        # the store fails, the workflow's first step finds no case, retries briefly and ends quietly.
        workflow.start(case.case_id)
    # Its first history entry reaches the bus through the outbox: the receipt follows.
    store.create(case, draft=(draft.draft_id, draft.version) if draft else None)
    return case
