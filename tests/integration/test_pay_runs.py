"""The pay-run file (docs/records.md §5), through the real handlers, table, queue and bucket: each confirmed
transaction once in its organisation's PAXml file for its period, a case registered after its period's batch
in the next one, the same bytes every time, one batch however many ask at once, and nobody else's."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree

import pytest
import requests
from botocore.exceptions import ClientError

from devstack import lambdas
from devstack.template import ROOT, load
from eforms import wiring
from eforms.core.common.clock import stockholm_date
from eforms.core.payroll import pay_runs
from tests.support import faults, uploads
from tests.support.examples import examples
from tests.support.flows import emails_for, link_path, post_page, wait_for
from tests.support.paxml import problems
from tests.support.samples import LEAVE
from tests.support.world import Api, World

ORG = "lonecentrum"  # the centre's own organisation: Anna's, Pia's and Per's team's


def _periods() -> tuple[str, str]:
    today = stockholm_date(datetime.now(UTC))
    return f"{today:%Y-%m}", f"{today.year + today.month // 12}-{today.month % 12 + 1:02d}"


def _registered(
    api: Api, data: dict[str, Any], *, form: str, period: str, attachments: list[str] | None = None
) -> tuple[str, int]:
    """Filed by Anna, approved by Maria, registered by Pia with the transactions it proposes: (id, version)."""
    body = {"formId": form, "data": data, **({"attachments": attachments} if attachments else {})}
    filed = api.call("POST", "/cases", as_="anna", json_body=body)
    assert filed.status == 201, filed.text
    case_id: str = filed.json()["caseId"]
    [request] = emails_for(case_id, "approval-initial")
    assert post_page(api, link_path(request), decision="approve").status == 200
    wait_for(api, case_id, "at_payroll")
    case = api.call("GET", f"/cases/{case_id}", as_="pia").json()
    claimed = api.call("POST", f"/cases/{case_id}/claim", as_="pia", json_body={"version": case["version"]}).json()
    registration = {"version": claimed["version"], "reference": "HR-1", "payPeriod": period}
    registered = api.call(
        "POST",
        f"/cases/{case_id}/registration",
        as_="pia",
        json_body={**registration, "transactions": case["transactions"]},
    )
    assert registered.status == 200, registered.text
    return case_id, int(registered.json()["version"])


def _check(api: Api, case_id: str, version: int) -> Any:
    return api.call(
        "POST", f"/cases/{case_id}/registration/check", as_="per", json_body={"version": version, "outcome": "approve"}
    )


def _done(api: Api, data: dict[str, Any], *, form: str, period: str, attachments: list[str] | None = None) -> str:
    """Registered, then checked by Per: its transactions wait for the pay-run file."""
    case_id, version = _registered(api, data, form=form, period=period, attachments=attachments)
    checked = _check(api, case_id, version)
    assert checked.status == 200, checked.text
    return case_id


def _overtime() -> dict[str, Any]:
    data: dict[str, Any] = examples("overtime", stockholm_date(datetime.now(UTC)))["valid"][0]
    return data


def _fee(api: Api) -> tuple[dict[str, Any], list[str]]:
    data: dict[str, Any] = examples("fee", stockholm_date(datetime.now(UTC)))["valid"][0]
    data = {**data, "payee": {"kind": "anstalld", "employeeId": "erik", "name": "Erik Ek"}, "amountSek": 4500}
    return data, [uploads.attach(api, "fee", "beslut")]


def _ask(api: Api, period: str, *, as_: str = "pia", organisation: str = ORG) -> Any:
    return api.call("POST", "/pay-runs", as_=as_, query=f"organisation={organisation}", json_body={"payPeriod": period})


def _file(api: Api, period: str) -> tuple[dict[str, Any], bytes]:
    batch = api.call("GET", f"/pay-runs/{period}", as_="pia", query=f"organisation={ORG}").json()
    assert batch["state"] == "ready", batch
    fetched = requests.get(batch["download"]["url"], timeout=10)
    assert fetched.status_code == 200
    return batch, fetched.content


def _transactions(body: bytes) -> list[dict[str, str]]:
    """Every transaction of a PAXml file: its element, its attributes and its children's text."""
    root = ElementTree.fromstring(body)  # noqa: S314 - the file this service made, not untrusted input
    return [
        {"element": t.tag, **t.attrib, **{child.tag: child.text or "" for child in t}}
        for section in ("tidtransaktioner", "lonetransaktioner")
        for t in root.findall(f"{section}/*")
    ]


