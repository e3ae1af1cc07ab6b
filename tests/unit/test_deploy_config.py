"""samconfig.toml's environments pass CloudFormation's own parameter checks before anyone deploys them.

A typo in a parameter name is silently ignored by ``sam deploy`` until the stack comes up without it;
a value outside AllowedValues/AllowedPattern fails the deploy minutes in. Both are caught here.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest

from devstack.template import ROOT, load

CONFIG = tomllib.loads((ROOT / "samconfig.toml").read_text(encoding="utf-8"))
ENVIRONMENTS = ["dev", "prod"]


def _overrides(env: str) -> dict[str, str]:
    entries = CONFIG[env]["deploy"]["parameters"]["parameter_overrides"]
    pairs = [entry.split("=", 1) for entry in entries]
    assert all(len(pair) == 2 for pair in pairs), entries
    overrides = dict(pairs)
    assert len(overrides) == len(pairs), f"{env}: a parameter is set twice"
    return overrides


def _check(name: str, spec: dict[str, Any], value: str) -> None:
    if "AllowedValues" in spec:
        assert value in {str(v) for v in spec["AllowedValues"]}, (name, value)
    if "AllowedPattern" in spec:
        assert re.fullmatch(spec["AllowedPattern"], value), (name, value)
    if spec["Type"] == "Number":
        number = float(value)
        assert number >= spec.get("MinValue", number), (name, value)
        assert number <= spec.get("MaxValue", number), (name, value)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_override_names_a_template_parameter_with_a_value_it_accepts(env: str) -> None:
    parameters = load().document["Parameters"]
    overrides = _overrides(env)
    assert set(overrides) <= set(parameters), set(overrides) - set(parameters)
    required = {name for name, spec in parameters.items() if "Default" not in spec}
    assert required <= set(overrides), f"{env} leaves {required - set(overrides)} unset"
    for name, value in overrides.items():
        _check(name, parameters[name], value)
    assert overrides["Stage"] == env


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_each_environment_is_its_own_stack(env: str) -> None:
    deploy = CONFIG[env]["deploy"]["parameters"]
    assert deploy["stack_name"] == f"eforms-{env}"
    assert "CAPABILITY_IAM" in deploy["capabilities"]


def test_production_asks_before_changing_and_runs_on_working_days() -> None:
    prod = CONFIG["prod"]["deploy"]["parameters"]
    assert prod["confirm_changeset"] is True
    overrides = _overrides("prod")
    assert overrides["TimerUnit"] == "workdays"
    assert overrides["WebDomain"]
    assert overrides["WebCertificateArn"].startswith("arn:aws:acm:us-east-1:")
