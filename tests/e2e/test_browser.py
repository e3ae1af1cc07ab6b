"""The whole walk in a real browser (headless Debian Chromium, driven by Playwright), against the stack the
README's run command starts: web client, API front, moto, the real state machine and the decision pages.

Employee files a leave application with a mistake and fixes it from the field error; the manager opens
the emailed link and returns the dates for correction; the employee changes only the dates and
resubmits; the manager approves from the new link; the employee downloads the signed PDF. Each step is
saved as a screenshot in test-artifacts/browser/.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from eforms.core.desk.service_levels import pay_period
from ops.deploy import render_config
from tests.e2e.conftest import Http, running_stack
from tests.e2e.walk import ARTIFACTS, Walk, approve_on_page, wait_for_status
from tests.support import new_form
from tests.support.paxml import problems
from tests.support.seals import verdicts
from tests.support.uploads import EICAR, PDF

SWEDISH_MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def test_leave_application_from_mistake_to_signed_pdf(browser: Any, stack: Http) -> None:
    walk = Walk(browser, stack)
    start = date.today() + timedelta(days=30)

    # 1. Anna files a leave application whose end date is before its start date.
    anna = walk.person("anna")
    anna.click("a[href='#/forms/leave-application']")
    anna.wait_for_selector("#root_leaveType")
    anna.select_option("#root_leaveType", label="Semester")
    anna.fill("#root_period_from", start.isoformat())
    anna.fill("#root_period_to", (start - timedelta(days=2)).isoformat())
    anna.fill("#root_extentPercent", "100")
    # Before sending she is told the pay run her leave reaches: never one before the leave's own month.
    period = pay_period(date.today(), not_before=start.isoformat()[:7])
    pay_word = f"{SWEDISH_MONTHS[int(period[5:]) - 1]}lönen"
    send_by = anna.text_content("[data-testid=send-by]") or ""
    assert re.fullmatch(rf"Skicka senast 8 \w+( \d{{4}})? för att nå {pay_word}( \d{{4}})?\.", send_by), send_by
    anna.click("button[type=submit]")
    error = anna.wait_for_selector("text=Slutdatumet får inte vara före startdatumet.")
    assert error.is_visible()
    walk.shot(anna, "field-error")

    # 2. She fixes it from the error and submits again.
    anna.fill("#root_period_to", (start + timedelta(days=4)).isoformat())
    anna.click("button[type=submit]")
    anna.wait_for_url(re.compile(r"#/cases/[0-9A-Z]{26}$"))
    case_id = anna.url.rsplit("/", 1)[-1]
    # The case page opens as the receipt: its short number, who decides, and the pay it reaches if approved.
    receipt = anna.wait_for_selector("[data-testid=next]")
    said = receipt.text_content() or ""
    assert re.match(r"Ditt ärende är skickat\. Ärendenummer: LC-\d{4}-\d{6}", said), said
    assert "Maria Lind beslutar om ärendet." in said
    assert re.search(rf"Beviljas det senast \d{{1,2}} \w+( \d{{4}})? når det {pay_word}( \d{{4}})?\.", said), said
    anna.set_viewport_size({"width": 360, "height": 780})
    walk.shot(anna, "receipt-360")
    assert anna.evaluate("document.documentElement.scrollWidth") <= 360
    anna.set_viewport_size({"width": 1280, "height": 720})
    wait_for_status(anna, "Väntar på beslut")
    walk.shot(anna, "submitted")

    # 3. Maria opens the emailed link (the mailbox shows it) and returns the dates for correction.
    maria = walk.person("maria")
    maria.goto(f"{stack.base}/app/#/mailbox")
    maria.wait_for_selector("text=Ledighetsansökan")
    walk.shot(maria, "mailbox")
    maria.goto(walk.link(case_id, 1))
    walk.shot(maria, "decision-page")
    maria.check("input[name=fields][value='/period']")
    maria.fill("#return-message", "Datumen krockar med planeringen, välj en annan vecka.")
    with maria.expect_navigation():
        maria.get_by_role("button", name="Skicka tillbaka", exact=True).click()
    assert maria.get_by_role("button", name="Skicka tillbaka", exact=True).count() == 0
    walk.shot(maria, "returned")

    # 4. Anna sees the request; only the dates can change.
    anna.reload()
    wait_for_status(anna, "Tillbaka för rättelse")
    anna.wait_for_selector("text=Datumen krockar med planeringen")
    assert anna.is_disabled("#root_leaveType") or anna.get_attribute("#root_leaveType", "readonly") is not None
    assert anna.get_attribute("#root_extentPercent", "readonly") is not None
    assert anna.is_editable("#root_period_from")
    # A correction looks like one: the reopened dates are marked, everything else is locked and says why.
    assert anna.text_content(".reopened:has(#root_period_from) .help-block") == "Din chef har bett dig rätta detta."
    locked = anna.text_content(".locked:has(#root_extentPercent) .help-block")
    assert locked == "Låst: din chef har inte bett dig ändra detta."
    assert "Att göra" in (anna.text_content("[data-testid=todo]") or "")
    later = start + timedelta(days=7)
    anna.fill("#root_period_from", later.isoformat())
    anna.fill("#root_period_to", (later + timedelta(days=4)).isoformat())
    walk.shot(anna, "correction")
    anna.get_by_role("button", name="Skicka in rättelsen").click()
    wait_for_status(anna, "Väntar på beslut")

    # 5. Maria approves from the new link.
    maria.goto(walk.link(case_id, 2))
    with maria.expect_navigation():
        maria.get_by_role("button", name="Bevilja ansökan", exact=True).click()
    assert maria.get_by_role("button", name="Bevilja ansökan", exact=True).count() == 0
    walk.shot(maria, "approved")

    # 6. Anna sees the case at payroll, with due date and pay period, and downloads the signed PDF.
    wait_for_status(anna, "Beviljad – hos Lönecentrum")
    assert re.search(r"\d{1,2} \w+\.? \d{4}", anna.text_content("[data-testid=due-date]") or "")  # "24 nov. 2026"
    assert re.fullmatch(r"[a-zåäö]+ \d{4}", anna.text_content("[data-testid=pay-period]") or "")  # "december 2026"
    walk.shot(anna, "at-payroll")
    with anna.expect_download() as download_info:
        anna.get_by_role("button", name="Hämta PDF").click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    (ARTIFACTS / f"{case_id}.pdf").write_bytes(pdf)
    # The PDF she downloads carries the centre's seal: pdfsig and pyHanko both trust it (the stack's own CA).
    assert verdicts(pdf, _seal_chain(stack)).both_hold

    # 7. Payroll registers the vacation in the payroll system, as the transaction it gives, and checks it.
    per = _registered_and_checked(walk, case_id, "HR-LEDIG-ANNA", approved=True, pays="Semester (Kod SEM)")

    # 8. Payroll makes the pay period's PAXml file from the desk and downloads it: the vacation is in it, once.
    period = (per.text_content("[data-testid=pay-period]") or "").strip()  # "december 2026"
    number = (per.text_content("[data-testid=case-number]") or "").strip()
    per.click("a[href='#/desk']")
    per.click("[data-testid=pay-runs-link]")
    per.wait_for_selector("[data-testid=pay-runs-pending]")
    [chosen] = per.select_option("[data-testid=pay-run-period]", label=period)
    per.click("[data-testid=make-pay-run]")
    ready = per.wait_for_selector(f"[data-testid=download-pay-run-{chosen}]", timeout=30_000)
    walk.shot(per, "pay-runs")
    with per.expect_download() as download_info:
        ready.click()
    paxml = Path(download_info.value.path()).read_bytes()
    assert paxml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<paxml>')
    assert paxml.count(f"<info>{number}</info>".encode()) == 1
    assert b"<tidkod>SEM</tidkod>" in paxml
    assert problems(paxml) == []
    per.goto(f"{stack.base}/app/#/cases/{case_id}")  # the case says which file holds its transactions
    held = per.wait_for_selector("[data-testid=pay-run-state]").text_content() or ""
    assert f"Lönetransaktionerna finns i lönefilen för {period}." in held
    assert walk.errors == []


def _seal_chain(stack: Http) -> str:
    """The local stack's seal certificate chain, as its PDF functions read it (its emulated SSM)."""
    ssm = stack.client("ssm")
    [name] = [
        p["Name"] for p in ssm.describe_parameters()["Parameters"] if p["Name"].endswith("seal-certificate-chain")
    ]
    value: str = ssm.get_parameter(Name=name)["Parameter"]["Value"]
    return value


