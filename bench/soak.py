"""The local stack under a long mixed load: does it stay inside its memory?

``python3 dev soak`` (``--requests N``, default 20,000). A benchmark, not a test: it starts ``python3 dev run``
as a user does, sends requests from 16 threads — people filing and reading cases, managers deciding, payroll
working its queue, the catalogue, and the hostile part: bodies of 10 MB (refused at the door), just under the
limit, deeply nested JSON, garbage — and reads the stack's resident memory (``/proc/PID/status``) after the
warm-up, at the middle and at the end. Goal (issue 25): flat after warm-up, at most 1 GB after 20,000 requests.

Cases filed here are real data and stay (DynamoDB, S3), as they would on AWS; what must not grow is what the
emulation keeps beside them (docs/testing.md, "The local stack's memory").
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import threading
import time
import urllib.error
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from tests.e2e.conftest import DEV_RUN, Http, start_stack  # noqa: E402 - after the path that finds it

GOAL_MB = 1024
THREADS = 16
#: The request mix, by weight: mostly reading, some filing and deciding, and a hostile tenth.
MIX = {
    "catalogue": 12,
    "my cases": 12,
    "a case": 14,
    "team list": 6,
    "desk queue": 8,
    "file a case": 6,
    "a case, as the manager": 3,
    "refused form": 10,
    "10 MB body": 1,
    "just under the limit": 1,
    "deeply nested": 4,
    "garbage": 8,
    "not found": 5,
    "decision page": 5,
    "mailbox": 1,
}
PEOPLE = ("anna", "erik", "aslak")


@dataclass
class Load:
    http: Http
    tokens: dict[str, str]
    chosen: random.Random
    cases: dict[str, list[str]] = field(default_factory=lambda: {p: [] for p in PEOPLE})
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request(self, method: str, path: str, *, who: str | None = None, body: bytes | None = None) -> int:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        token = self.tokens[who] if who else None
        try:
            status, _, raw = self.http.request(method, path, token=token, body=body, headers=headers)
        except (ConnectionError, urllib.error.URLError):
            status, raw = 0, b""  # the front closed a refused 10 MB upload early: as API Gateway may
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if method == "POST" and path == "/cases" and status == 201 and who:
                self.cases[who].append(json.loads(raw)["caseId"])
        return status

    def one(self, kind: str) -> int:
        who = self.chosen.choice(PEOPLE)
        mine = self.cases[who]
        case = f"/cases/{self.chosen.choice(mine)}" if mine else "/cases/01JNOTACASE0000000000000000"
        support = {"category": "skatt", "heading": "Jämkning", "message": "Gäller jämkning för 2027."}
        bad = {"formId": "leave-application", "data": {"leaveType": "semester", "extentPercent": 1000}}
        depth = self.chosen.choice((100, 1000, 100_000))
        requests: dict[str, tuple[str, str, str | None, bytes | None]] = {
            "catalogue": ("GET", "/forms", who, None),
            "my cases": ("GET", "/cases", who, None),
            "a case": ("GET", case, who, None),
            "team list": ("GET", "/cases?scope=team", "maria", None),
            "desk queue": ("GET", "/desk/cases", "pia", None),
            "file a case": ("POST", "/cases", who, json.dumps({"formId": "payroll-support", "data": support}).encode()),
            "a case, as the manager": ("GET", case, "maria", None),
            "refused form": ("POST", "/cases", who, json.dumps(bad).encode()),
            "10 MB body": ("POST", "/cases", who, b"{" + b" " * (10 * 1024 * 1024 + 16) + b"}"),
            "just under the limit": ("POST", "/cases", who, b'{"formId": "x", "data": "' + b"x" * (9 << 20) + b'"}'),
            "deeply nested": ("POST", "/cases", who, b"[" * depth + b"]" * depth),
            "garbage": ("POST", "/cases", who, bytes(self.chosen.randrange(256) for _ in range(512))),
            "not found": ("GET", "/cases/01JNOTACASE0000000000000000", who, None),
            "decision page": ("GET", "/decisions/not-a-live-token", None, None),
            "mailbox": ("GET", "/dev/mailbox", None, None),
        }
        method, path, caller, body = requests[kind]
        return self.request(method, path, who=caller, body=body)


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else 0.0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="dev soak", description=__doc__)
    parser.add_argument("--requests", type=int, default=20_000)
    args = parser.parse_args(argv)
    process, http = start_stack([*DEV_RUN, "--port", "0", "--quiet", "--empty"], timeout=120)
    try:
        tokens = {p: http.token(p) for p in (*PEOPLE, "maria", "pia")}
        load = Load(http, tokens, random.Random(2026))  # noqa: S311 - a fixed mix
        kinds = [k for k, weight in MIX.items() for _ in range(weight)]
        plan = [load.chosen.choice(kinds) for _ in range(args.requests)]
        warm_up = min(1000, args.requests // 10)
        samples: list[tuple[str, int, float]] = [("started", 0, _rss_mb(process.pid))]
        started = time.monotonic()
        with ThreadPoolExecutor(THREADS) as pool:
            done = 0
            for label, upto in (("warm", warm_up), ("middle", args.requests // 2), ("end", args.requests)):
                list(pool.map(load.one, plan[done:upto]))
                done = upto
                samples.append((label, done, _rss_mb(process.pid)))
                print(f"  {done:>7,} requests  {samples[-1][2]:7.0f} MB resident", flush=True)
        took = time.monotonic() - started
    finally:
        process.terminate()
        process.wait(timeout=15)
    warm, end = samples[1][2], samples[-1][2]
    filed = sum(len(v) for v in load.cases.values())
    print(f"\nSoak: {args.requests:,} requests in {took:.0f} s ({args.requests / took:.0f}/s), {filed} cases filed")
    print("  answers: " + ", ".join(f"{status}: {n}" for status, n in sorted(load.statuses.items())))
    print(f"  resident: start {samples[0][2]:.0f} MB, after warm-up {warm:.0f} MB, end {end:.0f} MB")
    verdict = "met" if end <= GOAL_MB else "MISSED"
    print(f"  growth after warm-up: {end - warm:+.0f} MB; goal at most {GOAL_MB} MB at the end: {verdict}")
    server_errors = {s: n for s, n in load.statuses.items() if s >= 500}
    if server_errors:
        print(f"  server errors: {server_errors}")
    return 0 if end <= GOAL_MB and not server_errors else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
