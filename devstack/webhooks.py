"""Webhook subscribers, declared in ``webhooks.yaml``, become delivery resources in ``template.yaml``.

``python3 dev webhooks`` rewrites the block between the markers in the template's Resources from the file;
``python3 dev test`` fails when the two disagree (tests/unit/test_webhooks.py), so the file is the one place
a subscriber is declared and the template stays what ``sam deploy`` deploys. The local stack merges the same
resources into the template it runs (``python3 dev run --webhooks FILE``), so a subscriber declared in a file
receives events on a laptop exactly as deployed. docs/webhooks.md has the design.

Two ways out, chosen per subscriber:

- **Unsigned** (``signed: false``): an EventBridge rule on the case bus targets an **API destination** with a
  **connection** holding the auth (an API key header, or OAuth client credentials). EventBridge retries for
  24 hours with backoff, then puts the event in the subscriber's dead-letter queue.
- **Signed** (``signed: true``): EventBridge cannot sign, so the rule targets the subscriber's **queue**, and
  the delivery function (``functions/webhook_delivery``) posts each event with a Standard Webhooks signature
  (``core/integrations/signing.py``) under a key the stack generates in Secrets Manager, plus the auth if any.
  Failed posts come back after 30 s doubling to an hour; after 12 attempts (about six hours) the event moves to
  the subscriber's dead-letter queue.

Either way each subscriber has its own dead-letter queue and an alarm on it. Secrets never appear in the file:
it names Secrets Manager secrets, which CloudFormation resolves at deploy time (connections) or the function
reads at run time.
"""

from __future__ import annotations

import copy
import json
import sys
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from devstack import generated
from devstack.template import ROOT, TEMPLATE, Template

FILE = ROOT / "webhooks.yaml"
BEGIN = "  # >>> webhooks: generated from webhooks.yaml by `python3 dev webhooks`; edit that file, not this block"
END = "  # <<< webhooks"
SECRET_NAME = r"^[A-Za-z0-9/_+=.@-]{1,512}$"  # noqa: S105 - the pattern of a secret's name
# http only to this machine (the local stack's tests); every real receiver is https.
URL = r"^(https://[^\s/]+(/\S*)?|http://(127\.0\.0\.1|localhost)(:\d+)?(/\S*)?)$"
DELIVERY_FUNCTION = "WebhookDeliveryFunction"
MAX_RECEIVES = 12


@cache
def event_types() -> frozenset[str]:
    """The documented case event types (docs/case-event.schema.json), the only ones a subscriber may name."""
    schema = json.loads((ROOT / "docs" / "case-event.schema.json").read_text(encoding="utf-8"))
    return frozenset(schema["properties"]["detail-type"]["enum"])


