"""The local stack's moved clock: the demo files a year of activity through the real handlers as if it
happened over the past year (docs/statistics.md, "a year of demo activity").

``POST /dev/clock {"at": "2026-03-04T08:00:00Z"}`` sets every function's clock (``eforms.wiring``) to run
on from that instant; ``{"at": null}`` puts the real one back. Only the local stack has the route (there is
no such thing deployed). While the clock is moved or the demo is filing, the scheduled functions wait: a
service report made from half a month, or a digest sent at a moved hour, would be a demo of a defect.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

from eforms import wiring
from eforms.core.common.clock import parse_iso, utc_now

_lock = threading.Lock()
_moved = threading.Event()
_filing = threading.Event()


def move(at: datetime | None) -> None:
    """Run every function's clock from ``at`` on (None: the real clock again)."""
    with _lock:
        if at is None:
            wiring.use_clock(utc_now)
            _moved.clear()
            return
        started = time.monotonic()
        wiring.use_clock(lambda: at + _elapsed(started))
        _moved.set()


def _elapsed(started: float) -> timedelta:
    return timedelta(seconds=time.monotonic() - started)


def parse(value: object) -> datetime | None:
    """The body's ``at``: an ISO instant with its offset, or null. ValueError otherwise."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("at: an ISO 8601 instant or null")
    return parse_iso(value)


def hold_schedules(held: bool) -> None:
    """Hold the scheduled functions while the demo files (``python3 dev run``'s demo thread)."""
    (_filing.set if held else _filing.clear)()


def schedules_held() -> bool:
    return _moved.is_set() or _filing.is_set()
