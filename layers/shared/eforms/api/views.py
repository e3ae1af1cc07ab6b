"""The JSON shapes the API returns (documented in docs/openapi.yaml, checked by the tests)."""

from __future__ import annotations

from typing import Any

from eforms.core.approval import approvers
from eforms.core.cases.lifecycle import SYSTEM
from eforms.core.cases.model import Attachment, Case, CaseSummary, HistoryEntry, Message, Person, Status
from eforms.core.cases.next_step import awaits_sender, next_step
from eforms.core.common.clock import iso, stockholm_date
from eforms.core.common.i18n import Language, text
from eforms.core.desk import certificates, service_levels
from eforms.core.desk.service_levels import PayCalendar, PayrollItem
from eforms.core.desk.teams import Team
from eforms.core.forms.catalogue import Catalogue, FormDefinition
from eforms.core.forms.presentation import computed_rows
from eforms.core.forms.routes import Route
from eforms.core.identity.directory import Directory, Employee
from eforms.core.intake.drafts import Draft
from eforms.core.intake.uploads import Upload
from eforms.core.organisations import people
from eforms.core.organisations.registry import form_calendar
from eforms.wiring import now, organisations, pay_calendar


def route_view(route: Route, language: Language) -> list[dict[str, Any]]:
    """A route as clients see it: who decides at each step, and whether the step depends on the answers."""
    view = []
    for step in route:
        item: dict[str, Any] = {"approver": step.approver, "conditional": step.when is not None}
        if step.team:
            item.update(team=step.team, title=step.title(language))
        view.append(item)
    return view


def form_summary(form: FormDefinition, language: Language, versions: tuple[int, ...]) -> dict[str, Any]:
    """A catalogue card: the form's own texts in the language it reads in (its card and page never mix two)."""
    shown = form.shown_in(language)
    return {
        "formId": form.form_id,
        "version": form.version,
        "versions": list(versions),
        "title": form.title(shown),
        "description": form.description(shown),
        "route": route_view(form.route, language),
        "serviceLevelWorkingDays": form.service_level_working_days,
        "access": list(form.access),
        "category": form.category,
        "languages": list(form.languages),
        "filedBy": list(form.filed_by),
    }


def form_detail(
    form: FormDefinition, language: Language, versions: tuple[int, ...], calendar: PayCalendar | None = None
) -> dict[str, Any]:
    """A form as its page needs it; ``calendar``: the pay runs in the reader's organisation."""
    detail = form_summary(form, language, versions)
    detail.update(
        {
            "correctableFields": list(form.correctable_fields),
            "retentionYears": form.retention_years,
            "onBehalf": (
                {
                    "flag": form.on_behalf.flag,
                    "employeeId": form.on_behalf.employee_id,
                    "roles": list(form.on_behalf.roles),
                }
                if form.on_behalf
                else None
            ),
            "schema": form.localized_schema(form.shown_in(language)),
            "uiSchema": form.ui,
            "desk": {"completion": form.desk.completion},
            "attachments": [
                {
                    "kind": k.kind,
                    "title": k.title(form.shown_in(language)),
                    "required": k.required,
                    "maxCount": k.max_count,
                    "maxBytes": k.max_bytes,
                    "types": list(k.types),
                }
                for k in form.attachments
            ],
            # Told before submitting: when payroll answers and which pay it reaches, if sent now; the page
            # picks from payRuns the first not earlier than the month the answers at payMonthFrom concern.
            "expected": {
                **service_levels.preview(now(), form.service_level_working_days, calendar or form_calendar("", form)),
                "payMonthFrom": list(form.pay_month_from),
            },
        }
    )
    return detail


def _person(person: Person, language: Language | None = None) -> dict[str, str]:
    """A person as shown; the service itself (timers, the desk's clock) by its name in the reader's language."""
    if language is not None and person.id == SYSTEM.id:
        return {"id": person.id, "name": text("value.system", language)}
    return {"id": person.id, "name": person.name}


def _approver(case: Case, language: Language) -> dict[str, str] | None:
    """Who is asked: a person by name, or a team by its title in the reader's language (the case keeps
    the Swedish one; the route step it snapshotted has both)."""
    if case.approver is None:
        return None
    step = case.route[case.step] if case.step is not None and 0 <= case.step < len(case.route) else None
    if approvers.awaits_appointment(case):
        return {"id": case.approver.id, "name": text("value.appointment_wanted", language)}
    asked_team = people.local_id(approvers.team_of(case.approver.id) or "") or None
    for team in (step, step.fallback if step else None):
        if team is not None and team.approver == "team" and asked_team == team.team:
            return {"id": case.approver.id, "name": team.title(language)}
    return _person(case.approver)