def _open_from_desk(walk: Walk, persona: str, case_id: str) -> Any:
    """A payroll officer finds the case in the work queue and opens it."""
    page = walk.person(persona)
    page.click("a[href='#/desk']")
    page.wait_for_selector("[data-testid=desk-queue]")
    page.click(f"a[href='#/cases/{case_id}']")
    page.wait_for_selector("[data-testid=status]")
    return page


def _registered_and_checked(
    walk: Walk, case_id: str, reference: str, *, approved: bool = False, pays: str | None = None
) -> Any:
    """Payroll's four eyes from the desk: Pia registers the case, Per (the other officer) checks it; Per's page.
    An ``approved`` case says so before its status ("Beviljad – registrerad, kontrolleras"); a case that
    ``pays`` shows that pay transaction to confirm, and Per sees it confirmed."""
    pia = _open_from_desk(walk, "pia", case_id)
    pia.fill("input[maxlength='64']", reference)
    if pays:
        assert pays in (pia.text_content("[data-testid=pay-transactions]") or "")
        walk.shot(pia, "pay-transactions")
    pia.get_by_role("button", name="Registrera i lönesystemet", exact=True).click()
    wait_for_status(pia, "Beviljad – registrerad, kontrolleras" if approved else "Registrerad, kontrolleras")
    per = _open_from_desk(walk, "per", case_id)
    if pays:
        assert pays in (per.text_content("[data-testid=pay-transactions]") or "")
    per.get_by_role("button", name="Godkänn registreringen", exact=True).click()
    wait_for_status(per, "Klar")
    return per


def test_support_case_from_question_to_four_eyes(browser: Any, stack: Http) -> None:
    """anna files a support case → pia claims it and asks → anna answers → pia registers → per checks it →
    anna sees it completed."""
    walk = Walk(browser, stack, "support")

    # 1. Anna files a payroll support case; before submitting she is told when payroll answers.
    anna = walk.person("anna")
    anna.click("a[href='#/forms/payroll-support']")
    anna.wait_for_selector("[data-testid=expected]")
    assert "Svar från Lönecentrum senast" in (anna.text_content("[data-testid=expected]") or "")
    anna.select_option("#root_category", label="Skatt")
    anna.fill("#root_heading", "Fel skatteavdrag")
    anna.fill("#root_message", "Skatten i november är för hög.")
    walk.shot(anna, "support-form")
    anna.click("button[type=submit]")
    anna.wait_for_url(re.compile(r"#/cases/[0-9A-Z]{26}$"))
    case_id = anna.url.rsplit("/", 1)[-1]
    wait_for_status(anna, "Hos Lönecentrum")

    # 2. Pia finds it in the work queue (due date, SLA badge, nobody on it), claims it and asks a question.
    pia = walk.person("pia")
    pia.click("a[href='#/desk']")
    row = pia.wait_for_selector(f"tr:has(a[href='#/cases/{case_id}'])")
    assert "Ingen" in (row.text_content() or "")
    assert pia.locator(f"tr:has(a[href='#/cases/{case_id}']) [data-testid=sla]").count() == 1
    walk.shot(pia, "desk-queue")
    pia.click(f"a[href='#/cases/{case_id}']")
    # The desk shows the actions the server says are open, in the order of the work; closing asks for a choice.
    pia.wait_for_selector(".desk-panel")
    legends = pia.locator(".desk-panel > fieldset > legend").all_text_contents()
    assert legends == ["Registrera i lönesystemet", "Avsluta ärendet"], legends  # asking is in the thread
    assert pia.locator("[data-testid=close-outcome]").input_value() == ""  # no default "not payroll's matter"
    assert pia.get_by_role("button", name="Avsluta ärendet", exact=True).is_disabled()
    pia.get_by_role("button", name="Ta ärendet", exact=True).click()
    pia.wait_for_selector("[data-testid=assignee]:has-text('Pia Nilsson')")
    assert pia.get_by_role("button", name="Ta ärendet", exact=True).count() == 0  # hers: nothing to take
    pia.fill(".thread textarea", "Har du ändrat skattetabell i år?")
    pia.locator(".thread").get_by_role("button", name="Skicka", exact=True).click()
    pia.wait_for_selector("[data-testid=message]:has-text('Har du ändrat skattetabell')")
    walk.shot(pia, "claimed-and-asked")

    # 3. Anna reads the message on her case page and answers.
    anna.reload()
    anna.wait_for_selector("[data-testid=message]:has-text('Har du ändrat skattetabell')")
    anna.fill(".thread textarea", "Nej, det har jag inte.")
    anna.locator(".thread").get_by_role("button", name="Skicka", exact=True).click()
    anna.wait_for_selector("[data-testid=message]:has-text('Nej, det har jag inte.')")
    walk.shot(anna, "answered")

    # 4. Pia sees the answer and registers the case in the payroll system.
    pia.reload()
    pia.wait_for_selector("[data-testid=message]:has-text('Nej, det har jag inte.')")
    # A refusal is shown at its field, and gone with the next success.
    pia.get_by_role("button", name="Registrera i lönesystemet", exact=True).click()
    error = pia.wait_for_selector("label:has(input[maxlength='64']) [data-testid=field-error]")
    assert "obligatoriskt" in (error.text_content() or "")
    walk.shot(pia, "error-at-field")
    pia.fill("input[maxlength='64']", "SKATT-2026-0815")
    pia.get_by_role("button", name="Registrera i lönesystemet", exact=True).click()
    wait_for_status(pia, "Registrerad, kontrolleras")
    assert pia.locator("text=Du registrerade ärendet. En annan handläggare kontrollerar det.").count() == 1
    assert pia.get_by_role("button", name="Godkänn registreringen", exact=True).count() == 0  # four-eyes
    assert pia.locator("[data-testid=field-error]").count() == 0
    walk.shot(pia, "registered")

    # 5. Per, a different officer, checks the registration and approves it.
    per = _open_from_desk(walk, "per", case_id)
    per.get_by_role("button", name="Godkänn registreringen", exact=True).click()
    wait_for_status(per, "Klar")
    walk.shot(per, "four-eyes-approved")

    # 6. Anna sees her case completed, with the story told in words.
    anna.reload()
    wait_for_status(anna, "Klar")
    history = anna.text_content(".history") or ""
    for words in ("tog ärendet", "registrerade i lönesystemet", "godkände registreringen"):
        assert words in history
    assert "registration_approved" not in history
    walk.shot(anna, "completed")
    assert anna.locator(".thread textarea").count() == 0  # a finished case's thread is read-only

    # 7. She says how it went: once, with a comment kept as text.
    anna.locator("[data-testid=rate] input[value='5']").check()
    anna.fill("[data-testid=rate] textarea", "<b>Snabbt</b> svar, tack!")
    walk.shot(anna, "rating")
    anna.get_by_role("button", name="Skicka betyget", exact=True).click()
    anna.wait_for_selector("[data-testid=rate]", state="detached")
    assert "betygsatte ärendet" in (anna.text_content(".history") or "")
    assert walk.errors == []


