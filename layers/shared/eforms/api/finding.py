"""``q`` on a listing route (the desk's queue, ``GET /cases``): the page it finds, wired to the stores.

The finding itself is :mod:`eforms.core.cases.search`; this only hands it the request's caller and the
per-request stores, so each handler stays a line long.
"""

from __future__ import annotations

from collections.abc import Callable

from eforms.core.cases import search
from eforms.core.cases.model import Page
from eforms.core.common.clock import stockholm_date
from eforms.core.identity.caller import Caller
from eforms.wiring import case_store, directory, now, personnummer_hasher


def page(params: dict[str, str], caller: Caller, listing: Callable[[str | None], Page]) -> Page:
    """``listing(None)`` when nothing is sought; with ``q``, the numbered case, or ``listing`` narrowed to the
    person a personnummer names."""
    if "q" not in params:
        return listing(None)
    return search.run(
        params["q"],
        store=case_store(),
        directory=directory(),
        hasher=personnummer_hasher(),
        caller=caller,
        today=stockholm_date(now()),
        listing=listing,
    )
