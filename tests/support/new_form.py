"""A form the code has never seen, published by dropping one file into a copy of the catalogue.

Tests use it to prove a form works from its file alone: a route of several steps (one conditional, one
a team) and a required attachment, declared entirely in ``x-eform``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from devstack.template import ROOT

FORM_ID = "study-leave"

#: Study leave: the manager decides; more than 20 working days also needs the manager's manager; the
#: competence-development team always signs off last.
DOCUMENT: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Studieledighet",
    "description": "Ansök om ledighet för studier.",
    "x-en": {"title": "Study leave", "description": "Apply for leave to study."},
    "x-eform": {
        "formId": FORM_ID,
        "version": 1,
        "route": [
            {"approver": "manager"},
            {
                "approver": "managers-manager",
                "when": {"properties": {"period": {"x-minWorkingDays": {"start": "from", "end": "to", "days": 21}}}},
            },
            {
                "approver": "team",
                "team": "specialist-support",
                "title": "Specialiststöd",
                "x-en": {"title": "Specialist support"},
            },
            {"approver": "payroll"},
        ],
        "attachments": [
            {
                "kind": "course-description",
                "title": "Kursbeskrivning",
                "x-en": {"title": "Course description"},
                "required": True,
                "maxCount": 2,
                "maxBytes": 1024 * 1024,
                "types": ["application/pdf", "image/png"],
            }
        ],
        "correctableFields": ["/period", "/course"],
        "retentionYears": 2,
        "serviceLevelWorkingDays": 2,
    },
    "type": "object",
    "additionalProperties": False,
    "required": ["period", "course"],
    "properties": {
        "period": {
            "title": "Period",
            "x-en": {"title": "Period"},
            "type": "object",
            "additionalProperties": False,
            "required": ["from", "to"],
            "x-dateOrder": {"start": "from", "end": "to"},
            "properties": {
                "from": {"title": "Från och med", "x-en": {"title": "From"}, "type": "string", "format": "date"},
                "to": {"title": "Till och med", "x-en": {"title": "To"}, "type": "string", "format": "date"},
            },
        },
        "course": {"title": "Kurs", "x-en": {"title": "Course"}, "type": "string", "minLength": 2, "maxLength": 200},
    },
}

SHORT = {"period": {"from": "2027-02-01", "to": "2027-02-05"}, "course": "Arbetsrätt grund"}
LONG = {"period": {"from": "2027-02-01", "to": "2027-03-31"}, "course": "Arbetsrätt grund"}


#: A fee claim (arvode) by someone who may not be employed here — a lecturer, an elected official — who signs in
#: with BankID: the assignment's decision attached, the specialist-support team checks it, and a fee over
#: 10,000 kr also needs the payroll team's approval before it reaches the desk.
FEE_CLAIM: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Arvode",
    "description": "Begär ersättning för ett uppdrag.",
    "x-en": {"title": "Fee claim", "description": "Claim the fee for an assignment."},
    "x-eform": {
        "formId": "fee-claim",
        "version": 1,
        "access": ["employee", "bankid"],
        "route": [
            {"approver": "team", "team": "specialist-support", "title": "Specialiststöd"},
            {
                "approver": "team",
                "team": "team-north",
                "title": "Lönecentrum, attest",
                "when": {"properties": {"amount": {"exclusiveMinimum": 10000}}},
            },
            {"approver": "payroll"},
        ],
        "attachments": [
            {
                "kind": "assignment-decision",
                "title": "Beslut om uppdraget",
                "x-en": {"title": "Decision on the assignment"},
                "required": True,
                "maxCount": 1,
                "maxBytes": 1024 * 1024,
                "types": ["application/pdf"],
            }
        ],
        "correctableFields": ["/amount"],
        "retentionYears": 10,
        "serviceLevelWorkingDays": 5,
    },
    "type": "object",
    "additionalProperties": False,
    "required": ["assignment", "date", "amount"],
    "properties": {
        "assignment": {"title": "Uppdrag", "x-en": {"title": "Assignment"}, "type": "string", "minLength": 2},
        "date": {"title": "Datum", "x-en": {"title": "Date"}, "type": "string", "format": "date"},
        "amount": {"title": "Belopp (kr)", "x-en": {"title": "Amount (SEK)"}, "type": "number", "minimum": 1},
    },
}


def publish(tmp_path: Path, document: dict[str, Any] | None = None, *more: dict[str, Any]) -> Path:
    """A copy of the real catalogue with the new form (and ``more`` forms) added; returns the catalogue's root."""
    root = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", root)
    for each in (document or DOCUMENT, *more):
        folder = root / each["x-eform"]["formId"]
        folder.mkdir()
        (folder / "v1.json").write_text(json.dumps(each, ensure_ascii=False), encoding="utf-8")
    return root
