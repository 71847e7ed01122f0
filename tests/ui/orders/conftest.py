"""Fixtures of the order list pane's tests.

- ``client_for``: a :class:`tests.support.list_pilot.Clients` factory giving real API clients
  (one try per request) on demo servers, closed at teardown.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.list_pilot import Clients


@pytest.fixture
async def client_for() -> AsyncIterator[Clients]:
    clients = Clients()
    yield clients
    await clients.aclose()
