"""A BankID sign-in, resolved to the person it is: a (former) employee in the directory, or an outsider.

The broker's token carries a personnummer, which the service never keeps: it is turned into a keyed hash
(HMAC-SHA256 under a key only the service can use: a KMS HMAC key on AWS) and the directory is searched by
that hash. A match is the same person as with the organisation account — same id, same cases. Anyone else
is an outsider, known by ``bankid:<hash>``. Either way a BankID caller has no role: they file the forms that
accept BankID and follow their own cases; they never see a team and never decide.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from eforms.core.identity.caller import BANKID, Caller
from eforms.core.identity.directory import Directory, Employee

OUTSIDER_PREFIX = "bankid:"


class PersonnummerHasher(Protocol):
    def digest(self, personnummer: str) -> str:
        """The keyed hash (hex) of a 12-digit personnummer; the same input always gives the same digest."""
        ...


def known_as(personnummer: str, directory: Directory, hasher: PersonnummerHasher) -> tuple[str, Employee | None]:
    """The id the service knows a personnummer's holder by, and their directory row if they have one:
    their employee id, or ``bankid:<keyed hash>`` for an outsider."""
    digest = hasher.digest(personnummer)
    row = directory.by_personnummer(digest)
    return (row.employee_id, row) if row is not None else (OUTSIDER_PREFIX + digest, None)


def identify(caller: Caller, directory: Directory, hasher: PersonnummerHasher) -> Caller:
    """The BankID caller as the person they are (an employee caller is returned as is)."""
    if caller.kind != BANKID:
        return caller
    person_id, row = known_as(caller.personnummer, directory, hasher)
    name = row.name if row is not None and row.name else caller.name
    return replace(caller, id=person_id, name=name, personnummer="")


def is_outsider_id(person_id: str) -> bool:
    return person_id.startswith(OUTSIDER_PREFIX)
