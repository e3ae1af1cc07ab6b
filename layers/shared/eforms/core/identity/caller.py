"""Who is calling, taken from the claims of a JWT that API Gateway (or the local front) already verified.

The handlers never see the token itself, only its claims. API Gateway's HTTP API JWT authorizer hands
array claims over as a string such as ``"[manager payroll]"``; the local stack hands them over as real
lists. Both are accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from eforms.core.common.errors import Unauthorized

#: Roles the service knows. Everyone signed in is an employee; the others come from the IdP's roles claim.
MANAGER, ADMINISTRATOR, PAYROLL = "manager", "administrator", "payroll"
PAYROLL_ROLES = frozenset({PAYROLL})
_MAX_ID = 128


@dataclass(frozen=True)
class Caller:
    id: str
    name: str
    email: str
    roles: frozenset[str]

    def has_any(self, roles: frozenset[str] | tuple[str, ...]) -> bool:
        return bool(self.roles & frozenset(roles))

    @property
    def is_payroll(self) -> bool:
        return self.has_any(PAYROLL_ROLES)


def _roles(raw: Any) -> frozenset[str]:
    if isinstance(raw, list | tuple):
        items = [str(r) for r in raw]
    elif isinstance(raw, str):
        items = raw.strip().strip("[]").replace(",", " ").split()
    else:
        items = []
    return frozenset(r.strip().strip('"').lower() for r in items if r.strip())


def caller_from_claims(claims: Mapping[str, Any] | None, *, id_claim: str = "sub") -> Caller:
    """Build the caller, or raise ``Unauthorized`` when the claims do not identify anyone."""
    if not claims:
        raise Unauthorized()
    caller_id = claims.get(id_claim)
    if not isinstance(caller_id, str) or not caller_id or len(caller_id) > _MAX_ID:
        raise Unauthorized()
    return Caller(
        id=caller_id,
        name=str(claims.get("name") or ""),
        email=str(claims.get("email") or ""),
        roles=_roles(claims.get("roles")),
    )
