"""The month a form's answers say the pay concerns: declared by the form, read the same by server and page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from eforms.core.forms import pay_month
from eforms.core.forms.catalogue import Catalogue

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = {
    "properties": {
        "period": {"type": "object", "properties": {"from": {"type": "string"}}},
        "rows": {"type": "array", "items": {"type": "object", "properties": {"date": {"type": "string"}}}},
        "payMonth": {"type": "string"},
    }
}
CASES: list[tuple[list[str], dict[str, Any], str | None]] = [
    (["/period/from"], {"period": {"from": "2027-01-04"}}, "2027-01"),
    (["/payMonth"], {"payMonth": "2027-03"}, "2027-03"),
    (["/rows/*/date"], {"rows": [{"date": "2027-02-10"}, {"date": "2027-01-31"}, {}]}, "2027-01"),
    (["/payMonth", "/period/from"], {"payMonth": "2027-05", "period": {"from": "2027-04-30"}}, "2027-04"),
    (["/payMonth"], {}, None),  # optional and left out: no floor
    (["/payMonth"], {"payMonth": "not a month"}, None),
    (["/rows/*/date"], {"rows": "not rows"}, None),
]


@pytest.mark.parametrize(("pointers", "data", "month"), CASES)
def test_the_earliest_month_at_the_declared_pointers(pointers: list[str], data: dict[str, Any], month: str) -> None:
    assert pay_month.concerned_month(tuple(pointers), data) == month


@pytest.mark.parametrize("raw", ["period/from", "/nothing", ["/rows/*/missing"], [], [3], {"a": 1}])
def test_a_pointer_must_name_a_field_of_the_form(raw: Any) -> None:
    with pytest.raises(ValueError, match="payMonthFrom"):
        pay_month.parse_pointers(raw, SCHEMA)


def test_every_pay_affecting_form_declares_its_month() -> None:
    """Forms that change pay say which answer gives its month; the others (questions, certificates, access)
    reach payroll with no pay run to make."""
    catalogue = Catalogue(ROOT / "schemas")
    declared = {form.form_id for form in catalogue.latest() if form.pay_month_from}
    assert {"leave-application", "time-report", "overtime", "new-salary", "one-off-payment-dk"} <= declared
    assert not {"certificate-request", "payroll-support", "access-request"} & declared


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js builds the web client")
def test_the_form_page_reads_the_month_as_the_server_does() -> None:
    """web/src/payRun.js picks the pay run shown before sending by the same rule, run here in Node."""
    script = (
        f"import {{ concernedMonth }} from {json.dumps(str(ROOT / 'web/src/payRun.js'))};"
        "const cases = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(cases.map(([p, d]) => concernedMonth(p, d))));"
    )
    node = shutil.which("node")
    assert node is not None
    done = subprocess.run(
        [node, "--input-type=module", "-e", script, json.dumps([[p, d] for p, d, _ in CASES])],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout) == [month for _, _, month in CASES]
