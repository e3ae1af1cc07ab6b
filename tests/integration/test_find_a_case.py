"""Finding a case by what people know (issue 26, item 15): a name (a type-ahead over the directory picks the
person), a personnummer (by its keyed hash), a case number. Through the real handlers; every answer from a
key or an index (bench/listings.py measures the requests per page)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.flows import wait_for
from tests.support.samples import SUPPORT
from tests.support.world import Api, World


def _names(reply: Any) -> list[str]:
    return [person["name"] for person in reply.json()["items"]]


def test_a_name_finds_the_person_for_payroll_and_only_ones_own_people_for_a_manager(api: Api) -> None:
    """ "Anna Andersson" found nothing at the desk: only login ids worked."""
    assert _names(api.call("GET", "/people", as_="pia", query="q=Anna Andersson")) == ["Anna Andersson"]
    assert _names(api.call("GET", "/people", as_="pia", query="q=anders")) == ["Anna Andersson"]  # a surname's start
    assert _names(api.call("GET", "/people", as_="pia", query="q=oberg")) == ["Erik Öberg"]  # accents folded
    assert _names(api.call("GET", "/people", as_="pia", query="q=ÖBERG")) == ["Erik Öberg"]
    assert "Jens Nielsen" in _names(api.call("GET", "/people", as_="pia", query="q=je"))
    # Maria manages Anna, Erik and Áslat — not Jens, not Lars.
    assert _names(api.call("GET", "/people", as_="maria", query="q=an")) == ["Anna Andersson"]
    assert _names(api.call("GET", "/people", as_="maria", query="q=jens")) == []
    # Nobody else may look people up, and a bad query is a clear 400.
    assert api.call("GET", "/people", as_="anna", query="q=maria").status == 404
    for query in ("q=a", "", "q=anna&limit=99", "q=anna&x=1"):
        reply = api.call("GET", "/people", as_="pia", query=query)
        assert (reply.status, reply.json()["code"]) == (400, "invalid_query"), query
    person = api.call("GET", "/people", as_="pia", query="q=anna").json()["items"][0]
    assert set(person) == {"id", "name"}  # no email, no personnummer


def test_a_case_number_and_a_personnummer_find_the_case_at_the_desk(api: Api, world: World) -> None:
    filed = api.submit(SUPPORT, form="payroll-support").json()
    wait_for(api, filed["caseId"], "at_payroll")
    number = filed["caseNumber"]
    assert number.startswith("LC-")

    def desk(query: str, who: str = "pia") -> list[str]:
        return [row["caseId"] for row in api.call("GET", "/desk/cases", as_=who, query=query).json()["items"]]

    assert desk(f"q={number}") == [filed["caseId"]]
    assert desk(f"q={number.lower().replace('-00000', '-')}") == [filed["caseId"]]  # as people type it
    assert desk("q=LC-1999-000001") == []
    assert desk("q=19850314-2385") == [filed["caseId"]]  # Anna's personnummer
    assert desk("q=198503142385") == [filed["caseId"]]
    assert desk("q=19121212-1212") == []  # nobody's here
    refused = api.call("GET", "/desk/cases", as_="pia", query="q=Anna")
    assert (refused.status, refused.json()["code"]) == (400, "invalid_query")  # a name: find the person first
    assert api.call("GET", "/desk/cases", as_="anna", query=f"q={number}").status == 404
    # The personnummer never reaches a log.
    assert "19850314" not in json.dumps(world.table_items("CasesTable"))


def test_a_manager_finds_their_teams_cases_and_nobody_elses(api: Api) -> None:
    leave = api.submit(
        {"leaveType": "semester", "period": {"from": "2027-07-05", "to": "2027-07-09"}, "extentPercent": 100}
    ).json()
    wait_for(api, leave["caseId"], "awaiting_approval")

    def team(query: str, who: str = "maria") -> Any:
        return api.call("GET", "/cases", as_=who, query=f"scope=team&{query}")

    assert [c["caseId"] for c in team(f"q={leave['caseNumber']}").json()["items"]] == [leave["caseId"]]
    assert [c["caseId"] for c in team("q=19850314-2385").json()["items"]] == [leave["caseId"]]
    assert team(f"q={leave['caseNumber']}", who="mette").json()["items"] == []  # not her team: nothing
    assert team("q=anna&employee=anna").status == 400
    assert api.call("GET", "/cases", as_="anna", query=f"q={leave['caseNumber']}").status == 400  # own list


@pytest.mark.parametrize("hostile", ["name-word#an#anna", "name-word#"])
def test_a_names_search_item_is_nobody(api: Api, hostile: str) -> None:
    """The directory keeps the words of names beside the people; an id naming one is no one."""
    body = {"formId": "new-salary", "data": {"employee": {"employeeId": hostile, "name": "X"}}}
    reply = api.call("POST", "/cases", as_="maria", json_body=body)
    assert reply.status == 422


def test_every_listing_row_names_its_case_by_number(api: Api) -> None:
    """The number is on every page: the case page, and each row of every list."""
    leave = api.submit(
        {"leaveType": "semester", "period": {"from": "2027-07-05", "to": "2027-07-09"}, "extentPercent": 100}
    ).json()
    support = api.submit(SUPPORT, form="payroll-support").json()
    wait_for(api, support["caseId"], "at_payroll")
    wait_for(api, leave["caseId"], "awaiting_approval")
    numbers = {leave["caseId"]: leave["caseNumber"], support["caseId"]: support["caseNumber"]}

    def rows(path: str, who: str, query: str = "") -> dict[str, str]:
        items = api.call("GET", path, as_=who, query=query).json()["items"]
        return {row["caseId"]: row["caseNumber"] for row in items if row["caseId"] in numbers}

    assert rows("/cases", "anna") == numbers
    assert rows("/cases", "maria", "scope=team") == numbers  # both are about anna, of her team
    assert rows("/approvals", "maria") == {leave["caseId"]: leave["caseNumber"]}
    assert rows("/desk/cases", "pia") == {support["caseId"]: support["caseNumber"]}
    assert rows("/cases", "pia", "scope=payroll") == {support["caseId"]: support["caseNumber"]}


def test_a_payroll_route_is_404_to_anyone_else_before_their_body_is_read(api: Api) -> None:
    support = api.submit(SUPPORT, form="payroll-support").json()
    wait_for(api, support["caseId"], "at_payroll")
    for route in ("claim", "closure", "registration", "approver", "completion-request"):
        for body in ("not json", ""):
            reply = api.call(
                "POST", f"/cases/{support['caseId']}/{route}", body=body, headers={"content-type": "application/json"}
            )
            assert reply.status == 404, (route, body, reply.text)
