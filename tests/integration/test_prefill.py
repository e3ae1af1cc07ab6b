"""Answers the sign-in already gives, declared by the form (``x-prefill``; issue 29, docs/self-service.md §2):
a BankID caller is not asked to type the personnummer BankID gave; a work account's sign-in has none to give."""

from __future__ import annotations

from tests.integration.test_bankid import KIM, KIM_CLAIMS
from tests.support.samples import CERTIFICATE
from tests.support.world import Api


def test_a_bankid_callers_personnummer_is_filled_in_and_locked(api: Api) -> None:
    form = api.call("GET", "/bankid/forms/certificate-request", as_=KIM_CLAIMS, query="prefill=true").json()
    assert form["prefill"] == [{"pointer": "/personnummer", "value": KIM, "source": "bankid", "editable": False}]
    assert form["schema"]["properties"]["personnummer"]["x-prefill"] == "identity.personnummer"


def test_without_asking_the_form_carries_no_prefill_and_a_work_account_has_no_personnummer_to_give(api: Api) -> None:
    assert "prefill" not in api.call("GET", "/bankid/forms/certificate-request", as_=KIM_CLAIMS).json()
    reply = api.call("GET", "/forms/certificate-request", query="prefill=true")
    assert reply.json()["prefill"] == []  # the directory keeps only a keyed hash: nothing to fill in


def test_a_prefill_parameter_other_than_true_is_refused(api: Api) -> None:
    reply = api.call("GET", "/forms/certificate-request", query="prefill=yes")
    assert (reply.status, reply.json()["code"]) == (400, "invalid_query")


def test_a_personnummer_changed_from_the_prefilled_one_is_refused_at_submission(api: Api) -> None:
    """The number is never kept, so it is checked, not set again: the form's ownPersonnummer rule."""
    body = {"formId": "certificate-request", "data": {**CERTIFICATE, "personnummer": "19850314-2385"}}
    reply = api.call("POST", "/bankid/cases", as_=KIM_CLAIMS, json_body=body)
    assert reply.status == 422
    assert [e["pointer"] for e in reply.json()["errors"]] == ["/data/personnummer"]
