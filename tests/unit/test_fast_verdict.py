"""The compiled verdict (``verdict``) and the explaining validator (``field_errors``) agree on every document.

The compiled one decides whether a submission is valid; jsonschema explains why one is not. If they ever
disagreed, an invalid document could be stored (compiled says yes, wrongly) or a valid one refused with an
empty list of errors. So both are asked about every example document of every form version, and about
variants made from each valid example: every field removed, emptied, given a wrong type, an odd number, a
date out of order, a value no choice allows.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from eforms.core.forms import field_errors, rules, verdict
from eforms.core.forms.catalogue import FormDefinition
from eforms.core.forms.validation import validate
from tests.support.examples import examples
from tests.unit.test_form_examples import CATALOGUE, FORMS, TODAY

ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    0.5,
    19.99,
    1e9,
    "",
    " ",
    "x",
    "2026-02-30",
    "2026-12-01",
    "1900-01-01",
    "12:30",
    "25:00",
    [],
    [{}],
    {},
]


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


def _replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    changed = copy.deepcopy(data)
    parent = changed
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return changed


def _removed(data: Any, path: tuple[Any, ...]) -> Any:
    changed = copy.deepcopy(data)
    parent = changed
    for part in path[:-1]:
        parent = parent[part]
    del parent[path[-1]]
    return changed


def _variants(data: Any) -> Iterator[Any]:
    yield data
    for path in list(_paths(data))[1:]:
        yield _removed(data, path)
        for value in ODD_VALUES:
            yield _replaced(data, path, value)
    if isinstance(data, dict):
        yield {**data, "unexpected": 1}


def _documents(form_id: str) -> Iterator[Any]:
    loaded = examples(form_id, TODAY)
    for valid in loaded["valid"]:
        yield from _variants(valid)
    for invalid in loaded["invalid"]:
        yield invalid["data"]


def _forms(form_id: str) -> list[FormDefinition]:
    return [CATALOGUE.get(form_id, version) for version in CATALOGUE.versions(form_id)]


@pytest.mark.parametrize("form_id", FORMS)
def test_the_compiled_verdict_agrees_with_the_explanation(form_id: str) -> None:
    disagreements = []
    checked = 0
    for form in _forms(form_id):
        for data in _documents(form_id):
            with rules.as_of(TODAY, form.date_window):
                fast = verdict.accepts(form, data)
                explained = field_errors.explain(form, data)
            checked += 1
            if fast != (explained == []):
                disagreements.append((form.version, data, fast, [(e.pointer, e.code) for e in explained]))
    assert checked > 50
    assert disagreements == []


def test_amounts_are_multiples_of_a_hundredth_in_both_validators() -> None:
    """19.99 / 0.01 is 1998.9999999999998 in binary floating point; as money it is 1,999 öre."""
    schema = {"type": "number", "multipleOf": 0.01}
    explaining = field_errors.FormValidatorClass(schema)
    assert verdict.condition_holds(schema, 19.99)
    assert explaining.is_valid(19.99)
    assert not verdict.condition_holds(schema, 19.995)
    assert not explaining.is_valid(19.995)


def test_a_valid_document_never_loads_the_explaining_validator() -> None:
    form = CATALOGUE.get("leave-application")
    data = examples("leave-application", TODAY)["valid"][0]
    before = dict(field_errors._compiled)
    field_errors._compiled.clear()
    try:
        assert validate(form, data, today=TODAY) == []
        assert field_errors._compiled == {}
    finally:
        field_errors._compiled.update(before)


def test_each_form_version_is_compiled_once() -> None:
    form = CATALOGUE.get("resignation")
    data = examples("resignation", TODAY)["valid"][0]
    validate(form, data, today=TODAY)
    compiled = verdict._forms[form.key]
    validate(form, data, today=date(2027, 1, 1))
    assert verdict._forms[form.key] is compiled
