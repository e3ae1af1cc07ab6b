"""Pay runs' rules (docs/records.md §5) with an in-memory store: who may see an organisation's, which period
may be opened, one batch per period, each pending case taken once, a file made from the sealed batch alone."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from eforms.core.cases.model import Person
from eforms.core.common.errors import Conflict, NotFound, ValidationFailed
from eforms.core.desk.service_levels import Registration
from eforms.core.identity.caller import caller_from_claims
from eforms.core.organisations.registry import Centre, Organisation, Registry
from eforms.core.payroll import pay_runs
from eforms.core.payroll.paxml import FileHeader
from eforms.core.payroll.pay_runs import CUTTING, READY, SEALED, Batch, FileFacts, Pending, Waiting
from tests.support.cases import case_at_payroll
from tests.support.paxml import problems

NOW = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
VACATION = {
    "item": "leave.vacation",
    "kind": "time",
    "code": "SEM",
    "from": "2026-12-21",
    "to": "2026-12-30",
    "extent": 100,
}


def _organisation(organisation_id: str, team: str) -> Organisation:
    return Organisation(
        organisation_id=organisation_id,
        names={"sv": organisation_id.title()},
        country="SE",
        languages=("sv",),
        provider={},
        email_domains=(),
        bankid=False,
        forms={},
        cut_off_day=None,
        cut_off_dates=(),
        payroll_team=team,
        contact={},
        organisation_number="212000-2452",
    )


REGISTRY = Registry(
    Centre({"sv": "Lönecentrum"}, {"team-north": {}, "team-south": {}}, "sundsvik"),
    {"sundsvik": _organisation("sundsvik", "team-north"), "norrby": _organisation("norrby", "team-south")},
)
SUNDSVIK = REGISTRY.organisations["sundsvik"]


def _caller(roles: str = "[payroll]", teams: str = "[team-north]") -> Any:
    return caller_from_claims({"sub": "pia", "name": "Pia Nilsson", "roles": roles, "teams": teams})


def _pending(case: str, period: str = "2026-12") -> Pending:
    return Pending("sundsvik", period, case, f"LC-2026-{case}", "E1001", (VACATION,))


class FakeStore:
    """The table's pay-run partition in memory, with the same conditions as DynamoDB's."""

    def __init__(self, *pending: Pending) -> None:
        self.pending_items = {(p.organisation, p.pay_period, p.case_id): p for p in pending}
        self.kept: dict[tuple[str, str], Batch] = {}
        self.lines_of: dict[tuple[str, str], dict[str, Pending]] = {}

    def batch(self, organisation: str, period: str) -> Batch | None:
        return self.kept.get((organisation, period))

    def batches_of(self, organisation: str) -> list[Batch]:
        return sorted((b for (o, _), b in self.kept.items() if o == organisation), key=lambda b: b.pay_period)

    def batches(self, organisation: str, *, limit: int, cursor: Any) -> tuple[list[Batch], Any]:
        return self.batches_of(organisation)[::-1][:limit], None

    def open(self, batch: Batch) -> bool:
        key = (batch.organisation, batch.pay_period)
        if key in self.kept:
            return False
        self.kept[key] = batch
        return True

    def waiting(self, organisation: str) -> Waiting:
        found = [p for (o, _, _), p in self.pending_items.items() if o == organisation]
        return Waiting(len(found), tuple(sorted({p.pay_period for p in found})))

    def pending(self, organisation: str, up_to: str) -> Iterator[list[Pending]]:
        found = sorted(
            (p for (o, period, _), p in self.pending_items.items() if o == organisation and period <= up_to),
            key=lambda p: (p.pay_period, p.case_id),
        )
        if found:
            yield found

    def claim(self, organisation: str, period: str, taken: list[Pending]) -> bool:
        for one in taken:
            if self.kept[(organisation, period)].state != CUTTING:
                return False
            if self.pending_items.pop((organisation, one.pay_period, one.case_id), None) is not None:
                self.lines_of.setdefault((organisation, period), {})[one.case_id] = one
        return True

    def _advance(self, organisation: str, period: str, before: str, **changes: Any) -> None:
        batch = self.kept[(organisation, period)]
        if batch.state == before:
            self.kept[(organisation, period)] = dataclasses.replace(batch, **changes)

    def seal(self, organisation: str, period: str, header: FileHeader) -> None:
        self._advance(organisation, period, CUTTING, state=SEALED, header=header)

    def lines(self, organisation: str, period: str) -> list[Pending]:
        found = self.lines_of.get((organisation, period), {})
        return [found[k] for k in sorted(found)]

    def finish(self, organisation: str, period: str, facts: FileFacts) -> None:
        self._advance(organisation, period, SEALED, state=READY, file=facts)


class Sent(list[tuple[str, str]]):
    def send(self, organisation: str, period: str) -> None:
        self.append((organisation, period))


class Files(dict[str, bytes]):
    def keep(self, key: str, body: bytes, *, until: Any, years: int) -> str:
        assert until.year >= int(key.rsplit("/", 1)[1][:4]) + years  # through the 7th year after its year
        self.setdefault(key, body)
        return "v1"


def test_only_the_organisations_payroll_team_finds_it() -> None:
    assert pay_runs.organisation_for(_caller(), REGISTRY, "sundsvik") is SUNDSVIK
    for caller, wanted in (
        (_caller(teams="[team-south]"), "sundsvik"),  # another team's customer
        (_caller(roles="[manager]"), "sundsvik"),  # not payroll
        (_caller(), "norrby"),
        (_caller(), "nowhere"),
        (_caller(), None),  # which organisation is never guessed
    ):
        with pytest.raises(NotFound):
            pay_runs.organisation_for(caller, REGISTRY, wanted)
    with pytest.raises(NotFound):
        pay_runs.organisation_for(_caller(), None, "sundsvik")  # a stack without organisations has no pay runs


def test_asking_opens_one_batch_and_asking_again_answers_it_and_sends_it_on_until_ready() -> None:
    store, sent = FakeStore(_pending("1")), Sent()
    batch, opened = pay_runs.request(store, sent, _caller(), SUNDSVIK, "2026-12", clock=lambda: NOW)
    assert opened
    assert (batch.state, batch.requested_by) == (CUTTING, Person("pia", "Pia Nilsson"))
    again, opened_again = pay_runs.request(store, sent, _caller(), SUNDSVIK, "2026-12", clock=lambda: NOW)
    assert (again, opened_again) == (batch, False)
    assert sent == [("sundsvik", "2026-12")] * 2  # a cut that stopped half way goes on
    pay_runs.cut(store, Files(), SUNDSVIK, "2026-12", lambda: NOW)
    pay_runs.request(store, sent, _caller(), SUNDSVIK, "2026-12", clock=lambda: NOW)
    assert len(sent) == 2  # ready: nothing more to do


@pytest.mark.parametrize(
    ("period", "refusal"),
    [("2027-02", ValidationFailed), ("2026-11", Conflict), ("2026-12", Conflict)],
    ids=["after next month", "before the newest batch", "nothing pending"],
)
def test_what_cannot_be_opened(period: str, refusal: type[Exception]) -> None:
    store = FakeStore(_pending("1", "2026-10"))
    store.open(Batch("sundsvik", "2026-12", READY, Person("pia", "Pia"), NOW))
    if period == "2026-12":
        store = FakeStore()
    with pytest.raises(refusal):
        pay_runs.request(store, Sent(), _caller(), SUNDSVIK, period, clock=lambda: NOW)


def test_a_cut_takes_its_period_and_earlier_and_leaves_later_ones_for_their_own() -> None:
    store = FakeStore(_pending("1", "2026-11"), _pending("2", "2026-12"), _pending("3", "2027-01"))
    files = Files()
    pay_runs.request(store, Sent(), _caller(), SUNDSVIK, "2026-12", clock=lambda: NOW)
    batch = pay_runs.cut(store, files, SUNDSVIK, "2026-12", lambda: NOW)
    assert batch is not None
    assert batch.state == READY
    assert batch.file is not None
    assert (batch.file.cases, batch.file.transactions) == (2, 2)
    assert [p.case_id for p in store.lines("sundsvik", "2026-12")] == ["1", "2"]
    assert store.waiting("sundsvik") == Waiting(1, ("2027-01",))
    body = files[pay_runs.file_key("sundsvik", "2026-12")]
    assert problems(body) == []
    assert pay_runs.made(store, batch)[0] == body  # made again: the same bytes
    assert pay_runs.cut(store, files, SUNDSVIK, "2026-12", lambda: NOW) == batch  # again: nothing changes


def test_a_sealed_batch_takes_nothing_more_and_a_later_case_waits_for_the_next() -> None:
    store = FakeStore(_pending("1"))
    pay_runs.request(store, Sent(), _caller(), SUNDSVIK, "2026-12", clock=lambda: NOW)
    store.seal("sundsvik", "2026-12", FileHeader("Sundsvik", "", NOW))  # another run sealed it first
    store.pending_items[("sundsvik", "2026-12", "2")] = _pending("2")
    batch = pay_runs.cut(store, Files(), SUNDSVIK, "2026-12", lambda: NOW)
    assert batch is not None
    assert batch.state == READY
    assert store.lines("sundsvik", "2026-12") == []
    assert store.waiting("sundsvik").cases == 2


def test_a_case_hands_over_what_was_confirmed_as_its_organisations_employee() -> None:
    case = case_at_payroll(subject=Person("sundsvik/E1001", "Lena Holm"), case_number="LC-2026-000042")
    assert pay_runs.pending_of(case, "sundsvik") is None  # nothing registered: nothing to hand over
    assert case.payroll is not None
    registration = Registration("HR-1", "2026-12", "", Person("pia", "Pia"), NOW, (VACATION,))
    registered = dataclasses.replace(case, payroll=dataclasses.replace(case.payroll, registration=registration))
    assert pay_runs.pending_of(registered, "sundsvik") == Pending(
        "sundsvik", "2026-12", case.case_id, "LC-2026-000042", "E1001", (VACATION,)
    )  # the employee's number as the organisation writes it: its payroll system's
    nothing = dataclasses.replace(registration, transactions=())
    confirmed_none = dataclasses.replace(case, payroll=dataclasses.replace(case.payroll, registration=nothing))
    assert pay_runs.pending_of(confirmed_none, "sundsvik") is None
