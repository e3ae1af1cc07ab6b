"""The dev mailbox reads what SES would deliver: a short Swedish text sent 8bit comes out as written."""

from __future__ import annotations

from email.message import EmailMessage

from devstack.mailbox import _parse


def test_an_8bit_utf8_part_is_decoded_by_its_charset() -> None:
    message = EmailMessage()
    message["Subject"] = "Ärendet är mottaget"
    message["X-Eforms-Kind"] = "receipt"
    message.set_content("Åsa är här, Ærø og Øresund.")  # short: the policy sends it 8bit, not quoted-printable
    message.add_alternative("<p>Åsa är här</p>", subtype="html")
    raw = message.as_bytes().decode("utf-8")  # as moto keeps it: text
    parsed = _parse(raw)
    assert parsed.subject == "Ärendet är mottaget"
    assert parsed.text.strip() == "Åsa är här, Ærø og Øresund."
    assert "Åsa är här" in parsed.html