def _number(api: Api, case_id: str) -> str:
    number: str = api.call("GET", f"/cases/{case_id}", as_="pia").json()["caseNumber"]
    return number


def test_a_leave_an_overtime_and_a_fee_are_in_their_months_file_once_and_not_in_the_next(
    api: Api, world: World
) -> None:
    period, following = _periods()
    leave = _done(api, LEAVE, form="leave-application", period=period)
    overtime = _done(api, _overtime(), form="overtime", period=period)
    fee_data, attached = _fee(api)
    fee = _done(api, fee_data, form="fee", period=period, attachments=attached)
    waiting = api.call("GET", "/pay-runs", as_="pia", query=f"organisation={ORG}").json()
    assert waiting["pending"] == {"cases": 3, "periods": [period]}
    assert api.call("GET", f"/cases/{fee}", as_="pia").json()["payRun"] == {"state": "pending", "payPeriod": period}
    assert "payRun" not in api.call("GET", f"/cases/{fee}", as_="anna").json()  # payroll's, not the sender's

    asked = _ask(api, period)
    assert asked.status == 202
    assert asked.json()["state"] == "cutting"
    world.settle()  # the worker cuts it
    batch, body = _file(api, period)
    assert batch["file"]["cases"] == 3
    assert batch["file"]["transactions"] == 4
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<paxml>')
    assert problems(body) == []  # PAXml 2.0's structure, as its XSD gives it
    root = ElementTree.fromstring(body)  # noqa: S314 - the file this service made, not untrusted input
    assert [root.findtext(f"header/{n}") for n in ("format", "version", "foretagorgnr")] == [
        "LÖNIN",
        "2.0",
        "212000-2411",
    ]
    found = _transactions(body)
    by_case = {_number(api, c): c for c in (leave, overtime, fee)}
    assert sorted(t["info"] for t in found) == sorted([*by_case, _number(api, overtime)])
    [vacation] = [t for t in found if t["info"] == _number(api, leave)]
    assert vacation == {
        "element": "tidtrans",
        "anstid": "anna",
        "postid": vacation["postid"],
        "tidkod": "SEM",
        "datumfrom": LEAVE["period"]["from"],
        "datumtom": LEAVE["period"]["to"],
        "omfattning": "100",
        "info": _number(api, leave),
    }
    rows = [t for t in found if t["info"] == _number(api, overtime)]
    assert [(t["tidkod"], t["timmar"]) for t in rows] == [("ÖT1", "3.5"), ("ÖT1", "4")]  # 16:00-19:30, 22:00-02:00
    [paid] = [t for t in found if t["element"] == "lonetrans"]
    assert (paid["anstid"], paid["lonart"], paid["antal"], paid["apris"], paid["belopp"]) == (
        "erik",  # the employee who earned it, not Anna who filed it
        "310",
        "1",
        "4500",
        "4500",
    )
    assert sorted(int(t["postid"]) for t in found) == [1, 2, 3, 4]

    # Registered after its period's batch: into the next file, and only there.
    late = _done(api, LEAVE, form="leave-application", period=period)
    assert _ask(api, period).status == 200  # the same batch, ready: it takes nothing more
    assert _file(api, period)[1] == body
    assert _ask(api, following).status == 202
    world.settle()
    _, next_body = _file(api, following)
    assert [t["info"] for t in _transactions(next_body)] == [_number(api, late)]
    # Payroll sees on each case which file holds it: the late one the next month's, registered for this one.
    for case_id, held_in in ((leave, period), (late, following)):
        view = api.call("GET", f"/cases/{case_id}", as_="pia").json()
        assert view["payRun"] == {"state": "handedOver", "payPeriod": held_in}
    assert api.call("GET", "/pay-runs", as_="pia", query=f"organisation={ORG}").json()["pending"]["cases"] == 0


def test_the_file_made_again_from_its_batch_is_the_same_bytes(api: Api, world: World) -> None:
    period, _ = _periods()
    _done(api, LEAVE, form="leave-application", period=period)
    _ask(api, period)
    world.settle()
    batch, body = _file(api, period)
    stored = wiring.pay_run_store().batch(ORG, period)
    assert stored is not None
    again, facts = pay_runs.made(wiring.pay_run_store(), stored)
    assert again == body
    assert facts.sha256 == batch["file"]["sha256"]


