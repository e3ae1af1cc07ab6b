"""Fixtures shared by every test level."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from eforms.observability import logger as service_logger
from tests.support.world import Api, World, aws_world


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """moto with every resource of template.yaml and the demo organisation loaded."""
    with aws_world(monkeypatch) as created:
        yield created


@pytest.fixture
def api(world: World) -> Api:
    return world.api


@pytest.fixture
def service_logs() -> Iterator[io.StringIO]:
    """Everything the service logs during the test, formatted exactly as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(service_logger.registered_formatter)
    service_logger._logger.addHandler(handler)
    try:
        yield stream
    finally:
        service_logger._logger.removeHandler(handler)
