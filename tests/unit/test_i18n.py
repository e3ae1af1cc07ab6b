import re

import pytest

from eforms.core.common.i18n import DEFAULT_LANGUAGE, SUPPORTED, has_message, message, negotiate, text, texts


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "sv"),
        ("", "sv"),
        ("en", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("sv-SE,sv;q=0.9,en;q=0.8", "sv"),
        ("de,en;q=0.5", "en"),
        ("de,fr", "sv"),
        ("en;q=0, sv;q=0.1", "sv"),
        ("en;q=0.4,sv;q=0.6", "sv"),
        ("en;q=garbage", "sv"),
        ("*", "sv"),
        ("en," * 500, "en"),
        ("da", "da"),
        ("da-DK,da;q=0.9,en;q=0.8", "da"),
        ("nb,da;q=0.7,sv;q=0.6", "da"),
    ],
)
def test_negotiate(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


_PLACEHOLDER = re.compile(r"\{([a-z_]*)\}")


def test_every_text_exists_in_every_language_with_the_same_placeholders() -> None:
    """Adding a language is adding its file: a key it lacks, or a placeholder it names differently (which
    would print as a raw ``{name}``), fails here, naming the key."""
    reference = texts(DEFAULT_LANGUAGE)
    assert len(reference) > 200
    for language in SUPPORTED:
        translated = texts(language)
        assert sorted(set(reference) - set(translated)) == [], language
        assert sorted(set(translated) - set(reference)) == [], language
        for key, template in translated.items():
            assert template.strip(), (language, key)
            if key != "error.form_rule":  # each language shows the rule's text in itself: {sv}, {en}, {da}
                assert set(_PLACEHOLDER.findall(template)) == set(_PLACEHOLDER.findall(reference[key])), (language, key)
    assert {text("error.form_rule", language) for language in SUPPORTED} == {f"{{{lang}}}" for lang in SUPPORTED}


def test_message_fills_parameters_and_never_raises() -> None:
    assert message("too_long", "en", {"limit": 5}) == "Too long (at most 5 characters)."
    assert message("too_long", "da", {"limit": 5}) == "For langt (højst 5 tegn)."
    assert message("too_long", "sv", {}) == "För långt (högst {limit} tecken)."
    assert message("no-such-code", "en") == text("error.bad_request", "en")


def test_every_code_the_server_raises_has_a_message() -> None:
    """A refusal's code is what a person reads, translated: a code without a message would show the generic
    "bad request" text, which tells nobody what to fix."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    raised = re.compile(
        r"(?:FieldError\([^,()]+,\s*|(?:BadRequest|Forbidden|NotFound|Conflict|ServiceUnavailable|Verdict|"
        r'PayloadTooLarge|UnsupportedMediaType)\(\s*)"([a-z_]+)"'
    )
    sources = [*root.glob("layers/shared/eforms/**/*.py"), *root.glob("functions/*/app.py")]
    codes = {code for source in sources for code in raised.findall(source.read_text(encoding="utf-8"))}
    assert len(codes) > 40  # the pattern still finds what it should
    assert sorted(code for code in codes if not has_message(code)) == []
