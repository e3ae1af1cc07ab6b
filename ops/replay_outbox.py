"""``python3 dev replay-outbox``: relay again what the outbox relay gave up on (the ``OutboxDeadLettered`` alarm).

Each message in the outbox dead-letter queue is Lambda's failure record: the stream, shard and sequence
numbers of records the relay could not relay for six hours. After fixing the cause, this reads those
records from the stream (it keeps them 24 hours), relays each exactly as the function does, and deletes the
message once all its records went through; a message whose records still fail stays for the next run.
Replaying is safe: consumers ignore repeats (docs/events.md, "At least once").

Past the stream's 24 hours the records are gone but the history is not: ``--case CASE_ID`` announces every
history entry of one case again from the table (with the case's current state; the notifier's send keys
keep anyone from being emailed twice).

Works against the running local stack by default and against AWS with ``--queue-url``, ``--bus``,
``--state-machine`` and ``--cases-table`` (the stack's outputs; credentials from the usual AWS environment).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from devstack import streams
from devstack.stack import local_stack_refs


def _records(stream_client: Any, info: dict[str, Any]) -> list[dict[str, Any]]:
    """The failed batch's records, read back from the stream by their sequence numbers."""
    iterator = stream_client.get_shard_iterator(
        StreamArn=info["streamArn"],
        ShardId=info["shardId"],
        ShardIteratorType="AT_SEQUENCE_NUMBER",
        SequenceNumber=info["startSequenceNumber"],
    )["ShardIterator"]
    end = int(info["endSequenceNumber"])
    found: list[dict[str, Any]] = []
    while iterator:
        response = stream_client.get_records(ShardIterator=iterator)
        batch = response.get("Records", [])
        found += [r for r in batch if int(r["dynamodb"]["SequenceNumber"]) <= end]
        if not batch or int(batch[-1]["dynamodb"]["SequenceNumber"]) >= end:
            break
        iterator = response.get("NextShardIterator")
    return found


def replay_dead_letters(queue_url: str, *, bus: str, state_machine: str) -> tuple[int, int]:
    """Relay the records every dead-lettered failure names; (records relayed, messages left)."""
    import boto3

    from eforms.aws.events import EventBridgeSink
    from eforms.aws.outbox import relay_record
    from eforms.aws.workflow import StepFunctionsEngine

    sqs, stream_client = boto3.client("sqs"), streams.client()
    sink, engine = EventBridgeSink(bus), StepFunctionsEngine(state_machine)
    relayed, left = 0, 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=60).get(
            "Messages", []
        )
        if not messages:
            return relayed, left
        for message in messages:
            info = json.loads(message["Body"])["DDBStreamBatchInfo"]
            try:
                for record in _records(stream_client, info):
                    relay_record(record, sink, engine)
                    relayed += 1
            except Exception as error:  # still failing: kept for the next run, and said so
                print(f"still failing: {info['shardId']} {info['startSequenceNumber']} ({type(error).__name__})")
                left += 1
                continue
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        if left:
            return relayed, left


def replay_case(case_id: str, *, cases_table: str, bus: str) -> int:
    """Announce every history entry of one case again, from the table. Returns how many."""
    from eforms.aws.dynamo_cases import DynamoCaseStore
    from eforms.aws.events import EventBridgeSink
    from eforms.core.cases.events import from_history

    case = DynamoCaseStore(cases_table).get(case_id)
    if case is None:
        raise SystemExit(f"no case {case_id}")
    events = [from_history(case, entry) for entry in case.history]
    EventBridgeSink(bus).publish(events)
    return len(events)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dev replay-outbox", description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", help="announce every history entry of this case again, from the table")
    parser.add_argument("--queue-url", help="the stack's OutboxDeadLetterQueue URL (default: the local stack's)")
    parser.add_argument("--bus", help="the CaseEventBus name")
    parser.add_argument("--state-machine", help="the approval state machine's ARN")
    parser.add_argument("--cases-table", help="the CasesTable name")
    args = parser.parse_args(argv)
    refs = local_stack_refs() if not (args.queue_url or args.bus) else {}
    if refs is None:
        parser.error("no local stack is running: start `python3 dev run`, or pass the stack's names")
    bus = args.bus or refs["CaseEventBus"]
    if args.case:
        count = replay_case(args.case, cases_table=args.cases_table or refs["CasesTable"], bus=bus)
        print(f"announced {count} history entries of {args.case} again")
        return 0
    state_machine = args.state_machine or refs["ApprovalStateMachine"]
    relayed, left = replay_dead_letters(
        args.queue_url or refs["OutboxDeadLetterQueue"], bus=bus, state_machine=state_machine
    )
    print(f"relayed {relayed} records; {left} failures left in the queue")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
