"""The attachment path, step by step: announce (POST /uploads), the browser's presigned POST to S3, and the
check out of quarantine (POST /uploads/{id}/check) — and, inside the check, the scan itself.

``python3 dev bench`` runs it. A benchmark, not a test: it prints a table. The handlers are the real ones
(in-process, as Lambda runs them once warm) against moto with every resource from template.yaml, so the S3
figures are moto's, not S3's: what the table shows is what our code costs per size (the scan reads the
whole file once: SHA-256, magic bytes, EICAR) and that the API's share does not grow with the file.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
sys.path[:0] = [str(ROOT / "layers" / "shared"), str(ROOT)]

SIZES = [100 * 1024, 1024 * 1024, 5 * 1024 * 1024]  # up to the kind's maxBytes (5 MiB)
LARGEST = 20 * 1024 * 1024  # the platform's maximum: the scan alone, at that size
ROUNDS = 5
KIND = "underlag"  # payroll-support v2: PDF, JPEG or PNG


def _pdf(size: int) -> bytes:
    head = b"%PDF-1.7\n"
    return head + os.urandom(size - len(head))


def _ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:8.1f}"


def _scan(scanning: Any, content: bytes) -> float:
    """Seconds for the check's own reading of ``content``, in the 256 KiB chunks the check reads S3 in."""
    chunks = [content[i : i + (1 << 18)] for i in range(0, len(content), 1 << 18)]
    started = time.perf_counter()
    verdict = scanning.inspect(chunks, declared_type="application/pdf", max_bytes=LARGEST)
    elapsed = time.perf_counter() - started
    assert verdict.clean
    return elapsed


def main() -> int:
    import boto3
    import requests
    from moto import mock_aws

    from devstack.resources import provision
    from devstack.stack import load_personas, seed_directory
    from devstack.template import load
    from eforms import wiring
    from eforms.aws import clients
    from eforms.core.documents import scanning
    from tests.support.world import TEST_PARAMETERS, Api

    os.environ.update(
        {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "eu-north-1"}
    )
    with mock_aws():
        clients.reset()
        template = load()
        refs, environment, undo = provision(template, boto3.client, "bench", TEST_PARAMETERS)
        os.environ.update(environment)
        os.environ["EFORMS_SCHEMA_DIR"] = str(ROOT / "schemas")
        wiring.reset()
        api = Api(template, load_personas(seed_directory(refs["DirectoryTable"], refs["PersonnummerKey"])))
        print(f"Attachment path, median of {ROUNDS} rounds per size (ms; handlers in-process, S3 = moto):")
        print(f"{'size':>10} {'announce':>9} {'post→S3':>9} {'check':>9} {'scan only':>10} {'scan MB/s':>10}")
        for size in SIZES:
            content = _pdf(size)
            announce, post, check, scan = [], [], [], []
            for _ in range(ROUNDS):
                body = {"formId": "payroll-support", "kind": KIND, "name": "underlag.pdf"}
                started_at = time.perf_counter()
                started = api.call(
                    "POST", "/uploads", json_body={**body, "contentType": "application/pdf", "size": size}
                )
                announce.append(time.perf_counter() - started_at)
                assert started.status == 201, started.text
                upload = started.json()
                posted_at = time.perf_counter()
                files = {"file": ("underlag.pdf", content)}
                answer = requests.post(
                    upload["upload"]["url"], data=upload["upload"]["fields"], files=files, timeout=60
                )
                post.append(time.perf_counter() - posted_at)
                assert answer.status_code == 204, answer.text
                checked_at = time.perf_counter()
                checked = api.call("POST", f"/uploads/{upload['uploadId']}/check")
                check.append(time.perf_counter() - checked_at)
                assert checked.json()["state"] == "clean", checked.text
                scan.append(_scan(scanning, content))
            rate = size / statistics.median(scan) / 1e6
            print(f"{size / 1024:>8.0f}KB {_ms(announce)} {_ms(post)} {_ms(check)} {_ms(scan):>10} {rate:>10.0f}")
        largest = _pdf(LARGEST)
        scan = [_scan(scanning, largest) for _ in range(ROUNDS)]
        rate = LARGEST / statistics.median(scan) / 1e6
        print(f"{LARGEST / 1024:>8.0f}KB {'':>9} {'':>9} {'':>9} {_ms(scan):>10} {rate:>10.0f}")
        undo()
    return 0


if __name__ == "__main__":
    sys.exit(main())
