"""What a case is about, in an email's subject (issue 29; docs/self-service.md §5): whom it concerns and its
period, from the dates the form already declares — never an id or a personnummer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eforms.core.cases.model import Person
from eforms.core.forms.about import about, period
from eforms.core.forms.catalogue import Catalogue
from tests.support.cases import case_at_payroll

CATALOGUE = Catalogue(Path(__file__).resolve().parents[2] / "schemas")


@pytest.mark.parametrize(
    ("form_id", "data", "expected"),
    [
        ("leave-application", {"period": {"from": "2027-01-05", "to": "2027-01-14"}}, "2027-01-05–2027-01-14"),
        ("leave-application", {"period": {"from": "2027-01-05", "to": "2027-01-05"}}, "2027-01-05"),
        ("overtime", {"rows": [{"date": "2026-11-20"}, {"date": "2026-11-03"}]}, "2026-11-03–2026-11-20"),
        ("time-report", {"period": "2026-11"}, "2026-11"),
        ("resignation", {"lastDayOfEmployment": "2027-03-31"}, "2027-03-31"),
        ("payroll-support", {"category": "skatt", "heading": "x", "message": "y"}, ""),
        ("leave-application", {"period": {"from": "not a date"}}, ""),
    ],
)
def test_the_period_comes_from_the_dates_the_form_declares(form_id: str, data: dict[str, Any], expected: str) -> None:
    assert period(CATALOGUE.get(form_id), data) == expected


def test_the_subject_names_whom_the_case_concerns_on_one_line() -> None:
    data = {"period": {"from": "2027-01-05", "to": "2027-01-14"}, "personnummer": "19850314-2385"}
    case = case_at_payroll(form_id="leave-application", data=data, subject=Person("anna", "Anna\nAndersson\r\n"))
    said = about(case, CATALOGUE.get("leave-application"))
    assert said == "Anna Andersson, 2027-01-05–2027-01-14"
    assert "19850314" not in said
    assert "anna," not in said
