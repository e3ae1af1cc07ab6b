"""BankID sign-in: former employees and outsiders file the forms that accept them and follow their own cases.

The broker's token (issuer ``BankIdIssuer``) carries a personnummer, never a directory id, and reaches the
same handlers under ``/bankid``. The personnummer is hashed under the stack's KMS HMAC key before anything
keeps it; a match in the directory is the same person as with the work account.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.flows import emails_for, wait_for
from tests.support.samples import CERTIFICATE, SUPPORT
from tests.support.world import BANKID_ISSUER, Api, World

KIM = "19910730-3340"  # never employed here
OLLE = "19680412-1231"  # left in June 2025
ANNA = "19850314-2385"  # employed; also has BankID
MARIA = "19721105-4569"  # a manager


def bankid(personnummer: str, name: str, email: str = "") -> dict[str, Any]:
    """The claims of a token from the BankID broker, as API Gateway's BankID authorizer hands them over."""
    claims = {"iss": BANKID_ISSUER, "sub": f"broker-{personnummer[-4:]}", "name": name, "personnummer": personnummer}
    return {**claims, "email": email} if email else claims


KIM_CLAIMS = bankid(KIM, "Kim Lindqvist", "kim.lindqvist@example.com")


def _certificate(api: Api, who: dict[str, Any], personnummer: str) -> Any:
    body = {
        "formId": "certificate-request",
        "data": {**CERTIFICATE, "personnummer": personnummer},
        "emailReceipt": True,
    }
    return api.call("POST", "/bankid/cases", as_=who, json_body=body)


def test_an_outsider_files_a_certificate_request_and_sees_only_their_own_case(
    api: Api, world: World, service_logs: Any
) -> None:
    forms = api.call("GET", "/bankid/forms", as_=KIM_CLAIMS).json()["forms"]
    assert sorted(f["formId"] for f in forms) == ["certificate-request", "payroll-support"]  # what BankID may file

    filed = _certificate(api, KIM_CLAIMS, KIM)
    assert filed.status == 201, filed.text
    case = filed.json()
    applicant = case["applicant"]["id"]
    assert applicant.startswith("bankid:")
    assert KIM.replace("-", "") not in applicant
    assert case["applicant"]["name"] == "Kim Lindqvist"
    wait_for(api, case["caseId"], "at_payroll", as_="pia")
    [receipt] = emails_for(case["caseId"], "receipt")
    assert receipt.to == ["kim.lindqvist@example.com"]  # the address the broker's token gave

    # Kim sees it, by list and by id, and the next sign-in finds the same person.
    listed = api.call("GET", "/bankid/cases", as_=bankid(KIM, "Kim Lindqvist")).json()["items"]
    assert [c["caseId"] for c in listed] == [case["caseId"]]
    assert api.call("GET", f"/bankid/cases/{case['caseId']}", as_=KIM_CLAIMS).status == 200
    # Nobody else who is not entitled does: another BankID caller, an employee.
    stranger = bankid("19121212-1212", "Tolvan Tolvansson")
    assert api.call("GET", f"/bankid/cases/{case['caseId']}", as_=stranger).status == 404
    assert api.call("GET", f"/cases/{case['caseId']}", as_="anna").status == 404
    assert api.call("GET", f"/cases/{case['caseId']}", as_="pia").status == 200  # payroll works it

    world.settle()
    logged = service_logs.getvalue()
    assert KIM not in logged
    assert KIM.replace("-", "") not in logged
    assert "kim.lindqvist" not in logged


