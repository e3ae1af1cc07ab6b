"""GET /forms and GET /forms/{formId} through the real handler."""

from __future__ import annotations

import pytest

from tests.support.world import Api


def test_catalogue_in_swedish_by_default(api: Api) -> None:
    reply = api.call("GET", "/forms", as_="maria")
    assert reply.status == 200
    assert reply.headers["content-language"] == "sv"
    titles = {f["formId"]: f["title"] for f in reply.json()["forms"]}
    assert titles == {
        "access-request": "Behörighetsblankett (Heroma)",
        "advance-pay-dk": "Aconto løn",
        "certificate-request": "Intyg",
        "death-dk": "Dødsfald",
        "fee": "Arvode",
        "leave-application": "Ledighetsansökan",
        "new-hire-dk": "Tiltrædelse",
        "new-salary": "Uppgift om ny lön",
        "one-off-payment-dk": "Engangsvederlag og variable ydelser",
        "overtime": "Övertid och fyllnadstid",
        "payroll-support": "Lönesupport",
        "resignation": "Egen uppsägning",
        "salary-supplement": "Lönetillägg",
        "shifted-hours": "Förskjuten arbetstid",
        "termination-dk": "Fratrædelse",
        "time-report": "Tidrapport",
    }
    # A form not published in Swedish reads in the language it is written in, and says which that is.
    forms = {f["formId"]: f for f in reply.json()["forms"]}
    assert forms["death-dk"]["languages"] == ["da", "en"]
    assert forms["leave-application"]["languages"] == ["sv", "en"]


def test_catalogue_in_danish_and_english_on_request(api: Api) -> None:
    danish = api.call("GET", "/forms", as_="maria", headers={"Accept-Language": "da-DK,da;q=0.9"})
    assert danish.headers["content-language"] == "da"
    body = danish.json()
    assert {f["title"] for f in body["forms"]} >= {"Tiltrædelse", "Aconto løn"}
    assert {c["title"] for c in body["categories"]} >= {"Ansættelse og fratrædelse", "Løn og ydelser"}
    reply = api.call("GET", "/forms", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert {f["title"] for f in reply.json()["forms"]} >= {"Leave application", "Own resignation"}


def test_an_employee_is_not_offered_the_forms_only_managers_and_hr_file(api: Api) -> None:
    """A new hire, a termination or a new salary is reported by a manager or HR: an employee's catalogue does
    not list them, and filing one anyway is refused before anything is read."""
    listed = {f["formId"] for f in api.call("GET", "/forms").json()["forms"]}
    assert "leave-application" in listed
    assert not listed & {"new-hire-dk", "termination-dk", "new-salary", "death-dk"}
    reply = api.submit({"person": {"name": "Mads Sørensen"}}, form="new-hire-dk")
    assert (reply.status, reply.json()["code"]) == (403, "form_needs_role")


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
