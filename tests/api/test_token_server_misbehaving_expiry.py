"""A token server that answers ``expires_in`` ≤ 0 does not make every call fetch a token.

Over real loopback HTTP against the demo token server, made to say ``expires_in: 0`` (or a
negative number) while its tokens really live an hour. The client's clock is injected and
moved 5 s between calls: with a 1 s lifetime every call asked for a new token; now each token
is used for a short fixed lifetime, and one warning says the token server misbehaves.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from artistree_tui.api.auth import MISBEHAVING_LIFETIME, MISBEHAVING_WARNING, ClientCredentials
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.demo import FaultConfig


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("said", [0, -30])
async def test_dead_on_arrival_tokens_get_a_short_fixed_lifetime(
    make_demo: Any, caplog: pytest.LogCaptureFixture, said: int
) -> None:
    demo = make_demo(orders=50, seed=3, faults=FaultConfig(token_expires_in=said))
    clock = Clock()
    auth = ClientCredentials(demo.token_url, demo.client_id, demo.client_secret, clock=clock)
    calls = 10
    step = 5.0
    with caplog.at_level(logging.WARNING, logger="artistree_tui.api"):
        async with ArtistreeClient(demo.base_url, auth) as client:
            for _ in range(calls):
                await client.list_orders(ALL_PROJECTS, limit=1)
                clock.now += step
    expected = int(calls * step // (MISBEHAVING_LIFETIME / 2)) + 1
    assert demo.token_requests <= expected < calls
    warnings = [r for r in caplog.records if r.getMessage() == MISBEHAVING_WARNING]
    assert len(warnings) == 1
