"""Checking real responses against docs/openapi.yaml (OpenAPI 3.1 schemas are JSON Schema 2020-12)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
_URI = "urn:eforms:openapi"


@cache
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


@cache
def _registry() -> Registry[Any]:
    registry: Registry[Any] = Registry().with_resource(
        _URI, Resource.from_contents(spec(), default_specification=DRAFT202012)
    )
    return registry


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _resolve_ref(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec()
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def check_response(method: str, route_path: str, status: int, content_type: str, body: bytes) -> None:
    """Fail unless the operation documents ``status`` and ``body`` validates against its schema."""
    route_path = route_path.removeprefix("/bankid")  # the BankID sign-in's copies of the same routes
    operation = spec()["paths"].get(route_path, {}).get(method.lower())
    assert operation is not None, f"{method} {route_path} is not in docs/openapi.yaml"
    response = operation["responses"].get(str(status))
    assert response is not None, f"{method} {route_path} answered {status}, which docs/openapi.yaml does not list"
    response = _resolve_ref(response)
    media = content_type.split(";", maxsplit=1)[0].strip()
    content = response.get("content", {})
    if not content and not body:
        return  # documented as bodiless (a redirect)
    assert media in content, f"{method} {route_path} {status}: content type {media} not documented"
    if not media.endswith("json"):
        return  # a page: its content type is what the document promises
    # Point at the schema inside the spec so its $refs resolve against the whole document.
    pointer = "/".join(_escape(p) for p in ("paths", route_path, method.lower(), "responses", str(status)))
    if "$ref" in operation["responses"][str(status)]:
        pointer = operation["responses"][str(status)]["$ref"].lstrip("#/")
    schema = {"$ref": f"{_URI}#/{pointer}/content/{_escape(media)}/schema"}
    validator = Draft202012Validator(schema, registry=_registry())
    errors = sorted(validator.iter_errors(json.loads(body)), key=lambda e: list(e.absolute_path))
    assert not errors, f"{method} {route_path} {status} does not match docs/openapi.yaml: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]
    )
