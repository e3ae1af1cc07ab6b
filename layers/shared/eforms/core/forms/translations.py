"""A form's texts in each language it is published in.

A form is written in its first language (``x-eform.languages``, Swedish and English when it names none): a
node's ``title``, ``description`` and ``x-ruleMessage`` are in that language, and each other language's text
sits beside them under ``x-<language>`` (``x-en``, ``x-da``, ``x-sv``). Asked for a language the form is not
published in, a text reads in the form's own language, so a Swedish form shown in the Danish client reads
as it was written rather than as a blank. ``tests/unit/test_catalogue.py`` fails when a published language
misses a text.
"""

from __future__ import annotations

from typing import Any

from eforms.core.common.i18n import SUPPORTED, Language

#: The keywords whose text is shown to people and therefore translated.
TRANSLATED = ("title", "description", "x-ruleMessage")
#: The keys that hold a translation (``x-en`` …); they are removed from the schema the client receives.
TRANSLATION_KEYS = frozenset(f"x-{language}" for language in SUPPORTED)
DEFAULT_LANGUAGES: tuple[Language, ...] = ("sv", "en")


def translated(node: dict[str, Any], keyword: str, language: Language, default: Any = "") -> Any:
    """``node``'s ``keyword`` text in ``language``: its ``x-<language>`` translation, else as written."""
    translation = node.get(f"x-{language}")
    if isinstance(translation, dict) and translation.get(keyword) not in (None, ""):
        return translation[keyword]
    return node.get(keyword, default)


def titles(node: dict[str, Any], fallback: str) -> dict[str, str]:
    """Every language's title of a declaration (an attachment kind, a route step, a category)."""
    return {language: str(translated(node, "title", language) or fallback) for language in SUPPORTED}


def parse_languages(raw: Any) -> tuple[Language, ...]:
    """``x-eform.languages``: the languages a form is published in, the one it is written in first."""
    if raw is None:
        return DEFAULT_LANGUAGES
    if not isinstance(raw, list) or not raw or any(item not in SUPPORTED for item in raw) or len(set(raw)) < len(raw):
        raise ValueError(f"languages must be a non-empty list of {SUPPORTED}, each once")
    return tuple(raw)


def missing(node: Any, languages: tuple[Language, ...], path: str = "") -> list[str]:
    """Where a text shown to people lacks its translation into one of ``languages`` (after the first)."""
    found: list[str] = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            found += missing(item, languages, f"{path}/{index}")
    elif isinstance(node, dict):
        for keyword in TRANSLATED:
            if isinstance(node.get(keyword), str):
                for language in languages[1:]:
                    translation = node.get(f"x-{language}")
                    if not isinstance(translation, dict) or not translation.get(keyword):
                        found.append(f"{path or '/'} {keyword} x-{language}")
        for key, value in node.items():
            if key not in TRANSLATION_KEYS and key not in ("ui", "when", "documentRequiredWhen"):
                found += missing(value, languages, f"{path}/{key}")
    return found
