"""Whom a payroll officer works with and for: the officers of their teams (whom a case can be handed to) and
the teams' customer organisations (the desk's filters; docs/organisations.md §4)."""

from __future__ import annotations

from dataclasses import dataclass

from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Directory, Employee
from eforms.core.organisations.registry import Organisation, Registry


@dataclass(frozen=True)
class Team:
    team_id: str
    names: dict[str, str]
    organisations: tuple[Organisation, ...]

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names.get("sv") or self.team_id


def officers(caller: Caller, directory: Directory) -> list[Employee]:
    """The officers of the caller's teams, by name."""
    found = [e for team in caller.queues for e in directory.team(team)]
    return sorted(found, key=lambda e: (e.name, e.employee_id))


def teams(caller: Caller, registry: Registry | None) -> list[Team]:
    """The caller's teams, each with the organisations it serves; none where the centre declares no teams."""
    if registry is None:
        return []
    return [
        Team(team, dict(registry.centre.teams[team].get("names", {})), tuple(registry.served_by(team)))
        for team in caller.queues
        if team in registry.centre.teams
    ]
