"""Make moto's DynamoDB transactions atomic and isolated, as DynamoDB's are — and cheap.

moto applies a ``TransactWriteItems`` item by item and, when a condition fails, "rolls back" by restoring a
deep copy of every table the transaction names, taken when it began. That has two faults:

* **Races.** With two requests on two threads (two people deciding at once, a workflow step and a person) the
  restore can put back a table from before the other request's committed write — and a third request then wins
  too; and a reader on another thread can see half a transaction. DynamoDB's transactions are serializable.
  So every DynamoDB write and read here takes one lock: the tests and the local stack test our conditions, not
  the emulator's race.
* **Cost.** The copy is of the whole table, on every transaction: with a few hundred cases each write took a
  third of a second, so a test's or the local stack's speed fell with every case it had stored (O(n²)).
  :func:`_transact_write_items` instead remembers only the items the transaction touches (and where each
  table's stream ended) and puts exactly those back when it is cancelled.

Everything else (conditions, errors, ``ReturnValuesOnConditionCheckFailure``, the stream records a committed
transaction leaves) is moto's own, called through its backend.
"""

from __future__ import annotations

import copy
import functools
import threading
from dataclasses import dataclass, field
from typing import Any

_LOCK = threading.RLock()  # re-entrant: a transaction calls put_item/update_item itself
#: Backend methods taken under the lock; batch writes call put_item and delete_item.
_SERIALIZED = ("put_item", "update_item", "delete_item", "get_item", "query", "scan")
_MAX_ITEMS = 100


def make_dynamodb_atomic() -> None:
    """Idempotent: wraps each method of moto's DynamoDB backend once, and replaces its transaction."""
    from moto.dynamodb.models import DynamoDBBackend

    for name in _SERIALIZED:
        original = getattr(DynamoDBBackend, name)
        if getattr(original, "_serialized", False):
            continue

        @functools.wraps(original)
        def serialized(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            with _LOCK:
                return _original(self, *args, **kwargs)

        serialized._serialized = True  # type: ignore[attr-defined]
        setattr(DynamoDBBackend, name, serialized)
    if not getattr(DynamoDBBackend.transact_write_items, "_serialized", False):
        _transact_write_items._serialized = True  # type: ignore[attr-defined]
        DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]


@dataclass
class _Undo:
    """What a transaction changed, to put back if it is cancelled: each item as it was, each stream's length."""

    items: list[tuple[Any, dict[str, Any], Any]] = field(default_factory=list)
    streams: dict[int, tuple[Any, int]] = field(default_factory=dict)

    def remember(self, table: Any, key: dict[str, Any], current: Any) -> None:
        self.items.append((table, key, copy.deepcopy(current)))
        if table.stream_shard is not None and id(table) not in self.streams:
            self.streams[id(table)] = (table.stream_shard, len(table.stream_shard.items))

    def rollback(self) -> None:
        from moto.dynamodb.models.dynamo_type import DynamoType

        for table, key, before in reversed(self.items):
            hash_key = DynamoType(key[table.hash_key_attr])
            if table.range_key_attr is None:
                if before is None:
                    table.items.pop(hash_key, None)
                else:
                    table.items[hash_key] = before
                continue
            range_key = DynamoType(key[table.range_key_attr])
            if before is None:
                table.items[hash_key].pop(range_key, None)
            else:
                table.items[hash_key][range_key] = before
        for shard, length in self.streams.values():
            del shard.items[length:]  # a cancelled transaction leaves no stream record


def _transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    """moto's ``DynamoDBBackend.transact_write_items`` (5.2.5), with :class:`_Undo` in place of its copy of
    every table, under the lock: each item's condition is checked and its write made in order; any failure
    cancels the whole transaction with one reason per item, as DynamoDB answers."""
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MockValidationException,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )

    if len(transact_items) > _MAX_ITEMS:
        raise TooManyTransactionsException()
    with _LOCK:
        undo = _Undo()
        targets: set[tuple[str, str]] = set()
        errors: list[tuple[str | None, str | None, Any]] = []
        for entry in transact_items:
            if len(entry) > 1:
                raise TransactWriteSingleOpException
            op_type, op = next(iter(entry.items()))
            try:
                key = _key(self, op_type, op)
                target = (str(op["TableName"]), str(dict(sorted(key.items()))))
                if target in targets:
                    raise MultipleTransactionsException()
                targets.add(target)
                _write(self, op_type, op, key, undo)
                errors.append((None, None, None))
            except (MultipleTransactionsException, MockValidationException):
                undo.rollback()
                raise
            except ConditionalCheckFailed as failed:
                errors.append(("ConditionalCheckFailed", str(failed.message), getattr(failed, "original_item", None)))
            except Exception as error:  # as moto: any other failure cancels the transaction with its name
                errors.append((type(error).__name__, str(error), None))
        if any(code is not None for code, _, _ in errors):
            undo.rollback()
            raise TransactionCanceledException(errors)


def _key(backend: Any, op_type: str, op: dict[str, Any]) -> dict[str, Any]:
    if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
        raise ValueError("Unsupported transaction operation")
    if op_type != "Put":
        key: dict[str, Any] = op["Key"]
        return key
    table, attrs = backend.get_table(op["TableName"]), op["Item"]
    key = {table.hash_key_attr: attrs[table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = attrs[table.range_key_attr]
    return key


def _write(backend: Any, op_type: str, op: dict[str, Any], key: dict[str, Any], undo: _Undo) -> None:
    """One item of the transaction: its condition, then (remembered first) its write."""
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import ConditionalCheckFailed

    table_name, condition = op["TableName"], op.get("ConditionExpression")
    names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
    current = backend.get_item(table_name, key)
    if condition is not None and not get_filter_expression(condition, names, values).expr(current):
        wants_item = op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current
        old = current.to_json()["Attributes"] if wants_item else None
        failed = ConditionalCheckFailed(item=old)
        failed.original_item = old  # type: ignore[attr-defined]  # returned with the cancellation reason
        raise failed
    if op_type == "ConditionCheck":
        return
    undo.remember(backend.get_table(table_name), key, current)
    common = {
        "condition_expression": condition,
        "expression_attribute_names": names,
        "expression_attribute_values": values,
    }
    if op_type == "Put":
        backend.put_item(table_name, op["Item"], **common)
    elif op_type == "Delete":
        backend.delete_item(table_name, key, **common)
    else:
        backend.update_item(table_name, key, update_expression=op["UpdateExpression"], **common)
