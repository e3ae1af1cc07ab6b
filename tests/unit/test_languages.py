"""Danish beside Swedish and English: a Danish form's PDF, emails and decision page speak Danish where their
reader does, the CPR number is checked as the CPR office issues it, and a reader's language always wins
over the form's for everything but the record (the PDF) and payroll's own notice."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from eforms.api.decision_page import decision_form, problem_page
from eforms.core.cases.model import Case, Channel, HistoryEntry, Person, Status
from eforms.core.forms import cpr
from eforms.core.forms.catalogue import Catalogue
from eforms.core.notify import emails
from eforms_pdf.render import render
from tests.support.cases import case_at_payroll
from tests.unit.test_catalogue import SCHEMAS

CATALOGUE = Catalogue(SCHEMAS)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
KAREN, JENS = Person("karen", "Karen Møller"), Person("jens", "Jens Nielsen")
ADVANCE = {
    "employee": {"employeeId": "jens", "name": "Jens Nielsen"},
    "payPeriod": "2026-11",
    "amountMissingDkk": 1843.75,
    "cause": "fejl-i-loenudbetaling",
    "explanation": "Tillæg for aftenvagter blev ikke udbetalt.",
}


def _case(form_id: str, data: dict[str, object]) -> Case:
    """Karen of HR's case about Jens, waiting for Mette, in a Danish unit."""
    form = CATALOGUE.get(form_id)
    return case_at_payroll(
        "01JDANISH0000000000000000",
        form_id=form_id,
        form_version=form.version,
        route=form.route,
        status=Status.AWAITING_APPROVAL,
        applicant=KAREN,
        subject=JENS,
        manager_id="mette",
        queue=None,
        data=data,
        language="da",
        created_at=NOW,
        updated_at=NOW,
        expires_at=NOW,
        payroll=None,
        history=[HistoryEntry(NOW, KAREN, "applicant", "submitted", Channel.API)],
    )


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("150390-1235", True),  # 1990
        ("1503901235", True),  # the hyphen is optional
        ("010203-4321", True),  # seventh digit 4, year 03: 2003
        ("290200-4123", True),  # 29 February 2000 (4 → 2000 for 00–36)
        ("290200-1123", False),  # 29 February 1900 did not exist (1 → 1900)
        ("290258-5123", False),  # 5 with 58 → 1858, not a leap year
        ("320190-1234", False),  # no 32nd day
        ("011390-1234", False),  # no 13th month
        ("15039-01235", False),
        ("150390-123", False),
        ("", False),
    ],
)
def test_a_cpr_number_is_a_birth_date_and_four_digits(number: str, valid: bool) -> None:
    assert cpr.is_valid(number) is valid


def _pdf_text(case: Case) -> str:
    pdf = render(case, CATALOGUE.get(case.form_id), fingerprint="0" * 64, generated_at=NOW)
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_danish_forms_pdf_is_danish_and_a_swedish_forms_swedish() -> None:
    danish = _pdf_text(_case("advance-pay-dk", ADVANCE))
    assert "Aconto løn" in danish
    for words in ("Sagsnummer", "Ansøger", "Sagen vedrører", "Manglende beløb før skat (kr.)", "1843,75"):
        assert words in danish, words
    assert "Ärendenummer" not in danish
    swedish = _pdf_text(_case("salary-supplement", {}))
    assert "Ärendenummer" in swedish
    assert "Sagsnummer" not in swedish


def test_emails_follow_the_reader_and_payrolls_notice_follows_the_form() -> None:
    case, form = _case("advance-pay-dk", ADVANCE), CATALOGUE.get("advance-pay-dk")
    to_mette = emails.approval_request(
        case, form, to="m@example.dk", language="da", stage="initial", link_url="https://x/d/t", valid_until=NOW
    )
    assert to_mette.subject == "Aconto løn venter på din afgørelse – Jens Nielsen"  # whose: the one it concerns
    assert "Karen Møller (Jens Nielsen) har sendt en sag, som venter på din afgørelse: aconto løn." in to_mette.text
    assert "Linket gælder til 2026-11-23 10:00 (dansk tid)" in to_mette.text
    assert '<html lang="da">' in to_mette.html
    to_lars = emails.approval_request(
        case, form, to="l@example.se", language="sv", stage="reminder", link_url="https://x/d/t", valid_until=None
    )
    # A Danish form named in Swedish for a Swedish reader (every form is named in every language).
    assert to_lars.subject == "Påminnelse: Förskott på lön (Danmark) väntar på ditt beslut – Jens Nielsen"
    digest = emails.payroll_digest(
        [(case, form.title("da"))],
        to="payroll@example.dk",
        language="da",
        digest_id="202611240700",
        case_url=lambda c: f"https://x/cases/{c.case_id}",
        queue_url="https://x/app/#/desk",
    )
    assert (digest.language, digest.subject) == ("da", "Nye sager hos lønservicen: 1")
    assert f"Aconto løn, sag {case.case_id}" in digest.text
    english = emails.desk_notice(case, form, kind="case-completed", to="j@x", language="en", case_url="https://x")
    assert english.subject == "Advance pay (Denmark): done – Jens Nielsen"
    unknown = emails.receipt(case, form, to="j@x", language="fi", case_url="https://x")  # not spoken: Swedish
    assert unknown.language == "sv"


def test_the_decision_page_speaks_danish_and_offers_the_other_two() -> None:
    case, form = _case("advance-pay-dk", ADVANCE), CATALOGUE.get("advance-pay-dk")
    page = str(decision_form(case, form, "da", token="t").body)
    assert '<html lang="da">' in page
    assert "Aconto løn fra Karen Møller" in page
    assert "Godkend ansøgningen" in page
    assert "Manglende beløb før skat (kr.)" in page
    assert 'href="?lang=sv"' in page
    assert ">Svenska<" in page
    assert ">English<" in page
    assert 'href="?lang=da"' not in page
    assert "Linket er udløbet" in str(problem_page("link_expired", "da", 410).body)
