"""Approval routes as data: a form the code has never seen, with a conditional step and a team step, walked
end to end through the real handlers and the real state machine — with no code change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eforms import wiring
from tests.support import new_form, uploads
from tests.support.flows import emails_for, link_path, post_page, states_entered, wait_for
from tests.support.world import Api, World


@pytest.fixture(autouse=True)
def published(world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EFORMS_SCHEMA_DIR", str(new_form.publish(tmp_path)))
    wiring.reset()


def _attachment(api: Api) -> str:
    return uploads.attach(api, new_form.FORM_ID, "course-description")


def _submit(api: Api, data: dict[str, Any]) -> str:
    body = {"formId": new_form.FORM_ID, "data": data, "attachments": [_attachment(api)]}
    submitted = api.call("POST", "/cases", json_body=body)
    assert submitted.status == 201, submitted.text
    return str(submitted.json()["caseId"])


def _actions(case: dict) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return [(h["action"], h["actor"]["id"]) for h in case["history"]]


def test_a_long_leave_walks_manager_managers_manager_and_team(api: Api, world: World) -> None:
    form = api.call("GET", f"/forms/{new_form.FORM_ID}").json()
    assert [s["approver"] for s in form["route"]] == ["manager", "managers-manager", "team", "payroll"]
    assert form["route"][1]["conditional"] is True
    assert form["route"][2]["title"] == "Specialiststöd"

    case_id = _submit(api, new_form.LONG)
    [to_maria] = emails_for(case_id, "approval-initial")
    assert to_maria.to == ["maria.lind@example.se"]
    assert post_page(api, link_path(to_maria), decision="approve", lang="sv").status == 200

    # More than 20 working days: the manager's manager is asked next, with a link of their own.
    [_, to_lars] = emails_for(case_id, "approval-initial", count=2)
    assert to_lars.to == ["lars.holm@example.se"]
    assert post_page(api, link_path(to_lars), decision="approve", lang="sv").status == 200

    # The team step: each member is told, with a link to the case (no capability link); they decide signed in.
    [*_, to_team] = emails_for(case_id, "approval-initial", count=3)
    assert to_team.to == ["sara.ek@example.se"]
    assert "/decisions/" not in to_team.text
    assert "Specialiststöd" in to_team.subject
    waiting = wait_for(api, case_id, "awaiting_approval", as_="sara")
    assert waiting["approver"]["id"] == "team:specialist-support"
    assert waiting["approver"]["name"] == "Specialiststöd"
    in_english = api.call("GET", f"/cases/{case_id}", as_="sara", headers={"accept-language": "en"}).json()
    assert in_english["approver"]["name"] == "Specialist support"  # the team's title in the reader's language
    pending = api.call("GET", "/approvals", as_="sara").json()["items"]
    assert [p["caseId"] for p in pending] == [case_id]
    assert api.call("GET", "/approvals", as_="maria").json()["items"] == []
    # Someone outside the team may not decide it (and may not even see it).
    assert (
        api.call(
            "POST",
            f"/cases/{case_id}/decision",
            as_="erik",
            json_body={"decision": "approve", "version": waiting["version"]},
        ).status
        == 404
    )
    decided = api.call(
        "POST",
        f"/cases/{case_id}/decision",
        as_="sara",
        json_body={"decision": "approve", "version": waiting["version"]},
    )
    assert decided.status == 200, decided.text

    done = wait_for(api, case_id, "at_payroll")
    assert _actions(done) == [
        ("submitted", "anna"),
        ("approval_requested", "system"),
        ("step_approved", "maria"),
        ("approval_requested", "system"),
        ("step_approved", "lars"),
        ("approval_requested", "system"),
        ("approved", "sara"),
        ("handed_to_payroll", "system"),
    ]
    assert [h["details"].get("reason") for h in done["history"] if h["action"] == "approval_requested"] == [
        "manager",
        "managers-manager",
        "team",
    ]
    emails_for(case_id, "decision-approved")  # the employee hears once, when the whole route is done
    # Each step planned knowing whether another follows: the last one approved goes straight to the PDF.
    asked = ["NextStep", "ByStep", "RequestApproval", "Decided"]
    assert states_entered(world, case_id) == [*asked * 3, "RenderPdf", "HandToPayroll"]


def test_a_short_leave_skips_the_conditional_step_and_a_correction_restarts_the_route(api: Api) -> None:
    case_id = _submit(api, new_form.SHORT)
    [to_maria] = emails_for(case_id, "approval-initial")
    post_page(api, link_path(to_maria), decision="approve", lang="sv")

    [*_, to_team] = emails_for(case_id, "approval-initial", count=2)
    assert to_team.to == ["sara.ek@example.se"]  # five working days: the manager's manager is skipped
    waiting = wait_for(api, case_id, "awaiting_approval", as_="sara")
    returned = api.call(
        "POST",
        f"/cases/{case_id}/decision",
        as_="sara",
        json_body={
            "decision": "return",
            "fields": ["/period"],
            "message": "Kursen är åtta veckor.",
            "version": waiting["version"],
        },
    )
    assert returned.status == 200, returned.text
    case = wait_for(api, case_id, "returned")
    fixed = api.call(
        "POST", f"/cases/{case_id}/resubmission", json_body={"data": new_form.LONG, "version": case["version"]}
    )
    assert fixed.status == 200, fixed.text

    # The route starts again from its first step, and the manager sees what changed.
    [*_, again] = emails_for(case_id, "approval-initial", count=3)
    assert again.to == ["maria.lind@example.se"]
    assert "Ändrat efter rättelse" in again.text
    assert "2027-02-05" in again.text
    assert "2027-03-31" in again.text
    page = api.call("GET", link_path(again), as_=None)
    assert "2027-02-05" in page.text
    assert "2027-03-31" in page.text
    post_page(api, link_path(again), decision="approve", lang="sv")
    # Now longer than 20 working days: the condition holds on the corrected data.
    [*_, to_lars] = emails_for(case_id, "approval-initial", count=4)
    assert to_lars.to == ["lars.holm@example.se"]
