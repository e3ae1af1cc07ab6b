"""The validator's own behaviour: pointers, cross-field rules, compile-once, hostile text."""

from __future__ import annotations

from datetime import date

from eforms.core.common.input_safety import MAX_DEPTH, depth_of, pointer_join, text_errors
from eforms.core.forms import field_errors, rules, validation
from eforms.core.forms.catalogue import Catalogue
from tests.unit.test_catalogue import SCHEMAS

CATALOGUE = Catalogue(SCHEMAS)
LEAVE = CATALOGUE.get("leave-application")
RESIGNATION = CATALOGUE.get("resignation")


def _leave(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "leaveType": "semester",
        "period": {"from": "2026-12-01", "to": "2026-12-05"},
        "extentPercent": 100,
    }
    data.update(overrides)
    return data


def test_errors_point_into_the_request_body_when_asked() -> None:
    errors = validation.validate(
        LEAVE, _leave(period={"from": "2026-12-05", "to": "2026-12-01"}), today=date(2026, 11, 1), base="/data"
    )
    assert [(e.pointer, e.code) for e in errors] == [("/data/period/to", "date_order")]


def test_not_in_past_follows_the_given_day_with_the_same_compiled_validator() -> None:
    data = {"lastDayOfEmployment": "2026-11-23", "reason": "flytt", "remainingVacation": "ta-ut"}
    assert validation.validate(RESIGNATION, data, today=date(2026, 11, 23)) == []
    compiled = field_errors.validator_for(RESIGNATION)
    errors = validation.validate(RESIGNATION, data, today=date(2026, 11, 24))
    assert [(e.pointer, e.code) for e in errors] == [("/lastDayOfEmployment", "date_in_past")]
    assert field_errors.validator_for(RESIGNATION) is compiled  # built once per form version


def test_the_same_day_as_start_and_end_is_a_valid_period() -> None:
    assert (
        validation.validate(LEAVE, _leave(period={"from": "2026-12-01", "to": "2026-12-01"}), today=date(2026, 1, 1))
        == []
    )


def test_unknown_keys_with_slashes_and_tildes_are_escaped_in_pointers() -> None:
    errors = validation.validate(LEAVE, _leave(**{"a/b": 1, "c~d": 2}), today=date(2026, 1, 1))
    assert [(e.pointer, e.code) for e in errors] == [("/a~1b", "unknown_field"), ("/c~0d", "unknown_field")]
    assert pointer_join("", "x/y~z") == "/x~1y~0z"


def test_a_non_object_document_is_one_type_error() -> None:
    errors = validation.validate(LEAVE, ["not", "an", "object"], today=date(2026, 1, 1))
    assert [(e.pointer, e.code, e.params) for e in errors] == [("", "wrong_type", {"expected": "object"})]


def test_limits_are_reported_as_params() -> None:
    errors = validation.validate(LEAVE, _leave(comment="x" * 2001), today=date(2026, 1, 1))
    assert [(e.pointer, e.code, e.params) for e in errors] == [("/comment", "too_long", {"limit": 2000})]


def test_text_errors_find_control_characters_nul_and_lone_surrogates() -> None:
    document = {
        "ok": "rad ett\nrad två\tmed tabb",
        "nul": "a\x00b",
        "bell": "\x07",
        "c1": "\x85",
        "half": "\ud800",
        "list": ["fine", "\x1b[31m"],
    }
    found = {(e.pointer, e.code) for e in text_errors(document, "/data")}
    assert found == {
        ("/data/nul", "control_characters"),
        ("/data/bell", "control_characters"),
        ("/data/c1", "control_characters"),
        ("/data/half", "invalid_text"),
        ("/data/list/1", "control_characters"),
    }


def test_hostile_keys_are_reported_with_a_printable_pointer() -> None:
    [error] = text_errors({"bad\x00key": 1})
    assert error.code == "invalid_text"
    assert error.pointer == "/bad\ufffdkey"


def test_depth_is_measured_without_recursion() -> None:
    nested: object = "leaf"
    for _ in range(10_000):
        nested = [nested]
    assert depth_of(nested) == 10_000
    assert depth_of({"a": {"b": [1]}}) == 3
    assert depth_of("scalar") == 0
    assert MAX_DEPTH >= 8  # the forms nest three levels; leave room for future forms


def test_every_date_lies_in_the_forms_window() -> None:
    """A leave in 9999 is a typo: every date of a form lies within its window (by default 10 years back, 5
    ahead); a certificate of employment reaches 60 years back, as its form declares."""
    leave = CATALOGUE.get("leave-application")
    today = date(2026, 11, 23)
    data = {"leaveType": "semester", "period": {"from": "2026-12-01", "to": "9999-12-31"}, "extentPercent": 100}
    errors = [(e.pointer, e.code, e.params) for e in validation.validate(leave, data, today=today)]
    assert errors == [("/period/to", "date_out_of_range", {"earliest": "2016-11-23", "latest": "2031-11-23"})]
    certificate = CATALOGUE.get("certificate-request")
    assert certificate.date_window == (60, 1)
    assert rules.years_from(date(2028, 2, 29), -1) == date(2027, 2, 28)
