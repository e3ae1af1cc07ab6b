"""The Cognito user pool's identity providers and the web client's app client, generated from
``organisations/*.json`` into ``template.yaml`` (docs/organisations.md, §2).

One provider per customer organisation, named after it: the pre-token-generation trigger
(``functions/organisation_claim``) takes the organisation from the name of the provider that signed the person
in, so the names are the organisations' ids and nothing else. Each provider maps its claims (OIDC) or
attributes (SAML) to the pool's: email, name, ``custom:employee_id``, ``custom:roles`` (and the centre's
own ``custom:teams``); its email domains are its identifiers, so the hosted sign-in page sends a person who
types their work email to their own organisation's provider. Client secrets are named (Secrets Manager),
never written: CloudFormation resolves them at deploy time.

``python3 dev sign-in-providers`` rewrites the block; ``python3 dev test`` fails while it and the files
disagree. Every resource has the ``UsesCognito`` condition: with ``SignInWith=oidc`` none is made.
"""

from __future__ import annotations

import sys
from typing import Any

from devstack import generated
from devstack.template import ROOT, TEMPLATE
from eforms.core.organisations.registry import Organisation, Registry

BEGIN = (
    "  # >>> sign-in: generated from organisations/*.json by `python3 dev sign-in-providers`; edit those files, "
    "not this block"
)
END = "  # <<< sign-in"
#: Where a SAML provider (AD FS, Entra ID) puts what the pool needs, unless its file names another attribute.
SAML_CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims"
SAML_DEFAULTS = {
    "email": f"{SAML_CLAIMS}/emailaddress",
    "name": f"{SAML_CLAIMS}/name",
    "employeeIdClaim": f"{SAML_CLAIMS}/nameidentifier",
    "rolesClaim": "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
}
OIDC_DEFAULTS = {"email": "email", "name": "name", "employeeIdClaim": "sub", "rolesClaim": "roles"}
MAX_IDENTIFIERS = 50  # Cognito's limit of identifiers per provider


def logical_id(organisation: Organisation) -> str:
    """``skovby-gymnasium`` → ``SignInSkovbyGymnasium``."""
    return "SignIn" + "".join(part.capitalize() for part in organisation.organisation_id.split("-"))


def _provider(organisation: Organisation, default: str) -> dict[str, Any]:
    provider = organisation.provider
    saml = provider["type"] == "saml"
    defaults = SAML_DEFAULTS if saml else OIDC_DEFAULTS
    mapping = {
        "email": defaults["email"],
        "name": defaults["name"],
        "custom:employee_id": provider.get("employeeIdClaim", defaults["employeeIdClaim"]),
        "custom:roles": provider.get("rolesClaim", defaults["rolesClaim"]),
    }
    if not saml:
        mapping["custom:org"] = "org"  # a provider that names an organisation: the trigger refuses another's
    if organisation.organisation_id == default:
        mapping["custom:teams"] = "teams"  # the centre's officers' teams, from the centre's own provider
    if saml:
        details: dict[str, Any] = {"MetadataURL": provider["metadataUrl"], "IDPSignout": "false"}
    else:
        details = {
            "client_id": provider["clientId"],
            "client_secret": f"{{{{resolve:secretsmanager:{provider['secret']}:SecretString:clientSecret}}}}",
            "authorize_scopes": "openid email profile",
            "oidc_issuer": provider["issuer"],
            "attributes_request_method": "GET",
        }
    return {
        "Type": "AWS::Cognito::UserPoolIdentityProvider",
        "Condition": "UsesCognito",
        "Properties": {
            "UserPoolId": {"Ref": "UserPool"},
            "ProviderName": organisation.organisation_id,
            "ProviderType": "SAML" if saml else "OIDC",
            "ProviderDetails": details,
            "AttributeMapping": mapping,
            "IdpIdentifiers": list(organisation.email_domains)[:MAX_IDENTIFIERS],
        },
    }


def resources(registry: Registry) -> dict[str, Any]:
    """One identity provider per organisation, and the web client's app client that offers them all."""
    organisations = sorted(registry.organisations.values(), key=lambda o: o.organisation_id)
    made = {logical_id(o): _provider(o, registry.default) for o in organisations}
    made["UserPoolClient"] = {
        "Type": "AWS::Cognito::UserPoolClient",
        "Condition": "UsesCognito",
        "DependsOn": list(made),
        "Properties": {
            "UserPoolId": {"Ref": "UserPool"},
            "ClientName": {"Fn::Sub": "eforms-${Stage}-web"},
            "GenerateSecret": False,  # a browser's public client: the code flow with PKCE
            "AllowedOAuthFlowsUserPoolClient": True,
            "AllowedOAuthFlows": ["code"],
            "AllowedOAuthScopes": ["openid", "email", "profile"],
            "CallbackURLs": [{"Fn::Sub": "${PublicBaseUrl}/app/"}],
            "LogoutURLs": [{"Fn::Sub": "${PublicBaseUrl}/app/"}],
            "SupportedIdentityProviders": [o.organisation_id for o in organisations],
            "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH"],
            "PreventUserExistenceErrors": "ENABLED",
            "IdTokenValidity": 8,
            "AccessTokenValidity": 8,
            "TokenValidityUnits": {"IdToken": "hours", "AccessToken": "hours"},
        },
    }
    return made


def registry() -> Registry:
    found = Registry.read(ROOT / "organisations")
    if found is None:
        raise SystemExit("organisations/centre.json is missing: there is nobody to sign in")
    return found


def main(argv: list[str] | None = None) -> int:
    return generated.command(
        argv,
        name="sign-in-providers",
        source="organisations/*.json",
        template=TEMPLATE,
        rewritten=lambda text: generated.with_block(text, BEGIN, END, resources(registry())),
    )


if __name__ == "__main__":
    sys.exit(main())
