"""The follow-up figures counted from the case events (issue 28, slice 2; docs/statistics.md §2–3): the
consumer on the bus counts each contribution once, a redelivered event adds nothing, and a recount of every
case's history (``python3 dev rebuild-statistics``) finds the aggregates equal."""

from __future__ import annotations

import json
from typing import Any

from devstack import lambdas
from eforms.aws.case_store import DynamoCaseStore
from eforms.aws.statistics_store import DynamoStatisticsStore
from eforms.core.cases.events import SOURCE
from tests.support.flows import wait_for
from tests.support.samples import LEAVE, SUPPORT
from tests.support.world import Api, World


def _do(api: Api, case_id: str, action: str, as_: str, **body: Any) -> dict[str, Any]:
    case = api.call("GET", f"/cases/{case_id}", as_=as_).json()
    reply = api.call("POST", f"/cases/{case_id}/{action}", as_=as_, json_body={"version": case["version"], **body})
    assert reply.status == 200, reply.text
    result: dict[str, Any] = reply.json()
    return result


def _activity(api: Api) -> dict[str, str]:
    """A little of everything, through the real handlers: answered, registered, sent back, checked; a leave
    decided by Sundsvik's manager; a case still waiting."""
    anna = api.submit(SUPPORT, form="payroll-support").json()["caseId"]
    wait_for(api, anna, "at_payroll")
    said = api.call("POST", f"/cases/{anna}/messages", as_="pia", json_body={"text": "Vi tittar på det."})
    assert said.status == 201
    _do(api, anna, "registration", "pia", reference="HR-1", payPeriod="2026-12")
    _do(api, anna, "registration/check", "per", outcome="return", note="Fel period.")
    _do(api, anna, "registration", "pia", reference="HR-2", payPeriod="2027-01")
    _do(api, anna, "registration/check", "per", outcome="approve")
    lena = api.submit(LEAVE, as_="lena").json()["caseId"]
    case = wait_for(api, lena, "awaiting_approval", as_="lena")
    decided = api.call(
        "POST", f"/cases/{lena}/decision", as_="bo", json_body={"decision": "approve", "version": case["version"]}
    )
    assert decided.status == 200, decided.text
    waiting = api.submit(SUPPORT, form="payroll-support", as_="nils").json()["caseId"]
    wait_for(api, lena, "at_payroll", as_="lena")
    wait_for(api, waiting, "at_payroll", as_="nils")
    return {"anna": anna, "lena": lena, "nils": waiting}


def _aggregates(world: World) -> dict[tuple[str, str, str], dict[str, int]]:
    store = DynamoStatisticsStore(world.refs["StatisticsTable"])
    return {
        key: row
        for organisation in ("lonecentrum", "sundsvik", "norrby")
        for key, row in store.rows(organisation).items()
    }


def test_the_streamed_figures_equal_a_recount_of_the_histories_also_after_redelivery(api: Api, world: World) -> None:
    from ops.rebuild_statistics import rebuild

    ids = _activity(api)
    world.settle()
    streamed = _aggregates(world)
    month = next(iter(key[1] for key in streamed))
    anna = streamed[("lonecentrum", month, "all")]
    assert (anna["received"], anna["at_payroll"], anna["feedback"], anna["closed"]) == (1, 1, 1, 1)
    assert (anna["registrations"], anna["returns"]) == (2, 1)
    assert streamed[("lonecentrum", month, "officer#pia")]["returns"] == 1  # the deviation is Pia's
    assert streamed[("sundsvik", month, "all")]["received"] == 1
    assert streamed[("norrby", month, "all")]["at_payroll"] == 1

    # Every event delivered again: nothing is counted twice.
    store = DynamoCaseStore(world.refs["CasesTable"])
    events = [stored.event() for case_id in ids.values() for stored in store.stored_entries(case_id)]
    envelopes = [{"source": SOURCE, "detail-type": e.type, "detail": e.detail()} for e in events]
    assert len(envelopes) > 10
    records = [
        {"messageId": f"m{n}", "body": json.dumps(e), "attributes": {"ApproximateReceiveCount": "2"}}
        for n, e in enumerate(envelopes)
    ]
    function = world.template.function("StatisticsFunction")
    for first in range(0, len(records), 10):
        assert lambdas.invoke(function, {"Records": records[first : first + 10]}) == {"batchItemFailures": []}
    assert _aggregates(world) == streamed

    # The recount from every case's history writes exactly what the stream counted.
    cases, rows = rebuild(world.refs["CasesTable"], world.refs["StatisticsTable"])
    assert (cases, rows) == (3, len(streamed))
    assert _aggregates(world) == streamed


