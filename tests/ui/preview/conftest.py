"""Fixtures of the preview panel's tests (the module-scoped ``server`` is tests/conftest.py's,
built from each module's ``DEMO``).

- ``orders``: the server's first orders that have a preview, read over its API (module).
- ``no_faults``: the server with its faults off and its request log empty, for each test
  (modules sharing one server turn faults on in some tests).
"""

from __future__ import annotations

import pytest

from artistree_tui.api.models import Order
from artistree_tui.demo import DemoServer, FaultConfig
from tests.support.preview_panel import demo_orders


@pytest.fixture(scope="module")
def orders(server: DemoServer) -> list[Order]:
    return demo_orders(server)


@pytest.fixture
def no_faults(server: DemoServer) -> None:
    server.faults = FaultConfig()
    server.clear_requests()
