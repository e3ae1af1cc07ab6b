"""``python3 dev migrate-organisation [--to ORG]``: move the cases stored before organisations to one.

Before issue 27 the service knew one organisation: a case had no organisation, and its payroll queue, desk
keys and appointment wait were the one queue's (``payroll``). Now each case belongs to an organisation and
sits in the queue of the team that serves it (docs/organisations.md, §3). This finds every case without an
organisation (an operator's Scan: no request path scans), gives it the default organisation (or ``--to``'s)
and that organisation's team, and writes the keys the case's indexes read from them again, each write
conditional on the case's version and on its having no organisation yet: a case changed meanwhile is
skipped and found by the next run, and a second run has nothing to do. People's ids need no move: the
default organisation keeps bare ids (``eforms.core.organisations.people``).

Run it once after deploying the release, before officers work the desk (docs/operations.md). Works against
the running local stack by default and against AWS with ``--cases-table`` (credentials from the usual AWS
environment).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Any

from devstack.stack import local_stack_refs
from devstack.template import ROOT

#: Attributes derived from the queue, team and approver: written anew, or removed where no longer derived.
_DERIVED = (
    "queue",
    "queueForm",
    "queueStatus",
    "deskOpen",
    "deskStatus",
    "deskForm",
    "deskOrg",
    "assigneeId",
    "slaClock",
    "approverId",
    "approverName",
)


def migrate(cases_table: str, organisation_id: str, team: str) -> tuple[int, int]:
    """Move every case without an organisation; (cases moved, cases changed meanwhile and left for next run)."""
    import boto3

    from eforms.aws.case_items import CASE_SK, case_item, case_of

    dynamodb = boto3.client("dynamodb")
    moved = skipped = 0
    scan = {
        "TableName": cases_table,
        # The case items: not the case numbers' pointers, which share the sort key.
        "FilterExpression": "sk = :case AND begins_with(pk, :cases) AND attribute_not_exists(organisationId)",
        "ExpressionAttributeValues": {":case": {"S": CASE_SK}, ":cases": {"S": "CASE#"}},
    }
    for page in dynamodb.get_paginator("scan").paginate(**scan):
        for old in page["Items"]:
            new = case_item(_moved(case_of(old, [], [], {}), organisation_id, team))
            item = {name: value for name, value in old.items() if name not in _DERIVED} | new
            try:
                dynamodb.put_item(
                    TableName=cases_table,
                    Item=item,
                    ConditionExpression="version = :version AND attribute_not_exists(organisationId)",
                    ExpressionAttributeValues={":version": old["version"]},
                )
                moved += 1
            except dynamodb.exceptions.ConditionalCheckFailedException:
                skipped += 1
    return moved, skipped


def _moved(case: Any, organisation_id: str, team: str) -> Any:
    """The case as today's code would have stored it in ``organisation_id``, served by ``team``."""
    from eforms.core.approval import approvers
    from eforms.core.cases.model import PAYROLL_QUEUE, Person

    approver = case.approver
    if approvers.awaits_appointment(case):
        approver = Person(approvers.appointment_wanted(team), approver.name)
    return dataclasses.replace(
        case,
        organisation_id=organisation_id,
        team=team,
        queue=team if case.queue == PAYROLL_QUEUE else case.queue,
        approver=approver,
    )


def main(argv: list[str] | None = None) -> int:
    from eforms.core.organisations.registry import Registry

    parser = argparse.ArgumentParser(prog="dev migrate-organisation", description=__doc__.split("\n\n")[0])
    parser.add_argument("--to", help="the organisation (organisations/<id>.json; default: centre.json's default)")
    parser.add_argument("--cases-table", help="the CasesTable name (default: the local stack's)")
    args = parser.parse_args(argv)
    registry = Registry.read(ROOT / "organisations")
    if registry is None:
        parser.error("no organisations/centre.json: there is nothing to move the cases to")
    organisation = registry.get(args.to or registry.default)
    if organisation is None:
        parser.error(f"no organisation {args.to!r} in organisations/")
    refs = local_stack_refs() if not args.cases_table else {}
    if refs is None:
        parser.error("no local stack is running: start `python3 dev run`, or pass --cases-table")
    moved, skipped = migrate(
        args.cases_table or refs["CasesTable"], organisation.organisation_id, organisation.payroll_team
    )
    print(f"moved {moved} cases to {organisation.organisation_id}; {skipped} changed meanwhile: run again")
    return 0


if __name__ == "__main__":
    sys.exit(main())
