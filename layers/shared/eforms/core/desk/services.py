"""What every desk action works with, and the checks they share: who acts, in which capacity.

Payroll-only actions answer 404 to anyone without a payroll role, exactly as for a case they may not see
(``access.visible_case`` already ran), so an employee or manager learns nothing from a desk route. The
sender's actions (answering a completion request, withdrawing) belong to whoever filed the case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from eforms.core.approval.engine import Engine
from eforms.core.cases import actions, lifecycle
from eforms.core.cases.lifecycle import Role
from eforms.core.cases.model import Case, Channel, HistoryEntry, Person
from eforms.core.cases.writer import CaseWriter
from eforms.core.common.clock import Clock, stockholm_date
from eforms.core.common.errors import Conflict, NotFound
from eforms.core.desk.service_levels import PayCalendar
from eforms.core.forms.catalogue import Catalogue, FormDefinition
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Directory
from eforms.core.organisations.registry import Calendars, form_calendar
from eforms.core.payroll.transactions import proposed


@dataclass
class DeskServices:
    writer: CaseWriter
    directory: Directory
    catalogue: Catalogue
    clock: Clock
    #: Tells the approval workflow (a withdrawal ends it, an appointment resumes it); None where no action
    #: needs it (unit tests of the desk's own rules).
    engine: Engine | None = None
    #: A form's pay calendar in an organisation (its file); the form's own where none is declared.
    calendars: Calendars = form_calendar
    #: An organisation's payroll codes for the pay items (its file's ``payroll.codes``; docs/records.md §4).
    pay_codes: Callable[[str], dict[str, str]] = lambda _organisation: {}  # no organisations: no codes
    #: Whose a case stored without an organisation is (the centre's default; "" where none are declared).
    default_organisation: str = ""

    def form(self, case: Case) -> FormDefinition:
        return self.catalogue.get(case.form_id, case.form_version)

    def calendar(self, case: Case) -> PayCalendar:
        """The pay runs the case reaches and the working days its promise counts, in its organisation."""
        return self.calendars(case.organisation_id, self.form(case))

    def proposal(self, case: Case) -> list[dict[str, Any]]:
        """What the case's answers propose, by its form's rules and its organisation's codes."""
        return proposed(self.form(case).payroll, case.data, self.pay_codes(case.organisation_id))

    def context(self, caller: Caller, case: Case) -> actions.Context:
        """What :mod:`eforms.core.cases.actions` decides on: who, which case, its form, today."""
        return actions.Context(caller, case, self.form(case), self.directory, stockholm_date(self.clock()))

    def change(
        self,
        case: Case,
        action: str,
        caller: Caller,
        role: Role,
        *,
        version: int | None,
        details: dict[str, Any] | None = None,
        meets_promise: bool = True,
        update: Callable[[Case], dict[str, Any]] | None = None,
        channel: Channel = Channel.API,
        **save: Any,
    ) -> Case:
        """One transition by ``caller``. With ``version`` the caller's view must be current (else 409);
        without, the change applies to the case as it is now (``update`` computes the new fields from
        it, again on a fresh read if someone else wrote first). ``save`` goes to the store (a message)."""
        if version is not None and version != case.version:
            raise Conflict("case_changed")
        unfit = actions.fits(self.form(case), action)  # on every path, whatever the handler checked
        if unfit is not None:
            raise unfit
        actor = Person(caller.id, caller.name)

        def plan(current: Case) -> tuple[Case, HistoryEntry]:
            return lifecycle.transition(
                current,
                action,
                actor=actor,
                role=role,
                channel=channel,
                now=self.clock(),
                details=details,
                meets_promise=meets_promise,
                **(update(current) if update else {}),
            )

        return self.writer.apply(case, plan, retry=version is None, **save).after


def payroll_only(caller: Caller) -> None:
    """Desk actions are for payroll; anyone else is told the case does not exist."""
    if not caller.is_payroll:
        raise NotFound("case_not_found")


def is_sender(caller: Caller, case: Case) -> bool:
    """The sender's side of the thread: whoever filed the case and, when filed for someone, that person."""
    return caller.id in (case.applicant.id, case.subject.id)


def filer_only(caller: Caller, case: Case) -> None:
    """Answering a completion request and withdrawing are the filer's; anyone else sees no such case."""
    if caller.id != case.applicant.id:
        raise NotFound("case_not_found")


Command = TypeVar("Command")


@dataclass(frozen=True)
class DeskAction(Generic[Command]):
    """One desk route, in the order a request meets it: ``gate`` — who may ask at all, checked before the
    body is read (anyone else learns nothing of the case); ``parse`` — the body into a small command at the
    edge (its shape: types, lengths, required fields, every problem at its pointer); ``run`` — the domain
    step, which takes the command, never a body, and checks what depends on the case."""

    gate: Callable[[Caller, Case], None]
    parse: Callable[[Any], Command]
    run: Callable[[DeskServices, Caller, Case, Command], Case]

    def __call__(self, desk: DeskServices, caller: Caller, case: Case, body: Any) -> Case:
        self.gate(caller, case)
        return self.run(desk, caller, case, self.parse(body))


def payroll_gate(caller: Caller, _case: Case) -> None:
    payroll_only(caller)
