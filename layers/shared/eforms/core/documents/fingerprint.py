"""The fingerprint of a case: SHA-256 over its canonical data, printed on the signed PDF.

Canonical means: the facts that were decided (who applied, about whom, on which form version, with
which answers, and the decision), as JSON with sorted keys, no insignificant whitespace and UTF-8
text. Anyone holding the case data can recompute it and compare it with the PDF and the stored value.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from eforms.core.cases.model import Case, HistoryEntry
from eforms.core.common.clock import iso

_DECISIONS = ("approved", "rejected")


def canonical(case: Case) -> dict[str, Any]:
    """What the fingerprint covers. Keys that older cases never had (attachments, the earlier steps of a
    longer route) are added only when present, so a fingerprint printed before stays verifiable."""
    decision = next((h for h in reversed(case.history) if h.action in _DECISIONS), None)
    extra: dict[str, Any] = {}
    if case.attachments:
        extra["attachments"] = [
            {"name": a.name, "kind": a.kind, "size": a.size, "sha256": a.sha256} for a in case.attachments
        ]
    steps = [h for h in round_decisions(case) if h.action == "step_approved"]
    if steps:
        extra["steps"] = [{"by": h.actor.id, "at": iso(h.at), "message": h.details.get("message", "")} for h in steps]
    return {
        **extra,
        "caseId": case.case_id,
        "formId": case.form_id,
        "formVersion": case.form_version,
        "applicant": {"id": case.applicant.id, "name": case.applicant.name},
        "subject": {"id": case.subject.id, "name": case.subject.name},
        "submittedAt": iso(case.created_at),
        "data": case.data,
        "decision": (
            {
                "outcome": decision.action,
                "by": decision.actor.id,
                "at": iso(decision.at),
                "message": decision.details.get("message", ""),
            }
            if decision
            else None
        ),
    }


def round_decisions(case: Case) -> list[HistoryEntry]:
    """The decisions of the case's last round of its route (since it was last submitted), in order."""
    found: list[HistoryEntry] = []
    for entry in reversed(case.history):
        if entry.action in ("submitted", "resubmitted"):
            break
        if entry.action in ("step_approved", *_DECISIONS):
            found.append(entry)
    return found[::-1]


def fingerprint(case: Case) -> str:
    text = json.dumps(canonical(case), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
