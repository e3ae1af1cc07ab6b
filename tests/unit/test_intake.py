"""Submitting a case, with in-memory fakes for the store and the directory."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from eforms.core.cases.model import PAYROLL_QUEUE, Channel, Status
from eforms.core.common.errors import ValidationFailed
from eforms.core.forms.catalogue import Catalogue
from eforms.core.forms.routes import LEGACY
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Employee
from eforms.core.intake.submission import SubmitRequest, parse_submit_request, submit
from tests.support.fakes import FakeCaseStore, FakeDirectory, FixedClock
from tests.support.samples import LEAVE, support_for
from tests.unit.test_catalogue import SCHEMAS

ANNA = Caller("anna", "Anna Andersson", "anna@example.se", frozenset())
MARIA = Caller("maria", "Maria Lind", "maria@example.se", frozenset({"manager"}))
SVEN = Caller("sven", "Sven Berg", "sven@example.se", frozenset({"manager"}))
ADA = Caller("ada", "Åsa Admin", "ada@example.se", frozenset({"administrator"}))
DIRECTORY = FakeDirectory(
    Employee("anna", "Anna Andersson", "anna@example.se", manager_id="maria"),
    Employee("maria", "Maria Lind", "maria@example.se", manager_id="lars"),
    Employee("sven", "Sven Berg", "sven@example.se", manager_id="lars"),
    Employee("lars", "Lars Holm", "lars@example.se"),
    Employee("ada", "Åsa Admin", "ada@example.se", manager_id="lars"),
    Employee("gone", "Former Employee", "gone@example.se", manager_id="maria", valid_to=date(2020, 1, 1)),
)


def _submit(
    body: dict[str, Any],
    caller: Caller = ANNA,
    *,
    catalogue: Catalogue | None = None,
    store: FakeCaseStore | None = None,
):
    return submit(
        parse_submit_request(body),
        caller=caller,
        language="sv",
        catalogue=catalogue or Catalogue(SCHEMAS),
        directory=DIRECTORY,
        store=store if store is not None else FakeCaseStore(),
        clock=FixedClock(),
    )


def _errors(raised: pytest.ExceptionInfo[ValidationFailed]) -> list[tuple[str, str]]:
    return [(e.pointer, e.code) for e in raised.value.errors]


def test_a_valid_leave_application_is_stored_with_its_first_history_entry() -> None:
    store = FakeCaseStore()
    case = _submit({"formId": "leave-application", "data": LEAVE}, store=store)
    assert store.get(case.case_id) == case
    assert (case.form_id, case.form_version, case.route, case.status) == (
        "leave-application",
        1,
        LEGACY["manager-approval"],
        Status.SUBMITTED,
    )
    assert case.applicant == case.subject
    assert case.manager_id == "maria"
    assert case.queue is None  # payroll sees it only after approval
    assert case.version == 1
    [entry] = case.history
    assert (entry.actor.id, entry.role, entry.action, entry.channel) == ("anna", "applicant", "submitted", Channel.API)
    assert case.expires_at - case.created_at >= timedelta(days=2 * 365)


def test_a_certificate_goes_straight_to_the_payroll_queue() -> None:
    data = {
        "certificateType": "loneintyg",
        "personnummer": "19121212-1212",
        "employmentPeriod": {"from": "2015-01-01"},
        "delivery": "digital",
    }
    case = _submit({"formId": "certificate-request", "data": data})
    assert (case.route, case.queue) == (LEGACY["payroll"], PAYROLL_QUEUE)


def test_an_invalid_submission_stores_nothing_and_reports_every_error() -> None:
    store = FakeCaseStore()
    with pytest.raises(ValidationFailed) as raised:
        _submit(
            {
                "formId": "leave-application",
                "data": {"leaveType": "x", "period": {"from": "2026-12-30", "to": "2026-12-01"}},
            },
            store=store,
        )
    assert _errors(raised) == [
        ("/data/extentPercent", "required"),
        ("/data/leaveType", "invalid_choice"),
        ("/data/period/to", "date_order"),
    ]
    assert store.cases == {}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ([], [("", "wrong_type")]),
        ({}, [("/data", "required"), ("/formId", "required")]),
        ({"formId": 7, "data": []}, [("/data", "wrong_type"), ("/formId", "wrong_type")]),
        ({"formId": "leave-application", "data": {}, "formVersion": "1"}, [("/formVersion", "wrong_type")]),
        ({"formId": "leave-application", "data": {}, "formVersion": True}, [("/formVersion", "wrong_type")]),
        ({"formId": "leave-application", "data": {}, "status": "approved"}, [("/status", "unknown_field")]),
    ],
)
def test_the_envelope_is_checked_before_the_form(body: Any, expected: list[tuple[str, str]]) -> None:
    with pytest.raises(ValidationFailed) as raised:
        parse_submit_request(body)
    assert _errors(raised) == expected


def test_unknown_form_and_version_are_field_errors_on_the_envelope() -> None:
    with pytest.raises(ValidationFailed) as raised:
        _submit({"formId": "no-such-form", "data": {}})
    assert _errors(raised) == [("/formId", "unknown_form")]
    with pytest.raises(ValidationFailed) as raised:
        _submit({"formId": "leave-application", "formVersion": 9, "data": LEAVE})
    assert _errors(raised) == [("/formVersion", "unknown_form_version")]


def test_control_characters_are_refused_before_schema_validation() -> None:
    with pytest.raises(ValidationFailed) as raised:
        _submit({"formId": "leave-application", "data": {**LEAVE, "comment": "hej\x00då"}})
    assert _errors(raised) == [("/data/comment", "control_characters")]


def _on_behalf(employee_id: str) -> dict[str, Any]:
    return {"formId": "payroll-support", "data": support_for(employee_id, name="X")}


def test_a_manager_files_a_support_case_for_their_own_employee() -> None:
    case = _submit(_on_behalf("anna"), MARIA)
    assert case.applicant.id == "maria"
    assert (case.subject.id, case.subject.name) == ("anna", "Anna Andersson")  # the directory's name, not the typed one
    assert case.filed_on_behalf
    assert case.manager_id == "maria"
    assert case.history[0].details == {"onBehalfOf": "anna"}


@pytest.mark.parametrize(
    ("caller", "employee", "expected"),
    [
        (ANNA, "maria", [("/data/concernsOtherEmployee", "on_behalf_not_permitted")]),
        (SVEN, "anna", [("/data/otherEmployee/employeeId", "not_your_employee")]),
        # A manager learns nothing of who works here: nobody, gone and someone else's get one answer.
        (MARIA, "nobody", [("/data/otherEmployee/employeeId", "not_your_employee")]),
        (MARIA, "gone", [("/data/otherEmployee/employeeId", "not_your_employee")]),
        (ADA, "nobody", [("/data/otherEmployee/employeeId", "unknown_employee")]),  # who may file for anyone
        (MARIA, "maria", [("/data/concernsOtherEmployee", "on_behalf_self")]),
    ],
)
def test_on_behalf_rules(caller: Caller, employee: str, expected: list[tuple[str, str]]) -> None:
    with pytest.raises(ValidationFailed) as raised:
        _submit(_on_behalf(employee), caller)
    assert _errors(raised) == expected


def test_an_administrator_files_for_anyone() -> None:
    assert _submit(_on_behalf("sven"), ADA).subject.id == "sven"


def test_adding_a_form_is_adding_a_file(tmp_path: Path) -> None:
    """A brand-new form, never seen by the code, is published and used by dropping in one file."""
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    (root / "on-call").mkdir()
    (root / "on-call" / "v1.json").write_text(
        json.dumps(
            {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "title": "Jour och beredskap",
                "x-en": {"title": "On-call duty"},
                "x-eform": {
                    "formId": "on-call",
                    "version": 1,
                    "route": "manager-approval",
                    "correctableFields": ["/hours"],
                    "retentionYears": 3,
                    "serviceLevelWorkingDays": 1,
                },
                "type": "object",
                "additionalProperties": False,
                "required": ["date", "hours"],
                "properties": {
                    "date": {"title": "Datum", "x-en": {"title": "Date"}, "type": "string", "format": "date"},
                    "hours": {
                        "title": "Timmar",
                        "x-en": {"title": "Hours"},
                        "type": "number",
                        "exclusiveMinimum": 0,
                        "maximum": 24,
                    },
                },
            }
        ),
        encoding="utf-8",
    )
    catalogue = Catalogue(root)
    assert "on-call" in catalogue.form_ids()
    with pytest.raises(ValidationFailed) as raised:
        _submit({"formId": "on-call", "data": {"date": "2026-11-20", "hours": 30}}, catalogue=catalogue)
    assert _errors(raised) == [("/data/hours", "above_maximum")]
    case = _submit({"formId": "on-call", "data": {"date": "2026-11-20", "hours": 2.5}}, catalogue=catalogue)
    assert (case.form_id, case.form_version, case.route) == ("on-call", 1, LEGACY["manager-approval"])
    assert case.expires_at - case.created_at >= timedelta(days=3 * 365)


def test_submit_request_keeps_version_pinning() -> None:
    assert parse_submit_request({"formId": "x", "formVersion": 3, "data": {}}) == SubmitRequest("x", 3, {})
