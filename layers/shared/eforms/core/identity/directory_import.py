"""Reading an org-directory export (JSON array or CSV with a header row) into :class:`Employee` rows.

The export comes from the HR system, so it is untrusted input: every row is validated with pydantic and
every problem is reported with its row number before anything is written. Pydantic lives here, in the
admin path, and not in the request path where its import time would be paid by every cold start.

Columns / keys (camelCase; CSV cells may be empty for optional values)::

    employeeId, name, email, managerId, substituteId, substituteFrom, substituteTo,
    validFrom, validTo, language, team, personnummer, unit

``personnummer`` (optional, ``YYYYMMDD-NNNN``) lets the person sign in with BankID, also after they leave;
only its keyed hash is written (:class:`eforms.core.identity.bankid.PersonnummerHasher`), never the number.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from eforms.core.forms.personnummer import is_valid
from eforms.core.identity.bankid import PersonnummerHasher
from eforms.core.identity.directory import Employee
from eforms.core.organisations.people import person_id

_ID = r"^[A-Za-z0-9._@-]{1,128}$"
_TEAM = r"^[a-z0-9][a-z0-9-]{0,63}$"
_EMAIL = r"^[^@\s]{1,64}@[^@\s]{1,253}\.[^@\s.]{2,63}$"


class DirectoryRow(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    employee_id: str = Field(alias="employeeId", pattern=_ID)
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(pattern=_EMAIL, max_length=320)
    manager_id: str | None = Field(default=None, alias="managerId", pattern=_ID)
    substitute_id: str | None = Field(default=None, alias="substituteId", pattern=_ID)
    substitute_from: date | None = Field(default=None, alias="substituteFrom")
    substitute_to: date | None = Field(default=None, alias="substituteTo")
    valid_from: date | None = Field(default=None, alias="validFrom")
    valid_to: date | None = Field(default=None, alias="validTo")
    language: Literal["sv", "en", "da"] = "sv"
    #: The service team or role queue the person works in: ``payroll``, or a team an approval route names.
    team: str | None = Field(default=None, pattern=_TEAM)
    personnummer: str | None = Field(default=None, max_length=13, repr=False)
    #: Where they work (förvaltning and enhet), as forms show it when they prefill it.
    unit: str | None = Field(default=None, min_length=2, max_length=200)

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_missing(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("personnummer")
    @classmethod
    def _valid_personnummer(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not is_valid(value):
            raise ValueError("not a valid personnummer (YYYYMMDD-NNNN with a correct check digit)")
        return value.replace("-", "")

    @model_validator(mode="after")
    def _consistent(self) -> DirectoryRow:
        if self.manager_id == self.employee_id:
            raise ValueError("an employee cannot be their own manager")
        if self.substitute_id == self.employee_id:
            raise ValueError("an employee cannot be their own substitute")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("validTo is before validFrom")
        if self.substitute_from and self.substitute_to and self.substitute_to < self.substitute_from:
            raise ValueError("substituteTo is before substituteFrom")
        return self

    def to_employee(self, hasher: PersonnummerHasher | None) -> Employee:
        values = self.model_dump(exclude_none=False, exclude={"personnummer"})
        if self.personnummer and hasher is not None:
            values["personnummer_hash"] = hasher.digest(self.personnummer)
        return Employee(**values)


class DirectoryImportError(ValueError):
    """The export is not usable; ``problems`` lists each one with its row (1 = first data row)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the directory export")
        self.problems = problems


def parse_export(
    text: str, *, fmt: Literal["json", "csv"], hasher: PersonnummerHasher | None = None, namespace: str = ""
) -> list[Employee]:
    """Every row validated, or ``DirectoryImportError`` listing every problem; personnummer hashed.

    The export is one organisation's, in its own ids (``E1001``). ``namespace`` is how the service's ids name
    that organisation (docs/organisations.md, §3; ``""``: the default one): every id and team in the rows
    becomes the organisation's (``norrby/E1001``, ``norrby/hr``), so two customers' ``E1001`` are two people
    and two customers' teams of one name are two teams."""
    raw_rows: list[dict[str, object]]
    if fmt == "json":
        loaded = json.loads(text)
        if not isinstance(loaded, list) or not all(isinstance(r, dict) for r in loaded):
            raise DirectoryImportError(["the JSON export must be an array of objects"])
        raw_rows = loaded
    else:
        raw_rows = [dict(row) for row in csv.DictReader(io.StringIO(text))]
    employees: list[Employee] = []
    problems: list[str] = []
    for number, raw in enumerate(raw_rows, start=1):
        try:
            row = DirectoryRow.model_validate(raw)
        except ValidationError as invalid:
            for error in invalid.errors():
                where = ".".join(str(part) for part in error["loc"]) or "row"
                problems.append(f"row {number}: {where}: {error['msg']}")
            continue
        if row.personnummer and hasher is None:
            problems.append(f"row {number}: personnummer: given, but no key to hash it with (--personnummer-key)")
        employees.append(row.to_employee(hasher))
    ids = [e.employee_id for e in employees]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    problems += [f"employeeId {d} appears more than once" for d in duplicates]
    # One person, one row: a BankID sign-in must find exactly one (a rehire keeps their old employeeId).
    hashes = [e.personnummer_hash for e in employees if e.personnummer_hash]
    problems += [
        f"employeeId {e.employee_id}: the same personnummer as another row"
        for e in employees
        if e.personnummer_hash and hashes.count(e.personnummer_hash) > 1
    ]
    known = set(ids)
    for employee in employees:
        for ref in (employee.manager_id, employee.substitute_id):
            if ref and ref not in known:
                problems.append(f"employeeId {employee.employee_id}: refers to unknown employee {ref}")
    if problems:
        raise DirectoryImportError(problems)
    return [_in_namespace(employee, namespace) for employee in employees] if namespace else employees


def _in_namespace(employee: Employee, namespace: str) -> Employee:
    def named(local: str | None) -> str | None:
        return person_id(namespace, local) if local else None

    return replace(
        employee,
        employee_id=person_id(namespace, employee.employee_id),
        manager_id=named(employee.manager_id),
        substitute_id=named(employee.substitute_id),
        team=named(employee.team),
    )
