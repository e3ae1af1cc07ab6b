"""EventBridge API destinations, on a laptop.

moto keeps rules and matches their patterns, but an API-destination target is not posted the way AWS posts
it (no body, no connection auth). So the local stack routes each such target to a queue of its own
(:func:`relay_queue_arn`), and :func:`drain` posts what arrives there as EventBridge would: the event as the
JSON body, the connection's API key header (its secret read from Secrets Manager, as CloudFormation's dynamic
reference would at deploy time) or an OAuth client-credentials token. A post answered with anything but 2xx is
tried again; after :data:`ATTEMPTS` the event goes to the rule target's dead-letter queue, as EventBridge does
when its retry policy runs out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from devstack.resources import resolve_deep
from devstack.template import Template

ATTEMPTS = 3
_DYNAMIC = re.compile(r"^\{\{resolve:secretsmanager:(?P<name>[^:]+):SecretString:(?P<key>[^}]+)\}\}$")


def _destination_of(template: Template, target: dict[str, Any]) -> str | None:
    arn = target.get("Arn")
    if isinstance(arn, dict) and "Fn::GetAtt" in arn:
        logical_id = arn["Fn::GetAtt"][0]
        if template.resources.get(logical_id, {}).get("Type") == "AWS::Events::ApiDestination":
            return str(logical_id)
    return None


def relay_queue_arn(template: Template, target: dict[str, Any], refs: dict[str, str]) -> str | None:
    """The relay queue standing in for the API destination a rule's target names; None for other targets."""
    destination = _destination_of(template, target)
    return refs[f"{destination}Relay.Arn"] if destination else None


@dataclass(frozen=True)
class Relay:
    destination: str
    queue_url: str
    endpoint: str
    connection: dict[str, Any]
    dead_letter_url: str | None
    #: The target's HttpParameters.HeaderParameters: a value starting ``$.`` is a path into the event.
    header_parameters: dict[str, str] | None = None


def relays(template: Template, refs: dict[str, str]) -> list[Relay]:
    found = []
    for rule in template.of_type("AWS::Events::Rule").values():
        for target in rule["Properties"].get("Targets", []):
            destination = _destination_of(template, target)
            if destination is None:
                continue
            props = template.resources[destination]["Properties"]
            connection = template.resources[props["ConnectionArn"]["Fn::GetAtt"][0]]["Properties"]
            dlq = target.get("DeadLetterConfig", {}).get("Arn")
            found.append(
                Relay(
                    destination=destination,
                    queue_url=refs[f"{destination}Relay"],
                    endpoint=str(resolve_deep(props["InvocationEndpoint"], refs)),
                    connection=resolve_deep(connection, refs),
                    dead_letter_url=refs[dlq["Fn::GetAtt"][0]] if dlq else None,
                    header_parameters=target.get("HttpParameters", {}).get("HeaderParameters"),
                )
            )
    return found


def _secret(secretsmanager: Any, reference: str) -> str:
    import json

    match = _DYNAMIC.match(reference)
    if not match:
        return reference
    value = secretsmanager.get_secret_value(SecretId=match["name"])["SecretString"]
    return str(json.loads(value)[match["key"]])


def _headers(relay: Relay, secretsmanager: Any, http: Any) -> dict[str, str]:
    from eforms.core.integrations.webhooks import Auth

    params = relay.connection["AuthParameters"]
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if "ApiKeyAuthParameters" in params:
        key = params["ApiKeyAuthParameters"]
        headers[key["ApiKeyName"]] = _secret(secretsmanager, key["ApiKeyValue"])
    elif "OAuthParameters" in params:
        oauth = params["OAuthParameters"]
        body = {p["Key"]: p["Value"] for p in oauth.get("OAuthHttpParameters", {}).get("BodyParameters", [])}
        auth = Auth(
            kind="oauth_client_credentials",
            secret_id="",
            token_url=oauth["AuthorizationEndpoint"],
            client_id=oauth["ClientParameters"]["ClientID"],
            scope=body.get("scope", ""),
        )
        secret = _secret(secretsmanager, oauth["ClientParameters"]["ClientSecret"])
        headers["Authorization"] = f"Bearer {http.client_credentials_token(auth, secret)}"
    return headers


def _from_event(relay: Relay, body: str) -> dict[str, str]:
    """The target's header parameters, a ``$.a.b`` value read from the event as EventBridge does."""
    import json

    event = json.loads(body)
    headers = {}
    for name, value in (relay.header_parameters or {}).items():
        found: Any = event
        if value.startswith("$."):
            for part in value[2:].split("."):
                found = found.get(part) if isinstance(found, dict) else None
        else:
            found = value
        if isinstance(found, str):
            headers[name] = found
    return headers


def drain(sqs: Any, secretsmanager: Any, found: list[Relay], http: Any) -> int:
    """Post every event waiting for an API destination; returns how many were accepted."""
    accepted = 0
    for relay in found:
        messages = sqs.receive_message(
            QueueUrl=relay.queue_url, MaxNumberOfMessages=10, VisibilityTimeout=2, AttributeNames=["All"]
        ).get("Messages", [])
        for message in messages:
            try:
                headers = {**_headers(relay, secretsmanager, http), **_from_event(relay, message["Body"])}
                status = http.post(relay.endpoint, message["Body"].encode(), headers)
            except Exception:  # a token endpoint refusing is a failed attempt, as on AWS
                status = 0
            attempts = int(message.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
            if 200 <= status < 300 or attempts >= ATTEMPTS:
                if not 200 <= status < 300 and relay.dead_letter_url:
                    sqs.send_message(QueueUrl=relay.dead_letter_url, MessageBody=message["Body"])
                sqs.delete_message(QueueUrl=relay.queue_url, ReceiptHandle=message["ReceiptHandle"])
                accepted += 200 <= status < 300
    return accepted
