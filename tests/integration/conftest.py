"""Fixtures the integration modules with webhook subscribers share: one receiver per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.receiver import Receiver, receiving


@pytest.fixture(scope="module")
def receiving_here() -> Iterator[Receiver]:
    """A webhook receiver on this machine, for the module's tests."""
    with receiving() as state:
        yield state


@pytest.fixture
def receiver(receiving_here: Receiver) -> Receiver:
    """The module's receiver, with nothing received and nothing failing yet."""
    receiving_here.clear()
    return receiving_here
