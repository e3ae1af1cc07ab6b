"""Approval routes as data: what a form may declare, which steps apply, and who may decide each."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from eforms.core.approval import approvers
from eforms.core.cases.model import Case, Channel, HistoryEntry, Person, Status
from eforms.core.forms import routes
from eforms.core.forms.routes import LEGACY, RouteStep, next_step, parse_route
from eforms.core.identity.caller import BANKID, Caller
from eforms.core.identity.directory import Employee
from tests.support import new_form
from tests.support.fakes import FakeDirectory

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
ROUTE = parse_route(new_form.DOCUMENT["x-eform"]["route"])
DIRECTORY = FakeDirectory(
    Employee("anna", "Anna", "anna@example.se", manager_id="maria"),
    Employee("maria", "Maria", "maria@example.se", manager_id="lars", team="specialist-support"),
    Employee("lars", "Lars", "lars@example.se", manager_id="ulla"),
    Employee("ulla", "Ulla", "ulla@example.se"),
    Employee("sara", "Sara", "sara@example.se", manager_id="lars", team="specialist-support"),
    Employee("gone", "Gone", "gone@example.se", team="specialist-support", valid_to=date(2026, 1, 1)),
)


def test_the_declared_steps_are_read_in_order_and_end_at_payroll() -> None:
    assert [s.approver for s in ROUTE] == ["manager", "managers-manager", "team", "payroll"]
    assert ROUTE[2].team == "specialist-support"
    assert (ROUTE[2].title("sv"), ROUTE[2].title("en")) == ("Specialiststöd", "Specialist support")
    # A route that names no end goes to payroll anyway; the old names read as steps.
    assert parse_route([{"approver": "manager"}]) == LEGACY["manager-approval"]
    assert parse_route("payroll") == (RouteStep("payroll"),)
    assert routes.loads(routes.dumps(ROUTE)) == ROUTE
    assert routes.loads("manager-approval") == LEGACY["manager-approval"]  # cases stored before routes were data


@pytest.mark.parametrize(
    ("declared", "complaint"),
    [
        ("somewhere", "one of"),
        ([], "non-empty"),
        ([{"approver": "ceo"}], "approver must be"),
        ([{"approver": "payroll"}, {"approver": "manager"}], "only be the last"),
        ([{"approver": "team"}], "names its team"),
        ([{"approver": "manager", "team": "x"}], "names its team"),
        ([{"approver": "team", "team": "Bad Team"}], "names its team"),
        ([{"approver": "manager", "when": "long"}], "JSON Schema"),
        ([{"approver": "manager", "unless": {}}], "unknown keys"),
    ],
)
def test_a_route_that_cannot_run_is_refused_when_the_catalogue_reads_it(declared: object, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        parse_route(declared)


def test_conditions_are_json_schema_on_the_data_with_working_days() -> None:
    # 2027-02-01..05 is five working days; 02-01..03-31 is 42: only the long one needs the manager's manager.
    assert next_step(ROUTE, new_form.SHORT) == 0
    assert next_step(ROUTE, new_form.SHORT, after=0) == 2
    assert next_step(ROUTE, new_form.LONG, after=0) == 1
    assert next_step(ROUTE, new_form.LONG, after=2) is None
    assert next_step(LEGACY["payroll"], {}) is None
    # The same keyword works as a form rule: exactly 21 working days holds, 20 does not.
    step = RouteStep(
        "manager", when={"properties": {"p": {"x-minWorkingDays": {"start": "a", "end": "b", "days": 21}}}}
    )
    assert step.applies({"p": {"a": "2027-02-01", "b": "2027-03-01"}})  # 21 working days
    assert not step.applies({"p": {"a": "2027-02-01", "b": "2027-02-26"}})  # 20


def _case(**changes: object) -> Case:
    case = Case(
        case_id="01JROUTE000000000000000000",
        form_id=new_form.FORM_ID,
        form_version=1,
        route=ROUTE,
        status=Status.AWAITING_APPROVAL,
        applicant=Person("anna", "Anna"),
        subject=Person("anna", "Anna"),
        manager_id="maria",
        queue=None,
        data=dict(new_form.LONG),
        language="sv",
        created_at=NOW,
        updated_at=NOW,
        expires_at=NOW,
        history=[HistoryEntry(NOW, Person("anna", "Anna"), "applicant", "submitted", Channel.API)],
    )
    return dataclasses.replace(case, **changes)  # type: ignore[arg-type]


def _approved_by(case: Case, who: str, action: str = "step_approved") -> Case:
    entry = HistoryEntry(NOW, Person(who, who), "approver", action, Channel.API)
    return dataclasses.replace(case, history=[*case.history, entry])


def test_each_kind_of_step_finds_its_approver() -> None:
    case = _case()
    excluded = approvers.excluded_for(case)
    manager = approvers.for_step(DIRECTORY, ROUTE[0], "anna", excluded=excluded, today=TODAY)
    above = approvers.for_step(DIRECTORY, ROUTE[1], "anna", excluded=excluded, today=TODAY)
    team = approvers.for_step(DIRECTORY, ROUTE[2], "anna", excluded=excluded, today=TODAY)
    assert isinstance(manager, approvers.Approver)
    assert isinstance(above, approvers.Approver)
    assert isinstance(team, approvers.TeamApprover)
    assert (manager.employee.employee_id, manager.reason) == ("maria", "manager")
    assert (above.employee.employee_id, above.reason) == ("lars", "managers-manager")
    assert [m.employee_id for m in team.members] == ["maria", "sara"]  # no longer employed: not asked


def test_nobody_decides_twice_in_one_round() -> None:
    # Maria approved the manager's step; she is also in the team, but the team step is Sara's alone.
    case = _approved_by(_case(), "maria")
    team = approvers.for_step(DIRECTORY, ROUTE[2], "anna", excluded=approvers.excluded_for(case), today=TODAY)
    assert isinstance(team, approvers.TeamApprover)
    assert [m.employee_id for m in team.members] == ["sara"]
    asked = dataclasses.replace(case, approver=Person(f"team:{ROUTE[2].team}", "Specialiststöd"), step=2)
    assert approvers.may_decide(DIRECTORY, _caller("sara"), asked, TODAY)
    assert not approvers.may_decide(DIRECTORY, _caller("maria"), asked, TODAY)
    assert not approvers.may_decide(DIRECTORY, _caller("lars"), asked, TODAY)  # not in the team
    # The same member signed in with BankID decides nothing.
    assert not approvers.may_decide(DIRECTORY, dataclasses.replace(_caller("sara"), kind=BANKID), asked, TODAY)
    # Lars approved as the manager's manager: for the next step up he is skipped too.
    case = _approved_by(case, "lars")
    above = approvers.for_step(DIRECTORY, ROUTE[1], "anna", excluded=approvers.excluded_for(case), today=TODAY)
    assert isinstance(above, approvers.Approver)
    assert above.employee.employee_id == "ulla"


def test_a_new_round_after_a_correction_may_ask_the_same_people_again() -> None:
    case = _approved_by(_case(), "maria")
    resubmitted = HistoryEntry(NOW, Person("anna", "Anna"), "applicant", "resubmitted", Channel.API)
    case = dataclasses.replace(case, history=[*case.history, resubmitted])
    assert approvers.excluded_for(case) == {"anna"}


def test_an_empty_team_or_a_missing_manager_is_nobody() -> None:
    with pytest.raises(approvers.NoApprover):
        approvers.for_step(DIRECTORY, RouteStep("team", team="nobody"), "anna", excluded=set(), today=TODAY)
    with pytest.raises(approvers.NoApprover):
        approvers.for_step(DIRECTORY, RouteStep("managers-manager"), "ulla", excluded=set(), today=TODAY)


def _caller(person_id: str) -> Caller:
    return Caller(person_id, person_id.title(), f"{person_id}@example.se", frozenset())


def test_a_step_may_name_a_fallback_team_that_decides_when_nobody_else_may() -> None:
    [step, _] = routes.parse_route(
        [{"approver": "manager", "fallback": {"approver": "team", "team": "specialist-support", "title": "Stöd"}}]
    )
    assert step.fallback is not None
    assert (step.fallback.team, step.fallback.title("sv")) == ("specialist-support", "Stöd")
    assert routes.loads(routes.dumps((step,))) == (step, RouteStep("payroll"))  # kept through the case's copy
    team = approvers.with_fallback(DIRECTORY, step, "ulla", excluded=set(), today=TODAY)
    assert isinstance(team, approvers.TeamApprover)
    assert (team.reason, [m.employee_id for m in team.members]) == ("fallback", ["maria", "sara"])
    # Without a fallback (or with an empty one) nobody decides: the desk appoints someone.
    with pytest.raises(approvers.NoApprover):
        approvers.with_fallback(DIRECTORY, RouteStep("manager"), "ulla", excluded=set(), today=TODAY)
    empty = RouteStep("manager", fallback=RouteStep("team", team="nobody"))
    with pytest.raises(approvers.NoApprover):
        approvers.with_fallback(DIRECTORY, empty, "ulla", excluded=set(), today=TODAY)


@pytest.mark.parametrize(
    "fallback",
    [
        {"approver": "manager"},
        {"approver": "team"},
        {"approver": "team", "team": "x", "when": {}},
        {"approver": "team", "team": "x", "fallback": "payroll"},
        "someone",
    ],
)
def test_a_fallback_is_the_payroll_desk_or_a_plain_team_step(fallback: object) -> None:
    with pytest.raises(ValueError, match=r"fallback|team"):
        routes.parse_route([{"approver": "manager", "fallback": fallback}])
    assert routes.parse_route([{"approver": "manager", "fallback": "payroll"}])[0].fallback is None
    with pytest.raises(ValueError, match="fallback"):
        routes.parse_route([{"approver": "payroll", "fallback": "payroll"}])
