"""A broken form rule, before it has a place in the request: what ``rules`` and its keywords report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """``code`` at ``path`` (relative to the value the rule was declared on), with the message's ``params``."""

    code: str
    path: tuple[str | int, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)
