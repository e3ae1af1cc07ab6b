"""Attachments as data: the kinds of file a form takes (``x-eform.attachments``; docs/forms-platform.md).

Each kind says whether it is required, how many files and how large, and which file types. The types are
the platform's: each has a signature the check recognises by its first bytes, so a file named ``.pdf``
that is not a PDF is refused whatever the browser claimed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from eforms.core.forms import translations
from eforms.core.forms.translations import TRANSLATION_KEYS

#: Content type → the extension a download gets and the leading bytes a real file of that type starts with.
TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "application/pdf": ("pdf", (b"%PDF-",)),
    "image/jpeg": ("jpg", (b"\xff\xd8\xff",)),
    "image/png": ("png", (b"\x89PNG\r\n\x1a\n",)),
    # Office Open XML documents are zip containers.
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx", (b"PK\x03\x04",)),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx", (b"PK\x03\x04",)),
}
#: The largest file any form may take (the presigned POST's ceiling, and what the check reads at most).
MAX_BYTES = 20 * 1024 * 1024
MAX_COUNT = 20
_KIND = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class AttachmentKind:
    kind: str  # e.g. "employment-contract"
    titles: dict[str, str] = field(default_factory=dict)
    required: bool = False
    max_count: int = 1
    max_bytes: int = 5 * 1024 * 1024
    types: tuple[str, ...] = ("application/pdf",)

    def title(self, language: str) -> str:
        return self.titles.get(language) or self.titles.get("sv") or self.kind


def parse_attachments(raw: Any) -> tuple[AttachmentKind, ...]:
    """The kinds a form declares, checked; ``ValueError`` says what is wrong."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ValueError("attachments must be a list of kinds")
    kinds = tuple(_kind(item, index) for index, item in enumerate(raw))
    names = [k.kind for k in kinds]
    if len(set(names)) != len(names):
        raise ValueError("attachments: each kind is declared once")
    return kinds


def _kind(item: Any, index: int) -> AttachmentKind:
    where = f"attachments[{index}]"
    if not isinstance(item, dict) or not _KIND.match(str(item.get("kind", ""))):
        raise ValueError(f"{where}: kind must be a lower-case id")
    unknown = set(item) - {"kind", "title", "required", "maxCount", "maxBytes", "types", *TRANSLATION_KEYS}
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    max_count, max_bytes = item.get("maxCount", 1), item.get("maxBytes", 5 * 1024 * 1024)
    if not isinstance(max_count, int) or not 1 <= max_count <= MAX_COUNT:
        raise ValueError(f"{where}: maxCount must be 1..{MAX_COUNT}")
    if not isinstance(max_bytes, int) or not 1 <= max_bytes <= MAX_BYTES:
        raise ValueError(f"{where}: maxBytes must be 1..{MAX_BYTES}")
    types = item.get("types", ["application/pdf"])
    if not isinstance(types, list) or not types or any(t not in TYPES for t in types):
        raise ValueError(f"{where}: types must be some of {sorted(TYPES)}")
    titles = translations.titles(item, item["kind"])
    return AttachmentKind(item["kind"], titles, bool(item.get("required", False)), max_count, max_bytes, tuple(types))
