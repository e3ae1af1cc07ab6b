"""The web client's own checks, run by ``python3 dev test`` like every other (issue 29 §9): ESLint over its
sources (the recommended rules and React's hooks rules) and its logic's unit tests in Vitest."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "web"


def _npx(*command: str) -> subprocess.CompletedProcess[str]:
    npx = shutil.which("npx")
    if npx is None or not (WEB / "node_modules").is_dir():
        pytest.fail("python3 dev test installs the web client's packages (npm ci) and needs Node.js")
    command_line = [npx, "--no-install", *command]
    # Not check=True: the tests below show what ESLint or Vitest printed when they fail.
    return subprocess.run(command_line, check=False, cwd=WEB, capture_output=True, text=True, timeout=300)


def test_the_client_lints_clean() -> None:
    linted = _npx("eslint", "--max-warnings=0", ".")
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_the_clients_logic_passes_its_unit_tests() -> None:
    tested = _npx("vitest", "run", "--reporter=dot")
    assert tested.returncode == 0, tested.stdout + tested.stderr
