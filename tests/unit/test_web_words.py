"""The web client speaks every language it offers completely: the same keys in Swedish, English and Danish, and a
word for every case status and history action the lifecycle has (a missing one would show a raw code)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from eforms.core.cases import lifecycle
from eforms.core.cases.model import Status
from tests.support import node

WEB = Path(__file__).resolve().parents[2] / "web"
LOCALES = WEB / "src" / "locales"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def client_words() -> dict[str, Any]:
    """The client's words as it holds them: one JSON file per language."""
    return {code: json.loads((LOCALES / f"{code}.json").read_text(encoding="utf-8")) for code in ("sv", "en", "da")}


@pytest.fixture(scope="module")
def words() -> dict[str, Any]:
    return client_words()


def _paths(node: Any, prefix: str = "") -> set[str]:
    if isinstance(node, dict):
        return {p for key, value in node.items() for p in _paths(value, f"{prefix}.{key}" if prefix else key)}
    if isinstance(node, list):
        return {f"{prefix}[{len(node)}]"}
    return {prefix}


def test_every_language_has_every_key(words: dict[str, Any]) -> None:
    swedish = _paths(words["sv"])
    for language, table in words.items():
        found = _paths(table)
        assert found == swedish, f"{language}: missing {swedish - found}, extra {found - swedish}"


def test_every_status_and_history_action_has_a_word(words: dict[str, Any]) -> None:
    for language, table in words.items():
        assert set(table["statuses"]) == {status.value for status in Status}, language
        assert set(table["actions"]) == set(lifecycle.TABLE), language
        assert all(isinstance(w, str) and w for w in [*table["statuses"].values(), *table["actions"].values()])


def _leaves(node: Any, prefix: str = "") -> dict[str, str]:
    if isinstance(node, dict):
        return {p: v for key, value in node.items() for p, v in _leaves(value, f"{prefix}.{key}").items()}
    if isinstance(node, list):
        return {p: v for index, value in enumerate(node) for p, v in _leaves(value, f"{prefix}[{index}]").items()}
    return {prefix: node}


def test_a_template_takes_the_same_values_in_every_language(words: dict[str, Any]) -> None:
    """``"Sparat {at}."`` in Swedish is ``"Saved {at}."`` in English: a value named in one language only would
    show as a raw ``{name}`` in the other."""
    swedish = {path: set(_PLACEHOLDER.findall(text)) for path, text in _leaves(words["sv"]).items()}
    for language in ("en", "da"):
        theirs = {path: set(_PLACEHOLDER.findall(text)) for path, text in _leaves(words[language]).items()}
        assert {p: v for p, v in theirs.items() if v != swedish[p]} == {}, language


def test_templates_and_plural_forms_are_filled_in_by_the_client() -> None:
    said = node.run(
        """
import("./src/i18n.js").then(({ words }) => {
  const sv = words("sv"), da = words("da"), en = words("en");
  console.log(JSON.stringify([
    sv.drafts.saved({ at: "7/12 10:00", until: "6 jan. 2027" }),
    sv.next.payrollSoon({ count: 1 }), sv.next.payrollSoon({ count: 5 }),
    da.attachmentHint({ types: "PDF", size: "5 MB", count: 1 }), en.payOfYear({ month: "January", year: 2027 }),
  ]));
});
"""
    )
    assert said == [
        "Sparat 7/12 10:00. Utkastet finns kvar under Mina ärenden till 6 jan. 2027.",
        "Ärendet går till Lönecentrum, som svarar inom 1 arbetsdag.",
        "Ärendet går till Lönecentrum, som svarar inom 5 arbetsdagar.",
        "Tilladte filtyper: PDF. Højst 5 MB pr. fil, højst 1 fil.",
        "the January 2027 pay",
    ]
