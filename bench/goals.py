"""The goals every figure a user pays for is held to, each beside what this run measured: the last part of
``python3 dev bench``.

Each benchmark script records its headline figures here (``record``) as it runs, into
``.cache/bench/figures.json``; this prints them against the goals of issue 16 (docs/performance.md). A
benchmark, not a test: a missed goal is printed, never raised.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

FIGURES = Path(__file__).resolve().parent.parent / ".cache" / "bench" / "figures.json"


def record(**figures: Any) -> None:
    """Keep ``figures`` (name → value) for the goals table."""
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    known = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    FIGURES.write_text(json.dumps({**known, **figures}, indent=1, sort_keys=True))


def _row(
    figures: dict[str, Any], names: list[str], show: Callable[..., str], meets: Callable[..., bool]
) -> tuple[str, str]:
    if not all(name in figures for name in names):
        return "not measured this run", ""
    values = [figures[name] for name in names]
    return show(*values), ("meets" if meets(*values) else "MISSES")


GOALS: list[tuple[str, str, list[str], Callable[..., str], Callable[..., bool]]] = [
    (
        "each function's cold import as deployed, vs import boto3 + one client",
        "<= 1.3x",
        ["import_ratio_max", "import_ratio_min", "import_ratio_without_bytecode_max"],
        lambda top, low, bare: f"{low:.2f}-{top:.2f}x (without the shipped bytecode: up to {bare:.2f}x)",
        lambda top, low, bare: top <= 1.3,
    ),
    (
        "leave-application validation (valid document)",
        "<= 40 µs",
        ["validation_leave_us"],
        lambda us: f"{us:.1f} µs",
        lambda us: us <= 40,
    ),
    (
        "approved-leave PDF",
        "<= 10 ms, <= 60 KB, every script",
        ["pdf_leave_ms", "pdf_leave_kib", "pdf_scripts_max_kib"],
        lambda ms, kib, worst: f"{ms:.1f} ms, {kib:.1f} KiB (a name in any script: up to {worst:.1f} KiB)",
        lambda ms, kib, worst: ms <= 10 and kib <= 60 and worst <= 60,
    ),
    (
        "every list and search at 100,000 cases",
        "<= 2 requests per complete page",
        ["listing_requests_max", "listing_short_pages"],
        lambda top, short: f"at most {top} requests per page, {short} short pages",
        lambda top, short: top <= 2 and short == 0,
    ),
    (
        "cost per 1,000 cases",
        "<= USD 0.40",
        ["cost_per_1000_usd"],
        lambda usd: f"USD {usd:.2f}",
        lambda usd: usd <= 0.40,
    ),
]


def main() -> int:
    figures = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    print("\nGoals (issue 16), this run\n")
    print("| figure | goal | measured | |")
    print("| --- | --- | --- | --- |")
    for label, goal, names, show, meets in GOALS:
        measured, verdict = _row(figures, names, show, meets)
        print(f"| {label} | {goal} | {measured} | {verdict} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
