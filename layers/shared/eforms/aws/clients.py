"""boto3 clients, created on first use and reused for the container's life.

Creating a client costs tens of milliseconds (it loads the service model), so it is never done per
request and never at import time. ``AWS_ENDPOINT_URL`` is honoured by boto3 itself, which is how the
local stack points every client at moto.
"""

from __future__ import annotations

import threading
from typing import Any

_clients: dict[str, Any] = {}
_lock = threading.Lock()


def client(service: str) -> Any:
    found = _clients.get(service)
    if found is not None:
        return found
    import boto3
    from botocore.config import Config

    # boto3's default session is not safe to build clients from in two threads at once (the local stack
    # runs the stream relay and workflow steps in threads; seen as a stray AttributeError in the relay, which
    # its retry then healed). On Lambda there is one thread and the lock costs nothing.
    with _lock:
        found = _clients.get(service)
        if found is None:
            found = _clients[service] = boto3.client(
                service, config=Config(retries={"mode": "standard", "max_attempts": 3})
            )
        return found


def reset() -> None:
    """Forget cached clients (tests switch between moto contexts)."""
    with _lock:
        _clients.clear()