def test_two_asking_at_once_make_one_batch_and_two_cuts_at_once_take_each_case_once(api: Api, world: World) -> None:
    period, _ = _periods()
    cases = [_done(api, LEAVE, form="leave-application", period=period) for _ in range(3)]
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: _ask(api, period), range(2)))
    assert [a.status for a in answers] == [202, 202]
    assert answers[0].json()["requestedAt"] == answers[1].json()["requestedAt"]  # one batch
    # Both requests sent it to the worker; two workers cut it at once.
    function = load().function("PayRunFilesFunction")
    event = json.loads((ROOT / "events" / "pay-run-files-asked.json").read_text())
    event["Records"][0]["body"] = json.dumps({"organisation": ORG, "payPeriod": period})
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: lambdas.invoke(function, event), range(2)))
    assert results == [{"batchItemFailures": []}] * 2
    world.settle()
    _, body = _file(api, period)
    numbers = sorted(_number(api, c) for c in cases)
    assert sorted(t["info"] for t in _transactions(body)) == numbers
    items = world.table_items("CasesTable")
    lines = [i for i in items if i["sk"]["S"].startswith(f"LINE#{period}#")]
    assert len(lines) == 3
    assert not [i for i in items if i["sk"]["S"].startswith("PENDING#")]
    assert len([i for i in items if i["sk"]["S"] == f"BATCH#{period}"]) == 1


def test_nobody_but_the_organisations_payroll_team_sees_its_pay_runs(api: Api) -> None:
    period, _ = _periods()
    query = f"organisation={ORG}"
    for who in ("anna", "maria", "siv", "mads", "lena", "bo"):  # an employee, a manager, other teams, others
        assert api.call("GET", "/pay-runs", as_=who, query=query).status == 404, who
        assert api.call("GET", f"/pay-runs/{period}", as_=who, query=query).status == 404, who
        # Before the body is read: a malformed one gets the same 404.
        refused = api.call("POST", "/pay-runs", as_=who, query=query, body="{not json")
        assert (refused.status, refused.json()["code"]) == (404, "not_found"), who
    assert api.call("GET", "/pay-runs", as_="pia", query="organisation=norrby").status == 404  # team Syd's
    assert api.call("GET", "/pay-runs", as_="pia", query="organisation=nowhere").status == 404
    assert api.call("GET", "/pay-runs", as_="pia").status == 404  # which organisation is not guessed
    assert api.call("GET", "/pay-runs", as_="siv", query="organisation=norrby").status == 200


def test_what_cannot_be_made_is_refused_with_a_clear_problem(api: Api, world: World) -> None:
    period, following = _periods()
    assert _ask(api, period).json()["code"] == "pay_run_empty"
    assert _ask(api, "2026-13").codes == [("/payPeriod", "pattern_mismatch")]
    far = f"{int(following[:4]) + 1}-01"
    ahead = _ask(api, far)
    assert (ahead.status, ahead.codes) == (422, [("/payPeriod", "pay_period_ahead")])
    extra = api.call(
        "POST", "/pay-runs", as_="pia", query=f"organisation={ORG}", json_body={"payPeriod": period, "x": 1}
    )
    assert extra.status in (400, 422)
    assert api.call("GET", "/pay-runs", as_="pia", query=f"organisation={ORG}&x=1").status == 400
    assert api.call("GET", "/pay-runs/2026-1", as_="pia", query=f"organisation={ORG}").status == 404
    _done(api, LEAVE, form="leave-application", period=following)
    assert _ask(api, following).status == 202
    world.settle()
    earlier = _ask(api, period)  # a batch for a later period is made: this one can no longer be opened
    assert (earlier.status, earlier.json()["code"]) == (409, "pay_run_closed")
    assert "pay_run_closed" not in {i["sk"]["S"] for i in world.table_items("CasesTable")}


