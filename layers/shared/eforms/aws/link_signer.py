"""The decision link's key: HMAC-SHA256 inside KMS under a key kept for nothing else.

A link token is derived from the workflow step it belongs to (:func:`eforms.core.approval.links.token_for`),
so a retried step mails the same working link instead of killing the first. The key never leaves KMS, so
nobody who can read the tables (where the step's callback token is kept) can make a working link.
"""

from __future__ import annotations

from eforms.aws.clients import client


class KmsLinkSigner:
    """Implements :class:`eforms.core.approval.links.LinkSigner`."""

    def __init__(self, key_id: str) -> None:
        self.key_id = key_id

    def mac(self, message: bytes) -> bytes:
        answer = client("kms").generate_mac(KeyId=self.key_id, Message=message, MacAlgorithm="HMAC_SHA_256")
        return bytes(answer["Mac"])
