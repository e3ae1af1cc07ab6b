"""Who may file a form: the sign-in kinds it declares (``x-eform.access``), and for the organisation's own
sign-in, a person the directory knows; and for a form that names the roles that file it (``filedBy``), one of
those roles.

A signed token alone is not enough to file an employee form: its subject must be a current row in the
directory (the manager is found there, and so is whoever the case is routed to). A BankID caller files
only the forms that accept BankID. Either refusal is 403 with a code that says which way to sign in.
"""

from __future__ import annotations

from datetime import date

from eforms.core.common.errors import Forbidden
from eforms.core.forms.catalogue import FormDefinition
from eforms.core.identity.caller import BANKID, EMPLOYEE, Caller
from eforms.core.identity.directory import Directory, current


def check_may_file(form: FormDefinition, caller: Caller, directory: Directory, today: date) -> None:
    """Raise ``Forbidden`` unless ``caller`` may file ``form`` today."""
    if not caller.offers(form.form_id):
        raise Forbidden("form_not_offered")  # their organisation does not offer it (docs/organisations.md §5)
    if caller.kind == BANKID and BANKID not in form.access:
        raise Forbidden("form_needs_work_account")
    if caller.kind == EMPLOYEE:
        if EMPLOYEE not in form.access:
            raise Forbidden("form_needs_bankid")
        if current(directory, caller.id, today) is None:
            raise Forbidden("not_in_directory")
    if form.filed_by and not caller.has_any(form.filed_by):
        raise Forbidden("form_needs_role")
