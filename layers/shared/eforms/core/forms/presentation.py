"""Form data as people read it: each answered field with its label and a human value.

Choices show their titles, not their codes; yes/no fields say Ja/Nej; nested objects read as
"Period – Från och med". Used by the decision page and emails now and by the signed PDF later, so a
value looks the same everywhere. Labels come from the form version the case was filed on.
"""

from __future__ import annotations

from typing import Any

from eforms.core.common.i18n import Language, text
from eforms.core.forms import totals
from eforms.core.forms.catalogue import FormDefinition
from eforms.core.forms.translations import translated


def _title(node: dict[str, Any], language: Language, fallback: str) -> str:
    return str(translated(node, "title", language) or fallback)


def _choice_title(node: dict[str, Any], value: Any, language: Language) -> str | None:
    for option in node.get("oneOf", []):
        if isinstance(option, dict) and option.get("const") == value:
            return _title(option, language, str(value))
    return None


def human_value(node: dict[str, Any], value: Any, language: Language) -> str:
    choice = _choice_title(node, value, language)
    if choice is not None:
        return choice
    if isinstance(value, bool):
        return text("value.yes" if value else "value.no", language)
    if isinstance(value, list):
        items = node.get("items", {}) if isinstance(node.get("items"), dict) else {}
        return ", ".join(human_value(items, item, language) for item in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return str(value).replace(".", text("value.decimal_point", language))
    return str(value)


def _ordered(node: dict[str, Any], data: dict[str, Any], order: list[str]) -> list[str]:
    keys = [k for k in order if k in data] + [k for k in node.get("properties", {}) if k in data and k not in order]
    return keys + [k for k in data if k not in keys]


def field_rows(form: FormDefinition, data: dict[str, Any], language: Language) -> list[tuple[str, str, str]]:
    """(pointer, label, value) for every answered field, in the form's display order."""
    rows: list[tuple[str, str, str]] = []

    def walk(node: dict[str, Any], values: dict[str, Any], prefix: str, label_prefix: str, order: list[str]) -> None:
        properties = node.get("properties", {})
        for key in _ordered(node, values, order):
            value = values[key]
            child = properties.get(key, {})
            label = _title(child, language, key)
            full_label = f"{label_prefix} – {label}" if label_prefix else label
            if isinstance(value, dict) and _choice_title(child, value, language) is None:
                walk(child, value, f"{prefix}/{key}", full_label, [])
            elif value not in ("", None, []):
                rows.append((f"{prefix}/{key}", full_label, human_value(child, value, language)))

    walk(form.schema, data, "", "", list(form.ui.get("ui:order", [])))
    computed = computed_rows(form, data, language)
    if not computed:
        return rows
    replaced = tuple(pointer for pointer, _, _ in computed)
    return [row for row in rows if not row[0].startswith(replaced)] + computed


def computed_rows(form: FormDefinition, data: dict[str, Any], language: Language) -> list[tuple[str, str, str]]:
    """(pointer, label, value) of what the server computes from the answers, whatever the sender wrote in
    its place (``x-totals``): the sums payroll, the approver, the PDF and the case page all read."""
    spec = totals.spec_of(form.schema)
    if spec is None:
        return []
    label = _title(form.schema.get("properties", {}).get(spec["into"], {}), language, spec["into"])
    sums = totals.shown(totals.compute(spec, data), lambda hours: human_value({}, hours, language))
    return [(f"/{spec['into']}", label, sums)]


def rows_of(form: FormDefinition | None, key: str, value: Any, language: Language) -> str:
    """One top-level field's value as people read it (nested parts joined), ``–`` when empty."""
    if value in ("", None, []):
        return "–"
    if form is None:
        return str(value)
    rows = field_rows(form, {key: value}, language)
    if len(rows) == 1 and rows[0][0] == f"/{key}":
        return rows[0][2]
    prefix = f"{_title(form.schema.get('properties', {}).get(key, {}), language, key)} – "
    return ", ".join(f"{label.removeprefix(prefix)}: {shown}" for _, label, shown in rows) or "–"
