"""Reading ``template.yaml``: the one definition of tables, functions, routes and environment."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that understands CloudFormation's short-form tags (!Ref, !Sub, !GetAtt, ...)."""


def _construct(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = str(value).split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CfnLoader.add_multi_constructor("!", _construct)


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # e.g. /cases/{caseId}
    #: The HTTP API authorizer that checks the caller's token (None: a public route).
    authorizer: str | None = "OidcAuthorizer"

    @property
    def auth(self) -> bool:
        return self.authorizer is not None

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"

    def pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        return re.compile(f"^{regex}$")


@dataclass(frozen=True)
class FunctionSpec:
    logical_id: str
    code_uri: Path
    handler: str  # module.function, relative to code_uri
    environment: dict[str, Any] = field(default_factory=dict)
    routes: tuple[Route, ...] = ()
    #: Seconds between runs, for functions on a ``rate(...)`` schedule (EventBridge Scheduler).
    every_seconds: int | None = None


_RATE = re.compile(r"^rate\((\d+) (minute|minutes|hour|hours)\)$")


def rate_seconds(expression: str) -> int:
    """``rate(15 minutes)`` → 900; the only schedule form the template uses."""
    match = _RATE.match(expression)
    if not match:
        raise ValueError(f"the local stack runs rate(...) schedules only, not {expression!r}")
    return int(match.group(1)) * (60 if match.group(2).startswith("minute") else 3600)


@dataclass(frozen=True)
class Template:
    document: dict[str, Any]

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return dict(self.document["Resources"])

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.resources.items() if v["Type"] == resource_type}

    def conditions(self, refs: dict[str, str]) -> dict[str, str]:
        """The template's conditions evaluated for ``refs`` (parameters), as ``Condition:<name>`` → true/false."""
        declared = self.document.get("Conditions", {})

        def holds(expression: Any) -> bool:
            ((name, arg),) = expression.items()
            if name == "Fn::Equals":
                left, right = (resolve(a, refs) if isinstance(a, dict) else a for a in arg)
                return str(left) == str(right)
            if name == "Fn::Not":
                return not holds(arg[0])
            if name == "Fn::And":
                return all(holds(a) for a in arg)
            if name == "Fn::Or":
                return any(holds(a) for a in arg)
            if name == "Condition":
                return holds(declared[arg])
            raise ValueError(f"the local stack cannot evaluate {name}")

        return {f"Condition:{name}": "true" if holds(expression) else "false" for name, expression in declared.items()}

    def parameter_defaults(self) -> dict[str, str]:
        return {k: str(v["Default"]) for k, v in self.document.get("Parameters", {}).items() if "Default" in v}

    def functions(self) -> list[FunctionSpec]:
        globals_ = self.document.get("Globals", {}).get("Function", {})
        global_env = globals_.get("Environment", {}).get("Variables", {})
        [api] = self.of_type("AWS::Serverless::HttpApi").values()
        default_authorizer = api["Properties"]["Auth"]["DefaultAuthorizer"]
        specs = []
        for logical_id, resource in self.of_type("AWS::Serverless::Function").items():
            props = resource["Properties"]
            env = {**global_env, **props.get("Environment", {}).get("Variables", {})}
            routes = []
            every_seconds = None
            for event in props.get("Events", {}).values():
                if event["Type"] == "ScheduleV2":
                    every_seconds = rate_seconds(event["Properties"]["ScheduleExpression"])
                if event["Type"] == "HttpApi":
                    event_props = event["Properties"]
                    authorizer = event_props.get("Auth", {}).get("Authorizer", default_authorizer)
                    routes.append(
                        Route(
                            event_props["Method"].upper(),
                            event_props["Path"],
                            None if authorizer == "NONE" else authorizer,
                        )
                    )
            specs.append(
                FunctionSpec(
                    logical_id=logical_id,
                    code_uri=ROOT / props["CodeUri"],
                    handler=props.get("Handler", globals_.get("Handler", "")),
                    environment=env,
                    routes=tuple(routes),
                    every_seconds=every_seconds,
                )
            )
        return specs

    def function(self, logical_id: str) -> FunctionSpec:
        for spec in self.functions():
            if spec.logical_id == logical_id:
                return spec
        raise KeyError(logical_id)


def resolve(value: Any, refs: dict[str, str]) -> Any:
    """Resolve !Ref, !Sub and !If against ``refs`` (logical id, parameter or ``Condition:<name>`` → local value)."""
    if isinstance(value, dict) and len(value) == 1:
        ((name, arg),) = value.items()
        if name == "Fn::If":
            condition, if_true, if_false = arg
            return resolve(if_true if refs[f"Condition:{condition}"] == "true" else if_false, refs)
        if name == "Ref":
            return refs[arg]
        if name == "Fn::GetAtt":
            return refs[".".join(arg)]
        if name == "Fn::Sub" and isinstance(arg, str):
            return re.sub(r"\$\{([\w:.]+)\}", lambda m: refs[m.group(1)], arg)
        raise ValueError(f"the local stack cannot resolve {name}")
    return value


@cache
def load(path: Path = TEMPLATE) -> Template:
    return Template(yaml.load(path.read_text(encoding="utf-8"), Loader=_CfnLoader))  # noqa: S506 - SafeLoader subclass
