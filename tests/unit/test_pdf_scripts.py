"""A name in any script is in the signed PDF as it was typed: set in a font that has it, found by search."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from eforms.core.cases.model import Channel, HistoryEntry, Person, Status
from eforms.core.forms.catalogue import Catalogue
from eforms_pdf import scripts
from eforms_pdf.render import render
from tests.support.cases import case_at_payroll
from tests.unit.test_catalogue import SCHEMAS

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LEAVE = Catalogue(SCHEMAS).get("leave-application")
NAMES = {
    "Latin": "Zoë Ångström-Lefèvre",
    "Nordic": "Ødegård Þórsdóttir Æbeltoft",
    "Sámi": "Máret Ŋuvvon Čohkkiras Ŧ Đ Ž",
    "Polish": "Łukasz Żółć",
    "Cyrillic": "Ольга Дмитриевна",
    "Greek": "Γιώργος Παπαδόπουλος",
    "Arabic": "محمد الأحمد",
    "Hebrew": "שרה כהן",
    "Chinese": "王秀英",
    "Japanese": "たなか ハナコ 田中",
    "Korean": "김민준",
    "emoji": "Anna 😀👍🎉",
}


def _pdf(name: str, comment: str = "") -> bytes:
    person = Person("x1", name)
    data = {"leaveType": "semester", "period": {"from": "2027-01-04", "to": "2027-01-08"}, "extentPercent": 100}
    if comment:
        data["comment"] = comment
    case = case_at_payroll(
        "01JPDFSCRIPTS0000000000000",
        form_id=LEAVE.form_id,
        form_version=LEAVE.version,
        route=LEAVE.route,
        status=Status.APPROVED,
        applicant=person,
        subject=person,
        data=data,
        history=[HistoryEntry(NOW, person, "applicant", "submitted", Channel.API)],
    )
    return render(case, LEAVE, fingerprint="0" * 64, generated_at=NOW)


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


@pytest.mark.parametrize(("script", "name"), NAMES.items())
def test_every_name_is_found_in_the_pdf_as_typed(script: str, name: str) -> None:
    assert name in _text(_pdf(name, comment=name)), script


@pytest.mark.parametrize(
    ("name", "font"),
    [("王秀英", "WenQuanYiMicroHei"), ("김민준", "WenQuanYiMicroHei"), ("🎉", "Symbola"), ("Ольга", None)],
)
def test_a_character_dejavu_lacks_is_set_in_a_font_that_has_it(name: str, font: str | None) -> None:
    """Not an empty box: the fallback fonts are embedded (as subsets) exactly when a name needs them."""
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1].removesuffix("-0")
        for page in PdfReader(io.BytesIO(_pdf(name))).pages
        for font in page["/Resources"]["/Font"].get_object().values()  # type: ignore[index]
    }
    embedded = {f for f in fonts if not f.startswith("/")}  # a bare /Helvetica is reportlab's unused default
    assert embedded == {"DejaVuSans", *([font] if font else [])}


def test_the_text_layer_of_a_character_beyond_the_bmp_is_a_surrogate_pair() -> None:
    cmap = scripts._to_unicode_cmap("F", [0x41, 0x1F600])
    assert "<00> <0041>" in cmap
    assert "<01> <D83DDE00>" in cmap


def test_markup_escapes_and_wraps_only_what_dejavu_lacks() -> None:
    assert scripts.markup("a < b & c\nd") == "a &lt; b &amp; c<br/>d"
    assert scripts.markup("Åsa 王<b>") == 'Åsa <font face="WenQuanYiMicroHei">王</font>&lt;b&gt;'
    assert scripts.markup("bad\x00byte\ud800") == "badbyte"


@pytest.mark.parametrize(("script", "name"), NAMES.items())
def test_the_approved_leave_pdf_stays_small_in_every_script(script: str, name: str) -> None:
    """One embedded font (no bold), plus a fallback's subset only when a name needs it."""
    assert len(_pdf(name, comment=name)) <= 60 * 1024, script
