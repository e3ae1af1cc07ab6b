"""The monthly service report's rules (docs/statistics.md §6) with fakes: when a month's report is due in an
organisation's country, that a report goes out once however many runs there are, and that one
organisation's failed send holds back nobody else's and is sent by the next run."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from eforms.core.notify.emails import Email
from eforms.core.organisations.registry import Organisation, Registry
from eforms.core.statistics.service_reports import ServiceReports, due_month, first_working_day, trend
from tests.support.fakes import FakeMailer

ROOT = Path(__file__).resolve().parents[2]


class FakeReports:
    """The reports' items, as the DynamoDB store keeps them."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], dict[str, Any]] = {}

    def claim(self, organisation: str, month: str, *, now: datetime, until: datetime) -> bool:
        item = self.items.setdefault((organisation, month), {})
        if "sentAt" in item or item.get("leaseUntil", now) > now:
            return False
        item["leaseUntil"] = until
        return True

    def kept(self, organisation: str, month: str, key: str) -> None:
        self.items[(organisation, month)]["pdfKey"] = key

    def sent(self, organisation: str, month: str, *, at: datetime, recipients: int) -> None:
        item = self.items[(organisation, month)]
        item.pop("leaseUntil")
        item["sentAt"] = at

    def release(self, organisation: str, month: str) -> None:
        self.items[(organisation, month)].pop("leaseUntil")

    def months(self, organisation: str) -> list[str]:
        return sorted(
            (m for (o, m), item in self.items.items() if o == organisation and "pdfKey" in item), reverse=True
        )


class NoRows:
    def rows(self, organisation: str, first: str, last: str) -> dict[tuple[str, str, str], dict[str, int]]:
        return {}


class RefusingMailer(FakeMailer):
    """Refuses every email to one address (SES down for it), sends the rest."""

    def __init__(self, refused: str) -> None:
        super().__init__()
        self.refused = refused

    def send(self, email: Email) -> None:
        if email.to == self.refused:
            raise RuntimeError("SES refused")
        super().send(email)


def _reports(mailer: FakeMailer, at: datetime, store: FakeReports | None = None) -> ServiceReports:
    registry = Registry.read(ROOT / "organisations")
    assert registry is not None
    kept: dict[str, bytes] = {}
    return ServiceReports(
        registry=registry,
        reader=NoRows(),
        store=store or FakeReports(),
        keep=kept.__setitem__,
        render=lambda found, organisation, month, language, when: f"{organisation.organisation_id}:{month}".encode(),
        mailer=mailer,
        clock=lambda: at,
        base_url="https://eforms.test",
        form_title=lambda form_id, language: form_id,
    )


@pytest.mark.parametrize(
    ("today", "country", "due"),
    [
        (date(2026, 12, 1), "se", "2026-11"),  # a Tuesday
        (date(2026, 11, 30), "se", "2026-10"),
        (date(2027, 1, 1), "se", None),  # New Year's Day; the 2nd and 3rd are a weekend
        (date(2027, 1, 3), "se", None),
        (date(2027, 1, 4), "se", "2026-12"),
        (date(2028, 5, 1), "se", None),  # May Day is a Swedish holiday, a Danish working day
        (date(2028, 5, 1), "dk", "2028-04"),
        (date(2028, 5, 2), "se", "2028-04"),
    ],
)
def test_last_months_report_is_due_from_the_first_working_day_of_the_organisations_country(
    today: date, country: str, due: str | None
) -> None:
    assert due_month(today, country) == due


def test_the_trend_is_the_twelve_months_ending_with_the_reports() -> None:
    assert (trend("2026-11").first, trend("2026-11").last) == ("2025-12", "2026-11")
    assert trend("2027-01").first == "2026-02"
    assert first_working_day(2027, 1, "se") == date(2027, 1, 4)


def test_a_report_goes_out_once_however_many_runs() -> None:
    mailer, store = FakeMailer(), FakeReports()
    at = datetime(2026, 12, 1, 7, tzinfo=UTC)
    first = _reports(mailer, at, store).send_due()
    assert sorted(first) == ["lonecentrum/2026-11", "norrby/2026-11", "skovby-gymnasium/2026-11", "sundsvik/2026-11"]
    assert _reports(mailer, at + timedelta(hours=1), store).send_due() == []
    assert len(mailer.sent) == 4
    assert {m.attachments[0].data for m in mailer.sent} == {
        f"{o}:2026-11".encode() for o in ("lonecentrum", "norrby", "skovby-gymnasium", "sundsvik")
    }


def test_a_run_holding_a_report_keeps_another_off_it_until_its_lease_ends() -> None:
    store, at = FakeReports(), datetime(2026, 12, 1, 7, tzinfo=UTC)
    assert store.claim("norrby", "2026-11", now=at, until=at + timedelta(minutes=10))
    mailer = FakeMailer()
    assert "norrby/2026-11" not in _reports(mailer, at + timedelta(minutes=5), store).send_due()
    # The run that held it died: after its lease, the next run sends the report.
    assert _reports(mailer, at + timedelta(hours=1), store).send_due() == ["norrby/2026-11"]


def test_one_organisations_failed_send_holds_back_nobody_else_and_goes_with_the_next_run() -> None:
    store, at = FakeReports(), datetime(2026, 12, 1, 7, tzinfo=UTC)
    refusing = RefusingMailer("greta.lund@norrby.example.se")
    with pytest.raises(RuntimeError, match="SES refused"):
        _reports(refusing, at, store).send_due()
    assert sorted(m.to for m in refusing.sent) == [
        "bo.ekstrom@sundsvik.example.se",
        "cecilia.wahl@example.se",
        "dorte.vinther@skovby.example.dk",
    ]
    assert store.months("norrby") == ["2026-11"]  # kept for download although the email failed
    healed = FakeMailer()
    assert _reports(healed, at + timedelta(hours=1), store).send_due() == ["norrby/2026-11"]
    assert [m.to for m in healed.sent] == ["greta.lund@norrby.example.se"]


def test_an_organisation_that_names_nobody_gets_its_report_kept_for_download_only() -> None:
    store, mailer = FakeReports(), FakeMailer()
    reports = _reports(mailer, datetime(2026, 12, 1, 7, tzinfo=UTC), store)
    quiet: Organisation = reports.registry.organisations["norrby"]
    reports.registry.organisations["norrby"] = Organisation(**{**quiet.__dict__, "report_to": ()})
    assert "norrby/2026-11" in reports.send_due()
    assert store.months("norrby") == ["2026-11"]
    assert all(m.to != "greta.lund@norrby.example.se" for m in mailer.sent)
