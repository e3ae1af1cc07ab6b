"""Isolation between customer organisations (issue 27, item 3; docs/organisations.md §3): two customers'
``E1001`` are two people everywhere; nobody of one organisation reads or acts on another's case (404, as for a
case that does not exist); a payroll officer works the customers of their own team, one queue across them;
a customer's identity provider can make nobody an officer, nor speak for another organisation's people."""

from __future__ import annotations

from typing import Any

from devstack.mailbox import sent_emails
from tests.support.flows import wait_for
from tests.support.samples import LEAVE, SUPPORT
from tests.support.world import PAYROLL_MAILBOX, Api, World


def _file(api: Api, persona: str, form: str = "payroll-support", data: dict[str, Any] | None = None) -> str:
    filed = api.submit(data or SUPPORT, form=form, as_=persona)
    assert filed.status == 201, filed.text
    case_id: str = filed.json()["caseId"]
    return case_id


def test_two_customers_e1001_are_two_people(api: Api) -> None:
    lena = _file(api, "lena", "leave-application", LEAVE)  # Sundsvik's E1001
    nils = _file(api, "nils", "leave-application", LEAVE)  # Norrby's E1001
    mine = api.call("GET", f"/cases/{lena}", as_="lena").json()
    assert mine["subject"]["id"] == "sundsvik/E1001"
    assert mine["organisation"] == {"id": "sundsvik", "name": "Sundsviks kommun"}
    assert api.call("GET", f"/cases/{nils}", as_="nils").json()["subject"]["id"] == "norrby/E1001"
    # Each sees their own, never the other's: the same employee number is not the same person.
    assert api.call("GET", f"/cases/{lena}", as_="nils").status == 404
    assert api.call("GET", f"/cases/{nils}", as_="lena").status == 404
    listed = api.call("GET", "/cases", as_="lena", query="scope=mine").json()["items"]
    assert [row["caseId"] for row in listed] == [lena]
    # Each is decided by their own organisation's manager, who is asked and sees nothing of the other.
    assert wait_for(api, lena, "awaiting_approval", as_="lena")["approver"]["id"] == "sundsvik/E2001"
    assert wait_for(api, nils, "awaiting_approval", as_="nils")["approver"]["id"] == "norrby/E2001"
    assert api.call("GET", f"/cases/{lena}", as_="bo").status == 200
    assert api.call("GET", f"/cases/{lena}", as_="greta").status == 404
    team = api.call("GET", "/cases", as_="greta", query="scope=team").json()["items"]
    assert [row["caseId"] for row in team] == [nils]
    decide = {"decision": "approve", "version": 2}
    assert api.call("POST", f"/cases/{lena}/decision", as_="greta", json_body=decide).status == 404
    assert api.call("POST", f"/cases/{nils}/decision", as_="bo", json_body=decide).status == 404


def test_an_officer_works_the_customers_of_their_team_in_one_queue(api: Api) -> None:
    own = _file(api, "anna")  # the centre's own people: team North
    sundsvik = _file(api, "lena")  # Sundsvik: team North
    norrby = _file(api, "nils")  # Norrby: team South
    wait_for(api, sundsvik, "at_payroll", as_="lena")
    wait_for(api, norrby, "at_payroll", as_="nils")
    queue = api.call("GET", "/desk/cases", as_="pia").json()["items"]
    assert {row["caseId"] for row in queue} == {own, sundsvik}
    assert {row["organisation"]["id"] for row in queue} == {"lonecentrum", "sundsvik"}
    only = api.call("GET", "/desk/cases", as_="pia", query="organisation=sundsvik").json()["items"]
    assert [row["caseId"] for row in only] == [sundsvik]
    # Another team's customer is none of hers: not listed, not shown, not claimable.
    assert api.call("GET", "/desk/cases", as_="pia", query="organisation=norrby").json()["items"] == []
    assert api.call("GET", f"/cases/{norrby}", as_="pia").status == 404
    assert api.call("POST", f"/cases/{norrby}/claim", as_="pia", json_body={"version": 3}).status == 404
    assert api.call("GET", "/desk/cases", as_="pia", query="team=team-south").status == 404
    # Team South's officer has Norrby's, and nothing of North's.
    south = api.call("GET", "/desk/cases", as_="siv").json()["items"]
    assert [row["caseId"] for row in south] == [norrby]
    assert api.call("GET", f"/cases/{sundsvik}", as_="siv").status == 404
    assert api.call("GET", "/cases", as_="siv", query="scope=payroll").json()["items"][0]["caseId"] == norrby
    # The centre-wide role sees every team's queue, one team at a time.
    assert api.call("GET", f"/cases/{norrby}", as_="cecilia").status == 200
    both = api.call("GET", "/desk/cases", as_="cecilia", query="team=team-south").json()["items"]
    assert [row["caseId"] for row in both] == [norrby]


