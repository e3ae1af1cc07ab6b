"""What the browser tests share: Debian's Chromium as the tests launch it, a walk through the client as
signed-in people (with a screenshot per step), and waiting for the workflow to move a case on."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from devstack.template import ROOT
from tests.e2e.conftest import Http

CHROMIUM = Path("/usr/bin/chromium")
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"  # poppler-utils (``python3 dev test`` installs it)
ARTIFACTS = ROOT / "test-artifacts" / "browser"
# Debian's Chromium as root, headless, with nothing that tries to reach the internet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Walk:
    def __init__(self, browser: Any, stack: Http, name: str = "leave") -> None:
        self.browser, self.stack, self.step, self.name = browser, stack, 0, name
        self.errors: list[str] = []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def person(self, persona: str, locale: str = "sv-SE") -> Any:
        """A fresh browser session signed in as ``persona`` through the persona picker, its browser set to
        ``locale`` (the client speaks the browser's language until the person picks another)."""
        context = self.browser.new_context(accept_downloads=True, locale=locale)
        page = context.new_page()
        page.set_default_timeout(20_000)
        # A script error in the client fails the walk with its message, not with a later timeout.
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.goto(f"{self.stack.base}/app/")
        page.click(f"[data-persona={persona}]")
        page.wait_for_selector("[data-testid=signed-in-as]")
        return page

    def shot(self, page: Any, name: str) -> None:
        self.step += 1
        page.screenshot(path=str(ARTIFACTS / f"{self.name}-{self.step:02d}-{name}.png"), full_page=True)

    def pdf_shot(self, pdf: Path, name: str) -> None:
        """A downloaded PDF's first page as a screenshot beside the pages' (poppler's pdftoppm), to look at."""
        self.step += 1
        target = ARTIFACTS / f"{self.name}-{self.step:02d}-{name}"
        subprocess.run(
            [PDFTOPPM, "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(target)], check=True
        )

    def from_email(self, case_id: str, count: int = 1, locale: str = "sv-SE") -> Any:
        """The manager's browser (no sign-in) on the decision page the ``count``-th approval email links."""
        page = self.browser.new_context(accept_downloads=True, locale=locale).new_page()
        page.set_default_timeout(20_000)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.goto(self.link(case_id, count))
        return page

    def from_approvals(self, persona: str, case_id: str) -> Any:
        """A team member signed in, on the case from their "to decide" list."""
        page = self.person(persona)
        page.click("a[href='#/approvals']")
        page.click(f"a[href='#/cases/{case_id}']")
        page.wait_for_selector("[data-testid=status]")
        return page

    def link(self, case_id: str, count: int) -> str:
        """The decision link in the ``count``-th approval email of the case, from the local mailbox."""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            emails = self.stack.json("GET", "/dev/mailbox")[1]["emails"]
            requests = [m for m in emails if m["case_id"] == case_id and m["kind"] == "approval-initial"]
            if len(requests) >= count:
                match = re.search(r"https?://\S+/decisions/[A-Za-z0-9_-]+", requests[0]["text"])
                assert match
                return match.group(0)
            time.sleep(0.2)
        raise AssertionError(f"no approval email #{count} for {case_id}")


def approve_on_page(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Bevilja ansökan", exact=True).click()


def wait_for_status(page: Any, expected: str) -> None:
    """Reload the case view until it shows ``expected`` (the workflow moves on its own)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if page.text_content("[data-testid=status]") == expected:
            return
        time.sleep(0.3)
        page.reload()
        page.wait_for_selector("[data-testid=status]")
    raise AssertionError(f"status stayed {page.text_content('[data-testid=status]')!r}, wanted {expected!r}")


AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
# The success criteria the DOS law (Sweden) and the Danish web accessibility act point at: WCAG 2.1 A and AA.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, one line each (rule, impact, where).

    axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern,
    so the page audited is the page as served, headers included."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_21_AA,
    )
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} at " + ", ".join(str(n["target"]) for n in rule["nodes"][:4])
        for rule in result["violations"]
    ]
