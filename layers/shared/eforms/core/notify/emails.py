"""The emails the approval flow sends, in the recipient's language, as HTML and plain text.

Subjects carry nothing personal beyond the form's name (they show on lock screens and in mail logs).
Bodies name the applicant — the recipient is entitled to know — but the form's contents stay behind the
link, on a page that shows them only to the holder of a valid link.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from eforms.core.cases.model import Case
from eforms.core.common.clock import STOCKHOLM
from eforms.core.common.i18n import Language
from eforms.core.forms import routes
from eforms.core.forms.catalogue import FormDefinition


@dataclass(frozen=True)
class Email:
    to: str
    language: Language
    kind: str
    case_id: str
    subject: str
    text: str
    html: str


def _lang(value: str) -> Language:
    return "en" if value == "en" else "sv"


def _when(instant: datetime, language: Language) -> str:
    local = instant.astimezone(STOCKHOLM)
    return local.strftime("%Y-%m-%d %H:%M") + (" (svensk tid)" if language == "sv" else " (Swedish time)")


def _render(
    *,
    to: str,
    language: Language,
    kind: str,
    case: Case,
    subject: str,
    paragraphs: list[str],
    link: tuple[str, str] | None,
    more_links: tuple[tuple[str, str], ...] = (),
) -> Email:
    text_parts = [*paragraphs]
    html_parts = [f"<p>{html.escape(p)}</p>" for p in paragraphs]
    for label, url in ([link] if link else []) + list(more_links):
        text_parts.append(f"{label}: {url}")
        html_parts.append(
            f'<p><a href="{html.escape(url, quote=True)}" style="display:inline-block;padding:10px 16px;'
            f'background:#1b4f8a;color:#ffffff;text-decoration:none;border-radius:4px">{html.escape(label)}</a></p>'
        )
    footer = "Lönecentrum – e-tjänster" if language == "sv" else "Payroll service centre – e-services"
    text = "\n\n".join([*text_parts, f"-- \n{footer}"])
    body = (
        f'<!doctype html><html lang="{language}"><body style="font-family:Arial,sans-serif;color:#1a1a1a">'
        + "".join(html_parts)
        + f'<hr><p style="color:#555">{html.escape(footer)}</p></body></html>'
    )
    return Email(to=to, language=language, kind=kind, case_id=case.case_id, subject=subject, text=text, html=body)


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
    lang = _lang(language)
    title = form.title(lang)
    who = (
        case.applicant.name if case.subject.id == case.applicant.id else f"{case.applicant.name} ({case.subject.name})"
    )
    if lang == "sv":
        lead = {
            "initial": f"{who} har skickat en {title.lower()} som väntar på ditt beslut.",
            "reminder": f"Påminnelse: {who} väntar fortfarande på ditt beslut om en {title.lower()}.",
            "escalation": f"{who} har väntat på beslut om en {title.lower()} som inte besvarats. Ärendet har gått vidare till dig.",
        }[stage]
        subject = {
            "initial": f"{title} väntar på ditt beslut",
            "reminder": f"Påminnelse: {title} väntar på ditt beslut",
            "escalation": f"{title} har gått vidare till dig",
        }[stage]
        if team:
            lead = f"{who} har skickat en {title.lower()} som väntar på beslut av {team}."
            subject = f"{title} väntar på beslut av {team}"
            how = ["Logga in och öppna ärendet för att bevilja, avslå eller skicka tillbaka det för rättelse."]
        else:
            how = [
                "Öppna länken för att se ansökan och bevilja, avslå eller skicka tillbaka den för rättelse.",
                f"Länken gäller till {_when(valid_until, lang)} och kan bara användas en gång." if valid_until else "",
            ]
        changed = "Ändrat efter rättelse:"
        link = ("Öppna ärendet", link_url)
    else:
        lead = {
            "initial": f"{who} has sent a {title.lower()} that awaits your decision.",
            "reminder": f"Reminder: {who} is still waiting for your decision on a {title.lower()}.",
            "escalation": f"A {title.lower()} from {who} was not answered in time and has been passed on to you.",
        }[stage]
        subject = {
            "initial": f"{title} awaits your decision",
            "reminder": f"Reminder: {title} awaits your decision",
            "escalation": f"{title} has been passed on to you",
        }[stage]
        if team:
            lead = f"{who} has sent a {title.lower()} that awaits a decision by {team}."
            subject = f"{title} awaits a decision by {team}"
            how = ["Sign in and open the case to approve, reject or return it for correction."]
        else:
            how = [
                "Open the link to see the application and approve, reject or return it for correction.",
                f"The link is valid until {_when(valid_until, lang)} and works once." if valid_until else "",
            ]
        changed = "Changed in the correction:"
        link = ("Open the case", link_url)
    diff = [f"{changed} " + "; ".join(f"{label}: {old} → {new}" for label, old, new in changes)] if changes else []
    paragraphs = [p for p in [lead, *diff, *how] if p]
    return _render(
        to=to, language=lang, kind=f"approval-{stage}", case=case, subject=subject, paragraphs=paragraphs, link=link
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
    lang = _lang(language)
    title = form.title(lang)
    pdf_link: tuple[tuple[str, str], ...] = ()
    if pdf_url:
        pdf_link = (("Hämta beslutet som PDF" if lang == "sv" else "Download the decision as PDF", pdf_url),)
    if lang == "sv":
        subject = {
            "approved": f"{title}: beviljad",
            "rejected": f"{title}: avslagen",
            "returned": f"{title}: behöver rättas",
        }[outcome]
        lead = {
            "approved": f"Din {title.lower()} har beviljats av {approver} och går vidare till Lönecentrum.",
            "rejected": f"Din {title.lower()} har avslagits av {approver}.",
            "returned": f"{approver} har skickat tillbaka din {title.lower()} för rättelse av: {', '.join(field_titles)}.",
        }[outcome]
        paragraphs = [lead] + ([f"Meddelande: {message}"] if message else [])
        link = ("Visa ärendet", case_url)
    else:
        subject = {
            "approved": f"{title}: approved",
            "rejected": f"{title}: rejected",
            "returned": f"{title}: needs correction",
        }[outcome]
        lead = {
            "approved": f"Your {title.lower()} was approved by {approver} and goes on to payroll.",
            "rejected": f"Your {title.lower()} was rejected by {approver}.",
            "returned": f"{approver} returned your {title.lower()} for correction of: {', '.join(field_titles)}.",
        }[outcome]
        paragraphs = [lead] + ([f"Message: {message}"] if message else [])
        link = ("View the case", case_url)
    return _render(
        to=to,
        language=lang,
        kind=f"decision-{outcome}",
        case=case,
        subject=subject,
        paragraphs=paragraphs,
        link=link,
        more_links=pdf_link,
    )


def expiry_notice(case: Case, form: FormDefinition, *, to: str, language: str, case_url: str) -> Email:
    lang = _lang(language)
    title = form.title(lang)
    if lang == "sv":
        subject = f"{title}: inget beslut"
        paragraphs = [
            f"Din {title.lower()} fick inget beslut i tid och har avslutats.",
            "Skicka in en ny ansökan om den fortfarande behövs.",
        ]
        link = ("Visa ärendet", case_url)
    else:
        subject = f"{title}: no decision"
        paragraphs = [
            f"Your {title.lower()} was not decided in time and has been closed.",
            "Please send a new application if you still need it.",
        ]
        link = ("View the case", case_url)
    return _render(to=to, language=lang, kind="expired", case=case, subject=subject, paragraphs=paragraphs, link=link)


def _first_decider(case: Case) -> str:
    step = routes.next_step(case.route, case.data)
    return "payroll" if step is None else case.route[step].approver


def receipt(case: Case, form: FormDefinition, *, to: str, language: str, case_url: str) -> Email:
    lang = _lang(language)
    title = form.title(lang)
    if lang == "sv":
        subject = f"{title}: mottagen"
        next_step = {
            "manager": "Din chef får den för beslut.",
            "managers-manager": "Den går till beslut.",
            "team": "Den går till beslut.",
            "payroll": "Den går direkt till Lönecentrum.",
        }[_first_decider(case)]
        paragraphs = [f"Vi har tagit emot din {title.lower()} (ärende {case.case_id}).", next_step]
        link = ("Visa ärendet", case_url)
    else:
        subject = f"{title}: received"
        next_step = {
            "manager": "It goes to your manager for a decision.",
            "managers-manager": "It goes on for a decision.",
            "team": "It goes on for a decision.",
            "payroll": "It goes straight to payroll.",
        }[_first_decider(case)]
        paragraphs = [f"We have received your {title.lower()} (case {case.case_id}).", next_step]
        link = ("View the case", case_url)
    return _render(to=to, language=lang, kind="receipt", case=case, subject=subject, paragraphs=paragraphs, link=link)


def payroll_handoff(case: Case, form: FormDefinition, *, to: str, case_url: str) -> Email:
    """To the payroll team's shared mailbox, in Swedish: the team works in Swedish."""
    title = form.title("sv")
    item = case.payroll
    due = f"Ska vara klart senast {item.due_date.isoformat()}; når lönen för {item.pay_period}." if item else ""
    paragraphs = [f"Ett nytt ärende har kommit till Lönecentrum: {title.lower()}, ärende {case.case_id}.", due]
    return _render(
        to=to,
        language="sv",
        kind="payroll-handoff",
        case=case,
        subject=f"Nytt ärende: {title}",
        paragraphs=[p for p in paragraphs if p],
        link=("Öppna ärendet", case_url),
    )