def test_the_officers_a_case_can_be_handed_to_are_its_teams(api: Api) -> None:
    north = [o["id"] for o in api.call("GET", "/desk/officers", as_="pia").json()["items"]]
    assert north == ["per", "pia"]
    assert [o["id"] for o in api.call("GET", "/desk/officers", as_="siv").json()["items"]] == ["siv", "stig"]
    case_id = _file(api, "lena")
    case = wait_for(api, case_id, "at_payroll", as_="lena")
    handed = api.call(
        "POST", f"/cases/{case_id}/claim", as_="pia", json_body={"version": case["version"], "assigneeId": "siv"}
    )
    assert (handed.status, handed.codes) == (422, [("/assigneeId", "not_a_payroll_officer")])


def test_people_are_found_only_where_the_searcher_works(api: Api) -> None:
    def found(persona: str, text: str) -> list[str]:
        reply = api.call("GET", "/people", as_=persona, query=f"q={text}")
        return [p["id"] for p in reply.json()["items"]] if reply.status == 200 else []

    assert found("pia", "Lena") == ["sundsvik/E1001"]  # team North serves Sundsvik
    assert found("pia", "Norberg") == []  # Norrby is team South's
    assert found("siv", "Norberg") == ["norrby/E1001"]
    assert found("dorte", "Freja") == ["skovby-gymnasium/E1001"]  # an administrator: their own organisation
    assert found("dorte", "Lena") == []


def test_no_provider_speaks_for_anothers_people_or_makes_an_officer(api: Api) -> None:
    lena = _file(api, "lena")
    wait_for(api, lena, "at_payroll", as_="lena")
    # A Sundsvik token whose subject names a Norrby person: refused before anything is read.
    forged = {"sub": "norrby/E1001", "name": "X", "email": "x@sundsvik.example.se", "roles": [], "org": "sundsvik"}
    assert api.call("GET", "/cases", as_=forged).status == 401
    # A default-organisation token naming another's person is refused the same way.
    assert api.call("GET", "/cases", as_={**forged, "org": "lonecentrum"}).status == 401
    # A customer's provider asserting the payroll role (and a team) makes nobody an officer.
    officer: dict[str, Any] = {"sub": "E2001", "name": "Bo", "email": "bo@sundsvik.example.se", "org": "sundsvik"}
    officer |= {"roles": ["payroll", "centre"], "teams": ["team-north"]}
    assert api.call("GET", "/desk/cases", as_=officer).status == 404
    assert api.call("GET", f"/cases/{lena}", as_=officer).status == 200  # Bo is Lena's manager: that he may
    assert api.call("GET", "/cases", as_=officer, query="scope=payroll").status == 403


def test_the_desk_names_the_officers_teams_and_their_customers(api: Api) -> None:
    pia = api.call("GET", "/desk/teams", as_="pia", headers={"accept-language": "en"}).json()["items"]
    assert pia == [
        {
            "id": "team-north",
            "name": "Team North",
            "organisations": [
                {"id": "lonecentrum", "name": "The centre's own"},
                {"id": "sundsvik", "name": "Sundsvik Municipality"},
            ],
        }
    ]
    every = api.call("GET", "/desk/teams", as_="cecilia").json()["items"]
    assert [team["id"] for team in every] == ["team-dk", "team-north", "team-south"]
    assert api.call("GET", "/desk/teams", as_="lena").status == 404


def test_each_team_hears_of_its_customers_cases_in_its_own_digest(api: Api, world: World) -> None:
    """Team South's mailbox (centre.json) gets Norrby's new case; team North, without one of its own, the
    centre's payroll mailbox gets Sundsvik's; neither hears of the other's."""
    from tests.support.flows import payroll_digest

    lena, nils = _file(api, "lena"), _file(api, "nils")
    wait_for(api, lena, "at_payroll", as_="lena")
    wait_for(api, nils, "at_payroll", as_="nils")
    south = payroll_digest(world, nils)
    assert south.to == ["syd@lonecentrum.example.se"]
    assert lena not in south.text
    north = [m for m in sent_emails() if m.kind == "payroll-digest" and lena in m.text]
    assert [m.to for m in north] == [[PAYROLL_MAILBOX]]
    assert nils not in north[0].text
