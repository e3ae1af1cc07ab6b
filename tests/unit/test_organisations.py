"""Organisations as data (issue 27, slice 1): the files in organisations/ load, and a file that cannot be used
fails the suite with a message naming the file and what is wrong (docs/organisations.md, §1)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from eforms.core.forms.catalogue import Catalogue
from eforms.core.organisations.registry import OrganisationError, Registry

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = Catalogue(ROOT / "schemas")


def test_the_organisations_load_and_say_who_they_are() -> None:
    registry = Registry.load(ROOT / "organisations", CATALOGUE)
    assert set(registry.organisations) == {"lonecentrum", "sundsvik", "norrby", "skovby-gymnasium"}
    sundsvik, skovby = registry.organisations["sundsvik"], registry.organisations["skovby-gymnasium"]
    assert (sundsvik.name("sv"), skovby.name("da"), skovby.country) == ("Sundsviks kommun", "Skovby Gymnasium", "dk")
    assert sundsvik.forms["new-salary"].pay_cut_off_day == 5  # negotiated pay results: by the 5th
    assert not skovby.offers("leave-application")
    assert skovby.offers("one-off-payment-dk")
    assert registry.by_email("Anna.Andersson@sundsvik.example.se") is sundsvik
    assert registry.by_email("someone@elsewhere.example") is None
    assert [o.organisation_id for o in registry.served_by("team-north")] == ["lonecentrum", "sundsvik"]
    assert registry.organisations["norrby"].cut_off_dates[0].isoformat() == "2027-01-07"  # dates, where runs move


def _broken(tmp_path: Path, name: str, change: Any) -> Path:
    root = tmp_path / "organisations"
    shutil.copytree(ROOT / "organisations", root)
    path = root / name
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document), encoding="utf-8")
    return root


def _form(form_id: str) -> Any:
    return lambda d: d["forms"].update({form_id: {}})


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        ("norrby.json", _form("holiday-pay"), "norrby.json: forms/holiday-pay: no such form in schemas/"),
        (
            "norrby.json",
            lambda d: d.update(payrollTeam="team-west"),
            "norrby.json: payrollTeam team-west is not a team",
        ),
        (
            "norrby.json",
            lambda d: d["signIn"].update(emailDomains=["sundsvik.example.se"]),
            "the email domain sundsvik.example.se is already claimed by",  # whichever of the two is read second
        ),
        (
            "sundsvik.json",
            lambda d: d["forms"].update({"certificate-request": {"payCutOffDay": 5}}),
            "sundsvik.json: forms/certificate-request: payCutOffDay, but certificate-request changes no pay",
        ),
        (
            "sundsvik.json",
            lambda d: d["forms"].update({"payroll-support": {"approvalFallbackTeam": "hr"}}),
            "sundsvik.json: forms/payroll-support: approvalFallbackTeam, but payroll-support has no approval step",
        ),
        ("sundsvik.json", lambda d: d.update(organisationId="sundsvik-2"), "differs from the file's name"),
        ("sundsvik.json", lambda d: d.update(country="no"), "sundsvik.json: country:"),
        ("sundsvik.json", lambda d: d.pop("contact"), "sundsvik.json: (the file): 'contact' is a required property"),
        (
            "norrby.json",
            lambda d: d["payRuns"].update(cutOffDates=["2027-02-30"]),
            "norrby.json: payRuns/cutOffDates/0",
        ),
        (
            "norrby.json",
            lambda d: d["followUp"].update(targets={"feedbackInTime": 95}),
            "norrby.json: followUp/targets/feedbackInTime: 95 is greater than the maximum of 1",
        ),
        ("centre.json", lambda d: d.update(targets={"happy": 0.9}), "centre.json: targets are shares (0 to 1) of"),
        # Pay codes (docs/records.md §4): every item of a form offered, each a PAXml time code where it is time.
        (
            "sundsvik.json",
            lambda d: d["payroll"]["codes"].pop("overtime.paid"),
            "sundsvik.json: payroll.codes has no code for overtime.paid (overtime)",
        ),
        (
            "sundsvik.json",
            lambda d: d["payroll"]["codes"].update({"leave.vacation": "VAC"}),
            "sundsvik.json: payroll.codes.leave.vacation is 'VAC', not a PAXml time code",
        ),
        (
            "norrby.json",
            lambda d: d["payroll"]["codes"].update({"holiday.pay": "SEM"}),
            "norrby.json: payroll.codes names 'holiday.pay', not a pay item",
        ),
    ],
)
def test_a_file_that_cannot_be_used_fails_naming_the_file_and_what(
    tmp_path: Path, name: str, change: Any, message: str
) -> None:
    with pytest.raises(OrganisationError, match=None) as refused:
        Registry.load(_broken(tmp_path, name, change), CATALOGUE)
    assert message in str(refused.value), str(refused.value)


def test_an_organisations_targets_are_its_agreements_else_the_centres() -> None:
    registry = Registry.load(ROOT / "organisations", CATALOGUE)
    norrby, sundsvik = registry.organisations["norrby"], registry.organisations["sundsvik"]
    assert norrby.targets == {"feedbackInTime": 0.9, "certificatesInTime": 0.95, "satisfied": 0.9}
    assert sundsvik.targets == registry.centre.targets
    assert sundsvik.report_to == ("bo.ekstrom@sundsvik.example.se",)


def test_a_fourth_organisation_is_a_file(tmp_path: Path) -> None:
    root = tmp_path / "organisations"
    shutil.copytree(ROOT / "organisations", root)
    fourth = json.loads((root / "norrby.json").read_text(encoding="utf-8"))
    fourth.update(organisationId="vasterby", names={"sv": "Västerby kommun", "en": "Västerby", "da": "Västerby"})
    fourth["signIn"]["emailDomains"] = ["vasterby.example.se"]
    (root / "vasterby.json").write_text(json.dumps(fourth, ensure_ascii=False), encoding="utf-8")
    assert Registry.load(root, CATALOGUE).get("vasterby") is not None


def test_each_organisation_has_its_own_pay_calendar_and_working_days() -> None:
    """The pay run a case reaches and the days its promise counts come from its organisation's file: explicit
    cut-off dates where pay runs move around holidays, its own day for a form, the form's where it has one,
    and a Danish institution's working days."""
    from datetime import date

    from eforms.core.desk.service_levels import pay_period, send_by

    registry = Registry.load(ROOT / "organisations", CATALOGUE)
    leave, salary = CATALOGUE.get("leave-application"), CATALOGUE.get("new-salary")
    norrby = registry.calendar("norrby", leave)
    assert send_by("2027-01", norrby) == date(2027, 1, 7)  # moved for Epiphany
    assert pay_period(date(2027, 1, 8), norrby) == "2027-02"
    assert pay_period(date(2027, 2, 8), norrby) == "2027-02"  # February's run closes on the 8th
    assert pay_period(date(2026, 12, 8), norrby) == "2026-12"  # a month the file does not list: the 8th
    assert registry.calendar("sundsvik", salary).cut_off_day == 5  # Sundsvik's own day for new salaries
    assert registry.calendar("sundsvik", leave).cut_off_day == 8
    assert registry.calendar("norrby", salary).cut_off_day == salary.pay_cut_off_day  # the form's own day
    assert registry.calendar("skovby-gymnasium", leave).country == "dk"  # a Danish school's working days
    assert registry.calendar("sundsvik", CATALOGUE.get("one-off-payment-dk")).country == "dk"  # a Danish form
    assert registry.calendar("sundsvik", leave).country == "se"