@pytest.mark.parametrize(("service", "operation"), [("s3", "PutObject"), ("dynamodb", "TransactWriteItems")])
def test_aws_failing_in_the_cut_loses_nothing_and_takes_nothing_twice(
    api: Api, world: World, service: str, operation: str
) -> None:
    period, _ = _periods()
    cases = [_done(api, LEAVE, form="leave-application", period=period) for _ in range(2)]
    with faults.throttled(service, operation, times=2) as refused:
        assert _ask(api, period).status == 202
        world.settle()  # the queue retries the message until AWS answers
    assert refused  # the fault did happen
    _, body = _file(api, period)
    assert sorted(t["info"] for t in _transactions(body)) == sorted(_number(api, c) for c in cases)


def test_a_cut_that_keeps_failing_is_dead_lettered_and_asking_again_finishes_it(api: Api, world: World) -> None:
    period, _ = _periods()
    case = _done(api, LEAVE, form="leave-application", period=period)
    with faults.throttled("s3", "PutObject"):
        assert _ask(api, period).status == 202
        world.settle()
    dead = world.client("sqs").receive_message(QueueUrl=world.refs["PayRunDeadLetterQueue"])
    assert len(dead.get("Messages", [])) == 1  # PayRunsDeadLettered: ops sees it
    batch = api.call("GET", f"/pay-runs/{period}", as_="pia", query=f"organisation={ORG}").json()
    assert batch["state"] == "sealed"
    assert "download" not in batch
    assert _ask(api, period).status == 202  # asking again sends it back
    world.settle()
    _, body = _file(api, period)
    assert [t["info"] for t in _transactions(body)] == [_number(api, case)]


def test_verify_pay_run_finds_a_changed_file_and_a_changed_batch(api: Api, world: World) -> None:
    from ops.verify_pay_run import verify

    period, _ = _periods()
    _done(api, LEAVE, form="leave-application", period=period)
    _ask(api, period)
    world.settle()
    names = {"cases_table": world.refs["CasesTable"], "bucket": world.refs["RecordsBucket"]}
    code, lines = verify(ORG, period, **names)
    assert code == 0, lines
    assert verify(ORG, "2020-01", **names)[0] == 2
    s3 = world.client("s3")
    key = pay_runs.file_key(ORG, period)
    kept = s3.get_object(Bucket=names["bucket"], Key=key)["Body"].read()
    # Locked, the file cannot be changed or deleted; someone with the worker's rights could still write a new
    # version over it: the check says so, and payroll still downloads the version kept.
    [version] = s3.list_object_versions(Bucket=names["bucket"], Prefix=key)["Versions"]
    with pytest.raises(ClientError):
        s3.delete_object(Bucket=names["bucket"], Key=key, VersionId=version["VersionId"])
    changed = kept.replace(b"<omfattning>100", b"<omfattning>50")
    s3.put_object(Bucket=names["bucket"], Key=key, Body=changed, ChecksumAlgorithm="SHA256")
    code, lines = verify(ORG, period, **names)
    assert code == 1
    assert lines[1:] == [
        "ok    the file kept (write-once) is the one recorded",
        "FAIL  a version was written over the kept file (downloads still hand out the kept one)",
    ]
    assert _file(api, period)[1] == kept
    dynamodb = world.client("dynamodb")
    [line] = [i for i in world.table_items("CasesTable") if i["sk"]["S"].startswith(f"LINE#{period}#")]
    changed = line["transactions"]["S"].replace('"extent": 100', '"extent": 50')
    dynamodb.put_item(TableName=names["cases_table"], Item={**line, "transactions": {"S": changed}})
    code, lines = verify(ORG, period, **names)
    assert code == 1
    assert lines[0].startswith("FAIL  made again from its lines")


def test_erasing_a_mistaken_case_takes_its_pending_transactions_and_names_a_file_that_holds_them(
    api: Api, world: World
) -> None:
    from ops.erase_case import erase

    period, _ = _periods()
    handed, mistaken = (_done(api, LEAVE, form="leave-application", period=period) for _ in range(2))
    names = {
        "cases_table": world.refs["CasesTable"],
        "bucket": world.refs["CaseDocumentsBucket"],
        "state_machine": world.refs["ApprovalStateMachine"],
    }
    receipt = erase(mistaken, reason="DSR-2026-118", **names)
    assert receipt["payRunPending"].startswith("erased")
    waiting = api.call("GET", "/pay-runs", as_="pia", query=f"organisation={ORG}").json()["pending"]
    assert waiting["cases"] == 1  # the mistaken case never reaches the payroll system
    number = _number(api, handed)
    _ask(api, period)
    world.settle()
    receipt = erase(handed, reason="DSR-2026-119", **names)
    assert receipt["payRunFile"]["payPeriod"] == period  # already imported: to correct in the payroll system
    assert "payRunPending" not in receipt
    _, body = _file(api, period)
    assert [t["info"] for t in _transactions(body)] == [number]  # the file payroll imported stays as it was


