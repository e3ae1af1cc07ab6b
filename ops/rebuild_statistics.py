"""``python3 dev rebuild-statistics``: recount the follow-up figures from every case's history.

When a definition in docs/statistics.md changes, or events were lost past the dead-letter queue, the
aggregates are recomputed: every case is read (an operator's Scan of the case items, then each case's own
partition), its contributions computed by the same function the consumer uses, and the statistics table
is emptied and written anew — its counters and the claims that keep the consumer from counting any
contribution twice afterwards; the monthly service reports' records stay, so no report is sent again.
Run it while no events flow (a quiet hour), or run it again after.

Works against the running local stack by default and against AWS with ``--cases-table`` and
``--statistics-table`` (credentials from the usual AWS environment).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from devstack.stack import local_stack_refs
from devstack.template import ROOT


def rebuild(cases_table: str, statistics_table: str) -> tuple[int, int]:
    """Recount every case; (cases counted, counter rows written)."""
    import boto3

    from eforms.aws.case_items import CASE_SK
    from eforms.aws.case_store import DynamoCaseStore
    from eforms.aws.statistics_store import claim_key, comment_item, row_key
    from eforms.core.forms.catalogue import Catalogue
    from eforms.core.organisations.registry import Registry
    from eforms.core.statistics.comments import comment_of
    from eforms.core.statistics.contributions import Increment, contributions
    from eforms.core.statistics.report import accumulate

    dynamodb = boto3.client("dynamodb")
    catalogue, store = Catalogue(ROOT / "schemas"), DynamoCaseStore(cases_table)
    registry = Registry.read(ROOT / "organisations")
    default = registry.default if registry else ""
    kept: list[dict[str, Any]] = []  # each contribution's claim, and each rating's comment
    counted: list[Any] = []
    scan = {
        "TableName": cases_table,
        "FilterExpression": "sk = :case AND begins_with(pk, :cases)",
        "ExpressionAttributeValues": {":case": {"S": CASE_SK}, ":cases": {"S": "CASE#"}},
        "ProjectionExpression": "caseId",
    }
    cases = 0
    for page in dynamodb.get_paginator("scan").paginate(**scan):
        for item in page["Items"]:
            case = store.get(item["caseId"]["S"])
            if case is None:
                continue
            cases += 1
            found = contributions(case, catalogue.get(case.form_id, case.form_version), default)
            counted += found
            expires = {"N": str(int(case.expires_at.timestamp()))}
            kept += [{**claim_key(c.contribution_id), "expiresAt": expires} for c in found]
            comment = comment_of(case, default)
            if comment is not None:  # kept again with the counters: the table is emptied first
                kept.append(comment_item(comment, case.expires_at))
    rows = accumulate(counted)
    _empty(dynamodb, statistics_table)
    written = [
        {**row_key(Increment(org, month, dimension)), **{k: {"N": str(v)} for k, v in counters.items()}}
        for (org, month, dimension), counters in rows.items()
    ]
    _write(dynamodb, statistics_table, written + kept)
    return cases, len(written)


def _empty(dynamodb: Any, table: str) -> None:
    """Every counter and claim gone; the service reports' items stay (a report sent is not sent again)."""
    from eforms.aws.service_report_store import REPORT

    keys = [
        {"pk": item["pk"], "sk": item["sk"]}
        for page in dynamodb.get_paginator("scan").paginate(TableName=table, ProjectionExpression="pk, sk")
        for item in page["Items"]
        if not item["pk"]["S"].startswith(f"{REPORT}#")
    ]
    for first in range(0, len(keys), 25):
        _batch(dynamodb, table, [{"DeleteRequest": {"Key": key}} for key in keys[first : first + 25]])


def _write(dynamodb: Any, table: str, items: list[dict[str, Any]]) -> None:
    for first in range(0, len(items), 25):
        _batch(dynamodb, table, [{"PutRequest": {"Item": item}} for item in items[first : first + 25]])


def _batch(dynamodb: Any, table: str, requests: list[dict[str, Any]]) -> None:
    pending: dict[str, Any] = {table: requests}
    while pending:
        pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dev rebuild-statistics", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases-table", help="the CasesTable name (default: the local stack's)")
    parser.add_argument("--statistics-table", help="the StatisticsTable name (default: the local stack's)")
    args = parser.parse_args(argv)
    refs = local_stack_refs() if not (args.cases_table and args.statistics_table) else {}
    if refs is None:
        parser.error("no local stack is running: start `python3 dev run`, or pass both tables")
    cases, rows = rebuild(args.cases_table or refs["CasesTable"], args.statistics_table or refs["StatisticsTable"])
    print(f"recounted {cases} cases into {rows} counter rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
