"""Every sample event in events/ is accepted by the function whose route it names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devstack import lambdas
from devstack.template import ROOT, load
from tests.support.world import World

EVENTS = sorted((ROOT / "events").glob("*.json"))
EXPECTED = {"cases-get.json": 404, "cases-submit.json": 201}


def test_every_route_has_a_sample_event() -> None:
    routes = {route.route_key for fn in load().functions() for route in fn.routes}
    assert {json.loads(p.read_text())["routeKey"] for p in EVENTS} == routes


@pytest.mark.parametrize("path", EVENTS, ids=lambda p: p.name)
def test_sample_event_runs_against_its_function(world: World, path: Path) -> None:
    event = json.loads(path.read_text(encoding="utf-8"))
    [function] = [f for f in load().functions() if event["routeKey"] in {r.route_key for r in f.routes}]
    result = lambdas.invoke(function, event)
    assert result["statusCode"] == EXPECTED.get(path.name, 200), result["body"]
