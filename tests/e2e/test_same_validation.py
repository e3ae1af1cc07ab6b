"""One validation result: every example document gets the same verdict from the browser's validator
(react-jsonschema-form's ajv, run by node from web/) and the server's (jsonschema), on the schema the
API serves. Rules beyond JSON Schema (date order, personnummer checksum, dates in the past) are the
server's alone; for those examples both schema validators must say "valid" and the server must not.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, validators

from devstack.template import ROOT
from eforms.core.forms import field_errors
from eforms.core.forms.catalogue import Catalogue
from eforms.core.forms.validation import validate
from tests.support.examples import EXAMPLES, examples

TODAY = date.today()
CATALOGUE = Catalogue(ROOT / "schemas")
#: Server-side rules that JSON Schema cannot state; the browser learns of them from the 422.
SERVER_ONLY = {
    "date_order",
    "invalid_personnummer",
    "invalid_cpr",
    "date_out_of_range",
    "date_in_past",
    "control_characters",
    "invalid_text",
    "time_order",
    "row_hours",
    "rows_overlap",
    "totals_mismatch",
}
#: JSON Schema as the server reads it, without the forms' own keywords: multipleOf in decimal, as ajv's
#: multipleOfPrecision does in the browser.
_SCHEMA_ONLY = validators.extend(Draft202012Validator, {"multipleOf": field_errors.decimal_multiple_of})  # type: ignore[no-untyped-call]
_SKIP = {"if"}  # which branch applied; its "then" errors are reported themselves


def _server_schema_pointers(schema: dict[str, Any], data: Any) -> list[str]:
    pointers: set[str] = set()
    for error in _SCHEMA_ONLY(schema, format_checker=FormatChecker()).iter_errors(data):
        if error.validator in _SKIP:
            continue
        base = "".join(f"/{p}" for p in error.absolute_path)
        if error.validator == "required":
            present = error.instance if isinstance(error.instance, dict) else {}
            pointers.update(f"{base}/{name}" for name in error.validator_value if name not in present)
        else:
            pointers.add(base)
    return sorted(pointers)


def _browser(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    node = shutil.which("node")
    assert node, "node is needed (it builds the web client too)"
    result = subprocess.run(
        [node, "scripts/validate-examples.mjs"],
        input=json.dumps(documents),
        capture_output=True,
        text=True,
        cwd=ROOT / "web",
        check=True,
        timeout=60,
    )
    answers: list[dict[str, Any]] = json.loads(result.stdout)
    return answers


def test_browser_and_server_agree_on_every_example() -> None:
    rows: list[tuple[Any, dict[str, Any], Any, list[str]]] = []
    for path in sorted(EXAMPLES.glob("*.json")):
        form = CATALOGUE.get(path.stem)
        schema = form.localized_schema("sv")  # exactly what GET /forms/{formId} gives the browser
        loaded = examples(path.stem, TODAY)
        for data in loaded["valid"]:
            rows.append((form, schema, data, []))
        for example in loaded["invalid"]:
            rows.append((form, schema, example["data"], [code for _, code in example["errors"]]))
    answers = _browser([{"schema": schema, "data": data} for _, schema, data, _ in rows])
    assert len(answers) == len(rows) >= 30
    disagreements = []
    for (form, schema, data, codes), browser in zip(rows, answers, strict=True):
        server = _server_schema_pointers(schema, data)
        if browser["valid"] != (not server) or browser["pointers"] != server:
            disagreements.append((form.form_id, data, browser, server))
        full = validate(form, data, today=TODAY)
        if codes and set(codes) <= SERVER_ONLY:
            # Only the server's own rules are broken: JSON Schema says valid on both sides, the server does not.
            assert browser["valid"], (form.form_id, data)
            assert full, (form.form_id, data)
        elif codes:
            assert not browser["valid"], (form.form_id, data)
        else:
            assert browser["valid"], (form.form_id, data, browser)
            assert not full, (form.form_id, data, full)
    assert not disagreements, json.dumps(disagreements, ensure_ascii=False, indent=1)[:3000]