def organisation_ids() -> frozenset[str]:
    """The declared customer organisations (organisations/<id>.json), which a subscriber may be limited to."""
    names = {path.stem for path in (ROOT / "organisations").glob("*.json")}
    return frozenset(names - {"centre", "organisation.schema"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ApiKeyAuth(_Strict):
    type: Literal["api_key"]
    header: str = Field(default="X-Api-Key", pattern=r"^[A-Za-z0-9-]{1,64}$")
    secret: str = Field(pattern=SECRET_NAME, description='Secrets Manager secret: {"apiKey": "…"}')


class OAuthClientCredentials(_Strict):
    type: Literal["oauth_client_credentials"]
    tokenUrl: str = Field(pattern=URL)
    clientId: str = Field(min_length=1, max_length=512)
    secret: str = Field(pattern=SECRET_NAME, description='Secrets Manager secret: {"clientSecret": "…"}')
    scope: str = Field(default="", max_length=512)


class Subscriber(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$")
    events: list[str] = Field(min_length=1)
    url: str = Field(pattern=URL)
    auth: Annotated[ApiKeyAuth | OAuthClientCredentials, Field(discriminator="type")] | None = None
    signed: bool = False
    rateLimitPerSecond: int = Field(default=10, ge=1, le=300)
    #: Only these customer organisations' cases (organisations/<id>.json): a municipality's own records
    #: system receives its own cases and nobody else's. Absent: every organisation's.
    organisations: list[str] | None = Field(default=None, min_length=1)

    @field_validator("organisations")
    @classmethod
    def _known_organisations(cls, organisations: list[str] | None) -> list[str] | None:
        known = organisation_ids()
        unknown = sorted(set(organisations or ()) - known)
        if unknown:
            raise ValueError(f"not an organisation in organisations/: {', '.join(unknown)}")
        return organisations

    @field_validator("events")
    @classmethod
    def _known_events(cls, events: list[str]) -> list[str]:
        unknown = sorted(set(events) - event_types())
        if unknown:
            raise ValueError(f"not a case event type: {', '.join(unknown)} (docs/events.md lists them)")
        if len(set(events)) != len(events):
            raise ValueError("an event type is named twice")
        return events

    @model_validator(mode="after")
    def _unsigned_needs_auth(self) -> Subscriber:
        if not self.signed and self.auth is None:
            raise ValueError(
                "an unsigned subscriber is delivered by an EventBridge API destination, whose connection needs "
                "auth (api_key or oauth_client_credentials); or set signed: true"
            )
        return self

    @property
    def logical(self) -> str:
        """The subscriber's part of its resources' logical ids: "case-archive" → "WebhookCaseArchive"."""
        return "Webhook" + "".join(part.capitalize() for part in self.name.split("-"))


class SubscribersFile(_Strict):
    subscribers: list[Subscriber] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> SubscribersFile:
        logicals = [s.logical for s in self.subscribers]
        if len(set(logicals)) != len(logicals):
            raise ValueError("two subscribers share a name")
        return self


def load_subscribers(path: Path = FILE) -> list[Subscriber]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return SubscribersFile.model_validate(raw).subscribers


def _ref(name: str) -> dict[str, str]:
    return {"Ref": name}


def _arn(name: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [name, "Arn"]}


def _dead_letter(s: Subscriber) -> dict[str, Any]:
    dlq = f"{s.logical}DeadLetterQueue"
    return {
        dlq: {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "KmsMasterKeyId": _ref("CaseDataKey"),
                "KmsDataKeyReusePeriodSeconds": 3600,
                "MessageRetentionPeriod": 1209600,
            },
        },
        f"{s.logical}DeadLettered": {
            "Type": "AWS::CloudWatch::Alarm",
            "Properties": {
                "AlarmDescription": f"Case events the webhook subscriber {s.name} did not accept in time. "
                'See docs/operations.md, "Webhooks".',
                "Namespace": "AWS/SQS",
                "MetricName": "ApproximateNumberOfMessagesVisible",
                "Dimensions": [{"Name": "QueueName", "Value": {"Fn::GetAtt": [dlq, "QueueName"]}}],
                "Statistic": "Maximum",
                "Period": 300,
                "EvaluationPeriods": 1,
                "Threshold": 0,
                "ComparisonOperator": "GreaterThanThreshold",
                "TreatMissingData": "notBreaching",
                "AlarmActions": [_ref("AlarmTopic")],
                "OKActions": [_ref("AlarmTopic")],
            },
        },
    }


def _queue_policy(s: Subscriber, queues: list[str]) -> dict[str, Any]:
    return {
        f"{s.logical}QueuePolicy": {
            "Type": "AWS::SQS::QueuePolicy",
            "Properties": {
                "Queues": [_ref(q) for q in queues],
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "CaseEventsFromTheBus",
                            "Effect": "Allow",
                            "Principal": {"Service": "events.amazonaws.com"},
                            "Action": "sqs:SendMessage",
                            "Resource": [_arn(q) for q in queues],
                            "Condition": {"ArnEquals": {"aws:SourceArn": _arn(f"{s.logical}Rule")}},
                        }
                    ],
                },
            },
        }
    }


def _rule(s: Subscriber, target: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{s.logical}Rule": {
            "Type": "AWS::Events::Rule",
            "Properties": {
                "Description": f"Case events for the webhook subscriber {s.name} (webhooks.yaml).",
                "EventBusName": _ref("CaseEventBus"),
                "EventPattern": {
                    "source": ["eforms.cases"],
                    "detail-type": list(s.events),
                    **({"detail": {"organisationId": list(s.organisations)}} if s.organisations else {}),
                },
                "Targets": [
                    {"Id": s.logical, **target, "DeadLetterConfig": {"Arn": _arn(f"{s.logical}DeadLetterQueue")}}
                ],
            },
        }
    }


