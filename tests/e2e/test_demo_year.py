"""`python3 dev run`'s year of demo activity (issue 28; devstack/demo_year.py): a year of every demo
organisation's cases filed through the real handlers on a moved clock, counted by the real consumer — so
the statistics page shows a year for each organisation, and the monthly service reports made when the demo
is done show last month. Its own stack (a few minutes of filing), on its own worker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from devstack.template import ROOT
from eforms.core.statistics.service_reports import due_month
from tests.e2e.conftest import Http, running_stack
from tests.e2e.walk import Walk, axe_violations

READERS = {"lonecentrum": "pia", "sundsvik": "bo", "norrby": "greta", "skovby-gymnasium": "dorte"}
FILING_SECONDS = 900  # two cores shared with the rest of the suite: a few minutes, with room


def _months_back(today: date, count: int) -> tuple[str, str]:
    year, month = today.year, today.month - count
    while month < 1:
        year, month = year - 1, month + 12
    return f"{year:04d}-{month:02d}", today.isoformat()[:7]


def _reports(http: Http, month: str) -> dict[str, list[str]]:
    """Each organisation's kept reports, once last month's is there for all (the stack's scheduled run)."""
    found: dict[str, list[str]] = {}
    deadline = time.monotonic() + 120  # held while the demo filed; the local schedule runs within a minute
    while time.monotonic() < deadline:
        for organisation, reader in READERS.items():
            status, listed = http.json(
                "GET", f"/statistics/reports?organisation={organisation}", token=http.token(reader)
            )
            assert status == 200, listed
            found[organisation] = [item["month"] for item in listed["items"]]
        if all(month in months for months in found.values()):
            break
        time.sleep(3)
    return found


def test_the_demo_year_gives_every_organisation_a_year_of_figures_and_last_months_report(browser: Any) -> None:
    with running_stack() as http:
        assert http.demo_filed.wait(FILING_SECONDS), "the demo did not finish filing"
        first, this = _months_back(date.today(), 12)
        for organisation, reader in READERS.items():
            query = f"/statistics?organisation={organisation}&from={first}&to={this}"
            status, figures = http.json("GET", query, token=http.token(reader))
            assert status == 200, figures
            past = figures["months"][:-1]  # this month's demo cases may still be on their way to the counters
            assert all(m["figures"]["received"] > 0 for m in past), (organisation, past)
            total = figures["total"]
            assert total["feedbackInTime"]["of"] > 20, (organisation, total)
            assert total["satisfied"]["of"] > 10, (organisation, total)
            assert total["registrations"] > 0, (organisation, total)
            assert total["leadTime"]["median"] is not None, (organisation, total)
        month = due_month(date.today(), "se")
        if month is not None:
            reports = _reports(http, month)
            assert all(month in months for months in reports.values()), reports
            _, mailbox = http.json("GET", "/dev/mailbox")
            sent = [m for m in mailbox["emails"] if m["kind"] == "service-report"]
            assert {m["to"][0] for m in sent} >= {
                "bo.ekstrom@sundsvik.example.se",
                "greta.lund@norrby.example.se",
                "dorte.vinther@skovby.example.dk",
            }
            assert all(m["attachments"][0]["contentType"] == "application/pdf" for m in sent)
        _look(browser, http, month)
        _every_case_holds(http)


def _every_case_holds(http: Http) -> None:
    """``python3 dev verify-case --all`` over the year of demo cases: every history chain holds, every PDF is
    made of its case as it stands (docs/records.md)."""
    aws = {"AWS_ENDPOINT_URL": http.aws, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}
    env = {**os.environ, **aws, "AWS_DEFAULT_REGION": "eu-north-1"}
    tables = http.client("dynamodb").list_tables()["TableNames"]
    [cases] = [t for t in tables if "Cases" in t]
    result = subprocess.run(
        [sys.executable, "-m", "ops.verify_case", "--all", "--cases-table", cases],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    held, of = result.stdout.strip().splitlines()[-1].split(" cases hold")[0].split(" of ")
    assert held == of, result.stdout[-500:]
    assert int(of) > 100, result.stdout[-500:]


def _look(browser: Any, http: Http, month: str | None) -> None:
    """Bo, Sundsvik's contact person, on the statistics page: the year charted against the targets, and
    last month's report downloaded and pictured; then the centre's manager, who also reads the comments."""
    walk = Walk(browser, http, "demo-year")
    page = walk.person("bo")
    page.click("a[href='#/statistics']")
    page.wait_for_selector("[data-testid=statistics-trend]")
    page.wait_for_function("document.querySelectorAll('.statistics canvas').length === 2")
    page.wait_for_timeout(300)  # Chart.js draws on the next frame
    heading = page.text_content("[data-testid=statistics-heading]") or ""
    assert heading.startswith("Sundsviks kommun"), heading
    if month is not None:
        page.wait_for_selector(f"[data-testid=report-{month}]")
    walk.shot(page, "sundsvik-year")
    assert axe_violations(page) == []  # the charts' tables, the reports' list: readable, in contrast
    if month is not None:
        with page.expect_download() as downloaded:
            page.click(f"[data-testid=report-{month}]")
        pdf = Path(downloaded.value.path())
        assert pdf.read_bytes().startswith(b"%PDF-")
        walk.pdf_shot(pdf, "sundsvik-report")
    centre = walk.person("cecilia")  # the centre's manager: every organisation, and the senders' comments
    centre.click("a[href='#/statistics']")
    centre.wait_for_selector("[data-testid=statistics-comments] blockquote")
    walk.shot(centre, "centre-comments")
    assert axe_violations(centre) == []
    assert walk.errors == []
