"""An error names its field as the form shows it (issue 29 §8): within a repeated group by the row's number
as labelled ("Rad 3"), never the pointer's 0-based index ("rows 2"). Runs the client's own module in Node."""

from __future__ import annotations

from tests.support import node

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
    paths = [["heading"], ["rows", "2", "date"], ["rows", "2"], ["rows"], ["unknown"]]
    assert node.run(SCRIPT, SCHEMA, paths) == ["Rubrik", "Rad 3, Datum", "Rad 3", "Rader", "unknown"]
