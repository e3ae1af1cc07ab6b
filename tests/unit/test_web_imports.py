"""The web client has no import cycles (issue 29 §9: App ↔ FormPage ↔ CaseView ↔ DeskActions ↔ Attachments
was one). A page is imported by the app; shared parts live in ``components/`` and ``forms/`` and import no page."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "web" / "src"
_IMPORT = re.compile(r"""^import\s[^'"]*?['"](\.{1,2}/[^'"]+)['"]""", re.MULTILINE)


def _graph() -> dict[Path, set[Path]]:
    """Static imports between the client's own modules (lazy ``import()`` is not a cycle: it loads on use)."""
    graph: dict[Path, set[Path]] = {}
    for module in [*SRC.rglob("*.js"), *SRC.rglob("*.jsx")]:
        text = module.read_text(encoding="utf-8")
        graph[module] = {(module.parent / target).resolve() for target in _IMPORT.findall(text)}
    return graph


def _cycle(graph: dict[Path, set[Path]]) -> list[str] | None:
    state: dict[Path, str] = {}
    path: list[Path] = []

    def visit(node: Path) -> list[str] | None:
        state[node], found = "open", None
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [p.relative_to(SRC).as_posix() for p in path[path.index(target) :]] + [
                    target.relative_to(SRC).as_posix()
                ]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_web_client_has_no_import_cycles() -> None:
    assert _cycle(_graph()) is None


def test_shared_parts_import_no_page() -> None:
    for folder in ("components", "forms"):
        for module in (SRC / folder).iterdir():
            pages = [t for t in _graph()[module.resolve()] if t.parent == (SRC / "pages").resolve()]
            assert pages == [], f"{module.name} imports {pages}"
