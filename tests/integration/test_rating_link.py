"""Rating a finished case from its email without signing in (issue 28; docs/statistics.md §1): the email that
says the case is done carries a link bound to the case and its recipient; the page rates once, shows what
was typed as text, and a reused, forged or altered link gets a clear page and counts nothing."""

from __future__ import annotations

import re
from typing import Any

from devstack.mailbox import SentEmail
from eforms.aws.statistics_store import DynamoStatisticsStore
from tests.support.flows import emails_for, post_page, wait_for
from tests.support.samples import SUPPORT
from tests.support.world import BASE_URL, Api, World


def _finished(api: Api) -> str:
    """Anna's question, answered and resolved by Pia."""
    case_id: str = api.submit(SUPPORT, form="payroll-support").json()["caseId"]
    case = wait_for(api, case_id, "at_payroll")
    closed = api.call(
        "POST",
        f"/cases/{case_id}/closure",
        as_="pia",
        json_body={"version": case["version"], "outcome": "resolved", "message": "Du har tabell 32."},
    )
    assert closed.status == 200, closed.text
    return case_id


def _link(email: SentEmail) -> str:
    match = re.search(re.escape(BASE_URL) + r"(/ratings/[A-Za-z0-9._-]+)", email.text)
    assert match, email.text
    assert match.group(1) in email.html
    return match.group(1)


def _ratings(world: World) -> int:
    rows = DynamoStatisticsStore(world.refs["StatisticsTable"]).rows("lonecentrum")
    return sum(row.get("ratings", 0) for (_, _, dimension), row in rows.items() if dimension == "all")


def test_the_finished_cases_email_rates_it_once_without_sign_in(api: Api, world: World) -> None:
    case_id = _finished(api)
    [done] = emails_for(case_id, "case-completed")
    link = _link(done)
    assert "Betygsätt ärendet" in done.text
    shown = api.call("GET", link, as_=None)
    assert shown.status == 200, shown.text
    assert "Hur nöjd är du med hur ärendet hanterades?" in shown.text
    assert shown.headers["cache-control"] == "no-store"

    comment = "<b>Snabbt!</b> & tydligt"
    rated = post_page(api, link, score="4", comment=comment, lang="sv")
    assert rated.status == 200, rated.text
    assert "Tack för ditt betyg!" in rated.text
    history = api.call("GET", f"/cases/{case_id}").json()["history"]
    [entry] = [h for h in history if h["action"] == "rated"]
    assert entry["channel"] == "email-link"
    assert entry["actor"]["id"] == "anna"
    world.settle()
    assert _ratings(world) == 1

    again = post_page(api, link, score="1", lang="sv")
    assert again.status == 410
    assert "Ärendet har redan fått ett betyg." in again.text
    assert api.call("GET", link, as_=None).status == 410
    on_page = api.call("POST", f"/cases/{case_id}/rating", json_body={"version": 99, "score": 2})
    assert on_page.status in (409, 410) or on_page.json()["code"] in ("already_rated", "case_changed")
    world.settle()
    assert _ratings(world) == 1  # nothing counted twice


def test_a_forged_or_altered_link_gets_a_clear_page_and_reads_nothing(api: Api, world: World) -> None:
    case_id = _finished(api)
    link = _link(emails_for(case_id, "case-completed")[0])
    token = link.rsplit("/", 1)[1]
    case_part, who, mac = token.split(".")
    altered_mac = ("A" if mac[0] != "A" else "B") + mac[1:]
    for forged in (
        f"{case_part}.{who}.{altered_mac}",  # one character of the MAC
        f"{case_part}.s.{mac}",  # the MAC of another recipient
        f"01KBEYM893KCEG57ZWVHNQV24X.{who}.{mac}",  # another case
        "not-a-token",
        token + "x",
    ):
        shown = api.call("GET", f"/ratings/{forged}", as_=None, headers={"accept-language": "en"})
        assert shown.status == 404, (forged, shown.text)
        assert "The link does not work." in shown.text
        posted = post_page(api, f"/ratings/{forged}", score="5")
        assert posted.status == 404
    world.settle()
    assert _ratings(world) == 0


