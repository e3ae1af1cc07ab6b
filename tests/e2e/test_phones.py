"""Phones are first-class (issue 29 §6): no page of the client is wider than a 320, 360 or 390 px screen.

Every page each kind of person reaches — signing in, the catalogue and every form in it, my cases and a case,
decisions and the team, the payroll desk, a case there and the pay-run files, the statistics, the mailbox and
the accessibility statement — is opened and its scroll width measured at each width, with a screenshot at
360 px to look at.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Http
from tests.e2e.walk import ARTIFACTS, Walk

WIDTHS = (320, 360, 390)


def _too_wide(page: Any, name: str) -> list[str]:
    """Each width the page scrolls sideways at, with the widest element that overflows; a screenshot at 360."""
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 780})
        page.wait_for_timeout(50)  # one layout
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            culprit = page.evaluate(
                """(w) => { let worst = null;
                  for (const e of document.querySelectorAll('body *')) {
                    const r = e.getBoundingClientRect();
                    if (e.closest("thead, .visually-hidden")) continue; // clipped away: seen by screen readers only
                    if (r.right > w + 1 && (!worst || r.right >= worst.r)) worst = { r: r.right, e };
                  }
                  return worst ? `${worst.e.tagName.toLowerCase()}.${worst.e.className} ${Math.round(worst.r)}px` : "";
                }""",
                width,
            )
            found.append(f"{name} at {width}px is {scroll}px wide ({culprit})")
        if width == 360:
            page.screenshot(path=str(ARTIFACTS / f"phone-360-{name}.png"), full_page=True)
    return found


def _visit(page: Any, base: str, route: str, ready: str) -> None:
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{base}/app/#{route}")
    page.wait_for_selector(ready)


def _list_and_its_first_case(page: Any, base: str, route: str, rows: str, name: str) -> list[str]:
    """A listing, then the first case it links to."""
    _visit(page, base, route, rows)
    found = _too_wide(page, name)
    first = page.locator(f"{rows} a[href^='#/cases/']").first.get_attribute("href")
    _visit(page, base, first.removeprefix("#"), "[data-testid=status]")
    return found + _too_wide(page, f"{name}-case")


def test_no_page_is_wider_than_a_phone(browser: Any, stack: Http) -> None:
    walk = Walk(browser, stack, "phones")
    problems: list[str] = []

    stranger = browser.new_context(locale="sv-SE").new_page()
    stranger.goto(f"{stack.base}/app/")
    stranger.wait_for_selector("[data-persona=anna]")
    problems += _too_wide(stranger, "sign-in")
    for route, name, ready in (("/accessibility", "accessibility", "h1"), ("/mailbox", "mailbox", "h1")):
        _visit(stranger, stack.base, route, ready)
        problems += _too_wide(stranger, name)

    anna = walk.person("anna")
    anna.wait_for_selector("a[href^='#/forms/']")
    problems += _too_wide(anna, "catalogue")
    forms = [link.get_attribute("href") for link in anna.locator("a[href^='#/forms/']").all()]
    assert len(forms) >= 8, forms
    for href in forms:
        _visit(anna, stack.base, href.removeprefix("#"), "form button[type=submit]")
        problems += _too_wide(anna, f"form-{href.rsplit('/', 1)[-1]}")
        # A yes/no question answers in the page's language (rjsf's own words were English).
        problems += [
            f"{href}: '{word}' on a Swedish page"
            for word in ("Yes", "No")
            if anna.get_by_text(word, exact=True).count()
        ]
    problems += _list_and_its_first_case(anna, stack.base, "/cases", "table.cases", "my-cases")

    maria = walk.person("maria")
    listed = "table.cases, main p:has-text('Inga ärenden')"  # the list, once loaded
    for route, name, ready in (("/approvals", "approvals", listed), ("/team", "team", listed)):
        _visit(maria, stack.base, route, ready)
        problems += _too_wide(maria, name)

    pia = walk.person("pia")
    problems += _list_and_its_first_case(pia, stack.base, "/desk", "[data-testid=desk-queue]", "desk")
    _visit(pia, stack.base, "/desk/pay-runs", "[data-testid=pay-runs-pending]")
    problems += _too_wide(pia, "pay-runs")

    cecilia = walk.person("cecilia")
    _visit(cecilia, stack.base, "/statistics", "h1")
    cecilia.wait_for_timeout(500)  # the charts draw after their figures arrive
    problems += _too_wide(cecilia, "statistics")

    assert problems == [], "\n".join(problems)
    assert walk.errors == []
