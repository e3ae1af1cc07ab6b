"""Whose person is this: every person id carries its organisation (docs/organisations.md, §3).

Two customers may both have an ``E1001``; they are two people. An organisation's people are named
``<organisationId>/<employeeId>`` everywhere the service keeps or compares an id: cases, approvals, the desk,
messages, read markers, directory rows. The default organisation — the centre's own, which holds
everything stored before there were organisations — keeps its bare ids, so its stored cases, histories and
decision links stay valid without a rewrite. A bare id never contains the separator, so an id names its
organisation without any lookup, and nobody can name a person of another organisation by typing one.
"""

from __future__ import annotations

SEPARATOR = "/"


def is_local(raw: str) -> bool:
    """An id as an organisation's own systems write it (a token's subject, a CSV row, a form's answer)."""
    return bool(raw) and SEPARATOR not in raw


def person_id(namespace: str, local: str) -> str:
    """The service's id for ``local`` of the organisation named ``namespace`` ("": the default one, bare)."""
    return f"{namespace}{SEPARATOR}{local}" if namespace else local


def organisation_of(person: str) -> str:
    """The organisation an id belongs to; ``""`` for a bare id: the default organisation."""
    organisation, separator, _ = person.partition(SEPARATOR)
    return organisation if separator else ""


def local_id(person: str) -> str:
    """The id as the person's organisation writes it (what a form or a screen shows: ``E1001``)."""
    return person.rpartition(SEPARATOR)[2]


def colleague(person: str, local: str) -> str | None:
    """The id of ``local`` in ``person``'s organisation (an employee number typed into a form); ``None`` for
    something that is not an organisation's own id, so nobody names a person of another organisation."""
    if not is_local(local):
        return None
    return person_id(organisation_of(person), local)
