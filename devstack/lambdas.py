"""Running the template's functions in this process, the way the Lambda runtime would.

moto cannot execute Lambda code without Docker, so the local stack and the tests import each handler
from the ``CodeUri`` and ``Handler`` that ``template.yaml`` names and call it with a Lambda context.
Every function's ``app.py`` is imported under its own module name, so they never shadow each other.
"""

from __future__ import annotations

import importlib.util
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from devstack.template import FunctionSpec

Handler = Callable[[dict[str, Any], Any], Any]


@dataclass
class LambdaContext:
    """The attributes of the real context object that Powertools and our handlers read."""

    function_name: str
    memory_limit_in_mb: int = 512
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "/aws/lambda/local"
    log_stream_name: str = "local"
    function_version: str = "$LATEST"

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:eu-north-1:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def load_handler(spec: FunctionSpec) -> Handler:
    """The handler callable, imported once per function (like one warm Lambda container)."""
    return _load(spec.logical_id, str(spec.code_uri), spec.handler)


@cache
def _load(logical_id: str, code_uri: str, handler_path: str) -> Handler:
    module_file, _, attribute = handler_path.rpartition(".")
    path = Path(code_uri) / f"{module_file.replace('.', '/')}.py"
    module_name = f"lambda_{logical_id}_{module_file.replace('.', '_')}"
    module_spec = importlib.util.spec_from_file_location(module_name, path)
    if module_spec is None or module_spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[module_name] = module
    module_spec.loader.exec_module(module)
    handler: Handler = getattr(module, attribute)
    return handler


def invoke(spec: FunctionSpec, event: dict[str, Any]) -> Any:
    return load_handler(spec)(event, LambdaContext(function_name=spec.logical_id))
