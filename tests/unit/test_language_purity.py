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
from pathlib import Path
from typing import Any

import pytest

from eforms.core.common.i18n import texts
from eforms.core.forms.catalogue import Catalogue
from tests.support import node
from tests.unit.test_web_words import DUMP

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
    loaded: dict[str, Any] = node.run(DUMP)
    return loaded


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
