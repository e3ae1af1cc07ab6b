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
from eforms.core.identity.directory import Directory

OUTSIDER_PREFIX = "bankid:"


class PersonnummerHasher(Protocol):
    def digest(self, personnummer: str) -> str:
        """The keyed hash (hex) of a 12-digit personnummer; the same input always gives the same digest."""
        ...


def identify(caller: Caller, directory: Directory, hasher: PersonnummerHasher) -> Caller:
    """The BankID caller as the person they are (an employee caller is returned as is)."""
    if caller.kind != BANKID:
        return caller
    digest = hasher.digest(caller.personnummer)
    row = directory.by_personnummer(digest)
    if row is not None:
        return replace(caller, id=row.employee_id, name=row.name or caller.name, personnummer="")
    return replace(caller, id=OUTSIDER_PREFIX + digest, personnummer="")


def is_outsider_id(person_id: str) -> bool:
    return person_id.startswith(OUTSIDER_PREFIX)
