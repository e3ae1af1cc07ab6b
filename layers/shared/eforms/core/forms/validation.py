"""Validating form data against its schema, with the cross-field rules forms need, as field errors.

The rules are declared in the schema, never in code, so a new form needs no change here:

* ``format: date`` (strict ``YYYY-MM-DD``), ``format: email``, ``format: personnummer`` (checksum and
  date checked, samordningsnummer accepted), ``format: cpr`` (a Danish CPR number: a real birth date);
* ``x-dateOrder: {"start": "from", "end": "to"}`` on an object: the end date is not before the start;
* ``x-notInPast: true`` on a date: not before today in Europe/Stockholm;
* every date within the form's window (``x-eform.dateWindow``, by default 10 years back and 5 ahead);
* ``x-ruleMessage`` on a schema node (typically one ``allOf`` entry holding one rule): when a keyword of that
  node fails, the error is ``form_rule`` with the form's own explanation (translated under ``x-en``,
  ``x-da``, …) instead of the generic text — for rules JSON Schema states well but a generic message
  explains badly (incompatible choices, e.g.);
* ``x-minWorkingDays: {"start": "from", "end": "to", "days": 21}`` on an object: the period spans at least
  that many Swedish working days (useful mostly in an approval step's condition, see ``routes``);
* ``x-rows`` on an array of rows: times in order, a row's length within bounds, no overlapping rows
  (``row_rules``);
* ``x-totals`` on the root: hours per group computed from the rows; sums the sender gives must match
  (``totals``).

A validator is built once per form version and kept for the container's life (building one per
request is the classic cold-path waste); "today" reaches the keyword through a context variable so a
cached validator stays correct across midnight.

Every jsonschema error becomes a :class:`FieldError` with a JSON pointer to the field and a stable
code; ``required`` and ``additionalProperties`` are split so each missing or unknown field gets its
own pointer (that is what a form needs to put the message next to the field).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any, cast

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from jsonschema.protocols import Validator

from eforms.core.common.errors import FieldError
from eforms.core.common.i18n import SUPPORTED
from eforms.core.common.input_safety import pointer_join
from eforms.core.common.workdays import working_days_between
from eforms.core.forms import cpr, personnummer, row_rules, totals
from eforms.core.forms.catalogue import FormDefinition
from eforms.core.forms.translations import translated

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
# Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is the mail server's call.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,253}\.[^@\s.]{2,63}$")
_today: ContextVar[date | None] = ContextVar("eforms_validation_today", default=None)
#: The form's date window (years back, years ahead) while one form's data is validated.
_window: ContextVar[tuple[int, int] | None] = ContextVar("eforms_validation_date_window", default=None)

_SIMPLE_CODES = {
    "type": "wrong_type",
    "minLength": "too_short",
    "maxLength": "too_long",
    "minimum": "below_minimum",
    "exclusiveMinimum": "below_minimum",
    "maximum": "above_maximum",
    "exclusiveMaximum": "above_maximum",
    "multipleOf": "not_multiple_of",
    "pattern": "pattern_mismatch",
    "enum": "invalid_choice",
    "const": "invalid_choice",
    "minItems": "too_few_items",
    "maxItems": "too_many_items",
    "uniqueItems": "duplicate_items",
    "x-dateOrder": "date_order",
    "x-notInPast": "date_in_past",
    "x-minWorkingDays": "too_few_working_days",
}
_FORMAT_CODES = {
    "date": "invalid_date",
    "email": "invalid_email",
    "personnummer": "invalid_personnummer",
    "cpr": "invalid_cpr",
}


def parse_date(value: Any) -> date | None:
    """A strict ``YYYY-MM-DD`` date, or None for anything else (Python alone would also take ``20261122``)."""
    if not isinstance(value, str) or not _DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("date")(lambda value: not isinstance(value, str) or parse_date(value) is not None)
    checker.checks("email")(lambda value: not isinstance(value, str) or bool(_EMAIL.match(value)))
    checker.checks("personnummer")(lambda value: not isinstance(value, str) or personnummer.is_valid(value))
    checker.checks("cpr")(lambda value: not isinstance(value, str) or cpr.is_valid(value))
    return checker


def _date_order(validator: Validator, spec: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if not isinstance(instance, dict) or not isinstance(spec, dict):
        return
    start, end = parse_date(instance.get(spec.get("start"))), parse_date(instance.get(spec.get("end")))
    if start and end and end < start:
        yield ValidationError("end date before start date", path=[spec["end"]])


def _not_in_past(validator: Validator, enabled: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    today = _today.get()
    value = parse_date(instance)
    if enabled is True and today is not None and value is not None and value < today:
        yield ValidationError("date in the past")


def _min_working_days(validator: Validator, spec: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if not isinstance(instance, dict) or not isinstance(spec, dict):
        return
    start, end = parse_date(instance.get(spec.get("start"))), parse_date(instance.get(spec.get("end")))
    days = spec.get("days")
    if start and end and isinstance(days, int) and working_days_between(start, end) < days:
        yield ValidationError(f"fewer than {days} working days")


_STANDARD_FORMAT = Draft202012Validator.VALIDATORS["format"]


def years_from(today: date, years: int) -> date:
    """``today`` moved by whole years (29 February becomes 28 February in a common year)."""
    try:
        return today.replace(year=today.year + years)
    except ValueError:
        return today.replace(year=today.year + years, day=28)


def _format(validator: Validator, fmt: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """``format`` as JSON Schema checks it, and a well-formed date inside the form's window (``dateWindow``)."""
    errors = list(_STANDARD_FORMAT(validator, fmt, instance, schema))
    yield from errors
    window, today = _window.get(), _today.get()
    if errors or fmt != "date" or window is None or today is None:
        return
    value = parse_date(instance)
    earliest, latest = years_from(today, -window[0]), years_from(today, window[1])
    if value is not None and not earliest <= value <= latest:
        yield ValidationError(
            "date outside the form's window",
            validator="x-dateWindow",
            validator_value={"earliest": earliest.isoformat(), "latest": latest.isoformat()},
        )


