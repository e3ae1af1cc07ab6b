"""POST /cases through the real handler against moto: stored cases, field errors, hostile input."""

from __future__ import annotations

import base64
import io
import json
from datetime import date, timedelta
from typing import Any

import pytest

from tests.support.samples import LEAVE, support_for
from tests.support.world import Api, World


def _case_items(world: World) -> list[dict[str, Any]]:
    """The cases' own items: not the case numbers' yearly counters and pointers."""
    return [i for i in world.table_items("CasesTable") if i["pk"]["S"].startswith("CASE#")]


def test_a_leave_application_is_stored_and_readable(world: World, api: Api) -> None:
    reply = api.submit(LEAVE)
    assert reply.status == 201
    case = reply.json()
    assert reply.headers["location"] == f"/cases/{case['caseId']}"
    assert case["status"] == "submitted"
    assert case["data"] == LEAVE
    assert [h["action"] for h in case["history"]] == ["submitted"]
    items = _case_items(world)
    assert sorted(i["sk"]["S"].split("#")[0] for i in items) == ["CASE", "HIST"]
    # Its short number, taken from the year's counter, with a pointer that finds it.
    assert case["caseNumber"] == f"LC-{case['createdAt'][:4]}-000001"
    numbers = [i for i in world.table_items("CasesTable") if not i["pk"]["S"].startswith("CASE#")]
    assert sorted(i["pk"]["S"].split("#")[0] for i in numbers) == ["NUMBER", "SEQ"]
    case_item = next(i for i in items if i["sk"]["S"] == "CASE")
    assert case_item["managerId"]["S"] == "maria"
    assert int(case_item["expiresAt"]["N"]) > 0  # retention TTL is set from the form
    # Read back as it was answered, and the reader (its applicant) is not the one to decide it.
    read = api.call("GET", f"/cases/{case['caseId']}").json()
    assert read == {
        **case,
        "mayDecide": False,
        "viewerId": "anna",
        "actions": ["withdraw"],  # what the server says anna may do now: the client shows just that
        "awaitsYou": False,
        "next": {**read["next"], "waitingOn": "approver", "who": "Maria Lind"},  # the receipt (test_receipt.py)
    }


def test_field_errors_in_swedish_and_english(world: World, api: Api) -> None:
    bad = {**LEAVE, "period": {"from": "2026-12-30", "to": "2026-12-21"}}
    swedish = api.submit(bad)
    assert swedish.status == 422
    assert swedish.codes == [("/data/period/to", "date_order")]
    assert swedish.json()["errors"][0]["message"] == "Slutdatumet får inte vara före startdatumet."
    english = api.submit(bad, headers={"Accept-Language": "en"})
    assert english.json()["errors"][0]["message"] == "The end date must not be before the start date."
    assert english.json()["title"] == "The form has errors."
    assert _case_items(world) == []


def test_resignation_date_must_not_be_in_the_past(api: Api) -> None:
    yesterday = (date.today() - timedelta(days=2)).isoformat()
    reply = api.submit(
        {"lastDayOfEmployment": yesterday, "reason": "flytt", "remainingVacation": "ta-ut"}, form="resignation"
    )
    assert reply.codes == [("/data/lastDayOfEmployment", "date_in_past")]


def test_personnummer_checksum(api: Api) -> None:
    data = {
        "certificateType": "loneintyg",
        "personnummer": "19121212-1213",
        "employmentPeriod": {"from": "2015-01-01"},
        "delivery": "digital",
    }
    assert api.submit(data, form="certificate-request").codes == [("/data/personnummer", "invalid_personnummer")]
    data["personnummer"] = "19121212-1212"  # well formed, and someone else's (issue 26, item 6)
    assert api.submit(data, form="certificate-request").codes == [
        ("/data/personnummer", "personnummer_not_the_subjects")
    ]
    data["personnummer"] = "19850314-2385"  # Anna's own
    assert api.submit(data, form="certificate-request").status == 201


