"""What is wrong with a document, field by field: jsonschema, with the forms' keywords, as field errors.

Only a document the compiled verdict (``verdict``) refuses comes here, so jsonschema is imported by the
functions that explain, on the first invalid document, and never on a request path that only routes.

Every jsonschema error becomes a :class:`FieldError` with a JSON pointer to the field and a stable
code; ``required`` and ``additionalProperties`` are split so each missing or unknown field gets its
own pointer (that is what a form needs to put the message next to the field). The forms' own keywords
and formats are the checks in ``rules``, wrapped as jsonschema keywords.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from jsonschema.protocols import Validator

from eforms.core.common.errors import FieldError
from eforms.core.common.i18n import SUPPORTED
from eforms.core.common.input_safety import pointer_join
from eforms.core.forms import rules
from eforms.core.forms.catalogue import FormDefinition
from eforms.core.forms.problems import Problem
from eforms.core.forms.translations import translated

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


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    for name, holds in rules.FORMATS.items():
        checker.checks(name)(lambda value, holds=holds: not isinstance(value, str) or holds(value))
    return checker


class RuleError(ValidationError):
    """A broken rule the form declared: its code and params become the field error as they are."""

    def __init__(self, problem: Problem, *, own_rule: bool) -> None:
        super().__init__(problem.code, path=list(problem.path))
        self.code, self.params, self.own_rule = problem.code, problem.params, own_rule


KeywordFunction = Callable[[Validator, Any, Any, Any], Iterator[ValidationError]]


def _keyword(name: str) -> KeywordFunction:
    keyword = rules.KEYWORDS[name]

    def check(validator: Validator, spec: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
        for problem in keyword.check(spec, instance):
            yield RuleError(problem, own_rule=keyword.own_rule)

    return check


_STANDARD_FORMAT = Draft202012Validator.VALIDATORS["format"]


def _format(validator: Validator, fmt: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """``format`` as JSON Schema checks it, and a well-formed date inside the form's window (``dateWindow``)."""
    errors = list(_STANDARD_FORMAT(validator, fmt, instance, schema))
    yield from errors
    problem = rules.date_outside_window(instance) if not errors and fmt == "date" else None
    if problem is not None:
        yield RuleError(problem, own_rule=True)


def decimal_multiple_of(validator: Validator, step: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """``multipleOf`` in decimal, as a person counts: 19.99 is a multiple of 0.01 (in binary floating point,
    19.99 / 0.01 is 1998.9999999999998, which jsonschema's own check refuses)."""
    if not validator.is_type(instance, "number") or not validator.is_type(step, "number"):
        return
    try:
        whole = (Decimal(repr(instance)) / Decimal(repr(step))) % 1 == 0
    except (InvalidOperation, ArithmeticError):
        whole = False
    if not whole:
        yield ValidationError(f"{instance!r} is not a multiple of {step}")


FormValidatorClass = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator,
    {
        "format": _format,
        "multipleOf": decimal_multiple_of,
        **{name: _keyword(name) for name in rules.KEYWORDS},
    },
)
_FORMATS = _format_checker()
_compiled: dict[tuple[str, int], Validator] = {}


def validator_for(form: FormDefinition) -> Validator:
    """The validator of one form version, built on first use and then reused by every request."""
    compiled = _compiled.get(form.key)
    if compiled is None:
        compiled = FormValidatorClass(form.schema, format_checker=_FORMATS)
        _compiled[form.key] = compiled
    return compiled


def explain(form: FormDefinition, data: Any, *, base: str = "") -> list[FieldError]:
    """Every problem with ``data`` for ``form``, sorted by pointer (call inside ``rules.as_of``).

    ``base`` is prefixed to every pointer, so errors can point into the request body (``/data/...``).
    """
    errors: dict[tuple[str, str], FieldError] = {}
    for error in validator_for(form).iter_errors(data):
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
    if isinstance(error, RuleError) and error.own_rule:
        return [FieldError(pointer, error.code, error.params)]
    if "x-ruleMessage" in schema:
        return [FieldError(pointer, "form_rule", _rule_texts(schema))]
    return None


def _rule_texts(schema: dict[str, Any]) -> dict[str, str]:
    """The form's explanation of a rule (``x-ruleMessage``) in every language, keyed by language: the
    ``form_rule`` message of each language shows its own."""
    return {language: str(translated(schema, "x-ruleMessage", language)) for language in SUPPORTED}