def test_a_bankid_caller_files_only_the_forms_that_accept_bankid(api: Api) -> None:
    leave = {"leaveType": "semester", "period": {"from": "2027-07-05", "to": "2027-07-09"}, "extentPercent": 100}
    refused = api.call(
        "POST", "/bankid/cases", as_=KIM_CLAIMS, json_body={"formId": "leave-application", "data": leave}
    )
    assert (refused.status, refused.json()["code"]) == (403, "form_needs_work_account")
    # A form that does accept BankID takes its attachments too.
    start = {"formId": "payroll-support", "kind": "underlag", "name": "a.pdf", "contentType": "application/pdf"}
    assert api.call("POST", "/bankid/uploads", as_=KIM_CLAIMS, json_body={**start, "size": 9}).status == 201
    # On-behalf filing needs a role: BankID gives none.
    for_other = {**SUPPORT, "concernsOtherEmployee": True, "otherEmployee": {"employeeId": "anna", "name": "Anna"}}
    on_behalf = api.call(
        "POST", "/bankid/cases", as_=KIM_CLAIMS, json_body={"formId": "payroll-support", "data": for_other}
    )
    assert ("/data/concernsOtherEmployee", "on_behalf_not_permitted") in on_behalf.codes


def test_a_former_employee_is_the_same_person_and_their_work_account_no_longer_files(api: Api) -> None:
    olle = bankid(OLLE, "Olle P")
    filed = _certificate(api, olle, OLLE)
    assert filed.status == 201, filed.text
    assert filed.json()["applicant"] == {"id": "olle", "name": "Olle Persson"}  # the directory's person
    # A token for the directory id of someone who has left files nothing for employees any more.
    body = {"formId": "certificate-request", "data": {**CERTIFICATE, "personnummer": OLLE}}
    gone = api.call(
        "POST", "/cases", as_={"sub": "olle", "name": "Olle Persson", "email": "", "roles": []}, json_body=body
    )
    assert (gone.status, gone.json()["code"]) == (403, "not_in_directory")


def test_an_employee_with_bankid_sees_their_own_cases_and_nothing_a_role_would_show(api: Api) -> None:
    leave = {"leaveType": "semester", "period": {"from": "2027-07-05", "to": "2027-07-09"}, "extentPercent": 100}
    anna_case = api.submit(leave).json()["caseId"]
    waiting = wait_for(api, anna_case, "awaiting_approval")
    assert waiting["approver"]["id"] == "maria"

    # Anna with BankID: the same person, her case is there.
    mine = api.call("GET", "/bankid/cases", as_=bankid(ANNA, "Anna Andersson")).json()["items"]
    assert anna_case in [c["caseId"] for c in mine]
    # Maria with BankID: a manager's sign-in it is not — no team view, no decision, not even a look.
    maria = bankid(MARIA, "Maria Lind")
    assert api.call("GET", f"/bankid/cases/{anna_case}", as_=maria).status == 404
    assert api.call("GET", "/bankid/cases", as_=maria, query="scope=team").status in (403, 422)
    assert api.call("GET", f"/cases/{anna_case}", as_="maria").json()["mayDecide"] is True  # her work account may


@pytest.mark.parametrize(
    "claims",
    [
        bankid("19910730-3341", "Bad Check"),  # wrong check digit
        bankid("not-a-number", "Nobody"),
        {"iss": BANKID_ISSUER, "sub": "broker-x", "name": "No Number"},
        {**bankid(KIM, "Kim"), "personnummer": "19910730-3340; DROP"},
    ],
)
def test_a_broker_token_without_a_valid_personnummer_is_not_signed_in(api: Api, claims: dict[str, Any]) -> None:
    reply = api.call("GET", "/bankid/cases", as_=claims)
    assert reply.status == 401, reply.text


def test_a_signed_token_for_an_unknown_directory_subject_files_no_employee_form(api: Api) -> None:
    ghost = {"sub": "ghost", "name": "Ghost", "email": "ghost@example.se", "roles": []}
    leave = {"leaveType": "semester", "period": {"from": "2027-07-05", "to": "2027-07-09"}, "extentPercent": 100}
    for form, data in (("leave-application", leave), ("payroll-support", SUPPORT)):
        reply = api.call("POST", "/cases", as_=ghost, json_body={"formId": form, "data": data})
        assert (reply.status, reply.json()["code"]) == (403, "not_in_directory"), form
    assert json.loads(api.call("GET", "/cases", as_=ghost).text)["items"] == []


