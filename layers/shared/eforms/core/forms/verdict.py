"""Whether a document is valid, fast: a form's schema compiled to Python code, with the forms' own keywords.

Every submission, save and correction asks this first. Most documents are valid, and for those the
compiled code (fastjsonschema, ~10x faster than jsonschema's interpreter on these schemas) is the whole
cost; only a document it refuses goes to ``field_errors``, which builds the localised list of what is
wrong. The two must agree on every document (``tests/unit/test_fast_verdict.py``); where they ever did
not, jsonschema's list has the last word (``validation.validate``).

The forms' ``x-`` keywords and formats are generated into the compiled code as calls to ``rules``, the
same checks the explaining validator makes. Route conditions (an approval step's ``when``) are verdicts
only, so they are compiled here too, and a function that routes never loads jsonschema.

Compiled once per form version (and per distinct condition) and kept for the container's life.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, cast

from fastjsonschema import JsonSchemaException
from fastjsonschema.draft2019 import CodeGeneratorDraft2019
from fastjsonschema.ref_resolver import RefResolver

from eforms.core.forms import rules
from eforms.core.forms.catalogue import FormDefinition

Check = Callable[[Any], Any]


class _FormCode(CodeGeneratorDraft2019):
    """fastjsonschema's code generator, taught the forms' ``x-`` keywords: each becomes a call of
    :func:`rules.broken` with the keyword's declaration, kept in ``RULE_SPECS`` beside the code."""

    def __init__(self, definition: Any, resolver: RefResolver) -> None:
        formats = {name: functools.partial(_format_holds, name) for name in rules.FORMATS}
        super().__init__(definition, resolver=resolver, formats=formats, use_default=False)  # type: ignore[no-untyped-call]
        self._rule_specs: list[Any] = []
        names = cast(dict[str, Any], self._extra_imports_objects)  # what the generated code sees as globals
        names["RULE_SPECS"], names["rule_broken"] = self._rule_specs, rules.broken
        for keyword in rules.KEYWORDS:
            self._json_keywords_to_function[keyword] = functools.partial(self._generate_rule, keyword)

    def _generate_rule(self, keyword: str) -> None:
        self._rule_specs.append(cast(dict[str, Any], self._definition)[keyword])
        with self.l('if rule_broken("{}", RULE_SPECS[{}], {variable}):', keyword, len(self._rule_specs) - 1):
            self.exc("{name} breaks " + keyword)  # type: ignore[no-untyped-call]


def _format_holds(name: str, value: str) -> bool:
    return not rules.format_broken(name, value)


def _no_remote(uri: str) -> Any:
    raise ValueError(f"a form's schema refers only to itself, not to {uri}")


def _choices_as_enums(node: Any) -> Any:
    """The schema with every ``oneOf`` of ``const`` values (a choice with its label and translations beside each
    value, as forms write them) as the ``enum`` it means for a verdict: the same values, a third of the
    leave application's validation time (one membership test instead of a trial of each alternative)."""
    if isinstance(node, list):
        return [_choices_as_enums(item) for item in node]
    if not isinstance(node, dict):
        return node
    choices = node.get("oneOf")
    values = [c["const"] for c in choices if isinstance(c, dict) and "const" in c] if isinstance(choices, list) else []
    if choices and len(values) == len(choices) and len({json.dumps(v, sort_keys=True) for v in values}) == len(values):
        others = {key: value for key, value in node.items() if key != "oneOf"}
        return {**_choices_as_enums(others), "enum": values} if "enum" not in node else node
    return {key: _choices_as_enums(value) for key, value in node.items()}


def _compile(schema: dict[str, Any]) -> Check:
    schema = _choices_as_enums(schema)
    resolver = RefResolver.from_schema(schema, handlers={"http": _no_remote, "https": _no_remote}, store={})
    generator = _FormCode(schema, resolver)
    namespace = generator.global_state
    exec(generator.func_code, namespace)  # noqa: S102  # code generated from our own schema, as fastjsonschema does
    check: Check = functools.partial(namespace[resolver.get_scope_name()], custom_formats=generator._custom_formats)
    return check


_forms: dict[tuple[str, int], Check] = {}
_conditions: dict[str, Check] = {}


def _holds(check: Check, data: Any) -> bool:
    try:
        check(data)
    except JsonSchemaException:
        return False
    return True


def accepts(form: FormDefinition, data: Any) -> bool:
    """Whether ``data`` is a valid document of ``form`` (call inside ``rules.as_of``, for the date rules)."""
    check = _forms.get(form.key)
    if check is None:
        check = _forms[form.key] = _compile(form.schema)
    return _holds(check, data)


def condition_holds(condition: dict[str, Any], data: Any) -> bool:
    """Whether ``data`` matches a condition schema (an approval step's ``when``), with the forms' keywords."""
    key = json.dumps(condition, sort_keys=True)
    check = _conditions.get(key)
    if check is None:
        check = _conditions[key] = _compile(condition)
    return _holds(check, data)
