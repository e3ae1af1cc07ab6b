"""Who approves a case: the subject's manager, their acting substitute, or further up the line.

Rules (seed 000 and the approval issue):

* The employee's manager decides; while the manager has an appointed substitute (ersättare) whose
  period covers today, the substitute decides instead.
* With no usable manager (none recorded, or their row no longer valid), the manager's manager decides.
* The approver is never the person who filed the case nor the person it concerns: a manager who files a
  support case on behalf of an employee, or a manager applying for their own leave, cannot approve it;
  the decision goes one level up.
* Escalation asks the next person up from whoever was asked last.
* A route may ask more than one step (docs/forms-platform.md): the manager's manager, or a team. Nobody
  decides twice in one round of a route: whoever approved an earlier step is skipped as well.
* When nobody may decide a step, its fallback team decides; without one (or with that team empty) the
  payroll desk appoints someone (:data:`APPOINTMENT_WANTED`), who is then asked like any approver.

The result says who and why, so the case history can show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from eforms.core.cases.model import Case
from eforms.core.forms.routes import TEAM_PREFIX, RouteStep
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Directory, Employee, current
from eforms.core.organisations import people

MAX_CHAIN = 12  # a reporting chain longer than this is a loop in the directory data


@dataclass(frozen=True)
class Approver:
    employee: Employee
    reason: str  # manager | substitute | next-manager | escalation


@dataclass(frozen=True)
class TeamApprover:
    """A team step: any of ``members`` may decide, signed in, from the team's pending approvals."""

    step: RouteStep
    members: tuple[Employee, ...]
    #: The approver key the case waits under: ``team:<name>`` in the case's organisation (``team:norrby/hr``):
    #: two customers' teams of one name are two teams.
    key: str
    reason: str = "team"


#: The approver key of a step waiting for the payroll desk to appoint someone (listed on the desk from the
#: ByApprover index), followed by ``#<team>``: the team that serves the case's organisation. Not a team of
#: approvers: nobody decides as it.
APPOINTMENT_WANTED = "desk:appointment"


def appointment_wanted(team: str) -> str:
    """The approver key of a case waiting for ``team`` to appoint whoever decides it."""
    return f"{APPOINTMENT_WANTED}#{team}"


class NoApprover(Exception):
    """Nobody in the reporting line may decide (missing rows, or a loop in the directory)."""


def resolve(
    directory: Directory, subject_id: str, *, excluded: set[str], today: date, above: str | None = None
) -> Approver:
    """The approver for a case about ``subject_id``, skipping anyone in ``excluded``.

    With ``above`` (escalation), start from that person's manager instead of the subject's.
    """
    origin = directory.get(above if above else subject_id)
    if origin is None:
        raise NoApprover()
    manager_id = origin.manager_id
    first = above is None
    seen: set[str] = set()
    for _ in range(MAX_CHAIN):
        if not manager_id or manager_id in seen:
            raise NoApprover()
        seen.add(manager_id)
        manager = directory.get(manager_id)
        if manager is None:
            raise NoApprover()
        if manager.is_valid_on(today):
            substitute = current(directory, manager.substitute_on(today), today)
            if substitute is not None and substitute.employee_id not in excluded:
                return Approver(substitute, "escalation" if above else "substitute")
            if manager.employee_id not in excluded:
                return Approver(manager, "escalation" if above else ("manager" if first else "next-manager"))
        # Excluded, or no longer in post: the decision goes one level up.
        first = False
        manager_id = manager.manager_id
    raise NoApprover()


def excluded_for(case: Case) -> set[str]:
    """Who may not decide ``case`` now: its filer, its subject, and whoever approved a step in this round
    (since the case was last submitted)."""
    excluded = {case.applicant.id, case.subject.id}
    for entry in reversed(case.history):
        if entry.action in ("submitted", "resubmitted"):
            break
        if entry.action == "step_approved":
            excluded.add(entry.actor.id)
    return excluded


def for_step(
    directory: Directory, step: RouteStep, subject_id: str, *, excluded: set[str], today: date
) -> Approver | TeamApprover:
    """Who decides one route step for a case about ``subject_id``; ``NoApprover`` when nobody may."""
    if step.approver == "team":
        team = people.colleague(subject_id, str(step.team))
        if team is None:
            raise NoApprover()
        members = tuple(m for m in directory.team(team) if m.is_valid_on(today) and m.employee_id not in excluded)
        if not members:
            raise NoApprover()
        return TeamApprover(step, members, f"{TEAM_PREFIX}{team}")
    if step.approver == "manager":
        return resolve(directory, subject_id, excluded=excluded, today=today)
    subject = directory.get(subject_id)
    if subject is None or not subject.manager_id:
        raise NoApprover()
    found = resolve(directory, subject_id, excluded=excluded, today=today, above=subject.manager_id)
    return Approver(found.employee, "managers-manager")


def with_fallback(
    directory: Directory, step: RouteStep, subject_id: str, *, excluded: set[str], today: date
) -> Approver | TeamApprover:
    """:func:`for_step`, or the step's fallback team when nobody may decide it; ``NoApprover`` when that
    fails too (the payroll desk then appoints someone)."""
    try:
        return for_step(directory, step, subject_id, excluded=excluded, today=today)
    except NoApprover:
        if step.fallback is None:
            raise
        team = for_step(directory, step.fallback, subject_id, excluded=excluded, today=today)
        assert isinstance(team, TeamApprover)
        return TeamApprover(step.fallback, team.members, team.key, reason="fallback")


def appointed(directory: Directory, case: Case, step: int, today: date) -> Approver | None:
    """The person the payroll desk appointed to decide route step ``step`` in this round, if still in post
    and still allowed to decide."""
    for entry in reversed(case.history):
        if entry.action in ("submitted", "resubmitted"):
            return None
        if entry.action == "approver_appointed" and entry.details.get("step") == step:
            row = current(directory, str(entry.details.get("approverId", "")), today)
            if row is None or row.employee_id in excluded_for(case):
                return None
            return Approver(row, "appointed")
    return None


def awaits_appointment(case: Case) -> bool:
    """Whether the case waits for the payroll desk to appoint someone to decide it."""
    return case.approver is not None and case.approver.id.startswith(APPOINTMENT_WANTED)


def team_of(approver_id: str) -> str | None:
    """The team a ``team:<name>`` approver key names, or None for a person."""
    return approver_id.removeprefix(TEAM_PREFIX) if approver_id.startswith(TEAM_PREFIX) else None


def may_decide(directory: Directory, caller: Caller, case: Case, today: date) -> bool:
    """Whether ``caller`` is the one asked to decide ``case`` now: the person asked, or — for a team
    step — a current member of the team who has not already decided a step of this round. Only with the
    organisation's sign-in: a BankID sign-in never decides, even a manager's."""
    asked = case.approver
    if asked is None or not caller.is_employee_sign_in:
        return False
    caller_id = caller.id
    if asked.id == caller_id:
        return True
    team = team_of(asked.id)
    if team is None:
        return False
    row = current(directory, caller_id, today)
    return row is not None and row.team == team and caller_id not in excluded_for(case)
