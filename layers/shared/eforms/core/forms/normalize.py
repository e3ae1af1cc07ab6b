"""Answers written the way the form stores them, before they are checked (``x-case: "upper"`` on a field).

An activity code typed ``proj1`` is the code ``PROJ1``: refusing it as "wrong format" helps nobody. A string
field declaring ``"x-case": "upper"`` is upper-cased at submission and correction, before the form's rules (its
pattern) see it; the web client does the same as the person types (``web/src/forms/normalize.js``), so its
own check agrees. Nothing else in the answers changes.
"""

from __future__ import annotations

from typing import Any


def normalized(schema: dict[str, Any], data: Any) -> Any:
    """``data`` with every ``x-case: "upper"`` string upper-cased; the same object when nothing changed."""
    if schema.get("x-case") == "upper" and isinstance(data, str):
        return data.upper()
    if isinstance(data, dict):
        properties = schema.get("properties") or {}
        changed = {k: normalized(properties[k], v) for k, v in data.items() if isinstance(properties.get(k), dict)}
        return data if all(changed[k] is data[k] for k in changed) else {**data, **changed}
    items = schema.get("items")
    if isinstance(data, list) and isinstance(items, dict):
        rows = [normalized(items, row) for row in data]
        return data if all(a is b for a, b in zip(rows, data, strict=True)) else rows
    return data
