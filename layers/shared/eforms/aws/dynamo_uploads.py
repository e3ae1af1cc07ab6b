"""Upload records in the cases table: ``UPLOAD#<uploadId>`` / ``UPLOAD``, gone after a day (TTL) unless a
submission used them up first (deleted in the transaction that stores the case)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from eforms.aws.clients import client
from eforms.core.common.clock import iso, parse_iso
from eforms.core.common.errors import Conflict
from eforms.core.intake.uploads import Upload

UPLOAD_SK = "UPLOAD"


def upload_key(upload_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"UPLOAD#{upload_id}"}, "sk": {"S": UPLOAD_SK}}


def _item(upload: Upload) -> dict[str, Any]:
    item: dict[str, Any] = {
        **upload_key(upload.upload_id),
        "uploadId": {"S": upload.upload_id},
        "ownerId": {"S": upload.owner_id},
        "formId": {"S": upload.form_id},
        "formVersion": {"N": str(upload.form_version)},
        "kind": {"S": upload.kind},
        "name": {"S": upload.name},
        "contentType": {"S": upload.content_type},
        "declaredSize": {"N": str(upload.declared_size)},
        "state": {"S": upload.state},
        "createdAt": {"S": iso(upload.created_at)},
        "expiresAt": {"N": str(int(upload.expires_at.timestamp()))},
    }
    if upload.size is not None:
        item["size"] = {"N": str(upload.size)}
    if upload.sha256:
        item["sha256"] = {"S": upload.sha256}
    if upload.reason:
        item["reason"] = {"S": upload.reason}
    return item


def _upload(item: dict[str, Any]) -> Upload:
    return Upload(
        upload_id=item["uploadId"]["S"],
        owner_id=item["ownerId"]["S"],
        form_id=item["formId"]["S"],
        form_version=int(item["formVersion"]["N"]),
        kind=item["kind"]["S"],
        name=item["name"]["S"],
        content_type=item["contentType"]["S"],
        declared_size=int(item["declaredSize"]["N"]),
        state=item["state"]["S"],
        created_at=parse_iso(item["createdAt"]["S"]),
        expires_at=datetime.fromtimestamp(int(item["expiresAt"]["N"]), UTC),
        size=int(item["size"]["N"]) if "size" in item else None,
        sha256=item.get("sha256", {}).get("S"),
        reason=item.get("reason", {}).get("S"),
    )


class DynamoUploadStore:
    def __init__(self, table: str) -> None:
        self.table = table

    def put(self, upload: Upload) -> None:
        client("dynamodb").put_item(
            TableName=self.table, Item=_item(upload), ConditionExpression="attribute_not_exists(pk)"
        )

    def get(self, upload_id: str) -> Upload | None:
        found = client("dynamodb").get_item(TableName=self.table, Key=upload_key(upload_id), ConsistentRead=True)
        return _upload(found["Item"]) if "Item" in found else None

    def update(self, upload: Upload, *, expected_state: str) -> None:
        dynamodb = client("dynamodb")
        try:
            dynamodb.put_item(
                TableName=self.table,
                Item=_item(upload),
                ConditionExpression="#state = :expected",
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={":expected": {"S": expected_state}},
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            raise Conflict("upload_changed") from None
