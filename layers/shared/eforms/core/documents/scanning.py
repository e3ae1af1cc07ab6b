"""The check every uploaded file passes before it may join a case.

Read once, in chunks, as it streams from the quarantine prefix: the SHA-256 that the case, the PDF and
the access export show; the real type by the file's first bytes (a ``.pdf`` that is not a PDF is refused
whatever the browser claimed); the size against what the form allows; and the EICAR test signature, which
every anti-virus product treats as malware — the local stand-in for a malware scanner, and the way to test
the rejection path on AWS too. On AWS, Amazon GuardDuty Malware Protection for S3 scans the same object as
well; its verdict is read from the tag it sets (``aws/uploads.py``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from eforms.core.forms.attachments import TYPES

#: The EICAR anti-malware test file's signature (a harmless string every scanner must flag).
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@dataclass(frozen=True)
class Verdict:
    """``reason`` is None for a clean file, else the problem code shown to the person who uploaded it."""

    reason: str | None
    size: int
    sha256: str

    @property
    def clean(self) -> bool:
        return self.reason is None


def inspect(chunks: Iterable[bytes], *, declared_type: str, max_bytes: int) -> Verdict:
    """Read the file and judge it. Stops reading as soon as it is larger than ``max_bytes``."""
    digest = hashlib.sha256()
    size, head, tail, malware = 0, b"", b"", False
    for chunk in chunks:
        size += len(chunk)
        if size > max_bytes:
            return Verdict("file_too_large", size, "")
        if len(head) < 16:
            head = (head + chunk)[:16]
        window = tail + chunk  # a signature may straddle two chunks
        malware = malware or EICAR in window
        tail = window[-len(EICAR) :]
        digest.update(chunk)
    if size == 0:
        return Verdict("file_empty", 0, "")
    if malware:
        return Verdict("file_infected", size, "")
    signatures = TYPES.get(declared_type, ("", ()))[1]
    if not any(head.startswith(sig) for sig in signatures):
        return Verdict("file_type_mismatch", size, "")
    return Verdict(None, size, digest.hexdigest())
