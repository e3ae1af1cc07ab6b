"""Resubmitting a returned case: only the fields the manager reopened may change.

The whole document is validated again (a corrected date must still fit the other rules), and any change
outside the open fields is refused naming that field, so nothing the manager already accepted can move.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from eforms.core.cases.model import Case, Channel, HistoryEntry, Person, Status
from eforms.core.common.clock import stockholm_date
from eforms.core.common.errors import Conflict, FieldError, ValidationFailed
from eforms.core.common.input_safety import text_errors
from eforms.core.forms import validation
from eforms.core.forms.catalogue import FormDefinition


def parse_resubmission(body: Any) -> tuple[dict[str, Any], int]:
    """``{"data": {...}, "version": n}`` — the version is the one the employee corrected."""
    if not isinstance(body, dict):
        raise ValidationFailed([FieldError("", "wrong_type", {"expected": "object"})])
    errors = [FieldError(f"/{k}", "unknown_field") for k in body if k not in {"data", "version"}]
    data, version = body.get("data"), body.get("version")
    if not isinstance(data, dict):
        errors.append(FieldError("/data", "required" if data is None else "wrong_type", {"expected": "object"}))
    if isinstance(version, bool) or not isinstance(version, int):
        errors.append(FieldError("/version", "required" if version is None else "wrong_type", {"expected": "integer"}))
    if errors or not isinstance(data, dict) or not isinstance(version, int):
        raise ValidationFailed(sorted(errors, key=lambda e: e.pointer))
    return data, version


def resubmit(
    case: Case, data: dict[str, Any], version: int, *, form: FormDefinition, actor: Person, now: datetime
) -> tuple[Case, HistoryEntry]:
    if case.status != Status.RETURNED or case.correction is None:
        raise Conflict("case_not_returned")
    if version != case.version:
        raise Conflict("case_changed")
    open_fields = {pointer.lstrip("/") for pointer in case.correction.fields}
    locked = sorted(k for k in set(case.data) | set(data) if k not in open_fields and case.data.get(k) != data.get(k))
    errors = [FieldError(f"/data/{k}", "field_locked") for k in locked]
    errors += text_errors(data, "/data")
    if not errors:
        errors = validation.validate(form, data, today=stockholm_date(now), base="/data")
    if errors:
        raise ValidationFailed(errors)
    changed = sorted(k for k in open_fields if case.data.get(k) != data.get(k))
    entry = HistoryEntry(
        at=now,
        actor=actor,
        role="applicant",
        action="resubmitted",
        channel=Channel.API,
        details={"changedFields": [f"/{k}" for k in changed]},
    )
    corrected = dataclasses.replace(
        case,
        data=data,
        status=Status.SUBMITTED,
        correction=None,
        version=case.version + 1,
        updated_at=now,
        history=[*case.history, entry],
    )
    return corrected, entry
