"""The workflow engine as the approval flow sees it: a step waiting on a callback token can be resumed."""

from __future__ import annotations

from typing import Any, Protocol


class Engine(Protocol):
    def complete(self, task_token: str, output: dict[str, Any]) -> bool:
        """Resume the workflow step waiting on ``task_token``; False if that step no longer waits."""
        ...
