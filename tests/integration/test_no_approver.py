"""A route step that nobody may decide never ends the case (issue 26, item 1).

Every kind of step — the manager, the manager's manager, a team — can find nobody: no manager recorded,
everyone in the line excluded (the filer, whom it concerns, whoever approved a step already), an empty team.
The step then goes to its declared fallback team or, without one, to the payroll desk, which appoints
someone; the filer is told the truth, ops count it, and the appointed person is asked like any approver.
Through the real handlers and the real state machine.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from eforms import wiring
from tests.support import new_form, uploads
from tests.support.examples import examples
from tests.support.flows import emails_for, link_path, post_page, states_entered, wait_for
from tests.support.world import PAYROLL_MAILBOX, Api, World

DANISH_PAYMENT = "one-off-payment-dk"


def _actions(case: dict[str, Any]) -> list[str]:
    return [h["action"] for h in case["history"]]


def _payment(amount: float) -> dict[str, Any]:
    return {
        "employee": {"employeeId": "jens", "name": "Jens Nielsen"},
        "kind": "engangsvederlag",
        "amountDkk": amount,
        "pensionable": False,
        "reason": "Særlig indsats ved implementering af nyt lønsystem.",
    }


def _appoint(api: Api, case: dict[str, Any], employee_id: str, *, as_: str = "pia") -> Any:
    body = {"version": case["version"], "employeeId": employee_id}
    return api.call("POST", f"/cases/{case['caseId']}/approver", as_=as_, json_body=body)


def test_the_managers_manager_step_with_nobody_left_waits_for_the_desk_and_goes_on(
    api: Api, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    """The walk: Mette files DKK 30,000 for Jens; Lars approves the manager's step (Mette filed it, so it went
    up); the manager's manager step has nobody left (Lars decided already, and has no manager)."""
    filed = api.submit(_payment(30000), form=DANISH_PAYMENT, as_="mette")
    assert filed.status == 201, filed.text
    case_id = filed.json()["caseId"]
    [to_lars] = emails_for(case_id, "approval-initial")
    assert to_lars.to == ["lars.holm@example.se"]
    assert post_page(api, link_path(to_lars), decision="approve", lang="da").status == 200

    waiting = wait_for(api, case_id, "awaiting_approval", as_="mette")
    assert _actions(waiting)[-1] == "approver_missing"
    assert waiting["approver"]["name"] == "Lönecentrum utser beslutsfattare"
    in_danish = api.call("GET", f"/cases/{case_id}", as_="mette", headers={"accept-language": "da"}).json()
    assert in_danish["approver"]["name"] == "Lønservice udpeger en beslutningstager"
    assert "expired" not in _actions(waiting)
    # The filer hears the truth, in Danish; the payroll mailbox is asked to appoint.
    told, _to_jens = emails_for(case_id, "approver-missing")  # the filer and whom the case concerns
    assert told.to == ["mette.hansen@example.dk"]
    assert "Lønservice udpeger" in told.text
    assert "tid" not in told.subject
    [asked] = emails_for(case_id, "appointment-wanted")
    assert asked.to == [PAYROLL_MAILBOX]
    # Ops count it (EMF metric the ApproversMissing alarm watches).
    counted = [line for line in capsys.readouterr().out.splitlines() if '"ApproversMissing"' in line]
    assert [json.loads(line)["ApproversMissing"] for line in counted] == [[1.0]]

    # The desk lists it; payroll may see it; nobody else new may.
    listed = api.call("GET", "/desk/cases", as_="pia", query="status=awaiting_approval").json()["items"]
    assert [item["caseId"] for item in listed] == [case_id]
    assert api.call("GET", "/desk/cases", as_="pia", query="status=awaiting_approval&formId=x").status == 400
    assert api.call("GET", f"/cases/{case_id}", as_="erik").status == 404
    seen = api.call("GET", f"/cases/{case_id}", as_="pia").json()

    # Whoever already decided this round, the filer, whom it concerns and strangers cannot be appointed.
    for wrong in ("lars", "mette", "jens", "nobody-here"):
        refused = _appoint(api, seen, wrong)
        assert refused.status == 422, refused.text
        assert refused.codes == [("/employeeId", "not_an_eligible_approver")]
    assert _appoint(api, seen, "karen", as_="anna").status == 404  # not payroll: no such case
    appointed = _appoint(api, seen, "karen")
    assert appointed.status == 200, appointed.text
    assert _appoint(api, appointed.json(), "ada").status == 409  # nothing waits for an appointment now

    # Karen is asked like any approver, with a link of her own, and her approval takes the case on.
    [to_karen] = [m for m in emails_for(case_id, "approval-initial", count=2) if m.to == ["karen.moller@example.dk"]]
    assert to_karen.language == "da"
    assert post_page(api, link_path(to_karen), decision="approve", lang="da").status == 200
    done = wait_for(api, case_id, "at_payroll", as_="mette")
    assert _actions(done)[-5:] == [
        "approver_missing",
        "approver_appointed",
        "approval_requested",
        "approved",
        "handed_to_payroll",
    ]
    assert done["history"][-4]["details"]["approverId"] == "karen"
    assert "AwaitAppointment" in states_entered(world, case_id)
    assert api.call("GET", "/desk/cases", as_="pia", query="status=awaiting_approval").json()["items"] == []