def test_the_desk_finds_cases_by_name_and_number_and_appoints_a_missing_decision_maker(
    browser: Any, stack: Http
) -> None:
    """Lars, head of department, has no manager: his leave waits for payroll to appoint who decides. Pia finds
    it under "Väntar på beslutsfattare", picks Sven by typing part of his name, and Sven is asked by email.
    Then she finds Anna's cases by typing her name, and one case by its number."""
    walk = Walk(browser, stack, "find")
    start = date.today() + timedelta(days=40)
    period = {"from": start.isoformat(), "to": (start + timedelta(days=2)).isoformat()}
    leave = {"leaveType": "semester", "period": period, "extentPercent": 100}
    status, filed = stack.json(
        "POST", "/cases", token=stack.token("lars"), payload={"formId": "leave-application", "data": leave}
    )
    assert status == 201, filed
    _wait_until_listed(stack, "pia", "/desk/cases?status=awaiting_approval", filed["caseId"])
    pia = walk.person("pia")
    pia.click("a[href='#/desk']")
    pia.wait_for_selector("form.search")
    pia.select_option("form.search select >> nth=0", "awaiting_approval")
    pia.get_by_role("button", name="Filtrera", exact=True).click()
    pia.click(f"a[href='#/cases/{filed['caseId']}'] >> nth=0")
    panel = pia.wait_for_selector("[data-testid=appoint-approver]")
    assert "Ingen i ärendets beslutsordning" in (panel.text_content() or "")
    assert pia.text_content("[data-testid=case-number]") == filed["caseNumber"]
    pia.fill("[data-testid=appoint-approver] [data-testid=person-search]", "sve")
    pia.get_by_role("button", name="Sven Berg", exact=True).click()
    walk.shot(pia, "appoint")
    pia.get_by_role("button", name="Utse", exact=True).click()
    pia.wait_for_selector("text=Lönecentrum utsåg en beslutsfattare")
    walk.shot(pia, "appointed")

    # By name: a type-ahead over the directory, then the person's cases.
    pia.click("a[href='#/desk']")
    pia.fill("form.search [data-testid=person-search]", "Anna And")
    pia.get_by_role("button", name="Anna Andersson", exact=True).click()
    pia.get_by_role("button", name="Filtrera", exact=True).click()
    pia.wait_for_selector("form.search")
    walk.shot(pia, "by-name")
    # By number: the one case.
    _, support = stack.json(
        "POST",
        "/cases",
        token=stack.token("anna"),
        payload={
            "formId": "payroll-support",
            "data": {"category": "skatt", "heading": "Skatt", "message": "Fel skatt i november."},
        },
    )
    pia.reload()
    pia.wait_for_selector("[data-testid=desk-q]")
    pia.fill("[data-testid=desk-q]", support["caseNumber"].lower())
    pia.get_by_role("button", name="Filtrera", exact=True).click()
    row = pia.wait_for_selector(f"[data-testid=desk-queue] a[href='#/cases/{support['caseId']}']")
    assert row.text_content() == support["caseNumber"]
    assert pia.locator("[data-testid=desk-queue] tbody tr").count() == 1
    walk.shot(pia, "by-number")
    assert walk.errors == []


