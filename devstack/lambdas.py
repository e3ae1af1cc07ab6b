"""Running the template's functions in this process, the way the Lambda runtime would.

moto cannot execute Lambda code without Docker, so the local stack and the tests import each handler
from the ``CodeUri`` and ``Handler`` that ``template.yaml`` names and call it with a Lambda context.
Every function's ``app.py`` is imported under its own module name, so they never shadow each other.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
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


def recycle(functions: list[FunctionSpec]) -> None:
    """Retire every warm container and start each function's next one now (its handler imported again, on
    this thread): what a handler module keeps between invocations (a cached secret, a client) is not carried
    from one test into the next. The shared layer's modules stay imported, as in a new container they would
    come from the same layer."""
    _load.cache_clear()
    for spec in functions:
        load_handler(spec)


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


#: One invocation at a time in this process. Lambda runs each invocation in a container of its own; here every
#: function shares one interpreter, and some state that is per-container on AWS is per-process here — the
#: Powertools resolver keeps the current event on a class all resolvers share, the logger its keys. Two
#: functions running at once on two threads answered with each other's event (a JSON claim refused as "not
#: JSON"; a desk action on another request's case). So the local stack behaves as one warm container that
#: every function shares: requests that arrive together wait their turn, and each sees only its own event and
#: context. Re-entrant, because a workflow step may resume the workflow, whose next step runs on the same thread
#: before the first call returns.
_invocation = threading.RLock()


def invoke(spec: FunctionSpec, event: dict[str, Any]) -> Any:
    """Invoke like a warm container: the handler imported once, one invocation at a time (:data:`_invocation`)."""
    with _invocation:
        return load_handler(spec)(event, LambdaContext(function_name=spec.logical_id))


def install_moto_dispatch(functions: dict[str, FunctionSpec]) -> Callable[[], None]:
    """Make moto's Lambda invoke (used by its Step Functions interpreter) run our handlers in-process.

    ``functions`` maps physical function names to specs. Returns a function that undoes the patch. A
    handler's exception becomes Lambda's "Unhandled" function error with ``errorType`` = the exception's
    class name, which is what the state machine's Retry and Catch match on, as on AWS.
    """
    from moto.awslambda.models import LambdaBackend

    original = LambdaBackend.invoke

    def dispatch(  # noqa: PLR0917 - moto's own signature
        self: Any, function_name: str, qualifier: Any, body: Any, headers: Any, response_headers: Any
    ) -> Any:
        name = function_name.rsplit(":function:", maxsplit=1)[-1].split(":", maxsplit=1)[0]
        spec = functions.get(name)
        if spec is None:
            return original(self, function_name, qualifier, body, headers, response_headers)
        event = json.loads(body) if body else {}
        try:
            payload = json.dumps(invoke(spec, event))
        except Exception as error:  # the function failed, exactly what Lambda reports to the caller
            response_headers["x-amz-function-error"] = "Unhandled"
            payload = json.dumps({"errorType": type(error).__name__, "errorMessage": str(error)[:1000]})
        encoded = payload.encode()
        response_headers["Content-Length"] = str(len(encoded))
        return encoded

    LambdaBackend.invoke = dispatch  # type: ignore[method-assign]

    def undo() -> None:
        LambdaBackend.invoke = original  # type: ignore[method-assign]

    return undo