def pdf_shared(
    case: Case, form: FormDefinition, *, to: str, language: str, sender: str, case_url: str, pdf_url: str
) -> Email:
    """To an administrator a manager sent the signed PDF to. The PDF itself stays behind sign-in."""
    lang = _lang(language)
    title = form.title(lang)
    if lang == "sv":
        subject = f"{title}: beslut att hantera"
        paragraphs = [
            f"{sender} har skickat det signerade beslutet i ärende {case.case_id} ({title.lower()}) till dig."
        ]
        links = (("Hämta PDF", pdf_url), ("Visa ärendet", case_url))
    else:
        subject = f"{title}: a decision to handle"
        paragraphs = [f"{sender} sent you the signed decision in case {case.case_id} ({title.lower()})."]
        links = (("Download the PDF", pdf_url), ("View the case", case_url))
    return _render(
        to=to,
        language=lang,
        kind="pdf-shared",
        case=case,
        subject=subject,
        paragraphs=paragraphs,
        link=links[0],
        more_links=links[1:],
    )


class Mailer(Protocol):
    """Sends one email (SES v2 when deployed; a list in tests)."""

    def send(self, email: Email) -> None: ...


#: What the desk's emails say, per kind and language: ({title}, {case_id} filled in). None carries a
#: message's text or anything the case holds beyond its form's name: the case page shows the rest.
_DESK_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "message-waiting": {
        "sv": ("{title}: nytt meddelande", "Det finns ett nytt meddelande i ärende {case_id} ({title_lower})."),
        "en": ("{title}: a new message", "There is a new message in case {case_id} ({title_lower})."),
    },
    "completion-requested": {
        "sv": (
            "{title}: komplettering behövs",
            "Lönecentrum behöver mer underlag i ärende {case_id} ({title_lower}). Svara i e-tjänsten.",
        ),
        "en": (
            "{title}: more information needed",
            "Payroll needs more information in case {case_id} ({title_lower}). Please answer in the e-service.",
        ),
    },
    "completion-provided": {
        "sv": ("{title}: komplettering inkommen", "Avsändaren har kompletterat ärende {case_id} ({title_lower})."),
        "en": ("{title}: completed by the sender", "The sender has answered in case {case_id} ({title_lower})."),
    },
    "case-completed": {
        "sv": ("{title}: klart", "Lönecentrum har handlagt klart ärende {case_id} ({title_lower})."),
        "en": ("{title}: done", "Payroll has finished handling case {case_id} ({title_lower})."),
    },
    "certificate-ready": {
        "sv": ("{title}: ditt intyg är klart", "Intyget i ärende {case_id} är klart."),
        "en": ("{title}: your certificate is ready", "The certificate in case {case_id} is ready."),
    },
    "case-closed": {
        "sv": (
            "{title}: avslutat",
            "Lönecentrum har avslutat ärende {case_id} ({title_lower}). Se ärendet för varför.",
        ),
        "en": ("{title}: closed", "Payroll has closed case {case_id} ({title_lower}). See the case for why."),
    },
    "case-withdrawn": {
        "sv": ("{title}: återkallat", "Avsändaren har återkallat ärende {case_id} ({title_lower})."),
        "en": ("{title}: withdrawn", "The sender has withdrawn case {case_id} ({title_lower})."),
    },
    "case-assigned": {
        "sv": ("{title}: tilldelat dig", "Ärende {case_id} ({title_lower}) har tilldelats dig."),
        "en": ("{title}: assigned to you", "Case {case_id} ({title_lower}) has been assigned to you."),
    },
    "registration-returned": {
        "sv": (
            "{title}: registreringen behöver rättas",
            "Kontrollen av ärende {case_id} skickade registreringen tillbaka.",
        ),
        "en": ("{title}: registration to correct", "The check of case {case_id} sent your registration back."),
    },
}
DESK_KINDS = tuple(_DESK_TEXTS)


def desk_notice(case: Case, form: FormDefinition, *, kind: str, to: str, language: str, case_url: str) -> Email:
    """One of the desk's notices (see ``_DESK_TEXTS``), with a link to the case."""
    lang = _lang(language)
    title = form.title(lang)
    subject, lead = (
        text.format(title=title, title_lower=title.lower(), case_id=case.case_id) for text in _DESK_TEXTS[kind][lang]
    )
    label = "Visa ärendet" if lang == "sv" else "View the case"
    return _render(
        to=to, language=lang, kind=kind, case=case, subject=subject, paragraphs=[lead], link=(label, case_url)
    )
