"""The registry of customer organisations: ``organisations/<id>.json`` files, read once and checked.

Like the forms, organisations are data: adding a customer is adding a file (and loading its directory). The
file's shape is ``organisation.schema.json``; what a schema cannot say is checked here, so that the test suite
fails — naming the file and what is wrong — when a file offers a form ``schemas/`` does not hold, names a team
``centre.json`` does not hold, claims an email domain another organisation claims, or sets a form setting
its form does not allow (docs/organisations.md, §1).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from eforms.core.common.workdays import SWEDEN
from eforms.core.desk.service_levels import PayCalendar
from eforms.core.forms.catalogue import Catalogue, FormDefinition
from eforms.core.organisations import people
from eforms.core.payroll.items import parse_codes

#: The shares a service agreement sets targets for (docs/statistics.md §5).
TARGETS = ("feedbackInTime", "certificatesInTime", "satisfied")


class OrganisationError(ValueError):
    """An organisation file that cannot be used: the message names the file and what is wrong."""


@dataclass(frozen=True)
class FormSettings:
    """What an organisation sets for one form it offers, where the form allows it."""

    pay_cut_off_day: int | None = None
    approval_fallback_team: str | None = None


@dataclass(frozen=True)
class Organisation:
    organisation_id: str
    names: dict[str, str]
    country: str
    languages: tuple[str, ...]
    provider: dict[str, str]
    email_domains: tuple[str, ...]
    bankid: bool
    forms: dict[str, FormSettings]
    cut_off_day: int | None
    cut_off_dates: tuple[date, ...]
    payroll_team: str
    contact: dict[str, str]
    #: Who is emailed the monthly service report (``followUp.reportTo``; docs/statistics.md §6).
    report_to: tuple[str, ...] = ()
    #: The targets its shares are held against: the centre's, overridden by its own (docs/statistics.md §5).
    targets: dict[str, float] = field(default_factory=dict)
    #: Its payroll system's code for each pay item its forms declare (``payroll.codes``; docs/records.md §4).
    pay_codes: dict[str, str] = field(default_factory=dict)
    #: The employer's number in the pay-run file's header (``payroll.organisationNumber``; records.md §5).
    organisation_number: str = ""

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["sv"]

    def offers(self, form_id: str) -> bool:
        return form_id in self.forms


@dataclass(frozen=True)
class Centre:
    names: dict[str, str]
    teams: dict[str, dict[str, Any]]
    default_organisation: str
    targets: dict[str, float] = field(default_factory=dict)


class Registry:
    """Every organisation under ``root``, checked against the catalogue and the centre."""

    def __init__(self, centre: Centre, organisations: dict[str, Organisation]) -> None:
        self.centre = centre
        self.organisations = organisations
        self._by_domain = {d: o for o in organisations.values() for d in o.email_domains}

    @classmethod
    def read(cls, root: Path) -> Registry | None:
        """The registry as the functions read it: once per container, trusting the files the test suite
        checked (:meth:`load`) — no validator, no form read, so the catalogue's cold start stays as it was.
        None when no organisations are declared (one organisation, offering every form)."""
        if not (root / "centre.json").is_file():
            return None
        centre = _centre(root / "centre.json")
        found = {
            path.stem: _organisation(path, None, centre, None)
            for path in sorted(root.glob("*.json"))
            if path.name not in ("centre.json", "organisation.schema.json")
        }
        return cls(centre, found)

    def of(self, organisation_id: str) -> Organisation | None:
        """The caller's organisation: the token's, or (a token without one) the centre's default."""
        return self.organisations.get(organisation_id or self.centre.default_organisation)

    @classmethod
    def load(cls, root: Path, catalogue: Catalogue) -> Registry:
        centre = _centre(root / "centre.json")
        schema = _json(root / "organisation.schema.json")
        found: dict[str, Organisation] = {}
        claimed: dict[str, str] = {}
        for path in sorted(root.glob("*.json")):
            if path.name in ("centre.json", "organisation.schema.json"):
                continue
            organisation = _organisation(path, schema, centre, catalogue)
            for domain in organisation.email_domains:
                if domain in claimed:
                    raise OrganisationError(
                        f"{path.name}: the email domain {domain} is already claimed by {claimed[domain]}.json"
                    )
                claimed[domain] = organisation.organisation_id
            found[organisation.organisation_id] = organisation
        if centre.default_organisation not in found:
            raise OrganisationError(f"centre.json: the default organisation {centre.default_organisation} has no file")
        return cls(centre, found)

    def get(self, organisation_id: str) -> Organisation | None:
        return self.organisations.get(organisation_id)

    def by_email(self, email: str) -> Organisation | None:
        """The organisation whose people have this address (its domain, exactly), for the sign-in page."""
        return self._by_domain.get(email.rpartition("@")[2].strip().lower())

    def served_by(self, team: str) -> list[Organisation]:
        """The organisations a payroll team works for."""
        return [o for o in self.organisations.values() if o.payroll_team == team]

    @property
    def default(self) -> str:
        return self.centre.default_organisation

    def person_id(self, organisation_id: str, local: str) -> str:
        """The service's id for an organisation's own id (``norrby/E1001``; bare in the default organisation)."""
        return people.person_id(self.namespace(organisation_id), local)

    def namespace(self, organisation_id: str) -> str:
        """How an organisation's people's ids name it (:func:`people.organisation_of`): "" for the default."""
        return "" if organisation_id in ("", self.default) else organisation_id

    def organisation_of(self, person: str) -> Organisation | None:
        """The organisation a person id belongs to."""
        return self.of(people.organisation_of(person))

    def calendar(self, organisation_id: str, form: FormDefinition) -> PayCalendar:
        """The pay runs a case of this organisation's on this form reaches, and whose working days count."""
        return calendar_of(self.of(organisation_id), form)

    def team_of(self, organisation_id: str) -> str | None:
        """The centre's payroll team that serves an organisation (its queue on the desk)."""
        organisation = self.of(organisation_id)
        return organisation.payroll_team if organisation else None


