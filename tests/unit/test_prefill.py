"""The x-prefill declaration and what it does with a caller's sign-in (eforms.core.forms.prefill)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from eforms.core.forms.prefill import Known, Prefilled, applied, declared, known, values
from eforms.core.identity.caller import BANKID, Caller
from eforms.core.identity.directory import Employee
from tests.support.fakes import FakeDirectory


def _schema(**fields: Any) -> dict[str, Any]:
    return {"type": "object", "properties": fields}


ANNA = Caller(id="sundsvik/E1001", name="Anna Andersson", email="anna@example.se", roles=frozenset())
# The personnummer as BankID gives it; the form shows it as people write it.
KIM = Caller(id="x", name="Kim Lindqvist", email="", roles=frozenset(), kind=BANKID, personnummer="199107303340")


def test_declarations_are_found_at_any_depth_and_checked() -> None:
    schema = _schema(
        who=_schema(name={"type": "string", "x-prefill": "identity.name"}),
        number={"type": "string", "x-prefill": {"from": "identity.employeeId", "editable": True}},
    )
    assert declared(schema) == (
        Prefilled("/number", "identity.employeeId", editable=True),
        Prefilled("/who/name", "identity.name"),
    )
    for wrong in (
        "directory.salary",
        "identity.unit",
        {"from": "identity.name", "editable": "yes"},
        {"from": "identity.name", "x": 1},
    ):
        with pytest.raises(ValueError, match="/f: x-prefill"):
            declared(_schema(f={"type": "string", "x-prefill": wrong}))
    rows = _schema(rows={"type": "array", "items": _schema(n={"type": "string", "x-prefill": "identity.name"})})
    with pytest.raises(ValueError, match="repeated row"):
        declared(rows)


def test_each_sign_in_gives_what_it_knows() -> None:
    every = tuple(Prefilled(f"/{s}", s) for s in ("identity.name", "identity.employeeId", "identity.personnummer"))
    assert [(v["pointer"], v["value"]) for v in values(every, Known(ANNA))] == [
        ("/identity.name", "Anna Andersson"),
        ("/identity.employeeId", "E1001"),  # the organisation's own number, not the service's id
    ]
    assert [(v["pointer"], v["value"], v["source"]) for v in values(every, Known(KIM))] == [
        ("/identity.name", "Kim Lindqvist", "sign_in"),
        ("/identity.personnummer", "19910730-3340", "bankid"),
    ]


def test_locked_fields_are_set_again_at_submission_and_nothing_else_changes() -> None:
    declared_ = (
        Prefilled("/who/name", "identity.name"),
        Prefilled("/alias", "identity.name", editable=True),
        Prefilled("/address/name", "identity.name"),
        Prefilled("/pnr", "identity.personnummer"),
    )
    sent = {"who": {"name": "Someone Else"}, "alias": "Ann", "pnr": "19850314-2385"}
    assert applied(declared_, sent, Known(ANNA)) == {
        "who": {"name": "Anna Andersson"},
        "alias": "Ann",
        "pnr": "19850314-2385",
    }
    assert sent["who"] == {"name": "Someone Else"}  # the request is not changed in place
    assert applied((), sent, Known(ANNA)) is sent


TODAY = date(2026, 12, 7)
UNIT = "Kultur- och fritidsförvaltningen, Biblioteket"
DIRECTORY = FakeDirectory(
    Employee("sundsvik/E1001", "Anna Andersson", "anna@example.se", manager_id="sundsvik/E2001", unit=UNIT),
    Employee("sundsvik/E2001", "Maria Lind", "maria@example.se"),
)
FROM_DIRECTORY = (Prefilled("/manager", "directory.manager"), Prefilled("/workplace", "directory.unit", editable=True))


def test_the_directory_answers_the_unit_and_the_managers_name_for_a_work_account() -> None:
    who = known(FROM_DIRECTORY, ANNA, DIRECTORY, TODAY)
    assert [(v["pointer"], v["value"], v["source"], v["editable"]) for v in values(FROM_DIRECTORY, who)] == [
        ("/manager", "Maria Lind", "directory", False),
        ("/workplace", UNIT, "directory", True),
    ]
    # The locked one is set again from the directory at submission; the editable one stays as typed.
    sent = {"manager": "Someone Else", "workplace": "Biblioteket, Filialen"}
    assert applied(FROM_DIRECTORY, sent, who) == {"manager": "Maria Lind", "workplace": "Biblioteket, Filialen"}


def test_the_directory_is_read_only_when_a_form_asks_and_never_for_a_bankid_sign_in() -> None:
    directory = FakeDirectory(*DIRECTORY.rows.values())
    assert known((Prefilled("/name", "identity.name"),), ANNA, directory, TODAY) == Known(ANNA)
    assert known(FROM_DIRECTORY, KIM, directory, TODAY) == Known(KIM)  # their row is found with the KMS key only
    assert directory.reads == 0
    assert known((Prefilled("/workplace", "directory.unit"),), ANNA, directory, TODAY).manager is None
    assert directory.reads == 1  # the manager's row only when the form prefills the manager


def test_a_person_the_directory_does_not_know_or_without_a_unit_gets_nothing_filled_in() -> None:
    stranger = Caller(id="sundsvik/E9999", name="Ny Person", email="ny@example.se", roles=frozenset())
    assert values(FROM_DIRECTORY, known(FROM_DIRECTORY, stranger, DIRECTORY, TODAY)) == []
    no_unit = FakeDirectory(Employee("sundsvik/E1001", "Anna Andersson", "anna@example.se"))
    assert values(FROM_DIRECTORY, known(FROM_DIRECTORY, ANNA, no_unit, TODAY)) == []
