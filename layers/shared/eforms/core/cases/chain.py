"""A history nobody can rewrite unnoticed: each entry chained to the one before by a hash (docs/records.md §2).

Each entry's ``chain`` is the SHA-256 of the previous entry's ``chain`` and the entry itself, over a canonical
encoding (JSON with sorted keys, no insignificant whitespace, UTF-8). The first entry's previous is the
case's **opening**: what the case is and when it was opened, facts that never change (not its organisation,
which a migration may move). The store extends the chain in the same conditional transaction that appends
the entries, and keeps the head on the case; the sealed PDF prints the head and the write-once record keeps
it, so rewriting an entry and every hash after it still disagrees with what was sealed and locked.

:func:`verify` recomputes a stored history's chain and names the first entry whose stored hash differs:
the entry that was changed (or the first after one that was removed or inserted).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eforms.core.cases.model import Case, HistoryEntry
from eforms.core.common.clock import iso


def _digest(value: dict[str, Any]) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def opening(case: Case) -> str:
    """Where the chain starts: the case's identity and the moment it was opened."""
    return _digest(
        {
            "case": case.case_id,
            "form": case.form_id,
            "formVersion": case.form_version,
            "createdAt": iso(case.created_at),
        }
    )


def facts(entry: HistoryEntry) -> dict[str, Any]:
    """What an entry says, as plain data: what its hash covers, and what the write-once record keeps."""
    return {
        "at": iso(entry.at),
        "actor": {"id": entry.actor.id, "name": entry.actor.name},
        "role": entry.role,
        "action": entry.action,
        "channel": entry.channel.value,
        "details": entry.details,
    }


def link(previous: str, entry: HistoryEntry) -> str:
    """``entry``'s hash, chained to ``previous`` (the entry before it, or the opening)."""
    return _digest({"prev": previous, **facts(entry)})


def hashes(case: Case) -> list[str]:
    """Every entry's ``chain``, in order, from the case's opening."""
    found: list[str] = []
    previous = opening(case)
    for entry in case.history:
        previous = link(previous, entry)
        found.append(previous)
    return found


@dataclass(frozen=True)
class Verdict:
    """What :func:`verify` found: ``broken_at`` is the index of the first entry that does not hold (None:
    every entry holds); ``before_chain`` counts the leading entries written before the chain existed."""

    entries: int
    head: str | None
    broken_at: int | None = None
    reason: str = ""
    before_chain: int = 0

    @property
    def holds(self) -> bool:
        return self.broken_at is None and not self.reason


def verify(case: Case, stored: Sequence[str | None], stored_head: str | None) -> Verdict:
    """Recompute ``case``'s chain and compare it with the hashes stored with its entries (``stored``, one per
    entry, None where an entry predates the chain) and with the head stored on the case.

    The chain runs over every entry from the opening, those written before it existed too, so once a case's
    history is chained a change to any earlier entry shows at the first entry that carries a hash."""
    if len(stored) != len(case.history):
        raise ValueError("one stored hash (or None) per history entry")
    before = next((n for n, h in enumerate(stored) if h is not None), len(stored))
    computed = hashes(case)
    for index in range(before, len(stored)):
        if stored[index] is None:
            return Verdict(
                len(stored), stored_head, index, "the entry carries no hash where the chain had begun", before
            )
        if computed[index] != stored[index]:
            return Verdict(len(stored), stored_head, index, "the entry differs from what was chained", before)
    last = stored[-1] if stored else None
    if before < len(stored) and stored_head != last:
        return Verdict(len(stored), stored_head, None, "the case's head is not its last entry's hash", before)
    return Verdict(len(stored), last, None, "", before)
