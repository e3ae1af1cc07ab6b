"""The form catalogue: one JSON Schema file per form version, ``schemas/<formId>/v<N>.json``.

Adding an e-service is adding a file: everything the service needs to know about a form (titles in
each language it is published in, route, attachments, correctable fields, retention, service level, UI hints) is
declared inside the schema file under the ``x-eform`` keyword, and field labels carry their translations under
``x-en``, ``x-da``, … (see ``translations``).
No code names a form.

Versions are immutable once published: a case records ``formId`` + ``version`` and is always validated
and shown with exactly that file, so publishing version 2 never changes a version-1 case.

Files are read lazily and cached for the container's life: listing the catalogue reads only the newest
version of each form, and a request never touches a file path built from user input (ids are looked up
in an index built from the directory listing).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from eforms.core.common.errors import FieldError, NotFound, ValidationFailed
from eforms.core.common.i18n import SUPPORTED, Language
from eforms.core.common.workdays import COUNTRIES, SWEDEN
from eforms.core.forms import pay_month, pointers, prefill
from eforms.core.forms.attachments import AttachmentKind, parse_attachments
from eforms.core.forms.prefill import Prefilled
from eforms.core.forms.routes import Route, parse_route
from eforms.core.forms.translations import (
    DEFAULT_LANGUAGES,
    TRANSLATED,
    TRANSLATION_KEYS,
    parse_languages,
    titles,
    translated,
)
from eforms.core.payroll import declaration
from eforms.core.payroll.declaration import PayRule

FORM_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_VERSION_FILE = re.compile(r"^v([1-9][0-9]{0,3})\.json$")


@dataclass(frozen=True)
class OnBehalf:
    """How a form lets a manager or administrator file a case that concerns another employee."""

    #: JSON pointer to the boolean "concerns another employee"; None for a form that is always about
    #: someone else (e.g. a manager reporting a new salary), filed only by those roles.
    flag: str | None
    employee_id: str  # JSON pointer to that employee's id in the directory
    roles: tuple[str, ...]  # caller roles allowed to use it

    @property
    def always(self) -> bool:
        return self.flag is None


COMPLETIONS = ("registration", "answer", "certificate")
OTHER_CATEGORY = "ovrigt"  # the catalogue group of a form that names none


@dataclass(frozen=True)
class DeskWork:
    """How payroll finishes a case of this form (``x-eform.desk``; see docs/desk.md).

    ``registration`` (the default): registered in the payroll system, then checked by a second officer;
    ``answer``: a question answered and resolved; ``certificate``: a document issued and delivered — uploaded
    first when the case's data matches ``document_required_when`` (a JSON Schema, e.g. delivery = digital).
    """

    completion: str = "registration"
    document_required_when: dict[str, Any] | None = None


@dataclass(frozen=True)
class FormDefinition:
    """One version of one e-form, as declared by its schema file."""

    form_id: str
    version: int
    schema: dict[str, Any]
    route: Route
    correctable_fields: tuple[str, ...]
    retention_years: int
    service_level_working_days: int
    on_behalf: OnBehalf | None
    ui: dict[str, Any]
    desk: DeskWork = DeskWork()
    attachments: tuple[AttachmentKind, ...] = ()  # the kinds of file the form takes (x-eform.attachments)
    #: Until when (a Stockholm date, inclusive) new cases may still be filed on the version before this one.
    previous_accepted_until: date | None = None
    #: Who may file it (``x-eform.access``): ``employee`` (organisation sign-in, in the directory) and/or
    #: ``bankid`` (former employees and outsiders, signed in with BankID).
    access: tuple[str, ...] = ("employee",)
    #: The catalogue group it is listed under (``x-eform.category``; the groups are ``categories.json``).
    category: str = OTHER_CATEGORY
    #: The day of the month after which a case reaches the next month's pay (``x-eform.payCutOffDay``; the
    #: centre's default when None). Negotiated pay results, e.g., must reach payroll by the 5th.
    pay_cut_off_day: int | None = None
    #: Where the answers say which month the pay concerns (``x-eform.payMonthFrom``: JSON pointers to dates
    #: or months); the case never reaches an earlier pay (:mod:`eforms.core.forms.pay_month`).
    pay_month_from: tuple[str, ...] = ()
    #: The field holding the personnummer of whom the case concerns (``x-eform.ownPersonnummer``): checked
    #: at filing against the BankID sign-in or the directory, so nobody asks for a certificate about
    #: someone else (:mod:`eforms.core.intake.own_personnummer`).
    own_personnummer: str | None = None
    #: Whose working days and holidays its service level is counted in (``x-eform.country``: se, dk).
    country: str = SWEDEN
    #: The languages it is published in (``x-eform.languages``), the one it is written in first: its PDF and
    #: its notice to payroll are in that one.
    languages: tuple[Language, ...] = DEFAULT_LANGUAGES
    #: The roles that may file it (``x-eform.filedBy``, e.g. a new hire is reported by a manager or HR); empty:
    #: anyone who may sign in to it.
    filed_by: tuple[str, ...] = ()
    #: How far back and ahead (years from today) any date in it may be (``x-eform.dateWindow``): a leave
    #: in 9999 is a typo, not a plan.
    date_window: tuple[int, int] = (10, 5)
    #: How many days a half-filled draft of it is kept after its last save (``x-eform.draftDays``, 1–365): a
    #: month's time report needs a month, a question to payroll a week (docs/self-service.md §1).
    draft_days: int = 30
    #: The fields the signed-in identity answers (``x-prefill`` on a field; :mod:`eforms.core.forms.prefill`).
    prefill: tuple[Prefilled, ...] = ()
    #: How its answers become pay transactions (``x-eform.payroll``; docs/records.md §4).
    payroll: tuple[PayRule, ...] = ()

    @property
    def key(self) -> tuple[str, int]:
        return (self.form_id, self.version)

    def open_to(self, sign_in: str, roles: frozenset[str]) -> bool:
        """Whether someone signed in this way (``employee``, ``bankid``) with ``roles`` can file it: what the
        catalogue lists. A form always about someone else is for the roles that may file for others."""
        needed = self.filed_by or (self.on_behalf.roles if self.on_behalf and self.on_behalf.always else ())
        return sign_in in self.access and (not needed or bool(roles & frozenset(needed)))

    def title(self, language: Language) -> str:
        """The form's name in ``language``, also where the form is not published in it: every form is named in
        every language, so a Swedish approver's email names a Danish form in Swedish."""
        return str(translated(self.schema, "title", language))

    def shown_in(self, language: Language) -> Language:
        """The language the form itself reads in for a reader of ``language``: theirs where the form is
        published in it, else the one it is written in (its fields are never half translated)."""
        return language if language in self.languages else self.languages[0]

    def description(self, language: Language) -> str:
        return str(translated(self.schema, "description", language))

    def localized_schema(self, language: Language) -> dict[str, Any]:
        """The data schema with titles and descriptions in ``language`` and the translation keys removed.

        The validation keywords (including our ``x-dateOrder``/``x-notInPast``) stay, so a browser renderer
        validates with the very same rules. Cached per language: the result is shared, do not mutate it.
        """
        return self._localized[language]

    @cached_property
    def _localized(self) -> dict[Language, dict[str, Any]]:
        return {language: _localize(self.schema, language) for language in SUPPORTED}

    def field_title(self, pointer: str, language: Language) -> str | None:
        """The label of the field at ``pointer`` (e.g. ``/period/from``), for messages and documents."""
        node: Any = self.schema
        for part in [p for p in pointer.split("/") if p]:
            properties = node.get("properties", {}) if isinstance(node, dict) else {}
            if part not in properties:
                return None
            node = properties[part]
        return str(translated(node, "title", language)) if isinstance(node, dict) and "title" in node else None

    @classmethod
    def from_document(cls, document: dict[str, Any], *, expected_id: str, expected_version: int) -> FormDefinition:
        """Read the ``x-eform`` declaration, rejecting a file whose metadata contradicts its location."""
        meta = document.get("x-eform")
        if not isinstance(meta, dict):
            raise ValueError(f"{expected_id} v{expected_version}: missing x-eform declaration")
        if meta.get("formId") != expected_id or meta.get("version") != expected_version:
            raise ValueError(f"{expected_id} v{expected_version}: x-eform formId/version do not match the file")
        try:
            route = parse_route(meta.get("route"))
            attachments = parse_attachments(meta.get("attachments"))
            access = _parse_access(meta.get("access", ["employee"]), route)
            languages = parse_languages(meta.get("languages"))
            pay_month_from = pay_month.parse_pointers(meta.get("payMonthFrom"), document)
            own = pointers.declared(meta.get("ownPersonnummer"), document, "ownPersonnummer")
            prefilled = prefill.declared(document)
            pay_rules = declaration.parse(meta.get("payroll"), document)
            if len(own) > 1 or (own and "*" in own[0]):
                raise ValueError("ownPersonnummer names one field")
        except ValueError as problem:
            raise ValueError(f"{expected_id} v{expected_version}: {problem}") from None
        on_behalf = meta.get("onBehalf")
        desk = meta.get("desk", {})
        if not isinstance(desk, dict) or desk.get("completion", "registration") not in COMPLETIONS:
            raise ValueError(f"{expected_id} v{expected_version}: desk.completion must be one of {COMPLETIONS}")
        return cls(
            form_id=expected_id,
            version=expected_version,
            schema=document,
            route=route,
            correctable_fields=tuple(meta.get("correctableFields", ())),
            retention_years=int(meta["retentionYears"]),
            service_level_working_days=int(meta["serviceLevelWorkingDays"]),
            on_behalf=(
                OnBehalf(
                    flag=on_behalf.get("flag"), employee_id=on_behalf["employeeId"], roles=tuple(on_behalf["roles"])
                )
                if on_behalf
                else None
            ),
            ui=dict(meta.get("ui", {})),
            desk=DeskWork(desk.get("completion", "registration"), desk.get("documentRequiredWhen")),
            attachments=attachments,
            previous_accepted_until=(
                date.fromisoformat(meta["previousAcceptedUntil"]) if "previousAcceptedUntil" in meta else None
            ),
            access=access,
            category=str(meta.get("category", OTHER_CATEGORY)),
            pay_cut_off_day=_cut_off_day(meta.get("payCutOffDay")),
            pay_month_from=pay_month_from,
            own_personnummer=own[0] if own else None,
            country=_country(meta.get("country", SWEDEN)),
            languages=languages,
            filed_by=_roles(meta.get("filedBy", [])),
            date_window=_date_window(meta.get("dateWindow")),
            draft_days=_draft_days(meta.get("draftDays", 30)),
            prefill=prefilled,
            payroll=pay_rules,
        )


