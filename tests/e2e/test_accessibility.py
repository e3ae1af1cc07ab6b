"""WCAG 2.1 AA as a test: axe-core audits every page and state of the web client and the server-rendered
decision page, and a person who uses only the keyboard files a leave application and decides it.

The Swedish DOS law (lag 2018:1937) and the Danish web accessibility act require WCAG 2.1 AA of public-sector
web services; axe-core finds what a machine can find (about half of the criteria), the keyboard walk covers
operability, and docs/accessibility.md lists what is checked by hand.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from devstack.template import ROOT
from ops.deploy import render_config
from tests.e2e.conftest import Http
from tests.e2e.walk import Walk, approve_on_page, axe_violations, wait_for_status
from tests.support.examples import examples

FORMS = sorted(p.name for p in (ROOT / "schemas").iterdir() if (p / "v1.json").exists())
# Who files each form in the demo organisation: the catalogue shows a form only to those it is published for.
FILERS = ["anna", "maria", "ada", "jens", "mette", "karen"]
LOCALE = {"jens": "da-DK", "mette": "da-DK", "karen": "da-DK"}


class Audit:
    """axe on each state visited; every violation is reported at the end with the state it was found in."""

    def __init__(self, walk: Walk) -> None:
        self.walk, self.found = walk, {}  # type: tuple[Walk, dict[str, list[str]]]
        self.states: list[str] = []

    def check(self, page: Any, state: str) -> None:
        page.wait_for_load_state("networkidle")
        self.states.append(state)
        if violations := axe_violations(page):
            self.found[state] = violations
        self.walk.shot(page, state)

    def assert_clean(self) -> None:
        assert not self.found, "WCAG 2.1 A/AA violations:\n" + json.dumps(self.found, indent=1, ensure_ascii=False)


@pytest.fixture
def audit(browser: Any, stack: Http, request: pytest.FixtureRequest) -> Iterator[Audit]:
    walk = Walk(browser, stack, "a11y-" + request.node.name.removeprefix("test_")[:40])
    checked = Audit(walk)
    yield checked
    assert walk.errors == []


def _filer(stack: Http) -> dict[str, str]:
    """Each form and a persona whose catalogue shows it."""
    who: dict[str, str] = {}
    for persona in FILERS:
        status, catalogue = stack.json("GET", "/forms", token=stack.token(persona))
        assert status == 200
        for group in catalogue.get("groups", [catalogue]):
            for form in group.get("forms", group.get("items", [])):
                who.setdefault(form["formId"], persona)
    return who


def _submit(stack: Http, persona: str, form_id: str) -> str:
    data = examples(form_id, date.today())["valid"][0]
    status, reply = stack.json(
        "POST",
        "/cases",
        token=stack.token(persona),
        payload={"formId": form_id, "formVersion": 1, "data": data},
    )
    assert status == 201, reply
    case_id: str = reply["caseId"]
    return case_id


def test_signing_in_and_the_catalogue(audit: Audit, browser: Any, stack: Http) -> None:
    for locale in ("sv-SE", "da-DK", "en-GB"):
        page = browser.new_context(locale=locale).new_page()
        page.goto(f"{stack.base}/app/")
        page.wait_for_selector("[data-persona=anna]")
        audit.check(page, f"sign-in-{locale}")
    # As deployed: a button to the organisation's provider and one to the BankID broker (config.js as rendered).
    deployed = render_config(
        {
            "oidc": {"issuer": stack.base, "clientId": "eforms-local"},
            "bankid": {"issuer": f"{stack.base}/bankid-idp", "clientId": "eforms-local-bankid"},
        }
    )
    page = browser.new_context(locale="sv-SE").new_page()
    page.route("**/app/config.js", lambda route: route.fulfill(body=deployed, content_type="text/javascript"))
    page.goto(f"{stack.base}/app/")
    page.wait_for_selector("[data-testid=bankid-sign-in]")
    audit.check(page, "sign-in-deployed")
    audit.check(audit.walk.person("anna"), "catalogue")
    audit.check(audit.walk.person("jens", "da-DK"), "catalogue-da")
    audit.assert_clean()


def test_every_form_with_and_without_errors(audit: Audit, stack: Http) -> None:
    who = _filer(stack)
    assert set(FORMS) <= set(who), f"no demo persona files {set(FORMS) - set(who)}"
    pages: dict[str, Any] = {}
    for form_id in FORMS:
        persona = who[form_id]
        page = pages.get(persona) or pages.setdefault(persona, audit.walk.person(persona, LOCALE.get(persona, "sv-SE")))
        page.goto(f"{stack.base}/app/#/forms/{form_id}")
        page.wait_for_selector("form button[type=submit]")
        audit.check(page, f"{form_id}")
        page.click("form button[type=submit]")
        page.wait_for_selector("[data-testid=error-summary]")
        # The summary takes the focus, so a screen reader reads what is wrong at once (WCAG 3.3.1).
        assert page.evaluate("document.activeElement.dataset.testid") == "error-summary", form_id
        audit.check(page, f"{form_id}-errors")
    audit.assert_clean()


def _case(stack: Http, persona: str, form_id: str) -> tuple[str, int]:
    """A case filed through the API; its id and version once the workflow has moved it on from submitted."""
    case_id = _submit(stack, persona, form_id)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found = stack.json("GET", f"/cases/{case_id}", token=stack.token(persona))[1]
        if found["status"] != "submitted":
            return case_id, found["version"]
        time.sleep(0.2)
    raise AssertionError(f"{case_id} stayed submitted")


def _open(page: Any, stack: Http, route: str, ready: str) -> Any:
    page.goto(f"{stack.base}/app/#{route}")
    page.wait_for_selector(ready)
    return page


def test_cases_lists_and_the_decision_page(audit: Audit, stack: Http) -> None:
    walk = audit.walk
    returned, _ = _case(stack, "anna", "leave-application")
    approved, _ = _case(stack, "anna", "leave-application")

    anna = walk.person("anna")
    audit.check(_open(anna, stack, "/cases", "table.cases"), "my-cases")
    audit.check(_open(anna, stack, f"/cases/{approved}", "[data-testid=status]"), "case-awaiting-approval")

    maria = walk.person("maria")
    audit.check(_open(maria, stack, "/approvals", "table.cases"), "approvals")
    audit.check(_open(maria, stack, "/team", "table.cases"), "team")
    audit.check(_open(maria, stack, f"/cases/{approved}", "form.decision"), "case-to-decide")

    # The emailed decision page: as sent, refused (return without naming a field), and decided.
    decision = walk.from_email(returned)
    audit.check(decision, "decision-page")
    decision.fill("#return-message", "Välj en annan vecka.")
    with decision.expect_navigation():
        decision.get_by_role("button", name="Skicka tillbaka", exact=True).click()
    decision.wait_for_selector("[role=alert]")
    assert decision.evaluate("document.activeElement.getAttribute('role')") == "alert"  # the summary has the focus
    audit.check(decision, "decision-page-errors")
    decision.check("input[name=fields][value='/period']")
    with decision.expect_navigation():
        decision.get_by_role("button", name="Skicka tillbaka", exact=True).click()
    audit.check(decision, "decision-page-decided")
    decision.goto(walk.link(returned, 1))
    audit.check(decision, "decision-page-used-link")

    wait_for_status(anna, "Väntar på beslut")
    audit.check(_open(anna, stack, f"/cases/{returned}", ".correction"), "case-returned-for-correction")
    anna.fill("#root_period_to", "")
    anna.get_by_role("button", name="Skicka in rättelsen").click()
    anna.wait_for_selector("[data-testid=error-summary]")
    audit.check(anna, "correction-errors")

    approve_on_page(walk.from_email(approved))
    audit.check(_open(walk.person("anna"), stack, "/mailbox", ".mail-list"), "mailbox")
    # The emails themselves, one of each kind sent so far, as a mail client shows their HTML.
    reader = walk.browser.new_page()
    for email in {m["kind"]: m for m in stack.json("GET", "/dev/mailbox")[1]["emails"]}.values():
        reader.set_content(email["html"])
        audit.check(reader, f"email-{email['kind']}")
    audit.assert_clean()


def test_the_payroll_desk(audit: Audit, stack: Http) -> None:
    walk = audit.walk
    case_id, version = _case(stack, "anna", "payroll-support")
    pia_token = stack.token("pia")
    pia = walk.person("pia")
    audit.check(_open(pia, stack, "/desk", "[data-testid=desk-queue]"), "desk")
    audit.check(_open(pia, stack, "/payroll", "table.cases"), "payroll-queue")
    audit.check(_open(pia, stack, f"/cases/{case_id}", ".desk-panel"), "desk-case")
    status, claimed = stack.json("POST", f"/cases/{case_id}/claim", token=pia_token, payload={"version": version})
    assert status == 200, claimed
    status, asked = stack.json(
        "POST",
        f"/cases/{case_id}/completion-request",
        token=pia_token,
        payload={"version": claimed["version"], "message": "Vilken period?", "fields": ["/payPeriod"]},
    )
    assert status == 200, asked
    pia.reload()
    audit.check(_open(pia, stack, f"/cases/{case_id}", "[data-testid=message]"), "desk-case-claimed")
    anna = walk.person("anna")
    audit.check(_open(anna, stack, f"/cases/{case_id}", "#completion-title"), "completion-asked")
    # A case nobody may decide (Lars has no manager): the appointment, its person type-ahead open.
    waiting, _ = _case(stack, "lars", "leave-application")
    page = _open(pia, stack, f"/cases/{waiting}", "[data-testid=appoint-approver]")
    page.fill("[data-testid=appoint-approver] [data-testid=person-search]", "sve")
    page.wait_for_selector("[data-testid=people-found]")
    audit.check(page, "appoint-approver")
    audit.assert_clean()


def test_the_accessibility_statement(audit: Audit, browser: Any, stack: Http) -> None:
    """Open to everyone from every page's footer, the decision page's included, in each language."""
    for locale, title in (("sv-SE", "Tillgänglighetsredogörelse"), ("da-DK", "Tilgængelighedserklæring")):
        page = browser.new_context(locale=locale).new_page()
        page.goto(f"{stack.base}/app/")
        page.get_by_role("link", name=title.removesuffix("sredogörelse").removesuffix("serklæring")).click()
        page.get_by_role("heading", level=1, name=title).wait_for()
        assert page.locator("a[href^='mailto:']").count() == 1  # where to report a problem
        audit.check(page, f"statement-{locale}")
    decision = audit.walk.from_email(_submit(stack, "anna", "leave-application"))
    with decision.expect_navigation():
        decision.get_by_role("link", name="Tillgänglighetsredogörelse").click()
    decision.get_by_role("heading", level=1, name="Tillgänglighetsredogörelse").wait_for()
    audit.assert_clean()


def _tab_to(page: Any, selector: str, *, limit: int = 80) -> None:
    """Press Tab until ``selector`` has the focus, and check that the focus can be seen (WCAG 2.4.7)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s)", selector):
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"{selector} has the focus but shows no focus indicator"
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def test_a_leave_application_filed_and_decided_with_the_keyboard_alone(audit: Audit, stack: Http) -> None:
    walk = audit.walk
    start = date.today() + timedelta(days=40)
    page = walk.browser.new_context(locale="sv-SE").new_page()
    page.on("pageerror", lambda error: walk.errors.append(str(error)))
    page.goto(f"{stack.base}/app/")
    page.wait_for_selector("[data-persona=anna]")
    _tab_to(page, "[data-persona=anna]")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=signed-in-as]")
    _tab_to(page, "a[href='#/forms/leave-application']")
    page.keyboard.press("Enter")
    page.wait_for_selector("#root_leaveType")

    # Submitted with the end date missing: the summary takes the focus, its link takes it to the field.
    _tab_to(page, "#root_period_from")
    page.keyboard.type(start.strftime("%m%d%Y"))  # Chromium's date field, segment by segment (en-US order)
    assert page.input_value("#root_period_from") == start.isoformat()
    _tab_to(page, "form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=error-summary]")
    assert page.evaluate("document.activeElement.dataset.testid") == "error-summary"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "root_period_to"
    describedby = page.get_attribute("#root_period_to", "aria-describedby") or ""
    assert "root_period_to__error" in describedby.split()  # the field's error is read with the field
    walk.shot(page, "keyboard-error-linked")

    page.keyboard.type((start + timedelta(days=4)).strftime("%m%d%Y"))
    _tab_to(page, "form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#/cases/[0-9A-Z]{26}$"))
    case_id = page.url.rsplit("/", 1)[-1]
    wait_for_status(page, "Väntar på beslut")
    walk.shot(page, "keyboard-filed")

    # Maria decides from the emailed link with the keyboard: Tab to "Bevilja ansökan", Enter.
    decision = walk.from_email(case_id)
    _tab_to(decision, "form:has(input[value=approve]) button[type=submit]")
    with decision.expect_navigation():
        decision.keyboard.press("Enter")
    decision.wait_for_selector("[role=status]")
    walk.shot(decision, "keyboard-decided")
    wait_for_status(page, "Beviljad – hos Lönecentrum")
