"""Cases built directly, for unit tests of the domain that need one in a given state (no intake)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from eforms.core.cases.model import Case, Person, Status
from eforms.core.desk.service_levels import receive
from eforms.core.forms.routes import LEGACY
from tests.support.samples import SUPPORT

RECEIVED = datetime(2026, 11, 23, 9, tzinfo=UTC)


def case_at_payroll(case_id: str = "01JDESK0000000000000000000", **overrides: Any) -> Case:
    """Anna's support case as payroll received it on Monday 23 November 2026 (due the next working day)."""
    fields: dict[str, Any] = {
        "case_id": case_id,
        "form_id": "payroll-support",
        "form_version": 1,
        "route": LEGACY["payroll"],
        "status": Status.AT_PAYROLL,
        "applicant": Person("anna", "Anna Andersson"),
        "subject": Person("anna", "Anna Andersson"),
        "manager_id": "maria",
        "queue": "payroll",
        "data": dict(SUPPORT),
        "language": "sv",
        "created_at": RECEIVED,
        "updated_at": RECEIVED,
        "expires_at": RECEIVED + timedelta(days=700),
        "payroll": receive(RECEIVED, 1),
    }
    fields.update(overrides)
    return Case(**fields)