def test_completion_request_answered_by_the_employee(browser: Any, stack: Http) -> None:
    """pia asks for the pay period (reopening that field only) → anna fills it in and answers → back at payroll."""
    walk = Walk(browser, stack, "completion")
    anna = walk.person("anna")
    anna.click("a[href='#/forms/payroll-support']")
    anna.wait_for_selector("#root_category")
    anna.select_option("#root_category", label="Lön och utbetalning")
    anna.fill("#root_heading", "Saknad OB-ersättning")
    anna.fill("#root_message", "OB för helgen saknas.")
    anna.click("button[type=submit]")
    anna.wait_for_url(re.compile(r"#/cases/[0-9A-Z]{26}$"))
    case_id = anna.url.rsplit("/", 1)[-1]
    wait_for_status(anna, "Hos Lönecentrum")

    pia = _open_from_desk(walk, "pia", case_id)
    # One conversation: the completion request is a message of the thread, ticked as one.
    thread = pia.locator(".thread")
    thread.locator("textarea").fill("Vilken löneperiod gäller det?")
    thread.get_by_label("Begär komplettering: ärendet väntar på avsändarens svar").check()
    thread.get_by_label("Avser löneperiod").check()
    thread.get_by_role("button", name="Begär komplettering", exact=True).click()
    wait_for_status(pia, "Väntar på komplettering")
    pia.wait_for_selector("[data-testid=message]:has-text('Begäran om komplettering')")
    assert "Väntar på avsändaren" in (pia.text_content("[data-testid=due-date]") or "")  # the clock is paused
    walk.shot(pia, "completion-requested")

    anna.reload()
    wait_for_status(anna, "Väntar på komplettering")
    assert anna.text_content("[data-testid=todo]") == "Att göra"  # something waits on her, and says so
    assert "Ärendet väntar på dig" in (anna.text_content("[data-testid=next]") or "")
    anna.wait_for_selector("text=Vilken löneperiod gäller det?")
    assert anna.get_attribute("#root_heading", "readonly") is not None  # only the reopened field is open
    anna.fill("#root_payPeriod", "2026-11")
    anna.locator(".correction > label textarea").fill("November.")
    walk.shot(anna, "completion-answer")
    anna.get_by_role("button", name="Skicka kompletteringen").click()
    wait_for_status(anna, "Hos Lönecentrum")
    pia.reload()
    wait_for_status(pia, "Hos Lönecentrum")
    pia.wait_for_selector("[data-testid=message]:has-text('November.')")
    walk.shot(pia, "completion-received")
    assert walk.errors == []


def _ask_for_certificate(page: Any, personnummer: str, *, since: str, from_bankid: bool = False) -> str:
    """From the catalogue: a certificate of service, delivered in the e-service; the case's id once at payroll.
    Signed in with BankID, the personnummer is BankID's: filled in and locked, not typed."""
    page.click("a[href='#/forms/certificate-request']")
    page.wait_for_selector("#root_certificateType")
    page.select_option("#root_certificateType", label="Tjänstgöringsintyg")
    if from_bankid:
        page.wait_for_function("document.querySelector('#root_personnummer').value !== ''")
        assert page.input_value("#root_personnummer") == personnummer
        assert not page.is_editable("#root_personnummer")
        assert page.text_content(".prefilled .help-block") == "Från BankID: du behöver inte skriva det."
    else:
        page.fill("#root_personnummer", personnummer)
    page.fill("#root_employmentPeriod_from", since)
    page.get_by_label("Digitalt i e-tjänsten").check()
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"#/cases/[0-9A-Z]{26}$"))
    case_id: str = page.url.rsplit("/", 1)[-1]
    wait_for_status(page, "Hos Lönecentrum")
    return case_id


