"""Danish personal identity numbers (CPR-numre): ``DDMMYY-SSSS``, the hyphen optional.

Since 2007 the CPR office issues numbers that fail the old modulus-11 check, so a valid number is a real
birth date and four digits, nothing more. The century is not written: the seventh digit (the first of the
serial) gives it, by the CPR office's table, so 010203-4xxx is born in 2003 and 010293-4xxx in 1993.
"""

from __future__ import annotations

import re
from datetime import date

_PATTERN = re.compile(r"^(\d{2})(\d{2})(\d{2})-?(\d)(\d{3})$", re.ASCII)


def century(seventh: int, year: int) -> int:
    """The century a CPR number's two-digit ``year`` falls in, from its seventh digit."""
    if seventh <= 3:
        return 1900
    if seventh in (4, 9):
        return 2000 if year <= 36 else 1900
    return 2000 if year <= 57 else 1800


def is_valid(value: str) -> bool:
    """True for a well-formed CPR number whose first six digits are a real birth date."""
    match = _PATTERN.match(value)
    if not match:
        return False
    day, month, year, seventh, _ = match.groups()
    try:
        date(century(int(seventh), int(year)) + int(year), int(month), int(day))
    except ValueError:
        return False
    return True
