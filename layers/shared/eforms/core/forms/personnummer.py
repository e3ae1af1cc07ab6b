"""Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer).

Accepted input is the 12-digit form ``YYYYMMDD-NNNN`` (the hyphen is optional), which is what the forms
ask for: the 10-digit form is ambiguous about the century. The last digit is a Luhn check digit over the
10 digits ``YYMMDDNNN``. A samordningsnummer is the same with 60 added to the day of birth.
"""

from __future__ import annotations

import re
from datetime import date

_PATTERN = re.compile(r"^(\d{4})(\d{2})(\d{2})-?(\d{3})(\d)$", re.ASCII)
COORDINATION_DAY_OFFSET = 60


def luhn_check_digit(digits: str) -> int:
    """Check digit for ``digits`` with the Luhn algorithm as Skatteverket applies it (weights 2,1,2,...)."""
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return (10 - total % 10) % 10


def is_valid(value: str) -> bool:
    """True for a well-formed personnummer or samordningsnummer with a correct check digit."""
    match = _PATTERN.match(value)
    if not match:
        return False
    year, month, day, serial, check = match.groups()
    birth_day = int(day)
    if birth_day > COORDINATION_DAY_OFFSET:
        birth_day -= COORDINATION_DAY_OFFSET
    try:
        date(int(year), int(month), birth_day)
    except ValueError:
        return False
    return luhn_check_digit(f"{year[2:]}{month}{day}{serial}") == int(check)


def written(value: str) -> str:
    """As people write it and the forms ask for it: ``19910730-3340`` (BankID gives ``199107303340``)."""
    digits = value.replace("-", "")
    return f"{digits[:8]}-{digits[8:]}" if len(digits) == 12 and digits.isdigit() else value


def mask(value: str) -> str:
    """Keep the birth date, hide the rest: enough for a human to recognise, useless to misuse."""
    return value[:8] + "-****" if len(value) >= 8 else "****"
