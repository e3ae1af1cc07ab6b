"""Who may read a case (everyone else gets 404 from the API)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from eforms.core.cases.access import can_view
from eforms.core.cases.model import PAYROLL_QUEUE, Case, Person, Status
from eforms.core.forms.routes import LEGACY
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Employee
from tests.support.fakes import FakeDirectory

NOW = datetime(2026, 11, 23, tzinfo=UTC)
TODAY = date(2026, 11, 23)
DIRECTORY = FakeDirectory(
    Employee("anna", "Anna", "a@example.se", manager_id="maria2"),  # Anna changed manager after filing
    Employee("maria", "Maria", "m@example.se", manager_id="lars"),
    Employee(
        "maria2",
        "Maria Två",
        "m2@example.se",
        manager_id="lars",
        substitute_id="sven",
        substitute_from=date(2026, 11, 1),
        substitute_to=date(2026, 11, 30),
    ),
)


def _case(queue: str | None = None, applicant: str = "anna") -> Case:
    return Case(
        case_id="01JZZZZZZZZZZZZZZZZZZZZZZZ",
        form_id="leave-application",
        form_version=1,
        route=LEGACY["manager-approval"],
        status=Status.SUBMITTED,
        applicant=Person(applicant, ""),
        subject=Person("anna", "Anna"),
        manager_id="maria",
        queue=queue,
        data={},
        language="sv",
        created_at=NOW,
        updated_at=NOW,
        expires_at=NOW,
    )


def _who(caller_id: str, *roles: str) -> Caller:
    return Caller(caller_id, "", "", frozenset(roles))


@pytest.mark.parametrize(
    ("caller", "queue", "allowed"),
    [
        (_who("anna"), None, True),  # the subject
        (_who("maria", "manager"), None, True),  # manager recorded at filing
        (_who("maria2", "manager"), None, True),  # current manager per directory
        (_who("sven", "manager"), None, True),  # current manager's acting substitute
        (_who("erik"), None, False),  # a colleague
        (_who("lars", "manager"), None, False),  # the manager's manager is not entitled by rank alone
        (_who("pia", "payroll"), None, False),  # payroll, before the case reaches payroll
        (_who("pia", "payroll"), PAYROLL_QUEUE, True),
        (_who("erik"), PAYROLL_QUEUE, False),
        (_who("ada", "administrator"), None, False),
    ],
)
def test_access_matrix(caller: Caller, queue: str | None, allowed: bool) -> None:
    assert can_view(caller, _case(queue), DIRECTORY, TODAY) is allowed


def test_the_substitute_loses_access_when_the_period_ends() -> None:
    assert not can_view(_who("sven", "manager"), _case(), DIRECTORY, date(2026, 12, 1))


def test_whoever_filed_on_behalf_sees_the_case() -> None:
    assert can_view(_who("ada", "administrator"), _case(applicant="ada"), DIRECTORY, TODAY)


def test_the_directory_is_not_read_when_the_caller_is_a_party() -> None:
    directory = FakeDirectory()
    can_view(_who("anna"), _case(), directory, TODAY)
    assert directory.reads == 0
