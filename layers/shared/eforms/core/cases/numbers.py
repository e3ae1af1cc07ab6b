"""The short case number people say and type: ``LC-2026-004211``.

A case's id (26 characters) is for machines; people — an employee on the phone, a manager in an email, an
officer at the desk — need something short. Every case gets a number when it is filed: the deployment's
prefix (``CaseNumberPrefix``, e.g. ``LC`` for Lönecentrum), the year, and a counter that starts again at 1
each year, six digits wide. The counter is one atomic increment per case (``CaseNumbers.next``); a filing
that fails after taking a number leaves a gap, never a duplicate — the number's pointer item is written in
the case's own transaction, conditional on not existing. The number is shown on every page, email and PDF
and finds the case (``GET /desk/cases?q=…``, a manager's ``GET /cases?scope=team&q=…``).
"""

from __future__ import annotations

import re
from typing import Protocol

_NUMBER = re.compile(r"^\s*([A-Za-z]{1,8})-(\d{4})-(\d{1,9})\s*$")
_PREFIX = re.compile(r"^[A-Z]{1,8}$")


class CaseNumbers(Protocol):
    def next(self, year: int) -> int:
        """The year's next number (1, 2, …): never the same twice."""
        ...


def format_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year:04d}-{sequence:06d}"


def valid_prefix(prefix: str) -> bool:
    return bool(_PREFIX.match(prefix))


def parse(text: str) -> str | None:
    """A case number as typed (any case, missing zeros: ``lc-2026-4211``) in its canonical form, or None."""
    match = _NUMBER.match(text)
    if not match:
        return None
    prefix, year, sequence = match.groups()
    return format_number(prefix.upper(), int(year), int(sequence))
