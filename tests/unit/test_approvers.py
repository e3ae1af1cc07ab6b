from __future__ import annotations

from datetime import date

import pytest

from eforms.core.approval.approvers import NoApprover, resolve
from eforms.core.identity.directory import Employee
from tests.support.fakes import FakeDirectory

TODAY = date(2026, 11, 23)


def _org(*extra: Employee) -> FakeDirectory:
    rows = {
        e.employee_id: e
        for e in (
            Employee("anna", "Anna", "a@x.se", manager_id="maria"),
            Employee("maria", "Maria", "m@x.se", manager_id="lars"),
            Employee("lars", "Lars", "l@x.se", manager_id="kim"),
            Employee("kim", "Kim", "k@x.se"),
            Employee("sven", "Sven", "s@x.se", manager_id="lars"),
        )
    }
    rows.update({e.employee_id: e for e in extra})
    return FakeDirectory(*rows.values())


def _who(
    directory: FakeDirectory, subject: str = "anna", excluded: set[str] | None = None, above: str | None = None
) -> tuple[str, str]:
    found = resolve(directory, subject, excluded=excluded or {subject}, today=TODAY, above=above)
    return found.employee.employee_id, found.reason


def test_the_manager_decides() -> None:
    assert _who(_org()) == ("maria", "manager")


def test_a_substitute_in_period_decides_instead() -> None:
    maria = Employee(
        "maria",
        "Maria",
        "m@x.se",
        manager_id="lars",
        substitute_id="sven",
        substitute_from=date(2026, 11, 1),
        substitute_to=date(2026, 11, 30),
    )
    assert _who(_org(maria)) == ("sven", "substitute")
    outside = Employee(
        "maria", "Maria", "m@x.se", manager_id="lars", substitute_id="sven", substitute_from=date(2026, 12, 1)
    )
    assert _who(_org(outside)) == ("maria", "manager")


def test_a_manager_who_left_passes_to_their_manager() -> None:
    gone = Employee("maria", "Maria", "m@x.se", manager_id="lars", valid_to=date(2026, 10, 31))
    assert _who(_org(gone)) == ("lars", "next-manager")


def test_nobody_approves_their_own_or_a_case_about_them() -> None:
    assert _who(_org(), "maria") == ("lars", "manager")  # Maria's own leave
    assert _who(_org(), "anna", excluded={"anna", "maria"}) == ("lars", "next-manager")  # Maria filed for Anna


def test_an_excluded_substitute_leaves_the_decision_with_the_manager() -> None:
    maria = Employee("maria", "Maria", "m@x.se", manager_id="lars", substitute_id="sven")
    assert _who(_org(maria), "anna", excluded={"anna", "sven"}) == ("maria", "manager")


def test_escalation_goes_above_whoever_was_asked() -> None:
    assert _who(_org(), above="maria") == ("lars", "escalation")
    assert _who(_org(), above="lars") == ("kim", "escalation")


@pytest.mark.parametrize(
    "directory",
    [
        FakeDirectory(Employee("anna", "Anna", "a@x.se")),  # no manager at all
        FakeDirectory(Employee("anna", "Anna", "a@x.se", manager_id="ghost")),  # manager not in directory
        FakeDirectory(
            Employee("anna", "Anna", "a@x.se", manager_id="b"),
            Employee("b", "B", "b@x.se", manager_id="c", valid_to=date(2020, 1, 1)),
            Employee("c", "C", "c@x.se", manager_id="b", valid_to=date(2020, 1, 1)),
        ),  # a loop of people who left
        FakeDirectory(),
    ],
)
def test_no_approver(directory: FakeDirectory) -> None:
    with pytest.raises(NoApprover):
        resolve(directory, "anna", excluded={"anna"}, today=TODAY)
