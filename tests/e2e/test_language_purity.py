"""Every word on a screen in its reader's language (issue 29 §7), as the browser renders it.

Each kind of person opens the pages they reach in each language their organisation reads — the catalogue,
every form in it, their cases, the statistics, the accessibility statement — and the page's text is judged
with the same check the texts are judged with at their source (``tests/unit/test_language_purity.py``).
A part marked as written in another language (a form not published in the reader's, each language's name
in the picker) is that language's, not a slip; a person's own name is theirs. What people typed into a case
is theirs too, so a case's page is not judged here.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Http
from tests.e2e.walk import Walk
from tests.unit.test_language_purity import foreign

#: The page's own text: every text node whose nearest ``lang`` is the page's, outside a person's name.
_OWN_TEXT = """() => {
  const language = document.documentElement.lang;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || element.closest("script, style, [data-testid=signed-in-as]")) continue;
    const marked = element.closest("[lang]");
    if (marked && marked !== document.documentElement && !marked.lang.startsWith(language)) continue;
    parts.push(node.textContent);
  }
  return parts.join(" ");
}"""

LOCALES = {"sv": "sv-SE", "en": "en-GB", "da": "da-DK"}


def _slips(page: Any, base: str, route: str, ready: str, language: str) -> list[str]:
    page.goto(f"{base}/app/#{route}")
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.lang") == language
    text = page.evaluate(_OWN_TEXT)
    assert len(text) > 100, f"{route}: too little text to judge: {text!r}"
    found = foreign(language, text)
    return [f"{route} ({language}): {found}"] if found else []


def _walk(
    walk: Walk, persona: str, language: str, routes: tuple[tuple[str, str], ...], files: bool = True
) -> list[str]:
    """``persona``'s pages in ``language``: with ``files``, the catalogue and every form in it first."""
    page = walk.person(persona, LOCALES[language])
    slips: list[str] = []
    if files:
        slips += _slips(page, walk.stack.base, "/", "a[href^='#/forms/']", language)
        forms = [link.get_attribute("href").removeprefix("#") for link in page.locator("a[href^='#/forms/']").all()]
        for route in forms:
            slips += _slips(page, walk.stack.base, route, "form button[type=submit]", language)
    for route, ready in routes:
        slips += _slips(page, walk.stack.base, route, ready, language)
    page.context.close()
    return slips


def test_every_page_reads_in_each_language_its_reader_has(browser: Any, stack: Http) -> None:
    walk = Walk(browser, stack, "purity")
    common = (("/cases", "h1"), ("/accessibility", "h1"))
    slips: list[str] = []
    for language in ("sv", "en"):  # a Swedish municipality's people, and its centre's manager
        slips += _walk(walk, "anna", language, common)
        slips += _walk(walk, "cecilia", language, (("/statistics", "table"),), files=False)
    for language in ("da", "en"):  # a Danish school's people and its contact person
        slips += _walk(walk, "henrik", language, common)  # its forms are filed by managers
        slips += _walk(walk, "dorte", language, (("/statistics", "table"),), files=False)
    assert slips == []
    assert walk.errors == []
