"""The form catalogue: every schema file is a valid, complete, self-describing form."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from eforms.core.common.errors import NotFound
from eforms.core.common.i18n import SUPPORTED, has_message
from eforms.core.forms import translations
from eforms.core.forms.catalogue import Catalogue, FormDefinition
from eforms.core.forms.field_errors import _FORMAT_CODES, _SIMPLE_CODES
from eforms.core.forms.routes import LEGACY

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
CATALOGUE = Catalogue(SCHEMAS)
ALL_FORMS = [
    CATALOGUE.get(form_id, version) for form_id in CATALOGUE.form_ids() for version in CATALOGUE.versions(form_id)
]
LAUNCH_FORMS = {"leave-application", "resignation", "certificate-request", "payroll-support"}


def _objects(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "object":
            found.append((path, node))
        for key, value in node.items():
            found += _objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _objects(value, f"{path}/{index}")
    return found


def test_the_four_launch_forms_are_published() -> None:
    assert set(CATALOGUE.form_ids()) >= LAUNCH_FORMS


@pytest.mark.parametrize("form", ALL_FORMS, ids=lambda f: f"{f.form_id}-v{f.version}")
def test_schema_is_valid_against_its_metaschema(form: FormDefinition) -> None:
    assert form.schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(form.schema)


@pytest.mark.parametrize("form", ALL_FORMS, ids=lambda f: f"{f.form_id}-v{f.version}")
def test_every_object_refuses_unknown_fields(form: FormDefinition) -> None:
    for path, obj in _objects(form.schema):
        if "properties" in obj:
            assert obj.get("additionalProperties") is False, f"{path} must set additionalProperties: false"


@pytest.mark.parametrize("form", ALL_FORMS, ids=lambda f: f"{f.form_id}-v{f.version}")
def test_every_field_and_choice_is_labelled_in_every_language_the_form_is_published_in(form: FormDefinition) -> None:
    first, *others = form.languages
    for language in form.languages:
        assert form.title(language), language
        assert form.description(language), language
    for language in others:
        assert form.title(language) != form.title(first), f"{language} title is not translated"

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                assert prop.get("title"), f"{path}/{name} has no title"
                walk(prop, f"{path}/{name}")
            for option in node.get("oneOf", []):
                if "const" in option:
                    assert option.get("title"), f"{path}: {option}"
            if isinstance(node.get("items"), dict):
                walk(node["items"], f"{path}/items")

    walk(form.schema, "")
    # Every text shown to people (labels, descriptions, choices, rules, attachment kinds, team names) has its
    # translation into each other published language: a missing one would show in the wrong language.
    assert translations.missing(form.schema, form.languages) == []


def test_a_missing_translation_is_found() -> None:
    field = {"title": "Från", "x-da": {"title": "Fra"}}
    schema = {"title": "Ledighet", "x-en": {"title": "Leave"}, "properties": {"a": field}}
    assert translations.missing(schema, ("sv", "en", "da")) == ["/ title x-da", "/properties/a title x-en"]
    assert translations.missing(schema, ("sv",)) == []


def test_categories_are_named_in_every_language() -> None:
    raw = json.loads((CATALOGUE.root / "categories.json").read_text(encoding="utf-8"))
    assert translations.missing(raw, SUPPORTED) == []
    assert CATALOGUE.categories[0].title("da") == "Fravær og arbejdstid"


@pytest.mark.parametrize("form", ALL_FORMS, ids=lambda f: f"{f.form_id}-v{f.version}")
def test_every_form_is_named_in_every_language_whichever_it_is_published_in(form: FormDefinition) -> None:
    """Emails, lists, the statistics and the service reports name a form in their reader's language: a
    Swedish approver of a Danish form reads "Uppsägning (Danmark)", while the form itself reads in Danish."""
    named = {
        "title": form.schema["title"],
        **{k: form.schema[k] for k in translations.TRANSLATION_KEYS if k in form.schema},
    }
    assert translations.missing(named, (form.languages[0], *(x for x in SUPPORTED if x != form.languages[0]))) == []
    assert form.shown_in("sv") in form.languages


@pytest.mark.parametrize("form", ALL_FORMS, ids=lambda f: f"{f.form_id}-v{f.version}")
def test_declared_metadata_is_consistent(form: FormDefinition) -> None:
    top_level = set(form.schema["properties"])
    for pointer in form.correctable_fields:
        assert pointer.count("/") == 1, f"correctable field {pointer} must be a top-level field"
        assert pointer[1:] in top_level, f"correctable field {pointer} is not a field"
    assert form.retention_years >= 1
    assert form.service_level_working_days >= 1
    assert form.field_title("/" + next(iter(top_level)), "sv")
    if form.on_behalf:
        assert form.on_behalf.flag is None or form.on_behalf.flag[1:] in top_level
        assert form.on_behalf.employee_id.split("/")[1] in top_level
        assert form.on_behalf.roles


def test_routes_follow_the_domain() -> None:
    # Today's two routes, written as steps, read exactly as the names they replace.
    assert CATALOGUE.get("leave-application").route == LEGACY["manager-approval"]
    assert CATALOGUE.get("resignation").route == LEGACY["manager-approval"]
    assert CATALOGUE.get("certificate-request").route == LEGACY["payroll"]
    assert CATALOGUE.get("certificate-request").service_level_working_days == 5
    assert CATALOGUE.get("payroll-support").on_behalf is not None


def test_every_error_code_the_validator_can_produce_has_a_message() -> None:
    codes = set(_SIMPLE_CODES.values()) | set(_FORMAT_CODES.values())
    codes |= {"required", "unknown_field", "not_allowed", "invalid_choice", "no_match", "wrong_type", "invalid_format"}
    assert all(has_message(code) for code in codes), sorted(c for c in codes if not has_message(c))


def test_localized_schema_swaps_texts_and_drops_translation_keys() -> None:
    form = CATALOGUE.get("leave-application")
    english = form.localized_schema("en")
    assert english["title"] == "Leave application"
    assert english["properties"]["period"]["properties"]["from"]["title"] == "From"
    assert "x-en" not in json.dumps(english)
    assert "x-eform" not in english
    assert english["properties"]["period"]["x-dateOrder"] == {"start": "from", "end": "to"}  # rules stay
    swedish = form.localized_schema("sv")
    assert swedish["properties"]["leaveType"]["oneOf"][0]["title"] == "Semester"
    assert form.schema["title"] == "Ledighetsansökan"  # the original is untouched


def test_unknown_forms_and_versions_and_hostile_ids_are_not_found(tmp_path: Path) -> None:
    for form_id in ("no-such-form", "../schemas", "leave-application/../x", "", "LEAVE-APPLICATION"):
        with pytest.raises(NotFound) as raised:
            CATALOGUE.get(form_id)
        assert raised.value.code == "unknown_form"
    with pytest.raises(NotFound) as raised:
        CATALOGUE.get("leave-application", 99)
    assert raised.value.code == "unknown_form_version"


def _copy_form(tmp_path: Path, form_id: str) -> Path:
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS / form_id, root / form_id)
    return root


def test_a_new_version_does_not_change_how_old_versions_read(tmp_path: Path) -> None:
    root = _copy_form(tmp_path, "leave-application")
    v2 = json.loads((root / "leave-application" / "v1.json").read_text())
    v2["x-eform"]["version"] = 2
    v2["title"] = "Ledighetsansökan (ny)"
    v2["properties"]["extentPercent"]["minimum"] = 50
    (root / "leave-application" / "v2.json").write_text(json.dumps(v2))
    catalogue = Catalogue(root)
    assert catalogue.versions("leave-application") == (1, 2)
    assert catalogue.get("leave-application").version == 2
    assert catalogue.get("leave-application", 1).title("sv") == "Ledighetsansökan"
    assert catalogue.get("leave-application", 1).schema["properties"]["extentPercent"]["minimum"] == 5


def test_a_file_whose_metadata_contradicts_its_place_is_refused(tmp_path: Path) -> None:
    root = _copy_form(tmp_path, "leave-application")
    (root / "leave-application" / "v2.json").write_text((root / "leave-application" / "v1.json").read_text())
    with pytest.raises(ValueError, match="do not match"):
        Catalogue(root).get("leave-application", 2)


def test_files_that_are_not_form_versions_are_ignored(tmp_path: Path) -> None:
    root = _copy_form(tmp_path, "leave-application")
    (root / "leave-application" / "notes.txt").write_text("x")
    (root / "leave-application" / "v1.json.bak").write_text("x")
    (root / "Not_A_Form").mkdir()
    (root / "Not_A_Form" / "v1.json").write_text("{}")
    assert Catalogue(root).form_ids() == ["leave-application"]
    assert Catalogue(root).versions("leave-application") == (1,)


@pytest.mark.parametrize(
    ("version", "today", "expected"),
    [
        (None, "2026-11-23", 2),  # unasked: the newest
        (2, "2030-01-01", 2),
        (1, "2026-11-23", 1),  # within v2's grace period, v1 is still taken
        (1, "2027-01-31", 1),  # ...through its last day
        (1, "2027-02-01", None),  # then retired
    ],
)
def test_a_new_case_is_filed_on_the_newest_version_or_the_previous_one_during_its_grace(
    version: int | None, today: str, expected: int | None
) -> None:
    from datetime import date

    when = date.fromisoformat(today)
    if expected is None:
        with pytest.raises(NotFound) as refused:
            CATALOGUE.for_filing("payroll-support", version, when)
        assert (refused.value.code, refused.value.params["latest"]) == ("form_version_retired", 2)
    else:
        assert CATALOGUE.for_filing("payroll-support", version, when).version == expected


def test_only_the_version_right_before_the_newest_has_a_grace(tmp_path: Path) -> None:
    """v3 with a grace period revives v2, never v1: two versions back is retired whatever the dates say."""
    from datetime import date

    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, root)
    v3 = json.loads((root / "payroll-support" / "v2.json").read_text(encoding="utf-8"))
    v3["x-eform"]["version"] = 3
    v3["x-eform"]["previousAcceptedUntil"] = "2099-12-31"
    (root / "payroll-support" / "v3.json").write_text(json.dumps(v3), encoding="utf-8")
    catalogue = Catalogue(root)
    assert catalogue.for_filing("payroll-support", 2, date(2030, 1, 1)).version == 2
    with pytest.raises(NotFound):
        catalogue.for_filing("payroll-support", 1, date(2026, 12, 1))
    assert catalogue.get("payroll-support", 1).version == 1  # still readable: its cases show and correct on v1


def test_a_rule_the_form_explains_is_reported_in_its_own_words_in_each_language() -> None:
    from datetime import date

    from eforms.core.common.i18n import message
    from eforms.core.forms.validation import validate

    form = CATALOGUE.get("access-request")
    data = {
        "roles": ["schemaadministrator", "heromarapportor"],
        "workplace": "Äldreförvaltningen",
        "costCentre": "41200",
        "validFrom": "2027-01-07",
        "trainingCompleted": True,
    }
    [error] = validate(form, data, today=date(2026, 11, 23))
    assert (error.pointer, error.code) == ("/roles", "form_rule")
    assert message(error.code, "sv", error.params).startswith("Administrativt stöd, Chef och Schemaadministratör")
    assert message(error.code, "en", error.params).startswith("Administrative support, Manager and Scheduling")
    # The browser gets the rule in the reader's language too, in the schema the API serves.
    english = form.localized_schema("en")["properties"]["roles"]["allOf"][0]["x-ruleMessage"]
    assert english.startswith("Administrative support")


def test_every_form_is_listed_under_a_group_that_exists() -> None:
    groups = [c.category_id for c in CATALOGUE.categories]
    assert len(groups) == len(set(groups))
    assert groups[-1] == "ovrigt"  # the catch-all comes last
    for form in ALL_FORMS:
        assert form.category in groups, (form.form_id, form.category)
    assert all(c.title("sv") and c.title("en") for c in CATALOGUE.categories)


def test_a_forms_title_outlives_the_form() -> None:
    """Figures, comments and reports name forms the catalogue may no longer hold: their id is what is left."""
    assert CATALOGUE.title_of("payroll-support", "sv") == "Lönesupport"
    assert CATALOGUE.title_of("holiday-pay", "sv") == "holiday-pay"
