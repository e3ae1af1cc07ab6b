"""A pay run's transactions as a PAXml 2.0 file, the open format Swedish payroll systems import
(docs/records.md §5, from paxml.se's published 2.0 description and XSD).

The file is a pure function of what a batch holds and when it was cut, so making it again gives the same
bytes: the lines come in the batch's order, nothing reads the clock, decimals have one spelling (a dot, no
exponent, no trailing zeros). An empty section is left out: the XSD wants at least one transaction in each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

from eforms.core.common.clock import STOCKHOLM
from eforms.core.payroll.items import TIME

VERSION = "2.0"
FORMAT = "LÖNIN"  # "löneinformation": transactions for a pay run, as payroll systems name the import
PROGRAM = "E-blanketter"
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class FileHeader:
    """Who the file is for and when its batch was cut (``datum``)."""

    company: str
    organisation_number: str
    cut_at: datetime


@dataclass(frozen=True)
class Line:
    """One case's confirmed transactions in a batch: whose (``anstid``, the employee's number in the payroll
    system; a transaction naming its own ``employee`` is theirs) and which case (its number goes into each
    transaction's ``info``)."""

    employee: str
    case_number: str
    transactions: tuple[dict[str, Any], ...]


def pay_run_file(header: FileHeader, lines: Sequence[Line]) -> bytes:
    """The PAXml document: the header, then the time transactions and the pay transactions, numbered by
    ``postid`` from 1 in the order the lines come."""
    root = ElementTree.Element("paxml")
    head = ElementTree.SubElement(root, "header")
    _text(head, "format", FORMAT)
    _text(head, "version", VERSION)
    _text(head, "datum", header.cut_at.astimezone(STOCKHOLM).replace(microsecond=0).isoformat())
    if header.organisation_number:
        _text(head, "foretagorgnr", header.organisation_number)
    _text(head, "foretagnamn", header.company)
    _text(head, "programnamn", PROGRAM)
    times = ElementTree.Element("tidtransaktioner")
    pays = ElementTree.Element("lonetransaktioner")
    number = 0
    for line in lines:
        for transaction in line.transactions:
            number += 1
            attributes = {"anstid": str(transaction.get("employee") or line.employee), "postid": str(number)}
            if transaction["kind"] == TIME:
                element = ElementTree.SubElement(times, "tidtrans", attributes)
                _time(element, transaction)
            else:
                element = ElementTree.SubElement(pays, "lonetrans", attributes)
                _pay(element, transaction)
            _text(element, "info", line.case_number)
    for section in (times, pays):
        if len(section):
            root.append(section)
    ElementTree.indent(root)
    return (DECLARATION + ElementTree.tostring(root, encoding="unicode") + "\n").encode()


def _time(element: ElementTree.Element, transaction: dict[str, Any]) -> None:
    """A span of leave (``datumfrom``/``datumtom`` at ``omfattning`` percent) or hours on a day."""
    _text(element, "tidkod", transaction["code"])
    if "extent" in transaction:
        _text(element, "datumfrom", transaction["from"])
        _text(element, "datumtom", transaction["to"])
        _text(element, "omfattning", decimal(transaction["extent"], places=2))
    else:
        _text(element, "datum", transaction["date"])
        _text(element, "timmar", decimal(transaction["hours"], places=2))


def _pay(element: ElementTree.Element, transaction: dict[str, Any]) -> None:
    """A pay type (``lonart``) with a quantity at a price; ``belopp`` is their product."""
    quantity, price = Decimal(str(transaction["quantity"])), Decimal(str(transaction["amount"]))
    _text(element, "lonart", transaction["code"])
    if transaction.get("date"):
        _text(element, "datum", transaction["date"])
    _text(element, "antal", decimal(quantity))
    _text(element, "apris", decimal(price, places=2))
    _text(element, "belopp", decimal(quantity * price, places=2))


def decimal(value: Any, *, places: int | None = None) -> str:
    """PAXml's ``xs:decimal``: a dot, no exponent, no trailing zeros (``4500``, ``2.5``, ``37.5``)."""
    number = Decimal(str(value))
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places))
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _text(parent: ElementTree.Element, tag: str, value: str) -> None:
    ElementTree.SubElement(parent, tag).text = value
