"""The web client's running totals and the server's are one rule (``x-totals``): the JavaScript twin
(web/src/forms/totals.js) and eforms.core.forms.totals give the same sums for the same rows, including the
odd ones (past midnight, hours given, rows not yet complete, numbers as text, true as hours)."""

from __future__ import annotations

from typing import Any

from eforms.core.forms.totals import compute
from tests.support import node

SPEC = {"rows": "rows", "by": "activity", "start": "from", "end": "to", "hours": "hours", "into": "totals"}
CASES: list[dict[str, Any]] = [
    {},
    {"rows": []},
    {"rows": "not rows"},
    {"rows": [{"activity": "PROJ1", "from": "08:00", "to": "12:00"}, {"activity": "PROJ2", "hours": 2.5}]},
    {"rows": [{"activity": "NATT", "from": "22:00", "to": "06:15"}, {"activity": "N", "from": "23:10", "to": "00:05"}]},
    {"rows": [{"activity": "A", "from": "08:00"}, {"activity": "A", "from": "08:00", "to": "08:00"}, {"from": "1:00"}]},
    {"rows": [{"activity": "A", "hours": "3"}, {"activity": "A", "hours": True}, {"activity": 7, "hours": 1}]},
    {"rows": [{"activity": "B", "from": "07:07", "to": "15:52"}, {"activity": "B", "from": "09:01", "to": "09:08"}]},
    {"rows": [{"activity": "C", "hours": 0.25}] * 31 + [{"activity": "D", "from": "24:00", "to": "25:00"}]},
    {"rows": [None, [], {"activity": "E", "from": "12:30", "to": "13:00", "hours": 7.75}]},
]
SCRIPT = """
import("./src/forms/totals.js").then(({ compute }) => {
  const [spec, cases] = JSON.parse(process.argv[1]);
  console.log(JSON.stringify(cases.map((data) => compute(spec, data))));
});
"""


def test_the_client_counts_every_row_as_the_server_does() -> None:
    client = node.run(SCRIPT, SPEC, CASES)
    assert client == [compute(SPEC, case) for case in CASES]
    assert client[3] == {"PROJ1": 4, "PROJ2": 2.5}  # and the sums are the ones a person expects
    shifts = {"rows": "rows", "start": "from", "end": "to", "into": "totals"}  # no groups: one sum
    assert node.run(SCRIPT, shifts, CASES) == [compute(shifts, case) for case in CASES]
    assert compute(shifts, CASES[3]) == {"": 4.0}  # a row without times counts nothing here


NORMALIZE = """
import("./src/forms/normalize.js").then(({ normalized }) => {
  const [schema, cases] = JSON.parse(process.argv[1]);
  console.log(JSON.stringify(cases.map((data) => normalized(schema, data))));
});
"""


def test_the_client_writes_codes_in_capitals_as_the_server_does() -> None:
    """``x-case: "upper"`` (an activity code typed ``proj1`` is ``PROJ1``): the same in both, nothing else changed."""
    from eforms.core.forms.normalize import normalized

    code = {"type": "string", "x-case": "upper"}
    schema = {"properties": {"rows": {"items": {"properties": {"activity": code, "note": {"type": "string"}}}}}}
    cases: list[Any] = [
        {"rows": [{"activity": "proj1", "note": "lunch"}, {"activity": "Adm"}, {"note": "x"}]},
        {"rows": "not rows", "other": "kept"},
        {},
    ]
    client = node.run(NORMALIZE, schema, cases)
    assert client == [normalized(schema, case) for case in cases]
    assert client[0]["rows"][0] == {"activity": "PROJ1", "note": "lunch"}
