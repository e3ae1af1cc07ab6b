"""Registering a case in the payroll system, and the second officer's check of it (four-eyes).

The officer records the payroll system's reference, the pay period it affects and a note. A *different*
officer then checks the registration against the form and approves it (the case is completed) or returns
it to the registering officer with a note. Who registered is read from the case itself, so no path — API,
retry, a second tab — lets one person do both.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from eforms.core.cases import actions
from eforms.core.cases.lifecycle import Role
from eforms.core.cases.model import Case, Person
from eforms.core.common import periods
from eforms.core.common.bodies import Body
from eforms.core.common.errors import ValidationFailed
from eforms.core.desk.service_levels import Registration
from eforms.core.desk.services import DeskAction, DeskServices, payroll_gate
from eforms.core.identity.caller import Caller
from eforms.core.payroll import transactions
from eforms.core.payroll.pay_runs import pending_of

MAX_REFERENCE = 64
MAX_NOTE = 2000
_REFERENCE = r"[\w][\w ./:#-]*"
CHECK_OUTCOMES = ("approve", "return")


@dataclass(frozen=True)
class Register:
    """``{"version", "reference", "payPeriod", "note"?, "transactions"?}``: what the officer recorded in the
    payroll system, and the pay transactions they confirm (docs/records.md §4)."""

    version: int
    reference: str
    pay_period: str
    note: str
    transactions: Any = None


def parse_register(body: Any) -> Register:
    request = Body(body, {"version", "reference", "payPeriod", "note", "transactions"})
    command = Register(
        request.version(),
        request.text("reference", required=True, limit=MAX_REFERENCE, pattern=_REFERENCE),
        request.text("payPeriod", required=True, limit=7, pattern=periods.PATTERN),
        request.text("note", limit=MAX_NOTE),
        request.value("transactions"),
    )
    request.done()
    return command


def register(desk: DeskServices, caller: Caller, case: Case, command: Register) -> Case:
    """Record the registration and the transactions confirmed: those the answers propose, each as the officer
    corrected it (what they changed is in the history entry), all checked first (422 naming each)."""
    proposal = desk.proposal(case)
    confirmed: list[dict[str, Any]] = []
    if proposal or command.transactions is not None:
        confirmed, errors = transactions.confirmed(command.transactions, proposal, command.pay_period, "/transactions")
        if errors:
            raise ValidationFailed(errors)
    corrected = transactions.changes(proposal, confirmed, "/transactions")
    registration = Registration(
        command.reference,
        command.pay_period,
        command.note,
        Person(caller.id, caller.name),
        desk.clock(),
        tuple(confirmed),
    )
    details: dict[str, Any] = {"reference": command.reference, "payPeriod": command.pay_period}
    if confirmed:
        details["transactions"] = len(confirmed)
    if corrected:
        details["corrected"] = corrected
    return desk.change(
        case,
        "registered",
        caller,
        Role.PAYROLL,
        version=command.version,
        details=details,
        update=lambda now: (
            {"payroll": dataclasses.replace(now.payroll, registration=registration)} if now.payroll else {}
        ),
    )


@dataclass(frozen=True)
class Check:
    """``{"version", "outcome": "approve" | "return", "note"?}`` — the note is required to return it."""

    version: int
    outcome: str
    note: str


def parse_check(body: Any) -> Check:
    request = Body(body, {"version", "outcome", "note"})
    version = request.version()
    outcome = request.choice("outcome", CHECK_OUTCOMES)
    note = request.text("note", required=outcome == "return", limit=MAX_NOTE)
    request.done()
    return Check(version, outcome, note)


def check(desk: DeskServices, caller: Caller, case: Case, command: Check) -> Case:
    """Never by the officer who registered."""
    name = "approve_registration" if command.outcome == "approve" else "return_registration"
    # A case in another state is a 409 naming it; the officer who registered, 403 (four-eyes): one rule,
    # the same that keeps the button off their screen (eforms.core.cases.actions).
    actions.require(desk.context(caller, case), name)
    registration = case.payroll.registration if case.payroll else None
    assert registration is not None
    # Approved, its confirmed transactions wait for the organisation's next pay-run file: written with the
    # approval, in its transaction, so none is lost or handed over unapproved (docs/records.md §5).
    organisation = case.organisation_id or desk.default_organisation
    return desk.change(
        case,
        actions.transition_of(name),
        caller,
        Role.PAYROLL,
        version=command.version,
        details={"registeredBy": registration.by.id, **({"note": command.note} if command.note else {})},
        pay_run=pending_of(case, organisation, desk.form(case).payroll) if command.outcome == "approve" else None,
    )


REGISTER = DeskAction(payroll_gate, parse_register, register)
CHECK = DeskAction(payroll_gate, parse_check, check)
