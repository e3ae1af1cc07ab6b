"""Drafts in a real browser (issue 29): a time report half filled is saved, resumed on another device (a fresh
browser context, signed in again), finished and sent; the draft is gone once the case exists."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from tests.e2e.conftest import Http
from tests.e2e.walk import Walk, axe_violations, wait_for_status

PHONE = {"width": 360, "height": 780}


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px phone"


def test_a_half_filled_time_report_is_saved_resumed_elsewhere_and_sent(browser: Any, stack: Http) -> None:
    walk = Walk(browser, stack, "drafts")
    today = date.today()
    erik = walk.person("erik")
    erik.set_viewport_size(PHONE)
    erik.click("a[href='#/forms/time-report']")
    erik.wait_for_selector("#root_period")
    erik.fill("#root_period", today.strftime("%Y-%m"))
    erik.fill("#root_rows_0_date", today.isoformat())
    erik.fill("#root_rows_0_activity", "PROJ7")  # no times yet: not valid, and kept as it is
    erik.get_by_label("Namn på utkastet (frivilligt)").fill("Projekttid")
    erik.click("[data-testid=save-draft]")
    erik.wait_for_selector("[data-testid=draft-status]:has-text('Sparat')")
    assert "finns kvar under Mina ärenden till" in erik.text_content("[data-testid=draft-status]")
    assert erik.locator("[data-testid=error-summary]").count() == 0  # saving is not sending: no form errors
    _fits(erik)
    walk.shot(erik, "saved")
    erik.context.close()

    # Another device: a new browser, signed in again. The draft waits under "My cases".
    again = walk.person("erik")
    again.set_viewport_size(PHONE)
    again.click("a[href='#/cases']")
    card = again.locator("[data-testid=drafts] li", has_text="Tidrapport – Projekttid")
    card.wait_for()
    _fits(again)
    walk.shot(again, "my-drafts")
    assert axe_violations(again) == []
    card.get_by_role("link", name="Fortsätt").click()
    again.wait_for_selector("#root_rows_0_activity")
    assert again.input_value("#root_period") == today.strftime("%Y-%m")
    assert again.input_value("#root_rows_0_activity") == "PROJ7"
    assert "Du fortsätter ett utkast som sparades" in again.text_content("[data-testid=draft-status]")
    again.fill("#root_rows_0_from", "08:00")
    again.fill("#root_rows_0_to", "12:00")
    walk.shot(again, "resumed")
    again.click("button[type=submit]")
    again.wait_for_url(re.compile(r"#/cases/[0-9A-Z]{26}$"))
    wait_for_status(again, "Väntar på beslut")
    assert again.input_value("#root_rows_0_activity") == "PROJ7"

    again.click("a[href='#/cases']")
    again.wait_for_selector("table.cases")
    assert again.locator("[data-testid=drafts]").count() == 0  # sent: the draft went with the filing
    assert walk.errors == []
