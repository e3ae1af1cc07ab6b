"""Drafts through the real handlers and table (issue 29, docs/self-service.md §1): saved, resumed, filed once,
never anyone else's, reminded once before they expire."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from devstack.mailbox import sent_emails
from eforms import wiring
from eforms.core.common.clock import parse_iso, stockholm_date, utc_now
from eforms.core.intake.drafts import MAX_DRAFTS
from tests.support.faults import throttled
from tests.support.flows import run_desk_scheduler
from tests.support.samples import LEAVE, SUPPORT
from tests.support.world import BASE_URL, Api, World

HALF_A_MONTH: dict[str, Any] = {"period": "2026-11", "rows": [{"date": "2026-11-02", "activity": "A100", "hours": 7.5}]}


def _save(api: Api, data: dict[str, Any] | None = None, *, as_: str = "anna", **extra: Any) -> dict[str, Any]:
    reply = api.call(
        "POST", "/drafts", as_=as_, json_body={"formId": "time-report", "data": data or HALF_A_MONTH, **extra}
    )
    assert reply.status == 201, reply.text
    assert reply.headers["location"] == f"/drafts/{reply.json()['draftId']}"
    draft: dict[str, Any] = reply.json()
    return draft


def test_a_draft_is_saved_listed_resumed_and_saved_again(api: Api) -> None:
    draft = _save(api, title="November")
    assert draft["data"] == HALF_A_MONTH
    assert (draft["formTitle"], draft["title"], draft["version"], draft["retired"]) == (
        "Tidrapport",
        "November",
        1,
        False,
    )
    listed = api.call("GET", "/drafts").json()["items"]
    assert [d["draftId"] for d in listed] == [draft["draftId"]]
    assert "data" not in listed[0]  # the list is the drafts' names, not their answers
    more = {**HALF_A_MONTH, "rows": [*HALF_A_MONTH["rows"], {"date": "2026-11-03", "activity": "A100", "hours": 8}]}
    saved = api.call("PUT", f"/drafts/{draft['draftId']}", json_body={"version": 1, "data": more})
    assert saved.status == 200, saved.text
    assert (saved.json()["version"], saved.json()["title"]) == (2, "November")  # a title not sent is kept
    assert parse_iso(saved.json()["expiresAt"]) >= parse_iso(draft["expiresAt"])
    assert api.call("GET", f"/drafts/{draft['draftId']}").json()["data"] == more
    stale = api.call("PUT", f"/drafts/{draft['draftId']}", json_body={"version": 1, "data": HALF_A_MONTH})
    assert (stale.status, stale.json()["code"]) == (409, "draft_changed")


def test_a_draft_lives_the_forms_declared_days_after_each_save(api: Api) -> None:
    draft = _save(api)
    lifetime = parse_iso(draft["expiresAt"]) - parse_iso(draft["updatedAt"])
    assert timedelta(days=29, hours=23) < lifetime <= timedelta(days=30)


@pytest.mark.parametrize("who", ["erik", "lena", "maria"])
def test_someone_elses_draft_is_404_on_every_route_before_the_body_is_read(api: Api, who: str) -> None:
    """Another employee, another organisation's, the owner's own manager: none sees it, whatever they send."""
    draft_id = _save(api)["draftId"]
    assert api.call("GET", f"/drafts/{draft_id}", as_=who).status == 404
    assert api.call("GET", "/drafts", as_=who).json()["items"] == []
    for body in ('{"version": 1, "data": {}}', "{not json", '{"version": 1, "version": 2}'):
        reply = api.call("PUT", f"/drafts/{draft_id}", as_=who, body=body)
        assert (reply.status, reply.json()["code"]) == (404, "draft_not_found")
    assert api.call("DELETE", f"/drafts/{draft_id}", as_=who).status == 404
    assert api.call("GET", f"/drafts/{draft_id}").json()["data"] == HALF_A_MONTH  # untouched


def test_sending_a_draft_files_the_case_and_deletes_the_draft_in_one_transaction(api: Api) -> None:
    draft_id = api.call("POST", "/drafts", json_body={"formId": "leave-application", "data": {"leaveType": "semester"}})
    draft_id = draft_id.json()["draftId"]
    body = {"formId": "leave-application", "data": LEAVE, "draftId": draft_id}
    created = api.call("POST", "/cases", json_body=body)
    assert created.status == 201, created.text
    assert api.call("GET", f"/drafts/{draft_id}").status == 404
    assert api.call("GET", "/drafts").json()["items"] == []
    again = api.call("POST", "/cases", json_body=body)  # the draft is gone: nothing filed twice from it
    assert (again.status, again.json()["code"]) == (404, "draft_not_found")


def test_a_case_cannot_finish_someone_elses_draft_or_another_forms(api: Api, world: World) -> None:
    draft_id = _save(api)["draftId"]
    before = world.client("dynamodb").scan(TableName=world.refs["CasesTable"], Select="COUNT")["Count"]
    for who, form, data in (("erik", "leave-application", LEAVE), ("anna", "leave-application", LEAVE)):
        body = {"formId": form, "data": data, "draftId": draft_id}
        reply = api.call("POST", "/cases", as_=who, json_body=body)
        assert (reply.status, reply.json()["code"]) == (404, "draft_not_found")
    after = world.client("dynamodb").scan(TableName=world.refs["CasesTable"], Select="COUNT")["Count"]
    assert after == before  # no case, no number pointer, no history: nothing written
    assert api.call("GET", f"/drafts/{draft_id}").status == 200


@pytest.mark.parametrize(
    ("body", "pointer", "code"),
    [
        ({"formId": "time-report", "data": []}, "/data", "wrong_type"),
        ({"formId": "time-report"}, "/data", "required"),
        ({"formId": "time-report", "data": {"note": "a\u0000b"}}, "/data/note", "control_characters"),
        ({"formId": "time-report", "data": {}, "title": "x" * 81}, "/title", "too_long"),
        ({"formId": "time-report", "data": {}, "owner": "erik"}, "/owner", "unknown_field"),
        ({"formId": "no-such-form", "data": {}}, "/formId", "unknown_form"),
        ({"formId": "time-report", "formVersion": "1", "data": {}}, "/formVersion", "wrong_type"),
    ],
)
def test_a_malformed_draft_is_refused_naming_the_field_and_nothing_is_kept(
    api: Api, body: dict[str, Any], pointer: str, code: str
) -> None:
    reply = api.call("POST", "/drafts", json_body=body)
    assert reply.status == 422, reply.text
    assert [(e["pointer"], e["code"]) for e in reply.json()["errors"]][:1] == [(pointer, code)]
    assert api.call("GET", "/drafts").json()["items"] == []


def test_a_draft_is_not_validated_against_the_form_only_its_shape(api: Api) -> None:
    """Half filled means invalid: a wrong period and a row without its activity are kept as they are."""
    unfinished = {"period": "nov", "rows": [{"date": "2026-11-02"}]}
    assert _save(api, unfinished)["data"] == unfinished


def test_a_person_keeps_at_most_twenty_drafts(api: Api) -> None:
    for _ in range(MAX_DRAFTS):
        _save(api)
    refused = api.call("POST", "/drafts", json_body={"formId": "time-report", "data": {}})
    assert (refused.status, refused.json()["code"]) == (409, "too_many_drafts")
    first = api.call("GET", "/drafts").json()["items"][-1]["draftId"]
    assert api.call("DELETE", f"/drafts/{first}").status == 204
    _save(api)


def test_a_form_the_caller_may_not_file_cannot_be_drafted(api: Api) -> None:
    """The catalogue's rules hold for drafts too: a new salary is a manager's or HR's form, not Anna's."""
    reply = api.call("POST", "/drafts", json_body={"formId": "new-salary", "data": {}})
    assert (reply.status, reply.json()["code"]) == (403, "form_needs_role")


def test_an_expired_draft_is_gone_though_the_table_has_not_yet_removed_it(api: Api) -> None:
    draft = _save(api)
    later = parse_iso(draft["expiresAt"]) + timedelta(seconds=1)
    wiring.use_clock(lambda: later)
    try:
        assert api.call("GET", f"/drafts/{draft['draftId']}").status == 404
        assert api.call("GET", "/drafts").json()["items"] == []
    finally:
        wiring.use_clock(utc_now)


def _reminder_day(draft: dict[str, Any]) -> datetime:
    """09:00 Stockholm on the third working day before the draft expires (the test's dates are plain weeks)."""
    from eforms.core.common.clock import stockholm_date
    from eforms.core.intake.drafts import remind_on

    day = remind_on(parse_iso(draft["updatedAt"]), parse_iso(draft["expiresAt"]), "se")
    assert day < stockholm_date(parse_iso(draft["expiresAt"]))
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC)


