"""The decision page behind an emailed link: plain server-rendered HTML, no JavaScript needed.

Accessibility: one ``h1``, each action its own labelled form in reading order, a ``fieldset`` with a
``legend`` for the fields to reopen, errors summarised at the top (``role="alert"``, focused on load,
each linking to its control) and marked on their fields, visible focus, and colours well above WCAG AA contrast. Swedish by default; the other languages by a link.
Security: the token in the URL is the capability, so the page sends no referrer, cannot be framed,
loads nothing from elsewhere and is never cached.
"""

from __future__ import annotations

import html
from typing import Any

from eforms.api.link_pages import notice, notice_page, page
from eforms.api.link_pages import t as _t
from eforms.api.resolver import Response
from eforms.core.approval.resubmission import round_changes
from eforms.core.cases.model import Case
from eforms.core.common.clock import STOCKHOLM
from eforms.core.common.errors import FieldError
from eforms.core.common.i18n import Language, message
from eforms.core.forms.catalogue import FormDefinition
from eforms.core.forms.presentation import field_rows


def problem_page(kind: str, lang: Language, status: int) -> Response[str]:
    return notice_page(lang, "page", kind, status)


def _summary(case: Case, form: FormDefinition, lang: Language, token: str | None = None) -> str:
    when = case.created_at.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
    rows = [(_t("submitted", lang), when)]
    if case.subject.id != case.applicant.id:
        rows.append((_t("concerns", lang), case.subject.name))
    rows += [(label, value) for _, label, value in field_rows(form, case.data, lang)]
    listed = "<dl>" + "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in rows) + "</dl>"
    return _changes(case, form, lang) + listed + _attachments(case, form, lang, token)


def _attachments(case: Case, form: FormDefinition, lang: Language, token: str | None) -> str:
    """The files the employee attached, each with its SHA-256; downloadable while the link is open (``token``),
    through this page's own route, so the approver needs no sign-in to read what they decide on."""
    if not case.attachments:
        return ""
    titles = {k.kind: k.title(lang) for k in form.attachments}
    items = []
    for a in case.attachments:
        name = html.escape(a.name)
        label = (
            f'<a href="{html.escape(token, quote=True)}/attachments/{html.escape(a.attachment_id, quote=True)}" '
            f"download>{_t('download', lang)} {name}</a>"
            if token
            else name
        )
        items.append(
            f"<li><strong>{html.escape(titles.get(a.kind, a.kind))}:</strong> {label} ({_size(a.size)})"
            f"<br><small>SHA-256 {a.sha256}</small></li>"
        )
    return f'<h2 id="attachments-h">{_t("attachments", lang)}</h2><ul aria-labelledby="attachments-h">{"".join(items)}</ul>'


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{size / 1024:.0f} kB" if size >= 1024 else f"{size} B"


