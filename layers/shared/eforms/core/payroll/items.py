"""The platform's pay items, and each organisation's codes for them (docs/records.md §4).

A form names **pay items** (``leave.vacation``, ``overtime.paid``, ``fee``), never a payroll system's codes:
those differ between customers. Each organisation maps the items of the forms it offers to its own codes in
its file (``payroll.codes``). A time item's code is a PAXml time code (``tidkod``: ``SEM``, ``FPE``…, from the
format's published schema); a pay item's is the payroll system's own pay type (``lonart``: free text).
"""

from __future__ import annotations

from typing import Any

TIME, PAY = "time", "pay"

#: Every pay item a form may declare, and which kind of transaction it makes.
ITEMS: dict[str, str] = {
    "leave.vacation": TIME,
    "leave.parental": TIME,
    "leave.unpaid": TIME,
    "leave.study": TIME,
    "leave.time-off": TIME,
    "leave.personal": TIME,
    "leave.other": TIME,
    "overtime.paid": TIME,
    "overtime.time-off": TIME,
    "additional-hours": TIME,
    "fee": PAY,
}

#: PAXml 2.0's time codes (``tidkod``) this platform's items may map to: the format's enumeration, in part.
TIME_CODES = frozenset(
    {
        "SEM", "SEM_BET", "SEM_SPA", "SEM_OBE", "SEM_FÖR", "FPE", "TJL", "UTB", "KOM", "PER", "ASK", "HAV", "VAB",
        "SMB", "MIL", "SVE", "NÄR", "PEM", "FAC", "ATK", "KON", "PAP", "ATF", "TID", "ARB", "MER", "FLX",
        *(f"FR{n}" for n in range(1, 10)), *(f"TS{n}" for n in range(1, 10)),
        *(f"ÖT{n}" for n in range(1, 6)), *(f"ÖK{n}" for n in range(1, 6)),
    }
)  # fmt: skip
_PAY_TYPE_LIMIT = 20


def parse_codes(raw: Any, where: str) -> dict[str, str]:
    """An organisation's ``payroll.codes``: each a known item, a time item's a PAXml time code; ``ValueError``
    naming the item otherwise."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: payroll.codes maps pay items to codes")
    for item, code in raw.items():
        if item not in ITEMS:
            raise ValueError(f"{where}: payroll.codes names {item!r}, not a pay item ({', '.join(sorted(ITEMS))})")
        if not isinstance(code, str) or not code.strip() or len(code) > _PAY_TYPE_LIMIT:
            raise ValueError(f"{where}: payroll.codes.{item} must be a code of 1-{_PAY_TYPE_LIMIT} characters")
        if ITEMS[item] == TIME and code not in TIME_CODES:
            raise ValueError(f"{where}: payroll.codes.{item} is {code!r}, not a PAXml time code")
    return dict(raw)