def _reminders() -> list[Any]:
    return [m for m in sent_emails() if m.kind == "draft-reminder"]


def test_a_draft_about_to_expire_is_reminded_once_in_its_owners_language(api: Api, world: World) -> None:
    draft = _save(api)
    english = api.call(
        "POST",
        "/drafts",
        as_="erik",
        json_body={"formId": "time-report", "data": {}},
        headers={"accept-language": "en"},
    ).json()
    at = _reminder_day(draft)
    assert run_desk_scheduler(world, at - timedelta(days=1))["draftReminders"] == 0  # not yet
    assert run_desk_scheduler(world, at)["draftReminders"] == 2
    assert run_desk_scheduler(world, at + timedelta(minutes=15))["draftReminders"] == 0  # once
    by_person = {m.to[0]: m for m in _reminders()}
    anna = by_person["anna.andersson@example.se"]
    expires = stockholm_date(parse_iso(draft["expiresAt"])).isoformat()  # the day in Stockholm, not in UTC
    assert anna.subject == f"Ditt utkast tas bort {expires}: Tidrapport"
    assert f"{BASE_URL}/app/#/drafts/{draft['draftId']}" in anna.text
    assert "A100" not in anna.text  # the form's name, never the answers
    assert "2026-11" not in anna.text
    assert by_person["erik.oberg@example.se"].subject.startswith("Your draft will be deleted on")
    assert english["draftId"] in by_person["erik.oberg@example.se"].text


