"""Blocks of ``template.yaml`` generated from data files (webhooks.yaml, organisations/*.json).

A block sits between two marker comments in the template's Resources. ``python3 dev webhooks`` and
``python3 dev sign-in-providers`` rewrite their block; the test suite fails while a block and its file
disagree, so the file is the one place the thing is declared and the template stays what ``sam deploy``
deploys.
"""

from __future__ import annotations

import re
from typing import Any

import yaml


def block(begin: str, end: str, resources: dict[str, Any]) -> str:
    """The generated block, markers included."""
    body = yaml.safe_dump(resources, sort_keys=False, default_flow_style=False, width=1000) if resources else ""
    indented = "".join(f"  {line}\n" if line else "\n" for line in body.splitlines())
    return f"{begin}\n{indented}{end}\n"


def with_block(template_text: str, begin: str, end: str, resources: dict[str, Any]) -> str:
    """``template_text`` with its block (there must be exactly one) rewritten from ``resources``."""
    pattern = re.compile(re.escape(begin) + r"\n.*?" + re.escape(end) + r"\n", re.DOTALL)
    if len(pattern.findall(template_text)) != 1:
        raise SystemExit(
            f"template.yaml must hold the block {begin.strip()!r} exactly once (its markers are in Resources)"
        )
    return pattern.sub(lambda _: block(begin, end, resources), template_text)
