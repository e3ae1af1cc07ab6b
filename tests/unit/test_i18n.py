import pytest

from eforms.core.common.i18n import MESSAGES, message, negotiate


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
    ],
)
def test_negotiate(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


def test_every_message_exists_in_both_languages() -> None:
    for code, texts in MESSAGES.items():
        assert set(texts) == {"sv", "en"}, code
        assert all(texts.values()), code


def test_message_fills_parameters_and_never_raises() -> None:
    assert message("too_long", "en", {"limit": 5}) == "Too long (at most 5 characters)."
    assert message("too_long", "sv", {}) == "För långt (högst {limit} tecken)."
    assert message("no-such-code", "en") == MESSAGES["bad_request"]["en"]


def test_every_code_the_server_raises_has_a_message() -> None:
    """A refusal's code is what a person reads, translated: a code without a message would show the generic
    "bad request" text, which tells nobody what to fix."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    raised = re.compile(
        r"(?:FieldError\([^,()]+,\s*|(?:BadRequest|Forbidden|NotFound|Conflict|ServiceUnavailable|Verdict|"
        r'PayloadTooLarge|UnsupportedMediaType)\(\s*)"([a-z_]+)"'
    )
    sources = [*root.glob("layers/shared/eforms/**/*.py"), *root.glob("functions/*/app.py")]
    codes = {code for source in sources for code in raised.findall(source.read_text(encoding="utf-8"))}
    assert len(codes) > 40  # the pattern still finds what it should
    assert sorted(codes - set(MESSAGES)) == []
