"""``python3 dev replay-outbox``: relay again what the outbox relay gave up on (the ``OutboxDeadLettered`` alarm).

Each message in the outbox dead-letter queue is Lambda's failure record: the stream, shard and sequence
numbers of records the relay could not relay for six hours. After fixing the cause, this reads those
records from the stream (it keeps them 24 hours) and relays each exactly as the function does — except that
a record whose case the relay *held* (its later entries were parked so none went out ahead of it) releases
the whole case: its entries from the held one on are announced from the table, in order, each with its own
state, version and ``eventId``. A message is deleted once all its records went through; one whose records
still fail stays for the next run. Replaying is safe: consumers deduplicate on ``eventId`` and the notifier
on its send keys (docs/events.md, "At least once").

Past the stream's 24 hours the records are gone but the history is not: ``--case CASE_ID`` announces every
history entry of one case again from the table, in order, as each was stored.

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


def replay_dead_letters(
    queue_url: str, *, bus: str, state_machine: str, cases_table: str, idempotency_table: str
) -> tuple[int, int]:
    """Relay the records every dead-lettered failure names; (records relayed, messages left)."""
    import boto3

    from eforms.aws.case_store import DynamoCaseStore
    from eforms.aws.events import EventBridgeSink
    from eforms.aws.outbox import entry_of, relay_record
    from eforms.aws.outbox_holds import DynamoHolds
    from eforms.aws.workflow import StepFunctionsEngine
    from eforms.core.cases.outbox import replay_held

    sqs, stream_client = boto3.client("sqs"), streams.client()
    sink, engine = EventBridgeSink(bus), StepFunctionsEngine(state_machine)
    holds, cases = DynamoHolds(idempotency_table), DynamoCaseStore(cases_table)
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
                    stored = entry_of(record)
                    if stored is not None and holds.held_from(stored.case_id) == stored.sequence:
                        relayed += replay_held(stored.case_id, _reader(cases, stored.case_id), sink, engine, holds)
                        continue
                    relay_record(record, sink, engine, holds)
                    relayed += 1
            except Exception as error:  # still failing: kept for the next run, and said so
                print(f"still failing: {info['shardId']} {info['startSequenceNumber']} ({type(error).__name__})")
                left += 1
                continue
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        if left:
            return relayed, left


def _reader(cases: Any, case_id: str) -> Any:
    return lambda: cases.stored_entries(case_id)


def replay_case(
    case_id: str, *, cases_table: str, bus: str, idempotency_table: str | None = None, state_machine: str = ""
) -> int:
    """Announce every history entry of one case again, from the table, in order; a case the relay holds
    (past the stream's day, its dead letter unreadable) is released too, its workflow told. How many."""
    from eforms.aws.case_store import DynamoCaseStore
    from eforms.aws.events import EventBridgeSink

    store = DynamoCaseStore(cases_table)
    entries = store.stored_entries(case_id)
    if not entries:
        raise SystemExit(f"no case {case_id}")
    sink = EventBridgeSink(bus)
    if idempotency_table:
        from eforms.aws.outbox_holds import DynamoHolds
        from eforms.aws.workflow import StepFunctionsEngine
        from eforms.core.cases.outbox import replay_held

        holds = DynamoHolds(idempotency_table)
        held = holds.held_from(case_id)
        if held is not None:  # what went out before the held entry, then from it on, in order, released
            before = [stored.event() for stored in entries if (stored.sequence or 0) < held]
            sink.publish(before)
            engine = StepFunctionsEngine(state_machine)
            return len(before) + replay_held(case_id, _reader(store, case_id), sink, engine, holds)
    sink.publish([stored.event() for stored in entries])
    return len(entries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dev replay-outbox", description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", help="announce every history entry of this case again, from the table")
    parser.add_argument("--queue-url", help="the stack's OutboxDeadLetterQueue URL (default: the local stack's)")
    parser.add_argument("--bus", help="the CaseEventBus name")
    parser.add_argument("--state-machine", help="the approval state machine's ARN")
    parser.add_argument("--cases-table", help="the CasesTable name")
    parser.add_argument("--idempotency-table", help="the IdempotencyTable name (where the relay holds cases)")
    args = parser.parse_args(argv)
    refs = local_stack_refs() if not (args.queue_url or args.bus) else {}
    if refs is None:
        parser.error("no local stack is running: start `python3 dev run`, or pass the stack's names")
    bus = args.bus or refs["CaseEventBus"]
    if args.case:
        count = replay_case(
            args.case,
            cases_table=args.cases_table or refs["CasesTable"],
            bus=bus,
            idempotency_table=args.idempotency_table or refs["IdempotencyTable"],
            state_machine=args.state_machine or refs["ApprovalStateMachine"],
        )
        print(f"announced {count} history entries of {args.case} again")
        return 0
    state_machine = args.state_machine or refs["ApprovalStateMachine"]
    relayed, left = replay_dead_letters(
        args.queue_url or refs["OutboxDeadLetterQueue"],
        bus=bus,
        state_machine=state_machine,
        cases_table=args.cases_table or refs["CasesTable"],
        idempotency_table=args.idempotency_table or refs["IdempotencyTable"],
    )
    print(f"relayed {relayed} records; {left} failures left in the queue")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
