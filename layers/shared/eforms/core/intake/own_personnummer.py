"""A personnummer typed into a form must be that of whom the case concerns (``x-eform.ownPersonnummer``).

Found walking the product: an outsider signed in with BankID (and an employee too) asked for a certificate
carrying another person's personnummer and got 201; the case reached payroll with the caller as its
subject, and a digital certificate would have gone to whoever asked. A form that declares the field is
checked at filing, by keyed hash (the number itself is never compared, stored or logged):

* signed in with BankID, the number must be the one BankID verified (an outsider is known by its hash, an
  employee by the directory row it matched);
* signed in with the organisation's account, it must be the one the directory holds for whom the case
  concerns — the caller, or on an on-behalf form the employee they file for (after the checks on-behalf
  filing already has);
* a directory row without a personnummer cannot be checked: the case is filed and its opening entry says
  so (``personnummer: "unverified"``), which the desk shows the officer.
"""

from __future__ import annotations

from typing import Any, Literal

from eforms.core.cases.model import Person
from eforms.core.common.errors import FieldError
from eforms.core.forms.catalogue import FormDefinition
from eforms.core.forms.pointers import values_at
from eforms.core.identity.bankid import PersonnummerHasher, outsiders_hash
from eforms.core.identity.directory import Directory

Check = Literal["verified", "unverified"]


def check(
    form: FormDefinition, data: dict[str, Any], subject: Person, directory: Directory, hasher: PersonnummerHasher
) -> tuple[Check | None, list[FieldError]]:
    """Whether the form's personnummer is the subject's: ``verified``, ``unverified`` (nothing to check it
    against), or a field error; ``(None, [])`` when the form declares no such field or it is empty."""
    if form.own_personnummer is None:
        return None, []
    [value] = values_at(data, form.own_personnummer) or [None]
    if not isinstance(value, str) or not value:
        return None, []  # required or not, the schema has said so already
    expected = outsiders_hash(subject.id)
    if expected is None:
        row = directory.get(subject.id)
        expected = row.personnummer_hash if row is not None else None
    if expected is None:
        return "unverified", []
    if hasher.digest(value) != expected:
        return None, [FieldError("/data" + form.own_personnummer, "personnummer_not_the_subjects")]
    return "verified", []
