"""Who is calling, taken from the claims of a JWT that API Gateway (or the local front) already verified.

The handlers never see the token itself, only its claims. API Gateway's HTTP API JWT authorizer hands
array claims over as a string such as ``"[manager payroll]"``; the local stack hands them over as real
lists. Both are accepted.

Two kinds of caller (docs/forms-platform.md, "Who may file"): an **employee** signed in with the
organisation's account, identified by a directory id; and someone signed in with **BankID** through the
OIDC broker (a token from the BankID issuer), identified by a personnummer claim. The personnummer lives
only in memory here: :mod:`eforms.core.identity.bankid` turns it into a keyed hash before anything keeps it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from eforms.core.cases.model import PAYROLL_QUEUE
from eforms.core.common.errors import Unauthorized
from eforms.core.forms.personnummer import is_valid

#: Roles the service knows. Everyone signed in is an employee; the others come from the IdP's roles claim.
MANAGER, ADMINISTRATOR, PAYROLL = "manager", "administrator", "payroll"
#: The centre-wide role: a payroll officer (or the centre's manager) who works for every team's customers.
CENTRE = "centre"
#: A customer organisation's contact person: their organisation's follow-up figures and service reports.
CONTACT = "contact"
PAYROLL_ROLES = frozenset({PAYROLL, CENTRE})
_MAX_ID = 128
#: The payroll queue of a centre that declares no teams (no ``organisations/``): everyone's one queue.
_ONE_QUEUE = frozenset({PAYROLL_QUEUE})


EMPLOYEE, BANKID = "employee", "bankid"


@dataclass(frozen=True)
class Caller:
    id: str
    name: str
    email: str
    roles: frozenset[str]
    #: How they signed in: ``employee`` (organisation account) or ``bankid``; forms declare which they take.
    kind: str = EMPLOYEE
    #: A BankID caller's personnummer until it is hashed (never stored, logged or shown); else empty.
    personnummer: str = field(default="", repr=False)
    #: The customer organisation they belong to, from the token (docs/organisations.md); "" before any is known.
    organisation_id: str = ""
    #: The forms their organisation offers (``None``: every form — one organisation, or none declared).
    offered: frozenset[str] | None = None
    #: A payroll officer's teams (``centre.json``): whose customers' cases they see and work. Empty otherwise.
    teams: frozenset[str] = frozenset()
    #: Whose people a payroll officer works with: their teams' customers, each as its people's ids name it
    #: (:func:`eforms.core.organisations.people.organisation_of`: ``""`` for the default organisation).
    serves: frozenset[str] = frozenset()

    def offers(self, form_id: str) -> bool:
        return self.offered is None or form_id in self.offered

    def as_plain(self) -> dict[str, Any]:
        """The caller as plain data (what an idempotent request stores with its result); never the personnummer."""
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "roles": sorted(self.roles),
            "kind": self.kind,
            "organisation": self.organisation_id,
            "offered": sorted(self.offered) if self.offered is not None else None,
            "teams": sorted(self.teams),
            "serves": sorted(self.serves),
        }

    @classmethod
    def from_plain(cls, plain: Mapping[str, Any]) -> Caller:
        offered = plain.get("offered")
        return cls(
            id=plain["id"],
            name=plain["name"],
            email=plain["email"],
            roles=frozenset(plain["roles"]),
            kind=plain["kind"],
            organisation_id=plain.get("organisation", ""),
            offered=frozenset(offered) if offered is not None else None,
            teams=frozenset(plain.get("teams", ())),
            serves=frozenset(plain.get("serves", ())),
        )

    @property
    def is_employee_sign_in(self) -> bool:
        return self.kind == EMPLOYEE

    def has_any(self, roles: frozenset[str] | tuple[str, ...]) -> bool:
        return bool(self.roles & frozenset(roles))

    @property
    def is_payroll(self) -> bool:
        return self.has_any(PAYROLL_ROLES)

    @property
    def queues(self) -> tuple[str, ...]:
        """The payroll queues this officer works, in order: their teams' (each team's customers' cases), or
        the one queue, ``payroll``, of a centre that declares no teams. None for anyone else."""
        return tuple(sorted(self.teams or _ONE_QUEUE)) if self.is_payroll else ()

    def works(self, queue: str | None) -> bool:
        """Whether a payroll queue is this officer's."""
        return queue is not None and queue in self.queues


def _roles(raw: Any) -> frozenset[str]:
    """A list claim (roles, teams) as a set, from a real list or API Gateway's ``"[a b]"`` string."""
    if isinstance(raw, list | tuple):
        items = [str(r) for r in raw]
    elif isinstance(raw, str):
        items = raw.strip().strip("[]").replace(",", " ").split()
    else:
        items = []
    return frozenset(r.strip().strip('"').lower() for r in items if r.strip())


@dataclass(frozen=True)
class BankIdIssuer:
    """The OIDC broker's issuer (the token's ``iss``) and the claim that carries the personnummer."""

    issuer: str
    personnummer_claim: str = "personnummer"


def caller_from_claims(
    claims: Mapping[str, Any] | None, *, id_claim: str = "sub", bankid: BankIdIssuer | None = None
) -> Caller:
    """Build the caller, or raise ``Unauthorized`` when the claims do not identify anyone."""
    if not claims:
        raise Unauthorized()
    if bankid is not None and bankid.issuer and claims.get("iss") == bankid.issuer:
        number = claims.get(bankid.personnummer_claim)
        number = number.replace("-", "") if isinstance(number, str) else ""
        if not is_valid(number):
            raise Unauthorized()
        # Never any role: a BankID sign-in files and follows one's own cases, nothing else.
        name = str(claims.get("name") or " ".join(str(claims.get(k) or "") for k in ("given_name", "family_name")))
        return Caller(
            id="",
            name=name.strip(),
            email=str(claims.get("email") or ""),
            roles=frozenset(),
            kind=BANKID,
            personnummer=number,
        )
    caller_id = claims.get(id_claim)
    if not isinstance(caller_id, str) or not caller_id or len(caller_id) > _MAX_ID:
        raise Unauthorized()
    return Caller(
        id=caller_id,
        name=str(claims.get("name") or ""),
        email=str(claims.get("email") or ""),
        roles=_roles(claims.get("roles")),
        organisation_id=str(claims.get("org") or ""),
        teams=_roles(claims.get("teams")),
    )
