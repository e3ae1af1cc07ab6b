"""Sign-in per organisation, one token issuer (issue 27, item 2; docs/organisations.md §2): the organisation is
the one whose identity provider signed the person in, never one the person or their provider asserts; the
user pool's providers and app client are generated from the organisation files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from devstack import sign_in_providers
from devstack.template import load
from eforms.core.organisations.registry import Registry
from eforms.core.organisations.sign_in import SignInRefused, stamp

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = Registry.read(ROOT / "organisations")


def _via(provider: str | None, **attributes: str) -> dict[str, Any]:
    """A person's user-pool attributes as Cognito hands them to the trigger, signed in through ``provider``."""
    identities = (
        [{"providerName": provider, "providerType": "OIDC", "userId": "x", "primary": True}] if provider else []
    )
    return {"identities": json.dumps(identities), "custom:employee_id": "E1001", **attributes}


def test_the_organisation_is_the_providers_and_two_e1001s_are_two_people() -> None:
    assert REGISTRY is not None
    assert stamp(REGISTRY, _via("sundsvik")) == {"org": "sundsvik", "employee_id": "E1001", "roles": []}
    assert stamp(REGISTRY, _via("norrby"))["org"] == "norrby"
    manager = stamp(REGISTRY, _via("norrby", **{"custom:roles": '["Manager","Payroll","centre"]'}))
    assert manager["roles"] == ["manager"]  # a customer's provider makes nobody an officer
    assert "teams" not in manager


def test_the_centres_own_provider_grants_the_desk_and_its_known_teams() -> None:
    assert REGISTRY is not None
    officer = stamp(
        REGISTRY,
        _via("lonecentrum", **{"custom:employee_id": "pia", "custom:roles": "payroll", "custom:teams": "team-north x"}),
    )
    assert officer == {"org": "lonecentrum", "employee_id": "pia", "roles": ["payroll"], "teams": ["team-north"]}


@pytest.mark.parametrize(
    ("attributes", "reason"),
    [
        (_via(None), "not_federated"),  # a user of the pool itself: nobody signs up there
        (_via("atlantis"), "unknown_provider"),
        (_via("sundsvik", **{"custom:org": "norrby"}), "organisation_mismatch"),  # A asserting B
        (_via("sundsvik", **{"custom:employee_id": "norrby/E1001"}), "no_employee_id"),  # naming another's person
        (_via("sundsvik", **{"custom:employee_id": ""}), "no_employee_id"),
        ({"identities": "not json"}, "not_federated"),
    ],
)
def test_anyone_else_gets_no_token(attributes: dict[str, Any], reason: str) -> None:
    assert REGISTRY is not None
    with pytest.raises(SignInRefused) as refused:
        stamp(REGISTRY, attributes)
    assert refused.value.reason == reason


def test_the_trigger_refuses_by_raising_so_cognito_issues_no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    from devstack import lambdas
    from eforms import wiring

    monkeypatch.setenv("EFORMS_ORGANISATION_DIR", str(ROOT / "organisations"))
    wiring.organisations.cache_clear()
    forged = {"request": {"userAttributes": _via("sundsvik", **{"custom:org": "norrby"})}}
    with pytest.raises(SignInRefused):
        lambdas.invoke(load().function("OrganisationClaimFunction"), forged)


def test_the_template_holds_one_provider_per_organisation_and_a_client_offering_them() -> None:
    assert sign_in_providers.main(["--check"]) == 0, "run python3 dev sign-in-providers"
    assert REGISTRY is not None
    resources = load().resources
    for organisation in REGISTRY.organisations.values():
        provider = resources[sign_in_providers.logical_id(organisation)]
        assert provider["Condition"] == "UsesCognito"
        properties = provider["Properties"]
        assert properties["ProviderName"] == organisation.organisation_id  # what the trigger maps back
        assert properties["IdpIdentifiers"] == list(organisation.email_domains)  # found from the work email
        assert "clientSecret" not in json.dumps(properties).replace("SecretString:clientSecret", "")
    client = resources["UserPoolClient"]["Properties"]
    assert sorted(client["SupportedIdentityProviders"]) == sorted(REGISTRY.organisations)
    assert client["GenerateSecret"] is False
    assert client["AllowedOAuthFlows"] == ["code"]
    pool = resources["UserPool"]["Properties"]
    assert pool["AdminCreateUserConfig"] == {"AllowAdminCreateUserOnly": True}  # nobody signs up to the pool
    assert pool["LambdaConfig"]["PreTokenGenerationConfig"]["LambdaVersion"] == "V2_0"
