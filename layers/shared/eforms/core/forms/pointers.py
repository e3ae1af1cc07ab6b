"""JSON pointers a form declares into its own data (``x-eform``: ``payMonthFrom``, ``ownPersonnummer``).

A declared pointer must name a field of the form — checked when the catalogue loads, so a typo fails the
test suite instead of silently matching nothing — and may use ``*`` for every item of an array
(``/rows/*/date``).
"""

from __future__ import annotations

from typing import Any


def declared(raw: Any, schema: dict[str, Any], key: str) -> tuple[str, ...]:
    """The pointers under ``x-eform.<key>`` (one, or a list), each checked to name a property of ``schema``;
    ``ValueError`` says which does not."""
    if raw is None:
        return ()
    pointers = [raw] if isinstance(raw, str) else raw
    if not isinstance(pointers, list) or not pointers or not all(isinstance(p, str) for p in pointers):
        raise ValueError(f"{key} must be a JSON pointer or a list of them")
    for pointer in pointers:
        if not pointer.startswith("/") or _schema_at(schema, pointer.split("/")[1:]) is None:
            raise ValueError(f"{key}: {pointer} names no field of the form")
    return tuple(pointers)


def _schema_at(schema: dict[str, Any], parts: list[str]) -> dict[str, Any] | None:
    node: Any = schema
    for part in parts:
        if not isinstance(node, dict):
            return None
        node = node.get("items") if part == "*" else node.get("properties", {}).get(part)
    return node if isinstance(node, dict) else None


def values_at(data: Any, pointer: str) -> list[Any]:
    """Every value at ``pointer`` in ``data`` (``*`` runs over an array's items); none where it is absent."""
    return _values(data, pointer.split("/")[1:])


def _values(node: Any, parts: list[str]) -> list[Any]:
    if not parts:
        return [node]
    head, rest = parts[0], parts[1:]
    if head == "*":
        return [value for item in node for value in _values(item, rest)] if isinstance(node, list) else []
    return _values(node[head], rest) if isinstance(node, dict) and head in node else []
