"""Each form's example documents, through the server's validator (the browser runs the same set)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from eforms.core.forms.catalogue import Catalogue
from eforms.core.forms.validation import validate
from tests.support.examples import EXAMPLES, examples
from tests.unit.test_catalogue import SCHEMAS

TODAY = date(2026, 11, 23)
CATALOGUE = Catalogue(SCHEMAS)
FORMS = sorted(p.stem for p in EXAMPLES.glob("*.json"))


def _cases(kind: str) -> list[Any]:
    params = []
    for form_id in FORMS:
        for index, example in enumerate(examples(form_id, TODAY)[kind]):
            params.append(pytest.param(form_id, example, id=f"{form_id}-{kind}-{index}"))
    return params


def test_every_published_form_has_examples() -> None:
    assert set(FORMS) == set(CATALOGUE.form_ids())


@pytest.mark.parametrize(("form_id", "data"), _cases("valid"))
def test_valid_examples_pass(form_id: str, data: dict[str, Any]) -> None:
    assert validate(CATALOGUE.get(form_id), data, today=TODAY) == []


@pytest.mark.parametrize(("form_id", "example"), _cases("invalid"))
def test_invalid_examples_fail_with_exactly_the_listed_errors(form_id: str, example: dict[str, Any]) -> None:
    found = [[e.pointer, e.code] for e in validate(CATALOGUE.get(form_id), example["data"], today=TODAY)]
    assert found == sorted(example["errors"])