def test_saving_again_after_the_reminder_earns_a_new_one_before_the_new_expiry(api: Api, world: World) -> None:
    draft = _save(api)
    at = _reminder_day(draft)
    assert run_desk_scheduler(world, at)["draftReminders"] == 1
    wiring.use_clock(lambda: at + timedelta(hours=1))
    try:
        resaved = api.call("PUT", f"/drafts/{draft['draftId']}", json_body={"version": 1, "data": {}}).json()
    finally:
        wiring.use_clock(utc_now)
    assert run_desk_scheduler(world, at + timedelta(hours=2))["draftReminders"] == 0
    assert run_desk_scheduler(world, _reminder_day(resaved))["draftReminders"] == 1
    assert len(_reminders()) == 2


def test_a_reminder_ses_refused_is_counted_and_sent_by_the_next_run_once(
    api: Api, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = _save(api)
    at = _reminder_day(draft)
    with throttled("sesv2", "SendEmail", code="SendingPausedException", times=10):
        result = run_desk_scheduler(world, at)
    assert result["draftReminders"] == 0  # the run itself goes on: breaches and the digest are not held up
    printed = capsys.readouterr().out.splitlines()
    counted = [json.loads(line) for line in printed if '"DraftRemindersNotSent"' in line and "_aws" in line]
    assert [c["DraftRemindersNotSent"] for c in counted] == [[1.0]]
    assert _reminders() == []
    assert run_desk_scheduler(world, at + timedelta(minutes=15))["draftReminders"] == 1
    assert run_desk_scheduler(world, at + timedelta(minutes=30))["draftReminders"] == 0
    assert len(_reminders()) == 1


def test_a_draft_sent_before_its_reminder_day_is_not_reminded(api: Api, world: World) -> None:
    draft = api.call("POST", "/drafts", json_body={"formId": "leave-application", "data": {}}).json()
    body = {"formId": "leave-application", "data": LEAVE, "draftId": draft["draftId"]}
    assert api.call("POST", "/cases", json_body=body).status == 201
    assert run_desk_scheduler(world, _reminder_day(draft))["draftReminders"] == 0


def test_a_draft_of_a_version_since_retired_says_so_and_is_filed_on_the_newest(api: Api) -> None:
    """The support form's version 1 is taken until 2027-01-31; a draft saved on it days before is still
    there after, marked retired, and sends on version 2."""
    saved_at = datetime(2027, 1, 25, 9, 0, tzinfo=UTC)
    wiring.use_clock(lambda: saved_at)
    try:
        body = {"formId": "payroll-support", "formVersion": 1, "data": {"category": "skatt"}}
        draft = api.call("POST", "/drafts", json_body=body).json()
        assert (draft["formVersion"], draft["retired"]) == (1, False)
        wiring.use_clock(lambda: saved_at + timedelta(days=8))
        resumed = api.call("GET", f"/drafts/{draft['draftId']}").json()
        assert (resumed["formVersion"], resumed["retired"], resumed["data"]) == (1, True, {"category": "skatt"})
        sent = api.call(
            "POST",
            "/cases",
            json_body={"formId": "payroll-support", "data": {**SUPPORT}, "draftId": draft["draftId"]},
        )
        assert sent.status == 201, sent.text
        assert sent.json()["formVersion"] == 2
    finally:
        wiring.use_clock(utc_now)


def test_dynamodb_failing_answers_503_and_loses_neither_the_draft_nor_the_case(api: Api) -> None:
    """A save DynamoDB refuses is a 503 the client retries; a filing whose transaction fails leaves the draft
    in place and no case; both succeed once DynamoDB is back."""
    with throttled("dynamodb", "PutItem", times=10) as refused:
        reply = api.call(
            "POST", "/drafts", json_body={"formId": "leave-application", "data": {"leaveType": "semester"}}
        )
    assert refused
    assert reply.status == 503
    assert api.call("GET", "/drafts").json()["items"] == []
    draft_id = api.call("POST", "/drafts", json_body={"formId": "leave-application", "data": {}}).json()["draftId"]
    body = {"formId": "leave-application", "data": LEAVE, "draftId": draft_id}
    with throttled("dynamodb", "TransactWriteItems", times=10):
        assert api.call("POST", "/cases", json_body=body).status == 503
    assert api.call("GET", "/cases").json()["items"] == []
    assert api.call("GET", f"/drafts/{draft_id}").status == 200
    assert api.call("POST", "/cases", json_body=body).status == 201
    assert api.call("GET", f"/drafts/{draft_id}").status == 404


def test_dynamodb_failing_to_list_due_reminders_holds_up_nothing_else_and_the_next_run_reminds(
    api: Api, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = _save(api)
    at = _reminder_day(draft)
    with throttled("dynamodb", "Query", times=20, carrying="DraftReminders") as refused:
        result = run_desk_scheduler(world, at)
    assert refused
    assert result["draftReminders"] == 0
    printed = capsys.readouterr().out.splitlines()
    assert any('"DraftRemindersNotSent"' in line and "_aws" in line for line in printed)
    assert run_desk_scheduler(world, at + timedelta(minutes=15))["draftReminders"] == 1
    assert len(_reminders()) == 1
