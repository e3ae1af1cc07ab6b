"""Registering a case in the payroll system, and the second officer's check of it (four-eyes).

The officer records the payroll system's reference, the pay period it affects and a note. A *different*
officer then checks the registration against the form and approves it (the case is completed) or returns
it to the registering officer with a note. Who registered is read from the case itself, so no path — API,
retry, a second tab — lets one person do both.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from eforms.core.cases import actions
from eforms.core.cases.lifecycle import Role
from eforms.core.cases.model import Case, Person
from eforms.core.common.bodies import Body
from eforms.core.desk.service_levels import Registration
from eforms.core.desk.services import DeskServices, payroll_only
from eforms.core.identity.caller import Caller

MAX_REFERENCE = 64
MAX_NOTE = 2000
_REFERENCE = r"[\w][\w ./:#-]*"
_PAY_PERIOD = r"\d{4}-(0[1-9]|1[0-2])"
CHECK_OUTCOMES = ("approve", "return")


def register(desk: DeskServices, caller: Caller, case: Case, body: Any) -> Case:
    """``{"version", "reference", "payPeriod", "note"?}``."""
    payroll_only(caller)  # before the body is read: anyone else learns nothing
    request = Body(body, {"version", "reference", "payPeriod", "note"})
    version = request.version()
    reference = request.text("reference", required=True, limit=MAX_REFERENCE, pattern=_REFERENCE)
    pay_period = request.text("payPeriod", required=True, limit=7, pattern=_PAY_PERIOD)
    note = request.text("note", limit=MAX_NOTE)
    request.done()
    registration = Registration(reference, pay_period, note, Person(caller.id, caller.name), desk.clock())
    return desk.change(
        case,
        "registered",
        caller,
        Role.PAYROLL,
        version=version,
        details={"reference": reference, "payPeriod": pay_period},
        update=lambda now: (
            {"payroll": dataclasses.replace(now.payroll, registration=registration)} if now.payroll else {}
        ),
    )


def check(desk: DeskServices, caller: Caller, case: Case, body: Any) -> Case:
    """``{"version", "outcome": "approve" | "return", "note"?}`` — never by the officer who registered."""
    payroll_only(caller)
    request = Body(body, {"version", "outcome", "note"})
    version = request.version()
    outcome = request.choice("outcome", CHECK_OUTCOMES)
    note = request.text("note", required=outcome == "return", limit=MAX_NOTE)
    request.done()
    name = "approve_registration" if outcome == "approve" else "return_registration"
    # A case in another state is a 409 naming it; the officer who registered, 403 (four-eyes): one rule,
    # the same that keeps the button off their screen (eforms.core.cases.actions).
    actions.require(desk.context(caller, case), name)
    action = actions.transition_of(name)
    registration = case.payroll.registration if case.payroll else None
    assert registration is not None
    return desk.change(
        case,
        action,
        caller,
        Role.PAYROLL,
        version=version,
        details={"registeredBy": registration.by.id, **({"note": note} if note else {})},
    )
