"""Draw the case lifecycle from its one table into docs/workflow.md (``python3 dev docs``).

The section between the two markers is generated: a Mermaid state diagram (GitHub renders it) and the
table itself in words. ``tests/unit/test_lifecycle.py`` fails when the document and the table differ, so
the drawing can never drift from what the code allows.
"""

from __future__ import annotations

import sys
from pathlib import Path

from eforms.core.cases.lifecycle import FINAL, TABLE, Rule, Sla

DOC = Path(__file__).resolve().parents[1] / "docs" / "workflow.md"
BEGIN = "<!-- lifecycle:begin (generated from eforms.core.cases.lifecycle by `python3 dev docs`) -->"
END = "<!-- lifecycle:end -->"


def _targets(rule: Rule) -> list[tuple[str, str]]:
    if not rule.sources:
        return [("[*]", rule.target.value if rule.target else "?")]
    return [(s.value, rule.leads_from(s).value) for s in sorted(rule.sources)]


def section() -> str:
    lines = [BEGIN, "", "```mermaid", "stateDiagram-v2"]
    for rule in TABLE.values():
        for source, target in _targets(rule):
            if source != target:  # actions that keep the status are in the table below, not as loops
                lines.append(f"    {source} --> {target}: {rule.action}")
    lines += [f"    {status.value} --> [*]" for status in sorted(FINAL)]
    lines += ["```", "", "| action (event `case.<action>`) | from | to | who | service-level clock |"]
    lines.append("| --- | --- | --- | --- | --- |")
    for rule in TABLE.values():
        sources = ", ".join(f"`{s.value}`" for s in sorted(rule.sources)) or "— (creates the case)"
        target = f"`{rule.target.value}`" if rule.target else "(same)"
        roles = ", ".join(sorted(r.value for r in rule.roles))
        clock = "" if rule.sla == Sla.NONE else rule.sla.value
        lines.append(f"| `{rule.action}` | {sources} | {target} | {roles} | {clock} |")
    lines += ["", END]
    return "\n".join(lines)


def render(document: str) -> str:
    """``document`` with its generated section replaced by the table's current drawing."""
    start, end = document.index(BEGIN), document.index(END) + len(END)
    return document[:start] + section() + document[end:]


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    updated = render(text)
    if updated != text:
        DOC.write_text(updated, encoding="utf-8")
        print(f"updated {DOC.relative_to(DOC.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
