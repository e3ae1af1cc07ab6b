"""HTTPS out, with the standard library: a webhook POST and the OAuth 2.0 client-credentials token it may need.

No third-party HTTP client: the delivery function posts one small JSON body at a time, and urllib keeps its
cold start to the standard library's. Every call has a timeout, so a slow receiver costs one attempt, not
the function's whole run.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from eforms.core.integrations.webhooks import Auth

TIMEOUT_SECONDS = 10


class TokenRefused(Exception):
    """The subscriber's token endpoint did not issue a token (its status is in the message)."""


@dataclass
class UrllibHttp:
    timeout: float = TIMEOUT_SECONDS
    _tokens: dict[tuple[str, str, str], tuple[float, str]] = field(default_factory=dict)

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - https from the template
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status: int = response.status
                return status
        except urllib.error.HTTPError as error:
            return error.code
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            return 0

    def client_credentials_token(self, auth: Auth, client_secret: str) -> str:
        key = (auth.token_url, auth.client_id, auth.scope)
        held = self._tokens.get(key)
        if held and held[0] > time.monotonic():
            return held[1]
        form = {"grant_type": "client_credentials", **({"scope": auth.scope} if auth.scope else {})}
        basic = base64.b64encode(f"{auth.client_id}:{client_secret}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310 - the subscriber's token endpoint, from the template
            auth.token_url,
            data=urllib.parse.urlencode(form).encode(),
            headers={"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                reply = json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise TokenRefused(f"token endpoint answered {error.code}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, ValueError) as error:
            raise TokenRefused(type(error).__name__) from None
        token = str(reply["access_token"])
        # Renew a minute before it expires, so a token is never sent in its last seconds.
        self._tokens[key] = (time.monotonic() + max(0, int(reply.get("expires_in", 300)) - 60), token)
        return token
