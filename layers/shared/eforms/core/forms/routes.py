"""Approval routes as data: the ordered steps a form's ``x-eform.route`` declares (see docs/forms-platform.md).

A step names who decides — the subject's manager, the manager's manager, a team (role queue) — and may
carry a condition, a JSON Schema the form's data must match for the step to apply. ``payroll`` ends the
route. A step may name its ``fallback``: the team that decides when nobody in the step's own place may
(no manager recorded, everyone excluded, an empty team). Without one — or when that team is empty too —
the payroll desk appoints someone (docs/workflow.md, "When nobody may decide"); a case never ends for want
of an approver. The route is copied into the case at submission, so the steps a case walks never change under it;
conditions are evaluated on the case's data when the route reaches them.

The two routes that came before are still read: ``"manager-approval"`` and ``"payroll"``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from eforms.core.forms import translations
from eforms.core.forms.translations import TRANSLATION_KEYS

Kind = Literal["manager", "managers-manager", "team", "payroll"]
KINDS: tuple[Kind, ...] = ("manager", "managers-manager", "team", "payroll")
PERSONAL: tuple[Kind, ...] = ("manager", "managers-manager")
_TEAM = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
#: The key a team step is asked under (``Case.approver.id``): the ByApprover index lists team and person alike.
TEAM_PREFIX = "team:"


@dataclass(frozen=True)
class RouteStep:
    approver: Kind
    team: str | None = None  # for ``team`` steps: the directory team that decides
    when: dict[str, Any] | None = None  # JSON Schema the data must match for the step to apply
    titles: dict[str, str] = field(default_factory=dict)  # a team's name to show, by language
    #: The team step asked when nobody may decide this one; None: the payroll desk appoints someone.
    fallback: RouteStep | None = None

    @property
    def decides(self) -> bool:
        """An approval step (someone decides), as opposed to the route's end at payroll."""
        return self.approver != "payroll"

    def title(self, language: str) -> str:
        return self.titles.get(language) or self.titles.get("sv") or str(self.team or self.approver)

    def applies(self, data: dict[str, Any]) -> bool:
        if self.when is None:
            return True
        from eforms.core.forms.verdict import condition_holds  # compiled only where a route has conditions

        return condition_holds(self.when, data)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"approver": self.approver}
        if self.team:
            out["team"] = self.team
        if self.when is not None:
            out["when"] = self.when
        if self.titles:
            out["titles"] = dict(self.titles)
        if self.fallback is not None:
            out["fallback"] = self.fallback.as_json()
        return out


Route = tuple[RouteStep, ...]
LEGACY: dict[str, Route] = {
    "manager-approval": (RouteStep("manager"), RouteStep("payroll")),
    "payroll": (RouteStep("payroll"),),
}


def parse_route(raw: Any) -> Route:
    """The steps a form declares (or a case stored), checked; ``ValueError`` says what is wrong."""
    if isinstance(raw, str):
        if raw in LEGACY:
            return LEGACY[raw]
        raise ValueError(f"route must be a list of steps or one of {sorted(LEGACY)}")
    if not isinstance(raw, list) or not raw:
        raise ValueError("route must be a non-empty list of steps")
    steps = tuple(_step(item, index, last=index == len(raw) - 1) for index, item in enumerate(raw))
    if steps[-1].decides:
        steps = (*steps, RouteStep("payroll"))  # every route ends at the payroll desk
    return steps


def _step(item: Any, index: int, *, last: bool) -> RouteStep:
    where = f"route[{index}]"
    if not isinstance(item, dict) or item.get("approver") not in KINDS:
        raise ValueError(f"{where}: approver must be one of {KINDS}")
    unknown = set(item) - {"approver", "team", "when", "title", "titles", "fallback", *TRANSLATION_KEYS}
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    kind = item["approver"]
    if kind == "payroll" and not last:
        raise ValueError(f"{where}: payroll ends a route; it can only be the last step")
    team = item.get("team")
    if (kind == "team") != (team is not None) or (team is not None and not _TEAM.match(str(team))):
        raise ValueError(f"{where}: a team step names its team (lower-case id), and only a team step does")
    when = item.get("when")
    if when is not None and not isinstance(when, dict):
        raise ValueError(f"{where}: when must be a JSON Schema object")
    titles = dict(item["titles"]) if "titles" in item else translations.titles(item, "") if "title" in item else {}
    return RouteStep(kind, team, when, titles, _fallback(item.get("fallback"), where, decides=kind != "payroll"))


def _fallback(raw: Any, where: str, *, decides: bool) -> RouteStep | None:
    """``"payroll"`` (the default: the desk appoints someone) or a team step (``{"approver": "team", …}``)."""
    if raw is None or raw == "payroll":
        if raw is not None and not decides:
            raise ValueError(f"{where}: only an approval step has a fallback")
        return None
    if not decides:
        raise ValueError(f"{where}: only an approval step has a fallback")
    if not isinstance(raw, dict) or raw.get("approver") != "team" or {"when", "fallback"} & set(raw):
        raise ValueError(f'{where}.fallback: a fallback is "payroll" or a team step without a condition')
    return _step(raw, 0, last=False)


def next_step(route: Route, data: dict[str, Any], *, after: int | None = None) -> int | None:
    """The index of the next approval step that applies to ``data`` (from the start, or after ``after``);
    None when the route has reached payroll."""
    start = 0 if after is None else after + 1
    for index in range(start, len(route)):
        step = route[index]
        if step.decides and step.applies(data):
            return index
    return None


def needs_approval(route: Route, data: dict[str, Any]) -> bool:
    return next_step(route, data) is not None


def dumps(route: Route) -> str:
    return json.dumps([step.as_json() for step in route], ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=256)  # listings read the same few routes over and over
def loads(stored: str) -> Route:
    """A route as a case stored it: JSON steps, or one of the old route names."""
    return parse_route(stored if stored in LEGACY else json.loads(stored))
