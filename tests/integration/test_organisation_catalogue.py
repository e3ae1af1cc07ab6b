"""A catalogue per organisation (issue 27, item 5; docs/organisations.md §5): the token's organisation decides
which forms its people see and may file; an organisation the registry does not know signs nobody in."""

from __future__ import annotations

from typing import Any

from tests.support.samples import LEAVE
from tests.support.world import Api


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