#: A form's pay calendar in an organisation, by the organisation's id (``wiring.pay_calendar``).
Calendars = Callable[[str, FormDefinition], PayCalendar]


def form_calendar(_organisation_id: str, form: FormDefinition) -> PayCalendar:
    """The form's own calendar, where no organisations are declared (and in unit tests of the rules)."""
    return calendar_of(None, form)


def calendar_of(organisation: Organisation | None, form: FormDefinition) -> PayCalendar:
    """A form's pay calendar in an organisation (:class:`PayCalendar`): the most specific cut-off wins — the
    organisation's setting for the form, the form's own (negotiated pay by the 5th), then the organisation's
    pay-run calendar. A form bound to a country (``x-eform.country: dk``) counts that country's working days;
    any other, the organisation's."""
    if organisation is None:
        return PayCalendar(form.pay_cut_off_day, (), form.country)
    setting = organisation.forms.get(form.form_id)
    country = form.country if form.country != SWEDEN else organisation.country
    day = (setting.pay_cut_off_day if setting else None) or form.pay_cut_off_day
    if day:
        return PayCalendar(day, (), country)
    return PayCalendar(organisation.cut_off_day, organisation.cut_off_dates, country)


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as problem:
        raise OrganisationError(f"{path.name}: not readable JSON ({problem})") from None


def _centre(path: Path) -> Centre:
    raw = _json(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("teams"), dict) or not raw["teams"]:
        raise OrganisationError(f"{path.name}: names, teams (at least one) and defaultOrganisation are required")
    targets = raw.get("targets", {})
    if not isinstance(targets, dict) or any(
        name not in TARGETS or isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1
        for name, value in targets.items()
    ):
        raise OrganisationError(f"{path.name}: targets are shares (0 to 1) of {', '.join(TARGETS)}")
    targets = {name: float(value) for name, value in targets.items()}
    return Centre(dict(raw.get("names", {})), dict(raw["teams"]), str(raw.get("defaultOrganisation", "")), targets)


