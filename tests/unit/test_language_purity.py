"""Every word in the reader's language (issue 29 §7): no Swedish in a Danish text, no Danish in a Swedish one,
neither in English — in the server's texts (errors, emails, PDFs, pages), the web client's words, and every
form in each language it is published in.

A text is judged by the letters and the small words only one of the languages has (ä/ö and "och", "inte",
"för" are Swedish; æ/ø and "ikke", "og", "skal" are Danish). Proper names (an authority, the product's own
names) are the exceptions, listed here with why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from eforms.core.cases.model import Case, Status
from eforms.core.common.i18n import Language, texts
from eforms.core.forms.catalogue import Catalogue, FormDefinition
from eforms.core.identity.person import Person
from eforms.core.notify import emails
from eforms.core.notify.emails import Email
from tests.support.examples import examples
from tests.unit.test_web_words import client_words as read_client_words

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
SWEDISH_ONLY = {"och", "inte", "för", "att", "från", "också", "måste", "eller", "ska", "till", "är", "inga", "din"}
DANISH_ONLY = {"og", "ikke", "skal", "til", "af", "være", "blev", "hvis", "kun", "én", "jeres", "dit", "på"}
# "eller", "din", "på" are both Swedish and Danish: they only tell against English.
SHARED_NORDIC = {"eller", "din", "på", "dit"}
#: Names that keep their own spelling in any language: Swedish and Danish authorities and the product's names.
PROPER_NAMES = (
    "Lönecentrum",
    "Försäkringskassan",
    "Skatteverket",
    "Lønservice",
    "Digitaliseringsstyrelsen",
    "Myndigheten för digital förvaltning",
    "Diskrimineringsombudsmannen",
    "Lärportalen",  # the course portal the access request names, in every language
)
_WORD = re.compile(r"[a-zåäöæøé]+", re.IGNORECASE)


def foreign(language: str, text: str) -> list[str]:
    """What in ``text`` belongs to another language than ``language``."""
    for name in PROPER_NAMES:
        text = text.replace(name, "")
    letters = {"sv": "æø", "da": "äö", "en": "åäöæø"}[language]
    found = sorted({c for c in text.lower() if c in letters})
    words = {w.lower() for w in _WORD.findall(text)}
    other = {
        "sv": DANISH_ONLY - SHARED_NORDIC,
        "da": SWEDISH_ONLY - SHARED_NORDIC,
        "en": SWEDISH_ONLY | DANISH_ONLY,
    }[language]
    return found + sorted(words & other)


def _strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{path}[{index}]")


def _shown(schema: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """What a person reads of a localized schema: titles, descriptions, rule messages."""
    for path, value in _strings(schema):
        if path.rsplit(".", 1)[-1] in ("title", "description", "x-ruleMessage"):
            yield path, value


@pytest.mark.parametrize("language", ["sv", "en", "da"])
def test_the_servers_texts_are_each_in_their_own_language(language: str) -> None:
    slips = {key: foreign(language, value) for key, value in texts(language).items()}
    assert {key: found for key, found in slips.items() if found} == {}


@pytest.fixture(scope="module")
def client_words() -> dict[str, Any]:
    return read_client_words()


@pytest.mark.parametrize("language", ["sv", "en", "da"])
def test_the_web_clients_words_are_each_in_their_own_language(client_words: dict[str, Any], language: str) -> None:
    slips = {path: foreign(language, value) for path, value in _strings(client_words[language])}
    assert {path: found for path, found in slips.items() if found} == {}


def test_every_form_reads_in_each_language_it_is_published_in() -> None:
    catalogue = Catalogue(SCHEMAS)
    slips: dict[str, list[str]] = {}
    for form in catalogue.latest():
        for language in form.languages:
            for path, value in _shown(form.localized_schema(language)):
                if found := foreign(language, value):
                    slips[f"{form.form_id} ({language}) {path}: {value[:60]}"] = found
    assert slips == {}


# -- As rendered: every email about every form, in each language a reader may have (§7) ---------------------


def _case_of(form: FormDefinition, language: str) -> Case:
    at = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    data = examples(form.form_id, at.date())["valid"][0]
    return Case(
        case_id="01JEFORMSPURITY0000000000",
        form_id=form.form_id,
        form_version=form.version,
        route=form.route,
        status=Status.AWAITING_APPROVAL,
        applicant=Person("anna", "Anna Andersson"),
        subject=Person("anna", "Anna Andersson"),
        manager_id="maria",
        queue=None,
        data=data,
        language=language,
        created_at=at,
        updated_at=at,
        expires_at=at,
        case_number="LC-2026-000123",
    )


def _emails(form: FormDefinition, language: Language) -> Iterator[Email]:
    """Every email the service sends about a case of ``form``, to a reader of ``language``. A returned case
    names its fields as the reader's form shows them: in the form's own language where it is not in theirs."""
    case, url = _case_of(form, language), "https://eforms.example/#/cases/01JEFORMSPURITY0000000000"
    until = datetime(2026, 12, 14, 16, 0, tzinfo=UTC)
    for stage in ("initial", "reminder", "escalation"):
        yield emails.approval_request(
            case, form, to="m@x.se", language=language, stage=stage, link_url=url, valid_until=until
        )
    yield emails.approval_request(
        case, form, to="m@x.se", language=language, stage="initial", link_url=url, valid_until=None, team="hr"
    )
    fields = (
        [form.field_title(p, language) or p for p in form.correctable_fields[:2]] if language in form.languages else []
    )
    for outcome in ("approved", "rejected", "returned"):
        yield emails.decision_notice(
            case,
            form,
            to="a@x.se",
            language=language,
            outcome=outcome,
            approver="Maria Lind",
            message="",
            field_titles=fields,
            case_url=url,
            pdf_url=url,
        )
    yield emails.expiry_notice(case, form, to="a@x.se", language=language, case_url=url)
    yield emails.receipt(case, form, to="a@x.se", language=language, case_url=url)
    yield emails.pdf_shared(case, form, to="ad@x.se", language=language, sender="Maria Lind", case_url=url, pdf_url=url)
    yield emails.draft_reminder(
        form, draft_id="dr_1", to="a@x.se", language=language, expires=date(2027, 1, 7), url=url
    )
    for kind in emails.DESK_KINDS:
        yield emails.desk_notice(case, form, kind=kind, to="a@x.se", language=language, case_url=url, rating_url=url)


@pytest.mark.parametrize("language", ["sv", "en", "da"])
def test_every_email_about_every_form_reads_in_its_readers_language(language: Language) -> None:
    """Rendered, not read at the source: the form's name, the case's period and the texts around them, for
    every form, also one not published in the reader's language (a Swedish approver of a Danish form)."""
    slips: dict[str, list[str]] = {}
    for form in Catalogue(SCHEMAS).latest():
        for email in _emails(form, language):
            if found := foreign(language, f"{email.subject}\n{email.text}"):
                slips[f"{form.form_id} {email.kind}: {email.subject}"] = found
    assert slips == {}
