"""``python3 dev backfill-listing-keys``: give cases stored before the listing indexes their keys.

A manager's search for one employee and the payroll listing by form and by status read indexes keyed by
``managerSubject``, ``queueForm`` and ``queueStatus``, attributes every case change writes
(``eforms.aws.case_items.listing_keys``). A case last changed before the release that added them has
none, so it would be missing from those listings until it changes again. This finds such cases (an
operator's Scan: no request path scans) and writes their keys, each write conditional on the case's
version, so a case changed meanwhile (which wrote its keys itself) is left alone. Safe to run again: a
second run finds nothing to do.

Works against the running local stack by default and against AWS with ``--cases-table`` (the stack's
output; credentials from the usual AWS environment).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from devstack.stack import local_stack_refs

_MISSING = (
    "sk = :case AND ((attribute_exists(managerId) AND attribute_not_exists(managerSubject)) OR "
    "(attribute_exists(queue) AND (attribute_not_exists(queueForm) OR attribute_not_exists(queueStatus))))"
)


def _plain(item: dict[str, Any], name: str) -> str | None:
    return item[name]["S"] if name in item else None


def backfill(cases_table: str) -> tuple[int, int]:
    """Write the missing keys; (cases given their keys, cases that changed meanwhile and were skipped)."""
    import boto3

    from eforms.aws.case_items import CASE_SK, listing_keys

    dynamodb = boto3.client("dynamodb")
    written = skipped = 0
    scan = {
        "TableName": cases_table,
        "FilterExpression": _MISSING,
        "ProjectionExpression": "pk, sk, managerId, subjectId, queue, formId, #status, version",
        "ExpressionAttributeNames": {"#status": "status"},
        "ExpressionAttributeValues": {":case": {"S": CASE_SK}},
    }
    for page in dynamodb.get_paginator("scan").paginate(**scan):
        for item in page["Items"]:
            keys = listing_keys(
                manager_id=_plain(item, "managerId"),
                subject_id=item["subjectId"]["S"],
                queue=_plain(item, "queue"),
                form_id=item["formId"]["S"],
                status=item["status"]["S"],
            )
            names = {f"#k{n}": name for n, name in enumerate(keys)}
            values = {f":k{n}": value for n, value in enumerate(keys.values())}
            try:
                dynamodb.update_item(
                    TableName=cases_table,
                    Key={"pk": item["pk"], "sk": item["sk"]},
                    UpdateExpression="SET " + ", ".join(f"#k{n} = :k{n}" for n in range(len(keys))),
                    ConditionExpression="version = :version",
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues={**values, ":version": item["version"]},
                )
                written += 1
            except dynamodb.exceptions.ConditionalCheckFailedException:
                skipped += 1  # changed since the scan read it: that change wrote the keys
    return written, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dev backfill-listing-keys", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases-table", help="the CasesTable name (default: the local stack's)")
    args = parser.parse_args(argv)
    refs = local_stack_refs() if not args.cases_table else {}
    if refs is None:
        parser.error("no local stack is running: start `python3 dev run`, or pass --cases-table")
    written, skipped = backfill(args.cases_table or refs["CasesTable"])
    print(f"gave {written} cases their listing keys; {skipped} changed meanwhile and have them already")
    return 0


if __name__ == "__main__":
    sys.exit(main())
