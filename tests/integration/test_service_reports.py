"""The monthly service report (issue 28; docs/statistics.md §6), through the real scheduled function, SES and
S3 emulated: on the first working day of a month each organisation's report for the month before is made,
emailed to the people its file names and kept for download, exactly once — and a failed SES send is sent by
the next run, with the figures still equal to a recount of the histories."""

from __future__ import annotations

import base64
import io
from datetime import UTC, datetime
from typing import Any

import pytest
from pypdf import PdfReader

from devstack import lambdas
from devstack.mailbox import SentEmail, sent_emails
from devstack.template import load
from eforms import wiring
from eforms.aws.statistics_store import DynamoStatisticsStore
from tests.support.faults import throttled
from tests.support.flows import wait_for
from tests.support.samples import SUPPORT
from tests.support.world import Api, World

NOVEMBER = datetime(2026, 11, 10, 8, 0, tzinfo=UTC)
FIRST_WORKING_DAY = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # a Tuesday: 07:00 in Stockholm
RECIPIENTS = {
    "sundsvik": "bo.ekstrom@sundsvik.example.se",
    "norrby": "greta.lund@norrby.example.se",
    "skovby-gymnasium": "dorte.vinther@skovby.example.dk",
    "lonecentrum": "cecilia.wahl@example.se",
}


def _november(api: Api, world: World) -> str:
    """A month of a little activity for Sundsvik: a case answered and registered, then checked."""
    wiring.use_clock(lambda: NOVEMBER)
    lena = api.submit(SUPPORT, form="payroll-support", as_="lena").json()["caseId"]
    wait_for(api, lena, "at_payroll", as_="lena")
    said = api.call("POST", f"/cases/{lena}/messages", as_="pia", json_body={"text": "Vi rättar det."})
    assert said.status == 201, said.text
    world.settle()
    return str(lena)


def _run() -> dict[str, Any]:
    result: dict[str, Any] = lambdas.invoke(load().function("ServiceReportsFunction"), {})
    return result


def _reports() -> list[SentEmail]:
    return [m for m in sent_emails() if m.kind == "service-report"]


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_each_organisation_gets_last_months_report_once_on_the_first_working_day(api: Api, world: World) -> None:
    _november(api, world)
    wiring.use_clock(lambda: datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    assert sorted(_run()["sent"]) == sorted(f"{o}/2026-10" for o in RECIPIENTS)  # November is not over
    wiring.use_clock(lambda: FIRST_WORKING_DAY)
    assert sorted(_run()["sent"]) == sorted(f"{o}/2026-11" for o in RECIPIENTS)
    assert _run() == {"sent": []}  # an hour on: nothing twice
    emails = [m for m in _reports() if "november" in m.subject]
    assert sorted(m.to[0] for m in emails) == sorted(RECIPIENTS.values())
    sundsvik = next(m for m in emails if m.to == [RECIPIENTS["sundsvik"]])
    assert sundsvik.language == "sv"
    assert sundsvik.subject == "Månadsrapport november 2026: Sundsviks kommun"
    (name, kind, pdf), *_ = sundsvik.attachments
    assert (name, kind) == ("manadsrapport-2026-11.pdf", "application/pdf")
    shown = _text(pdf)
    assert "Månadsrapport november 2026" in shown
    assert "Sundsviks kommun" in shown
    assert "100 % (1 av 1)" in shown  # the month's feedback in time: Pia answered the same day
    danish = next(m for m in emails if m.to == [RECIPIENTS["skovby-gymnasium"]])
    assert danish.language == "da"
    assert "Månedsrapport november 2026" in _text(danish.attachments[0][2])
    assert "Ingen sager i denne måned." in _text(danish.attachments[0][2])


def test_a_report_ses_refused_is_sent_by_the_next_run_and_the_figures_still_equal_a_recount(
    api: Api, world: World
) -> None:
    from ops.rebuild_statistics import rebuild

    _november(api, world)
    wiring.use_clock(lambda: FIRST_WORKING_DAY)
    with throttled("sesv2", "SendEmail", times=40), pytest.raises(Exception, match="TooManyRequests"):
        _run()
    assert _reports() == []
    # The PDFs were kept before the email: the contact person can already download theirs.
    kept = api.call("GET", "/statistics/reports", as_="bo")
    assert kept.json() == {"organisation": "sundsvik", "items": [{"month": "2026-11"}]}
    assert sorted(_run()["sent"]) == sorted(f"{o}/2026-11" for o in RECIPIENTS)
    assert _run() == {"sent": []}
    assert sorted(m.to[0] for m in _reports()) == sorted(RECIPIENTS.values())

    store = DynamoStatisticsStore(world.refs["StatisticsTable"])
    streamed = {o: store.rows(o) for o in RECIPIENTS}
    rebuild(world.refs["CasesTable"], world.refs["StatisticsTable"])
    assert {o: store.rows(o) for o in RECIPIENTS} == streamed
    assert _run() == {"sent": []}  # the recount kept the reports' records: nothing is sent again


def test_a_report_is_downloaded_by_whoever_may_read_its_figures_and_by_nobody_else(api: Api, world: World) -> None:
    _november(api, world)
    wiring.use_clock(lambda: FIRST_WORKING_DAY)
    _run()
    emailed = next(m for m in _reports() if m.to == [RECIPIENTS["sundsvik"]]).attachments[0][2]
    for reader in ("bo", "pia", "cecilia"):
        reply = api.call("GET", "/statistics/reports/2026-11", as_=reader, query="organisation=sundsvik")
        assert reply.status == 200, (reader, reply.text)
        assert reply.headers["content-type"] == "application/pdf"
        assert base64.b64decode(reply.text) == emailed  # the HTTP API's binary body, as the resolver sends it
    for stranger in ("greta", "lena", "siv", "anna"):
        reply = api.call("GET", "/statistics/reports/2026-11", as_=stranger, query="organisation=sundsvik")
        assert reply.status == 404, stranger
        listed = api.call("GET", "/statistics/reports", as_=stranger, query="organisation=sundsvik")
        assert listed.status == 404, stranger
    assert api.call("GET", "/statistics/reports/2026-10", as_="bo").status == 404  # no report that month
    wrong = api.call("GET", "/statistics/reports/2026-13", as_="bo")
    assert wrong.status == 400
    assert wrong.json()["code"] == "invalid_query"
    assert api.call("GET", "/statistics/reports", as_="bo", query="from=2026-01").status == 400
