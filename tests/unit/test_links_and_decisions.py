from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eforms.core.approval.decisions import DecisionRequest, decide, parse_decision
from eforms.core.approval.links import DecisionLink, LinkProblem, check, hash_token, new_token, well_formed
from eforms.core.approval.resubmission import resubmit
from eforms.core.cases.model import Case, Channel, Correction, Person, Status
from eforms.core.common.errors import Conflict, ValidationFailed
from eforms.core.forms.catalogue import Catalogue
from eforms.core.forms.routes import LEGACY
from tests.support.samples import LEAVE
from tests.unit.test_catalogue import SCHEMAS

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
FORM = Catalogue(SCHEMAS).get("leave-application")
MARIA = Person("maria", "Maria Lind")


def test_tokens_are_long_random_and_stored_only_as_hashes() -> None:
    tokens = {new_token()[0] for _ in range(1000)}
    assert len(tokens) == 1000
    token, digest = new_token()
    assert well_formed(token)
    assert len(token) == 43  # 32 bytes = 256 bits, URL-safe base64
    assert digest == hash_token(token) != token
    assert not well_formed(token[:-1])
    assert not well_formed(token + "A")


def _link(**changes: object) -> DecisionLink:
    base = {
        "link_hash": "h",
        "case_id": "c",
        "approver_id": "maria",
        "case_version": 2,
        "valid_until": NOW + timedelta(days=14),
    }
    base.update(changes)
    return DecisionLink(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("link", "current_hash", "version", "awaiting", "now", "problem"),
    [
        (None, "h", 2, True, NOW, "unknown"),
        (_link(used_at=NOW), "h", 2, True, NOW, "used"),
        (_link(used_at=NOW), "h", 2, True, NOW + timedelta(days=30), "used"),  # used wins over expired
        (_link(), "newer", 3, True, NOW, "superseded"),
        (_link(), "h", 3, True, NOW, "superseded"),
        (_link(), "h", 2, False, NOW, "superseded"),
        (_link(), "h", 2, True, NOW + timedelta(days=14), "expired"),
    ],
)
def test_link_problems(
    link: DecisionLink | None, current_hash: str, version: int, awaiting: bool, now: datetime, problem: str
) -> None:
    with pytest.raises(LinkProblem) as raised:
        check(link, current_hash=current_hash, current_version=version, awaiting=awaiting, now=now)
    assert raised.value.kind == problem


def test_a_current_link_passes() -> None:
    assert check(_link(), current_hash="h", current_version=2, awaiting=True, now=NOW).approver_id == "maria"


def _case(status: Status = Status.AWAITING_APPROVAL, correction: Correction | None = None) -> Case:
    return Case(
        case_id="01JZZZZZZZZZZZZZZZZZZZZZZZ",
        form_id="leave-application",
        form_version=1,
        route=LEGACY["manager-approval"],
        status=status,
        applicant=Person("anna", "Anna"),
        subject=Person("anna", "Anna"),
        manager_id="maria",
        queue=None,
        data=dict(LEAVE),
        language="sv",
        created_at=NOW,
        updated_at=NOW,
        expires_at=NOW,
        version=2,
        approver=MARIA,
        link_hash="h",
        task_token="t",
        correction=correction,
    )


def test_a_return_opens_the_chosen_fields_and_clears_the_approver() -> None:
    request = parse_decision(
        {"decision": "return", "fields": ["/period", "/period"], "message": " Ändra datumen. "}, FORM
    )
    assert request == DecisionRequest("return", "Ändra datumen.", ("/period",))
    returned, entry = decide(_case(), request, actor=MARIA, channel=Channel.EMAIL_LINK, now=NOW)
    assert (returned.status, returned.version, returned.approver, returned.link_hash) == (
        Status.RETURNED,
        3,
        None,
        None,
    )
    assert returned.correction == Correction(("/period",), "Ändra datumen.", MARIA)
    assert (entry.action, entry.details) == (
        "returned",
        {"step": 0, "message": "Ändra datumen.", "fields": ["/period"]},
    )


def test_decisions_need_a_case_that_waits_and_the_version_seen() -> None:
    with pytest.raises(Conflict):
        decide(_case(Status.APPROVED), DecisionRequest("approve"), actor=MARIA, channel=Channel.API, now=NOW)
    with pytest.raises(Conflict):
        decide(_case(), DecisionRequest("approve", version=1), actor=MARIA, channel=Channel.API, now=NOW)


def test_decision_messages_are_checked_for_hostile_text() -> None:
    with pytest.raises(ValidationFailed) as raised:
        parse_decision({"decision": "reject", "message": "nej\x00"}, FORM)
    assert [(e.pointer, e.code) for e in raised.value.errors] == [("/message", "control_characters")]


def test_resubmission_changes_only_open_fields_and_validates_the_whole() -> None:
    case = _case(Status.RETURNED, Correction(("/period",), "Ändra", MARIA))
    fixed = {**LEAVE, "period": {"from": "2027-01-04", "to": "2027-01-08"}}
    corrected, entry = resubmit(case, fixed, 2, form=FORM, actor=Person("anna", "Anna"), now=NOW)
    assert (corrected.status, corrected.correction, corrected.version) == (Status.SUBMITTED, None, 3)
    # The old value stays with the case, so the next approver sees old → new.
    assert entry.details == {"changedFields": ["/period"], "previous": {"period": LEAVE["period"]}}
    with pytest.raises(ValidationFailed) as raised:
        resubmit(case, {**fixed, "leaveType": "annan"}, 2, form=FORM, actor=Person("anna", "Anna"), now=NOW)
    assert [(e.pointer, e.code) for e in raised.value.errors] == [("/data/leaveType", "field_locked")]
    with pytest.raises(ValidationFailed) as raised:
        resubmit(
            case,
            {k: v for k, v in fixed.items() if k != "extentPercent"},
            2,
            form=FORM,
            actor=Person("anna", "Anna"),
            now=NOW,
        )
    assert [(e.pointer, e.code) for e in raised.value.errors] == [
        ("/data/extentPercent", "field_locked")
    ]  # removing counts
