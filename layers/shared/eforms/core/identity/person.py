"""A person as a case records them: an id (the directory's employee id, or "system") and the name shown."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    id: str
    name: str
