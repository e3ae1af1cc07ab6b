"""Every form's PDF is legible: each valid example renders, and the text of the PDF holds every label and
every answer as payroll reads them (choices by their titles, lists and nested groups included)."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from eforms.core.cases.model import Channel, HistoryEntry, Person
from eforms.core.forms.catalogue import Catalogue
from eforms.core.forms.presentation import field_rows
from eforms_pdf.render import render
from tests.support.cases import case_at_payroll
from tests.support.examples import examples
from tests.unit.test_catalogue import SCHEMAS

CATALOGUE = Catalogue(SCHEMAS)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DOCUMENTS = [
    (form_id, index, document)
    for form_id in CATALOGUE.form_ids()
    for index, document in enumerate(examples(form_id, date(2026, 11, 23))["valid"])
]


def _squeezed(text: str) -> str:
    """Whitespace as one space: a long value wraps onto the next line in the PDF."""
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize(("form_id", "index", "data"), DOCUMENTS, ids=[f"{f}-{i}" for f, i, _ in DOCUMENTS])
def test_the_pdf_holds_every_label_and_value(form_id: str, index: int, data: dict[str, object]) -> None:
    form = CATALOGUE.get(form_id)
    anna = Person("anna", "Anna Andersson")
    case = case_at_payroll(
        "01JPDF0000000000000000000" + str(index),
        form_id=form_id,
        form_version=form.version,
        route=form.route,
        data=data,
        created_at=NOW,
        updated_at=NOW,
        history=[HistoryEntry(NOW, anna, "applicant", "submitted", Channel.API)],
    )
    pdf = render(case, form, fingerprint="0" * 64, generated_at=NOW)
    text = _squeezed(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    rows = field_rows(form, data, form.languages[0])  # the PDF is in the language the form is written in
    assert rows
    for _, label, value in rows:
        assert _squeezed(label) in text, (form_id, label)
        assert _squeezed(value) in text, (form_id, label, value)
