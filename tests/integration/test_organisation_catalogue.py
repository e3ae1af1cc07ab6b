"""A catalogue per organisation (issue 27, item 5; docs/organisations.md §5): the token's organisation decides
which forms its people see and may file; an organisation the registry does not know signs nobody in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from devstack.template import ROOT
from tests.support.flows import wait_for
from tests.support.samples import LEAVE, SUPPORT
from tests.support.world import Api, World


def _mette(org: str | None) -> dict[str, Any]:
    """Mette, a manager of the Danish unit, as a token of ``org`` would carry her (the dev IdP's claims)."""
    claims: dict[str, Any] = {
        "sub": "mette",
        "name": "Mette Hansen",
        "email": "mette.hansen@example.dk",
        "roles": "[manager]",
    }
    return {**claims, "org": org} if org else claims


def test_a_danish_institutions_people_see_and_file_only_its_forms(api: Api) -> None:
    listed = api.call("GET", "/forms", as_=_mette("skovby-gymnasium"), headers={"accept-language": "da"}).json()
    offered = {form["formId"] for form in listed["forms"]}
    danish = {"advance-pay-dk", "death-dk", "new-hire-dk", "one-off-payment-dk", "termination-dk"}
    assert offered
    assert offered <= danish  # its catalogue: the Danish forms, none of the Swedish ones
    assert api.call("GET", "/forms/leave-application", as_=_mette("skovby-gymnasium")).status == 404
    assert api.call("GET", "/forms/one-off-payment-dk", as_=_mette("skovby-gymnasium")).status == 200
    refused = api.call(
        "POST", "/cases", as_=_mette("skovby-gymnasium"), json_body={"formId": "leave-application", "data": LEAVE}
    )
    assert (refused.status, refused.json()["code"]) == (403, "form_not_offered")
    # The same person's token with no organisation is the centre's own (every form), as before organisations.
    everything = api.call("GET", "/forms", as_=_mette(None)).json()["forms"]
    assert {"leave-application", "one-off-payment-dk"} <= {form["formId"] for form in everything}


def test_an_organisation_the_registry_does_not_know_signs_nobody_in(api: Api) -> None:
    for path in ("/forms", "/cases", "/desk/cases"):
        reply = api.call("GET", path, as_=_mette("atlantis"))
        assert (reply.status, reply.json()["code"]) == (401, "organisation_unknown"), path


def test_people_are_told_the_pay_runs_of_their_own_organisation(api: Api) -> None:
    """Norrby's pay runs close on dates of its own (January's on the 7th, for Epiphany); the centre's on the
    8th. The form page tells each their own, as the desk will count them."""

    def runs(persona: str) -> list[dict[str, str]]:
        expected: list[dict[str, str]] = api.call("GET", "/forms/leave-application", as_=persona).json()["expected"][
            "payRuns"
        ]
        return expected

    assert {"payPeriod": "2027-01", "sendBy": "2027-01-07"} in runs("nils")
    assert {"payPeriod": "2027-01", "sendBy": "2027-01-08"} in runs("anna")


def test_a_fourth_organisation_is_a_file_and_its_directory(
    api: Api, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Adding a customer is adding its file and loading its directory: no code changes, no redeploy of
    anything but the layer. Its people file its forms, in its own queue, with its own E1001."""
    from eforms import wiring
    from eforms.aws.dynamo_directory import DynamoDirectory
    from eforms.core.identity.directory_import import parse_export

    root = tmp_path / "organisations"
    shutil.copytree(ROOT / "organisations", root)
    vasterby = json.loads((root / "norrby.json").read_text(encoding="utf-8"))
    vasterby.update(organisationId="vasterby", names={"sv": "Västerby kommun", "en": "Västerby", "da": "Västerby"})
    vasterby["signIn"]["emailDomains"] = ["vasterby.example.se"]
    vasterby["payrollTeam"] = "team-south"
    (root / "vasterby.json").write_text(json.dumps(vasterby, ensure_ascii=False), encoding="utf-8")
    rows = [
        {"employeeId": "E1001", "name": "Vera Vik", "email": "vera.vik@vasterby.example.se", "managerId": "E2001"},
        {"employeeId": "E2001", "name": "Viktor Ås", "email": "viktor.as@vasterby.example.se"},
    ]
    DynamoDirectory(world.refs["DirectoryTable"]).put_all(
        parse_export(json.dumps(rows), fmt="json", namespace="vasterby")
    )
    monkeypatch.setenv("EFORMS_ORGANISATION_DIR", str(root))
    wiring.organisations.cache_clear()
    try:
        vera = {
            "sub": "E1001",
            "name": "Vera Vik",
            "email": "vera.vik@vasterby.example.se",
            "roles": [],
            "org": "vasterby",
        }
        filed = api.submit(SUPPORT, form="payroll-support", as_=vera)
        assert filed.status == 201, filed.text
        case = filed.json()
        assert (case["subject"]["id"], case["organisation"]["name"]) == ("vasterby/E1001", "Västerby kommun")
        wait_for(api, case["caseId"], "at_payroll", as_=vera)
        queue = api.call("GET", "/desk/cases", as_="siv", query="organisation=vasterby").json()["items"]
        assert [row["caseId"] for row in queue] == [case["caseId"]]  # team South serves it now
        assert api.call("GET", f"/cases/{case['caseId']}", as_="pia").status == 404
    finally:
        wiring.organisations.cache_clear()


def test_each_organisations_people_read_its_languages_and_see_whom_to_ask(api: Api) -> None:
    """A Danish school's people read Danish (or English, if they ask) whatever their browser says; a Swedish
    municipality's Swedish or English. The catalogue names their payroll contact ("Din lönehandläggare")."""
    freja = api.call("GET", "/forms", as_="freja", headers={"accept-language": "sv-SE,sv;q=0.9"})
    assert freja.headers["content-language"] == "da"
    body = freja.json()
    assert body["organisation"]["languages"] == ["da", "en"]
    assert body["contact"]["name"]
    lena = api.call("GET", "/forms", as_="lena", headers={"accept-language": "da"})
    assert lena.headers["content-language"] == "sv"
    assert api.call("GET", "/forms", as_="lena", headers={"accept-language": "en"}).headers["content-language"] == "en"


def test_where_cognito_signs_people_in_a_token_without_an_organisation_is_refused(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With SignInWith=cognito the trigger stamps every token's organisation: one without is not the pool's."""
    from eforms.settings import settings

    assert api.call("GET", "/forms", as_=_mette(None)).status == 200  # one organisation's own provider: default
    monkeypatch.setenv("SIGN_IN_WITH", "cognito")
    settings.cache_clear()
    try:
        refused = api.call("GET", "/forms", as_=_mette(None))
        assert (refused.status, refused.json()["code"]) == (401, "organisation_unknown")
        assert api.call("GET", "/forms", as_=_mette("lonecentrum")).status == 200
    finally:
        monkeypatch.delenv("SIGN_IN_WITH")
        settings.cache_clear()
