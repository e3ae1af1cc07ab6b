"""Loading tests/forms/<formId>.json with its ``$today±N`` dates filled in."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[1] / "forms"
_TODAY = re.compile(r"^\$today(?:([+-])(\d+))?$")


def _fill(node: Any, today: date) -> Any:
    if isinstance(node, dict):
        return {k: _fill(v, today) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill(v, today) for v in node]
    if isinstance(node, str) and (match := _TODAY.match(node)):
        days = int(match.group(2) or 0) * (-1 if match.group(1) == "-" else 1)
        return (today + timedelta(days=days)).isoformat()
    return node


def examples(form_id: str, today: date) -> dict[str, Any]:
    loaded = _fill(json.loads((EXAMPLES / f"{form_id}.json").read_text(encoding="utf-8")), today)
    assert isinstance(loaded, dict)
    return loaded
