"""The history's hash chain (docs/records.md §2): each entry chained to the one before from the case's
opening, and a verifier that names the first entry that does not hold."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from eforms.core.cases import chain
from eforms.core.cases.model import Case, Channel, HistoryEntry, Status
from eforms.core.identity.person import Person

AT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
ANNA, MARIA = Person("anna", "Anna Andersson"), Person("maria", "Maria Lind")


def _case(*entries: HistoryEntry) -> Case:
    return Case(
        case_id="01JEFORMSCHAIN00000000000",
        form_id="leave-application",
        form_version=1,
        route=(),
        status=Status.APPROVED,
        applicant=ANNA,
        subject=ANNA,
        manager_id="maria",
        queue=None,
        data={},
        language="sv",
        created_at=AT,
        updated_at=AT,
        expires_at=AT,
        history=list(entries),
    )


HISTORY = (
    HistoryEntry(AT, ANNA, "applicant", "submitted", Channel.API),
    HistoryEntry(AT + timedelta(minutes=5), MARIA, "manager", "returned", Channel.EMAIL_LINK, {"fields": ["/period"]}),
    HistoryEntry(AT + timedelta(hours=1), ANNA, "applicant", "resubmitted", Channel.API),
    HistoryEntry(AT + timedelta(hours=2), MARIA, "manager", "approved", Channel.EMAIL_LINK, {"message": "OK"}),
)


def _stored(case: Case) -> tuple[Case, list[str | None]]:
    links = chain.hashes(case)
    return dataclasses.replace(case, chain_head=links[-1]), list(links)


def test_a_history_as_written_holds_and_each_hash_depends_on_all_before_it() -> None:
    case, stored = _stored(_case(*HISTORY))
    verdict = chain.verify(case, stored, case.chain_head)
    assert verdict.holds
    assert verdict.entries == 4
    assert verdict.head == stored[-1]
    assert len(set(stored)) == 4
    assert all(len(h) == 64 for h in stored if h)
    # The same entries in another case (or the same case opened at another moment) chain differently.
    other = dataclasses.replace(case, case_id="01JEFORMSCHAIN00000000001")
    assert chain.hashes(other)[0] != stored[0]


def test_a_changed_entry_is_named_whatever_was_changed_in_it() -> None:
    case, stored = _stored(_case(*HISTORY))
    for change in (
        {"details": {"message": "OK, men bara halva"}},
        {"actor": Person("lars", "Lars Berg")},
        {"action": "rejected"},
        {"at": AT + timedelta(hours=3)},
    ):
        tampered = dataclasses.replace(case, history=[*HISTORY[:3], dataclasses.replace(HISTORY[3], **change)])
        verdict = chain.verify(tampered, stored, case.chain_head)
        assert (verdict.broken_at, verdict.holds) == (3, False), change
    earlier = dataclasses.replace(case, history=[HISTORY[0], dataclasses.replace(HISTORY[1], details={}), *HISTORY[2:]])
    assert chain.verify(earlier, stored, case.chain_head).broken_at == 1


def test_a_removed_or_reordered_entry_breaks_the_chain_where_it_was() -> None:
    case, stored = _stored(_case(*HISTORY))
    removed = dataclasses.replace(case, history=[HISTORY[0], *HISTORY[2:]])
    assert chain.verify(removed, [stored[0], *stored[2:]], case.chain_head).broken_at == 1
    swapped = dataclasses.replace(case, history=[HISTORY[0], HISTORY[2], HISTORY[1], HISTORY[3]])
    assert chain.verify(swapped, [stored[0], stored[2], stored[1], stored[3]], case.chain_head).broken_at == 1


def test_a_rewritten_chain_still_disagrees_with_the_head_it_was_anchored_to() -> None:
    """Rewriting an entry and recomputing every hash after it holds in the table alone; the head sealed
    into the PDF and the locked record does not move with it."""
    case, _ = _stored(_case(*HISTORY))
    forged = dataclasses.replace(case, history=[*HISTORY[:3], dataclasses.replace(HISTORY[3], action="rejected")])
    rewritten = list(chain.hashes(forged))
    assert chain.verify(forged, rewritten, rewritten[-1]).holds  # the table agrees with itself …
    assert rewritten[-1] != case.chain_head  # … not with the anchored head
    verdict = chain.verify(forged, rewritten, case.chain_head)
    assert not verdict.holds
    assert "head" in verdict.reason


def test_entries_written_before_the_chain_are_counted_and_covered_once_it_begins() -> None:
    case, stored = _stored(_case(*HISTORY))
    legacy: list[str | None] = [None, None, stored[2], stored[3]]
    verdict = chain.verify(case, legacy, case.chain_head)
    assert verdict.holds
    assert verdict.before_chain == 2
    # A change to an unchained entry shows at the first chained one: the chain runs over it.
    changed = dataclasses.replace(case, history=[dataclasses.replace(HISTORY[0], action="approved"), *HISTORY[1:]])
    assert chain.verify(changed, legacy, case.chain_head).broken_at == 2
    assert chain.verify(case, [stored[0], None, stored[2], stored[3]], case.chain_head).broken_at == 1
