"""Checking case events against the detail schema that docs/events.md documents (docs/case-event.schema.json)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from devstack.template import ROOT


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads((ROOT / "docs" / "case-event.schema.json").read_text(encoding="utf-8")))


def validate_event(envelope: dict[str, Any]) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(envelope)]
    assert not errors, f"{envelope.get('detail-type')} does not match docs/case-event.schema.json: {errors}"
