"""Sending the service's emails through SES v2 (moto's SES locally, where the dev mailbox reads them).

Sent as a raw MIME message (multipart/alternative: plain text first, then HTML) so that every client
shows a readable part, and so the exact message can be read back from the local emulator.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from botocore.exceptions import BotoCoreError, ClientError

from eforms.aws.availability import aws_code
from eforms.aws.clients import client
from eforms.core.notify.emails import Email
from eforms.observability import logger


def mime(email: Email, sender: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["X-Eforms-Kind"] = email.kind
    message["X-Eforms-Case"] = email.case_id
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    for attachment in email.attachments:  # the message becomes multipart/mixed: the text, then the files
        kind, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(attachment.data, maintype=kind, subtype=subtype, filename=attachment.filename)
    # Last: set_content() clears Content-* headers, and add_attachment() moves them into the text's part.
    message["Content-Language"] = email.language
    return message.as_bytes()


class SesMailer:
    def __init__(self, sender: str) -> None:
        self.sender = sender

    def send(self, email: Email) -> None:
        try:
            response = client("sesv2").send_email(
                FromEmailAddress=self.sender,
                Destination={"ToAddresses": [email.to]},
                Content={"Raw": {"Data": mime(email, self.sender)}},
                EmailTags=[{"Name": "kind", "Value": email.kind}, {"Name": "caseId", "Value": email.case_id}],
            )
        except (ClientError, BotoCoreError) as error:
            # Seen by ops at WARNING (the queue or the workflow retries it): which case and kind, and SES's
            # error code — never the address or the text.
            code = aws_code(error) or type(error).__name__
            logger.warning("email not sent", extra={"kind": email.kind, "caseId": email.case_id, "error": code})
            raise
        # The address and the content are personal data; the message id, kind and case are not.
        logger.info(
            "email sent", extra={"kind": email.kind, "caseId": email.case_id, "messageId": response.get("MessageId")}
        )
