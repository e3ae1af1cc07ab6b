"""Structural rules of the codebase that reviewers would otherwise have to remember."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "layers" / "shared" / "eforms" / "core"
FUNCTIONS = ROOT / "functions"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_domain_core_imports_no_aws_sdk() -> None:
    for path in CORE.rglob("*.py"):
        imported = _imports(path)
        assert not {"boto3", "botocore", "aws_lambda_powertools"} & {n.split(".")[0] for n in imported}, path.name
        assert not any(n.startswith(("eforms.aws", "eforms.api")) for n in imported), path.name


def test_importing_the_core_does_not_load_boto3() -> None:
    code = (
        "import sys, eforms.core.intake.submission, eforms.core.cases.access, eforms.core.cases.listing;"
        "print('boto3' in sys.modules or 'botocore' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT / "layers" / "shared"
    )
    assert result.stdout.strip() == "False"


#: What no function may load at import: each is paid on every cold start (docs/performance.md). jsonschema
#: explains an invalid document and is loaded by the first one; reportlab and Pillow are the PDF
#: function's, loaded when it renders; pydantic is the directory import's; AppSync, Bedrock and YAML are
#: nobody's (eforms/api/resolver.py keeps Powertools' other resolvers out).
NEVER_AT_IMPORT = frozenset(
    {
        "jsonschema",
        "reportlab",
        "PIL",
        "pydantic",
        "yaml",
        "aws_lambda_powertools.event_handler.appsync",
        "aws_lambda_powertools.event_handler.bedrock_agent",
        "pyhanko",  # the seal: loaded on the first PDF sealed, never with a function
        "aiohttp",
    }
)
#: The compiled validators, loaded only by the functions that take in form data.
VALIDATING = frozenset({"submit_case", "decision_page"})
#: The catalogue needs no AWS client at start: no boto3, botocore session or X-Ray (and so no asyncio) on import
#: (a directory prefill loads boto3 on its first read).
AWS_FREE = frozenset({"forms"})
AWS_MODULES = frozenset({"boto3", "botocore.session", "botocore.client", "aws_xray_sdk", "asyncio"})


@pytest.mark.parametrize("function", sorted(p.name for p in FUNCTIONS.iterdir() if (p / "app.py").exists()))
def test_each_function_imports_only_what_its_cold_start_needs(function: str) -> None:
    code = (
        "import importlib.util, json, sys;"
        f"spec = importlib.util.spec_from_file_location('app', r'{FUNCTIONS / function / 'app.py'}');"
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module);"
        "print(json.dumps(sorted(sys.modules)))"
    )
    # As on Lambda with active tracing: Powertools enables its tracer only inside a Lambda environment.
    lambda_env = {**os.environ, "LAMBDA_TASK_ROOT": "/var/task", "AWS_LAMBDA_FUNCTION_NAME": function}
    lambda_env["PYTHONPATH"] = os.pathsep.join(str(ROOT / "layers" / layer) for layer in ("shared", "pdf"))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=lambda_env
    )
    loaded = set(json.loads(result.stdout))
    forbidden = set(NEVER_AT_IMPORT)
    if function not in VALIDATING:
        forbidden |= {"fastjsonschema", "eforms.core.forms.validation"}
    if function in AWS_FREE:
        forbidden |= AWS_MODULES
    assert sorted(forbidden & loaded) == []


def test_handlers_are_thin() -> None:
    """Each function is one small module: parse, call the domain, respond. Logic belongs in the layer."""
    for app in FUNCTIONS.glob("*/app.py"):
        code_lines = [
            line
            for line in app.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.strip().startswith("#")
        ]
        assert len(code_lines) < 120, f"{app.parent.name} has {len(code_lines)} lines; move logic into the layer"
        assert sorted(p.name for p in app.parent.iterdir() if p.suffix == ".py") == ["app.py"]


def test_the_layer_pins_what_the_functions_need() -> None:
    pins = (ROOT / "layers" / "shared" / "requirements.txt").read_text().splitlines()
    packages = [line for line in pins if line and not line.startswith("#")]
    assert packages
    assert all("==" in line for line in packages)


def test_no_code_changes_a_case_but_the_lifecycle() -> None:
    """History entries are made and versions bumped in one place: eforms.core.cases.lifecycle (the stores
    only read and write them)."""
    lifecycle = CORE / "cases" / "lifecycle.py"
    readers = {ROOT / "layers" / "shared" / "eforms" / "aws" / name for name in ("case_items.py", "case_store.py")}
    readers.add(CORE / "intake" / "drafts.py")  # a draft's own version (optimistic locking): not a case's
    for path in [*(ROOT / "layers").rglob("*.py"), *FUNCTIONS.rglob("*.py")]:
        if path == lifecycle or path in readers:
            continue
        text = path.read_text(encoding="utf-8")
        assert "HistoryEntry(" not in text, path
        assert "version + 1" not in text, path
