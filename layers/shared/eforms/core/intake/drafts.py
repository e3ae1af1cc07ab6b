"""Drafts: a form half filled, kept server-side so its filer can finish it later, on any device.

A draft is its owner's alone — not a case, so not even payroll sees it — and every route answers someone
else's draft exactly like one that does not exist (404). It is kept for the form's ``x-eform.draftDays``
(default 30) after its last save, with one reminder three working days before it goes; submitting it
deletes it in the transaction that stores the case (:mod:`eforms.core.intake.submission`).

A draft is unfinished by definition, so its answers are not validated against the form — only their
shape, the hostile-text checks every stored string passes, and the body's size. A draft of a version the
form has since retired stays readable; the view says so, and the client offers the newest version with the
answers (docs/self-service.md §1).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from eforms.core.common.clock import Clock, stockholm_date
from eforms.core.common.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from eforms.core.common.i18n import DEFAULT_LANGUAGE, Language
from eforms.core.common.input_safety import text_errors
from eforms.core.common.workdays import working_days_before
from eforms.core.forms.catalogue import Catalogue, FormDefinition, resolve_form, version_errors
from eforms.core.identity.caller import BANKID, Caller
from eforms.core.identity.directory import Directory
from eforms.core.intake.eligibility import check_may_file

MAX_DRAFTS = 20  # per person: a draft is a place to pause, not an archive
MAX_TITLE = 80
REMIND_WORKING_DAYS = 3
_DRAFT_ID = re.compile(r"^dr_[A-Za-z0-9_-]{22}$")
_CREATE_FIELDS = frozenset({"formId", "formVersion", "title", "data"})
_UPDATE_FIELDS = frozenset({"version", "title", "data"})


@dataclass(frozen=True)
class Draft:
    draft_id: str
    owner_id: str
    organisation_id: str
    form_id: str
    form_version: int
    data: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    expires_at: datetime  # the item's TTL, moved on by every save
    #: The Stockholm day its reminder is due; None once it was sent (the reminders' index is sparse).
    remind_on: date | None
    version: int = 1
    #: The owner's own label ("Semester juli"), to tell several drafts of one form apart.
    title: str | None = None
    #: Where a BankID filer (no directory row) is reminded: the address their sign-in gave.
    contact_email: str | None = None
    #: The language the owner was filling it in: the reminder is written in it.
    language: Language = DEFAULT_LANGUAGE

    def usable_by(self, caller_id: str, now: datetime) -> bool:
        return self.owner_id == caller_id and self.expires_at > now


class DraftStore(Protocol):
    def mine(self, owner_id: str) -> list[Draft]:
        """The owner's drafts (one Query on their partition), expired ones included."""
        ...

    def get(self, owner_id: str, draft_id: str) -> Draft | None: ...

    def put(self, draft: Draft, *, expected_version: int | None) -> None:
        """Store ``draft``: new when ``expected_version`` is None, else only over that version (``Conflict``)."""
        ...

    def delete(self, owner_id: str, draft_id: str, *, expected_version: int) -> None:
        """Delete the draft if still at ``expected_version`` (``Conflict`` otherwise)."""
        ...


def new_draft_id() -> str:
    return "dr_" + secrets.token_urlsafe(16)


def is_draft_id(value: Any) -> bool:
    return isinstance(value, str) and bool(_DRAFT_ID.match(value))


def remind_on(saved_at: datetime, expires_at: datetime, country: str) -> date:
    """Three working days before the draft goes (in the form's country), and never before the day it was saved."""
    return max(stockholm_date(saved_at), working_days_before(stockholm_date(expires_at), REMIND_WORKING_DAYS, country))


def _content_errors(body: dict[str, Any], allowed: frozenset[str]) -> list[FieldError]:
    errors = [FieldError(f"/{key}", "unknown_field") for key in body if key not in allowed]
    data, title = body.get("data"), body.get("title")
    if data is None:
        errors.append(FieldError("/data", "required"))
    elif not isinstance(data, dict):
        errors.append(FieldError("/data", "wrong_type", {"expected": "object"}))
    else:
        errors += text_errors(data, "/data")
    if title is not None:
        if not isinstance(title, str):
            errors.append(FieldError("/title", "wrong_type", {"expected": "string"}))
        elif len(title) > MAX_TITLE:
            errors.append(FieldError("/title", "too_long", {"limit": MAX_TITLE}))
        else:
            errors += text_errors(title, "/title")
    return errors


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ValidationFailed([FieldError("", "wrong_type", {"expected": "object"})])
    return body


