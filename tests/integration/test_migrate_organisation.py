"""Moving the cases stored before organisations (issue 27, item 3; ``python3 dev migrate-organisation``): a
case the one-organisation release stored — no organisation, the one ``payroll`` queue in every desk key —
is in no team's queue until the operator's command moves it to the default organisation; the command is
idempotent and leaves a case changed meanwhile for its next run."""

from __future__ import annotations

from typing import Any

from tests.support.flows import wait_for
from tests.support.samples import SUPPORT
from tests.support.world import Api, World

#: What the release before organisations wrote for a case at the desk: the one queue's keys.
_ONE_QUEUE_KEYS = {
    "queue": "payroll",
    "queueForm": "payroll#payroll-support",
    "queueStatus": "payroll#at_payroll",
    "deskOpen": "payroll",
    "deskStatus": "payroll#at_payroll",
    "deskForm": "payroll#payroll-support",
    "slaClock": "payroll",
}


def _as_before_organisations(world: World, case_id: str) -> dict[str, Any]:
    table, key = world.refs["CasesTable"], {"pk": {"S": f"CASE#{case_id}"}, "sk": {"S": "CASE"}}
    dynamodb = world.client("dynamodb")
    item: dict[str, Any] = dynamodb.get_item(TableName=table, Key=key)["Item"]
    for name in ("organisationId", "team", "deskOrg"):
        item.pop(name, None)
    item |= {name: {"S": value} for name, value in _ONE_QUEUE_KEYS.items()}
    dynamodb.put_item(TableName=table, Item=item)
    return item


def _queue(api: Api, query: str = "") -> list[str]:
    return [row["caseId"] for row in api.call("GET", "/desk/cases", as_="pia", query=query).json()["items"]]


def test_cases_stored_before_organisations_move_to_the_default_one(api: Api, world: World) -> None:
    from ops.migrate_organisation import migrate

    case_id = api.submit(SUPPORT, form="payroll-support").json()["caseId"]
    wait_for(api, case_id, "at_payroll")
    before = api.call("GET", f"/cases/{case_id}", as_="pia").json()
    old = _as_before_organisations(world, case_id)
    assert _queue(api) == []  # in the one queue, which no team reads any more
    assert api.call("GET", f"/cases/{case_id}", as_="pia").status == 404

    table = world.refs["CasesTable"]
    assert migrate(table, "lonecentrum", "team-north") == (1, 0)
    assert _queue(api) == [case_id]
    assert _queue(api, "organisation=lonecentrum") == [case_id]
    after = api.call("GET", f"/cases/{case_id}", as_="pia").json()
    assert after["organisation"]["id"] == "lonecentrum"
    # Nothing else about the case changed: its data, history, version and the rest of its item.
    assert {k: v for k, v in after.items() if k != "organisation"} == {
        k: v for k, v in before.items() if k != "organisation"
    }
    item = world.client("dynamodb").get_item(TableName=table, Key={"pk": old["pk"], "sk": old["sk"]})["Item"]
    assert {k: v for k, v in item.items() if k not in {*_ONE_QUEUE_KEYS, "organisationId", "team", "deskOrg"}} == {
        k: v for k, v in old.items() if k not in _ONE_QUEUE_KEYS
    }
    assert migrate(table, "lonecentrum", "team-north") == (0, 0)  # a second run has nothing to do


def test_a_case_changed_while_the_move_runs_is_left_for_the_next_run(api: Api, world: World) -> None:
    import ops.migrate_organisation as migration

    case_id = api.submit(SUPPORT, form="payroll-support").json()["caseId"]
    wait_for(api, case_id, "at_payroll")
    _as_before_organisations(world, case_id)
    table, key = world.refs["CasesTable"], {"pk": {"S": f"CASE#{case_id}"}, "sk": {"S": "CASE"}}
    real = migration._moved

    def changed_meanwhile(case: Any, organisation_id: str, team: str) -> Any:
        one = {":one": {"N": "1"}}
        world.client("dynamodb").update_item(
            TableName=table, Key=key, UpdateExpression="ADD version :one", ExpressionAttributeValues=one
        )
        return real(case, organisation_id, team)

    migration._moved = changed_meanwhile
    try:
        assert migration.migrate(table, "lonecentrum", "team-north") == (0, 1)
    finally:
        migration._moved = real
    assert migration.migrate(table, "lonecentrum", "team-north") == (1, 0)
    assert _queue(api) == [case_id]
