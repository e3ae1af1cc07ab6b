"""The dev token issuer, and the JWT check that API Gateway's JWT authorizer does on AWS.

Locally there is no organisation IdP, so this module plays one: it holds an RSA key made at start-up,
publishes it as a JWKS, and signs short-lived RS256 tokens for the demo personas — directly
(``/dev/token``, the persona picker) or through the OpenID Connect authorization code flow with PKCE that
the deployed web client uses (``/dev/authorize`` → ``/dev/oauth/token``), so that flow is tested here.
The front verifies every token the way the HTTP API authorizer does (signature, ``iss``, ``aud``, ``exp``,
``nbf``) and answers 401 ``{"message":"Unauthorized"}`` — the same body AWS sends.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

TOKEN_SECONDS = 8 * 3600
AUDIENCE = "eforms-local"  # also the web client's OIDC client id: its id token is what the API accepts
BANKID_AUDIENCE = "eforms-local-bankid"  # the web client's client id at the dev BankID broker
CODE_SECONDS = 60


class AuthorizationError(ValueError):
    """An OAuth error response: ``error`` is the RFC 6749 code, the message its description."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error

    def response(self) -> dict[str, str]:
        """The JSON body of the 400 answer (RFC 6749, section 5.2)."""
        return {"error": self.error, "error_description": str(self)}


@dataclass(frozen=True)
class _Grant:
    claims: dict[str, Any]
    client_id: str
    redirect_uri: str
    challenge: str
    expires: float


@dataclass
class DevIssuer:
    issuer: str
    audience: str = AUDIENCE
    key_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    _key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    _grants: dict[str, _Grant] = field(default_factory=dict)

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "jwks_uri": f"{self.issuer}/.well-known/jwks.json",
            "authorization_endpoint": f"{self.issuer}/dev/authorize",
            "token_endpoint": f"{self.issuer}/dev/oauth/token",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "code_challenge_methods_supported": ["S256"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def check_authorization_request(self, params: dict[str, str]) -> None:
        """Refuse what a real provider refuses: unknown client, foreign redirect, no PKCE."""
        if params.get("response_type") != "code":
            raise AuthorizationError("unsupported_response_type", "only the code flow is supported")
        if params.get("client_id") != self.audience:
            raise AuthorizationError("unauthorized_client", f"unknown client {params.get('client_id')!r}")
        redirect, home = urlsplit(params.get("redirect_uri", "")), urlsplit(self.issuer)
        if (redirect.scheme, redirect.netloc) != (home.scheme, home.netloc) or not redirect.path.startswith("/"):
            raise AuthorizationError("invalid_request", "redirect_uri must be on this site")
        if params.get("code_challenge_method") != "S256" or len(params.get("code_challenge", "")) < 43:
            raise AuthorizationError("invalid_request", "PKCE with S256 is required")

    def authorize(self, params: dict[str, str], claims: dict[str, Any], *, now: float | None = None) -> str:
        """A one-time code for these claims, after :meth:`check_authorization_request` passed."""
        self.check_authorization_request(params)
        code = secrets.token_urlsafe(24)
        self._grants[code] = _Grant(
            claims=claims,
            client_id=params["client_id"],
            redirect_uri=params["redirect_uri"],
            challenge=params["code_challenge"],
            expires=(time.time() if now is None else now) + CODE_SECONDS,
        )
        return code

    def exchange(self, form: dict[str, str], *, now: float | None = None) -> dict[str, Any]:
        """The token response for a code, once; ``AuthorizationError("invalid_grant")`` otherwise."""
        if form.get("grant_type") != "authorization_code":
            raise AuthorizationError("unsupported_grant_type", "only authorization_code is supported")
        grant = self._grants.pop(form.get("code", ""), None)  # single use, even when the rest is wrong
        if grant is None or grant.expires < (time.time() if now is None else now):
            raise AuthorizationError("invalid_grant", "unknown, used or expired code")
        if (form.get("client_id"), form.get("redirect_uri")) != (grant.client_id, grant.redirect_uri):
            raise AuthorizationError("invalid_grant", "client_id or redirect_uri differs from the authorization")
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant.challenge:
            raise AuthorizationError("invalid_grant", "code_verifier does not match the code_challenge")
        token = self.sign(grant.claims)
        return {"id_token": token, "access_token": token, "token_type": "Bearer", "expires_in": TOKEN_SECONDS}

    def jwks(self) -> dict[str, Any]:
        public = json.loads(RSAAlgorithm.to_jwk(self._key.public_key()))
        public.update({"kid": self.key_id, "use": "sig", "alg": "RS256"})
        return {"keys": [public]}

    def sign(self, claims: dict[str, Any], *, lifetime: int = TOKEN_SECONDS, now: float | None = None) -> str:
        issued = int(time.time() if now is None else now)
        payload = {"iss": self.issuer, "aud": self.audience, "iat": issued, "nbf": issued, "exp": issued + lifetime}
        payload.update(claims)
        return jwt.encode(payload, self._key, algorithm="RS256", headers={"kid": self.key_id})

    def verify(self, token: str) -> dict[str, Any] | None:
        """The token's claims if it is genuine and current, else None."""
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._key.public_key(),
                algorithms=["RS256"],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub"]},
            )
        except jwt.PyJWTError:
            return None
        return claims


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None
