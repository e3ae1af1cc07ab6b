"""Requests at once, as a web client and several people send them: every answer belongs to its own request and
caller. The local stack runs every function in one process; before each invocation waited its turn, a payroll
officer's JSON claim came back 415 "must be application/json" and a desk action answered 500 with another
request's case (docs/testing.md, "Several at once")."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest

from tests.e2e.conftest import Http
from tests.support.samples import LEAVE, SUPPORT

pytestmark = pytest.mark.e2e

#: At least 200 (issue 25); more than the front's threads at once, mixed over six functions and seven people.
REQUESTS = 240
AT_ONCE = 64
OWNERS = ("anna", "erik", "aslak")
#: One broken field per variant, so a 422 names the request it answers.
BROKEN = {
    "/data/period/to": {**LEAVE, "period": {"from": "2026-12-30", "to": "2026-12-01"}},
    "/data/leaveType": {k: v for k, v in LEAVE.items() if k != "leaveType"},
    "/data/extentPercent": {**LEAVE, "extentPercent": 1000},
}
LANGUAGES = ("sv", "en", "da")


@dataclass
class Sent:
    """One request and what its answer must be, whatever else runs at the same time."""

    name: str
    send: Callable[[], tuple[int, dict[str, str], bytes]]
    check: Callable[[int, dict[str, str], Any], None]


def _json(raw: bytes) -> Any:
    return json.loads(raw) if raw.startswith((b"{", b"[")) else raw.decode(errors="replace")


def _at_payroll(stack: Http, owner: str, token: str) -> tuple[str, int]:
    status, case = stack.json("POST", "/cases", token=token, payload={"formId": "payroll-support", "data": SUPPORT})
    assert status == 201, case
    deadline = time.monotonic() + 30  # the local stack's workflow runs in real time
    while time.monotonic() < deadline:
        status, case = stack.json("GET", f"/cases/{case['caseId']}", token=token)
        if case["status"] == "at_payroll":
            return str(case["caseId"]), int(case["version"])
        time.sleep(0.1)
    raise AssertionError(f"{owner}'s support case never reached payroll")


def _requests(stack: Http, tokens: dict[str, str], cases: dict[str, tuple[str, int]]) -> list[Sent]:
    chosen = random.Random(25)  # noqa: S311 - a fixed mix, the same every run
    sent: list[Sent] = []
    for index in range(REQUESTS):
        owner = OWNERS[index % len(OWNERS)]
        stranger = OWNERS[(index + 1) % len(OWNERS)]
        case_id, version = cases[owner]
        language = LANGUAGES[index % len(LANGUAGES)]
        kind = index % 8
        if kind == 0:
            sent.append(_own_case(stack, tokens[owner], owner, case_id))
        elif kind == 1:
            sent.append(_not_theirs(stack, tokens[stranger], case_id))
        elif kind == 2:
            sent.append(_catalogue(stack, tokens[chosen.choice(OWNERS)], language))
        elif kind == 3:
            pointer = list(BROKEN)[index % len(BROKEN)]
            sent.append(_refused_form(stack, tokens[owner], pointer, language))
        elif kind == 4:
            officer = "pia" if index % 2 else "per"
            sent.append(_claim(stack, tokens[officer], officer, case_id, version))
        elif kind == 5:
            sent.append(_queue(stack, tokens["pia" if index % 2 else "per"]))
        elif kind == 6:
            sent.append(_my_cases(stack, tokens[owner], owner))
        else:
            sent.append(_decision_page(stack))
    chosen.shuffle(sent)
    return sent


def _auth(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}


def _own_case(stack: Http, token: str, owner: str, case_id: str) -> Sent:
    def check(status: int, _: dict[str, str], body: Any) -> None:
        assert (status, body["caseId"], body["viewerId"]) == (200, case_id, owner)

    return Sent("own case", lambda: stack.request("GET", f"/cases/{case_id}", headers=_auth(token)), check)


def _not_theirs(stack: Http, token: str, case_id: str) -> Sent:
    def check(status: int, _: dict[str, str], body: Any) -> None:
        assert (status, body["code"]) == (404, "case_not_found")

    return Sent("another's case", lambda: stack.request("GET", f"/cases/{case_id}", headers=_auth(token)), check)


def _catalogue(stack: Http, token: str, language: str) -> Sent:
    def check(status: int, headers: dict[str, str], body: Any) -> None:
        assert (status, headers.get("content-language")) == (200, language)
        assert body["forms"]

    headers = _auth(token, **{"Accept-Language": language})
    return Sent("catalogue", lambda: stack.request("GET", "/forms", headers=headers), check)


def _refused_form(stack: Http, token: str, pointer: str, language: str) -> Sent:
    body = json.dumps({"formId": "leave-application", "data": BROKEN[pointer]}).encode()
    headers = _auth(token, **{"Content-Type": "application/json", "Accept-Language": language})

    def check(status: int, answer_headers: dict[str, str], problem: Any) -> None:
        assert (status, answer_headers.get("content-language")) == (422, language), problem
        assert [e["pointer"] for e in problem["errors"]] == [pointer]

    return Sent("refused form", lambda: stack.request("POST", "/cases", body=body, headers=headers), check)


def _claim(stack: Http, token: str, officer: str, case_id: str, version: int) -> Sent:
    body = json.dumps({"version": version}).encode()
    headers = _auth(token, **{"Content-Type": "application/json"})

    def check(status: int, _: dict[str, str], answer: Any) -> None:
        # The first claim of a case takes it; every later one is stale (409). Never "not JSON", never a 500.
        assert status in (200, 409), answer
        if status == 200:
            assert (answer["caseId"], answer["payroll"]["assignee"]["id"]) == (case_id, officer)
        else:
            assert answer["code"] == "case_changed", answer

    return Sent("claim", lambda: stack.request("POST", f"/cases/{case_id}/claim", body=body, headers=headers), check)


def _queue(stack: Http, token: str) -> Sent:
    def check(status: int, _: dict[str, str], body: Any) -> None:
        assert status == 200, body
        assert {item["formId"] for item in body["items"]} <= {"payroll-support"}

    path = "/desk/cases?formId=payroll-support"
    return Sent("desk queue", lambda: stack.request("GET", path, headers=_auth(token)), check)


def _my_cases(stack: Http, token: str, owner: str) -> Sent:
    def check(status: int, _: dict[str, str], body: Any) -> None:
        assert status == 200, body
        assert body["items"]
        # "Mine": the cases about them (one a manager filed for them too, if another test did), nobody else's.
        assert {item["subject"]["id"] for item in body["items"]} == {owner}

    return Sent("my cases", lambda: stack.request("GET", "/cases", headers=_auth(token)), check)


def _decision_page(stack: Http) -> Sent:
    def check(status: int, headers: dict[str, str], _: Any) -> None:
        assert status in (404, 410)
        assert headers["content-type"].startswith("text/html")

    return Sent("decision page", lambda: stack.request("GET", "/decisions/not-a-live-token"), check)


def test_every_answer_belongs_to_its_own_request_and_caller(stack: Http) -> None:
    tokens = {who: stack.token(who) for who in (*OWNERS, "pia", "per")}
    cases = {owner: _at_payroll(stack, owner, tokens[owner]) for owner in OWNERS}
    sent = _requests(stack, tokens, cases)

    def fire(request: Sent) -> tuple[Sent, int, dict[str, str], Any]:
        status, headers, raw = request.send()
        return request, status, headers, _json(raw)

    with ThreadPoolExecutor(AT_ONCE) as pool:
        answers = list(pool.map(fire, sent))
    wrong = []
    for request, status, headers, body in answers:
        try:
            request.check(status, headers, body)
        except (AssertionError, KeyError, TypeError) as mismatch:
            wrong.append(f"{request.name}: {status} {str(body)[:160]} ({mismatch})")
    assert wrong == [], f"{len(wrong)} of {len(answers)} answers were not their request's:\n" + "\n".join(wrong)
    claimed = [status for request, status, _, _ in answers if request.name == "claim"]
    assert claimed.count(200) == len(OWNERS)  # each case taken exactly once
