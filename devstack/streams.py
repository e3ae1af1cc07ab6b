"""Delivering a DynamoDB table's stream to the function that reads it, as Lambda's event source mapping does.

moto keeps the stream (every committed write, in order; a cancelled transaction leaves nothing); it does not
run the reader. :class:`StreamPoller` does, for each ``DynamoDB`` event in ``template.yaml``: it reads the
shards from where it stopped, invokes the function with the records Lambda would send, and honours the
answer as Lambda does with ``ReportBatchItemFailures`` — the first failed record and everything after it are
read again on the next poll. A record that keeps failing for ``MaximumRetryAttempts`` polls goes to the
mapping's on-failure destination (an SQS queue) as Lambda's failure record, and the poller moves past it.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

from devstack.lambdas import invoke
from devstack.queues import queue_url
from devstack.resources import REGION
from devstack.template import FunctionSpec, Template, resolve


@dataclass(frozen=True)
class StreamSource:
    function: FunctionSpec
    stream_arn: str
    batch_size: int
    max_attempts: int
    dead_letter_url: str | None


def sources(template: Template, refs: dict[str, str]) -> list[StreamSource]:
    found = []
    for logical_id, resource in template.of_type("AWS::Serverless::Function").items():
        for event in resource["Properties"].get("Events", {}).values():
            if event["Type"] != "DynamoDB":
                continue
            props = event["Properties"]
            destination = props.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
            dead_letter = queue_url(str(resolve(destination, refs)), refs) if destination is not None else None
            found.append(
                StreamSource(
                    function=template.function(logical_id),
                    stream_arn=str(resolve(props["Stream"], refs)),
                    batch_size=int(props.get("BatchSize", 100)),
                    max_attempts=int(props.get("MaximumRetryAttempts", 3)) + 1,
                    dead_letter_url=dead_letter,
                )
            )
    return found


def client() -> Any:
    """A DynamoDB Streams client that talks to the regional endpoint (moto serves no account endpoints)."""
    import boto3
    from botocore.config import Config

    return boto3.client("dynamodbstreams", config=Config(account_id_endpoint_mode="disabled"))


def _lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    change = dict(record["dynamodb"])
    if "ApproximateCreationDateTime" in change:
        change["ApproximateCreationDateTime"] = change["ApproximateCreationDateTime"].timestamp()
    return {
        "eventID": record["eventID"],
        "eventName": record["eventName"],
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": REGION,
        "dynamodb": change,
        "eventSourceARN": stream_arn,
    }


@dataclass
class StreamPoller:
    """One event source mapping per stream: where each shard was left, and how often its head has failed."""

    stream_sources: list[StreamSource]
    _position: dict[str, str] = field(default_factory=dict)  # shard → sequence number to read from
    _failures: dict[str, int] = field(default_factory=dict)  # sequence number → failed attempts
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def poll(self, streams: Any, sqs: Any) -> int:
        """Deliver every record now in the streams; returns how many were relayed successfully."""
        delivered = 0
        with self._lock:
            for source in self.stream_sources:
                shards = streams.describe_stream(StreamArn=source.stream_arn)["StreamDescription"]["Shards"]
                for shard in shards:
                    delivered += self._shard(streams, sqs, source, shard["ShardId"])
        return delivered

    def _iterator(self, streams: Any, source: StreamSource, shard_id: str) -> str:
        start = self._position.get(shard_id)
        kwargs: dict[str, Any] = {"StreamArn": source.stream_arn, "ShardId": shard_id}
        if start is None:
            kwargs["ShardIteratorType"] = "TRIM_HORIZON"
        else:
            kwargs.update(ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=start)
        return str(streams.get_shard_iterator(**kwargs)["ShardIterator"])

    def _shard(self, streams: Any, sqs: Any, source: StreamSource, shard_id: str) -> int:
        delivered = 0
        while True:
            # One batch at a time (Limit): reading the whole rest of the shard on every batch made each poll
            # cost as much as the stream was long.
            response = streams.get_records(
                ShardIterator=self._iterator(streams, source, shard_id), Limit=source.batch_size
            )
            batch = [r for r in response.get("Records", []) if self._after_position(shard_id, r)]
            if not batch:
                return delivered
            try:
                result = invoke(source.function, {"Records": [_lambda_record(r, source.stream_arn) for r in batch]})
                failed = [f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])]
            except Exception:  # a function error fails the whole batch, as on AWS
                failed = [batch[0]["dynamodb"]["SequenceNumber"]]
            if not failed:
                self._advance(shard_id, batch[-1])
                delivered += len(batch)
                continue
            head = min(failed, key=int)
            delivered += sum(1 for r in batch if int(r["dynamodb"]["SequenceNumber"]) < int(head))
            self._position[shard_id] = head
            self._failures[head] = self._failures.get(head, 0) + 1
            if self._failures[head] < source.max_attempts:
                return delivered  # tried again on the next poll, from this record on
            self._dead_letter(sqs, source, shard_id, next(r for r in batch if r["dynamodb"]["SequenceNumber"] == head))

    def handled(self) -> dict[str, int]:
        """Table name → the first sequence number not yet delivered (what :func:`moto_state.trim` may drop
        before). A table whose stream has not been read yet is left out: nothing of it is known delivered."""
        with self._lock:
            positions = dict(self._position)
        found: dict[str, int] = {}
        for source in self.stream_sources:
            table = source.stream_arn.split(":table/", 1)[-1].split("/stream/", 1)[0]
            if positions:
                found[table] = min(int(p) for p in positions.values())
        return found

    def _after_position(self, shard_id: str, record: dict[str, Any]) -> bool:
        start = self._position.get(shard_id)
        return start is None or int(record["dynamodb"]["SequenceNumber"]) >= int(start)

    def _advance(self, shard_id: str, last: dict[str, Any]) -> None:
        self._position[shard_id] = str(int(last["dynamodb"]["SequenceNumber"]) + 1)

    def _dead_letter(self, sqs: Any, source: StreamSource, shard_id: str, record: dict[str, Any]) -> None:
        """Lambda's on-failure record: where the record was, not the record (the stream keeps that a day)."""
        sequence = record["dynamodb"]["SequenceNumber"]
        if source.dead_letter_url is not None:
            failure = {
                "requestContext": {"condition": "RetryAttemptsExhausted", "functionArn": source.function.logical_id},
                "DDBStreamBatchInfo": {
                    "shardId": shard_id,
                    "startSequenceNumber": sequence,
                    "endSequenceNumber": sequence,
                    "batchSize": 1,
                    "streamArn": source.stream_arn,
                },
            }
            sqs.send_message(QueueUrl=source.dead_letter_url, MessageBody=json.dumps(failure))
        self._failures.pop(sequence, None)
        self._advance(shard_id, record)
