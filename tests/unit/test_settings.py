"""A function missing a resource name fails on its first request naming the variable, never later with an
empty table or bucket name in an AWS call; and the template gives every function every name."""

from __future__ import annotations

import pytest

from devstack.template import load
from eforms.settings import REQUIRED, MissingSetting, settings


def test_a_missing_or_empty_resource_name_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in REQUIRED:
        monkeypatch.setenv(name, f"value-of-{name.lower()}")
    monkeypatch.setenv("EVENT_BUS_NAME", "")
    monkeypatch.delenv("DOCUMENTS_BUCKET")
    settings.cache_clear()
    try:
        with pytest.raises(MissingSetting, match="not set: DOCUMENTS_BUCKET, EVENT_BUS_NAME"):
            settings()
        monkeypatch.setenv("EVENT_BUS_NAME", "eforms-cases-test")
        monkeypatch.setenv("DOCUMENTS_BUCKET", "docs")
        settings.cache_clear()
        assert (settings().event_bus_name, settings().documents_bucket) == ("eforms-cases-test", "docs")
    finally:
        settings.cache_clear()


def test_the_template_gives_every_function_every_required_name() -> None:
    template = load()
    globals_ = set(template.document["Globals"]["Function"]["Environment"]["Variables"])
    for logical_id, resource in template.of_type("AWS::Serverless::Function").items():
        own = set(resource["Properties"].get("Environment", {}).get("Variables", {}))
        if logical_id == "WebFrontFunction":
            continue  # the CloudFront origin's own function: it reads none of the service's resources
        assert set(REQUIRED) <= globals_ | own, logical_id
