"""The local OpenID Connect provider refuses what a real one refuses, so the web client's flow is real."""

from __future__ import annotations

import base64
import hashlib

import pytest

from devstack.tokens import AuthorizationError, DevIssuer

ISSUER = "http://127.0.0.1:8000"
VERIFIER = "v" * 64
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()
REQUEST = {
    "response_type": "code",
    "client_id": "eforms-local",
    "redirect_uri": f"{ISSUER}/app/",
    "code_challenge": CHALLENGE,
    "code_challenge_method": "S256",
    "state": "s",
}
CLAIMS = {"sub": "anna", "name": "Anna Andersson", "roles": []}


@pytest.fixture(scope="module")
def issuer() -> DevIssuer:
    return DevIssuer(ISSUER)


def _exchange(issuer: DevIssuer, code: str, **changes: str) -> dict[str, object]:
    form = {"grant_type": "authorization_code", "code": code, "client_id": "eforms-local"}
    form |= {"redirect_uri": f"{ISSUER}/app/", "code_verifier": VERIFIER, **changes}
    return issuer.exchange(form)


def test_a_code_with_its_verifier_gives_an_id_token_the_api_accepts_once(issuer: DevIssuer) -> None:
    code = issuer.authorize(REQUEST, CLAIMS)
    tokens = _exchange(issuer, code)
    claims = issuer.verify(str(tokens["id_token"]))
    assert claims is not None
    assert (claims["sub"], claims["aud"], claims["iss"]) == ("anna", "eforms-local", ISSUER)
    with pytest.raises(AuthorizationError, match="used"):
        _exchange(issuer, code)


@pytest.mark.parametrize(
    "changes",
    [{"code_verifier": "w" * 64}, {"redirect_uri": f"{ISSUER}/other/"}, {"client_id": "someone-else"}],
    ids=["wrong verifier", "other redirect", "other client"],
)
def test_a_mismatched_exchange_is_refused_and_burns_the_code(issuer: DevIssuer, changes: dict[str, str]) -> None:
    code = issuer.authorize(REQUEST, CLAIMS)
    with pytest.raises(AuthorizationError) as refused:
        _exchange(issuer, code, **changes)
    assert refused.value.error == "invalid_grant"
    with pytest.raises(AuthorizationError):
        _exchange(issuer, code)


def test_an_expired_code_is_refused(issuer: DevIssuer) -> None:
    code = issuer.authorize(REQUEST, CLAIMS, now=0)
    with pytest.raises(AuthorizationError, match="expired"):
        _exchange(issuer, code)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"redirect_uri": "https://evil.example/steal"}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"client_id": "unknown"}, "unauthorized_client"),
        ({"response_type": "token"}, "unsupported_response_type"),
    ],
)
def test_bad_authorization_requests_never_get_a_code(issuer: DevIssuer, changes: dict[str, str], error: str) -> None:
    with pytest.raises(AuthorizationError) as refused:
        issuer.authorize({**REQUEST, **changes}, CLAIMS)
    assert refused.value.error == error


def test_discovery_names_the_endpoints_the_web_client_uses(issuer: DevIssuer) -> None:
    document = issuer.discovery()
    assert document["authorization_endpoint"] == f"{ISSUER}/dev/authorize"
    assert document["token_endpoint"] == f"{ISSUER}/dev/oauth/token"
    assert document["code_challenge_methods_supported"] == ["S256"]
