"""How many DynamoDB requests one page of every list and search costs, with 100,000 cases.

``python3 dev bench`` runs it (``--cases N`` for another size). A benchmark, not a test: it prints tables.

The table (moto, every resource from template.yaml) is filled the way the service writes cases: the real
``case_item`` of the DynamoDB adapter, so every key and sparse index holds what production writes. The mix
is a service centre's: 30 customer organisations served by 3 payroll teams (10 each; docs/organisations.md),
20,000 employees in teams of 50 (and one department of 1,000 under one manager),
most cases long finished at payroll, a tenth of those open, spread over 79 officers (Stockholm's payroll
team) and 16 forms; some decided without payroll, some waiting for the manager, some filed by the manager
on an employee's behalf. Each list and each filter of ``GET /cases``, ``GET /approvals`` and
``GET /desk/cases`` is paged through the real store and the real domain, counting Query requests per page,
items read and items returned (goal: every page complete in at most 2 requests).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import statistics
import sys
import time
import types
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
sys.path[:0] = [str(ROOT / "layers" / "shared"), str(ROOT)]

OFFICERS = [f"officer{n:02d}" for n in range(79)]
FORMS = [f"form-{n:02d}" for n in range(16)]
OPEN_SHARE = 0.10
PAGE = 25
GOAL_REQUESTS = 2


TEAM = 50
BIG_DEPARTMENT = 1_000  # employees e00000–e00999 all report to one manager
ORGANISATIONS = 30
PAYROLL_TEAMS = 3


def _organisation_of(employee: int) -> str:
    """Each team of 50 belongs to one of the 30 customers (the big department to the first)."""
    return f"org-{(0 if employee < BIG_DEPARTMENT else employee // TEAM) % ORGANISATIONS:02d}"


def _payroll_team_of(organisation: str) -> str:
    return f"team-{int(organisation[4:]) % PAYROLL_TEAMS}"


def _person_id(employee: int) -> str:
    """The service's id of an employee: their organisation's namespace, then the number (``org-07/e12345``)."""
    return f"{_organisation_of(employee)}/e{employee:05d}"


def _manager_of(employee: int) -> str:
    local = "m-big" if employee < BIG_DEPARTMENT else f"m{employee // TEAM:03d}"
    return f"{_organisation_of(employee)}/{local}"


def _cases(count: int) -> list[Any]:
    from eforms.core.cases.model import Case, Person, Status
    from eforms.core.desk.service_levels import receive
    from eforms.core.forms.routes import LEGACY

    rng = random.Random(8)  # noqa: S311 - a reproducible organisation, not a secret
    start = datetime(2025, 1, 1, 8, tzinfo=UTC)
    cases = []
    for n in range(count):
        created = start + timedelta(minutes=n * 8)
        number = rng.randrange(20_000)
        employee, manager = _person_id(number), _manager_of(number)
        organisation = _organisation_of(number)
        team = _payroll_team_of(organisation)
        applicant = Person(manager, manager) if rng.random() < 0.05 else Person(employee, employee)
        fate = rng.random()
        payroll, queue, approver, pdf_key = None, None, None, None
        if fate < 0.04:  # waiting for the manager's decision
            status, approver = Status.AWAITING_APPROVAL, Person(manager, manager)
        elif fate < 0.12:  # decided without payroll: rejected or withdrawn
            status = rng.choice((Status.REJECTED, Status.WITHDRAWN))
        else:
            queue, payroll = team, receive(created, rng.choice((1, 1, 1, 5)))
            pdf_key = f"cases/01BENCH{n:019d}/x.pdf" if rng.random() < 0.8 else None
            if rng.random() < OPEN_SHARE:
                status = rng.choices(
                    (Status.AT_PAYROLL, Status.AWAITING_COMPLETION, Status.REGISTERED), weights=(80, 8, 12)
                )[0]
                if rng.random() < 0.7:
                    officer = rng.choice(OFFICERS)
                    payroll = dataclasses.replace(payroll, assignee=Person(officer, officer))
            else:
                status = rng.choices((Status.COMPLETED, Status.CLOSED, Status.WITHDRAWN), weights=(94, 4, 2))[0]
        cases.append(
            Case(
                case_id=f"01BENCH{n:019d}",
                form_id=rng.choice(FORMS),
                form_version=1,
                route=LEGACY["manager-approval"],
                status=status,
                applicant=applicant,
                subject=Person(employee, employee),
                manager_id=manager,
                queue=queue,
                data={},
                language="sv",
                created_at=created,
                updated_at=created,
                expires_at=created + timedelta(days=3650),
                payroll=payroll,
                approver=approver,
                pdf_key=pdf_key,
                organisation_id=organisation,
                team=team,
            )
        )
    return cases


def _load(table: str, cases: list[Any]) -> float:
    import boto3

    from eforms.aws.case_items import case_item

    dynamodb = boto3.client("dynamodb")
    began = time.perf_counter()
    for first in range(0, len(cases), 25):
        batch = [{"PutRequest": {"Item": case_item(c)}} for c in cases[first : first + 25]]
        dynamodb.batch_write_item(RequestItems={table: batch})
    return time.perf_counter() - began


class _Counter:
    """Counts DynamoDB read requests (Query, GetItem, BatchGetItem) and the items read for them (a Query's
    ScannedCount, the items a get returns), at the botocore layer."""

    def __init__(self) -> None:
        self.requests = 0
        self.scanned = 0

    @classmethod
    def on(cls, dynamodb: Any) -> _Counter:
        counter = cls()
        for operation in ("Query", "GetItem", "BatchGetItem"):
            dynamodb.meta.events.register(f"after-call.dynamodb.{operation}", counter.after_call)
        return counter

    def after_call(self, http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name == "Query":
            self.requests += 1
            self.scanned += int(parsed.get("ScannedCount", 0))
        elif model.name == "GetItem":
            self.requests += 1
            self.scanned += int("Item" in parsed)
        elif model.name == "BatchGetItem":
            self.requests += 1
            self.scanned += sum(len(items) for items in parsed.get("Responses", {}).values())


def _walk(page_of: Any, counter: _Counter, *, max_pages: int = 5) -> dict[str, float]:
    """Page through a listing (its first ``max_pages`` pages: moto reads a whole index per Query, so more
    pages would time moto, not DynamoDB); per page: requests, items read, items returned."""
    requests, scanned, returned = [], [], []
    cursor = None
    for _ in range(max_pages):
        before = (counter.requests, counter.scanned)
        page = page_of(cursor)
        requests.append(counter.requests - before[0])
        scanned.append(counter.scanned - before[1])
        returned.append(len(page.items))
        cursor = page.cursor
        if cursor is None:
            break
    full = [r for r, more in zip(returned, [*([True] * (len(returned) - 1)), False], strict=True) if more]
    return {
        "pages": len(requests),
        "requests": statistics.mean(requests),
        "max_requests": max(requests),
        "read": statistics.mean(scanned),
        "returned": statistics.mean(returned),
        "short_pages": sum(1 for r in full if r < PAGE),
    }


_WORST = {"requests": 0, "short": 0}


SEARCH_TITLE = "\nFinding a case by what people know (GET /people, q= on the queue and a team's listing)\n"


def _print(rows: dict[str, tuple[str, Any]], counter: _Counter, title: str = "") -> None:
    if title:
        print(title)
    print("| list or filter | served by | pages | requests per page (max) | items read per page | items per page |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, (served, page_of) in rows.items():
        figures = _walk(page_of, counter)
        _WORST["requests"] = max(_WORST["requests"], int(figures["max_requests"]))
        _WORST["short"] += int(figures["short_pages"])
        mark = "" if figures["max_requests"] <= GOAL_REQUESTS and not figures["short_pages"] else " MISSES"
        print(
            f"| {label} | {served} | {figures['pages']:.0f} | {figures['requests']:.1f} ({figures['max_requests']})"
            f"{mark} | {figures['read']:.0f} | {figures['returned']:.1f} |"
        )


def _moto_credentials() -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "eu-north-1",
    }.items():
        os.environ[name] = value


def _desk_rows(store: Any, officer: str, employee: str, team: str) -> dict[str, tuple[str, Any]]:
    """Each filter of ``GET /desk/cases`` in one team's queue (its 10 customers), paged through the store."""
    from eforms.core.cases.model import DeskQuery, Status

    organisation = f"org-{int(team[5:]) + PAYROLL_TEAMS:02d}"  # one of the team's customers
    awaiting = Status.AWAITING_COMPLETION
    desk = {
        "none (the team's open cases, 10 customers)": ("ByDesk key", DeskQuery(team=team, limit=PAGE)),
        f"organisation={organisation}": (
            "ByDeskOrg key",
            DeskQuery(team=team, organisation_id=organisation, limit=PAGE),
        ),
        "status=awaiting_completion": ("ByDeskStatus key", DeskQuery(team=team, status=awaiting, limit=PAGE)),
        "status=completed": ("ByDeskStatus key", DeskQuery(team=team, status=Status.COMPLETED, limit=PAGE)),
        "formId=form-03": ("ByDeskForm key", DeskQuery(team=team, form_id="form-03", limit=PAGE)),
        "assignee=me": ("ByAssignee key", DeskQuery(team=team, assignee_id=officer, limit=PAGE)),
        "employee=…": ("BySubject key + queue filter", DeskQuery(team=team, subject_id=employee, limit=PAGE)),
        f"organisation={organisation} & status=awaiting_completion": (
            "ByDeskOrg key + status filter",
            DeskQuery(team=team, organisation_id=organisation, status=awaiting, limit=PAGE),
        ),
        "status=awaiting_completion & formId=form-03": (
            "ByDeskStatus key + form filter",
            DeskQuery(team=team, status=awaiting, form_id="form-03", limit=PAGE),
        ),
    }
    return {
        label: (served, lambda cursor, q=query: store.desk_queue(dataclasses.replace(q, cursor=cursor)))
        for label, (served, query) in desk.items()
    }


