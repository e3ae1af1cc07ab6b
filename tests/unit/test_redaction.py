"""No personal data in logs: the formatter masks what slips through."""

from __future__ import annotations

import io
import json
import logging

from aws_lambda_powertools.logging import Logger

from eforms.observability import MASK, RedactingFormatter, redact


def test_redact_masks_personal_values_and_keys() -> None:
    record = {
        "message": "case for 19121212-1212 from anna.andersson@example.se (also 121212-1212 and 191212121212)",
        "caseId": "01JD5Z3QK4R8Y2M7T9V1W6X0AB",
        "name": "Anna Andersson",
        "details": {"subjectName": "Erik Öberg", "count": 3, "list": ["x@y.se"]},
    }
    safe = redact(record)
    text = json.dumps(safe, ensure_ascii=False)
    for leaked in ("1212", "anna.andersson", "Anna Andersson", "Erik", "x@y.se"):
        assert leaked not in text
    assert safe["caseId"] == record["caseId"]
    assert safe["name"] == MASK
    assert safe["details"]["count"] == 3


def test_the_service_logger_masks_what_a_careless_call_logs() -> None:
    stream = io.StringIO()
    logger = Logger(
        service="redaction-test", logger_formatter=RedactingFormatter(), logger_handler=logging.StreamHandler(stream)
    )
    logger.info("lookup for 19121212-1212", extra={"email": "maria.lind@example.se", "caseId": "01JD5Z"})
    try:
        raise ValueError("bad personnummer 19121212-1212")
    except ValueError:
        logger.exception("failed for erik.oberg@example.se")
    out = stream.getvalue()
    assert "19121212-1212" not in out
    assert "example.se" not in out
    assert "01JD5Z" in out
    assert "[personnummer]" in out
