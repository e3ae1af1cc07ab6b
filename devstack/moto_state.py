"""moto's in-memory state, read and put back directly: faster than through its API, for what no API offers.

The test harness keeps one emulated world for a whole session and, between tests, puts it back to the state it
was built in (:func:`clear`): emptying a table through the API would cost a scan and a delete per item, and
nothing in AWS's API clears SES's record of sent mail. Everything here touches only state that moto keeps in
plain Python objects, in the account and region the local stack and the tests use.
"""

from __future__ import annotations

import copy
from typing import Any

from devstack.resources import ACCOUNT, REGION

PARTITION = "aws"  # S3 keeps its buckets per partition, not per region


def _table(name: str) -> Any:
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends[ACCOUNT][REGION].tables[name]


def table_items(name: str) -> Any:
    """A copy of everything a table holds, for :func:`clear` to put back (``keep``)."""
    return copy.deepcopy(_table(name).items)


def clear(keep: dict[str, Any]) -> None:
    """Every table emptied (or given back ``keep[table name]``), with its stream; every queue, bucket and
    execution emptied; SES's sent mail forgotten. Resources and their settings stay as they are."""
    from moto.dynamodb.models import dynamodb_backends
    from moto.s3.models import FakeKey, s3_backends
    from moto.ses.models import ses_backends
    from moto.sqs.models import sqs_backends
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends

    for name, table in dynamodb_backends[ACCOUNT][REGION].tables.items():
        if name in keep:
            table.items = copy.deepcopy(keep[name])
        else:
            table.items.clear()
        if table.stream_shard is not None:
            table.stream_shard.items = []
    for queue in sqs_backends[ACCOUNT][REGION].queues.values():
        with queue._messages_lock:
            queue._messages = []
    for bucket in s3_backends[ACCOUNT][PARTITION].buckets.values():
        for key in list(bucket.keys.values()):
            if isinstance(key, FakeKey):
                key.dispose()
        bucket.keys.clear()
    ses = ses_backends[ACCOUNT][REGION]
    ses.sent_messages.clear()
    ses.sent_message_count = 0
    for machine in stepfunctions_parser_backends[ACCOUNT][REGION].state_machines:
        machine.executions.clear()


def pass_time_in_queues(seconds: float) -> None:
    """As if ``seconds`` had passed for SQS: messages received (or delayed) become visible as they then would."""
    from moto.sqs.models import sqs_backends

    shift = int(seconds * 1000)
    for queue in sqs_backends[ACCOUNT][REGION].queues.values():
        with queue._messages_lock:
            for message in queue._messages:
                message.visible_at -= shift
                message.delayed_until -= shift


# ---------------------------------------------------------------------------------------------------------------
# The local stack's memory: what the emulation keeps beside the data, bounded. AWS forgets these by itself (a
# stream keeps 24 hours, SES keeps no copy of what it sent); moto keeps every one for the life of the process,
# which made ``python3 dev run`` grow without end (bench/soak.py).

#: The newest emails the dev mailbox shows (GET /dev/mailbox); older ones are forgotten.
MAILBOX_KEEPS = 500
#: Finished workflow executions kept per state machine, newest first; running ones are always kept.
FINISHED_EXECUTIONS_KEPT = 200


def trim(stream_positions: dict[str, int]) -> dict[str, int]:
    """Forget what no one will read again; returns how much of each kind was dropped.

    ``stream_positions``: table name → the first sequence number its stream's reader has not yet handled; the
    records before it were delivered and are dropped (the shard's numbering goes on where it was).
    """
    from moto.dynamodb.models import dynamodb_backends
    from moto.ses.models import ses_backends
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends
    from moto.stepfunctions.parser.utils import TMP_THREADS

    dropped = {"emails": 0, "stream records": 0, "executions": 0, "threads": 0}
    ses = ses_backends[ACCOUNT][REGION]
    if len(ses.sent_messages) > MAILBOX_KEEPS:
        dropped["emails"] = len(ses.sent_messages) - MAILBOX_KEEPS
        del ses.sent_messages[: dropped["emails"]]
    tables = dynamodb_backends[ACCOUNT][REGION].tables
    for name, position in stream_positions.items():
        shard = tables[name].stream_shard if name in tables else None
        if shard is None:
            continue
        handled = max(0, min(position - shard.starting_sequence_number, len(shard.items)))
        del shard.items[:handled]
        shard.starting_sequence_number += handled
        dropped["stream records"] += handled
    for machine in stepfunctions_parser_backends[ACCOUNT][REGION].state_machines:
        finished = [e for e in machine.executions if e.status != "RUNNING"]
        for execution in sorted(finished, key=lambda e: e.start_date)[: -FINISHED_EXECUTIONS_KEPT or None]:
            machine.executions.remove(execution)
            dropped["executions"] += 1
    alive = [thread for thread in TMP_THREADS if thread.is_alive()]
    dropped["threads"] = len(TMP_THREADS) - len(alive)
    TMP_THREADS[:] = alive
    dropped["stream iterators"] = _forget_stream_iterators()
    dropped["model instances"] = forget_model_instances()
    return dropped


def _forget_stream_iterators() -> int:
    """moto keeps every shard iterator it handed out (AWS lets them expire after 15 minutes); the stack's stream
    reader asks for a new one on every poll, twice a second, on the thread that calls this."""
    from moto.dynamodbstreams.models import dynamodbstreams_backends

    iterators = dynamodbstreams_backends[ACCOUNT][REGION].shard_iterators
    count = len(iterators)
    iterators.clear()
    return count


def forget_model_instances() -> int:
    """moto appends every model object it ever creates to a list on its class (``instances_tracked``, for its
    dashboard): every DynamoDB item a query copied, every stream record, every SQS message — kept for the life of
    the process. Nothing of ours reads those lists; emptying them lets what nothing else holds be freed."""
    from moto.core.model_instances import model_data, reset_model_data

    models: list[Any] = [model for by_name in model_data.values() for model in by_name.values()]
    count = sum(len(model.instances_tracked) for model in models)
    reset_model_data()
    return count
