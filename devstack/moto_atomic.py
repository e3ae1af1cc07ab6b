"""Make moto's DynamoDB writes atomic across threads, as DynamoDB's are.

moto applies a ``TransactWriteItems`` item by item and, when a condition fails, "rolls back" by restoring a
copy of the whole table taken when the transaction began. With two requests on two threads (two people
deciding at once, a workflow step and a person) that restore can put back a table from before the other
request's committed write — and a third request then wins too. DynamoDB never does that: its transactions
are serializable. Serializing moto's DynamoDB writes with one lock restores that guarantee, so the tests
and the local stack test our conditions, not the emulator's race.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

_LOCK = threading.RLock()  # re-entrant: a transaction calls put_item/update_item itself
_WRITES = ("transact_write_items", "put_item", "update_item", "delete_item")  # batch writes call put_item


def serialize_dynamodb_writes() -> None:
    """Idempotent: wraps each write method of moto's DynamoDB backend once."""
    from moto.dynamodb.models import DynamoDBBackend

    for name in _WRITES:
        original = getattr(DynamoDBBackend, name, None)
        if original is None or getattr(original, "_serialized", False):
            continue

        @functools.wraps(original)
        def serialized(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            with _LOCK:
                return _original(self, *args, **kwargs)

        serialized._serialized = True  # type: ignore[attr-defined]
        setattr(DynamoDBBackend, name, serialized)
