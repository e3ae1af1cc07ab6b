from __future__ import annotations

from datetime import date

import pytest

from eforms.core.identity.directory import Employee, manages
from eforms.core.identity.directory_import import DirectoryImportError, parse_export
from tests.support.fakes import FakeDirectory

CSV = """employeeId,name,email,managerId,substituteId,substituteFrom,substituteTo,validFrom,validTo,language
lars,Lars Holm,lars@example.se,,,,,,,sv
maria,Maria Lind,maria@example.se,lars,sven,2026-07-01,2026-07-31,,,sv
sven,Sven Berg,sven@example.se,lars,,,,,,sv
anna,Anna Andersson,anna@example.se,maria,,,,2019-03-01,,en
"""


def test_csv_export() -> None:
    employees = {e.employee_id: e for e in parse_export(CSV, fmt="csv")}
    assert employees["anna"] == Employee(
        "anna", "Anna Andersson", "anna@example.se", manager_id="maria", valid_from=date(2019, 3, 1), language="en"
    )
    maria = employees["maria"]
    assert maria.substitute_on(date(2026, 7, 15)) == "sven"
    assert maria.substitute_on(date(2026, 8, 1)) is None
    directory = FakeDirectory(*employees.values())
    assert manages(directory, "sven", employees["anna"], date(2026, 7, 15))
    assert not manages(directory, "sven", employees["anna"], date(2026, 6, 30))


def test_json_export() -> None:
    employees = parse_export('[{"employeeId": "lars", "name": "Lars", "email": "lars@example.se"}]', fmt="json")
    assert employees == [Employee("lars", "Lars", "lars@example.se")]


def test_every_problem_is_reported_with_its_row_and_nothing_is_returned() -> None:
    bad = """employeeId,name,email,managerId
lars,Lars,not-an-email,
anna,,anna@example.se,maria
anna,Anna,anna@example.se,anna
bad id,X,x@example.se,
"""
    with pytest.raises(DirectoryImportError) as raised:
        parse_export(bad, fmt="csv")
    problems = "\n".join(raised.value.problems)
    assert "row 1: email" in problems
    assert "row 2: name" in problems
    assert "row 3" in problems
    assert "own manager" in problems
    assert "row 4: employeeId" in problems


def test_references_must_exist_and_ids_be_unique() -> None:
    rows = (
        '[{"employeeId": "a", "name": "A", "email": "a@x.se", "managerId": "ghost"},'
        ' {"employeeId": "a", "name": "A", "email": "a@x.se"}]'
    )
    with pytest.raises(DirectoryImportError) as raised:
        parse_export(rows, fmt="json")
    assert any("ghost" in p for p in raised.value.problems)
    assert any("more than once" in p for p in raised.value.problems)


def test_a_json_export_must_be_an_array_of_objects() -> None:
    with pytest.raises(DirectoryImportError):
        parse_export('{"employeeId": "a"}', fmt="json")


def test_the_team_column_marks_payroll_officers_and_role_queues_and_refuses_malformed_names() -> None:
    export = (
        "employeeId,name,email,team\nlars,Lars,l@x.se,\npia,Pia,p@x.se,payroll\nsara,Sara,s@x.se,specialist-support\n"
    )
    rows = parse_export(export, fmt="csv")
    assert [(r.employee_id, r.team) for r in rows] == [
        ("lars", None),
        ("pia", "payroll"),
        ("sara", "specialist-support"),  # a team an approval route names
    ]
    for bad in ("Kitchen Staff", "../payroll", "x" * 65):
        with pytest.raises(DirectoryImportError):
            parse_export(f"employeeId,name,email,team\npia,Pia,p@x.se,{bad}\n", fmt="csv")
