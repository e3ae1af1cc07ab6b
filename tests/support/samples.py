"""Valid form data the tests submit again and again, defined once."""

from __future__ import annotations

from typing import Any

LEAVE: dict[str, Any] = {
    "leaveType": "semester",
    "period": {"from": "2026-12-21", "to": "2026-12-30"},
    "extentPercent": 100,
}
CERTIFICATE: dict[str, Any] = {
    "certificateType": "loneintyg",
    "personnummer": "19850314-2385",  # Anna's own: a certificate is about whoever asks for it
    "employmentPeriod": {"from": "2015-01-01"},
    "delivery": "digital",
}
SUPPORT: dict[str, Any] = {"category": "skatt", "heading": "Jämkning", "message": "Gäller jämkning för 2027."}


def support_for(employee_id: str, name: str = "Anna Andersson") -> dict[str, Any]:
    """A payroll-support case filed on behalf of another employee."""
    return {**SUPPORT, "concernsOtherEmployee": True, "otherEmployee": {"employeeId": employee_id, "name": name}}