def _resolve(secret: str, key: str) -> str:
    """A dynamic reference: CloudFormation reads the value at deploy time; it is never in the template."""
    return f"{{{{resolve:secretsmanager:{secret}:SecretString:{key}}}}}"


def _api_destination(s: Subscriber) -> dict[str, Any]:
    """Unsigned: rule → API destination (its connection holds the auth), retried by EventBridge for a day."""
    auth = s.auth
    if isinstance(auth, ApiKeyAuth):
        connection = {
            "AuthorizationType": "API_KEY",
            "AuthParameters": {
                "ApiKeyAuthParameters": {"ApiKeyName": auth.header, "ApiKeyValue": _resolve(auth.secret, "apiKey")}
            },
        }
    else:
        assert isinstance(auth, OAuthClientCredentials)
        oauth: dict[str, Any] = {
            "AuthorizationEndpoint": auth.tokenUrl,
            "HttpMethod": "POST",
            "ClientParameters": {"ClientID": auth.clientId, "ClientSecret": _resolve(auth.secret, "clientSecret")},
            "OAuthHttpParameters": {
                "BodyParameters": [{"Key": "grant_type", "Value": "client_credentials"}]
                + ([{"Key": "scope", "Value": auth.scope}] if auth.scope else [])
            },
        }
        connection = {"AuthorizationType": "OAUTH_CLIENT_CREDENTIALS", "AuthParameters": {"OAuthParameters": oauth}}
    destination = f"{s.logical}Destination"
    return {
        f"{s.logical}Connection": {
            "Type": "AWS::Events::Connection",
            "Properties": {"Description": f"Auth for the webhook subscriber {s.name}.", **connection},
        },
        destination: {
            "Type": "AWS::Events::ApiDestination",
            "Properties": {
                "ConnectionArn": _arn(f"{s.logical}Connection"),
                "InvocationEndpoint": s.url,
                "HttpMethod": "POST",
                "InvocationRateLimitPerSecond": s.rateLimitPerSecond,
            },
        },
        f"{s.logical}InvokeRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "events.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                            "Condition": {"StringEquals": {"aws:SourceAccount": _ref("AWS::AccountId")}},
                        }
                    ],
                },
                "Policies": [
                    {
                        "PolicyName": "InvokeTheSubscribersDestination",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": "events:InvokeApiDestination",
                                    "Resource": _arn(destination),
                                }
                            ],
                        },
                    }
                ],
            },
        },
        **_rule(
            s,
            {
                "Arn": _arn(destination),
                "RoleArn": _arn(f"{s.logical}InvokeRole"),
                # The case event's stable id, as signed deliveries send it: a subscriber dedups on it.
                "HttpParameters": {"HeaderParameters": {"webhook-id": "$.detail.eventId"}},
                "RetryPolicy": {"MaximumRetryAttempts": 185, "MaximumEventAgeInSeconds": 86400},
            },
        ),
        **_queue_policy(s, [f"{s.logical}DeadLetterQueue"]),
        **_dead_letter(s),
    }


def _signed_queue(s: Subscriber) -> dict[str, Any]:
    """Signed: rule → the subscriber's queue → the delivery function, with a signing key of the stack's own."""
    queue = f"{s.logical}Queue"
    return {
        f"{s.logical}SigningSecret": {
            "Type": "AWS::SecretsManager::Secret",
            "Properties": {
                "Description": f"The key that signs webhooks to {s.name}; give it to the receiver (docs/webhooks.md).",
                "GenerateSecretString": {"PasswordLength": 48, "ExcludePunctuation": True},
            },
        },
        queue: {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "KmsMasterKeyId": _ref("CaseDataKey"),
                "KmsDataKeyReusePeriodSeconds": 3600,
                "VisibilityTimeout": 180,  # six times the function's timeout
                "MessageRetentionPeriod": 345600,
                "RedrivePolicy": {
                    "deadLetterTargetArn": _arn(f"{s.logical}DeadLetterQueue"),
                    "maxReceiveCount": MAX_RECEIVES,
                },
            },
        },
        **_rule(s, {"Arn": _arn(queue)}),
        **_queue_policy(s, [queue, f"{s.logical}DeadLetterQueue"]),
        **_dead_letter(s),
    }


