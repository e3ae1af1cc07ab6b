"""The smaller defects found walking the product (issue 26, item 5), each pinned through the real handlers."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from eforms import wiring
from eforms.core.common.clock import utc_now
from tests.support import uploads
from tests.support.flows import emails_for, wait_for
from tests.support.samples import CERTIFICATE, LEAVE, SUPPORT
from tests.support.world import Api


@pytest.mark.parametrize("version", ["abc", 1.5, None, [1], True, 0, "2"])
def test_an_upload_refuses_a_form_version_that_is_not_a_version(api: Api, version: Any) -> None:
    """It used to take any of these and quietly use the newest version, while /cases refused them."""
    body = {
        "formId": "payroll-support",
        "formVersion": version,
        "kind": "underlag",
        "name": "underlag.pdf",
        "contentType": "application/pdf",
        "size": 100,
    }
    reply = api.call("POST", "/uploads", json_body=body)
    assert reply.status == 422, reply.text
    assert reply.codes == [("/formVersion", "wrong_type")]
    case = api.call("POST", "/cases", json_body={"formId": "payroll-support", "formVersion": version, "data": SUPPORT})
    assert (case.status, case.codes) == (422, [("/formVersion", "wrong_type")])


def test_an_uploads_expiry_is_when_its_policy_stops_accepting_the_file(api: Api) -> None:
    started = uploads.start(api, "payroll-support", "underlag").json()["upload"]
    expires = datetime.fromisoformat(started["expiresAt"].replace("Z", "+00:00"))
    policy = json.loads(base64.b64decode(started["fields"]["policy"]))
    by_policy = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert abs((expires - by_policy).total_seconds()) <= 1
    assert expires - datetime.now(UTC) <= timedelta(minutes=10, seconds=5)


def test_marking_messages_read_takes_the_body_its_contract_names(api: Api) -> None:
    case_id = api.submit(SUPPORT, form="payroll-support").json()["caseId"]
    wait_for(api, case_id, "at_payroll")
    path = f"/cases/{case_id}/messages/read"
    assert api.call("POST", path, json_body={}).status == 200
    extra = api.call("POST", path, json_body={"upTo": "2026-01-01"})
    assert (extra.status, extra.codes) == (422, [("/upTo", "unknown_field")])
    assert api.call("POST", path, json_body=[]).status == 422
    assert api.call("POST", path, body="not json", headers={"content-type": "application/json"}).status == 400
    assert api.call("POST", "/cases/01JD5Z3QK4R8Y2M7T9V1W6X0AB/messages/read", json_body={"x": 1}).status == 404


@pytest.mark.parametrize("control", ["\u202e", "\u202a", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069"])
def test_text_that_would_display_in_another_order_is_refused(api: Api, control: str) -> None:
    """U+202E made a message read reversed to the officer ("Trojan Source"); the marks U+200E/F stay."""
    case_id = api.submit(SUPPORT, form="payroll-support").json()["caseId"]
    wait_for(api, case_id, "at_payroll")
    message = api.call("POST", f"/cases/{case_id}/messages", json_body={"text": f"Hej {control}gnidröb"})
    assert (message.status, message.codes) == (422, [("/text", "control_characters")])
    filed = api.submit({**SUPPORT, "message": f"Gäller {control}7202 rof gninkmäj"}, form="payroll-support")
    assert (filed.status, filed.codes) == (422, [("/data/message", "control_characters")])
    marked = api.call("POST", f"/cases/{case_id}/messages", json_body={"text": "مرحبا \u200f Hej"})
    assert marked.status == 201, marked.text


def test_a_receipt_never_needs_the_forms_grammatical_gender(api: Api) -> None:
    """ "din intyg … mottagen" was wrong Swedish (Intyg is neuter): the receipt speaks of the case instead."""
    filed = api.submit(CERTIFICATE, form="certificate-request").json()
    [receipt] = emails_for(filed["caseId"], "receipt")
    assert receipt.subject == "Intyg: ärendet är mottaget – Anna Andersson"
    assert f"Vi har tagit emot ditt ärende {filed['caseNumber']}: intyg." in receipt.text
    assert "din intyg" not in receipt.text


def test_payrolls_listing_rows_carry_the_payroll_block_the_desk_rows_have(api: Api) -> None:
    case_id = api.submit(SUPPORT, form="payroll-support").json()["caseId"]
    wait_for(api, case_id, "at_payroll")
    [row] = api.call("GET", "/cases", as_="pia", query="scope=payroll").json()["items"]
    [desk_row] = api.call("GET", "/desk/cases", as_="pia").json()["items"]
    assert row["caseId"] == desk_row["caseId"] == case_id
    assert row["payroll"] == desk_row["payroll"]
    assert row["payroll"]["dueDate"] >= wiring.now().date().isoformat()


def test_a_decision_page_post_with_a_field_twice_is_refused(api: Api) -> None:
    """``decision=reject&decision=approve`` was read as its first value; nothing may pick one for the person."""
    from tests.support.flows import link_path, post_page, submit_and_get_link

    case_id, link = submit_and_get_link(api)
    refused = post_page(api, link, decision=["reject", "approve"], message="x", lang="sv")
    assert refused.status == 400
    assert "text/html" in refused.headers["content-type"]
    assert wait_for(api, case_id, "awaiting_approval")["status"] == "awaiting_approval"
    assert post_page(api, link, decision="reject", message=["Nej", "Ja"], lang="sv").status == 400
    assert post_page(api, link_path(emails_for(case_id, "approval-initial")[0]), decision="approve").status == 200


def test_messages_in_a_row_make_one_notice_until_the_reader_has_read_them(api: Api) -> None:
    """Every secure message used to send its own email (the fuzzer sent one person 94 in 8 minutes)."""
    case_id = api.submit(SUPPORT, form="payroll-support").json()["caseId"]
    wait_for(api, case_id, "at_payroll")
    path = f"/cases/{case_id}/messages"
    started = datetime.now(UTC)

    def at(minutes: int) -> None:
        wiring.use_clock(lambda: started + timedelta(minutes=minutes))

    try:
        for minute in (0, 1, 2):
            at(minute)
            assert api.call("POST", path, as_="pia", json_body={"text": f"Fråga {minute}"}).status == 201
        assert len(emails_for(case_id, "message-waiting")) == 1  # one notice for the three
        # Anna reads them; the next message is news again.
        at(3)
        assert api.call("POST", f"{path}/read", json_body={}).status == 200
        at(4)
        assert api.call("POST", path, as_="pia", json_body={"text": "En till"}).status == 201
        assert len(emails_for(case_id, "message-waiting", count=2)) == 2
        # Unread, but long enough after: told again.
        at(30)
        assert api.call("POST", path, as_="pia", json_body={"text": "Påminnelse"}).status == 201
        assert len(emails_for(case_id, "message-waiting", count=3)) == 3
        # Anna's answers reach payroll's mailbox as one notice too.
        for minute in (31, 32):
            at(minute)
            assert api.call("POST", path, json_body={"text": f"Svar {minute}"}).status == 201
        to_payroll = [m for m in emails_for(case_id, "message-waiting", count=4) if "example.se" in m.to[0]]
        assert len([m for m in to_payroll if m.to != ["anna.andersson@example.se"]]) == 1
    finally:
        wiring.use_clock(lambda: datetime.now(UTC))


def test_an_activity_code_typed_in_small_letters_is_taken_in_capitals(api: Api) -> None:
    """Issue 29: "proj1" was refused as the wrong format; the form declares its codes upper case (x-case)."""
    month = utc_now().strftime("%Y-%m")
    rows = [{"date": f"{month}-01", "activity": "proj1", "from": "08:00", "to": "12:00"}]
    reply = api.submit({"period": month, "rows": rows}, form="time-report")
    assert reply.status == 201, reply.text
    assert reply.json()["data"]["rows"][0]["activity"] == "PROJ1"


def test_a_field_that_does_not_apply_to_the_answers_is_refused_at_its_pointer(api: Api) -> None:
    """Issue 29 §2: a child's birth date on a vacation, a postal address for digital delivery — the form's
    rule forbids them otherwise (else: not required), the page hides them, and the server says which."""
    birth = api.submit({**LEAVE, "childBirthDate": "2026-01-01"})
    address = {"name": "Anna", "street": "Storgatan 1", "postalCode": "12345", "city": "Norrby"}
    post = api.submit({**CERTIFICATE, "postalAddress": address}, form="certificate-request")
    for reply, pointer in ((birth, "/data/childBirthDate"), (post, "/data/postalAddress")):
        assert reply.status == 422
        assert [(e["pointer"], e["code"]) for e in reply.json()["errors"]] == [(pointer, "not_allowed")]
