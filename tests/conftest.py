"""Fixtures shared by every test level."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from eforms.observability import logger as service_logger
from tests.support.world import Api, World, Worlds


@pytest.fixture(scope="session")
def worlds() -> Iterator[Worlds]:
    """The session's emulated AWS worlds (one at a time; docs/testing.md)."""
    kept = Worlds()
    yield kept
    kept.close()


@pytest.fixture
def world(worlds: Worlds) -> World:
    """moto with every resource of template.yaml and the demo organisation loaded, as it was built: the
    session's world, reset for this test."""
    return worlds.get()


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


#: Tests that must run on one worker, one after another, when the suite runs on several (``-n 2``); the first
#: prefix that fits a test wins. The browser and local-stack tests share one ``python3 dev run`` and one browser;
#: a module that builds a world of its own (webhook subscribers, the deploy's empty account) keeps it for all its
#: tests instead of rebuilding.
_ONE_WORKER = {
    # The accessibility audit is as long as the rest of the browser tests: it gets a stack of its own, so
    # the two halves run at once (a stack is a few seconds to start).
    "tests/e2e/test_accessibility.py": "local-stack-audit",
    "tests/e2e/test_demo_year.py": "demo-year",  # its own stack, filing for minutes: beside the others
    "tests/e2e/": "local-stack",
    "tests/build/": "sam-build",
    "tests/integration/test_webhook_delivery.py": "webhook-world",
    "tests/integration/test_outbox_order.py": "webhook-world",
    "tests/integration/test_deploy.py": "deploy-account",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        group = next((g for prefix, g in _ONE_WORKER.items() if path.startswith(prefix)), None)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