def test_certificate_from_request_to_download(browser: Any, stack: Http, tmp_path: Path) -> None:
    """anna asks for a certificate delivered in the e-service → pia uploads it, previews it (whom it goes to),
    sends it → anna downloads it. Nothing reaches anna before pia sends it."""
    walk = Walk(browser, stack, "certificate")
    anna = walk.person("anna")
    case_id = _ask_for_certificate(anna, "19850314-2385", since="2019-03-01")

    issued = tmp_path / "intyg.pdf"
    issued.write_bytes(b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n")
    pia = _open_from_desk(walk, "pia", case_id)
    pia.set_input_files("[data-testid=certificate-file]", str(issued))
    preview = pia.wait_for_selector("[data-testid=certificate-preview]")
    assert pia.text_content("[data-testid=certificate-recipients]") == "Anna Andersson"
    walk.shot(pia, "certificate-preview")
    anna.reload()
    wait_for_status(anna, "Hos Lönecentrum")
    assert anna.locator("[data-testid=download-certificate]").count() == 0  # not sent yet
    preview.query_selector("button:has-text('Skicka intyget till Anna Andersson')").click()
    wait_for_status(pia, "Klar")
    walk.shot(pia, "certificate-delivered")

    anna.reload()
    wait_for_status(anna, "Klar")
    walk.shot(anna, "certificate-ready")
    with anna.expect_download() as download_info:
        anna.click("[data-testid=download-certificate]")
    assert Path(download_info.value.path()).read_bytes() == issued.read_bytes()
    assert walk.errors == []


def test_a_time_report_gets_its_rows_by_the_buttons_beside_them(browser: Any, stack: Http) -> None:
    """Rows are added and removed with buttons that say so in the reader's language (rjsf's own were blank
    icons), and the case holds the rows the person kept."""
    walk = Walk(browser, stack, "rows")
    today = date.today()
    anna = walk.person("anna")
    anna.click("a[href='#/forms/time-report']")
    anna.wait_for_selector("#root_period")
    anna.fill("#root_period", today.strftime("%Y-%m"))
    rows = anna.locator("fieldset#root_rows")
    for index, (activity, start, end) in enumerate([("PROJ1", "08:00", "12:00"), ("PROJ2", "13:00", "15:30")]):
        if index:
            rows.get_by_role("button", name="Lägg till", exact=True).last.click()
        anna.fill(f"#root_rows_{index}_date", today.isoformat())
        anna.fill(f"#root_rows_{index}_activity", activity)
        anna.fill(f"#root_rows_{index}_from", start)
        anna.fill(f"#root_rows_{index}_to", end)
    # The sums run as she types, by the server's rule, with a grand total; nobody edits a sum.
    totals = anna.locator("[data-testid=running-totals]")
    assert totals.locator("tbody tr").all_inner_texts() == ["PROJ1\t4 h", "PROJ2\t2,5 h"]
    assert anna.text_content("[data-testid=grand-total]") == "6,5 h"
    assert totals.locator("button, input").count() == 0
    # A row folds under its title and still says what it holds (a month of rows is a long scroll on a phone).
    first = anna.locator("details[data-testid=row]").first
    first.locator("summary").click()
    assert not anna.is_visible("#root_rows_0_activity")
    assert "PROJ1" in first.locator(".row-brief").inner_text()
    first.locator("summary").click()
    assert anna.is_visible("#root_rows_0_activity")
    rows.get_by_role("button", name="Lägg till", exact=True).last.click()
    anna.wait_for_selector("#root_rows_2_date")
    walk.shot(anna, "three-rows")
    anna.get_by_role("button", name="Ta bort", exact=True).nth(2).click()  # the empty third row
    assert anna.locator("#root_rows_2_date").count() == 0
    anna.click("button[type=submit]")
    anna.wait_for_url(re.compile(r"#/cases/[0-9A-Z]{26}$"))
    wait_for_status(anna, "Väntar på beslut")
    assert anna.input_value("#root_rows_1_activity") == "PROJ2"
    assert anna.locator("#root_rows_2_activity").count() == 0
    assert anna.text_content("[data-testid=computed]") == "PROJ1: 4 h, PROJ2: 2,5 h"  # the server's sums
    walk.shot(anna, "filed")
    assert walk.errors == []


def test_signing_in_through_the_oidc_provider_as_deployed(browser: Any, stack: Http) -> None:
    """The deployed client's sign-in (config.js ``signIn: "oidc"``): authorization code with PKCE against
    the dev identity provider, then an API call with the token it returned."""
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # config.js exactly as `python3 dev deploy` writes it from the stack's WebClientSettings output.
    deployed_config = render_config({"oidc": {"issuer": stack.base, "clientId": "eforms-local", "token": "id_token"}})
    page.route("**/app/config.js", lambda route: route.fulfill(body=deployed_config, content_type="text/javascript"))
    page.goto(f"{stack.base}/app/#/cases")
    page.click("[data-testid=oidc-sign-in]")
    page.wait_for_url(re.compile(r".*/dev/authorize\?.*code_challenge_method=S256.*"))
    page.click("[data-persona=maria]")  # the provider's own sign-in page
    page.wait_for_selector("[data-testid=signed-in-as]")
    assert page.inner_text("[data-testid=signed-in-as]") == "Maria Lind"
    assert page.url == f"{stack.base}/app/#/cases"  # code and state are gone from the address bar
    page.click("a[href='#/approvals']")  # a manager's menu: the roles came with the id token
    page.wait_for_selector("h1")
    token = page.evaluate("sessionStorage.getItem('eforms.token')")
    status, reply = stack.json("GET", "/approvals", token=token)
    assert status == 200, reply
    # A token the API no longer accepts (expired, revoked) ends the session: back to signing in.
    page.evaluate("sessionStorage.setItem('eforms.token', 'expired.token.value')")
    page.click("a[href='#/cases']")
    page.wait_for_selector("[data-testid=oidc-sign-in]")
    assert page.evaluate("sessionStorage.getItem('eforms.token')") is None
    assert errors == []
    context.close()


def test_an_outsider_signs_in_with_bankid_and_asks_for_a_certificate(browser: Any, stack: Http) -> None:
    """Kim, never employed here, signs in with BankID through the broker's OIDC flow (as deployed), sees only
    the forms open to BankID, asks for a certificate, and follows it under "My cases"."""
    walk = Walk(browser, stack, "bankid")
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("pageerror", lambda error: walk.errors.append(str(error)))
    script = render_config(
        {
            "oidc": {"issuer": stack.base, "clientId": "eforms-local"},
            "bankid": {"issuer": f"{stack.base}/bankid-idp", "clientId": "eforms-local-bankid"},
        }
    )
    page.route("**/app/config.js", lambda route: route.fulfill(body=script, content_type="text/javascript"))
    page.goto(f"{stack.base}/app/")
    walk.shot(page, "sign-in-choices")
    page.click("[data-testid=bankid-sign-in]")
    page.wait_for_url(re.compile(r".*/bankid-idp/dev/authorize\?.*"))
    page.click("[data-persona=kim]")  # the broker's own page (BankID itself is behind it)
    page.wait_for_selector("[data-testid=via-bankid]")
    assert page.inner_text("[data-testid=signed-in-as]") == "Kim Lindqvist"
    page.wait_for_selector("a[href='#/forms/certificate-request']")
    assert page.locator("text=Ledighetsansökan").count() == 0  # employee forms are not offered
    walk.shot(page, "bankid-catalogue")

    case_id = _ask_for_certificate(page, "19910730-3340", since="2018-01-08", from_bankid=True)
    page.wait_for_selector("text=Återkalla ärendet")  # her own case: she may withdraw it
    walk.shot(page, "bankid-case")
    page.click("a[href='#/cases']")
    page.wait_for_selector(f"a[href='#/cases/{case_id}']")
    walk.shot(page, "bankid-my-cases")
    assert walk.errors == []
    context.close()


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Http]:
    """The local stack serving a catalogue with a form the code has never seen (``python3 dev run --schemas``):
    study leave, with a required attachment and a route of manager → team."""
    with running_stack("--empty", "--schemas", str(new_form.publish(tmp_path_factory.mktemp("catalogue")))) as http:
        yield http


def test_attachment_from_upload_to_the_approvers_download(browser: Any, preview: Http, tmp_path: Path) -> None:
    """anna attaches a course description (a disguised file is refused first) → maria downloads it from the
    emailed decision page and approves → sara, of the team the route names, downloads it signed in and
    approves → the case is at payroll."""
    walk = Walk(browser, preview, "attachment")
    start = date.today() + timedelta(days=30)
    course = tmp_path / "Kursplan arbetsrätt.pdf"
    course.write_bytes(PDF)
    disguised = tmp_path / "faktura.pdf"
    disguised.write_bytes(EICAR)

    # 1. Anna fills in the form; without the required file the server says so at the upload control.
    anna = walk.person("anna")
    anna.click("a[href='#/forms/study-leave']")
    anna.wait_for_selector("#root_course")
    anna.fill("#root_period_from", start.isoformat())
    anna.fill("#root_period_to", (start + timedelta(days=4)).isoformat())
    anna.fill("#root_course", "Arbetsrätt grund")
    anna.click("button[type=submit]")
    control = "[data-testid=attachment-course-description]"
    anna.wait_for_selector(f"{control} >> text=Här behöver du bifoga en fil.")
    walk.shot(anna, "attachment-required")

    # 2. A file that is not what its name says is refused by the check and never joins the case.
    anna.set_input_files(f"{control} input[type=file]", str(disguised))
    anna.wait_for_selector(f"{control} li[data-state=refused]")
    assert "viruskontrollen" in (anna.text_content(f"{control} li[data-state=refused]") or "")
    walk.shot(anna, "attachment-refused")
    anna.click(f"{control} li[data-state=refused] button")

    # 3. The real course description is uploaded straight to S3, checked, and submitted with the form.
    anna.set_input_files(f"{control} input[type=file]", str(course))
    anna.wait_for_selector(f"{control} li[data-state=clean]")
    walk.shot(anna, "attachment-uploaded")
    anna.click("button[type=submit]")
    anna.wait_for_url(re.compile(r"#/cases/[0-9A-Z]{26}$"))
    case_id = anna.url.rsplit("/", 1)[-1]
    wait_for_status(anna, "Väntar på beslut")
    anna.wait_for_selector("[data-testid=attachment] >> text=Kursplan arbetsrätt.pdf")
    walk.shot(anna, "submitted-with-attachment")

    # 4. Maria opens the emailed link: the page lists the file with its hash, and downloads it without sign-in.
    maria = walk.from_email(case_id)
    maria.wait_for_selector("text=Bilagor")
    walk.shot(maria, "decision-page-attachments")
    with maria.expect_download() as download_info:
        maria.click("a:has-text('Kursplan arbetsrätt.pdf')")
    assert Path(download_info.value.path()).read_bytes() == PDF
    assert download_info.value.suggested_filename == "Kursplan arbetsrätt.pdf"
    approve_on_page(maria)
    walk.shot(maria, "approved-by-manager")

    # 5. Sara, in the team the route names, finds it among her approvals, downloads the file and approves.
    sara = walk.from_approvals("sara", case_id)
    sara.wait_for_selector("[data-testid=attachment]")
    with sara.expect_download() as download_info:
        sara.get_by_role("button", name="Hämta Kursplan arbetsrätt.pdf").click()
    assert Path(download_info.value.path()).read_bytes() == PDF
    walk.shot(sara, "team-step")
    sara.get_by_role("button", name="Skicka", exact=True).click()
    wait_for_status(sara, "Beviljad – hos Lönecentrum")
    walk.shot(sara, "approved-by-team")
    assert walk.errors == []


