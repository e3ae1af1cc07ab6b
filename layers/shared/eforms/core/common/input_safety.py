"""Checks on submitted JSON that no schema keyword expresses: nesting depth and hostile characters.

These run before schema validation because they protect what comes after it: a document nested
thousands of levels deep exhausts recursion, NUL bytes and C0/C1 control characters corrupt PDFs,
emails and logs, and lone UTF-16 surrogates cannot be encoded as UTF-8 at all (DynamoDB would refuse
the write with a 5xx). Bidirectional embedding, override and isolate controls (U+202A–U+202E,
U+2066–U+2069) make text display in another order than it was written — a message that reads reversed to
the officer, a file name whose extension is not what it shows ("Trojan Source") — and no one types them.
Newline, carriage return and tab are ordinary text and stay allowed; so do the left-to-right and
right-to-left marks, which Arabic and Hebrew writers use and which reorder nothing around them.
"""

from __future__ import annotations

import re
from typing import Any

from eforms.core.common.errors import FieldError

MAX_DEPTH = 32
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def pointer_join(parent: str, key: str | int) -> str:
    """Append one reference token to a JSON pointer, escaping ``~`` and ``/`` as RFC 6901 requires."""
    token = str(key).replace("~", "~0").replace("/", "~1")
    return f"{parent}/{token}"


def depth_of(document: Any) -> int:
    """Nesting depth of containers (a scalar is 0, ``{}`` is 1), computed without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            stack.extend((value, depth + 1) for value in node.values())
            deepest = max(deepest, depth + 1)
        elif isinstance(node, list):
            stack.extend((value, depth + 1) for value in node)
            deepest = max(deepest, depth + 1)
    return deepest


def text_errors(document: Any, base: str = "") -> list[FieldError]:
    """Every string (value or key) that holds control characters or unencodable code points."""
    errors: list[FieldError] = []
    stack: list[tuple[Any, str]] = [(document, base)]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, str):
            if _SURROGATE.search(node):
                errors.append(FieldError(pointer, "invalid_text"))
            elif _CONTROL.search(node):
                errors.append(FieldError(pointer, "control_characters"))
        elif isinstance(node, dict):
            for key, value in node.items():
                child = pointer_join(pointer, _printable(key))
                if _SURROGATE.search(key) or _CONTROL.search(key):
                    errors.append(FieldError(child, "invalid_text"))
                    continue
                stack.append((value, child))
        elif isinstance(node, list):
            stack.extend((value, pointer_join(pointer, index)) for index, value in enumerate(node))
    return sorted(errors, key=lambda e: e.pointer)


def _printable(key: str) -> str:
    """A key made safe to echo back in a pointer (hostile characters replaced by U+FFFD)."""
    return shown_back(key)[:200]


def shown_back(value: str) -> str:
    """Refused text made safe to put back in front of its writer (a form shown again with its errors): the
    control, bidirectional and lone surrogate characters it was refused for become U+FFFD."""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("\ufffd", value))