FormValidatorClass = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator,
    {
        "format": _format,
        "x-dateOrder": _date_order,
        "x-notInPast": _not_in_past,
        "x-minWorkingDays": _min_working_days,
        "x-rows": row_rules.rows_keyword,
        "x-totals": totals.totals_keyword,
    },
)
_FORMATS = _format_checker()
_compiled: dict[tuple[str, int], Validator] = {}
_conditions: dict[str, Validator] = {}


def condition_holds(condition: dict[str, Any], data: Any) -> bool:
    """Whether ``data`` matches a condition schema (an approval step's ``when``), with the forms' keywords.
    Compiled once per distinct condition and kept for the container's life."""
    key = json.dumps(condition, sort_keys=True)
    compiled = _conditions.get(key)
    if compiled is None:
        compiled = FormValidatorClass(condition, format_checker=_FORMATS)
        _conditions[key] = compiled
    return bool(compiled.is_valid(data))


def validator_for(form: FormDefinition) -> Validator:
    """The validator of one form version, built on first use and then reused by every request."""
    compiled = _compiled.get(form.key)
    if compiled is None:
        compiled = FormValidatorClass(form.schema, format_checker=_FORMATS)
        _compiled[form.key] = compiled
    return compiled


@contextmanager
def _as_of(today: date, window: tuple[int, int] | None = None) -> Iterator[None]:
    token, window_token = _today.set(today), _window.set(window)
    try:
        yield
    finally:
        _today.reset(token)
        _window.reset(window_token)


def validate(form: FormDefinition, data: Any, *, today: date, base: str = "") -> list[FieldError]:
    """Every problem with ``data`` for ``form``, sorted by pointer; an empty list means valid.

    ``base`` is prefixed to every pointer, so errors can point into the request body (``/data/...``).
    """
    with _as_of(today, form.date_window):
        raw = list(validator_for(form).iter_errors(data))
    errors: dict[tuple[str, str], FieldError] = {}
    for error in raw:
        for field_error in _field_errors(error, base):
            errors.setdefault((field_error.pointer, field_error.code), field_error)
    return sorted(errors.values(), key=lambda e: (e.pointer, e.code))


def _pointer(base: str, path: Any) -> str:
    pointer = base
    for part in path:
        pointer = pointer_join(pointer, part)
    return pointer


def _field_errors(error: ValidationError, base: str) -> list[FieldError]:
    keyword = str(error.validator)
    pointer = _pointer(base, error.absolute_path)
    instance, value = error.instance, cast(Any, error.validator_value)
    schema = error.schema if isinstance(error.schema, dict) else {}
    declared = _declared(error, schema, pointer)
    if declared is not None:
        return declared
    if keyword == "required" and isinstance(instance, dict):
        return [FieldError(pointer_join(pointer, name), "required") for name in value if name not in instance]
    if keyword in ("additionalProperties", "unevaluatedProperties") and isinstance(instance, dict):
        known = set(schema.get("properties", {}))
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        extras = [k for k in instance if k not in known and not any(p.search(k) for p in patterns)]
        return [FieldError(pointer_join(pointer, name), "unknown_field") for name in extras]
    if keyword == "not" and isinstance(value, dict) and list(value) == ["required"]:
        # The "else: not required" idiom: a field that must stay empty in this situation.
        return [FieldError(pointer_join(pointer, name), "not_allowed") for name in value["required"]]
    if keyword in ("oneOf", "anyOf"):
        alternatives = value if isinstance(value, list) else []
        is_choice = alternatives and all(isinstance(a, dict) and "const" in a for a in alternatives)
        if is_choice:
            return [FieldError(pointer, "invalid_choice", {"allowed": [a["const"] for a in alternatives]})]
        return [FieldError(pointer, "no_match")]
    if keyword == "format":
        return [FieldError(pointer, _FORMAT_CODES.get(str(value), "invalid_format"))]
    if keyword == "type":
        return [FieldError(pointer, "wrong_type", {"expected": value if isinstance(value, str) else "/".join(value)})]
    if keyword in ("enum", "const"):
        allowed = value if keyword == "enum" else [value]
        return [FieldError(pointer, "invalid_choice", {"allowed": allowed})]
    code = _SIMPLE_CODES.get(keyword, "invalid_format")
    params = {"limit": value} if keyword in _LIMIT_KEYWORDS else {}
    return [FieldError(pointer, code, params)]


_LIMIT_KEYWORDS = frozenset(
    {"minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
    | {"minItems", "maxItems"}
)


def _declared(error: ValidationError, schema: dict[str, Any], pointer: str) -> list[FieldError] | None:
    """The errors whose code the form's own declarations decide: a row rule's, or a rule the form explains
    in its own words (``x-ruleMessage``, in each language it is published in)."""
    if isinstance(error, row_rules.RuleError):
        return [FieldError(pointer, error.code, error.params)]
    if error.validator == "x-dateWindow":  # the form's date window (``_format``)
        return [FieldError(pointer, "date_out_of_range", dict(cast(Any, error.validator_value)))]
    if "x-ruleMessage" in schema:
        return [FieldError(pointer, "form_rule", _rule_texts(schema))]
    return None


def _rule_texts(schema: dict[str, Any]) -> dict[str, str]:
    """The form's explanation of a rule (``x-ruleMessage``) in every language, keyed by language: the
    ``form_rule`` message of each language shows its own."""
    return {language: str(translated(schema, "x-ruleMessage", language)) for language in SUPPORTED}
