"""The org directory in DynamoDB: one item per employee, keyed by employeeId — and, for the search by name,
one small item per word of each name (``name-word#<word>#<employeeId>``), indexed by the word's first
letters (``ByNameWord``): a search reads one index page and the rows it names, never the table."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from eforms.aws.clients import client
from eforms.core.identity.directory import MIN_SEARCH, Employee, matches, name_words
from eforms.core.organisations import people

#: A name search for some organisations reads the word index until this many of their people are found, or
#: this many reads (each of at most 600 small items: the keys and the person id) have been made.
_WORD_ENOUGH = 100
_WORD_ROUNDS = 5
#: One person in several customers' directories (two municipalities' payrolls) is several rows.
_ORGANISATIONS_A_PERSON_WORKS_FOR = 25

_WORD_PREFIX = "name-word#"

_DATE_FIELDS = ("substitute_from", "substitute_to", "valid_from", "valid_to")
_ATTRS = {
    "employee_id": "employeeId",
    "name": "name",
    "email": "email",
    "manager_id": "managerId",
    "substitute_id": "substituteId",
    "substitute_from": "substituteFrom",
    "substitute_to": "substituteTo",
    "valid_from": "validFrom",
    "valid_to": "validTo",
    "language": "language",
    "team": "team",  # sparse key of the ByTeam index
    "personnummer_hash": "personnummerHash",  # sparse key of the ByPersonnummer index
    "unit": "unit",
}


def to_item(employee: Employee) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for field, attr in _ATTRS.items():
        value = getattr(employee, field)
        if value is not None and value != "":
            item[attr] = {"S": value.isoformat() if isinstance(value, date) else str(value)}
    return item


def from_item(item: dict[str, Any]) -> Employee:
    values: dict[str, Any] = {}
    for field, attr in _ATTRS.items():
        if attr in item:
            raw = item[attr]["S"]
            values[field] = date.fromisoformat(raw) if field in _DATE_FIELDS else raw
    return Employee(**values)


class DynamoDirectory:
    """Implements :class:`eforms.core.identity.directory.Directory`, with a per-instance read cache.

    The cache lives for one request (handlers build a new instance per request): a reporting line read
    twice while deciding access costs one read, but a change in the directory shows on the next request.
    """

    def __init__(self, table: str) -> None:
        self.table = table
        self._cache: dict[str, Employee | None] = {}

    def get(self, employee_id: str) -> Employee | None:
        if employee_id.startswith(_WORD_PREFIX):
            return None  # a name's search item is nobody, whatever id a request names
        if employee_id not in self._cache:
            response = client("dynamodb").get_item(TableName=self.table, Key={"employeeId": {"S": employee_id}})
            item = response.get("Item")
            self._cache[employee_id] = from_item(item) if item else None
        return self._cache[employee_id]

    def team(self, team: str) -> list[Employee]:
        """One Query on the sparse ByTeam index (a team is tens of people: one page)."""
        response = client("dynamodb").query(
            TableName=self.table,
            IndexName="ByTeam",
            KeyConditionExpression="team = :t",
            ExpressionAttributeValues={":t": {"S": team}},
        )
        return [from_item(item) for item in response.get("Items", [])]

    def by_personnummer(self, digest: str, namespaces: frozenset[str] | None = None) -> Employee | None:
        """One Query on the sparse, keys-only ByPersonnummer index, then the row itself."""
        person = self.person_with(digest, namespaces)
        return self.get(person) if person else None

    def person_with(self, digest: str, namespaces: frozenset[str] | None = None) -> str | None:
        response = client("dynamodb").query(
            TableName=self.table,
            IndexName="ByPersonnummer",
            KeyConditionExpression="personnummerHash = :h",
            ExpressionAttributeValues={":h": {"S": digest}},
            Limit=_ORGANISATIONS_A_PERSON_WORKS_FOR,
        )
        found = sorted(str(item["employeeId"]["S"]) for item in response.get("Items", []))
        wanted = [p for p in found if namespaces is None or people.organisation_of(p) in namespaces]
        return wanted[0] if wanted else None

    def search(self, text: str, *, limit: int, organisations: frozenset[str] | None = None) -> list[Employee]:
        """One Query of the ByNameWord index for the longest word typed, then the rows it names (one
        BatchGetItem): a renamed person's old words find their current row, which must still match. With
        ``organisations``, the index is read for their people only (``""``: the default organisation's, whose
        ids carry none), so a name common in other organisations never crowds them out."""
        words = name_words(text)
        if not words or max(len(w) for w in words) < MIN_SEARCH:
            return []
        # A whole name typed in its order finds its own item (the most selective read); else the longest word.
        sought = " ".join(words) if len(words) > 1 else words[0]
        items = self._words(sought, organisations)
        if not items and len(words) > 1:
            items = self._words(max(words, key=len), organisations)
        ids = [
            person
            for person in dict.fromkeys(item["personId"]["S"] for item in items)
            if organisations is None or people.organisation_of(person) in organisations
        ][:100]
        rows = self._rows(ids)
        found = [row for row in rows if matches(row, words)]
        return sorted(found, key=lambda e: (e.name, e.employee_id))[:limit]

    def _words(self, start: str, organisations: frozenset[str] | None) -> list[dict[str, Any]]:
        values: dict[str, Any] = {":start": {"S": start[:MIN_SEARCH]}, ":word": {"S": start}}
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": "ByNameWord",
            "KeyConditionExpression": "wordStart = :start AND begins_with(word, :word)",
            "Limit": 600,
        }
        if organisations is not None:
            # Whose people: each organisation's id prefix, or (the default one) an id without the separator.
            named = sorted(o for o in organisations if o)
            clauses = [f"begins_with(personId, :o{n})" for n in range(len(named))]
            values.update({f":o{n}": {"S": f"{o}{people.SEPARATOR}"} for n, o in enumerate(named)})
            if "" in organisations:
                clauses.append("NOT contains(personId, :separator)")
                values[":separator"] = {"S": people.SEPARATOR}
            kwargs["FilterExpression"] = " OR ".join(clauses) if clauses else "attribute_not_exists(personId)"
        items: list[dict[str, Any]] = []
        for _ in range(_WORD_ROUNDS):  # filtered: a common word's items of other organisations come first
            response = client("dynamodb").query(**kwargs, ExpressionAttributeValues=values)
            items += response.get("Items", [])
            if len(items) >= _WORD_ENOUGH or "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        return items

    def reports(self, manager_id: str) -> list[Employee]:
        """Whom ``manager_id`` manages directly (one Query of ByManager: a team is tens of people)."""
        response = client("dynamodb").query(
            TableName=self.table,
            IndexName="ByManager",
            KeyConditionExpression="managerId = :m",
            ExpressionAttributeValues={":m": {"S": manager_id}},
        )
        return self._rows([item["employeeId"]["S"] for item in response.get("Items", [])][:100])

    def _rows(self, ids: list[str]) -> list[Employee]:
        if not ids:
            return []
        request: dict[str, Any] = {self.table: {"Keys": [{"employeeId": {"S": i}} for i in ids]}}
        rows: list[Employee] = []
        for _ in range(8):
            reply = client("dynamodb").batch_get_item(RequestItems=request)
            rows += [from_item(item) for item in reply.get("Responses", {}).get(self.table, [])]
            request = reply.get("UnprocessedKeys") or {}
            if not request:
                break
        for row in rows:
            self._cache[row.employee_id] = row
        return rows

    def put_all(self, employees: Iterable[Employee]) -> int:
        """Upsert rows — and the words of their names, for the search — in batches of 25 (the BatchWriteItem
        limit), retrying unprocessed items. Returns how many employees."""
        people = list(employees)
        rows = [to_item(e) for e in people] + [word for e in people for word in _word_items(e)]
        dynamodb = client("dynamodb")
        for start in range(0, len(rows), 25):
            requests = [{"PutRequest": {"Item": row}} for row in rows[start : start + 25]]
            pending: dict[str, Any] = {self.table: requests}
            for _ in range(8):
                pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
                if not pending:
                    break
            if pending:
                raise RuntimeError("DynamoDB kept throttling the directory import; run it again")
        return len(people)

    def delete_missing(self, keep: set[str], organisation: str = "") -> int:
        """Remove one organisation's employees absent from its full export, with their names' search items
        (``""``: the default organisation's, whose ids are bare); how many people. Admin path only: it scans."""
        dynamodb = client("dynamodb")
        removed = 0
        paginator = dynamodb.get_paginator("scan")
        for page in paginator.paginate(TableName=self.table, ProjectionExpression="employeeId, personId"):
            for item in page.get("Items", []):
                employee_id = item["employeeId"]["S"]
                person = item.get("personId", {}).get("S", employee_id)  # a name's word: its person's
                if people.organisation_of(person) == organisation and person not in keep:
                    dynamodb.delete_item(TableName=self.table, Key={"employeeId": {"S": employee_id}})
                    removed += employee_id == person  # people, not their names' search items
        return removed


def _word_items(employee: Employee) -> list[dict[str, Any]]:
    """The search items of one person's name: one per word long enough to be searched, and the whole name
    (its words in order), which a full name typed finds without reading everyone who shares a word of it."""
    words = name_words(employee.name)
    whole = [" ".join(words)] if len(words) > 1 else []
    return [
        {
            "employeeId": {"S": f"{_WORD_PREFIX}{word}#{employee.employee_id}"},
            "personId": {"S": employee.employee_id},
            "wordStart": {"S": word[:MIN_SEARCH]},
            "word": {"S": word},
        }
        for word in dict.fromkeys([*words, *whole])
        if len(word) >= MIN_SEARCH
    ]
