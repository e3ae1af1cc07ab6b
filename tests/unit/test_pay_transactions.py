"""Pay transactions declared by the form (``x-eform.payroll``) and confirmed by the registering officer
(docs/records.md §4): the declaration checked when the form loads, what the answers propose, and what
confirming refuses."""

from __future__ import annotations

from typing import Any

import pytest

from eforms.core.forms.catalogue import Catalogue
from eforms.core.payroll import declaration
from eforms.core.payroll.items import ITEMS, TIME_CODES, parse_codes
from eforms.core.payroll.transactions import changes, confirmed, owned, proposed
from tests.unit.test_catalogue import SCHEMAS

CATALOGUE = Catalogue(SCHEMAS)
CODES = {"leave.vacation": "SEM", "leave.parental": "FPE", "overtime.paid": "ÖT1", "fee": "ARV"}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "period": {"type": "object", "properties": {"from": {"type": "string"}, "to": {"type": "string"}}},
        "extent": {"type": "number"},
        "amount": {"type": "number"},
    },
}


def test_every_form_that_changes_pay_declares_its_transactions_and_each_item_is_known() -> None:
    declaring = {f.form_id: {r.item for r in f.payroll} for f in CATALOGUE.latest() if f.payroll}
    assert set(declaring) >= {"leave-application", "overtime", "fee"}
    assert all(item in ITEMS for items in declaring.values() for item in items)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"item": "holiday.pay", "from": "/period/from", "to": "/period/to", "extent": "/extent"}, "names no pay item"),
        (
            {"item": "leave.vacation", "from": "/period/start", "to": "/period/to", "extent": "/extent"},
            "names no field",
        ),
        ({"item": "leave.vacation", "date": "/period/from", "amount": "/amount"}, "is a time item"),
        ({"item": "fee", "from": "/period/from", "to": "/period/to", "extent": "/extent"}, "is a pay item"),
        ({"item": "fee", "date": "/period/from"}, "give from/to/extent"),
        ({"item": "fee", "when": "always", "date": "/period/from", "amount": "/amount"}, "when must be"),
    ],
)
def test_a_declaration_that_cannot_be_followed_does_not_load(rule: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        declaration.parse([rule], SCHEMA)


def test_the_answers_propose_transactions_coded_the_organisations_way() -> None:
    leave = CATALOGUE.get("leave-application")
    vacation = {"leaveType": "semester", "period": {"from": "2026-12-21", "to": "2026-12-31"}, "extentPercent": 100}
    assert proposed(leave.payroll, vacation, CODES) == [
        {
            "item": "leave.vacation",
            "kind": "time",
            "code": "SEM",
            "from": "2026-12-21",
            "to": "2026-12-31",
            "extent": 100,
        }
    ]
    overtime = CATALOGUE.get("overtime")
    shifts = {
        "kind": "overtid",
        "compensation": "pengar",
        "rows": [
            {"date": "2026-12-03", "from": "17:00", "to": "19:30"},
            {"date": "2026-12-04", "from": "22:00", "to": "01:00"},
        ],
    }
    assert [(t["code"], t["date"], t["hours"]) for t in proposed(overtime.payroll, shifts, CODES)] == [
        ("ÖT1", "2026-12-03", 2.5),
        ("ÖT1", "2026-12-04", 3.0),  # past midnight
    ]
    fee = CATALOGUE.get("fee")
    paid = {
        "payee": {"kind": "anstalld", "employeeId": "E1002"},
        "dates": ["2026-12-10", "2026-12-02"],
        "amountSek": 4500,
    }
    # The employee who earned it, not whoever filed it: the form says where it stands (``employee``).
    assert proposed(fee.payroll, paid, CODES) == [
        {
            "item": "fee",
            "kind": "pay",
            "code": "ARV",
            "employee": "E1002",
            "date": "2026-12-02",
            "quantity": 1,
            "amount": 4500,
        }
    ]
    # Someone not employed here is paid by accounts payable, not by payroll: no transaction.
    assert proposed(fee.payroll, {**paid, "payee": {"kind": "extern"}}, CODES) == []


def _offer() -> list[dict[str, Any]]:
    return [
        {"item": "fee", "kind": "pay", "code": "ARV", "date": "2026-12-02", "quantity": 1, "amount": 4500},
        {
            "item": "leave.vacation",
            "kind": "time",
            "code": "SEM",
            "from": "2026-12-21",
            "to": "2027-01-02",
            "extent": 100,
        },
    ]


def test_confirming_keeps_the_officers_corrections_and_says_which() -> None:
    sent = _offer()
    sent[0] = {**sent[0], "amount": 4750}
    kept, errors = confirmed(sent, _offer(), "2026-12", "/transactions")
    assert errors == []
    assert kept[0]["amount"] == 4750
    assert kept[1]["to"] == "2027-01-02"  # a leave may run on past the period
    assert changes(_offer(), kept, "/transactions") == ["/transactions/0/amount"]


@pytest.mark.parametrize(
    ("change", "pointer", "code"),
    [
        ({"amount": "4500 kr"}, "/transactions/0/amount", "not_a_number"),
        ({"amount": float("nan")}, "/transactions/0/amount", "not_a_number"),
        ({"amount": True}, "/transactions/0/amount", "not_a_number"),
        ({"quantity": -1}, "/transactions/0/quantity", "negative"),
        ({"amount": 4500.125}, "/transactions/0/amount", "not_multiple_of"),  # the file writes two decimals
        ({"date": "2027-01-15"}, "/transactions/0/date", "after_pay_period"),
        ({"date": "15/12/2026"}, "/transactions/0/date", "invalid_date"),
        ({"code": "BONUS"}, "/transactions/0", "transactions_mismatch"),
    ],
)
def test_confirming_refuses_what_payroll_cannot_import(change: dict[str, Any], pointer: str, code: str) -> None:
    sent = _offer()
    sent[0] = {**sent[0], **change}
    kept, errors = confirmed(sent, _offer(), "2026-12", "/transactions")
    assert kept == []
    assert [(e.pointer, e.code) for e in errors] == [(pointer, code)]


@pytest.mark.parametrize(
    ("change", "pointer", "code"),
    [
        ({"extent": 250}, "/transactions/1/extent", "above_maximum"),
        ({"extent": 0}, "/transactions/1/extent", "below_minimum"),
        ({"extent": 0.001}, "/transactions/1/extent", "not_multiple_of"),  # would be written 0: not a leave
        ({"to": "2026-12-20"}, "/transactions/1/to", "date_order"),
    ],
)
def test_a_corrected_span_must_still_be_a_span(change: dict[str, Any], pointer: str, code: str) -> None:
    sent = _offer()
    sent[1] = {**sent[1], **change}
    assert [(e.pointer, e.code) for e in confirmed(sent, _offer(), "2026-12", "/transactions")[1]] == [(pointer, code)]


def test_an_organisation_that_codes_nothing_is_asked_to_confirm_nothing() -> None:
    vacation = {"leaveType": "semester", "period": {"from": "2026-12-21", "to": "2026-12-31"}, "extentPercent": 100}
    assert proposed(CATALOGUE.get("leave-application").payroll, vacation, {}) == []


def test_confirming_needs_exactly_the_proposed_transactions() -> None:
    for sent in (None, [], _offer()[:1], {"0": _offer()[0]}):
        assert confirmed(sent, _offer(), "2026-12", "/transactions")[1][0].code == "transactions_mismatch"


def test_an_item_without_the_organisations_code_cannot_be_confirmed() -> None:
    offer = [{**_offer()[0], "code": ""}]
    assert [e.code for e in confirmed(offer, offer, "2026-12", "/transactions")[1]] == ["pay_code_missing"]


def test_organisation_codes_are_checked_as_they_load() -> None:
    assert parse_codes({"leave.vacation": "SEM", "fee": "310"}, "x.json") == {"leave.vacation": "SEM", "fee": "310"}
    assert {"SEM", "FPE", "TJL", "ÖT1", "MER"} <= TIME_CODES
    with pytest.raises(ValueError, match="not a PAXml time code"):
        parse_codes({"overtime.paid": "OT1"}, "x.json")
    with pytest.raises(ValueError, match="1-20 characters"):
        parse_codes({"fee": ""}, "x.json")


def test_a_fee_confirmed_before_its_form_named_the_payee_still_goes_to_the_payee() -> None:
    """A transaction confirmed without ``employee`` (registered before the rule said whose pay it is) is the
    payee's when handed over, never the filer's."""
    fee = CATALOGUE.get("fee")
    data = {"payee": {"kind": "anstalld", "employeeId": "E1002"}, "dates": ["2026-12-02"], "amountSek": 4500}
    before = ({"item": "fee", "kind": "pay", "code": "ARV", "date": "2026-12-02", "quantity": 1, "amount": 4500},)
    [handed] = owned(before, fee.payroll, data)
    assert handed["employee"] == "E1002"
    named = ({**before[0], "employee": "E1003"},)
    assert owned(named, fee.payroll, data) == named  # what was confirmed is kept
    leave = CATALOGUE.get("leave-application")
    assert owned(before, leave.payroll, data) == before  # a form that names nobody: the case's person
