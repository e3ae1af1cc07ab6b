"""An error names its field as the form shows it (issue 29 §8): within a repeated group by the row's number
as labelled ("Rad 3"), never the pointer's 0-based index ("rows 2"). Runs the client's own module in Node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "web"
SCHEMA = {
    "properties": {
        "heading": {"title": "Rubrik"},
        "rows": {"title": "Rader", "items": {"properties": {"date": {"title": "Datum"}}}},
    }
}
SCRIPT = """
import("./src/forms/fieldNames.js").then(({ fieldName, nameOf }) => {
  const [schema, paths] = JSON.parse(process.argv[1]);
  console.log(JSON.stringify(paths.map((path) => nameOf(fieldName(schema, path), "Rad"))));
});
"""


def test_errors_in_rows_are_numbered_as_the_rows_are_labelled() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("python3 dev test needs Node.js for the web client")
    paths = [["heading"], ["rows", "2", "date"], ["rows", "2"], ["rows"], ["unknown"]]
    out = subprocess.run(
        [node, "--input-type=module", "-e", SCRIPT, json.dumps([SCHEMA, paths])],
        cwd=WEB,
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert json.loads(out.stdout) == ["Rubrik", "Rad 3, Datum", "Rad 3", "Rader", "unknown"]