def test_each_reader_sees_the_figures_of_the_organisations_that_are_theirs(api: Api, world: World) -> None:
    """GET /statistics (docs/statistics.md §4): officers their teams' customers, the centre all, a customer's
    contact person their own without the officers' figures; anyone else 404, and a bad period a clear 400."""
    ids = _activity(api)
    world.settle()
    month = api.call("GET", f"/cases/{ids['anna']}").json()["createdAt"][:7]
    period = f"from={month}&to={month}"

    def read(persona: str | dict[str, Any], query: str) -> Any:
        return api.call("GET", "/statistics", as_=persona, query=query)

    own = read("pia", f"organisation=lonecentrum&{period}").json()
    assert own["total"]["fourEyesReturns"] == {"count": 1, "of": 2, "share": 0.5}
    assert own["total"]["feedbackInTime"]["of"] == 1
    assert [o["name"] for o in own["officers"]] == ["Pia Nilsson"]
    assert [f["title"] for f in own["forms"]] == ["Lönesupport"]
    assert read("pia", f"organisation=sundsvik&{period}").json()["total"]["received"] == 1
    assert read("siv", f"organisation=sundsvik&{period}").status == 404  # Sundsvik is team North's
    assert read("cecilia", f"organisation=norrby&{period}").json()["total"]["at_payroll"] == 1
    assert read("lena", f"organisation=sundsvik&{period}").status == 404  # an employee sees none
    contact = {
        "sub": "E9001",
        "name": "Kontakt",
        "email": "k@sundsvik.example.se",
        "roles": ["contact"],
        "org": "sundsvik",
    }
    theirs = read(contact, period).json()  # their own organisation by default
    assert theirs["organisation"]["id"] == "sundsvik"
    assert "officers" not in theirs  # the centre's internal follow-up
    assert read(contact, f"organisation=norrby&{period}").status == 404
    for query, parameter in (
        ("organisation=lonecentrum", "from"),
        (f"organisation=lonecentrum&from={month}&to=2020-01", "to"),
        ("organisation=lonecentrum&from=2024-01&to=2026-02", "to"),  # more than 24 months
        (f"organisation=lonecentrum&{period}&extra=1", "extra"),
    ):
        refused = read("pia", query)
        assert (refused.status, refused.json()["code"]) == (400, "invalid_query"), query
        assert refused.json()["params"] == {"parameter": parameter}, query


def test_the_figures_go_out_as_csv_and_excel_in_the_readers_language(api: Api, world: World) -> None:
    import base64
    import io

    from openpyxl import load_workbook

    ids = _activity(api)
    world.settle()
    month = api.call("GET", f"/cases/{ids['anna']}").json()["createdAt"][:7]
    query = f"organisation=lonecentrum&from={month}&to={month}"

    def body(reply: Any) -> bytes:
        return base64.b64decode(reply.text)

    csv = api.call("GET", "/statistics", as_="pia", query=f"{query}&format=csv")
    assert csv.headers["content-type"].startswith("text/csv")
    lines = body(csv).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Månad;Inkomna;Till Lönecentrum;Avslutade;Återkoppling i tid (%)")
    assert lines[-1].startswith("Hela perioden;1;1;1;100,0")
    english = api.call("GET", "/statistics", as_="pia", query=f"{query}&format=csv", headers={"accept-language": "en"})
    assert body(english).decode("utf-8-sig").splitlines()[-1].startswith("The whole period,1,1,1,100.0")
    xlsx = api.call("GET", "/statistics", as_="pia", query=f"{query}&format=xlsx")
    assert 'filename="statistics-lonecentrum-' in xlsx.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(body(xlsx))).active
    assert sheet is not None
    assert sheet["A2"].value == "Månad"
    assert sheet["B4"].value == 1  # received, the whole period
    refused = api.call("GET", "/statistics", as_="pia", query=f"{query}&format=pdf")
    assert (refused.status, refused.json()["params"]) == (400, {"parameter": "format"})


def test_a_sender_rates_a_finished_case_once_and_the_figures_count_it(api: Api, world: World) -> None:
    """Satisfaction (docs/statistics.md §1): the sender rates a finished case 1–5, once; 4 or 5 is satisfied;
    the comment stays in the case, as text. Anyone else gets 404, an open case 409, a second rating 409."""
    ids = _activity(api)
    anna, nils = ids["anna"], ids["nils"]
    case = api.call("GET", f"/cases/{anna}").json()
    assert "rate" in case["actions"]
    comment = "<b>Snabbt</b> och tydligt"

    def rate(persona: str, case_id: str, **body: Any) -> Any:
        version = api.call("GET", f"/cases/{case_id}", as_=persona).json().get("version", 1)
        return api.call("POST", f"/cases/{case_id}/rating", as_=persona, json_body={"version": version, **body})

    assert rate("pia", anna, score=1).status == 404  # not the sender's side
    bidi = rate("anna", anna, score=5, comment="fel \u202e text")
    assert bidi.status == 422
    rated = rate("anna", anna, score=5, comment=comment)
    assert rated.status == 200, rated.text
    entry = rated.json()["history"][-1]
    assert (entry["action"], entry["details"]) == ("rated", {"score": 5, "comment": comment})  # kept as text
    assert "rate" not in api.call("GET", f"/cases/{anna}").json()["actions"]
    again = rate("anna", anna, score=1)
    assert (again.status, again.json()["code"]) == (409, "already_rated")
    open_case = rate("nils", nils, score=3)
    assert (open_case.status, open_case.json()["code"]) == (409, "case_not_finished")
    world.settle()
    month = case["createdAt"][:7]
    figures = api.call("GET", "/statistics", as_="pia", query=f"organisation=lonecentrum&from={month}&to={month}")
    total = figures.json()["total"]
    assert total["satisfied"] == {"count": 1, "of": 1, "share": 1.0}
    assert total["responseRate"] == {"count": 1, "of": 1, "share": 1.0}


def test_dynamodb_failing_while_counting_loses_nothing_and_counts_nothing_twice(
    api: Api, world: World, caplog: Any
) -> None:
    """The consumer's reads of the claims fail through botocore's own three attempts, twice: those records are
    retried from the queue (and say so in the log); the figures end up exactly what a recount gives."""
    import logging

    from ops.rebuild_statistics import rebuild
    from tests.support.faults import throttled

    _activity(api)
    with throttled("dynamodb", "BatchGetItem", times=6) as refused, caplog.at_level(logging.WARNING):
        world.settle()
    assert len(refused) == 6
    assert "case not counted: retried" in caplog.text
    streamed = _aggregates(world)
    rebuild(world.refs["CasesTable"], world.refs["StatisticsTable"])
    assert _aggregates(world) == streamed
