"""The workflow engine as the approval flow sees it: a step waiting on a callback token can be resumed."""

from __future__ import annotations

from typing import Any, Protocol


class Engine(Protocol):
    def complete(self, task_token: str, output: dict[str, Any]) -> bool:
        """Resume the workflow step waiting on ``task_token``; False if that step no longer waits."""
        ...


class WorkflowUnreachable(Exception):
    """The workflow could not be told now (Step Functions throttled or down). Raised by the engine adapter."""


def tell(engine: Engine, task_token: str, output: dict[str, Any]) -> None:
    """Resume the step waiting on ``task_token`` now if possible, for a person's request that has already
    stored its decision. If the workflow cannot be told, the request still succeeds: the stored history entry
    carries the token, and the outbox relay tells the workflow from it shortly (docs/resilience.md §2)."""
    try:
        engine.complete(task_token, output)
    except WorkflowUnreachable:
        return
