"""The pay-run file's format (docs/records.md §5): PAXml 2.0 as its XSD gives it, the same bytes for the same
batch, every value written the one way the format reads it."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest

from eforms.core.payroll.paxml import FileHeader, Line, decimal, pay_run_file
from tests.support.paxml import problems

HEADER = FileHeader("Sundsviks kommun", "212000-2452", datetime(2026, 12, 8, 9, 30, tzinfo=UTC))
VACATION = {
    "item": "leave.vacation",
    "kind": "time",
    "code": "SEM",
    "from": "2027-01-04",
    "to": "2027-01-08",
    "extent": 100,
}
PART = {**VACATION, "code": "FPE", "extent": 37.5}
OVERTIME = {"item": "overtime.paid", "kind": "time", "code": "ÖT1", "date": "2026-12-03", "hours": 2.5}
FEE = {"item": "fee", "kind": "pay", "code": "310", "date": "2026-12-10", "quantity": 1, "amount": 4500.5}


def _root(body: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(body)  # noqa: S314 - the file this module made


def test_a_file_with_every_kind_of_transaction_is_valid_paxml() -> None:
    body = pay_run_file(
        HEADER,
        [Line("E1001", "LC-2026-000001", (VACATION, OVERTIME)), Line("E1002", "LC-2026-000002", (PART, FEE))],
    )
    assert problems(body) == []
    root = _root(body)
    header = {child.tag: child.text for child in root.find("header") or []}
    assert header == {
        "format": "LÖNIN",
        "version": "2.0",
        "datum": "2026-12-08T10:30:00+01:00",  # the cut time in Stockholm, where payroll reads it
        "foretagorgnr": "212000-2452",
        "foretagnamn": "Sundsviks kommun",
        "programnamn": "E-blanketter",
    }
    times = root.findall("tidtransaktioner/tidtrans")
    assert [(t.get("anstid"), t.get("postid"), t.findtext("tidkod")) for t in times] == [
        ("E1001", "1", "SEM"),
        ("E1001", "2", "ÖT1"),
        ("E1002", "3", "FPE"),
    ]
    assert [t.findtext("omfattning") for t in times] == ["100", None, "37.5"]
    assert times[1].findtext("timmar") == "2.5"
    [fee] = root.findall("lonetransaktioner/lonetrans")
    assert {c.tag: c.text for c in fee} == {
        "lonart": "310",
        "datum": "2026-12-10",
        "antal": "1",
        "apris": "4500.5",
        "belopp": "4500.5",
        "info": "LC-2026-000002",
    }
    assert fee.attrib == {"anstid": "E1002", "postid": "4"}


def test_the_same_batch_gives_the_same_bytes_and_another_order_other_bytes() -> None:
    lines = [Line("E1001", "LC-1", (VACATION,)), Line("E1002", "LC-2", (OVERTIME,))]
    assert pay_run_file(HEADER, lines) == pay_run_file(HEADER, list(lines))
    assert pay_run_file(HEADER, lines) != pay_run_file(HEADER, lines[::-1])


@pytest.mark.parametrize(
    ("transactions", "sections"),
    [
        ((VACATION,), ["header", "tidtransaktioner"]),
        ((FEE,), ["header", "lonetransaktioner"]),
        ((), ["header"]),
    ],
)
def test_an_empty_section_is_left_out_as_the_xsd_wants(
    transactions: tuple[dict[str, object], ...], sections: list[str]
) -> None:
    body = pay_run_file(HEADER, [Line("E1001", "LC-1", transactions)])
    assert [child.tag for child in _root(body)] == sections
    assert problems(body) == []


def test_text_that_looks_like_markup_stays_text() -> None:
    header = FileHeader('Bergs & Söner <AB> "Ö"', "", HEADER.cut_at)
    body = pay_run_file(header, [Line('E<1>&"', "LC-1", (VACATION,))])
    root = _root(body)
    assert root.findtext("header/foretagnamn") == 'Bergs & Söner <AB> "Ö"'
    assert root.find("header/foretagorgnr") is None  # none declared: left out, not empty
    assert root.find("tidtransaktioner/tidtrans").get("anstid") == 'E<1>&"'  # type: ignore[union-attr]
    assert problems(body) == []


def test_a_transaction_naming_its_employee_is_theirs() -> None:
    """A fee filed by one person for the employee who earned it goes to that employee's pay."""
    body = pay_run_file(HEADER, [Line("E1001", "LC-1", ({**FEE, "employee": "E2002"},))])
    assert _root(body).find("lonetransaktioner/lonetrans").get("anstid") == "E2002"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("value", "places", "written"),
    [
        (100, None, "100"),
        (100.0, 2, "100"),
        (37.5, 2, "37.5"),
        (37.505, 2, "37.5"),  # to the format's two decimals (banker's rounding of the exact value)
        (1e-7, None, "0.0000001"),  # never an exponent
        (4500, 2, "4500"),
        (0.1 + 0.2, 2, "0.3"),
        (2.25, None, "2.25"),
    ],
)
def test_decimals_are_written_with_a_dot_and_no_exponent(value: float, places: int | None, written: str) -> None:
    assert decimal(value, places=places) == written


def test_the_structure_check_itself_refuses_what_the_xsd_refuses() -> None:
    """The check the file passes is not one that passes anything."""
    bad = (
        b"<paxml><header><version>2.0</version><datum>8 dec</datum><x/></header>"
        b"<tidtransaktioner/>"
        b"<lonetransaktioner><lonetrans anstid='a' postid='x' persnummer='1'><lonart>1</lonart>"
        b"<antal>1,5</antal><datumfrom>2026-12-01</datumfrom><lonart>2</lonart></lonetrans></lonetransaktioner>"
        b"</paxml>"
    )
    found = problems(bad)
    assert "header/<x>" in found
    assert "header/datum is not an xs:dateTime" in found
    assert "<tidtransaktioner> is empty (the XSD wants one <tidtrans>)" in found
    assert "lonetrans x: postid is not an int" in found
    assert "lonetrans x: attribute persnummer" in found
    assert "lonetrans x: <antal> '1,5'" in found
    assert "lonetrans x: <datumfrom> '2026-12-01'" in found  # a pay transaction's are date-times
    assert "lonetrans x: <lonart> twice" in found
    extent = (
        b"<paxml><header><version>2.0</version></header><tidtransaktioner><tidtrans postid='1'>"
        b"<tidkod>XYZ</tidkod><omfattning>100.001</omfattning></tidtrans></tidtransaktioner></paxml>"
    )
    assert problems(extent) == [
        "tidtrans 1: tidkod 'XYZ' is not a PAXml time code",
        "tidtrans 1: omfattning 100.001 (0 < percent <= 100, two decimals)",
    ]
