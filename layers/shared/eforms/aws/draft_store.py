"""Drafts in the cases table, in their owner's own partition: ``DRAFT#<ownerId>`` / ``<draftId>``.

Encrypted like the cases beside them (the table's key), gone at ``expiresAt`` (the table's TTL; reads
ignore one TTL has not yet removed), and deleted by the transaction that submits them as a case
(:func:`draft_delete`). A draft waiting for its reminder carries ``draftRemindOn`` (a Stockholm date): the
sparse ``DraftReminders`` index lists one day's, and sending the reminder removes the attribute.
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, date, datetime
from typing import Any

from eforms.aws.case_items import n_attr, s_attr
from eforms.aws.clients import client
from eforms.core.common.clock import iso, parse_iso
from eforms.core.common.errors import Conflict
from eforms.core.common.i18n import as_language
from eforms.core.intake.drafts import Draft

REMINDERS_INDEX = "DraftReminders"


def draft_key(owner_id: str, draft_id: str) -> dict[str, Any]:
    return {"pk": s_attr(f"DRAFT#{owner_id}"), "sk": s_attr(draft_id)}


def draft_delete(table: str, owner_id: str, draft_id: str, version: int) -> dict[str, Any]:
    """The transaction item that deletes a draft as it becomes a case: only the version the filer saw."""
    return {
        "Delete": {
            "TableName": table,
            "Key": draft_key(owner_id, draft_id),
            "ConditionExpression": "version = :version",
            "ExpressionAttributeValues": {":version": n_attr(version)},
        }
    }


def _item(draft: Draft) -> dict[str, Any]:
    item: dict[str, Any] = {
        **draft_key(draft.owner_id, draft.draft_id),
        "draftId": s_attr(draft.draft_id),
        "ownerId": s_attr(draft.owner_id),
        "formId": s_attr(draft.form_id),
        "formVersion": n_attr(draft.form_version),
        "data": s_attr(json.dumps(draft.data, ensure_ascii=False, separators=(",", ":"))),
        "createdAt": s_attr(iso(draft.created_at)),
        "updatedAt": s_attr(iso(draft.updated_at)),
        "expiresAt": n_attr(int(draft.expires_at.timestamp())),
        "version": n_attr(draft.version),
        "language": s_attr(draft.language),
    }
    texts = {
        "organisationId": draft.organisation_id,
        "title": draft.title,
        "contactEmail": draft.contact_email,
        "draftRemindOn": draft.remind_on.isoformat() if draft.remind_on else None,
    }
    item.update({name: s_attr(value) for name, value in texts.items() if value})
    return item


def _draft(item: dict[str, Any]) -> Draft:
    names = ("organisationId", "title", "contactEmail", "draftRemindOn")
    texts = {name: item[name]["S"] for name in names if name in item}
    return Draft(
        draft_id=item["draftId"]["S"],
        owner_id=item["ownerId"]["S"],
        organisation_id=texts.get("organisationId", ""),
        form_id=item["formId"]["S"],
        form_version=int(item["formVersion"]["N"]),
        data=json.loads(item["data"]["S"]) if "data" in item else {},
        created_at=parse_iso(item["createdAt"]["S"]),
        updated_at=parse_iso(item["updatedAt"]["S"]),
        expires_at=datetime.fromtimestamp(int(item["expiresAt"]["N"]), UTC),
        remind_on=date.fromisoformat(texts["draftRemindOn"]) if "draftRemindOn" in texts else None,
        version=int(item["version"]["N"]),
        title=texts.get("title"),
        contact_email=texts.get("contactEmail"),
        language=as_language(item.get("language", {}).get("S")),
    )


class DynamoDraftStore:
    """Implements :class:`eforms.core.intake.drafts.DraftStore` and the reminders' :class:`DueDrafts`."""

    def __init__(self, table: str) -> None:
        self.table = table

    def mine(self, owner_id: str) -> list[Draft]:
        pages = (
            client("dynamodb")
            .get_paginator("query")
            .paginate(
                TableName=self.table,
                KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues={":pk": s_attr(f"DRAFT#{owner_id}")},
                ConsistentRead=True,
            )
        )
        return [_draft(item) for page in pages for item in page.get("Items", [])]

    def get(self, owner_id: str, draft_id: str) -> Draft | None:
        found = client("dynamodb").get_item(
            TableName=self.table, Key=draft_key(owner_id, draft_id), ConsistentRead=True
        )
        return _draft(found["Item"]) if "Item" in found else None

    def put(self, draft: Draft, *, expected_version: int | None) -> None:
        condition: dict[str, Any] = (
            {"ConditionExpression": "attribute_not_exists(pk)"}
            if expected_version is None
            else {
                "ConditionExpression": "version = :expected",
                "ExpressionAttributeValues": {":expected": n_attr(expected_version)},
            }
        )
        dynamodb = client("dynamodb")
        try:
            dynamodb.put_item(TableName=self.table, Item=_item(draft), **condition)
        except dynamodb.exceptions.ConditionalCheckFailedException:
            raise Conflict("draft_changed") from None

    def delete(self, owner_id: str, draft_id: str, *, expected_version: int) -> None:
        dynamodb = client("dynamodb")
        try:
            dynamodb.transact_write_items(
                TransactItems=[draft_delete(self.table, owner_id, draft_id, expected_version)]
            )
        except dynamodb.exceptions.TransactionCanceledException:
            raise Conflict("draft_changed") from None

    def due(self, day: date) -> list[Draft]:
        """The drafts whose reminder falls on ``day`` and has not been sent (the sparse index's partition)."""
        pages = (
            client("dynamodb")
            .get_paginator("query")
            .paginate(
                TableName=self.table,
                IndexName=REMINDERS_INDEX,
                KeyConditionExpression="draftRemindOn = :day",
                ExpressionAttributeValues={":day": s_attr(day.isoformat())},
            )
        )
        return [_draft(item) for page in pages for item in page.get("Items", [])]

    def reminded(self, draft: Draft, at: datetime) -> None:
        """Take the draft off the reminders' index, unless it was saved again meanwhile (its new reminder stays)."""
        dynamodb = client("dynamodb")
        # Saved (or submitted, or deleted) since: nothing to take off.
        with contextlib.suppress(dynamodb.exceptions.ConditionalCheckFailedException):
            dynamodb.update_item(
                TableName=self.table,
                Key=draft_key(draft.owner_id, draft.draft_id),
                UpdateExpression="REMOVE draftRemindOn SET remindedAt = :at",
                ConditionExpression="version = :version",
                ExpressionAttributeValues={":at": s_attr(iso(at)), ":version": n_attr(draft.version)},
            )