def test_a_manager_step_with_no_manager_recorded_waits_for_the_desk(api: Api, world: World) -> None:
    """Lars has no manager: his own leave application used to be refused at submission."""
    filed = api.submit(examples("leave-application", world_today())["valid"][0], as_="lars")
    assert filed.status == 201, filed.text
    case_id = filed.json()["caseId"]
    waiting = wait_for(api, case_id, "awaiting_approval", as_="lars")
    assert _actions(waiting) == ["submitted", "approver_missing"]
    [told] = emails_for(case_id, "approver-missing")
    assert told.to == ["lars.holm@example.se"]
    seen = api.call("GET", f"/cases/{case_id}", as_="per").json()
    assert _appoint(api, seen, "sven", as_="per").status == 200
    [to_sven] = emails_for(case_id, "approval-initial")
    assert to_sven.to == ["sven.berg@example.se"]
    assert post_page(api, link_path(to_sven), decision="reject", message="Inte nu.", lang="sv").status == 200
    wait_for(api, case_id, "rejected", as_="lars")


def test_the_filer_may_withdraw_a_case_waiting_for_an_appointment(api: Api) -> None:
    filed = api.submit(examples("leave-application", world_today())["valid"][0], as_="lars")
    case_id = filed.json()["caseId"]
    waiting = wait_for(api, case_id, "awaiting_approval", as_="lars")
    withdrawn = api.call("POST", f"/cases/{case_id}/withdrawal", as_="lars", json_body={"version": waiting["version"]})
    assert withdrawn.status == 200, withdrawn.text
    wait_for(api, case_id, "withdrawn", as_="lars")
    assert _appoint(api, withdrawn.json(), "sven").status == 409


class TestTeamSteps:
    @pytest.fixture(autouse=True)
    def published(self, world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.setenv("EFORMS_SCHEMA_DIR", str(new_form.publish(tmp_path)))
        wiring.reset()

    def _submit(self, api: Api) -> str:
        body = {
            "formId": new_form.FORM_ID,
            "data": new_form.SHORT,
            "attachments": [uploads.attach(api, new_form.FORM_ID, "course-description")],
        }
        submitted = api.call("POST", "/cases", json_body=body)
        assert submitted.status == 201, submitted.text
        return str(submitted.json()["caseId"])

    def test_an_empty_team_waits_for_the_desk(self, api: Api, world: World) -> None:
        world.update_employee("sara", team=None)
        case_id = self._submit(api)
        [to_maria] = emails_for(case_id, "approval-initial")
        assert post_page(api, link_path(to_maria), decision="approve", lang="sv").status == 200
        waiting = wait_for(api, case_id, "awaiting_approval")
        assert _actions(waiting)[-1] == "approver_missing"
        assert waiting["history"][-1]["details"] == {"step": 2, "kind": "team"}
        seen = api.call("GET", f"/cases/{case_id}", as_="pia").json()
        assert _appoint(api, seen, "maria").status == 422  # she approved the first step of this round
        assert _appoint(api, seen, "sven").status == 200
        [to_sven] = [m for m in emails_for(case_id, "approval-initial", count=2) if m.to == ["sven.berg@example.se"]]
        assert post_page(api, link_path(to_sven), decision="approve", lang="sv").status == 200
        wait_for(api, case_id, "at_payroll")

    def test_a_declared_fallback_team_decides_when_the_manager_cannot(
        self, api: Api, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        document = copy.deepcopy(new_form.DOCUMENT)
        document["x-eform"]["route"][0]["fallback"] = {
            "approver": "team",
            "team": "specialist-support",
            "title": "Specialiststöd",
            "x-en": {"title": "Specialist support"},
        }
        monkeypatch.setenv("EFORMS_SCHEMA_DIR", str(new_form.publish(tmp_path / "fallback", document)))
        wiring.reset()
        world.update_employee("anna", manager_id=None)
        case_id = self._submit(api)
        [to_team] = emails_for(case_id, "approval-initial")
        assert to_team.to == ["sara.ek@example.se"]
        waiting = wait_for(api, case_id, "awaiting_approval", as_="sara")
        assert waiting["approver"] == {"id": "team:specialist-support", "name": "Specialiststöd"}
        assert waiting["history"][-1]["details"]["reason"] == "fallback"
        assert emails_for(case_id, "approver-missing", count=0) == []


def world_today() -> Any:
    from eforms.core.common.clock import stockholm_date

    return stockholm_date(wiring.now())
