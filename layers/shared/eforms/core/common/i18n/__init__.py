"""Every text the server shows people, in every language it speaks, and choosing between them.

One home: each language is one file beside this module (``sv.json``, ``en.json``, ``da.json``), holding the
same keys in sections — ``error`` (the problem and field codes the API returns), ``page`` (the decision page),
``email``, ``pdf`` and ``value`` (how a yes/no or a decimal reads). Adding a language is adding its file and
its code to ``SUPPORTED``; ``tests/unit/test_i18n.py`` fails while any key lacks a translation in it.

The service speaks Swedish by default (the first centres are Swedish), Danish and English on request. Texts
are ``str.format`` templates whose names come from the error's params or the caller. A language's file is
read once per container, on first use, so a function that only ever answers in Swedish never reads the rest.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Literal

Language = Literal["sv", "en", "da"]
DEFAULT_LANGUAGE: Language = "sv"
SUPPORTED: tuple[Language, ...] = ("sv", "en", "da")

_HOME = Path(__file__).resolve().parent


def as_language(value: object) -> Language:
    """A stored preference (the directory's, a form's) as a language we speak; the default otherwise."""
    return value if value in SUPPORTED else DEFAULT_LANGUAGE


@cache
def texts(language: Language) -> dict[str, str]:
    """All of one language's texts, flattened to dotted keys (``email.receipt.subject``)."""
    raw = json.loads((_HOME / f"{language}.json").read_text(encoding="utf-8"))
    flat: dict[str, str] = {}

    def walk(node: dict[str, Any], prefix: str) -> None:
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            else:
                flat[f"{prefix}{key}"] = str(value)

    walk(raw, "")
    return flat


def text(key: str, language: Language, **params: Any) -> str:
    """The text under ``key`` in ``language`` (the default language's if it has none), filled in.

    A missing placeholder leaves the template as it is rather than raising: a message must never be what
    turns an answer into a 500.
    """
    template = texts(language).get(key)
    if template is None:
        template = texts(DEFAULT_LANGUAGE)[key]
    try:
        return template.format(**params) if params else template
    except (KeyError, IndexError, ValueError):
        return template


def has_message(code: str) -> bool:
    return f"error.{code}" in texts(DEFAULT_LANGUAGE)


def message(code: str, language: Language, params: dict[str, Any] | None = None) -> str:
    """The human message for a problem or field ``code``; an unknown code reads as the generic one."""
    key = f"error.{code}" if has_message(code) else "error.bad_request"
    return text(key, language, **(params or {}))


def negotiate(accept_language: str | None, offered: tuple[str, ...] | None = None) -> Language:
    """Pick a language we speak from an Accept-Language header, honouring q-values; Swedish when unsure.
    ``offered``: only these (an organisation's languages, its default first), the first when none fits."""
    fallback = as_language(offered[0]) if offered else DEFAULT_LANGUAGE
    if not accept_language:
        return fallback
    best: tuple[float, Language] | None = None
    for position, part in enumerate(accept_language.split(",")[:20]):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower().split("-")[0]
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag == "*":
            tag = fallback
        if tag in SUPPORTED and (offered is None or tag in offered) and quality > 0:
            # Earlier entries win ties, as the header's order expresses preference too.
            score = quality - position * 1e-6
            if best is None or score > best[0]:
                best = (score, tag)
    return best[1] if best else fallback
