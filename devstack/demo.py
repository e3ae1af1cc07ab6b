"""Demo cases, so a first look at the local system shows a living service: one case in each state.

Filed through the running stack's own HTTP API as the demo personas (the same path a browser takes),
so every case has a real history, real emails in the mailbox and, once approved, a real signed PDF.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from datetime import date, timedelta
from http import HTTPStatus
from typing import Any

_WAIT_SECONDS = 30


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.tokens: dict[str, str] = {}

    def call(self, method: str, path: str, persona: str | None = None, body: Any = None) -> Any:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if persona:
            if persona not in self.tokens:
                self.tokens[persona] = self.call("POST", "/dev/token", body={"persona": persona})["token"]
            headers["Authorization"] = f"Bearer {self.tokens[persona]}"
        data = json.dumps(body).encode() if body is not None else None
        # The base is the stack's own http://127.0.0.1 URL, never user input.
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return json.loads(response.read() or b"null")

    def submit(self, persona: str, form_id: str, data: dict[str, Any]) -> str:
        case_id: str = self.call("POST", "/cases", persona, {"formId": form_id, "data": data})["caseId"]
        return case_id

    def wait(self, case_id: str, status: str, persona: str) -> dict[str, Any]:
        """The case as ``persona`` sees it once it has ``status`` (or after 30 s). A case the persona may not
        see yet (payroll, before the workflow hands it over) answers 404 until then."""
        deadline = time.monotonic() + _WAIT_SECONDS
        while True:
            try:
                case: dict[str, Any] = self.call("GET", f"/cases/{case_id}", persona)
            except urllib.error.HTTPError as error:
                if error.code != HTTPStatus.NOT_FOUND or time.monotonic() > deadline:
                    raise
                case = {"status": None}
            if case["status"] == status or time.monotonic() > deadline:
                return case
            time.sleep(0.1)

    def desk(self, case_id: str, action: str, persona: str, body: dict[str, Any]) -> dict[str, Any]:
        """A payroll desk action (or the sender's) on the case as it is now."""
        case = self.call("GET", f"/cases/{case_id}", persona)
        result: dict[str, Any] = self.call(
            "POST", f"/cases/{case_id}/{action}", persona, {**body, "version": case["version"]}
        )
        return result

    def decide(self, case_id: str, body: dict[str, Any]) -> None:
        case = self.wait(case_id, "awaiting_approval", "maria")
        self.call("POST", f"/cases/{case_id}/decision", "maria", {**body, "version": case["version"]})


def _leave(start_in: int, days: int, kind: str = "semester") -> dict[str, Any]:
    start = date.today() + timedelta(days=start_in)
    return {
        "leaveType": kind,
        "period": {"from": start.isoformat(), "to": (start + timedelta(days=days)).isoformat()},
        "extentPercent": 100,
    }


def _support(heading: str, message: str, category: str = "lon-utbetalning") -> dict[str, Any]:
    return {"category": category, "heading": heading, "message": message}


def seed_demo(base: str) -> int:
    """File the demo cases — one in each state of the approval and of the payroll desk; returns how many."""
    api = Client(base)
    waiting = api.submit("erik", "leave-application", _leave(30, 4))  # waits for Maria
    approved = api.submit("anna", "leave-application", _leave(40, 9))
    returned = api.submit("aslak", "leave-application", _leave(20, 2))
    rejected = api.submit("erik", "leave-application", {**_leave(3, 1, "tjanstledighet"), "reason": "Flytt."})
    certificate = api.submit(
        "anna",
        "certificate-request",
        {
            "certificateType": "tjanstgoringsintyg",
            "personnummer": "19850314-2385",  # her own: the form checks it against the directory
            "employmentPeriod": {"from": "2019-03-01"},
            "delivery": "digital",
        },
    )
    # The payroll desk: new, claimed with a question, waiting for completion, registered, completed, closed.
    new = api.submit("erik", "payroll-support", _support("Fel OB-tillägg", "OB för 14 november saknas."))
    asked = api.submit("aslak", "payroll-support", _support("Tax table", "Which tax table do I have?", "skatt"))
    completing = api.submit("anna", "payroll-support", _support("Semesterersättning", "Stämmer min ersättning?"))
    account = _support("Ändrat kontonummer", "Nytt konto från december.", "anstallningsuppgifter")
    registered = api.submit("erik", "payroll-support", account)
    completed = api.submit("anna", "payroll-support", _support("Jämkning", "Jag har fått jämkning för 2027.", "skatt"))
    parking = _support("Parking permit", "How do I get a parking permit?", "ovrigt")
    closed = api.submit("aslak", "payroll-support", parking)
    api.decide(approved, {"decision": "approve", "message": "Trevlig semester!"})
    api.decide(returned, {"decision": "return", "message": "Please check the dates.", "fields": ["/period"]})
    api.decide(rejected, {"decision": "reject", "message": "Vi behöver dig den veckan, tyvärr."})
    for case_id in (new, asked, completing, registered, completed, closed):
        api.wait(case_id, "at_payroll", "pia")
    api.desk(asked, "claim", "pia", {})
    api.call("POST", f"/cases/{asked}/messages", "pia", {"text": "Which month's payslip do you mean?"})
    api.desk(
        completing,
        "completion-request",
        "per",
        {"message": "Ange vilken löneperiod det gäller.", "fields": ["/payPeriod"]},
    )
    api.desk(registered, "claim", "per", {})
    api.desk(registered, "registration", "per", {"reference": "KONTO-2026-114", "payPeriod": _next_period()})
    api.desk(completed, "registration", "pia", {"reference": "JAMK-2027-0042", "payPeriod": _next_period()})
    api.desk(completed, "registration/check", "per", {"outcome": "approve"})
    api.desk(
        closed,
        "closure",
        "pia",
        {"outcome": "dismissed", "message": "Parking permits are handled by Facilities (lokalförvaltningen)."},
    )
    api.wait(approved, "at_payroll", "anna")
    api.wait(certificate, "at_payroll", "anna")
    cases = {waiting, approved, returned, rejected, certificate, new, asked, completing, registered, completed, closed}
    return len(cases) + _customers(api)


def _customers(api: Client) -> int:
    """The customers' own cases, worked by the teams that serve them: so each organisation has a desk, a
    queue and follow-up figures of its own from the first look (docs/organisations.md)."""
    sundsvik = api.submit("lena", "payroll-support", _support("Fel semesterlön", "Semesterlönen för juli saknas."))
    omar = api.submit("omar", "payroll-support", _support("Tax table", "Which tax table do I have?", "skatt"))
    norrby = api.submit("nils", "payroll-support", _support("Fel OB-tillägg", "OB för helgen saknas."))
    skovby = api.submit("henrik", "death-dk", _death())
    for case_id, officer in ((sundsvik, "pia"), (omar, "pia"), (norrby, "siv"), (skovby, "mads")):
        api.wait(case_id, "at_payroll", officer)
    api.call("POST", f"/cases/{sundsvik}/messages", "pia", {"text": "Vi rättar det i nästa lönekörning."})
    api.desk(sundsvik, "registration", "pia", {"reference": "SV-2026-001", "payPeriod": _next_period()})
    api.desk(sundsvik, "registration/check", "per", {"outcome": "approve"})
    api.desk(norrby, "claim", "siv", {})
    api.call("POST", f"/cases/{norrby}/messages", "siv", {"text": "Vilket datum gäller det?"})
    api.desk(skovby, "registration", "mads", {"reference": "DK-2026-001", "payPeriod": _next_period()})
    return 4


def _death() -> dict[str, Any]:
    """The school's leader reports an employee's death (Freja's number at the school: E1001)."""
    return {
        "employee": {"employeeId": "E1001", "name": "Freja Kjær"},
        "dateOfDeath": (date.today() - timedelta(days=5)).isoformat(),
        "survivors": [{"name": "Lise Kjær", "relation": "aegtefaelle", "cpr": "310375-4128", "address": "Vej 1"}],
        "payAfterDeath": {"months": 3, "paidTo": "efterladte"},
        "holiday": {"currentYear": 4.5, "previousYear": 0},
    }


def _next_period() -> str:
    today = date.today()
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return f"{year:04d}-{month:02d}"