NESTED = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize(
    ("label", "body", "headers", "status", "code"),
    [
        ("not json", "this is not json", {}, 400, "invalid_json"),
        ("truncated json", '{"formId": "leave-application", "data": {', {}, 400, "invalid_json"),
        ("empty body", "", {}, 400, "empty_body"),
        ("NaN", '{"formId": "leave-application", "data": {"extentPercent": NaN}}', {}, 400, "invalid_json"),
        ("duplicate keys", '{"formId": "x", "formId": "leave-application", "data": {}}', {}, 400, "invalid_json"),
        (
            "wrong content type",
            '{"formId": "leave-application", "data": {}}',
            {"content-type": "text/plain"},
            415,
            "unsupported_media_type",
        ),
        (
            "form content type",
            "formId=leave-application",
            {"content-type": "application/x-www-form-urlencoded"},
            415,
            "unsupported_media_type",
        ),
        (
            "latin-1 charset",
            '{"formId": "leave-application", "data": {}}',
            {"content-type": "application/json; charset=iso-8859-1"},
            415,
            "unsupported_media_type",
        ),
        (
            "over 256 KiB",
            json.dumps({"formId": "leave-application", "data": {"comment": "x" * (256 * 1024)}}),
            {},
            413,
            "payload_too_large",
        ),
        (
            "a 10 MB string",
            json.dumps({"formId": "leave-application", "data": {"comment": "å" * 10_000_000}}),
            {},
            413,
            "payload_too_large",
        ),
        (
            "deeply nested",
            '{"formId": "leave-application", "data": {"x": ' + NESTED + "}}",
            {},
            400,
            "too_deeply_nested",
        ),
        (
            "nested just past the limit",
            '{"formId": "leave-application", "data": {"x": ' + "[" * 40 + "]" * 40 + "}}",
            {},
            400,
            "too_deeply_nested",
        ),
        ("array body", "[1, 2, 3]", {}, 422, "validation_failed"),
        (
            "bad idempotency key",
            json.dumps({"formId": "leave-application", "data": LEAVE}),
            {"idempotency-key": "short"},
            400,
            "idempotency_key_invalid",
        ),
        (
            "hostile idempotency key",
            json.dumps({"formId": "leave-application", "data": LEAVE}),
            {"idempotency-key": "x' OR 1=1 --"},
            400,
            "idempotency_key_invalid",
        ),
    ],
)
def test_bad_requests_get_a_precise_4xx_and_store_nothing(
    world: World, api: Api, label: str, body: str, headers: dict[str, str], status: int, code: str
) -> None:
    reply = api.call("POST", "/cases", body=body, headers=headers)
    assert (reply.status, reply.json()["code"]) == (status, code), label
    assert reply.headers["content-type"] == "application/problem+json"
    assert _case_items(world) == []


def test_invalid_utf8_in_a_binary_body(world: World, api: Api) -> None:
    reply = api.call("POST", "/cases", body=b'{"formId": "\xff\xfe"}', headers={"content-type": "application/json"})
    assert (reply.status, reply.json()["code"]) == (400, "invalid_encoding")
    assert _case_items(world) == []


