"""The monthly service report: each customer organisation's figures for last month beside the year's trend, as
a PDF, emailed to the people its file names on the first working day of the month and kept for download
(docs/statistics.md §6).

Exactly once per organisation and month, whatever the runs: a run *claims* the report with a lease while it is
not sent, keeps the PDF before the email goes out and marks it sent after. A send that fails releases the lease
and raises, so the next run (an hour on) sends it; two runs at once find one lease and one of them skips.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from eforms.core.common.clock import stockholm_date
from eforms.core.common.i18n import Language, as_language, text
from eforms.core.common.workdays import add_working_days
from eforms.core.notify import emails
from eforms.core.notify.emails import Email, Mailer
from eforms.core.organisations.registry import Organisation, Registry
from eforms.core.statistics.reading import Period, StatisticsReader, named, report

LEASE = timedelta(minutes=10)
TREND_MONTHS = 12


def pdf_key(organisation: str, month: str) -> str:
    """Where a report's PDF is kept: no personal data in the key."""
    return f"service-reports/{organisation}/{month}.pdf"


def previous_month(day: date) -> str:
    first = day.replace(day=1) - timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


def first_working_day(year: int, month: int, country: str) -> date:
    """The month's first day, or the next working day of ``country`` after it."""
    return add_working_days(date(year, month, 1), 0, country)


def due_month(today: date, country: str) -> str | None:
    """Last month, from the first working day of this one (the organisation's country's); None before it."""
    return previous_month(today) if today >= first_working_day(today.year, today.month, country) else None


def trend(month: str) -> Period:
    """The twelve months ending with ``month``: the report's trend."""
    year, number = (int(part) for part in month.split("-"))
    number -= TREND_MONTHS - 1
    while number < 1:
        year, number = year - 1, number + 12
    return Period(f"{year:04d}-{number:02d}", month)


class ReportStore(Protocol):
    def claim(self, organisation: str, month: str, *, now: datetime, until: datetime) -> bool:
        """Hold the report until ``until``; False when it was sent or another run holds it."""
        ...

    def kept(self, organisation: str, month: str, key: str) -> None:
        """Record that the report's PDF is kept (downloadable), whether or not the email went out."""
        ...

    def sent(self, organisation: str, month: str, *, at: datetime, recipients: int) -> None:
        """Mark the report sent and drop the lease."""
        ...

    def release(self, organisation: str, month: str) -> None:
        """Drop the lease of a report whose send failed, so the next run sends it."""
        ...

    def months(self, organisation: str) -> list[str]:
        """The months whose report is kept, newest first."""
        ...


#: (``{"month": …, "trend": …}`` as presented, the organisation, the report's month, the language, when) → the PDF
Renderer = Callable[[dict[str, dict[str, Any]], Organisation, str, Language, datetime], bytes]


@dataclass
class ServiceReports:
    registry: Registry
    reader: StatisticsReader
    store: ReportStore
    #: Keeps a report's PDF under its key (the documents bucket).
    keep: Callable[[str, bytes], None]
    render: Renderer
    mailer: Mailer
    clock: Callable[[], datetime]
    base_url: str
    #: A form's title in a language, for the per-form table (the catalogue's).
    form_title: Callable[[str, Language], str]

    def send_due(self) -> list[str]:
        """Make and send every organisation's report that is due and not sent; the ``<org>/<month>`` sent.
        One organisation's failure does not hold back the others': it is raised after them."""
        now = self.clock()
        done: list[str] = []
        failed: Exception | None = None
        for organisation in sorted(self.registry.organisations.values(), key=lambda o: o.organisation_id):
            month = due_month(stockholm_date(now), organisation.country)
            if month is None or not self.store.claim(organisation.organisation_id, month, now=now, until=now + LEASE):
                continue
            try:
                recipients = self.produce(organisation, month)
            except Exception as error:
                self.store.release(organisation.organisation_id, month)
                failed = failed or error
                continue
            self.store.sent(organisation.organisation_id, month, at=self.clock(), recipients=recipients)
            done.append(f"{organisation.organisation_id}/{month}")
        if failed is not None:
            raise failed
        return done

    def figures(self, organisation: Organisation, month: str, language: Language) -> dict[str, dict[str, Any]]:
        """The month's figures and the twelve months', as the statistics page reads them (the organisation's
        view: no officers). Two Queries of the aggregates; never a case."""
        found = {}
        for name, period in (("month", Period(month, month)), ("trend", trend(month))):
            read = report(self.reader, organisation.organisation_id, period, form_id=None, officers=False)
            found[name] = named(read, organisation, language, form_title=self.form_title, officer_name=str)
        return found

    def produce(self, organisation: Organisation, month: str) -> int:
        """Render, keep and email one report; how many it was emailed to."""
        language = as_language(organisation.languages[0])
        pdf = self.render(self.figures(organisation, month, language), organisation, month, language, self.clock())
        key = pdf_key(organisation.organisation_id, month)
        self.keep(key, pdf)
        self.store.kept(organisation.organisation_id, month, key)
        for to in organisation.report_to:
            self.mailer.send(self.email(organisation, month, language, to, pdf))
        return len(organisation.report_to)

    def email(self, organisation: Organisation, month: str, language: Language, to: str, pdf: bytes) -> Email:
        return emails.service_report(
            to=to,
            language=language,
            organisation=organisation.name(language),
            month=month_name(month, language),
            report_id=f"{organisation.organisation_id}-{month}",
            pdf=pdf,
            url=f"{self.base_url}/app/#/statistics?organisation={organisation.organisation_id}",
        )


def month_name(month: str, language: Language) -> str:
    """``2026-11`` as "november 2026" in the reader's language."""
    year, number = month.split("-")
    return f"{text(f'statistics.months.{int(number)}', language)} {year}"
