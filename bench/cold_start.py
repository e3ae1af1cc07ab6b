"""Cold-start and latency figures for the API functions: ``python3 dev bench``.

A benchmark, not a test: it prints numbers for a person (and the closing note of an issue) to read,
and fails only if something crashes. Three parts:

1. **Imports.** Each function module imported in a fresh interpreter (as a Lambda cold start does),
   median of N runs, next to the floor every AWS-calling function pays anyway: ``import boto3`` plus
   one DynamoDB client. Measured twice: as locally, and "as on Lambda" (LAMBDA_TASK_ROOT set, so
   Powertools turns the X-Ray tracer on, as ``Tracing: Active`` does).
2. **Validation.** Per form: building its validator (once per container) and validating one valid
   and one invalid document (every request).
3. **Submit in-process against moto**, next to the bare DynamoDB calls the handler makes (the
   directory read and the transaction), so the handler's own overhead is visible.

Interpreter start-up is excluded (it is the same for every function). ``.pyc`` files are warm, as
they are when the build ships them; without them every import also compiles.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The service's own INFO logs and EMF metric lines would bury the figures.
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
sys.path[:0] = [str(ROOT / "layers" / "shared"), str(ROOT)]

FUNCTIONS = [
    "forms",
    "submit_case",
    "cases",
    "case_actions",
    "desk",
    "desk_scheduler",
    "decision_page",
    "workflow",
    "notifier",
    "outbox_relay",
]
LAMBDA_ENV = {"LAMBDA_TASK_ROOT": "/var/task", "AWS_LAMBDA_FUNCTION_NAME": "bench", "AWS_REGION": "eu-north-1"}

_IMPORT_SNIPPET = """
import importlib.util, sys, time
start = time.perf_counter()
spec = importlib.util.spec_from_file_location("app", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print((time.perf_counter() - start) * 1000)
"""
_BOTO3_SNIPPET = """
import time
start = time.perf_counter()
import boto3
boto3.client("dynamodb", region_name="eu-north-1")
print((time.perf_counter() - start) * 1000)
"""


def _median_ms(args: list[str], runs: int, env: dict[str, str]) -> float:
    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}  # the build ships .pyc files
    subprocess.run(args, capture_output=True, check=True, env=env, cwd=ROOT)  # warm-up: writes the .pyc
    samples = []
    for _ in range(runs):
        out = subprocess.run(args, capture_output=True, text=True, check=True, env=env, cwd=ROOT).stdout
        samples.append(float(out.strip().splitlines()[-1]))
    return statistics.median(samples)


def bench_imports(runs: int) -> None:
    print(f"\n1. Cold import, median of {runs} fresh interpreters (ms)")
    print(f"   {'module':<28}{'local':>10}{'as on Lambda':>16}")
    base_env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "layers" / "shared"), str(ROOT)])}
    rows = [
        (f"functions/{name}/app.py", [sys.executable, "-c", _IMPORT_SNIPPET, str(ROOT / "functions" / name / "app.py")])
        for name in FUNCTIONS
    ]
    rows.append(("import boto3 + 1 client", [sys.executable, "-c", _BOTO3_SNIPPET]))
    for label, args in rows:
        local = _median_ms(args, runs, base_env)
        on_lambda = _median_ms(args, runs, {**base_env, **LAMBDA_ENV})
        print(f"   {label:<28}{local:>10.1f}{on_lambda:>16.1f}")


def _timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def bench_validation(repeat: int) -> None:
    from eforms.core.forms import validation
    from eforms.core.forms.catalogue import Catalogue
    from tests.support.examples import examples

    today = date.today()
    catalogue = Catalogue(ROOT / "schemas")
    print(f"\n2. Validation per form (ms; compile once per container, validate median/p95 of {repeat})")
    print(f"   {'form':<22}{'compile':>10}{'valid':>16}{'invalid':>16}")
    for form_id in catalogue.form_ids():
        form = catalogue.get(form_id)
        ex = examples(form_id, today)
        valid, invalid = ex["valid"][0], ex["invalid"][0]["data"]
        start = time.perf_counter()
        validation.validate(form, valid, today=today)  # first call builds the validator
        compile_ms = (time.perf_counter() - start) * 1000
        ok = _timed(functools.partial(validation.validate, form, valid, today=today), repeat)
        bad = _timed(functools.partial(validation.validate, form, invalid, today=today), repeat)
        print(f"   {form_id:<22}{compile_ms:>10.2f}{ok[0]:>9.3f}/{ok[1]:<6.3f}{bad[0]:>9.3f}/{bad[1]:<6.3f}")


def bench_submit(repeat: int) -> None:
    import pytest

    from eforms.aws.clients import client
    from eforms.aws.dynamo_cases import DynamoCaseStore, case_item, history_item
    from eforms.core.cases.ids import new_case_id
    from tests.support.world import aws_world

    leave = {"leaveType": "semester", "period": {"from": "2027-01-04", "to": "2027-01-08"}, "extentPercent": 100}
    body = {"formId": "leave-application", "data": leave}
    monkeypatch = pytest.MonkeyPatch()
    handler_ms: list[float] = []
    bare_ms: list[float] = []
    try:
        with aws_world(monkeypatch, run_workflows=False) as world:
            from eforms.observability import logger

            logger.setLevel("WARNING")  # the template's INFO level came back with the world's environment
            monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
            api, refs = world.api, world.refs
            first = time.perf_counter()
            template_case = api.call("POST", "/cases", json_body=body).json()
            first_ms = (time.perf_counter() - first) * 1000
            case = DynamoCaseStore(refs["CasesTable"]).get(template_case["caseId"])
            assert case is not None
            dynamodb = client("dynamodb")  # the very client the handler uses
            # Interleaved, so both see the same table size and the same machine load.
            for _ in range(repeat):
                start = time.perf_counter()
                api.call("POST", "/cases", json_body=body)
                handler_ms.append((time.perf_counter() - start) * 1000)
                case.case_id = new_case_id()
                start = time.perf_counter()
                dynamodb.get_item(TableName=refs["DirectoryTable"], Key={"employeeId": {"S": "anna"}})
                dynamodb.transact_write_items(
                    TransactItems=[
                        {
                            "Put": {
                                "TableName": refs["CasesTable"],
                                "Item": case_item(case),
                                "ConditionExpression": "attribute_not_exists(pk)",
                            }
                        },
                        {
                            "Put": {
                                "TableName": refs["CasesTable"],
                                "Item": history_item(case, case.history[0], 0),
                                "ConditionExpression": "attribute_not_exists(pk)",
                            }
                        },
                    ]
                )
                bare_ms.append((time.perf_counter() - start) * 1000)
    finally:
        monkeypatch.undo()

    def summary(samples: list[float]) -> tuple[float, float]:
        ordered = sorted(samples)
        return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]

    handler, bare = summary(handler_ms), summary(bare_ms)
    print(f"\n3. POST /cases in-process against moto (ms, median/p95 of {repeat}; first call {first_ms:.1f})")
    print(f"   {'whole handler (valid leave application)':<48}{handler[0]:>8.2f} / {handler[1]:.2f}")
    print(f"   {'bare DynamoDB calls it makes (1 get + 1 txn)':<48}{bare[0]:>8.2f} / {bare[1]:.2f}")
    print(f"   {'handler overhead (parse, validate, log, view)':<48}{handler[0] - bare[0]:>8.2f}")
    print("   (moto's own request handling dominates both; on AWS the calls are network round trips.)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="fresh interpreters per import figure")
    parser.add_argument("--repeat", type=int, default=300, help="repetitions of in-process timings")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]} on {os.uname().machine}, {os.cpu_count()} cores")
    bench_imports(args.runs)
    bench_validation(args.repeat)
    bench_submit(args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