def test_a_claim_skips_what_another_cut_took_and_stops_at_a_sealed_batch(world: World) -> None:
    """The store's claim, driven into each of its paths on the real (emulated) table: a chunk that meets a case
    another cut took goes one at a time and skips it; a batch sealed meanwhile takes nothing more."""
    from eforms.aws.pay_run_store import DynamoPayRunStore, pending_writes
    from eforms.core.cases.model import Person
    from eforms.core.payroll.paxml import FileHeader
    from eforms.core.payroll.pay_runs import CUTTING, Batch, Pending

    table = world.refs["CasesTable"]
    store, dynamodb = DynamoPayRunStore(table), world.client("dynamodb")
    vacation = {"item": "leave.vacation", "kind": "time", "code": "SEM", "from": "2026-12-01", "to": "2026-12-02"}
    cases = [Pending(ORG, "2026-12", f"case{n}", f"LC-{n}", "E1", ({**vacation, "extent": 100},)) for n in range(4)]
    for pending in cases:  # as four approvals write them: the item and its count
        dynamodb.transact_write_items(TransactItems=pending_writes(table, pending))
    assert store.waiting(ORG).cases == 4
    store.open(Batch(ORG, "2026-12", CUTTING, Person("pia", "Pia"), datetime.now(UTC)))
    assert store.withdraw(ORG, "case1", "2026-12") is True  # gone before the claim reaches it

    assert store.claim(ORG, "2026-12", cases[:3]) is True
    assert [p.case_id for p in store.lines(ORG, "2026-12")] == ["case0", "case2"]
    store.seal(ORG, "2026-12", FileHeader("Lönecentrum", "", datetime.now(UTC)))
    assert store.claim(ORG, "2026-12", cases[3:]) is False  # sealed: it stays pending, for the next batch
    assert store.waiting(ORG).cases == 1
    assert store.withdraw(ORG, "case3", "2026-12") is True  # erased while pending
    assert store.withdraw(ORG, "case3", "2026-12") is False
    assert store.waiting(ORG).cases == 0  # the count moved with every item, in the same transactions
    assert store.handed_over(ORG, "case2", "2026-12") == ("file", "2026-12")
    assert store.handed_over(ORG, "case3", "2026-12") is None


def test_aws_failing_at_the_approval_the_ask_or_the_lookup_loses_nothing(api: Api, world: World) -> None:
    period, _ = _periods()
    case_id, version = _registered(api, LEAVE, form="leave-application", period=period)
    # The approval and its pending transactions are one transaction: refused, neither is written.
    with faults.throttled("dynamodb", "TransactWriteItems", carrying="PENDING#") as refused:
        assert _check(api, case_id, version).status == 503
    assert refused
    assert api.call("GET", f"/cases/{case_id}", as_="pia").json()["status"] == "registered"
    assert not [i for i in world.table_items("CasesTable") if i["sk"]["S"].startswith("PENDING#")]
    assert _check(api, case_id, version).status == 200  # tried again: approved, and pending once
    assert len([i for i in world.table_items("CasesTable") if i["sk"]["S"].startswith("PENDING#")]) == 1
    # The batch is opened but the queue refuses: 503, and asking again sends it.
    with faults.throttled("sqs", "SendMessage") as refused:
        assert _ask(api, period).status == 503
    assert refused
    world.settle()
    still = api.call("GET", f"/pay-runs/{period}", as_="pia", query=f"organisation={ORG}").json()
    assert still["state"] == "cutting"  # nothing cut it: nothing was sent
    assert _ask(api, period).status == 202
    world.settle()
    _, body = _file(api, period)
    assert [t["info"] for t in _transactions(body)] == [_number(api, case_id)]
    # Where the case's transactions went cannot be read: the case answers 503, not a guess.
    with faults.throttled("dynamodb", "BatchGetItem", carrying="LINE#"):
        assert api.call("GET", f"/cases/{case_id}", as_="pia").status == 503