def _organisation(
    path: Path, schema: dict[str, Any] | None, centre: Centre, catalogue: Catalogue | None
) -> Organisation:
    """One file as an organisation; with ``schema`` and ``catalogue``, checked (the test suite's load)."""
    raw = _json(path)
    if schema is not None:
        import jsonschema  # only the checked load (the test suite) needs the validator

        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        problems = sorted(validator.iter_errors(raw), key=lambda e: list(e.absolute_path))
        if problems:
            where = "/".join(str(p) for p in problems[0].absolute_path) or "(the file)"
            raise OrganisationError(f"{path.name}: {where}: {problems[0].message}")
    organisation_id = raw["organisationId"]
    if path.stem != organisation_id:
        raise OrganisationError(f"{path.name}: organisationId {organisation_id} differs from the file's name")
    if raw["payrollTeam"] not in centre.teams:
        raise OrganisationError(f"{path.name}: payrollTeam {raw['payrollTeam']} is not a team in centre.json")
    forms = {
        form_id: _settings(path, form_id, settings, catalogue) if catalogue else _trusted(settings)
        for form_id, settings in raw["forms"].items()
    }
    runs = raw["payRuns"]
    try:
        pay_codes = parse_codes(raw.get("payroll", {}).get("codes"), path.name)
    except ValueError as problem:
        raise OrganisationError(str(problem)) from None
    if catalogue is not None:
        _every_item_coded(path, raw["forms"], pay_codes, catalogue)
    return Organisation(
        organisation_id=organisation_id,
        names=dict(raw["names"]),
        country=raw["country"],
        languages=tuple(raw["languages"]),
        provider=dict(raw["signIn"]["provider"]),
        email_domains=tuple(raw["signIn"]["emailDomains"]),
        bankid=bool(raw["signIn"].get("bankid", False)),
        forms=forms,
        cut_off_day=runs.get("cutOffDay"),
        cut_off_dates=tuple(sorted(date.fromisoformat(d) for d in runs.get("cutOffDates", []))),
        payroll_team=raw["payrollTeam"],
        contact=dict(raw["contact"]),
        report_to=tuple(raw.get("followUp", {}).get("reportTo", ())),
        targets={**centre.targets, **raw.get("followUp", {}).get("targets", {})},
        pay_codes=pay_codes,
        organisation_number=raw.get("payroll", {}).get("organisationNumber", ""),
    )


def _every_item_coded(path: Path, forms: dict[str, Any], codes: dict[str, str], catalogue: Catalogue) -> None:
    """Each pay item a form it offers declares has the organisation's code (docs/records.md §4)."""
    for form_id in forms:
        _form(path, form_id, catalogue)  # names a form that exists
        for version in catalogue.versions(form_id):  # cases filed on an older version are registered too
            for rule in catalogue.get(form_id, version).payroll:
                if rule.item not in codes:
                    raise OrganisationError(f"{path.name}: payroll.codes has no code for {rule.item} ({form_id})")


def _settings(path: Path, form_id: str, raw: dict[str, Any], catalogue: Catalogue) -> FormSettings:
    form = _form(path, form_id, catalogue)
    if "payCutOffDay" in raw and not form.pay_month_from:
        raise OrganisationError(f"{path.name}: forms/{form_id}: payCutOffDay, but {form_id} changes no pay")
    if "approvalFallbackTeam" in raw and not any(step.decides for step in form.route):
        raise OrganisationError(
            f"{path.name}: forms/{form_id}: approvalFallbackTeam, but {form_id} has no approval step"
        )
    return FormSettings(raw.get("payCutOffDay"), raw.get("approvalFallbackTeam"))


def _trusted(raw: dict[str, Any]) -> FormSettings:
    return FormSettings(raw.get("payCutOffDay"), raw.get("approvalFallbackTeam"))


def _form(path: Path, form_id: str, catalogue: Catalogue) -> FormDefinition:
    from eforms.core.common.errors import NotFound

    try:
        return catalogue.get(form_id)
    except NotFound:
        raise OrganisationError(f"{path.name}: forms/{form_id}: no such form in schemas/") from None
