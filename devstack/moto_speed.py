"""Work moto's Step Functions interpreter repeats on every state, done once: the same results, sooner.

* A JSONPath (``$.plan.timers.reminder``) is parsed with jsonpath-ng each time a state reads or writes one,
  and jsonpath-ng builds its grammar's tables on every parse: about a millisecond each, dozens per execution.
  The parsed path is a pure function of its text, so it is kept.
* A Lambda task makes a new boto3 client for every invocation (tens of milliseconds: the service model, the
  endpoint rules). boto3 clients are safe to share between threads, so one per region is kept.

Used by the local stack and the test harness alike (:func:`install`, idempotent).
"""

from __future__ import annotations

import functools
from typing import Any

_installed: list[bool] = []


def install() -> None:
    if _installed:
        return
    from moto.stepfunctions.parser.asl.component.common.path import result_path
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils
    from moto.stepfunctions.parser.asl.utils import json_path

    json_path.parse = functools.lru_cache(maxsize=512)(json_path.parse)  # type: ignore[attr-defined]
    result_path.parse = functools.lru_cache(maxsize=512)(result_path.parse)  # type: ignore[attr-defined]
    from moto.stepfunctions.parser.asl.utils.boto_client import boto_client_for as make_client

    @functools.lru_cache(maxsize=8)
    def _client(region: str, service: str) -> Any:
        return make_client(region=region, service=service)

    def client_for(region: str, service: str, state_credentials: Any = None) -> Any:
        del state_credentials  # moto accepts any; the local stack has one account
        return _client(region, service)

    lambda_eval_utils.boto_client_for = client_for  # type: ignore[attr-defined]
    _installed.append(True)