def _delivery_function(signed: list[Subscriber]) -> dict[str, Any]:
    """One function for every signed subscriber: it tells them apart by the queue a record came from."""
    targets = {
        f"${{{s.logical}Queue.Arn}}": {
            "name": s.name,
            "url": s.url,
            "signingSecret": f"${{{s.logical}SigningSecret}}",
            **({"auth": s.auth.model_dump(exclude_defaults=False)} if s.auth else {}),
        }
        for s in signed
    }
    account_secrets = "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret"
    secrets = [_ref(f"{s.logical}SigningSecret") for s in signed] + [
        {"Fn::Sub": f"{account_secrets}:{s.auth.secret}-*"} for s in signed if s.auth
    ]
    return {
        DELIVERY_FUNCTION: {
            "Type": "AWS::Serverless::Function",
            "Properties": {
                "Description": "Posts case events to the signed webhook subscribers of webhooks.yaml.",
                "CodeUri": "functions/webhook_delivery",
                "Handler": "app.handler",
                "Timeout": 30,
                "Environment": {"Variables": {"WEBHOOK_TARGETS": {"Fn::Sub": json.dumps(targets, sort_keys=True)}}},
                "Policies": [
                    {"KMSDecryptPolicy": {"KeyId": _ref("CaseDataKey")}},
                    {
                        "Statement": [
                            {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": secrets},
                            {
                                "Effect": "Allow",
                                "Action": ["sqs:GetQueueUrl", "sqs:ChangeMessageVisibility"],
                                "Resource": [_arn(f"{s.logical}Queue") for s in signed],
                            },
                        ]
                    },
                ],
                "Events": {
                    s.logical: {
                        "Type": "SQS",
                        "Properties": {
                            "Queue": _arn(f"{s.logical}Queue"),
                            "BatchSize": 10,
                            "MaximumBatchingWindowInSeconds": 1,
                            "FunctionResponseTypes": ["ReportBatchItemFailures"],
                            # A subscriber's rate: a receiver is not flooded when a backlog drains.
                            "ScalingConfig": {"MaximumConcurrency": 2},
                        },
                    }
                    for s in signed
                },
            },
        },
        f"{DELIVERY_FUNCTION}Logs": {
            "Type": "AWS::Logs::LogGroup",
            "Properties": {
                "LogGroupName": {"Fn::Sub": f"/aws/lambda/${{{DELIVERY_FUNCTION}}}"},
                "RetentionInDays": _ref("LogRetentionDays"),
                "KmsKeyId": _arn("CaseDataKey"),
            },
        },
    }


def resources(subscribers: list[Subscriber]) -> dict[str, Any]:
    """Every resource the subscribers need, by logical id."""
    made: dict[str, Any] = {}
    for s in subscribers:
        made |= _signed_queue(s) if s.signed else _api_destination(s)
    if signed := [s for s in subscribers if s.signed]:
        made |= _delivery_function(signed)
    return made


def block(subscribers: list[Subscriber]) -> str:
    """The template's generated block, markers included."""
    return generated.block(BEGIN, END, resources(subscribers))


def with_block(template_text: str, subscribers: list[Subscriber]) -> str:
    return generated.with_block(template_text, BEGIN, END, resources(subscribers))


def merged(template: Template, subscribers: list[Subscriber]) -> Template:
    """``template`` with the subscribers' resources in place of the ones it was generated with (the local
    stack running a subscribers file of a test's)."""
    document = copy.deepcopy(template.document)
    generated = resources(load_subscribers()) if FILE.exists() else {}
    for logical_id in generated:
        document["Resources"].pop(logical_id, None)
    document["Resources"].update(resources(subscribers))
    return Template(document)


def main(argv: list[str] | None = None) -> int:
    return generated.command(
        argv,
        name="webhooks",
        source="webhooks.yaml",
        template=TEMPLATE,
        rewritten=lambda text: with_block(text, load_subscribers()),
    )


if __name__ == "__main__":
    sys.exit(main())
