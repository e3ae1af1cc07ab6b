"""The organisation directory: who reports to whom, and who stands in for a manager.

Loaded from the HR system's export (see :mod:`eforms.core.identity.directory_import`) into its own table.
The domain reads it through the small :class:`Directory` port so tests use an in-memory dict.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Protocol

#: A name search needs this many letters of a word: fewer would list half the organisation.
MIN_SEARCH = 2


@dataclass(frozen=True)
class Employee:
    employee_id: str
    name: str
    email: str
    manager_id: str | None = None
    #: Who decides in this person's place while they are away (ersättare), and when.
    substitute_id: str | None = None
    substitute_from: date | None = None
    substitute_to: date | None = None
    #: Validity of this row (employment or the reporting line); outside it the row is ignored.
    valid_from: date | None = None
    valid_to: date | None = None
    language: str = "sv"
    #: The service team the person works in ("payroll"): whom a payroll officer can assign a case to.
    team: str | None = None
    #: Keyed hash of the personnummer (never the number itself): how a BankID sign-in finds this row,
    #: also after employment ended (eforms.core.identity.bankid).
    personnummer_hash: str | None = None
    #: Where the person works, as the HR system names it ("Vård- och omsorgsförvaltningen, Solrosen"): what a
    #: form's ``directory.unit`` prefill answers (:mod:`eforms.core.forms.prefill`).
    unit: str | None = None

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def substitute_on(self, day: date) -> str | None:
        """The substitute acting for this person on ``day``, if one is appointed and in their period."""
        if not self.substitute_id:
            return None
        if self.substitute_from and day < self.substitute_from:
            return None
        if self.substitute_to and day > self.substitute_to:
            return None
        return self.substitute_id


class Directory(Protocol):
    def get(self, employee_id: str) -> Employee | None:
        """The employee's row, or None if unknown."""
        ...

    def team(self, team: str) -> list[Employee]:
        """Everyone in a service team (e.g. the payroll officers), by id."""
        ...

    def by_personnummer(self, digest: str, namespaces: frozenset[str] | None = None) -> Employee | None:
        """The row whose personnummer hashes to ``digest``, current or former, in one of ``namespaces`` (the
        organisations as their people's ids name them; None: any); None if nobody's does."""
        ...

    def reports(self, manager_id: str) -> list[Employee]:
        """Whom ``manager_id`` manages directly, by the reporting line (one index read)."""
        ...

    def person_with(self, digest: str, namespaces: frozenset[str] | None = None) -> str | None:
        """The id of whom the personnummer hashing to ``digest`` belongs to in one of ``namespaces`` (one index
        read; one person may work for two customers, and is then two people), or None."""
        ...

    def search(self, text: str, *, limit: int, organisations: frozenset[str] | None = None) -> list[Employee]:
        """People whose name has a word starting with each word of ``text`` (:func:`name_words`), by name;
        served by an index of the names' words, never a scan. With ``organisations``: their people only
        (:func:`eforms.core.organisations.people.organisation_of`)."""
        ...


def name_words(name: str) -> list[str]:
    """A name as the words it is searched by: lower case, accents and marks folded (``Öberg`` is found by
    ``oberg`` and ``öberg``), split at spaces and hyphens (``Lind-Holm`` by ``holm``)."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return [word for word in re.split(r"[\s\-.,']+", plain) if word]


def matches(employee: Employee, words: list[str]) -> bool:
    """Every searched word begins one of the name's words."""
    own = name_words(employee.name)
    return all(any(word.startswith(wanted) for word in own) for wanted in words)


def current(directory: Directory, employee_id: str | None, day: date) -> Employee | None:
    """The employee's row if it exists and is valid on ``day``."""
    if not employee_id:
        return None
    employee = directory.get(employee_id)
    return employee if employee is not None and employee.is_valid_on(day) else None


def manages(directory: Directory, caller_id: str, employee: Employee, day: date) -> bool:
    """True when ``caller_id`` is the employee's manager, or the manager's substitute on ``day``."""
    if not employee.manager_id or not employee.is_valid_on(day):
        return False
    if employee.manager_id == caller_id:
        return True
    manager = directory.get(employee.manager_id)
    return manager is not None and manager.substitute_on(day) == caller_id
