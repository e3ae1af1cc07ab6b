"""x-totals: the server's own sums per activity, checked against the sender's and shown in their place."""

from __future__ import annotations

from eforms.core.forms.catalogue import Catalogue
from eforms.core.forms.presentation import field_rows
from eforms.core.forms.totals import compute, shown, spec_of
from tests.unit.test_catalogue import SCHEMAS

FORM = Catalogue(SCHEMAS).get("time-report")
SPEC = spec_of(FORM.schema)
ROWS = [
    {"date": "2026-11-02", "activity": "PROJ1", "from": "08:00", "to": "16:30"},
    {"date": "2026-11-03", "activity": "ADM", "hours": 2},
    {"date": "2026-11-03", "activity": "PROJ1", "from": "22:00", "to": "01:15"},  # past midnight
    {"date": "2026-11-04", "activity": "PROJ1"},  # no time: counts nothing (the schema refuses it)
    "garbage",
]


def test_hours_are_summed_per_activity_in_order_of_appearance() -> None:
    assert SPEC is not None
    assert compute(SPEC, {"rows": ROWS}) == {"PROJ1": 11.75, "ADM": 2.0}
    assert shown(compute(SPEC, {"rows": ROWS})) == "PROJ1: 11.75 h, ADM: 2 h"
    assert shown(compute(SPEC, {"rows": ROWS}), lambda h: f"{h:g}".replace(".", ",")) == "PROJ1: 11,75 h, ADM: 2 h"
    assert compute(SPEC, {"rows": "not rows"}) == {}
    assert shown({}) == "–"


def test_the_case_shows_the_servers_totals_whatever_the_sender_wrote() -> None:
    data = {"period": "2026-11", "rows": ROWS[:3], "totals": {"PROJ1": 11.75, "ADM": 2}}
    rows = {label: value for _, label, value in field_rows(FORM, data, "sv")}
    assert rows["Summa per aktivitet"] == "PROJ1: 11,75 h, ADM: 2 h"
    without = {label: value for _, label, value in field_rows(FORM, {**data, "totals": None}, "en")}
    assert without["Total per activity"] == "PROJ1: 11.75 h, ADM: 2 h"  # computed even when not sent


def test_an_overtime_report_sums_its_shifts_into_one_total() -> None:
    """Without ``by``, one sum for all the rows (issue 29: the overtime form had no total while filling in)."""
    overtime = Catalogue(SCHEMAS).get("overtime")
    shifts = [
        {"date": "2026-11-16", "from": "16:00", "to": "19:30"},
        {"date": "2026-11-18", "from": "22:00", "to": "02:00"},  # past midnight
    ]
    data = {"kind": "overtid", "rows": shifts, "compensation": "pengar", "orderedInAdvance": True}
    rows = {label: value for _, label, value in field_rows(overtime, data, "sv")}
    assert rows["Summa timmar"] == "7,5 h"
    assert {label: value for _, label, value in field_rows(overtime, data, "en")}["Total hours"] == "7.5 h"