def _form_title(catalogue: Catalogue, form_id: str, version: int, language: Language) -> str:
    # The title of the version the case was filed on, so renaming a form never rewrites old cases.
    return catalogue.get(form_id, version).title(language)


def summary_view(
    summary: CaseSummary | Case, catalogue: Catalogue, language: Language, *, reader_id: str | None = None
) -> dict[str, Any]:
    """A case as a listing's row; with ``reader_id``, whether something waits on that reader ("Att göra")."""
    view = {
        "caseId": summary.case_id,
        # The short number people say and type (LC-2026-004211); null for a case filed before numbers.
        "caseNumber": summary.case_number,
        "formId": summary.form_id,
        "formVersion": summary.form_version,
        "formTitle": _form_title(catalogue, summary.form_id, summary.form_version, language),
        "route": route_view(summary.route, language),
        "status": summary.status.value,
        "applicant": _person(summary.applicant),
        "subject": _person(summary.subject),
        "createdAt": iso(summary.created_at),
        "updatedAt": iso(summary.updated_at),
        "hasPdf": summary.signed if isinstance(summary, CaseSummary) else summary.pdf_key is not None,
        # Decided yes, on its way or at payroll: the status reads "Beviljad – hos Lönecentrum", not only the latter.
        "approved": summary.status == Status.APPROVED or bool(summary.payroll and summary.payroll.approved),
        **({"payroll": payroll_view(summary.payroll)} if summary.payroll else {}),
        **_organisation(summary.subject.id, language),
    }
    if reader_id is not None:
        view["awaitsYou"] = awaits_sender(summary.status, summary.applicant.id, reader_id)
    return view


def _organisation(subject_id: str, language: Language) -> dict[str, Any]:
    """The customer organisation a case belongs to — its subject's, as the id says — in the reader's
    language: on every row and case, so an officer working several customers sees whose it is."""
    registry = organisations()
    found = registry.organisation_of(subject_id) if registry else None
    return {"organisation": {"id": found.organisation_id, "name": found.name(language)}} if found else {}


def payroll_view(item: PayrollItem) -> dict[str, Any]:
    """The case as payroll's work item: due date, pay period, the service-level state today, who has it."""
    registration, certificate = item.registration, item.certificate
    return {
        "receivedAt": iso(item.received_at),
        "dueDate": item.due_date.isoformat(),
        "payPeriod": item.pay_period,
        "sla": item.state(stockholm_date(now())).value,
        "respondedAt": iso(item.responded_at) if item.responded_at else None,
        "assignee": _person(item.assignee) if item.assignee else None,
        "waiting": item.waiting,
        "messages": item.messages,
        "registration": {
            "reference": registration.reference,
            "payPeriod": registration.pay_period,
            "note": registration.note,
            "by": _person(registration.by),
            "at": iso(registration.at),
        }
        if registration
        else None,
        "certificate": {
            "sha256": certificate.sha256,
            "size": certificate.size,
            "at": iso(certificate.at),
            "deliveredAt": iso(certificate.delivered_at) if certificate.delivered_at else None,
        }
        if certificate
        else None,
    }


def _history_view(entry: HistoryEntry, language: Language) -> dict[str, Any]:
    return {
        "at": iso(entry.at),
        "actor": _person(entry.actor, language),
        "role": entry.role,
        "action": entry.action,
        "channel": entry.channel.value,
        "details": entry.details,
    }


