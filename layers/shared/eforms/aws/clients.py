"""boto3 clients, created on first use and reused for the container's life.

Creating a client costs tens of milliseconds (it loads the service model), so it is never done per
request and never at import time. ``AWS_ENDPOINT_URL`` is honoured by boto3 itself, which is how the
local stack points every client at moto.
"""

from __future__ import annotations

import threading
from typing import Any

_clients: dict[str, Any] = {}
_generation = [0]  # bumped by reset(): a client built before it is not kept after it
_lock = threading.Lock()


def client(service: str) -> Any:
    found = _clients.get(service)
    if found is not None:
        return found
    import boto3
    from botocore.config import Config

    generation = _generation[0]
    made = boto3.client(service, config=Config(retries={"mode": "standard", "max_attempts": 3}))
    with _lock:
        if generation != _generation[0]:
            # reset() ran while this client was being built (tests switching worlds while a workflow
            # thread of the last one finishes its step): it belongs to the old world, so it is not kept.
            return made
        return _clients.setdefault(service, made)


def reset() -> None:
    """Forget cached clients (tests switch between moto contexts)."""
    with _lock:
        _generation[0] += 1
        _clients.clear()
