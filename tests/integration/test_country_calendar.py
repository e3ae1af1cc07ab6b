"""A Danish centre's form counts its service level in Danish working days (x-eform.country: dk)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from devstack.template import ROOT
from eforms import wiring
from tests.support.flows import wait_for
from tests.support.samples import SUPPORT
from tests.support.world import Api, World


@pytest.fixture
def danish_support(world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The payroll support form, published by a Danish centre (the same file with country dk)."""
    import shutil

    root = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", root)
    path = root / "payroll-support" / "v2.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["x-eform"]["country"] = "dk"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("EFORMS_SCHEMA_DIR", str(root))
    wiring.reset()


@pytest.mark.usefixtures("danish_support")
def test_a_case_received_on_skaertorsdag_is_due_by_the_danish_calendar(api: Api) -> None:
    # Thursday 2 April 2026, 10:00 Copenhagen: Skærtorsdag, a day off in Denmark (not in Sweden).
    wiring.use_clock(lambda: datetime(2026, 4, 2, 8, 0, tzinfo=UTC))
    form = api.call("GET", "/forms/payroll-support").json()
    assert form["expected"]["dueDate"] == "2026-04-08"  # Swedish: 2026-04-07 (after Annandag påsk)
    case_id = api.submit(SUPPORT, form="payroll-support").json()["caseId"]
    at_payroll = wait_for(api, case_id, "at_payroll", as_="pia")
    assert at_payroll["payroll"]["dueDate"] == "2026-04-08"