def _changes(case: Case, form: FormDefinition, lang: Language) -> str:
    """After a correction, what the employee changed (old → new), so the approver need not compare."""
    changes = round_changes(case, form, lang)
    if not changes:
        return ""
    head = "".join(f'<th scope="col">{html.escape(_t(k, lang))}</th>' for k in ("field", "before", "after"))
    body = "".join(
        f'<tr><th scope="row">{html.escape(c.label)}</th><td><del>{html.escape(c.before)}</del></td>'
        f"<td><ins>{html.escape(c.after)}</ins></td></tr>"
        for c in changes
    )
    caption = html.escape(_t("changes", lang))
    return (
        f'<table class="notice"><caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


def _textarea(name_id: str, label: str, *, required: bool, error: str | None, value: str) -> str:
    described = f' aria-describedby="{name_id}-error" aria-invalid="true"' if error else ""
    error_html = f'<p class="error" id="{name_id}-error">{html.escape(error)}</p>' if error else ""
    req = ' required aria-required="true"' if required else ""
    return (
        f'<label for="{name_id}">{html.escape(label)}</label>{error_html}'
        f'<textarea id="{name_id}" name="message" maxlength="2000"{req}{described}>{html.escape(value)}</textarea>'
    )


def decision_form(
    case: Case,
    form: FormDefinition,
    lang: Language,
    *,
    errors: list[FieldError] | None = None,
    attempted: dict[str, Any] | None = None,
    status: int = 200,
    token: str | None = None,
) -> Response[str]:
    """The case and the three actions; ``token`` (the link's) makes the attachments downloadable."""
    errors = errors or []
    attempted = attempted or {}
    tried = attempted.get("decision")
    by_pointer = {
        e.pointer.split("/")[1] if e.pointer.count("/") else "": message(e.code, lang, e.params) for e in errors
    }
    title = f"{form.title(lang)} {_t('from', lang)} {case.applicant.name}"
    parts: list[str] = []
    if errors:
        # Each line links to the control it is about, and the summary takes the focus when the page loads, so a
        # screen reader starts with what went wrong (WCAG 3.3.1, 2.4.3).
        targets = {"message": f"{tried}-message", "fields": "field-0"}
        items = "".join(
            f'<li><a href="#{targets[field]}">{html.escape(message(e.code, lang, e.params))}</a></li>'
            if (field := e.pointer.split("/")[1] if e.pointer.count("/") else "") in targets and tried
            else f"<li>{html.escape(message(e.code, lang, e.params))}</li>"
            for e in errors
        )
        parts.append(
            f'<div class="alert" role="alert" tabindex="-1" autofocus aria-labelledby="errors-h">'
            f'<h2 id="errors-h">{html.escape(_t("errors_title", lang))}</h2><ul>{items}</ul></div>'
        )
    parts.append(_summary(case, form, lang, token))
    hidden = f'<input type="hidden" name="lang" value="{lang}">'

    def err(action: str, field: str) -> str | None:
        return by_pointer.get(field) if tried == action else None

    def value(action: str) -> str:
        return str(attempted.get("message", "")) if tried == action else ""

    parts.append(
        f'<section aria-labelledby="approve-h"><h2 id="approve-h">{_t("approve", lang)}</h2><form method="post">{hidden}'
        '<input type="hidden" name="decision" value="approve">'
        + _textarea(
            "approve-message",
            _t("message_optional", lang),
            required=False,
            error=err("approve", "message"),
            value=value("approve"),
        )
        + f'<button type="submit">{_t("approve_button", lang)}</button></form></section>'
    )
    parts.append(
        f'<section aria-labelledby="reject-h"><h2 id="reject-h">{_t("reject", lang)}</h2><form method="post">{hidden}'
        '<input type="hidden" name="decision" value="reject">'
        + _textarea(
            "reject-message",
            _t("message_reason", lang),
            required=True,
            error=err("reject", "message"),
            value=value("reject"),
        )
        + f'<button type="submit" class="danger">{_t("reject_button", lang)}</button></form></section>'
    )
    if form.correctable_fields:
        chosen = set(attempted.get("fields", [])) if tried == "return" else set()
        boxes = "".join(
            f'<div><input type="checkbox" id="field-{i}" name="fields" value="{html.escape(p, quote=True)}"'
            f'{" checked" if p in chosen else ""}><label for="field-{i}">{html.escape(form.field_title(p, lang) or p)}</label></div>'
            for i, p in enumerate(form.correctable_fields)
        )
        fields_error = err("return", "fields")
        fields_error_html = (
            f'<p class="error" id="fields-error">{html.escape(fields_error)}</p>' if fields_error else ""
        )
        parts.append(
            f'<section aria-labelledby="return-h"><h2 id="return-h">{_t("return", lang)}</h2><form method="post">{hidden}'
            '<input type="hidden" name="decision" value="return">'
            + ('<fieldset aria-describedby="fields-error">' if fields_error else "<fieldset>")
            + f"<legend>{_t('fields_legend', lang)}</legend>{fields_error_html}{boxes}</fieldset>"
            + _textarea(
                "return-message",
                _t("message_correction", lang),
                required=True,
                error=err("return", "message"),
                value=value("return"),
            )
            + f'<button type="submit">{_t("return_button", lang)}</button></form></section>'
        )
    return page(lang, title, "".join(parts), status)


def done_page(case: Case, form: FormDefinition, lang: Language, outcome: str) -> Response[str]:
    body = notice(_t("done_" + outcome, lang)) + _summary(case, form, lang)
    return page(lang, f"{form.title(lang)} {_t('from', lang)} {case.applicant.name}", body, 200)