GIVEN = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Per", "Sara", "Mohammed", "Åsa", "Jens"]
FAMILY = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Öberg", "Lind", "Holm", "Berg", "Ali"]


def _people(table: str, count: int = 20_000) -> float:
    """The directory of the bench's organisation: ``count`` employees with names (and their names' words,
    as the import writes them), every tenth with a personnummer hash."""
    from eforms.aws.dynamo_directory import DynamoDirectory
    from eforms.core.identity.directory import Employee

    rng = random.Random(9)  # noqa: S311 - a reproducible organisation, not a secret
    people = [
        Employee(
            _person_id(n),
            f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
            f"e{n:05d}@example.se",
            manager_id=_manager_of(n),
            personnummer_hash=f"hash-{n:05d}" if n % 10 == 0 else None,
        )
        for n in range(count)
    ]
    began = time.perf_counter()
    DynamoDirectory(table).put_all(people)
    return time.perf_counter() - began


@dataclasses.dataclass(frozen=True)
class _Hasher:
    """The personnummer's keyed hash, standing in for KMS: the number typed is that of ``person``."""

    person: int

    def digest(self, personnummer: str) -> str:
        return f"hash-{self.person:05d}"


def _search_rows(
    refs: dict[str, str], store: Any, cases: list[Any], *, payroll: Any, manager: Any
) -> dict[str, tuple[str, Any]]:
    """``q``: a case number (the number's pointer, then the case), a personnummer (the directory's hash
    index, then the person's partition), a name (the names' word index, then the rows it names)."""
    from eforms.aws.dynamo_directory import DynamoDirectory
    from eforms.core.cases import search
    from eforms.core.cases.model import DeskQuery, Filters, Page
    from eforms.core.desk.queue import work_queue

    directory = DynamoDirectory(refs["DirectoryTable"])
    numbered = next(c for c in cases if c.queue == payroll.queues[0])  # a case of the officer's own team
    number = f"LC-2026-{int(numbered.case_id[-4:], 36) % 999_999:06d}"
    client_put = __import__("boto3").client("dynamodb")
    client_put.put_item(
        TableName=refs["CasesTable"],
        Item={"pk": {"S": f"NUMBER#{number}"}, "sk": {"S": "CASE"}, "caseId": {"S": numbered.case_id}},
    )
    today = date(2026, 11, 23)

    member = next(n for n in range(0, 20_000, 10) if _manager_of(n) == manager.id)  # has a personnummer

    def found(caller: Any, text: str, listing: Any, person: int = 120) -> Any:
        return lambda cursor: search.run(
            text,
            store=store,
            directory=directory,
            hasher=_Hasher(person),
            caller=caller,
            today=today,
            listing=lambda subject: listing(subject, cursor),
        )

    def desk(subject: str, cursor: Any) -> Page:
        query = DeskQuery(team=payroll.queues[0], subject_id=subject, limit=PAGE, cursor=cursor)
        return work_queue(store, payroll, query)

    def team(subject: str, cursor: Any) -> Page:
        page: Page = store.list("team", manager.id, filters=Filters(subject_id=subject), limit=PAGE, cursor=cursor)
        return page

    def people(text: str) -> Any:
        served = frozenset(payroll.serves)  # the team's customers' people only
        return lambda cursor: types.SimpleNamespace(
            items=directory.search(text, limit=10, organisations=served), cursor=None
        )

    typed = "19850314-2385"
    return {
        "desk, q=case number": ("the number's pointer, then the case", found(payroll, number, desk)),
        "desk, q=personnummer": ("ByPersonnummer key, then BySubject key", found(payroll, typed, desk)),
        "team, q=personnummer": (
            "ByPersonnummer key, then ByManagerSubject key",
            found(manager, typed, team, person=member),
        ),
        "people, q=ann (20,000 employees; a team's customers')": ("ByNameWord key, then the rows", people("ann")),
        "people, q=anna öberg": ("ByNameWord key, then the rows", people("anna öberg")),
        "people, q=mohammed ali": ("ByNameWord key, then the rows", people("mohammed ali")),
    }


