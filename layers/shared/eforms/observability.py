"""Powertools Logger, Tracer and Metrics, configured once for every function.

Logs must never carry personal data (GDPR; logs are read by ops and kept for months). The first
defence is not logging it; the second is this module's formatter, which masks anything that looks like
a personnummer or an email address and blanks values under keys that name people, wherever they
appear in a log record — including in exception text.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.logging import Logger
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from aws_lambda_powertools.metrics import Metrics

if TYPE_CHECKING:
    from aws_lambda_powertools.tracing import Tracer

SERVICE = "eforms"
_PERSONNUMMER = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)")
_EMAIL = re.compile(r"[^@\s\"'<>]+@[^@\s\"'<>]+\.[A-Za-z]{2,}")
_PERSONAL_KEYS = frozenset(
    {
        "name",
        "email",
        "personnummer",
        "applicantname",
        "subjectname",
        "actorname",
        "authorization",
        "data",
        "body",
    }
)
MASK = "***"
# Keys Powertools itself fills in: ids and names of the function, never of a person ("name" is the
# logger's). Left alone so a request id that happens to look like a number is not masked.
_STANDARD_KEYS = frozenset(
    {
        "level",
        "location",
        "service",
        "timestamp",
        "name",
        "cold_start",
        "correlation_id",
        "xray_trace_id",
        "function_name",
        "function_arn",
        "function_request_id",
        "function_memory_size",
        "sampling_rate",
    }
)


def redact(value: Any, key: str = "") -> Any:
    """A copy of ``value`` with personal data masked (see module docstring)."""
    if key.lower() in _PERSONAL_KEYS and value not in (None, "", [], {}):
        return MASK
    if isinstance(value, str):
        return _EMAIL.sub("[email]", _PERSONNUMMER.sub("[personnummer]", value))
    if isinstance(value, dict):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    # Anything else (an exception object in a stack trace, a date, ...) is logged by its text: mask that.
    return redact(str(value))


class RedactingFormatter(LambdaPowertoolsFormatter):
    """Powertools' JSON formatter with :func:`redact` applied to the whole record before serialising."""

    def serialize(self, log: dict[str, Any] | Any) -> str:
        if isinstance(log, dict):
            log = {k: (v if k in _STANDARD_KEYS else redact(v, k)) for k, v in log.items()}
        return super().serialize(log)


logger = Logger(service=SERVICE, logger_formatter=RedactingFormatter())
metrics = Metrics(service=SERVICE, namespace="EForms")


@cache
def tracer() -> Tracer:
    """The X-Ray tracer, for functions that call AWS services (their boto3 calls become subsegments).

    Built on demand because constructing a Powertools Tracer imports the X-Ray SDK and botocore even
    when tracing is off: ~300 ms that a function making no AWS calls (the form catalogue) must not pay.
    Only botocore is patched; the default patches every library the SDK knows.
    """
    from aws_lambda_powertools.tracing import Tracer

    return Tracer(service=SERVICE, patch_modules=["botocore"])
