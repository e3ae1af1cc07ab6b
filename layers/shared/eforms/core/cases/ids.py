"""Case identifiers: time-ordered, unguessable, URL-safe.

A ULID-style id (48-bit millisecond time + 80 random bits, Crockford base32). Sorting by id sorts by
creation time, which keeps related writes close in the table, and 80 bits of ``secrets`` randomness
make ids impractical to enumerate — though access control, not secrecy, is what protects a case.
"""

from __future__ import annotations

import re
import secrets
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CASE_ID_PATTERN = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")


def new_case_id(now_ms: int | None = None) -> str:
    millis = int(time.time() * 1000) if now_ms is None else now_ms
    value = (millis << 80) | secrets.randbits(80)
    chars = []
    for _ in range(26):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def is_case_id(value: str) -> bool:
    return bool(CASE_ID_PATTERN.match(value))
