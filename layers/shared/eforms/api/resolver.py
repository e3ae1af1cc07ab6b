"""Powertools' HTTP API resolver and Response, without the rest of its ``event_handler`` package.

``aws_lambda_powertools/event_handler/__init__.py`` imports every resolver Powertools has (AppSync, AppSync
events, Bedrock agents, VPC Lattice, function URLs, ...), and Python runs a package's ``__init__`` whichever
of its modules is imported. Measured as deployed (bench/cold_start.py, CPython 3.13, shipped bytecode) that
is about 20 ms of every API function's cold start for code none of them uses. So the package is registered
first as a bare package of its own directory, without running its ``__init__``: ``api_gateway`` and what it
imports load as usual, the rest never does.

Every module of ours that needs the resolver or ``Response`` imports them from here, so the registration
always comes first. If something imported the whole package before (a tool, a test), it is left as it is.
"""

from __future__ import annotations

import importlib.util
import sys

_PACKAGE = "aws_lambda_powertools.event_handler"

if _PACKAGE not in sys.modules:
    _spec = importlib.util.find_spec(_PACKAGE)
    if _spec is not None and _spec.submodule_search_locations is not None:
        sys.modules[_PACKAGE] = importlib.util.module_from_spec(_spec)  # its __path__, not its __init__

from aws_lambda_powertools.event_handler.api_gateway import APIGatewayHttpResolver, Response  # noqa: E402

__all__ = ["APIGatewayHttpResolver", "Response"]
