"""Uppgift om ny lön: a form always about someone else (onBehalf without a flag), filed by their manager,
straight to payroll with the form's own pay cut-off (the 5th)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.flows import wait_for
from tests.support.world import Api

SALARY: dict[str, Any] = {
    "employee": {"employeeId": "anna", "name": "Anna Andersson"},
    "effectiveDate": "2027-04-01",
    "salaryForm": "manadslon",
    "monthlySalary": 36500,
    "reason": "loneoversyn",
}


def test_the_manager_reports_a_new_salary_for_a_report_and_payroll_gets_it(api: Api) -> None:
    filed = api.submit(SALARY, form="new-salary", as_="maria")
    assert filed.status == 201, filed.text
    case = filed.json()
    assert (case["applicant"]["id"], case["subject"]["id"]) == ("maria", "anna")
    at_payroll = wait_for(api, case["caseId"], "at_payroll", as_="pia")
    assert at_payroll["payroll"]["payPeriod"] >= "2026-12"
    assert api.call("GET", f"/cases/{case['caseId']}", as_="anna").status == 200  # it is about her


@pytest.mark.parametrize(
    ("who", "employee", "expected"),
    [
        ("anna", "erik", [("/data/employee/employeeId", "on_behalf_not_permitted")]),  # no manager role
        ("maria", "maria", [("/data/employee/employeeId", "on_behalf_self")]),
        ("maria", "pia", [("/data/employee/employeeId", "not_your_employee")]),  # not her report
        # The same answer as for someone else's employee: a manager cannot list who works here (issue 26, 7).
        ("maria", "nobody", [("/data/employee/employeeId", "not_your_employee")]),
    ],
)
def test_only_the_manager_files_it_and_only_for_their_reports(
    api: Api, who: str, employee: str, expected: list[tuple[str, str]]
) -> None:
    data = {**SALARY, "employee": {"employeeId": employee, "name": "X"}}
    assert api.submit(data, form="new-salary", as_=who).codes == expected
