"""PAXml 2.0's structure as its published XSD ("Version 2.0 2012-12", paxml.se) gives it, for the parts this
service writes: what may stand where, and the types of what it writes (docs/records.md §5).

The XSD itself has no licence statement, so it is not vendored; this is its structure written out, and the
tests check every file the service makes against it. An operator who has the XSD validates against it.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

from eforms.core.payroll.items import TIME_CODES

#: headerTYPE (an xs:all: any order); ``version`` is its one required element.
HEADER = frozenset(
    {
        "format", "version", "datum", "nyexport", "foretagid", "foretagorgnr", "foretagnamn", "extraadress",
        "postadress", "postnr", "ort", "land", "epost", "hemsida", "kontaktperson", "personalansvarig",
        "attestansvarig", "telefon", "telefax", "programnamn", "programlicens", "info",
    }
)  # fmt: skip
#: paxml's children (an xs:all), each at most once.
SECTIONS = frozenset(
    {
        "header", "dimensioner", "resultatenheter", "koder", "resetransaktioner", "tidtransaktioner",
        "lonetransaktioner", "schematransaktioner", "personal", "loneutbetalning", "saldon",
    }
)  # fmt: skip
TIDTRANS = frozenset(
    {
        "tidkod", "datum", "datumfrom", "datumtom", "starttid", "sluttid", "timmar", "omfattning", "barn",
        "samlingsid", "semgrund", "kontonr", "kundnr", "resenheter", "info",
    }
)  # fmt: skip
LONETRANS = frozenset(
    {
        "lonkod", "lonart", "benamning", "kommentar", "datum", "datumfrom", "datumtom", "antal", "apris", "belopp",
        "varugrupp", "moms", "samlingsid", "kontonr", "kundnr", "resenheter", "info",
    }
)  # fmt: skip
ATTRIBUTES = frozenset({"postid", "anstid", "persnr"})

_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")  # xs:decimal as written here: no exponent, a dot
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)?$")
_INT = re.compile(r"^-?\d+$")
_TYPES = {
    "datum": _DATE,
    "datumfrom": _DATE,
    "datumtom": _DATE,
    "timmar": _DECIMAL,
    "omfattning": _DECIMAL,
    "antal": _DECIMAL,
    "apris": _DECIMAL,
    "belopp": _DECIMAL,
}
_PAY_DATE_TIMES = ("datumfrom", "datumtom")  # a lonetrans's are xs:dateTime, unlike a tidtrans's


def problems(body: bytes) -> list[str]:
    """What in ``body`` the XSD would refuse, for the elements this service writes; [] for a valid file."""
    root = ElementTree.fromstring(body)  # noqa: S314 - a file this service made, in a test
    found: list[str] = []
    if root.tag != "paxml" or root.attrib:
        found.append(f"root is <{root.tag}>")
    names = [child.tag for child in root]
    found += [f"<{n}> is not a paxml section" for n in names if n not in SECTIONS]
    found += [f"<{n}> twice" for n in set(names) if names.count(n) > 1]
    header = root.find("header")
    if header is None or header.findtext("version") is None:
        found.append("no header/version")
    else:
        found += [f"header/<{c.tag}>" for c in header if c.tag not in HEADER]
        if header.findtext("datum") and not _DATE_TIME.match(header.findtext("datum") or ""):
            found.append("header/datum is not an xs:dateTime")
    for section, element, allowed in (
        ("tidtransaktioner", "tidtrans", TIDTRANS),
        ("lonetransaktioner", "lonetrans", LONETRANS),
    ):
        holder = root.find(section)
        if holder is None:
            continue
        if not len(holder):
            found.append(f"<{section}> is empty (the XSD wants one <{element}>)")
        for transaction in holder:
            found += _transaction(transaction, element, allowed)
    return found


def _transaction(transaction: ElementTree.Element, element: str, allowed: frozenset[str]) -> list[str]:
    where = f"{element} {transaction.get('postid')}"
    found = [] if transaction.tag == element else [f"<{transaction.tag}> in place of <{element}>"]
    found += [f"{where}: attribute {a}" for a in transaction.attrib if a not in ATTRIBUTES]
    if "postid" in transaction.attrib and not _INT.match(transaction.attrib["postid"]):
        found.append(f"{where}: postid is not an int")
    children = [c.tag for c in transaction]
    found += [f"{where}: <{c}>" for c in children if c not in allowed]
    found += [f"{where}: <{c}> twice" for c in set(children) if children.count(c) > 1]
    for child in transaction:
        text = child.text or ""
        pattern = _DATE_TIME if element == "lonetrans" and child.tag in _PAY_DATE_TIMES else _TYPES.get(child.tag)
        if pattern is not None and not pattern.match(text):
            found.append(f"{where}: <{child.tag}> {text!r}")
    if element == "tidtrans":
        if transaction.findtext("tidkod") not in TIME_CODES:
            found.append(f"{where}: tidkod {transaction.findtext('tidkod')!r} is not a PAXml time code")
        extent = transaction.findtext("omfattning")
        if extent is not None and not (0 < float(extent) <= 100 and len(extent.partition(".")[2]) <= 2):
            found.append(f"{where}: omfattning {extent} (0 < percent <= 100, two decimals)")
    return found
