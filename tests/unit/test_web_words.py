"""The web client speaks every language it offers completely: the same keys in Swedish, English and Danish, and a
word for every case status and history action the lifecycle has (a missing one would show a raw code)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eforms.core.cases import lifecycle
from eforms.core.cases.model import Status
from tests.support import node

WEB = Path(__file__).resolve().parents[2] / "web"
# The words as the client holds them, functions reduced to their names (their text is code, not data).
DUMP = """
import("./src/i18n.js").then((m) => {
  const plain = (v) => typeof v === "function" ? "<function>" : Array.isArray(v) ? v.map(plain)
    : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) : v;
  console.log(JSON.stringify(Object.fromEntries(m.LANGUAGES.map(([code]) => [code, plain(m.words(code))]))));
});
"""


@pytest.fixture(scope="module")
def words() -> dict[str, Any]:
    loaded: dict[str, Any] = node.run(DUMP)
    return loaded


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
