"""The emails the approval flow sends, in the recipient's language, as HTML and plain text.

A case's subject says which case it is — the form, whom it concerns and its period ("Ledighetsansökan väntar
på ditt beslut – Anna Andersson, 2027-01-05–2027-01-14"): with identical subjects a manager once approved the
wrong person's application (issue 29). Never more: no personnummer, no answers; those stay behind the link,
on a page that shows them only to the holder of a valid link or a signed-in reader.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from eforms.core.cases.model import Case
from eforms.core.common.clock import STOCKHOLM
from eforms.core.common.i18n import Language, as_language, text
from eforms.core.forms import routes
from eforms.core.forms.about import about
from eforms.core.forms.catalogue import FormDefinition


@dataclass(frozen=True)
class Attachment:
    """A file sent with an email (the monthly service report's PDF): never a case's, which stay behind sign-in."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Email:
    to: str
    language: Language
    kind: str
    case_id: str
    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...] = ()


def _when(instant: datetime, language: Language) -> str:
    return text("value.local_time", language, time=instant.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M"))


def _render(
    *,
    to: str,
    language: Language,
    kind: str,
    case: Case | None = None,
    case_id: str = "",
    subject: str,
    paragraphs: list[str],
    link: tuple[str, str] | None,
    more_links: tuple[tuple[str, str], ...] = (),
    items: tuple[tuple[str, str], ...] = (),
    attachments: tuple[Attachment, ...] = (),
    form: FormDefinition | None = None,
) -> Email:
    """``items``: a list after the paragraphs, each line a link (the digest's cases). With the ``case`` and
    its ``form``, the subject ends with whom and which period the case is about."""
    if case is not None and form is not None:
        subject = f"{subject} – {about(case, form)}"
    text_parts = [*paragraphs]
    html_parts = [f"<p>{html.escape(p)}</p>" for p in paragraphs]
    if items:
        text_parts.append("\n".join(f"- {line}\n  {url}" for line, url in items))
        html_parts.append(
            "<ul>"
            + "".join(
                f'<li><a href="{html.escape(url, quote=True)}">{html.escape(line)}</a></li>' for line, url in items
            )
            + "</ul>"
        )
    for label, url in ([link] if link else []) + list(more_links):
        text_parts.append(f"{label}: {url}")
        html_parts.append(
            f'<p><a href="{html.escape(url, quote=True)}" style="display:inline-block;padding:10px 16px;'
            f'background:#1b4f8a;color:#ffffff;text-decoration:none;border-radius:4px">{html.escape(label)}</a></p>'
        )
    footer = text("email.footer", language)
    plain = "\n\n".join([*text_parts, f"-- \n{footer}"])
    body = (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>{html.escape(subject)}</title>'
        '</head><body style="font-family:Arial,sans-serif;color:#1a1a1a">'
        + "".join(html_parts)
        + f'<hr><p style="color:#555">{html.escape(footer)}</p></body></html>'
    )
    return Email(
        to=to,
        language=language,
        kind=kind,
        case_id=case.case_id if case else case_id,
        subject=subject,
        text=plain,
        html=body,
        attachments=attachments,
    )


def _titles(form: FormDefinition, language: Language) -> dict[str, str]:
    title = form.title(language)
    return {"title": title, "title_lower": title.lower()}


def approval_request(
    case: Case,
    form: FormDefinition,
    *,
    to: str,
    language: str,
    stage: str,
    link_url: str,
    valid_until: datetime | None,
    team: str | None = None,
    changes: list[tuple[str, str, str]] | None = None,
) -> Email:
    """Asking for a decision: with a single-use link to the approver, or — for a team step — a link to the
    case for a team member, who decides signed in. After a correction, what changed (label, old, new)."""
    lang = as_language(language)
    who = (
        case.applicant.name if case.subject.id == case.applicant.id else f"{case.applicant.name} ({case.subject.name})"
    )
    names = {**_titles(form, lang), "who": who, "team": team or ""}
    key = "email.approval.team" if team else f"email.approval.{stage}"
    subject, lead = text(f"{key}.subject", lang, **names), text(f"{key}.lead", lang, **names)
    if team:
        how = [text("email.approval.team.how", lang)]
    else:
        how = [text("email.approval.how", lang)]
        if valid_until:
            how.append(text("email.approval.valid_until", lang, until=_when(valid_until, lang)))
    diff = []
    if changes:
        listed = "; ".join(f"{label}: {old} → {new}" for label, old, new in changes)
        diff.append(f"{text('email.approval.changed', lang)} {listed}")
    return _render(
        to=to,
        language=lang,
        kind=f"approval-{stage}",
        case=case,
        form=form,
        subject=subject,
        paragraphs=[lead, *diff, *how],
        link=(text("email.open_case", lang), link_url),
    )


def decision_notice(
    case: Case,
    form: FormDefinition,
    *,
    to: str,
    language: str,
    outcome: str,
    approver: str,
    message: str,
    field_titles: list[str],
    case_url: str,
    pdf_url: str | None = None,
) -> Email:
    """The decision, to the employee. An approval is sent once its signed PDF exists, with a link to it."""
    lang = as_language(language)
    names = {**_titles(form, lang), "case_id": case.reference, "approver": approver, "fields": ", ".join(field_titles)}
    pdf_link = ((text("email.download_decision_pdf", lang), pdf_url),) if pdf_url else ()
    paragraphs = [text(f"email.decision.{outcome}.lead", lang, **names)]
    if message:
        paragraphs.append(text("email.decision.message", lang, message=message))
    return _render(
        to=to,
        language=lang,
        kind=f"decision-{outcome}",
        case=case,
        form=form,
        subject=text(f"email.decision.{outcome}.subject", lang, **names),
        paragraphs=paragraphs,
        link=(text("email.view_case", lang), case_url),
        more_links=pdf_link,
    )


def expiry_notice(case: Case, form: FormDefinition, *, to: str, language: str, case_url: str) -> Email:
    lang = as_language(language)
    names = {**_titles(form, lang), "case_id": case.reference}
    return _render(
        to=to,
        language=lang,
        kind="expired",
        case=case,
        form=form,
        subject=text("email.expired.subject", lang, **names),
        paragraphs=[text("email.expired.lead", lang, **names), text("email.expired.again", lang)],
        link=(text("email.view_case", lang), case_url),
    )


def _first_decider(case: Case) -> str:
    step = routes.next_step(case.route, case.data)
    return "payroll" if step is None else case.route[step].approver


def receipt(case: Case, form: FormDefinition, *, to: str, language: str, case_url: str) -> Email:
    lang = as_language(language)
    names = {**_titles(form, lang), "case_id": case.reference}
    next_step = text(f"email.receipt.next.{_first_decider(case)}", lang)
    return _render(
        to=to,
        language=lang,
        kind="receipt",
        case=case,
        form=form,
        subject=text("email.receipt.subject", lang, **names),
        paragraphs=[text("email.receipt.lead", lang, **names), next_step],
        link=(text("email.view_case", lang), case_url),
    )


def payroll_digest(
    listed: list[tuple[Case, str]],
    *,
    to: str,
    language: Language,
    digest_id: str,
    case_url: Callable[[Case], str],
    queue_url: str,
) -> Email:
    """To the payroll team's shared mailbox, in the language its forms are worked in: the cases that reached
    payroll since the last digest (``listed``: each case with its form's title), soonest due first."""
    count = len(listed)
    items = tuple(
        (
            text(
                "email.digest.item",
                language,
                title=title,
                case_id=case.reference,
                due=case.payroll.due_date.isoformat() if case.payroll else "",
                period=case.payroll.pay_period if case.payroll else "",
            ),
            case_url(case),
        )
        for case, title in listed
    )
    return _render(
        to=to,
        language=language,
        kind="payroll-digest",
        case_id=f"digest-{digest_id}",
        subject=text("email.digest.subject", language, count=count),
        # One case is "ett nytt ärende", not "1 nya ärenden": the singular has words of its own.
        paragraphs=[
            text("email.digest.lead_one", language) if count == 1 else text("email.digest.lead", language, count=count)
        ],
        items=items,
        link=(text("email.digest.open", language), queue_url),
    )


def service_report(
    *, to: str, language: Language, organisation: str, month: str, report_id: str, pdf: bytes, url: str
) -> Email:
    """To the people a customer organisation named: last month's service report, attached (figures only,
    nothing about a person), and where the figures are read at any time."""
    names = {"organisation": organisation, "month": month}
    return _render(
        to=to,
        language=language,
        kind="service-report",
        case_id=f"report-{report_id}",
        subject=text("email.service_report.subject", language, **names),
        paragraphs=[text("email.service_report.lead", language, **names), text("email.service_report.more", language)],
        link=(text("email.service_report.open", language), url),
        attachments=(
            Attachment(text("email.service_report.file", language, month=report_id[-7:]), "application/pdf", pdf),
        ),
    )


def draft_reminder(
    form: FormDefinition, *, draft_id: str, to: str, language: Language, expires: date, url: str
) -> Email:
    """To whoever saved a draft and has not sent it: the day it goes. The form's name, never the answers."""
    names = {**_titles(form, language), "expires": expires.isoformat()}
    return _render(
        to=to,
        language=language,
        kind="draft-reminder",
        case_id=f"draft-{draft_id}",  # what the send is tagged with: the draft, not a case
        subject=text("email.draft_reminder.subject", language, **names),
        paragraphs=[text("email.draft_reminder.lead", language, **names)],
        link=(text("email.draft_reminder.open", language), url),
    )


def pdf_shared(
    case: Case, form: FormDefinition, *, to: str, language: str, sender: str, case_url: str, pdf_url: str
) -> Email:
    """To an administrator a manager sent the signed PDF to. The PDF itself stays behind sign-in."""
    lang = as_language(language)
    names = {**_titles(form, lang), "case_id": case.reference, "sender": sender}
    return _render(
        to=to,
        language=lang,
        kind="pdf-shared",
        case=case,
        form=form,
        subject=text("email.shared.subject", lang, **names),
        paragraphs=[text("email.shared.lead", lang, **names)],
        link=(text("email.download_pdf", lang), pdf_url),
        more_links=((text("email.view_case", lang), case_url),),
    )


class Mailer(Protocol):
    """Sends one email (SES v2 when deployed; a list in tests)."""

    def send(self, email: Email) -> None: ...


#: The desk's notices (texts under ``email.desk.<kind>``, with {title}, {title_lower} and {case_id}). None
#: carries a message's text or anything the case holds beyond its form's name: the case page shows the rest.
DESK_KINDS = (
    "message-waiting",
    "completion-requested",
    "completion-provided",
    "case-completed",
    "certificate-ready",
    "case-closed",
    "case-withdrawn",
    "case-assigned",
    "registration-returned",
    "approver-missing",
    "appointment-wanted",
)


def desk_notice(
    case: Case,
    form: FormDefinition,
    *,
    kind: str,
    to: str,
    language: str,
    case_url: str,
    rating_url: str | None = None,
) -> Email:
    """One of the desk's notices (``DESK_KINDS``), with a link to the case; a finished case's also with the
    link that rates it (no email of its own: the rating rides on the email that says the case is done)."""
    lang = as_language(language)
    names = {**_titles(form, lang), "case_id": case.reference}
    return _render(
        to=to,
        language=lang,
        kind=kind,
        case=case,
        form=form,
        subject=text(f"email.desk.{kind}.subject", lang, **names),
        paragraphs=[text(f"email.desk.{kind}.lead", lang, **names)],
        link=(text("email.view_case", lang), case_url),
        more_links=((text("email.rate_case", lang), rating_url),) if rating_url else (),
    )
