"""``python3 dev resume-case CASE_ID``: start a stalled case's workflow again (the ``ApprovalExecutionsFailed``
alarm, a ``workflow_stalled`` entry in the case's history).

A step that failed past its retries (an outage longer than about 25 minutes) is put on the case's record
and ends its execution (docs/resilience.md §3); the case itself stays as it was. After fixing the cause this
starts a new execution for the case, named ``<caseId>-r<n>``; its first step reads the case and goes on from
its status — asks for the waiting decision again with a fresh link, makes the PDF, hands it to payroll.
Every step is idempotent, so resuming a case that is not stuck changes nothing but a new link.

Works against the running local stack by default and against AWS with ``--state-machine`` (the stack's
``ApprovalStateMachineArn`` output; credentials from the usual AWS environment).
"""

from __future__ import annotations

import argparse
import json
import sys

from devstack.stack import local_stack_refs


def resume(case_id: str, *, state_machine: str) -> str:
    """Start the case's workflow again; returns the new execution's ARN. Refuses while one still runs."""
    import boto3

    sfn = boto3.client("stepfunctions")
    execution_prefix = state_machine.replace(":stateMachine:", ":execution:", 1)
    for attempt in range(1000):
        name = case_id if attempt == 0 else f"{case_id}-r{attempt}"
        try:
            status = sfn.describe_execution(executionArn=f"{execution_prefix}:{name}")["status"]
        except sfn.exceptions.ExecutionDoesNotExist:
            break
        if status == "RUNNING":
            raise SystemExit(f"{case_id}: execution {name} is still running; nothing to resume")
    started = sfn.start_execution(stateMachineArn=state_machine, name=name, input=json.dumps({"caseId": case_id}))
    return str(started["executionArn"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dev resume-case", description=__doc__.split("\n\n")[0])
    parser.add_argument("case_id")
    parser.add_argument("--state-machine", help="the approval state machine's ARN (default: the local stack's)")
    args = parser.parse_args(argv)
    refs = local_stack_refs() if not args.state_machine else {}
    if refs is None:
        parser.error("no local stack is running: start `python3 dev run`, or pass --state-machine")
    arn = resume(args.case_id, state_machine=args.state_machine or refs["ApprovalStateMachine"])
    print(f"resumed {args.case_id}: {arn}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