def test_a_form_open_to_bankid_with_an_attachment_and_a_two_step_route_works_from_its_file_alone(
    api: Api, world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """An outsider claims a fee: the decision attached, the specialist-support team checks it, a fee over
    10,000 kr also needs the payroll team's approval, then the desk. Nothing in the code names the form."""
    from eforms import wiring
    from tests.support import new_form, uploads

    monkeypatch.setenv("EFORMS_SCHEMA_DIR", str(new_form.publish(tmp_path, None, new_form.FEE_CLAIM)))
    wiring.reset()
    forms = api.call("GET", "/bankid/forms", as_=KIM_CLAIMS).json()["forms"]
    assert "fee-claim" in {f["formId"] for f in forms}
    assert "study-leave" not in {f["formId"] for f in forms}  # employee-only

    body: dict[str, Any] = {"formId": "fee-claim", "kind": "assignment-decision", "name": "beslut.pdf"}
    body |= {"contentType": "application/pdf", "size": len(uploads.PDF)}
    started = api.call("POST", "/bankid/uploads", as_=KIM_CLAIMS, json_body=body).json()
    assert uploads.post_file(started["upload"], uploads.PDF).status_code == 204
    assert api.call("POST", f"/bankid/uploads/{started['uploadId']}/check", as_=KIM_CLAIMS).status == 200
    claim = {"assignment": "Föreläsning om arbetsrätt", "date": "2026-11-12", "amount": 12000}
    filed = api.call(
        "POST",
        "/bankid/cases",
        as_=KIM_CLAIMS,
        json_body={"formId": "fee-claim", "data": claim, "attachments": [started["uploadId"]], "emailReceipt": True},
    )
    assert filed.status == 201, filed.text
    case_id = filed.json()["caseId"]

    # Step 1: the specialist-support team (Sara) — she sees the file and decides signed in.
    waiting = wait_for(api, case_id, "awaiting_approval", as_="sara")
    assert waiting["mayDecide"] is True
    assert api.call("GET", f"/cases/{case_id}/attachments/{started['uploadId']}", as_="sara").status == 200
    decide = {"decision": "approve", "version": waiting["version"]}
    assert api.call("POST", f"/cases/{case_id}/decision", as_="sara", json_body=decide).status == 200
    # Step 2: over 10,000 kr, the payroll team approves before the desk takes it.
    [to_sara, *to_payroll_team] = emails_for(case_id, "approval-initial", count=3)
    assert to_sara.to == ["sara.ek@example.se"]
    assert sorted(r for m in to_payroll_team for r in m.to) == ["per.dahl@example.se", "pia.nilsson@example.se"]
    second = wait_for(api, case_id, "awaiting_approval", as_="pia")
    assert second["approver"]["id"] == "team:team-north"  # the centre's payroll team North: Pia and Per
    decide = {"decision": "approve", "version": second["version"]}
    assert api.call("POST", f"/cases/{case_id}/decision", as_="pia", json_body=decide).status == 200
    wait_for(api, case_id, "at_payroll", as_="pia")
    # Kim follows it, and is told at the address the broker gave.
    assert api.call("GET", f"/bankid/cases/{case_id}", as_=KIM_CLAIMS).json()["status"] == "at_payroll"
    assert emails_for(case_id, "receipt")[0].to == ["kim.lindqvist@example.com"]


def test_a_certificate_is_only_about_whoever_asks_for_it(api: Api, service_logs: Any) -> None:
    """Issue 26, item 6: an outsider (and an employee) asked for a certificate carrying another person's
    personnummer and got 201. The number must be the one BankID verified, or the directory's."""
    someone_else = _certificate(api, KIM_CLAIMS, "19850314-2385")  # Anna's, typed by Kim
    assert (someone_else.status, someone_else.codes) == (422, [("/data/personnummer", "personnummer_not_the_subjects")])
    assert _certificate(api, KIM_CLAIMS, KIM).status == 201  # Kim's own, as BankID verified it
    # Anna signed in with BankID is known by her directory row: her own number only.
    anna = bankid("19850314-2385", "Anna Andersson")
    assert _certificate(api, anna, "19680412-1231").status == 422  # Olle's
    assert _certificate(api, anna, "19850314-2385").status == 201
    # With her work account too.
    data = {**CERTIFICATE, "personnummer": "19721105-4569"}  # Maria's
    refused = api.submit(data, form="certificate-request")
    assert (refused.status, refused.codes) == (422, [("/data/personnummer", "personnummer_not_the_subjects")])
    # Erik's directory row has no personnummer: nothing to check against, and the desk is told so.
    filed = api.submit({**CERTIFICATE, "personnummer": "19900101-0017"}, form="certificate-request", as_="erik")
    assert filed.status == 201, filed.text
    assert filed.json()["history"][0]["details"] == {"personnummer": "unverified"}
    assert "19850314" not in service_logs.getvalue()


def test_a_bankid_errand_is_for_the_organisation_it_names(api: Api, world: World) -> None:
    """BankID names a person, not an organisation: the errand's is asked for (docs/organisations.md, §2). Olle,
    who left the centre and also worked for Norrby, asks Norrby as Norrby's former employee; Kim, an outsider,
    asks Sundsvik as Sundsvik's outsider. A Danish school that takes no BankID errands refuses the sign-in."""
    from eforms.aws.dynamo_directory import DynamoDirectory
    from eforms.core.identity.directory_import import parse_export
    from eforms.wiring import personnummer_hasher

    norrby = [{"employeeId": "E7001", "name": "Olle Persson", "email": "olle@norrby.example.se", "personnummer": OLLE}]
    rows = parse_export(json.dumps(norrby), fmt="json", hasher=personnummer_hasher(), namespace="norrby")
    DynamoDirectory(world.refs["DirectoryTable"]).put_all(rows)
    olle = bankid(OLLE, "Olle P")

    def filed(who: dict[str, Any], personnummer: str, organisation: str | None) -> Any:
        body = {"formId": "certificate-request", "data": {**CERTIFICATE, "personnummer": personnummer}}
        headers = {"x-organisation": organisation} if organisation else None
        return api.call("POST", "/bankid/cases", as_=who, json_body=body, headers=headers)

    at_norrby = filed(olle, OLLE, "norrby")
    assert at_norrby.status == 201, at_norrby.text
    assert at_norrby.json()["applicant"]["id"] == "norrby/E7001"
    assert at_norrby.json()["organisation"]["id"] == "norrby"
    assert filed(olle, OLLE, None).json()["applicant"]["id"] == "olle"  # the centre's own, as before
    kim = filed(KIM_CLAIMS, KIM, "sundsvik")
    assert kim.status == 201, kim.text
    assert kim.json()["applicant"]["id"].startswith("sundsvik/bankid:")
    mine = api.call("GET", "/bankid/cases", as_=KIM_CLAIMS, headers={"x-organisation": "sundsvik"}).json()["items"]
    assert [row["caseId"] for row in mine] == [kim.json()["caseId"]]
    assert api.call("GET", f"/bankid/cases/{kim.json()['caseId']}", as_=KIM_CLAIMS).status == 404  # another's
    refused = filed(KIM_CLAIMS, KIM, "skovby-gymnasium")
    assert (refused.status, refused.json()["code"]) == (401, "bankid_not_offered")
    unknown = filed(KIM_CLAIMS, KIM, "Atlantis!")
    assert (unknown.status, unknown.json()["code"]) == (401, "organisation_unknown")
