"""The drafts' rules that need no AWS: when a reminder is due, how long a form declares its drafts live."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from eforms.core.common.workdays import DENMARK, SWEDEN, working_days_before
from eforms.core.forms.catalogue import FormDefinition
from eforms.core.intake.drafts import is_draft_id, new_draft_id, remind_on


def test_three_working_days_before_skips_weekends_and_holidays() -> None:
    assert working_days_before(date(2027, 1, 14), 3) == date(2027, 1, 11)  # Thursday → Monday
    assert working_days_before(date(2027, 1, 11), 3) == date(2027, 1, 5)  # over a weekend and Epiphany (6th)
    assert working_days_before(date(2026, 12, 28), 3, SWEDEN) == date(2026, 12, 21)  # Christmas Eve to Boxing Day off
    assert working_days_before(date(2027, 3, 29), 1, DENMARK) == date(2027, 3, 24)  # Maundy Thursday, Good Friday
    with pytest.raises(ValueError, match="at least 1"):
        working_days_before(date(2027, 1, 14), 0)


def test_a_reminder_is_never_due_before_the_day_the_draft_was_saved() -> None:
    saved = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
    assert remind_on(saved, datetime(2027, 2, 10, 9, 0, tzinfo=UTC), SWEDEN) == date(2027, 2, 5)
    assert remind_on(saved, datetime(2027, 1, 13, 9, 0, tzinfo=UTC), SWEDEN) == date(2027, 1, 11)


def test_draft_ids_are_unguessable_and_checked_before_any_lookup() -> None:
    ids = {new_draft_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(is_draft_id(i) for i in ids)
    assert not any(is_draft_id(v) for v in ("dr_short", "up_" + "a" * 22, "../dr_" + "a" * 22, None, 7))


def _form(**meta: Any) -> FormDefinition:
    document = {
        "type": "object",
        "x-eform": {
            "formId": "f",
            "version": 1,
            "route": [{"approver": "payroll"}],
            "retentionYears": 2,
            "serviceLevelWorkingDays": 3,
            **meta,
        },
    }
    return FormDefinition.from_document(document, expected_id="f", expected_version=1)


def test_a_form_declares_how_long_its_drafts_live() -> None:
    assert _form().draft_days == 30
    assert _form(draftDays=7).draft_days == 7
    for wrong in (0, 366, "30", True, 2.5):
        with pytest.raises(ValueError, match="draftDays"):
            _form(draftDays=wrong)