def test_a_base64_body_is_decoded(api: Api) -> None:
    """HTTP API base64-encodes bodies it does not consider text; the handler must read those too."""
    raw = json.dumps({"formId": "leave-application", "data": LEAVE}).encode()
    event_body = base64.b64encode(raw)
    reply = api.call(
        "POST", "/cases", body=base64.b64decode(event_body), headers={"content-type": "application/vnd.eforms+json"}
    )
    assert reply.status == 201


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({**LEAVE, "salary": 99000}, [("/data/salary", "unknown_field")]),
        ({**LEAVE, "extentPercent": "all"}, [("/data/extentPercent", "wrong_type")]),
        ({**LEAVE, "period": "next week"}, [("/data/period", "wrong_type")]),
        ({**LEAVE, "comment": "hej\x00"}, [("/data/comment", "control_characters")]),
        ({**LEAVE, "comment": "\x1b[2J\x1b[H"}, [("/data/comment", "control_characters")]),
        ({**LEAVE, "comment": "\ud83d"}, [("/data/comment", "invalid_text")]),
        ({**LEAVE, "comment": "x" * 5000}, [("/data/comment", "too_long")]),
    ],
)
def test_bad_form_data_is_listed_field_by_field(
    world: World, api: Api, data: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    reply = api.submit(data)
    assert reply.status == 422
    assert reply.codes == expected
    assert _case_items(world) == []


def test_unknown_form_and_version(world: World, api: Api) -> None:
    assert api.submit(LEAVE, form="sick-pay").codes == [("/formId", "unknown_form")]
    reply = api.call("POST", "/cases", json_body={"formId": "leave-application", "formVersion": 2, "data": LEAVE})
    assert reply.codes == [("/formVersion", "unknown_form_version")]
    assert _case_items(world) == []


def test_emoji_and_every_script_are_fine(api: Api) -> None:
    comment = "Hälsningar från Łódź, Đakovo, Ŋuorggam, Москва 👋🏽 — ÆØÅ æøå"
    reply = api.submit({**LEAVE, "comment": comment})
    assert reply.status == 201
    assert api.call("GET", f"/cases/{reply.json()['caseId']}").json()["data"]["comment"] == comment


def test_idempotency_key_same_body_gives_the_same_case(world: World, api: Api) -> None:
    headers = {"Idempotency-Key": "3f1c9a7e-retry-1"}
    first = api.submit(LEAVE, headers=headers)
    second = api.submit(LEAVE, headers=headers)
    assert first.status == second.status == 201
    assert first.json()["caseId"] == second.json()["caseId"]
    assert len([i for i in _case_items(world) if i["sk"]["S"] == "CASE"]) == 1


def test_idempotency_key_with_another_body_is_refused(world: World, api: Api) -> None:
    headers = {"Idempotency-Key": "3f1c9a7e-retry-2"}
    assert api.submit(LEAVE, headers=headers).status == 201
    reply = api.submit({**LEAVE, "extentPercent": 50}, headers=headers)
    assert (reply.status, reply.json()["code"]) == (422, "idempotency_key_reused")
    assert len([i for i in _case_items(world) if i["sk"]["S"] == "CASE"]) == 1


def test_idempotency_keys_are_per_caller(api: Api) -> None:
    headers = {"Idempotency-Key": "same-key-different-people"}
    anna = api.submit(LEAVE, headers=headers, as_="anna").json()["caseId"]
    erik = api.submit(LEAVE, headers=headers, as_="erik").json()["caseId"]
    assert anna != erik


def test_a_failed_submission_does_not_burn_the_idempotency_key(api: Api) -> None:
    headers = {"Idempotency-Key": "fix-and-retry-0001"}
    assert api.submit({**LEAVE, "extentPercent": 1}, headers=headers).status == 422
    assert api.submit({**LEAVE, "extentPercent": 1}, headers=headers).status == 422
    # The corrected form is another body: with the same key it must go through, since nothing was stored.
    fixed = api.submit(LEAVE, headers=headers)
    assert fixed.status == 201


def test_a_manager_files_a_support_case_for_an_employee(api: Api) -> None:
    data = support_for("anna")
    case = api.submit(data, form="payroll-support", as_="maria").json()
    assert (case["applicant"]["id"], case["subject"]["id"]) == ("maria", "anna")
    assert api.call("GET", f"/cases/{case['caseId']}", as_="anna").status == 200
    refused = api.submit(data, form="payroll-support", as_="erik")
    assert refused.codes == [("/data/concernsOtherEmployee", "on_behalf_not_permitted")]


def test_submissions_are_counted_per_form(api: Api, capsys: pytest.CaptureFixture[str]) -> None:
    api.submit(LEAVE)
    api.submit({**LEAVE, "extentPercent": 1})
    metrics = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    submitted = [m for m in metrics if "CasesSubmitted" in m]
    rejected = [m for m in metrics if "CasesRejected" in m]
    assert submitted
    assert submitted[0]["formId"] == "leave-application"
    assert rejected
    assert rejected[0]["formId"] == "leave-application"


def test_logs_carry_no_personal_data(api: Api, service_logs: io.StringIO) -> None:
    data = {
        "certificateType": "loneintyg",
        "personnummer": "19121212-1212",
        "employmentPeriod": {"from": "2015-01-01"},
        "delivery": "digital",
    }
    api.submit(data, form="certificate-request")
    api.submit({**data, "personnummer": "19121212-1213"}, form="certificate-request")
    api.submit({**data, "personnummer": "19850314-2385"}, form="certificate-request")
    out = service_logs.getvalue()
    assert "case submitted" in out
    for personal in ("19121212", "19850314", "Anna Andersson", "anna.andersson@example.se"):
        assert personal not in out