def test_a_bad_score_or_hostile_comment_is_refused_on_the_page_and_nothing_is_written(api: Api) -> None:
    case_id = _finished(api)
    link = _link(emails_for(case_id, "case-completed")[0])
    before = api.call("GET", f"/cases/{case_id}").json()["version"]
    cases: list[dict[str, Any]] = [
        {"score": "7"},
        {},
        {"score": "5", "comment": "ok \u202e evil"},  # a bidirectional override
        {"score": "5", "comment": "x" * 1001},
    ]
    for fields in cases:
        refused = post_page(api, link, lang="sv", **fields)
        assert refused.status == 422, (fields, refused.text)
        assert 'role="alert"' in refused.text
        assert "\u202e" not in refused.text
    assert api.call("GET", f"/cases/{case_id}").json()["version"] == before
    # A score sent twice is refused like the decision page's fields: no reading may pick one for the person.
    repeated = api.call(
        "POST",
        link,
        as_=None,
        body="score=1&score=5&lang=sv",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert repeated.status == 400
    assert "Det som skickades gick inte att läsa." in repeated.text
    assert api.call("GET", f"/cases/{case_id}").json()["version"] == before


def test_a_case_not_finished_has_no_rating_link_and_its_page_says_so(api: Api) -> None:
    from eforms import wiring
    from eforms.core.statistics.rating_links import token_for

    case_id = api.submit(SUPPORT, form="payroll-support").json()["caseId"]
    wait_for(api, case_id, "at_payroll")
    signer = wiring.rating_signer()
    assert signer is not None
    case = wiring.case_store().get(case_id)
    assert case is not None
    page = api.call("GET", f"/ratings/{token_for(signer, case, 'anna')}", as_=None)
    assert page.status == 409
    assert "Ärendet är inte avslutat än." in page.text


def test_the_comments_reach_the_centres_managers_as_text_and_leave_with_an_erased_case(api: Api, world: World) -> None:
    from ops.erase_case import erase

    case_id = _finished(api)
    link = _link(emails_for(case_id, "case-completed")[0])
    assert post_page(api, link, score="2", comment="<script>alert(1)</script> Svaret kom sent").status == 200
    world.settle()
    month = api.call("GET", f"/cases/{case_id}").json()["createdAt"][:7]
    query = f"organisation=lonecentrum&from={month}&to={month}"
    read = api.call("GET", "/statistics/comments", as_="cecilia", query=query)
    assert read.status == 200, read.text
    [comment] = read.json()["items"]
    assert comment["comment"] == "<script>alert(1)</script> Svaret kom sent"  # the words as written: text
    assert (comment["caseId"], comment["score"], comment["formTitle"]) == (case_id, 2, "Lönesupport")
    for not_a_manager in ("pia", "anna", "bo"):
        assert api.call("GET", "/statistics/comments", as_=not_a_manager, query=query).status == 404
    assert api.call("GET", "/statistics/comments", as_="cecilia", query="organisation=lonecentrum").status == 400

    erase(
        case_id,
        reason="filed by mistake",
        cases_table=world.refs["CasesTable"],
        bucket=world.refs["CaseDocumentsBucket"],
        state_machine=world.refs["ApprovalStateMachine"],
        statistics_table=world.refs["StatisticsTable"],
    )
    assert api.call("GET", "/statistics/comments", as_="cecilia", query=query).json()["items"] == []


def test_kms_failing_delays_the_closing_email_and_the_rating_page_answers_503_writing_nothing(
    api: Api, world: World
) -> None:
    from tests.support.faults import throttled

    case_id: str = api.submit(SUPPORT, form="payroll-support").json()["caseId"]
    case = wait_for(api, case_id, "at_payroll")
    body = {"version": case["version"], "outcome": "resolved", "message": "Du har tabell 32."}
    with throttled("kms", "GenerateMac", times=8) as refused:  # the notifier's retries, then it heals
        assert api.call("POST", f"/cases/{case_id}/closure", as_="pia", json_body=body).status == 200
        world.settle()
    assert refused
    [done] = emails_for(case_id, "case-completed")  # sent once, after KMS answered again
    link = _link(done)
    version = api.call("GET", f"/cases/{case_id}").json()["version"]
    with throttled("kms", "GenerateMac", times=20):
        down = post_page(api, link, score="5", lang="sv")
    assert down.status == 503
    assert api.call("GET", f"/cases/{case_id}").json()["version"] == version  # nothing written
    assert post_page(api, link, score="5", lang="sv").status == 200


def test_a_comment_the_table_refused_once_is_kept_by_the_retry_and_counted_once(api: Api, world: World) -> None:
    from tests.support.faults import throttled

    case_id = _finished(api)
    link = _link(emails_for(case_id, "case-completed")[0])
    with throttled("dynamodb", "PutItem", times=8) as refused:  # the consumer's comment, then it heals
        assert post_page(api, link, score="3", comment="Det tog tid.", lang="sv").status == 200
        world.settle()
    assert refused
    world.settle()
    month = api.call("GET", f"/cases/{case_id}").json()["createdAt"][:7]
    query = f"organisation=lonecentrum&from={month}&to={month}"
    [kept] = api.call("GET", "/statistics/comments", as_="cecilia", query=query).json()["items"]
    assert kept["comment"] == "Det tog tid."
    assert _ratings(world) == 1