def test_an_access_request_goes_manager_team_payroll_and_is_checked_by_four_eyes(browser: Any, stack: Http) -> None:
    """Anna asks for Heroma roles (the seed's rule: Schemaadministratör combines with nothing) → Maria signs
    from the email → Sara of specialist support approves signed in → Pia grants and registers → Per checks."""
    walk = Walk(browser, stack, "access")
    anna = walk.person("anna")
    anna.click("a[href='#/forms/access-request']")
    anna.wait_for_selector("#root_workplace")
    anna.get_by_label("Schemaadministratör").check()
    anna.get_by_label("Heromarapportör").check()
    anna.fill("#root_workplace", "Äldreförvaltningen, Solgårdens vård- och omsorgsboende")
    anna.fill("#root_costCentre", "41200")
    anna.fill("#root_validFrom", (date.today() + timedelta(days=7)).isoformat())
    anna.get_by_label(re.compile("^Jag har godkända utbildningar")).check()
    # Both roles stay chosen while the rest is filled in (a conditional schema would make rjsf drop one).
    assert anna.get_by_label("Heromarapportör").is_checked()
    anna.click("button[type=submit]")
    # The incompatible pair, refused at the field in the form's own words, before anything is sent.
    anna.wait_for_selector(
        "text=Administrativt stöd, Chef och Schemaadministratör kan inte kombineras med någon annan roll."
    )
    walk.shot(anna, "incompatible-roles")
    anna.get_by_label("Schemaadministratör").uncheck()
    anna.click("button[type=submit]")
    anna.wait_for_url(re.compile(r"#/cases/[0-9A-Z]{26}$"))
    case_id = anna.url.rsplit("/", 1)[-1]
    wait_for_status(anna, "Väntar på beslut")

    maria = walk.from_email(case_id)
    approve_on_page(maria)
    walk.shot(maria, "signed-by-manager")

    sara = walk.from_approvals("sara", case_id)
    sara.wait_for_selector("form.decision")  # the team's step is hers to decide
    walk.shot(sara, "specialist-support")
    sara.get_by_role("button", name="Skicka", exact=True).click()
    wait_for_status(sara, "Beviljad – hos Lönecentrum")

    per = _registered_and_checked(walk, case_id, "HEROMA-ANNA-RAPP", approved=True)
    walk.shot(per, "access-granted")
    assert walk.errors == []


def test_a_manager_reports_a_new_salary_and_payroll_registers_it_with_four_eyes(browser: Any, stack: Http) -> None:
    """Maria reports Erik's new salary (a form always about someone else, straight to payroll, pay cut-off
    the 5th) → Pia registers it → Per checks it → Erik can see the case about him."""
    walk = Walk(browser, stack, "new-salary")
    maria = walk.person("maria")
    maria.click("a[href='#/forms/new-salary']")
    maria.wait_for_selector("#root_employee_employeeId")
    assert maria.locator("[data-testid=expected]").count() == 1  # the pay it reaches, before sending
    maria.fill("#root_employee_employeeId", "erik")
    maria.fill("#root_employee_name", "Erik Öberg")
    maria.fill("#root_effectiveDate", "2027-04-01")
    maria.get_by_label("Månadslön", exact=True).check()
    maria.fill("#root_monthlySalary", "36500")
    maria.select_option("#root_reason", label="Löneöversyn (lönerevision)")
    walk.shot(maria, "filled")
    maria.click("button[type=submit]")
    maria.wait_for_url(re.compile(r"#/cases/[0-9A-Z]{26}$"))
    case_id = maria.url.rsplit("/", 1)[-1]
    wait_for_status(maria, "Hos Lönecentrum")

    _registered_and_checked(walk, case_id, "LON-2027-ERIK")

    erik = walk.person("erik")
    erik.goto(f"{stack.base}/app/#/cases/{case_id}")
    wait_for_status(erik, "Klar")
    walk.shot(erik, "about-erik")
    assert walk.errors == []