def _title(body: dict[str, Any]) -> str | None:
    title = body.get("title")
    return title.strip() or None if isinstance(title, str) else None


@dataclass
class Drafts:
    catalogue: Catalogue
    store: DraftStore
    clock: Clock
    directory: Directory

    def mine(self, caller: Caller) -> list[Draft]:
        """The caller's live drafts, the most recently saved first."""
        now = self.clock()
        drafts = [d for d in self.store.mine(caller.id) if d.usable_by(caller.id, now)]
        return sorted(drafts, key=lambda d: d.updated_at, reverse=True)

    def owned(self, caller: Caller, draft_id: str) -> Draft:
        """The caller's draft; anyone else's, an expired one or none is the same 404."""
        draft = self.store.get(caller.id, draft_id) if is_draft_id(draft_id) else None
        if draft is None or not draft.usable_by(caller.id, self.clock()):
            raise NotFound("draft_not_found")
        return draft

    def create(self, caller: Caller, body: Any, language: Language = DEFAULT_LANGUAGE) -> Draft:
        body = _object(body)
        errors = _content_errors(body, _CREATE_FIELDS)
        if "formVersion" in body:
            errors += version_errors(body.get("formVersion"))
        if errors:
            raise ValidationFailed(sorted(errors, key=lambda e: e.pointer))
        now = self.clock()
        today = stockholm_date(now)
        form = resolve_form(self.catalogue, body.get("formId"), body.get("formVersion"), today)
        check_may_file(form, caller, self.directory, today)
        if not form.open_to(caller.kind, caller.roles):
            raise Forbidden("form_needs_role")  # a form always about someone else: not one the catalogue lists
        if len(self.mine(caller)) >= MAX_DRAFTS:
            raise Conflict("too_many_drafts", limit=MAX_DRAFTS)
        expires = self._expiry(form, now)
        draft = Draft(
            draft_id=new_draft_id(),
            owner_id=caller.id,
            organisation_id=caller.organisation_id,
            form_id=form.form_id,
            form_version=form.version,
            data=body["data"],
            created_at=now,
            updated_at=now,
            expires_at=expires,
            remind_on=remind_on(now, expires, form.country),
            title=_title(body),
            contact_email=(caller.email or None) if caller.kind == BANKID else None,
            language=language,
        )
        self.store.put(draft, expected_version=None)
        return draft

    def update(self, draft: Draft, body: Any, language: Language = DEFAULT_LANGUAGE) -> Draft:
        """Save the caller's ``draft`` (found by :meth:`owned`, before its body is read: someone else's is 404
        whatever is sent) again over the version the client read (409 on a stale one, the case rule); its
        lifetime starts over, and so does its reminder."""
        body = _object(body)
        errors = _content_errors(body, _UPDATE_FIELDS)
        version = body.get("version")
        if isinstance(version, bool) or not isinstance(version, int):
            errors.append(FieldError("/version", "required" if version is None else "wrong_type"))
        if errors:
            raise ValidationFailed(sorted(errors, key=lambda e: e.pointer))
        if version != draft.version:
            raise Conflict("draft_changed", expected=draft.version)
        now = self.clock()
        form = self.catalogue.get(draft.form_id, draft.form_version)
        expires = self._expiry(form, now)
        saved = replace(
            draft,
            data=body["data"],
            title=_title(body) if "title" in body else draft.title,
            updated_at=now,
            expires_at=expires,
            remind_on=remind_on(now, expires, form.country),
            version=draft.version + 1,
            language=language,
        )
        self.store.put(saved, expected_version=draft.version)
        return saved

    def discard(self, caller: Caller, draft_id: str) -> None:
        draft = self.owned(caller, draft_id)
        self.store.delete(caller.id, draft.draft_id, expected_version=draft.version)

    def retired(self, draft: Draft) -> bool:
        """Whether new cases are no longer filed on the draft's version (it is resumed on the newest)."""
        try:
            self.catalogue.for_filing(draft.form_id, draft.form_version, stockholm_date(self.clock()))
        except NotFound:
            return True
        return False

    @staticmethod
    def _expiry(form: FormDefinition, now: datetime) -> datetime:
        return (now + timedelta(days=form.draft_days)).replace(microsecond=0)
