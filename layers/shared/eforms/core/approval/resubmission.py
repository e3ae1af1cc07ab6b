"""Resubmitting a returned case: only the fields the manager reopened may change.

The whole document is validated again (a corrected date must still fit the other rules), and any change
outside the open fields is refused naming that field, so nothing the manager already accepted can move.
The same check serves payroll's completion requests (:mod:`eforms.core.desk.completion`), which reopen
fields the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eforms.core.approval.engine import Engine, tell
from eforms.core.cases import lifecycle
from eforms.core.cases.lifecycle import Role
from eforms.core.cases.model import Case, Channel, HistoryEntry, Person
from eforms.core.cases.writer import CaseWriter
from eforms.core.common.clock import Clock, stockholm_date
from eforms.core.common.errors import Conflict, FieldError, NotFound, ValidationFailed
from eforms.core.common.i18n import Language
from eforms.core.common.input_safety import text_errors
from eforms.core.forms import presentation, validation
from eforms.core.forms.catalogue import Catalogue, FormDefinition
from eforms.core.forms.normalize import normalized
from eforms.core.identity.caller import Caller


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


def corrected_data(case: Case, data: dict[str, Any], *, form: FormDefinition, now: datetime) -> list[str]:
    """Check ``data`` against the fields ``case.correction`` reopened and the whole form; the changed fields.

    Every change outside the open fields is refused naming that field; the whole document must still
    pass the form's rules. ``ValidationFailed`` lists every problem.
    """
    assert case.correction is not None
    open_fields = {pointer.lstrip("/") for pointer in case.correction.fields}
    locked = sorted(k for k in set(case.data) | set(data) if k not in open_fields and case.data.get(k) != data.get(k))
    errors = [FieldError(f"/data/{k}", "field_locked") for k in locked]
    errors += text_errors(data, "/data")
    if not errors:
        errors = validation.validate(form, data, today=stockholm_date(now), base="/data")
    if errors:
        raise ValidationFailed(errors)
    return [f"/{k}" for k in sorted(k for k in open_fields if case.data.get(k) != data.get(k))]


def resubmit(
    case: Case, data: dict[str, Any], version: int, *, form: FormDefinition, actor: Person, now: datetime
) -> tuple[Case, HistoryEntry]:
    """The returned case with its corrected data, back to ``submitted`` for the next round of approval."""
    lifecycle.check(case, "resubmitted")
    if case.correction is None:
        raise Conflict("case_not_returned", status=case.status.value)
    if version != case.version:
        raise Conflict("case_changed")
    data = normalized(form.schema, data)  # as at submission: an activity code in capitals
    changed = corrected_data(case, data, form=form, now=now)
    previous = {pointer.lstrip("/"): case.data.get(pointer.lstrip("/")) for pointer in changed}
    return lifecycle.transition(
        case,
        "resubmitted",
        actor=actor,
        role=Role.APPLICANT,
        channel=Channel.API,
        now=now,
        # The old values stay with the case (never on the bus), so the next approver sees old → new.
        details={"changedFields": changed, "previous": previous},
        data=data,
        correction=None,
    )


@dataclass(frozen=True)
class Change:
    """One field the employee corrected in this round: its label and values as people read them."""

    pointer: str
    label: str
    before: str
    after: str


def round_changes(case: Case, form: FormDefinition | None = None, language: Language = "sv") -> list[Change]:
    """What the last resubmission changed (old → new), for the approvers of the round it started; empty
    when the case was never corrected. Without ``form`` the labels are the field names."""
    for entry in reversed(case.history):
        if entry.action == "submitted":
            return []
        if entry.action == "resubmitted":
            previous = entry.details.get("previous")
            if not isinstance(previous, dict):
                return []
            changes = []
            for key, old in previous.items():
                before = presentation.rows_of(form, key, old, language)
                after = presentation.rows_of(form, key, case.data.get(key), language)
                label = (form.field_title(f"/{key}", language) if form else None) or key
                changes.append(Change(f"/{key}", label, before, after))
            return changes
    return []


@dataclass
class Resubmissions:
    """The employee sends the corrected case; the waiting workflow goes round again."""

    catalogue: Catalogue
    engine: Engine
    writer: CaseWriter
    clock: Clock

    def resubmit(self, caller: Caller, case: Case, body: Any) -> Case:
        """``case`` is one the caller may see (``access.visible_case``); only its filer may resubmit it.

        Anyone but the employees the case is about (its manager, say) is told nothing: 404.
        """
        if caller.id not in (case.applicant.id, case.subject.id):
            raise NotFound("case_not_found")
        if caller.id != case.applicant.id:
            raise Conflict("not_the_applicant")
        data, version = parse_resubmission(body)
        form = self.catalogue.get(case.form_id, case.form_version)
        now = self.clock()
        actor = Person(caller.id, caller.name)
        written = self.writer.apply(
            case, lambda current: resubmit(current, data, version, form=form, actor=actor, now=now)
        )
        if written.before.task_token:
            tell(self.engine, written.before.task_token, {"outcome": "resubmitted"})
        return written.after