def test_a_danish_one_off_payment_goes_to_the_manager_and_the_managers_manager(browser: Any, stack: Http) -> None:
    """Karen (HR, Danish browser) reports a DKK 30,000 one-off payment for Jens → Mette, his manager, approves
    from her Danish email → being 25,000 or more, Lars (the manager's manager, Swedish) approves too → payroll's
    four eyes. The Danish form, emails and decision page read in Danish; Lars reads his in Swedish."""
    walk = Walk(browser, stack, "one-off-dk")
    karen = walk.person("karen", locale="da-DK")
    karen.wait_for_selector("nav[aria-label='Hovedmenu']")  # the client follows the browser: Danish
    karen.click("a[href='#/forms/one-off-payment-dk']")
    karen.wait_for_selector("text=Engangsvederlag og variable ydelser")
    karen.fill("#root_employee_employeeId", "jens")
    karen.fill("#root_employee_name", "Jens Nielsen")
    karen.select_option("#root_kind", label="Engangsvederlag")
    karen.fill("#root_amountDkk", "0")
    karen.click("button[type=submit]")
    karen.wait_for_selector("text=Værdien skal være mindst 1.")  # the browser's check, in Danish
    karen.fill("#root_amountDkk", "30000")
    karen.fill("#root_reason", "Særlig indsats ved overgangen til nyt lønsystem.")
    walk.shot(karen, "filled-in-danish")
    karen.click("button[type=submit]")
    karen.wait_for_url(re.compile(r"#/cases/[0-9A-Z]{26}$"))
    case_id = karen.url.rsplit("/", 1)[-1]
    wait_for_status(karen, "Venter på afgørelse")

    mette = walk.from_email(case_id, locale="da-DK")
    mette.wait_for_selector("text=Engangsvederlag og variable ydelser fra Karen Møller")
    walk.shot(mette, "decision-page-danish")
    with mette.expect_navigation():
        mette.get_by_role("button", name="Godkend ansøgningen", exact=True).click()
    mette.wait_for_selector("text=Tak! Du har godkendt ansøgningen.")

    lars = walk.from_email(case_id, count=2)
    approve_on_page(lars)
    walk.shot(lars, "approved-by-managers-manager")
    wait_for_status(karen, "Bevilget – hos lønservicen")

    emails = [m for m in stack.json("GET", "/dev/mailbox")[1]["emails"] if m["case_id"] == case_id]
    to_mette = next(m for m in emails if m["kind"] == "approval-initial" and "mette.hansen@example.dk" in m["to"])
    assert to_mette["subject"].startswith("Engangsvederlag og variable ydelser venter på din afgørelse – Jens ")
    to_lars = next(m for m in emails if m["kind"] == "approval-initial" and "lars.holm@example.se" in m["to"])
    assert "väntar på ditt beslut" in to_lars["subject"]

    per = _registered_and_checked(walk, case_id, "SLS-ENGANG-JENS", approved=True)
    walk.shot(per, "registered-and-checked")
    assert walk.errors == []


def test_every_list_shows_more_on_request(browser: Any, stack: Http) -> None:
    """A list shows 25 cases and a button for the next page, until every case has been shown once."""
    walk = Walk(browser, stack, name="more")
    token = stack.token("erik")
    created = set()
    for offset in range(27):
        leave = {
            "leaveType": "semester",
            "period": {"from": (date.today() + timedelta(days=60 + offset)).isoformat()}
            | {"to": (date.today() + timedelta(days=60 + offset)).isoformat()},
            "extentPercent": 100,
        }
        status, case = stack.json("POST", "/cases", token=token, payload={"formId": "leave-application", "data": leave})
        assert status == 201, case
        created.add(case["caseId"])
    page = walk.person("erik")
    page.click("a[href='#/cases']")
    page.wait_for_selector("table.cases tbody tr")
    assert page.locator("table.cases tbody tr").count() == 25
    walk.shot(page, "first-page")
    while page.get_by_role("button", name="Visa fler").count():
        before = page.locator("table.cases tbody tr").count()
        page.get_by_role("button", name="Visa fler").click()
        page.wait_for_function(f"document.querySelectorAll('table.cases tbody tr').length > {before}")
    links = [a.get_attribute("href") for a in page.locator("table.cases tbody a").all()]
    shown = [href.rsplit("/", 1)[-1] for href in links if href]
    assert created <= set(shown)
    assert len(shown) == len(set(shown))
    walk.shot(page, "every-page")
    assert walk.errors == []


def _wait_until_listed(stack: Http, persona: str, path: str, case_id: str) -> None:
    """Until the listing at ``path`` shows the case: the workflow moves it there on its own, in seconds."""
    token, deadline = stack.token(persona), time.monotonic() + 20
    while time.monotonic() < deadline:
        _, listed = stack.json("GET", path, token=token)
        if case_id in {row["caseId"] for row in listed["items"]}:
            return
        time.sleep(0.3)
    raise AssertionError(f"{case_id} never listed at {path}")


def test_one_officer_works_two_customers_in_one_queue(browser: Any, stack: Http) -> None:
    """Lena of Sundsvik and Anna of the centre's own each ask payroll; Pia's team North serves both, so both
    are in her one queue, each row naming its organisation; she narrows it to Sundsvik and takes Lena's case.
    Siv of team South sees neither. People find their organisation on the sign-in page by their email."""
    walk = Walk(browser, stack, "customers")
    support = {"category": "skatt", "heading": "Skatt", "message": "Fel skatt i november."}
    filed = {}
    for persona in ("lena", "anna"):
        status, reply = stack.json(
            "POST", "/cases", token=stack.token(persona), payload={"formId": "payroll-support", "data": support}
        )
        assert status == 201, reply
        filed[persona] = reply["caseId"]
        _wait_until_listed(stack, "pia", "/desk/cases", reply["caseId"])

    # The sign-in page: the organisation found from the work email's domain, then its people only.
    page = browser.new_context(locale="sv-SE").new_page()
    page.goto(f"{stack.base}/app/")
    page.fill("[data-testid=work-email]", "lena.sjoberg@sundsvik.example.se")
    page.wait_for_selector("[data-organisation=sundsvik]")
    assert page.locator("[data-organisation]").count() == 1
    assert page.locator("[data-organisation=sundsvik] [data-persona=lena]").count() == 1
    walk.shot(page, "sign-in-by-email")

    pia = walk.person("pia")
    pia.click("a[href='#/desk']")
    for persona, organisation in (("lena", "Sundsviks kommun"), ("anna", "Lönecentrums egna")):
        row = pia.wait_for_selector(f"[data-testid=desk-queue] tr:has(a[href='#/cases/{filed[persona]}'])")
        assert organisation in (row.text_content() or ""), persona
    walk.shot(pia, "one-queue-two-customers")
    pia.select_option("[data-testid=desk-organisation]", "sundsvik")
    pia.get_by_role("button", name="Filtrera", exact=True).click()
    pia.wait_for_selector(f"[data-testid=desk-queue] a[href='#/cases/{filed['anna']}']", state="detached")
    pia.wait_for_selector(f"[data-testid=desk-queue] a[href='#/cases/{filed['lena']}']")
    cells = pia.locator("[data-testid=row-organisation]").all_text_contents()
    assert cells, "no rows"
    assert set(cells) == {"Sundsviks kommun"}, cells
    walk.shot(pia, "only-sundsvik")
    pia.click(f"a[href='#/cases/{filed['lena']}'] >> nth=0")
    assert pia.wait_for_selector("[data-testid=case-organisation]").text_content() == "Sundsviks kommun"
    pia.get_by_role("button", name="Ta ärendet", exact=True).click()
    pia.wait_for_selector("text=Pia Nilsson")
    walk.shot(pia, "sundsvik-case-taken")
    pia.set_viewport_size({"width": 360, "height": 800})
    pia.click("a[href='#/desk']")
    pia.wait_for_selector("[data-testid=desk-queue]")
    assert pia.evaluate("document.documentElement.scrollWidth") <= 360  # the rows are cards on a phone
    walk.shot(pia, "desk-at-360")

    siv = walk.person("siv")
    siv.click("a[href='#/desk']")
    siv.wait_for_selector("form.search")
    siv.wait_for_timeout(500)
    assert siv.locator(f"a[href='#/cases/{filed['lena']}']").count() == 0
    assert siv.locator(f"a[href='#/cases/{filed['anna']}']").count() == 0
    walk.shot(siv, "team-south")
    assert walk.errors == []


