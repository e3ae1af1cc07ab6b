"""The x-prefill declaration and what it does with a caller's sign-in (eforms.core.forms.prefill)."""

from __future__ import annotations

from typing import Any

import pytest

from eforms.core.forms.prefill import Prefilled, applied, declared, values
from eforms.core.identity.caller import BANKID, Caller


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
    for wrong in ("directory.salary", {"from": "identity.name", "editable": "yes"}, {"from": "identity.name", "x": 1}):
        with pytest.raises(ValueError, match="/f: x-prefill"):
            declared(_schema(f={"type": "string", "x-prefill": wrong}))
    rows = _schema(rows={"type": "array", "items": _schema(n={"type": "string", "x-prefill": "identity.name"})})
    with pytest.raises(ValueError, match="repeated row"):
        declared(rows)


def test_each_sign_in_gives_what_it_knows() -> None:
    every = tuple(Prefilled(f"/{s}", s) for s in ("identity.name", "identity.employeeId", "identity.personnummer"))
    assert [(v["pointer"], v["value"]) for v in values(every, ANNA)] == [
        ("/identity.name", "Anna Andersson"),
        ("/identity.employeeId", "E1001"),  # the organisation's own number, not the service's id
    ]
    assert [(v["pointer"], v["value"], v["source"]) for v in values(every, KIM)] == [
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
    assert applied(declared_, sent, ANNA) == {"who": {"name": "Anna Andersson"}, "alias": "Ann", "pnr": "19850314-2385"}
    assert sent["who"] == {"name": "Someone Else"}  # the request is not changed in place
    assert applied((), sent, ANNA) is sent
