"""The pay a case reaches is never earlier than the month its answers concern (issue 26, item 2).

The walk: a leave application for January 2027, filed in December, said "Når lönen för december 2026", and
the case, the desk and the registration default all said December. Through the real handlers and workflow.
"""

from __future__ import annotations

from datetime import timedelta

from eforms import wiring
from eforms.core.common.clock import stockholm_date
from tests.support.flows import post_page, submit_and_get_link, wait_for
from tests.support.samples import LEAVE
from tests.support.world import Api


def test_a_leave_months_ahead_reaches_the_pay_of_its_own_month(api: Api) -> None:
    today = stockholm_date(wiring.now())
    start = today + timedelta(days=70)  # two months on: later than any pay run the receipt date allows
    leave = {**LEAVE, "period": {"from": start.isoformat(), "to": (start + timedelta(days=3)).isoformat()}}
    case_id, link = submit_and_get_link(api, leave)
    assert post_page(api, link, decision="approve", lang="sv").status == 200
    case = wait_for(api, case_id, "at_payroll")
    assert case["payroll"]["payPeriod"] == start.isoformat()[:7]
    [handed] = [h for h in case["history"] if h["action"] == "handed_to_payroll"]
    assert handed["details"]["payPeriod"] == start.isoformat()[:7]
    desk = api.call("GET", "/desk/cases", as_="pia").json()["items"]
    assert [row["payroll"]["payPeriod"] for row in desk if row["caseId"] == case_id] == [start.isoformat()[:7]]


def test_the_form_page_is_given_the_pay_runs_and_where_the_answers_say_the_month(api: Api) -> None:
    expected = api.call("GET", "/forms/leave-application").json()["expected"]
    assert expected["payMonthFrom"] == ["/period/from"]
    first, second = expected["payRuns"][:2]
    assert first["payPeriod"] == expected["payPeriod"]  # sent now, with nothing later asked for
    assert first["sendBy"] == f"{first['payPeriod']}-08"  # the form's cut-off day (the centre's default)
    assert second["sendBy"] == f"{second['payPeriod']}-08"
    danish = api.call("GET", "/forms/one-off-payment-dk", as_="mette").json()["expected"]
    assert danish["payRuns"][0]["sendBy"].endswith("-10")  # its own cut-off day
