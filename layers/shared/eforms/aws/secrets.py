"""Secrets Manager values, cached per container for a few minutes (a rotated secret is seen within that)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from eforms.aws.clients import client

TTL_SECONDS = 300


@dataclass
class CachedSecrets:
    ttl: float = TTL_SECONDS
    _held: dict[str, tuple[float, str]] = field(default_factory=dict)

    def get(self, secret_id: str) -> str:
        held = self._held.get(secret_id)
        if held and held[0] > time.monotonic():
            return held[1]
        value: str = client("secretsmanager").get_secret_value(SecretId=secret_id)["SecretString"]
        self._held[secret_id] = (time.monotonic() + self.ttl, value)
        return value
