"""boto3 clients, created on first use and reused for the container's life.

Creating a client costs tens of milliseconds (it loads the service model), so it is never done per
request and never at import time. ``AWS_ENDPOINT_URL`` is honoured by boto3 itself, which is how the
local stack points every client at moto.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def client(service: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(service, config=Config(retries={"mode": "standard", "max_attempts": 3}))


def reset() -> None:
    """Forget cached clients (tests switch between moto contexts)."""
    client.cache_clear()
