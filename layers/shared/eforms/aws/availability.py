"""Whether an AWS call failed "for now" — throttled, unreachable, a 5xx, sending paused — rather than "no".

The API answers such a failure 503 with Retry-After (nothing half-written); the workflow's functions raise
:class:`Transient` for it, which the state machine retries over minutes, not milliseconds
(docs/resilience.md). No botocore import: this runs in every function's cold start.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Error codes with which AWS says "not now" (throttled, or the service is failing) rather than "no".
_NOT_NOW = {
    "ThrottlingException",
    "Throttling",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "SlowDown",
    "ServiceUnavailable",
    "InternalServerError",
    "InternalFailure",
    "TransactionCanceledException",  # only reaches here when DynamoDB cancelled it for throttling
    "SendingPausedException",  # SES sending paused (by ops or the account's reputation): resumes later
}
#: botocore's connection-level errors, by name (importing botocore here would cost every cold start).
_UNREACHABLE = {"EndpointConnectionError", "ConnectTimeoutError", "ReadTimeoutError", "ConnectionClosedError"}


def aws_code(error: Exception) -> str:
    response = getattr(error, "response", None)
    return str((response or {}).get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""


def aws_unavailable(error: Exception) -> bool:
    """Whether ``error`` is an AWS call that failed for now (throttled, unreachable, a 5xx)."""
    if type(error).__name__ in _UNREACHABLE:
        return True
    response = getattr(error, "response", None)
    is_client_error = any(cls.__name__ == "ClientError" for cls in type(error).__mro__)  # modeled errors subclass it
    if not is_client_error or not isinstance(response, dict):
        return False
    status = int(response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    return aws_code(error) in _NOT_NOW or status >= 500


class Transient(Exception):
    """An AWS dependency failed for now. Raised by the workflow's functions under this name, which the state
    machine's Retry matches: the step is tried again over about 25 minutes before the case is marked stalled."""


def as_transient(error: Exception) -> Transient | None:
    """``Transient`` (naming the AWS error code) when ``error`` is a failure for now; None otherwise."""
    if not aws_unavailable(error):
        return None
    return Transient(aws_code(error) or type(error).__name__)


@contextmanager
def transient_failures(logger: Any, message: str, **ids: str) -> Iterator[None]:
    """Inside, an AWS failure for now leaves as :class:`Transient` (logged at WARNING with ``ids`` and the AWS
    code), which the state machine retries over minutes; any other error leaves as it is."""
    try:
        yield
    except Exception as error:
        transient = as_transient(error)
        if transient is None:
            raise
        logger.warning(message, extra={**ids, "error": str(transient)})
        raise transient from error