def _listing_rows(
    store: Any,
    *,
    employee_caller: Any,
    team_caller: Any,
    big_caller: Any,
    payroll_caller: Any,
    member: str,
    big_member: str,
) -> dict[str, tuple[str, Any]]:
    """Each list and filter of ``GET /cases``, paged through the real domain and store."""
    from eforms.core.cases.listing import list_cases, parse_query

    employee = employee_caller.id

    def listing(caller: Any, query: str) -> Any:
        params = dict(part.split("=", 1) for part in query.split("&")) if query else {}
        parsed = parse_query({**params, "limit": str(PAGE)})
        return lambda cursor: list_cases(store, caller, dataclasses.replace(parsed, cursor=cursor))

    rows: dict[str, tuple[str, Any]] = {
        "my cases": ("BySubject key", listing(employee_caller, "")),
        "my cases, status=completed": (
            "BySubject key + filter (one person's)",
            listing(employee_caller, "status=completed"),
        ),
        "filed on behalf (a manager)": ("ByFiler key", listing(team_caller, "scope=filed")),
        "team (a manager of 50)": ("ByManager key", listing(team_caller, "scope=team")),
        "team, employee=…": ("ByManagerSubject key", listing(team_caller, f"scope=team&employee={member}")),
        "team, formId=form-03": ("ByManager key + filter", listing(team_caller, "scope=team&formId=form-03")),
        "team, signed=true, one month": (
            "ByManager key, period in key + filter",
            listing(team_caller, "scope=team&signed=true&from=2025-06-01&to=2025-06-30"),
        ),
        "team, status=awaiting_approval": (
            "ByManager key + filter",
            listing(team_caller, "scope=team&status=awaiting_approval"),
        ),
        "big department, employee=…": (
            "ByManagerSubject key",
            listing(big_caller, f"scope=team&employee={big_member}"),
        ),
        "big department, formId=form-03 & signed": (
            "ByManager key + filter",
            listing(big_caller, "scope=team&formId=form-03&signed=true"),
        ),
        "payroll queue": ("ByQueue key", listing(payroll_caller, "scope=payroll")),
        "payroll, employee=…": (
            "BySubject key + queue filter",
            listing(payroll_caller, f"scope=payroll&employee={employee}"),
        ),
        "payroll, formId=form-03": ("ByQueueForm key", listing(payroll_caller, "scope=payroll&formId=form-03")),
        "payroll, status=awaiting_completion": (
            "ByQueueStatus key",
            listing(payroll_caller, "scope=payroll&status=awaiting_completion"),
        ),
        "payroll, formId=form-03 & status=registered": (
            "ByQueueForm key + filter",
            listing(payroll_caller, "scope=payroll&formId=form-03&status=registered"),
        ),
    }
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()

    import boto3
    from moto import mock_aws

    from devstack.resources import provision
    from devstack.template import load
    from eforms.aws import clients
    from eforms.aws.case_store import DynamoCaseStore
    from eforms.core.approval.pending import pending_approvals
    from eforms.core.identity.caller import Caller
    from eforms.core.identity.directory import Employee
    from tests.support.fakes import FakeDirectory
    from tests.support.world import TEST_PARAMETERS

    _moto_credentials()
    with mock_aws():
        clients.reset()
        refs, _, _ = provision(load(), boto3.client, "bench", TEST_PARAMETERS)
        cases = _cases(args.cases)
        seconds = _load(refs["CasesTable"], cases) + _people(refs["DirectoryTable"])
        store = DynamoCaseStore(refs["CasesTable"])
        counter = _Counter.on(clients.client("dynamodb"))
        open_cases = [c for c in cases if c.status.value in ("at_payroll", "awaiting_completion", "registered")]
        officer = max(
            OFFICERS, key=lambda o: sum(1 for c in open_cases if c.payroll.assignee and c.payroll.assignee.id == o)
        )
        at_payroll = [c for c in cases if c.queue]
        employee = at_payroll[len(at_payroll) // 2].subject.id
        teams = {c.manager_id for c in cases}
        manager = _manager_of(100 * TEAM)
        in_team = [c for c in cases if c.manager_id == manager]
        in_big = [c for c in cases if c.manager_id == _manager_of(0)]
        member, big_member = in_team[0].subject.id, in_big[0].subject.id
        print(
            f"{args.cases:,} cases ({len(at_payroll):,} at payroll, {len(open_cases):,} of them open; "
            f"{len(teams)} managers: a team's cases {len(in_team):,}, the big department's {len(in_big):,}; "
            f"{ORGANISATIONS} organisations served by {PAYROLL_TEAMS} payroll teams), "
            f"loaded into moto in {seconds:.0f} s. Goal: every page complete in <= {GOAL_REQUESTS} requests.\n"
        )

        employee_caller = Caller(employee, "", "", frozenset({"employee"}))
        team_caller = Caller(manager, "", "", frozenset({"employee", "manager"}))
        big_caller = Caller(_manager_of(0), "", "", frozenset({"employee", "manager"}))
        team = _payroll_team_of(next(c.organisation_id for c in at_payroll if c.subject.id == employee))
        customers = [f"org-{n:02d}" for n in range(ORGANISATIONS)]
        served = frozenset(o for o in customers if _payroll_team_of(o) == team)
        roles = frozenset({"employee", "payroll"})
        payroll_caller = Caller(officer, "", "", roles, teams=frozenset({team}), serves=served)
        print("GET /cases and GET /approvals\n")
        rows = _listing_rows(
            store,
            employee_caller=employee_caller,
            team_caller=team_caller,
            big_caller=big_caller,
            payroll_caller=payroll_caller,
            member=member,
            big_member=big_member,
        )
        directory = FakeDirectory(Employee(_manager_of(0), "m-big", "m@example.se"))
        for who, caller in (("a manager", team_caller), ("the big department's manager", big_caller)):
            rows[f"approvals ({who})"] = (
                "ByApprover key (own, and team)",
                lambda cursor, c=caller: pending_approvals(
                    c, store=store, directory=directory, today=date(2026, 11, 23), limit=PAGE, cursor=cursor
                ),
            )
        _print(rows, counter)
        print("\nGET /desk/cases (payroll's work queue)\n")
        _print(_desk_rows(store, officer, employee, team), counter)
        _print(_search_rows(refs, store, cases, payroll=payroll_caller, manager=team_caller), counter, SEARCH_TITLE)
    from bench import goals

    goals.record(listing_requests_max=_WORST["requests"], listing_short_pages=_WORST["short"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