def _country(raw: Any) -> str:
    if raw not in COUNTRIES:
        raise ValueError(f"country must be one of {COUNTRIES}")
    return str(raw)


def _date_window(raw: Any) -> tuple[int, int]:
    if raw is None:
        return (10, 5)
    past, future = (raw.get("pastYears"), raw.get("futureYears")) if isinstance(raw, dict) else (None, None)
    if not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= 120 for n in (past, future)):
        raise ValueError("dateWindow needs pastYears and futureYears, 0–120")
    return (int(past), int(future))  # type: ignore[arg-type]


def _draft_days(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 365:
        raise ValueError("draftDays must be a whole number of days, 1–365")
    return raw


def _roles(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or any(not isinstance(role, str) or not role for role in raw):
        raise ValueError("filedBy must be a list of roles")
    return tuple(raw)


def _cut_off_day(raw: Any) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 28:
        raise ValueError("payCutOffDay must be a day of the month, 1–28")
    return raw


ACCESS_KINDS = ("employee", "bankid")


def _parse_access(raw: Any, route: Route) -> tuple[str, ...]:
    """``access``: a non-empty list of sign-in kinds. A BankID caller may have no manager in the directory
    (an outsider, someone who left), so a form open to BankID has no manager steps; a team may decide it."""
    if (
        not isinstance(raw, list)
        or not raw
        or any(kind not in ACCESS_KINDS for kind in raw)
        or len(set(raw)) < len(raw)
    ):
        raise ValueError(f"access must be a non-empty list of {ACCESS_KINDS}")
    if "bankid" in raw and any(step.approver in ("manager", "managers-manager") for step in route):
        raise ValueError("a form open to BankID sign-in cannot have manager steps (its callers may have no manager)")
    return tuple(raw)


@dataclass(frozen=True)
class Category:
    """A group of forms on the catalogue page, with its title in each language (``categories.json``)."""

    category_id: str
    titles: dict[str, str]

    def title(self, language: Language) -> str:
        return self.titles[language]


class Catalogue:
    """All forms found under one directory. Cheap to create; reads files only when asked."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._loaded: dict[tuple[str, int], FormDefinition] = {}

    @cached_property
    def categories(self) -> tuple[Category, ...]:
        """The catalogue's groups in display order (``categories.json`` beside the forms; a form that names
        none is in ``ovrigt``, and tests/unit/test_catalogue.py checks every form names one that exists)."""
        path = self.root / "categories.json"
        raw = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        return tuple(Category(c["id"], titles(c, c["id"])) for c in raw)

    @cached_property
    def _index(self) -> dict[str, tuple[int, ...]]:
        """formId → published versions (ascending), from the directory listing alone."""
        index: dict[str, tuple[int, ...]] = {}
        if not self.root.is_dir():
            return index
        for form_dir in sorted(self.root.iterdir()):
            if not form_dir.is_dir() or not FORM_ID_PATTERN.match(form_dir.name):
                continue
            versions = sorted(
                int(m.group(1)) for f in form_dir.iterdir() if f.is_file() and (m := _VERSION_FILE.match(f.name))
            )
            if versions:
                index[form_dir.name] = tuple(versions)
        return index

    def form_ids(self) -> list[str]:
        return list(self._index)

    def versions(self, form_id: str) -> tuple[int, ...]:
        return self._index.get(form_id, ())

    def latest(self) -> list[FormDefinition]:
        """The newest version of every form, ordered by form id."""
        return [self.get(form_id) for form_id in self._index]

    def title_of(self, form_id: str, language: Language) -> str:
        """The newest version's title; for a form the catalogue no longer holds, its id (figures, comments and
        reports outlive the forms they count)."""
        try:
            return self.get(form_id).title(language)
        except NotFound:
            return form_id

    def for_filing(self, form_id: str, version: int | None, today: date) -> FormDefinition:
        """The version a new case is filed on: the newest, or the one before it while the newest declares a
        grace period (``previousAcceptedUntil``) that covers ``today``. Older versions still show and
        correct the cases filed on them (:meth:`get`), but take no new ones: ``NotFound("form_version_retired")``."""
        latest = self.get(form_id)
        if version is None or version == latest.version:
            return latest
        wanted = self.get(form_id, version)
        grace = latest.previous_accepted_until
        if wanted.version == self.versions(form_id)[-2] and grace is not None and today <= grace:
            return wanted
        raise NotFound("form_version_retired", formId=form_id, version=version, latest=latest.version)

    def get(self, form_id: str, version: int | None = None) -> FormDefinition:
        """One form version (the newest when ``version`` is None); ``NotFound`` for anything unknown."""
        versions = self._index.get(form_id) if isinstance(form_id, str) else None
        if not versions:
            raise NotFound("unknown_form", formId=str(form_id)[:64])
        wanted = versions[-1] if version is None else version
        if wanted not in versions:
            raise NotFound("unknown_form_version", formId=form_id, version=wanted)
        key = (form_id, wanted)
        form = self._loaded.get(key)
        if form is None:
            path = self.root / form_id / f"v{wanted}.json"
            document = json.loads(path.read_text(encoding="utf-8"))
            form = FormDefinition.from_document(document, expected_id=form_id, expected_version=wanted)
            self._loaded[key] = form
        return form


def version_errors(version: Any) -> list[FieldError]:
    """An envelope's ``formVersion``: absent (the one to file on now) or a whole number ≥ 1 — never a string,
    a fraction, null or a list quietly read as "the newest"."""
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        return [FieldError("/formVersion", "wrong_type", {"expected": "integer ≥ 1"})]
    return []


def resolve_form(catalogue: Catalogue, form_id: Any, version: int | None, today: date) -> FormDefinition:
    """The form version a new case (or upload) is filed on; unknown or retired versions are field errors
    on the envelope (``Catalogue.for_filing``: the newest, or the previous one during its grace period)."""
    try:
        return catalogue.for_filing(form_id, version, today)
    except NotFound as missing:
        pointer = "/formId" if missing.code == "unknown_form" else "/formVersion"
        raise ValidationFailed([FieldError(pointer, missing.code, missing.params)]) from None


def _localize(node: Any, language: Language) -> Any:
    if isinstance(node, list):
        return [_localize(item, language) for item in node]
    if not isinstance(node, dict):
        return copy.copy(node)
    result = {
        key: _localize(value, language)
        for key, value in node.items()
        if key not in TRANSLATION_KEYS and key != "x-eform"
    }
    for keyword in TRANSLATED:
        if keyword in node:
            result[keyword] = translated(node, keyword, language)
    return result
