"""Which organisation a person signed in for, stamped into their tokens (docs/organisations.md, §2).

Deployed, one Cognito user pool federates every customer's identity provider (OIDC or SAML). Each provider
is named after its organisation (``template.yaml``'s generated block). Before Cognito issues tokens, its
pre-token-generation trigger calls :func:`stamp` with the person's attributes: the organisation is the one
whose provider signed the person in — **never** anything the person or their provider asserts. A provider of
A that asserts organisation B is refused, and so is anyone the pool knows without a provider (nobody signs up
to the pool itself): Cognito then issues no token at all.

The claims the API reads: ``org`` (the organisation), ``employee_id`` (the person's id in their
organisation's own systems, as its directory export names them; the service makes it ``<org>/<id>``),
``roles`` (manager, administrator — and for the centre's own people payroll and centre) and, for the centre's
officers, ``teams``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from eforms.core.identity.caller import ADMINISTRATOR, CENTRE, CONTACT, MANAGER, PAYROLL
from eforms.core.organisations import people
from eforms.core.organisations.registry import Registry

#: The roles any organisation's provider may grant; the centre's own may grant the desk's too.
CUSTOMER_ROLES = frozenset({MANAGER, ADMINISTRATOR, CONTACT})
CENTRE_ROLES = CUSTOMER_ROLES | {PAYROLL, CENTRE}
#: The user pool's attributes the providers' claims are mapped to (template.yaml, AttributeMapping).
EMPLOYEE_ID, ROLES, TEAMS, ASSERTED_ORGANISATION = "custom:employee_id", "custom:roles", "custom:teams", "custom:org"


class SignInRefused(Exception):
    """No token for this person: ``reason`` says why (logged and counted; never shown with personal data)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def provider_of(attributes: Mapping[str, Any]) -> str | None:
    """The identity provider that signed the person in (Cognito's ``identities`` attribute), if any."""
    try:
        identities = json.loads(str(attributes.get("identities") or "[]"))
    except ValueError:
        return None
    if not isinstance(identities, list) or not identities or not isinstance(identities[0], dict):
        return None
    name = identities[0].get("providerName")
    return name if isinstance(name, str) and name else None


def stamp(registry: Registry, attributes: Mapping[str, Any]) -> dict[str, Any]:
    """The claims for a person Cognito signed in, or ``SignInRefused``."""
    provider = provider_of(attributes)
    if provider is None:
        raise SignInRefused("not_federated")
    organisation = registry.get(provider)
    if organisation is None:
        raise SignInRefused("unknown_provider")
    asserted = str(attributes.get(ASSERTED_ORGANISATION) or "")
    if asserted and asserted != organisation.organisation_id:
        raise SignInRefused("organisation_mismatch")
    employee_id = str(attributes.get(EMPLOYEE_ID) or "")
    if not people.is_local(employee_id) or len(employee_id) > 128:
        raise SignInRefused("no_employee_id")
    own = organisation.organisation_id == registry.default
    roles = sorted(_words(attributes.get(ROLES)) & (CENTRE_ROLES if own else CUSTOMER_ROLES))
    claims: dict[str, Any] = {"org": organisation.organisation_id, "employee_id": employee_id, "roles": roles}
    if own and {PAYROLL, CENTRE} & set(roles):
        claims["teams"] = sorted(_words(attributes.get(TEAMS)) & set(registry.centre.teams))
    return claims


def _words(raw: Any) -> set[str]:
    """A provider's multi-valued claim as Cognito maps it: a JSON list, or words separated by commas or spaces."""
    text = str(raw or "").strip()
    if text.startswith("["):
        try:
            loaded = json.loads(text)
        except ValueError:
            loaded = None
        if isinstance(loaded, list):
            return {str(item).strip().lower() for item in loaded if str(item).strip()}
    return {word.strip().lower() for word in text.replace(",", " ").split() if word.strip()}