def test_a_danish_schools_employee_reads_danish_and_sees_whom_to_ask(browser: Any, stack: Http) -> None:
    """Freja of Skovby Gymnasium, on a Swedish browser: the whole client speaks Danish (her school reads Danish
    or English), lists the school's Danish forms and names her payroll contact; on a phone too."""
    walk = Walk(browser, stack, "skovby")
    freja = walk.person("freja", locale="sv-SE")
    freja.wait_for_selector("[data-testid=payroll-contact]")
    freja.wait_for_function("document.documentElement.lang === 'da'")
    assert (freja.text_content("[data-testid=payroll-contact]") or "").startswith("Din lønadministrator: Lønservice")
    assert freja.text_content("[data-testid=organisation-name]") == "Skovby Gymnasium"
    assert sorted(freja.locator("[data-testid=language] option").evaluate_all("os => os.map(o => o.value)")) == [
        "da",
        "en",
    ]
    assert freja.locator("a[href='#/forms/leave-application']").count() == 0  # not the school's form
    assert freja.locator("[data-testid=no-forms]").count() == 1  # her leader reports for her: she is told so
    freja.set_viewport_size({"width": 360, "height": 800})
    assert freja.evaluate("document.documentElement.scrollWidth") <= 360
    walk.shot(freja, "catalogue-da-360")
    henrik = walk.person("henrik", locale="en-GB")  # her leader: the school's Danish forms, in English
    henrik.wait_for_selector("a[href='#/forms/death-dk']")
    assert henrik.locator("a[href='#/forms/one-off-payment-dk']").count() == 1
    walk.shot(henrik, "catalogue-leader-en")
    assert walk.errors == []


def _the_service_report(walk: Walk, page: Any, stack: Http) -> None:
    """Last month's service report, which the stack's hourly run made when it started (docs/statistics.md §6):
    listed on the page, downloaded as the PDF that was emailed, and pictured to look at."""
    from eforms.core.statistics.service_reports import due_month

    month = due_month(date.today(), "se")
    if month is None:  # before the month's first working day: no report is due yet
        return
    deadline = time.monotonic() + 90  # the local scheduler's first run comes 30 s after the stack starts
    while time.monotonic() < deadline:
        _, listed = stack.json("GET", "/statistics/reports?organisation=lonecentrum", token=stack.token("pia"))
        if listed["items"]:
            break
        time.sleep(2)
    page.reload()
    page.wait_for_selector(f"[data-testid=report-{month}]")
    with page.expect_download() as downloaded:
        page.click(f"[data-testid=report-{month}]")
    pdf = Path(downloaded.value.path())
    assert pdf.read_bytes().startswith(b"%PDF-")
    walk.pdf_shot(pdf, "service-report")


def test_the_follow_up_figures_are_charted_with_their_tables_and_exported(browser: Any, stack: Http) -> None:
    """A case answered in time, registered, sent back by the second officer and registered again: Pia's
    statistics page counts it — charts drawn with their tables beside them, axe clean, at 360 px too — and
    the CSV she downloads says the same."""
    from tests.e2e.walk import axe_violations

    walk = Walk(browser, stack, "statistics")
    support = {"category": "skatt", "heading": "Skatt", "message": "Fel skatt i november."}
    status, filed = stack.json(
        "POST", "/cases", token=stack.token("anna"), payload={"formId": "payroll-support", "data": support}
    )
    assert status == 201, filed
    case_id = filed["caseId"]
    _wait_until_listed(stack, "pia", "/desk/cases", case_id)
    pia, per = stack.token("pia"), stack.token("per")

    def act(token: str, action: str, **body: Any) -> None:
        _, case = stack.json("GET", f"/cases/{case_id}", token=token)
        done, reply = stack.json(
            "POST", f"/cases/{case_id}/{action}", token=token, payload={"version": case["version"], **body}
        )
        assert done in (200, 201), reply

    said, _ = stack.json("POST", f"/cases/{case_id}/messages", token=pia, payload={"text": "Vi tittar på det."})
    assert said == 201
    act(pia, "registration", reference="HR-1", payPeriod="2026-12")
    act(per, "registration/check", outcome="return", note="Fel period.")
    act(pia, "registration", reference="HR-2", payPeriod="2027-01")
    act(per, "registration/check", outcome="approve")

    page = walk.person("pia")
    page.click("a[href='#/statistics']")
    deadline = time.monotonic() + 20
    returns = page.locator("[data-testid=statistics-total] tr", has_text="Returnerade registreringar").locator("td")

    def counted() -> tuple[int, int]:
        """(registrations sent back, registrations) as the page shows them; (0, 0) before any is counted."""
        found = re.findall(r"\((\d+)/(\d+)\)", returns.text_content() or "")
        return (int(found[0][0]), int(found[0][1])) if found else (0, 0)

    while counted()[0] < 1 and time.monotonic() < deadline:
        page.wait_for_timeout(500)  # the consumer counts from the bus on its own: look again
        page.get_by_role("button", name="Visa", exact=True).click()
    returned, registered = counted()
    assert returned >= 1  # Pia's registration the second officer sent back (and other tests', on this stack)
    assert registered >= 2
    assert page.locator(".statistics canvas").count() == 2
    page.wait_for_function("document.querySelectorAll('.statistics canvas').length === 2")
    page.wait_for_timeout(300)  # Chart.js draws on the next frame
    walk.shot(page, "figures")
    assert axe_violations(page) == []
    with page.expect_download() as downloaded:
        page.click("[data-testid=statistics-csv]")
    text = Path(downloaded.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Månad;Inkomna;")
    _the_service_report(walk, page, stack)
    page.set_viewport_size({"width": 360, "height": 800})
    page.wait_for_timeout(300)  # the charts follow their container's new width
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 8)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide
    walk.shot(page, "figures-360")
    assert walk.errors == []