def case_view(case: Case, catalogue: Catalogue, language: Language, *, reader_id: str | None = None) -> dict[str, Any]:
    view = summary_view(case, catalogue, language, reader_id=reader_id)
    form = catalogue.get(case.form_id, case.form_version)
    view.update(
        {
            "version": case.version,
            "language": case.language,
            "data": case.data,
            "retainedUntil": iso(case.expires_at),
            "history": [_history_view(entry, language) for entry in case.history],
            "approver": _approver(case, language),
            "correction": (
                {
                    "fields": list(case.correction.fields),
                    "message": case.correction.message,
                    "requestedBy": _person(case.correction.requested_by),
                }
                if case.correction
                else None
            ),
            "payroll": _payroll_of(case),
            "fingerprint": case.fingerprint,
            "hasPdf": case.pdf_key is not None,
            # What the server computed from the answers (a time report's hours per activity): shown beside
            # the form, so the case page reads the same sums as the PDF and the approver's email.
            "computed": [
                {"field": pointer, "label": label, "value": value}
                for pointer, label, value in computed_rows(form, case.data, language)
            ],
            "attachments": [attachment_view(a, form, language) for a in case.attachments],
        }
    )
    return view


def next_view(
    case: Case, form: FormDefinition, reader_id: str, directory: Directory, language: Language
) -> dict[str, Any]:
    """What happens next (:mod:`eforms.core.cases.next_step`), named in the reader's language: the receipt."""
    calendar = pay_calendar(case.organisation_id, form)
    step = next_step(case, form, reader_id=reader_id, directory=directory, calendar=calendar, now=now())
    who = step.team_step.title(language) if step.team_step else step.approver_name
    return {
        "waitingOn": step.waiting_on,
        "who": who,
        "answerBy": step.answer_by.isoformat() if step.answer_by else None,
        "workingDays": step.working_days or None,
        "payPeriod": step.pay_period,
        "sendBy": step.send_by.isoformat() if step.send_by else None,
    }


def _payroll_of(case: Case) -> dict[str, Any] | None:
    """The payroll block; an uploaded certificate names whom it goes to, for the officer's preview."""
    if case.payroll is None:
        return None
    view = payroll_view(case.payroll)
    if view["certificate"] is not None:
        view["certificate"]["recipients"] = [_person(p) for p in certificates.recipients(case)]
    return view


def attachment_view(attachment: Attachment, form: FormDefinition, language: Language) -> dict[str, Any]:
    titles = {k.kind: k.title(language) for k in form.attachments}
    return {
        "id": attachment.attachment_id,
        "kind": attachment.kind,
        "kindTitle": titles.get(attachment.kind, attachment.kind),
        "name": attachment.name,
        "contentType": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }


def upload_view(upload: Upload) -> dict[str, Any]:
    view: dict[str, Any] = {
        "uploadId": upload.upload_id,
        "formId": upload.form_id,
        "formVersion": upload.form_version,
        "kind": upload.kind,
        "name": upload.name,
        "contentType": upload.content_type,
        "state": upload.state,
    }
    if upload.size is not None:
        view["size"] = upload.size
    if upload.sha256:
        view["sha256"] = upload.sha256
    return view


def draft_view(draft: Draft, catalogue: Catalogue, language: Language, *, retired: bool) -> dict[str, Any]:
    """A draft as its owner sees it; ``retired``: the form has a newer version it will be filed on."""
    view: dict[str, Any] = {
        "draftId": draft.draft_id,
        "formId": draft.form_id,
        "formVersion": draft.form_version,
        "formTitle": catalogue.title_of(draft.form_id, language),
        "updatedAt": iso(draft.updated_at),
        "expiresAt": iso(draft.expires_at),
        "version": draft.version,
        "retired": retired,
    }
    if draft.title:
        view["title"] = draft.title
    return view


def team_view(team: Team, language: Language) -> dict[str, Any]:
    """A payroll team and the customer organisations it serves, named in the reader's language."""
    return {
        "id": team.team_id,
        "name": team.name(language),
        "organisations": [{"id": o.organisation_id, "name": o.name(language)} for o in team.organisations],
    }


def officer_view(employee: Employee) -> dict[str, str]:
    return {"id": employee.employee_id, "name": employee.name}


def thread_view(thread: list[tuple[Message, bool]], case: Case) -> dict[str, Any]:
    """The message thread, oldest first; ``text`` is plain text, to be shown as text (never as HTML)."""
    return {
        "caseId": case.case_id,
        "version": case.version,
        "items": [thread_item(message, unread=unread) for message, unread in thread],
    }


def thread_item(message: Message, *, unread: bool) -> dict[str, Any]:
    return {
        "at": iso(message.at),
        "author": _person(message.author),
        "side": message.side,
        "text": message.text,
        # A completion request is a message in the one conversation, marked as what it asks.
        "kind": message.kind,
        "unread": unread,
    }
