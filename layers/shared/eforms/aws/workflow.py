"""The approval state machine, seen from the functions: start a case's execution, resume a waiting step."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from eforms.aws.availability import aws_code
from eforms.aws.clients import client
from eforms.core.approval.engine import WorkflowUnreachable
from eforms.observability import logger


class StepFunctionsEngine:
    def __init__(self, state_machine_arn: str) -> None:
        self.state_machine_arn = state_machine_arn

    def start(self, case_id: str) -> None:
        """Start the case's workflow. The execution is named after the case, so a retry never starts two."""
        sfn = client("stepfunctions")
        try:
            sfn.start_execution(
                stateMachineArn=self.state_machine_arn, name=case_id, input=json.dumps({"caseId": case_id})
            )
        except sfn.exceptions.ExecutionAlreadyExists:
            logger.info("workflow already started", extra={"caseId": case_id})

    def complete(self, task_token: str, output: dict[str, Any]) -> bool:
        sfn = client("stepfunctions")
        try:
            sfn.send_task_success(taskToken=task_token, output=json.dumps(output))
        except (sfn.exceptions.TaskTimedOut, sfn.exceptions.InvalidToken, sfn.exceptions.TaskDoesNotExist):
            logger.info("workflow step no longer waiting", extra={"outcome": output.get("outcome")})
            return False
        except (ClientError, BotoCoreError) as error:
            code = aws_code(error) or type(error).__name__
            logger.warning("workflow not told yet", extra={"outcome": output.get("outcome"), "error": code})
            raise WorkflowUnreachable(code) from error
        return True
