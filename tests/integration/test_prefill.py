"""Answers the sign-in already gives, declared by the form (``x-prefill``; issue 29, docs/self-service.md §2):
a BankID caller is not asked to type the personnummer BankID gave; a work account's sign-in has none to give."""

from __future__ import annotations

from eforms import wiring
from eforms.core.common.clock import stockholm_date
from tests.integration.test_bankid import KIM, KIM_CLAIMS
from tests.support.examples import examples
from tests.support.faults import throttled
from tests.support.samples import CERTIFICATE
from tests.support.world import Api


def test_a_bankid_callers_personnummer_is_filled_in_and_locked(api: Api) -> None:
    form = api.call("GET", "/bankid/forms/certificate-request", as_=KIM_CLAIMS, query="prefill=true").json()
    assert form["prefill"] == [{"pointer": "/personnummer", "value": KIM, "source": "bankid", "editable": False}]
    assert form["schema"]["properties"]["personnummer"]["x-prefill"] == "identity.personnummer"


def test_without_asking_the_form_carries_no_prefill_and_a_work_account_has_no_personnummer_to_give(api: Api) -> None:
    assert "prefill" not in api.call("GET", "/bankid/forms/certificate-request", as_=KIM_CLAIMS).json()
    reply = api.call("GET", "/forms/certificate-request", query="prefill=true")
    # The directory keeps only a keyed hash of the personnummer: nothing to fill in there; the unit it has.
    assert [p["pointer"] for p in reply.json()["prefill"]] == ["/workplace"]


def test_a_work_accounts_unit_comes_from_the_directory_and_may_be_changed(api: Api) -> None:
    form = api.call("GET", "/forms/access-request", query="prefill=true").json()
    unit = "Barn- och utbildningsförvaltningen, Solrosens förskola"  # anna's row in the seed directory
    assert form["prefill"] == [{"pointer": "/workplace", "value": unit, "source": "directory", "editable": True}]
    filled = examples("access-request", stockholm_date(wiring.now()))["valid"][0]
    body = {"formId": "access-request", "data": {**filled, "workplace": "Solrosens förskola, köket"}}
    created = api.call("POST", "/cases", json_body=body)
    assert created.status == 201, created.json()
    assert (
        api.call("GET", f"/cases/{created.json()['caseId']}").json()["data"]["workplace"] == "Solrosens förskola, köket"
    )


def test_a_prefill_parameter_other_than_true_is_refused(api: Api) -> None:
    reply = api.call("GET", "/forms/certificate-request", query="prefill=yes")
    assert (reply.status, reply.json()["code"]) == (400, "invalid_query")


def test_a_personnummer_changed_from_the_prefilled_one_is_refused_at_submission(api: Api) -> None:
    """The number is never kept, so it is checked, not set again: the form's ownPersonnummer rule."""
    body = {"formId": "certificate-request", "data": {**CERTIFICATE, "personnummer": "19850314-2385"}}
    reply = api.call("POST", "/bankid/cases", as_=KIM_CLAIMS, json_body=body)
    assert reply.status == 422
    assert [e["pointer"] for e in reply.json()["errors"]] == ["/data/personnummer"]


def test_the_directory_failing_answers_503_and_the_form_can_be_asked_for_again(api: Api) -> None:
    """The catalogue's one AWS call: DynamoDB throttling the directory read is a clear 503, never a 500 and
    never a form without its prefill pretending there is nothing to fill in."""
    with throttled("dynamodb", "GetItem", times=10) as refused:
        reply = api.call("GET", "/forms/access-request", query="prefill=true")
    assert refused
    assert reply.status == 503
    assert reply.headers["content-type"].startswith("application/problem+json")
    assert api.call("GET", "/forms/access-request", query="prefill=true").json()["prefill"]
