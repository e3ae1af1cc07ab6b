"""The keyed hash of a personnummer: HMAC-SHA256 computed inside KMS under the stack's HMAC key.

The key never leaves KMS, so a leaked table (or log, or backup) cannot be matched against a list of
personnummer by anyone without the right to call GenerateMac on that key. One call per new number per
container; repeats are served from memory.
"""

from __future__ import annotations

from functools import lru_cache

from eforms.aws.clients import client


class KmsPersonnummerHasher:
    """Implements :class:`eforms.core.identity.bankid.PersonnummerHasher`."""

    def __init__(self, key_id: str) -> None:
        self.key_id = key_id

    def digest(self, personnummer: str) -> str:
        return _mac(self.key_id, personnummer.replace("-", ""))


@lru_cache(maxsize=1024)
def _mac(key_id: str, personnummer: str) -> str:
    answer = client("kms").generate_mac(KeyId=key_id, Message=personnummer.encode("ascii"), MacAlgorithm="HMAC_SHA_256")
    return bytes(answer["Mac"]).hex()
