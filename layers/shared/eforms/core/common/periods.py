"""Pay periods, ``YYYY-MM``: what one looks like, the next one, and its last day. One place, so the desk,
the pay transactions and the pay runs count months the same way."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

#: A pay period as requests and keys write it.
PATTERN = r"\d{4}-(0[1-9]|1[0-2])"


def is_period(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(PATTERN, value) is not None


def following(period: str) -> str:
    """The pay period after ``period`` ("2026-12" → "2027-01")."""
    year, month = (int(part) for part in period.split("-"))
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def last_day(period: str) -> date:
    """The last day of ``period``."""
    return date.fromisoformat(f"{following(period)}-01") - timedelta(days=1)
