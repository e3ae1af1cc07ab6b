"""Reading a small JSON request body field by field, collecting every problem with its pointer.

Each action's body is a flat object of a few known fields. :class:`Body` checks the shape once (an
object, no unknown fields) and then hands out each field already checked, so an action's parser is a
list of the fields it takes; :meth:`Body.done` raises one ``ValidationFailed`` listing every problem.
"""

from __future__ import annotations

import re
from typing import Any

from eforms.core.common.errors import FieldError, ValidationFailed
from eforms.core.common.input_safety import text_errors

_MAX_NAME = 40


class Body:
    def __init__(self, body: Any, allowed: set[str]) -> None:
        self.errors: list[FieldError] = []
        if not isinstance(body, dict):
            self.raw: dict[str, Any] = {}
            self.errors.append(FieldError("", "wrong_type", {"expected": "object"}))
            return
        self.raw = body
        self.errors += [FieldError(f"/{name[:_MAX_NAME]}", "unknown_field") for name in body if name not in allowed]

    def text(self, name: str, *, required: bool = False, limit: int, pattern: str | None = None) -> str:
        """A string field, stripped; ``too_long`` past ``limit`` characters; no control characters."""
        value: Any = self.raw.get(name, "")
        if not isinstance(value, str):
            self.errors.append(FieldError(f"/{name}", "wrong_type", {"expected": "string"}))
            return ""
        value = value.strip()
        if required and not value:
            self.errors.append(FieldError(f"/{name}", "required"))
        elif len(value) > limit:
            self.errors.append(FieldError(f"/{name}", "too_long", {"limit": limit}))
        elif value and pattern and not re.fullmatch(pattern, value):
            self.errors.append(FieldError(f"/{name}", "invalid_format"))
        else:
            self.errors += text_errors(value, f"/{name}")
        return str(value)

    def choice(self, name: str, allowed: tuple[str, ...]) -> str:
        value = self.raw.get(name)
        if value not in allowed:
            code = "required" if value is None else "invalid_choice"
            self.errors.append(FieldError(f"/{name}", code, {"allowed": list(allowed)}))
            return ""
        return str(value)

    def version(self) -> int:
        """The case version the caller saw: required on every change a person makes (stale → 409)."""
        value = self.raw.get("version")
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.errors.append(
                FieldError("/version", "required" if value is None else "wrong_type", {"expected": "integer"})
            )
            return 0
        return value

    def optional_id(self, name: str) -> str | None:
        value = self.raw.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or not 0 < len(value) <= 128:
            self.errors.append(FieldError(f"/{name}", "wrong_type", {"expected": "string"}))
            return None
        return value

    def value(self, name: str) -> Any:
        return self.raw.get(name)

    def fail(self, pointer: str, code: str, **params: Any) -> None:
        self.errors.append(FieldError(pointer, code, params))

    def done(self) -> None:
        if self.errors:
            raise ValidationFailed(sorted(self.errors, key=lambda e: (e.pointer, e.code)))
