"""Who a BankID sign-in is: the claims, the keyed hash, the directory match, and what each kind may file."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace
from datetime import date

import pytest

from eforms.core.common.errors import Forbidden, Unauthorized
from eforms.core.forms.catalogue import Catalogue
from eforms.core.identity.bankid import identify, is_outsider_id
from eforms.core.identity.caller import BANKID, EMPLOYEE, BankIdIssuer, Caller, caller_from_claims
from eforms.core.identity.directory import Employee
from eforms.core.identity.directory_import import DirectoryImportError, parse_export
from eforms.core.intake.eligibility import check_may_file
from tests.support.fakes import FakeDirectory
from tests.unit.test_catalogue import SCHEMAS

BROKER = BankIdIssuer("https://broker.example.se", "personnummer")
TODAY = date(2026, 11, 23)
CATALOGUE = Catalogue(SCHEMAS)


class FakeHasher:
    """HMAC-SHA256 under a fixed key, as KMS GenerateMac computes it under the stack's key."""

    def digest(self, personnummer: str) -> str:
        return hmac.new(b"test-key", personnummer.replace("-", "").encode(), hashlib.sha256).hexdigest()


def _claims(personnummer: str = "19680412-1231", **extra: str) -> dict[str, str]:
    return {"iss": BROKER.issuer, "sub": "broker-1", "name": "Olle P", "personnummer": personnummer, **extra}


def test_a_broker_token_is_a_bankid_caller_without_roles_even_if_it_claims_some() -> None:
    caller = caller_from_claims({**_claims(), "roles": "[manager payroll]"}, bankid=BROKER)
    assert (caller.kind, caller.roles, caller.personnummer) == (BANKID, frozenset(), "196804121231")
    assert "196804121231" not in repr(caller)  # never in a log line that prints the caller
    assert caller_from_claims(_claims(given_name="Olle", family_name="Persson", name=""), bankid=BROKER).name == (
        "Olle Persson"
    )


@pytest.mark.parametrize("number", ["19680412-1232", "680412-1231", "", "1968041212311"])
def test_a_broker_token_without_a_valid_personnummer_signs_nobody_in(number: str) -> None:
    with pytest.raises(Unauthorized):
        caller_from_claims(_claims(number), bankid=BROKER)


def test_another_issuer_is_the_organisation_sign_in() -> None:
    claims = {**_claims(), "iss": "https://idp.example.se", "sub": "anna", "roles": "[manager]"}
    caller = caller_from_claims(claims, bankid=BROKER)
    assert (caller.kind, caller.id, caller.roles) == (EMPLOYEE, "anna", frozenset({"manager"}))
    assert caller_from_claims(_claims(), bankid=None).kind == EMPLOYEE  # BankID off: a sub is a sub


def test_identify_matches_a_former_employee_by_keyed_hash_and_anyone_else_is_an_outsider() -> None:
    hasher = FakeHasher()
    olle = Employee(
        "olle",
        "Olle Persson",
        "olle@example.se",
        valid_to=date(2025, 6, 30),
        personnummer_hash=hasher.digest("19680412-1231"),
    )
    directory = FakeDirectory(olle)
    matched = identify(caller_from_claims(_claims(), bankid=BROKER), directory, hasher)
    assert (matched.id, matched.name, matched.kind, matched.personnummer) == ("olle", "Olle Persson", BANKID, "")
    outsider = identify(caller_from_claims(_claims("19910730-3340"), bankid=BROKER), directory, hasher)
    assert is_outsider_id(outsider.id)
    assert outsider.id == "bankid:" + hasher.digest("199107303340")
    assert outsider.personnummer == ""
    employee = Caller("anna", "Anna", "a@example.se", frozenset())
    assert identify(employee, directory, hasher) is employee


def test_who_may_file_what() -> None:
    directory = FakeDirectory(Employee("anna", "Anna", "a@example.se", valid_from=date(2019, 3, 1)))
    anna = Caller("anna", "Anna", "a@example.se", frozenset())
    outsider = Caller("bankid:abc", "Kim", "", frozenset(), kind=BANKID)
    leave, certificate = CATALOGUE.get("leave-application"), CATALOGUE.get("certificate-request")
    check_may_file(leave, anna, directory, TODAY)
    check_may_file(certificate, outsider, directory, TODAY)
    for form, caller, code in [
        (leave, outsider, "form_needs_work_account"),
        (certificate, replace(anna, id="ghost"), "not_in_directory"),
        (replace(certificate, access=("bankid",)), anna, "form_needs_bankid"),
    ]:
        with pytest.raises(Forbidden) as refused:
            check_may_file(form, caller, directory, TODAY)
        assert refused.value.code == code


def test_the_directory_import_keeps_only_the_keyed_hash_of_a_personnummer() -> None:
    export = '[{"employeeId": "olle", "name": "Olle", "email": "o@example.se", "personnummer": "19680412-1231"}]'
    [olle] = parse_export(export, fmt="json", hasher=FakeHasher())
    assert olle.personnummer_hash == FakeHasher().digest("196804121231")
    assert "19680412" not in repr(olle)
    with pytest.raises(DirectoryImportError) as no_key:
        parse_export(export, fmt="json")
    assert no_key.value.problems == ["row 1: personnummer: given, but no key to hash it with (--personnummer-key)"]
    twice = (
        export[:-1]
        + ', {"employeeId": "olle2", "name": "O", "email": "o2@example.se", "personnummer": "196804121231"}]'
    )
    with pytest.raises(DirectoryImportError) as duplicate:
        parse_export(twice, fmt="json", hasher=FakeHasher())
    assert len(duplicate.value.problems) == 2
    bad = export.replace("1231", "1232")
    with pytest.raises(DirectoryImportError) as invalid:
        parse_export(bad, fmt="json", hasher=FakeHasher())
    assert "not a valid personnummer" in invalid.value.problems[0]
    assert "1232" not in invalid.value.problems[0]  # the number itself is not echoed


@pytest.mark.parametrize(
    ("access", "route", "problem"),
    [
        (["bankid", "employee"], [{"approver": "manager"}, {"approver": "payroll"}], "cannot have manager steps"),
        (["bankid"], [{"approver": "managers-manager"}], "cannot have manager steps"),
        ([], [{"approver": "payroll"}], "non-empty list"),
        (["citizen"], [{"approver": "payroll"}], "non-empty list"),
        (["bankid", "bankid"], [{"approver": "payroll"}], "non-empty list"),
        ("bankid", [{"approver": "payroll"}], "non-empty list"),
    ],
)
def test_a_bad_access_declaration_is_refused_at_catalogue_load(access: object, route: object, problem: str) -> None:
    from eforms.core.forms.catalogue import FormDefinition

    document = CATALOGUE.get("certificate-request").schema
    meta = {**document["x-eform"], "access": access, "route": route}
    with pytest.raises(ValueError, match=problem):
        FormDefinition.from_document(
            {**document, "x-eform": meta}, expected_id="certificate-request", expected_version=1
        )
