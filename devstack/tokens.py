"""The dev token issuer, and the JWT check that API Gateway's JWT authorizer does on AWS.

Locally there is no organisation IdP, so this module plays one: it holds an RSA key made at start-up,
publishes it as a JWKS, and signs short-lived RS256 tokens for the demo personas. The front verifies
every token the way the HTTP API authorizer does (signature, ``iss``, ``aud``, ``exp``, ``nbf``) and
answers 401 ``{"message":"Unauthorized"}`` — the same body AWS sends.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

TOKEN_SECONDS = 8 * 3600
AUDIENCE = "eforms-local"


@dataclass
class DevIssuer:
    issuer: str
    audience: str = AUDIENCE
    key_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    _key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

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
