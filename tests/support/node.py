"""Running the web client's own JavaScript modules in Node.js from a test: the client's rules checked against
the server's (totals, capitals, field names) and its words read as data."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

WEB = Path(__file__).resolve().parents[2] / "web"


def run(script: str, *arguments: Any) -> Any:
    """Run ``script`` (an ES module body, run in web/) with ``arguments`` as JSON in ``process.argv[1]``; what it
    printed, parsed as JSON."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("python3 dev test needs Node.js for the web client")
    out = subprocess.run(
        [node, "--input-type=module", "-e", script, json.dumps(list(arguments))],
        cwd=WEB,
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    )
    return json.loads(out.stdout)
