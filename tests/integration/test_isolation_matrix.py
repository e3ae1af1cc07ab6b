"""The isolation matrix (issue 27, "Done when"; docs/organisations.md §3): every route of docs/openapi.yaml
that names a case or an upload, walked with the personas of every organisation that is not entitled to it —
another organisation's employee, manager and administrator, and the officers of the teams that do not serve
it — answers 404, before any body is read, and changes nothing; every listing and search answers each
persona with its own organisation's cases and people only.

Not in the matrix: ``/decisions/{token}``, the emailed decision link, which is its bearer's by design (a
256-bit token bound to one case and one approver; docs/security.md), and ``/bankid/…``, which mirror routes
walked here under the BankID sign-in (tests/integration/test_bankid.py)."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from tests.support.flows import wait_for
from tests.support.openapi import spec
from tests.support.samples import SUPPORT
from tests.support.uploads import start
from tests.support.world import Api, World

#: Who belongs where: each persona's organisation, and the organisations a payroll officer's team serves.
MEMBERS = {
    "anna": "lonecentrum",
    "maria": "lonecentrum",
    "ada": "lonecentrum",
    "lena": "sundsvik",
    "omar": "sundsvik",
    "bo": "sundsvik",
    "nils": "norrby",
    "greta": "norrby",
    "freja": "skovby-gymnasium",
    "henrik": "skovby-gymnasium",
    "dorte": "skovby-gymnasium",
}
OFFICERS = {"pia": {"lonecentrum", "sundsvik"}, "siv": {"norrby"}, "mads": {"skovby-gymnasium"}}
DEATH = {
    "employee": {"employeeId": "E1001", "name": "Freja Kjær"},  # the school's own number: Freja, not Lena
    "dateOfDeath": "2026-11-20",
    "survivors": [{"name": "Lise Kjær", "relation": "aegtefaelle", "cpr": "310375-4128", "address": "Vej 1"}],
    "payAfterDeath": {"months": 3, "paidTo": "efterladte"},
    "holiday": {"currentYear": 4.5, "previousYear": 0},
}
_PARAMETER = re.compile(r"\{(\w+)\}")


def _routes(naming: str) -> list[tuple[str, str]]:
    """(method, path) of every documented route whose path names ``{naming}``."""
    return [
        (method.upper(), path)
        for path, operations in spec()["paths"].items()
        if f"{{{naming}}}" in path
        for method in operations
        if method in ("get", "post", "put", "delete", "patch")
    ]


def _filled(path: str, values: dict[str, str]) -> str:
    return _PARAMETER.sub(lambda m: values.get(m.group(1), "up_" + "A" * 22), path)


def _fingerprint(world: World) -> list[Any]:
    """Everything the cases table holds: a refused request must leave it exactly as it was."""
    return sorted(str(item) for item in world.table_items("CasesTable"))


@pytest.fixture
def cases(api: Api) -> dict[str, str]:
    """One case at the desk per customer organisation, each with a message from its sender."""
    filed = {
        "sundsvik": api.submit(SUPPORT, form="payroll-support", as_="lena"),
        "norrby": api.submit(SUPPORT, form="payroll-support", as_="nils"),
        "skovby-gymnasium": api.submit(DEATH, form="death-dk", as_="henrik"),
        "lonecentrum": api.submit(SUPPORT, form="payroll-support", as_="anna"),
    }
    ids = {}
    for organisation, reply in filed.items():
        assert reply.status == 201, reply.text
        ids[organisation] = reply.json()["caseId"]
    # Filed by the school's manager for "E1001": the school's E1001, never another organisation's.
    assert filed["skovby-gymnasium"].json()["subject"]["id"] == "skovby-gymnasium/E1001"
    senders = {"sundsvik": "lena", "norrby": "nils", "skovby-gymnasium": "henrik", "lonecentrum": "anna"}
    for organisation, case_id in ids.items():
        wait_for(api, case_id, "at_payroll", as_=senders[organisation])
        said = api.call("POST", f"/cases/{case_id}/messages", as_=senders[organisation], json_body={"text": "Hej"})
        assert said.status == 201, said.text
    return ids


def test_no_case_route_crosses_an_organisation(api: Api, world: World, cases: dict[str, str]) -> None:
    routes = _routes("caseId")
    assert len(routes) >= 19  # the matrix walks them all, not a sample
    before = _fingerprint(world)
    walked = 0
    for organisation, case_id in cases.items():
        outsiders = [p for p, o in MEMBERS.items() if o != organisation]
        outsiders += [p for p, served in OFFICERS.items() if organisation not in served]
        for persona, (method, path) in itertools.product(outsiders, routes):
            reply = api.call(
                method,
                _filled(path, {"caseId": case_id}),
                as_=persona,
                json_body={} if method == "POST" else None,
            )
            assert reply.status == 404, (persona, method, path, reply.status, reply.text)
            assert reply.json()["code"] == "case_not_found", (persona, method, path)
            walked += 1
    assert _fingerprint(world) == before  # nothing written by any of them
    print(f"isolation matrix: {walked} refused requests over {len(routes)} case routes")


def test_no_upload_crosses_an_organisation(api: Api) -> None:
    started = start(api, "payroll-support", "underlag", as_="lena")
    assert started.status == 201, started.text
    upload = started.json()["uploadId"]
    for persona in [p for p, o in MEMBERS.items() if o != "sundsvik"] + ["nils"]:
        for method, path in _routes("uploadId"):
            reply = api.call(
                method, _filled(path, {"uploadId": upload}), as_=persona, json_body={} if method == "POST" else None
            )
            assert reply.status == 404, (persona, method, path, reply.text)
    assert api.call("GET", f"/uploads/{upload}", as_="lena").status == 200


def test_every_listing_and_search_shows_ones_own_organisation_only(api: Api, cases: dict[str, str]) -> None:
    listings = [
        ("/cases", "scope=mine"),
        ("/cases", "scope=filed"),
        ("/cases", "scope=team"),
        ("/cases", "scope=payroll"),
        ("/desk/cases", ""),
        ("/desk/cases", "status=awaiting_approval"),
        ("/approvals", ""),
    ]
    for persona, organisation in [*MEMBERS.items(), *((p, None) for p in OFFICERS)]:
        allowed = {organisation} if organisation else OFFICERS[persona]
        foreign = {case_id for o, case_id in cases.items() if o not in allowed}
        for path, query in listings:
            reply = api.call("GET", path, as_=persona, query=query)
            if reply.status != 200:
                assert reply.status in (403, 404), (persona, path, query)
                continue
            shown = {row["caseId"] for row in reply.json()["items"]}
            assert not shown & foreign, (persona, path, query)
            assert all(row["organisation"]["id"] in allowed for row in reply.json()["items"]), (persona, path)
        for name in ("Lena", "Nils", "Freja", "Anna"):
            reply = api.call("GET", "/people", as_=persona, query=f"q={name}")
            if reply.status == 200:
                people = [p["id"] for p in reply.json()["items"]]
                owners = {p.split("/", 1)[0] if "/" in p else "lonecentrum" for p in people}
                assert owners <= allowed, (persona, name, people)
