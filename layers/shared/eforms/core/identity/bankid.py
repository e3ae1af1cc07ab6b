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
from eforms.core.organisations import people

OUTSIDER_PREFIX = "bankid:"


class PersonnummerHasher(Protocol):
    def digest(self, personnummer: str) -> str:
        """The keyed hash (hex) of a 12-digit personnummer; the same input always gives the same digest."""
        ...


def known_as(
    personnummer: str, directory: Directory, hasher: PersonnummerHasher, namespace: str = ""
) -> tuple[str, Employee | None]:
    """The id the organisation named ``namespace`` knows a personnummer's holder by, and their directory row
    if they have one there: their employee id, or ``bankid:<keyed hash>`` for an outsider (in that
    organisation: ``norrby/bankid:<hash>``; an errand for kommun B is kommun B's, whoever else they are)."""
    digest = hasher.digest(personnummer)
    row = directory.by_personnummer(digest, frozenset({namespace}))
    return (row.employee_id, row) if row is not None else (people.person_id(namespace, OUTSIDER_PREFIX + digest), None)


def identify(caller: Caller, directory: Directory, hasher: PersonnummerHasher, namespace: str = "") -> Caller:
    """The BankID caller as the person they are in the organisation their errand is for (``namespace``: how
    its people's ids name it; an employee caller is returned as is)."""
    if caller.kind != BANKID:
        return caller
    person_id, row = known_as(caller.personnummer, directory, hasher, namespace)
    name = row.name if row is not None and row.name else caller.name
    return replace(caller, id=person_id, name=name, personnummer="")


def is_outsider_id(person_id: str) -> bool:
    return people.local_id(person_id).startswith(OUTSIDER_PREFIX)


def outsiders_hash(person_id: str) -> str | None:
    """An outsider's keyed personnummer hash (their id's own part), or None for anyone else."""
    local = people.local_id(person_id)
    return local.removeprefix(OUTSIDER_PREFIX) if local.startswith(OUTSIDER_PREFIX) else None
