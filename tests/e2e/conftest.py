"""The local stack started exactly as the README's run command starts it, in its own process."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest

from devstack.template import ROOT

STARTUP_SECONDS = 60
#: The environment as the test run began: the stack starts from it, not from what an emulated world of the
#: integration tests (on the same worker) set since — its table names, credentials and region.
ENVIRONMENT_AT_START = dict(os.environ)


@dataclass
class Http:
    base: str
    #: The stack's emulated AWS endpoint (moto), for what a test sets up as an operator would.
    aws: str = ""
    #: Set once the stack says its demo is filed ("Demo data: …").
    demo_filed: threading.Event = field(default_factory=threading.Event)

    def client(self, service: str) -> Any:
        """A boto3 client of the stack's emulated AWS (moto takes any credentials)."""
        local = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
        return boto3.client(service, endpoint_url=self.aws, region_name="eu-north-1", **local)

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
        except urllib.error.HTTPError as error:
            return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()

    def json(
        self, method: str, path: str, *, token: str | None = None, payload: Any = None, **kwargs: Any
    ) -> tuple[int, Any]:
        body = json.dumps(payload).encode() if payload is not None else None
        headers = (
            {"Content-Type": "application/json", **kwargs.pop("headers", {})} if body else kwargs.pop("headers", {})
        )
        status, _, raw = self.request(method, path, token=token, body=body, headers=headers, **kwargs)
        return status, json.loads(raw) if raw else None

    def token(self, persona: str) -> str:
        status, reply = self.json("POST", "/dev/token", payload={"persona": persona})
        assert status == 200
        token: str = reply["token"]
        return token


def drain_output(stream: Any, demo_filed: threading.Event | None = None) -> None:
    for line in iter(stream.readline, ""):
        if demo_filed is not None and line.startswith("Demo data"):
            demo_filed.set()


#: ``python3 dev run`` as a user types it (the dev script execs the stack: one process, the stack's own).
DEV_RUN = [sys.executable, str(ROOT / "dev"), "run"]


def start_stack(command: list[str], timeout: float = STARTUP_SECONDS) -> tuple[subprocess.Popen[str], Http]:
    """Start the local stack with ``command`` and wait until it says where its API and AWS endpoint are; what it
    prints from then on is read and dropped (a pipe nobody drains fills up at 64 KiB, and the stack then blocks
    on its next log line)."""
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**ENVIRONMENT_AT_START, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    base: str | None = None
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if match := re.search(r"API\s+(http://127\.0\.0\.1:\d+)", line):
            base = match.group(1)
        if base and (match := re.search(r"AWS endpoint\s+(http://127\.0\.0\.1:\d+)", line)):
            http = Http(base, match.group(1))
            threading.Thread(
                target=drain_output, args=(process.stdout, http.demo_filed), name="stack-output", daemon=True
            ).start()
            return process, http
    process.kill()
    raise AssertionError("local stack did not start:\n" + "".join(seen))


@contextlib.contextmanager
def running_stack(*options: str) -> Iterator[Http]:
    """``python3 dev run`` (with ``options``) in its own process, until the block ends."""
    process, http = start_stack([sys.executable, "-m", "devstack", "--port", "0", "--quiet", *options])
    try:
        yield http
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def stack() -> Iterator[Http]:
    """The browser tests' stack: the demo's cases of today, not its year on a moved clock (which would move
    the clock under the tests while it files; ``test_local_stack`` runs the year in a stack of its own)."""
    with running_stack("--no-year") as http:
        yield http


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    from tests.e2e.walk import CHROMIUM, CHROMIUM_ARGS

    assert CHROMIUM.exists(), "python3 dev test installs Chromium (apt-get install chromium)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
