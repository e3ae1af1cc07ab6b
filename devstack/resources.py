"""Creating the template's AWS resources in moto (or any endpoint boto3 is pointed at)."""

from __future__ import annotations

from typing import Any

from devstack.template import Template

_TABLE_KEYS = ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "BillingMode")


def table_name(prefix: str, logical_id: str) -> str:
    return f"{prefix}-{logical_id}"


def create_table_request(properties: dict[str, Any], name: str) -> dict[str, Any]:
    """The ``CreateTable`` call equivalent to an ``AWS::DynamoDB::Table``'s properties."""
    request: dict[str, Any] = {"TableName": name}
    for key in _TABLE_KEYS:
        if key in properties:
            request[key] = properties[key]
    return request


def create_tables(template: Template, dynamodb: Any, prefix: str) -> dict[str, str]:
    """Create every table of the template; returns logical id → physical name."""
    names: dict[str, str] = {}
    for logical_id, resource in template.of_type("AWS::DynamoDB::Table").items():
        props = resource["Properties"]
        name = table_name(prefix, logical_id)
        dynamodb.create_table(**create_table_request(props, name))
        ttl = props.get("TimeToLiveSpecification")
        if ttl:
            dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
        names[logical_id] = name
    return names


def create_all(template: Template, clients: Any, prefix: str, parameters: dict[str, str]) -> dict[str, str]:
    """Create every resource the local stack emulates; returns the ``refs`` map for :func:`resolve`.

    ``clients`` is a callable ``service -> boto3 client``.
    """
    refs = {**template.parameter_defaults(), **parameters, "AWS::Region": "eu-north-1", "AWS::URLSuffix": "localhost"}
    refs.update(create_tables(template, clients("dynamodb"), prefix))
    return refs


def function_environment(template: Template, refs: dict[str, str]) -> dict[str, str]:
    """The environment every function sees, resolved. All functions share one process locally, so a
    variable set to different values by two functions is refused rather than silently merged."""
    from devstack.template import resolve

    merged: dict[str, str] = {}
    for spec in template.functions():
        for name, raw in spec.environment.items():
            value = str(resolve(raw, refs))
            if merged.setdefault(name, value) != value:
                raise ValueError(f"{name} differs between functions; the local stack runs them in one process")
    return merged
