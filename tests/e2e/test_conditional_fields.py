"""Fields that apply only under a condition (issue 29 §2), in a real browser: the child's birth date appears
for parental leave only, the postal address for delivery by post only, and what was typed into a field that
stops applying is not sent (the server refuses it: not_allowed)."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import Http
from tests.e2e.walk import Walk


def test_a_field_shows_only_while_it_applies(browser: Any, stack: Http) -> None:
    walk = Walk(browser, stack, "conditional")
    anna = walk.person("anna")
    anna.click("a[href='#/forms/leave-application']")
    anna.wait_for_selector("#root_leaveType")
    assert anna.locator("#root_childBirthDate").count() == 0  # no leave type yet: no child's birth date
    anna.select_option("#root_leaveType", label="Föräldraledighet")
    anna.wait_for_selector("#root_childBirthDate")
    anna.fill("#root_childBirthDate", "2026-10-01")
    walk.shot(anna, "parental-leave")
    anna.select_option("#root_leaveType", label="Semester")
    anna.wait_for_selector("#root_childBirthDate", state="detached")
    anna.fill("#root_period_from", "2027-03-01")
    anna.fill("#root_period_to", "2027-03-05")
    anna.fill("#root_extentPercent", "100")
    anna.click("button[type=submit]")
    anna.wait_for_url(re.compile(r"#/cases/[0-9A-Z]{26}$"))  # the birth date typed before went with the type

    anna.click("a[href='#/']")
    anna.click("a[href='#/forms/certificate-request']")
    anna.wait_for_selector("#root_certificateType")
    assert anna.locator("#root_postalAddress_street").count() == 0
    anna.get_by_label("Med post").check()
    anna.wait_for_selector("#root_postalAddress_street")
    walk.shot(anna, "by-post")
    anna.get_by_label("Digitalt i e-tjänsten").check()
    anna.wait_for_selector("#root_postalAddress_street", state="detached")
    assert walk.errors == []
