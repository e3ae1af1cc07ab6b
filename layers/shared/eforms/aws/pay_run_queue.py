"""The queue a pay run's batch is cut from: the routes ask, ``PayRunFilesFunction`` does it (docs/records.md §5).
Implements :class:`eforms.core.payroll.pay_runs.PayRunQueue`."""

from __future__ import annotations

import json

from eforms.aws.clients import client


class SqsPayRunQueue:
    def __init__(self, url: str) -> None:
        self.url = url

    def send(self, organisation: str, period: str) -> None:
        body = json.dumps({"organisation": organisation, "payPeriod": period}, separators=(",", ":"))
        client("sqs").send_message(QueueUrl=self.url, MessageBody=body)
