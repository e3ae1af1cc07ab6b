"""Blocks of ``template.yaml`` generated from data files (webhooks.yaml, organisations/*.json).

A block sits between two marker comments in the template's Resources. ``python3 dev webhooks`` and
``python3 dev sign-in-providers`` rewrite their block; the test suite fails while a block and its file
disagree, so the file is the one place the thing is declared and the template stays what ``sam deploy``
deploys.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
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


def command(argv: list[str] | None, *, name: str, source: str, template: Path, rewritten: Callable[[str], str]) -> int:
    """``python3 dev <name> [--check]``: rewrite the template's block from ``source``, or (``--check``) fail
    when the block is out of date. ``rewritten`` is the template's text with the block made anew."""
    parser = argparse.ArgumentParser(prog=f"python3 dev {name}", description=f"Write {source} into template.yaml.")
    parser.add_argument("--check", action="store_true", help="fail if template.yaml is not what the files make")
    args = parser.parse_args(argv)
    text = template.read_text(encoding="utf-8")
    wanted = rewritten(text)
    if args.check:
        if wanted != text:
            print(f"template.yaml's block from {source} is out of date: run python3 dev {name}", file=sys.stderr)
            return 1
        return 0
    if wanted != text:
        template.write_text(wanted, encoding="utf-8")
        print(f"template.yaml: the block rewritten from {source}")
    return 0
