"""GET /forms and GET /forms/{formId} through the real handler."""

from __future__ import annotations

import pytest

from tests.support.world import Api


def test_catalogue_in_swedish_by_default(api: Api) -> None:
    reply = api.call("GET", "/forms")
    assert reply.status == 200
    assert reply.headers["content-language"] == "sv"
    titles = {f["formId"]: f["title"] for f in reply.json()["forms"]}
    assert titles == {
        "access-request": "Behörighetsblankett (Heroma)",
        "certificate-request": "Intyg",
        "fee": "Arvode",
        "leave-application": "Ledighetsansökan",
        "new-salary": "Uppgift om ny lön",
        "overtime": "Övertid och fyllnadstid",
        "payroll-support": "Lönesupport",
        "resignation": "Egen uppsägning",
        "salary-supplement": "Lönetillägg",
        "shifted-hours": "Förskjuten arbetstid",
        "time-report": "Tidrapport",
    }


def test_catalogue_in_english_on_request(api: Api) -> None:
    reply = api.call("GET", "/forms", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert {f["title"] for f in reply.json()["forms"]} >= {"Leave application", "Own resignation"}


def test_one_form_with_schema_and_ui_hints(api: Api) -> None:
    form = api.call("GET", "/forms/leave-application", headers={"Accept-Language": "en"}).json()
    assert (form["formId"], form["version"]) == ("leave-application", 1)
    assert form["route"] == [
        {"approver": "manager", "conditional": False},
        {"approver": "payroll", "conditional": False},
    ]
    assert form["schema"]["properties"]["period"]["properties"]["to"]["title"] == "To (inclusive)"
    assert form["uiSchema"]["ui:order"][0] == "leaveType"
    assert "/period" in form["correctableFields"]
    assert form["onBehalf"] is None


def test_a_pinned_version(api: Api) -> None:
    assert api.call("GET", "/forms/payroll-support", query="version=1").json()["onBehalf"]["roles"] == [
        "manager",
        "administrator",
    ]


@pytest.mark.parametrize(
    ("path", "query", "status", "code"),
    [
        ("/forms/no-such-form", "", 404, "unknown_form"),
        ("/forms/leave-application", "version=7", 404, "unknown_form_version"),
        ("/forms/leave-application", "version=abc", 400, "invalid_query"),
        ("/forms/leave-application", "version=0", 400, "invalid_query"),
        ("/forms/leave-application", "version=1&version=2", 400, "invalid_query"),
        ("/forms/leave-application", "lang=en", 400, "invalid_query"),
        ("/forms/..%2F..%2Fetc%2Fpasswd", "", 404, "unknown_form"),
    ],
)
def test_bad_form_requests(api: Api, path: str, query: str, status: int, code: str) -> None:
    reply = api.call("GET", path, query=query)
    assert (reply.status, reply.json()["code"]) == (status, code)
    assert reply.headers["content-type"] == "application/problem+json"


def test_no_claims_means_unauthorized(api: Api) -> None:
    """API Gateway would refuse first; the handler still never serves an anonymous caller."""
    reply = api.call("GET", "/forms", as_=None)
    assert (reply.status, reply.json()["code"]) == (401, "unauthorized")
