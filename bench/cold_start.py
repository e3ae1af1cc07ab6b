"""Cold-start and latency figures for the API functions: ``python3 dev bench``.

A benchmark, not a test: it prints numbers for a person (and the closing note of an issue) to read,
and fails only if something crashes. Three parts:

1. **Imports, as deployed.** Each function's handler module imported the way Lambda imports it: from the
   real ``sam build`` artifacts, by CPython 3.13, with no bytecode written (``lambda_twin``), median of N
   fresh interpreters, with and without the bytecode the build ships, next to the floor every AWS-calling
   function pays anyway: ``import boto3`` plus one DynamoDB client, from the same layout.
2. **Validation.** Per form: building its validator (once per container) and validating one valid
   and one invalid document (every request).
3. **Submit in-process against moto**, next to the bare DynamoDB calls the handler makes (the
   directory read and the transaction), so the handler's own overhead is visible.
4. **The organisations**, read once per container on its first request (``Registry.read``, no validator):
   the repository's files, and 30 customers.

Interpreter start-up is excluded (it is the same for every function).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bench import goals

ROOT = Path(__file__).resolve().parent.parent
# The service's own INFO logs and EMF metric lines would bury the figures.
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
sys.path[:0] = [str(ROOT / "layers" / "shared"), str(ROOT)]

VALIDATION_GOAL_US = 40
IMPORT_GOAL_RATIO = 1.3


def bench_imports(runs: int) -> None:
    """Each function's handler module imported as Lambda imports it, from the built artifacts (lambda_twin)."""
    from bench import lambda_twin
    from devstack.template import load

    functions = load().functions()
    built = lambda_twin.build()
    shipped, bare = lambda_twin.lay_out(built, [f.logical_id for f in functions])
    floor = lambda_twin.floor_ms(shipped, runs)
    floor_bare = lambda_twin.floor_ms(bare, runs)
    print(
        f"\n1. Cold import as deployed: sam build artifacts, CPython 3.13, no bytecode written (median of {runs}, ms)"
    )
    print(
        f"   goal: each function <= {IMPORT_GOAL_RATIO}x import boto3 + one client, with the bytecode the build ships"
    )
    print(f"   {'function':<24}{'shipped .pyc':>14}{'ratio':>8}{'no .pyc':>10}{'ratio':>8}")
    print(f"   {'import boto3 + 1 client':<24}{floor:>14.1f}{1.0:>8.2f}{floor_bare:>10.1f}{1.0:>8.2f}")
    ratios, bare_ratios = [], []
    for spec in functions:
        module = spec.handler.rsplit(".", 1)[0]
        with_pyc = lambda_twin.import_ms(shipped, spec.logical_id, module, runs)
        without = lambda_twin.import_ms(bare, spec.logical_id, module, runs)
        ratios.append(with_pyc / floor)
        bare_ratios.append(without / floor)
        mark = "meets" if with_pyc <= IMPORT_GOAL_RATIO * floor else "MISSES"
        print(
            f"   {spec.logical_id:<24}{with_pyc:>14.1f}{with_pyc / floor:>8.2f}"
            f"{without:>10.1f}{without / floor:>8.2f}  {mark}"
        )
    goals.record(
        import_ratio_max=max(ratios), import_ratio_min=min(ratios), import_ratio_without_bytecode_max=max(bare_ratios)
    )


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
    print(f"\n2. Validation per form (compile ms, once per container; validate µs, median/p95 of {repeat})")
    print(
        f"   goal: a valid leave application in <= {VALIDATION_GOAL_US} µs (compiled verdict; jsonschema only explains)"
    )
    print(f"   {'form':<22}{'compile':>10}{'valid µs':>16}{'invalid µs':>16}")
    for form_id in catalogue.form_ids():
        form = catalogue.get(form_id)
        ex = examples(form_id, today)
        valid, invalid = ex["valid"][0], ex["invalid"][0]["data"]
        start = time.perf_counter()
        validation.validate(form, valid, today=today)  # first call builds the validator
        compile_ms = (time.perf_counter() - start) * 1000
        validation.validate(form, invalid, today=today)  # and the explaining one, on the first invalid document
        ok = [ms * 1000 for ms in _timed(functools.partial(validation.validate, form, valid, today=today), repeat)]
        bad = [ms * 1000 for ms in _timed(functools.partial(validation.validate, form, invalid, today=today), repeat)]
        mark = ""
        if form_id == "leave-application":
            goals.record(validation_leave_us=ok[0])
            mark = "  meets" if ok[0] <= VALIDATION_GOAL_US else "  MISSES"
        print(f"   {form_id:<22}{compile_ms:>10.2f}{ok[0]:>9.1f}/{ok[1]:<6.1f}{bad[0]:>9.1f}/{bad[1]:<6.1f}{mark}")


def bench_submit(repeat: int) -> None:
    import pytest

    from eforms.aws.case_items import case_item, history_item
    from eforms.aws.case_store import DynamoCaseStore
    from eforms.aws.clients import client
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
            # Interleaved, so both see the same table size and the same machine load. Powertools prints a
            # metric's values every 100 even while metrics are disabled: kept off this report.
            with contextlib.redirect_stdout(io.StringIO()):
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


def bench_organisations(repeat: int) -> None:
    """What a container pays once, on its first request, to know its organisations (docs/organisations.md)."""
    import json
    import shutil
    import tempfile

    from eforms.core.organisations.registry import Registry

    print("\n4. The organisations, read once per container (Registry.read: the files the test suite checked)")
    with tempfile.TemporaryDirectory() as scratch:
        thirty = Path(scratch) / "organisations"
        shutil.copytree(ROOT / "organisations", thirty)
        template = json.loads((thirty / "norrby.json").read_text(encoding="utf-8"))
        for n in range(30 - len(list(thirty.glob("*.json"))) + 2):
            copy = {**template, "organisationId": f"kommun-{n:02d}"}
            copy["signIn"] = {**template["signIn"], "emailDomains": [f"kommun-{n:02d}.example.se"]}
            (thirty / f"kommun-{n:02d}.json").write_text(json.dumps(copy), encoding="utf-8")
        for label, root in (
            ("the repository's (4 organisations)", ROOT / "organisations"),
            ("30 organisations", thirty),
        ):
            timings = []
            for _ in range(repeat // 10 or 1):
                began = time.perf_counter()
                registry = Registry.read(root)
                timings.append((time.perf_counter() - began) * 1000)
            count = len(registry.organisations) if registry else 0
            print(f"   {label:<40}{statistics.median(timings):>8.2f} ms  ({count} read)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="fresh interpreters per import figure")
    parser.add_argument("--repeat", type=int, default=300, help="repetitions of in-process timings")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]} on {os.uname().machine}, {os.cpu_count()} cores")
    bench_imports(args.runs)
    bench_validation(args.repeat)
    bench_submit(args.repeat)
    bench_organisations(args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
