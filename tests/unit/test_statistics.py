"""The follow-up figures' definitions (issue 28, slice 1; docs/statistics.md §1–2): what each case contributes,
counted once by a stable id, and the report's arithmetic — shares divided once, the lead time's median and
90th percentile from its histogram."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from eforms.core.cases.model import Case, Channel, HistoryEntry, Person, Status
from eforms.core.forms.catalogue import Catalogue
from eforms.core.statistics.contributions import contributions
from eforms.core.statistics.report import accumulate, figures, lead_percentile, total
from tests.support.cases import RECEIVED, case_at_payroll

CATALOGUE = Catalogue(Path(__file__).resolve().parents[2] / "schemas")
PIA, PER, ANNA = Person("pia", "Pia Nilsson"), Person("per", "Per Dahl"), Person("anna", "Anna Andersson")
SYSTEM = Person("system", "E-tjänsten")


def _entry(action: str, at: datetime, actor: Person = PIA, role: str = "payroll", **details: Any) -> HistoryEntry:
    return HistoryEntry(at, actor, role, action, Channel.API, details)


def _case(entries: list[HistoryEntry], status: Status, **overrides: Any) -> Case:
    """Anna's support case, received Monday 23 November 2026 09:00 UTC (due the next working day), with
    ``entries`` after the hand-off."""
    opening = [
        _entry("submitted", RECEIVED, ANNA, "applicant"),
        _entry("handed_to_payroll", RECEIVED, SYSTEM, "system", dueDate="2026-11-24", payPeriod="2026-12"),
    ]
    return case_at_payroll(history=opening + entries, status=status, organisation_id="sundsvik", **overrides)


def _rows(*cases: Case) -> dict[tuple[str, str, str], dict[str, int]]:
    return accumulate(c for case in cases for c in contributions(case, CATALOGUE.get(case.form_id)))


def _day(days: float) -> datetime:
    return RECEIVED + timedelta(days=days)


def test_a_case_answered_registered_returned_and_checked_counts_each_fact_once() -> None:
    case = _case(
        [
            _entry("claimed", _day(0.1)),  # not seen by the sender: not feedback
            _entry("message_from_payroll", _day(0.9)),  # Tuesday morning: the first answer, in time
            _entry("registered", _day(1)),
            _entry("registration_returned", _day(2), PER),  # four-eyes: a deviation, Pia's
            _entry("registered", _day(2.1)),
            _entry("registration_approved", _day(3), PER),
        ],
        Status.COMPLETED,
    )
    rows = _rows(case)
    month = rows[("sundsvik", "2026-11", "all")]
    assert month == {
        "received": 1,
        "at_payroll": 1,
        "feedback": 1,
        "feedback_in_time": 1,
        "finished_at_payroll": 1,
        "closed": 1,
        "closed_at_payroll": 1,  # its sender may rate it: the response rate's denominator
        "lead#03": 1,  # Monday to Thursday: three working days
        "registrations": 2,
        "returns": 1,
        "handled": 1,  # one case, whether registered once or twice
    }
    assert rows[("sundsvik", "2026-11", "officer#pia")] == {"registrations": 2, "returns": 1, "handled": 1}
    assert ("sundsvik", "2026-11", "officer#per") not in rows  # checking is not handling
    assert rows[("sundsvik", "2026-11", "form#payroll-support")]["returns"] == 1
    ids = [c.contribution_id for c in contributions(case, CATALOGUE.get("payroll-support"))]
    assert len(ids) == len(set(ids))  # each fact has its own id: the claim that counts it once


def test_feedback_after_the_due_date_is_late_and_a_completion_request_is_feedback() -> None:
    late = _case([_entry("message_from_payroll", _day(2))], Status.AT_PAYROLL)  # Wednesday: due Tuesday
    asked = _case([_entry("completion_requested", _day(0.5))], Status.AWAITING_COMPLETION, case_id="01JDESK" + "1" * 19)
    month = _rows(late, asked)[("sundsvik", "2026-11", "all")]
    assert (month["feedback"], month["feedback_in_time"]) == (2, 1)
    assert month["asked_to_complete"] == 1
    assert month["at_payroll"] - month.get("finished_at_payroll", 0) == 2  # the backlog of November's cases


def test_a_certificate_request_is_answered_by_its_certificate_only() -> None:
    certificate: dict[str, Any] = {"form_id": "certificate-request", "data": {}}
    message = _case([_entry("message_from_payroll", _day(0.5))], Status.AT_PAYROLL, **certificate)
    assert "feedback" not in _rows(message)[("sundsvik", "2026-11", "all")]
    delivered = _case(
        [_entry("message_from_payroll", _day(0.5)), _entry("certificate_delivered", _day(0.8))],
        Status.COMPLETED,
        **certificate,
    )
    month = _rows(delivered)[("sundsvik", "2026-11", "all")]
    assert (month["certificates"], month["certificates_in_time"]) == (1, 1)


def test_a_case_decided_without_payroll_is_received_and_closed_only() -> None:
    rejected = case_at_payroll(
        history=[_entry("submitted", RECEIVED, ANNA, "applicant"), _entry("rejected", _day(1), Person("maria", "M"))],
        status=Status.REJECTED,
        queue=None,
        payroll=None,
    )
    rows = _rows(rejected)  # no organisation on a case from before organisations: the default's
    assert rows == {
        ("", "2026-11", "all"): {"received": 1, "closed": 1, "lead#01": 1},
        ("", "2026-11", "form#payroll-support"): {"received": 1, "closed": 1, "lead#01": 1},
    }


def test_a_cases_contributions_only_grow_whatever_state_it_is_counted_in() -> None:
    """What the consumer counted from an earlier event stays counted, unchanged: every later state's
    contributions hold the earlier ones, so applying each id once adds up to the recount."""
    entries = [
        _entry("message_from_payroll", _day(0.9)),
        _entry("registered", _day(1)),
        _entry("registration_returned", _day(2), PER),
        _entry("registered", _day(2.1)),
        _entry("registration_approved", _day(3), PER),
    ]
    form = CATALOGUE.get("payroll-support")
    seen: dict[str, Any] = {}
    for upto in range(len(entries) + 1):
        status = Status.COMPLETED if upto == len(entries) else Status.AT_PAYROLL
        now = {c.contribution_id: c for c in contributions(_case(entries[:upto], status), form)}
        assert all(now[key] == before for key, before in seen.items())
        seen = now
    assert accumulate(seen.values()) == _rows(_case(entries, Status.COMPLETED))


def test_pay_affecting_cases_count_whether_they_reached_the_month_concerned() -> None:
    form = CATALOGUE.get("leave-application")
    assert form.pay_month_from
    leave = {"leaveType": "semester", "period": {"from": "2026-12-01", "to": "2026-12-03"}, "extentPercent": 100}
    in_time = _case([], Status.AT_PAYROLL, form_id="leave-application", data=leave)
    late_item = dataclasses.replace(in_time.payroll, pay_period="2027-01") if in_time.payroll else None
    late = _case(
        [], Status.AT_PAYROLL, form_id="leave-application", data=leave, payroll=late_item, case_id="01JDESK" + "2" * 19
    )
    month = _rows(in_time, late)[("sundsvik", "2026-11", "all")]
    assert (month["pay_cases"], month["before_cutoff"]) == (2, 1)


def test_the_report_divides_once_and_reads_the_lead_time_from_its_histogram() -> None:
    counters = total([{"feedback": 3, "feedback_in_time": 2, "lead#01": 5}, {"feedback": 1, "lead#10": 5}])
    shown = figures(counters)
    assert shown["feedbackInTime"] == {"count": 2, "of": 4, "share": 0.5}
    assert shown["certificatesInTime"] == {"count": 0, "of": 0, "share": None}
    assert shown["leadTime"] == {"median": 1, "p90": 10}
    assert lead_percentile({}, 0.5) is None
    assert lead_percentile({"lead#30": 1}, 0.9) == 30  # 30 or more
