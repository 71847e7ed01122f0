"""Helpers shared by the API client's integration tests (no tests of its own).

Every client built here talks real loopback HTTP to a DemoServer; only the waiting is faked:
``Recorder`` stands in for ``asyncio.sleep`` and records the delays the client asked for.
"""

from __future__ import annotations

import socket
from typing import Any

from artistree_tui.api.auth import ClientCredentials, TokenSource
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.retry import ClientEvent, RetryPolicy
from artistree_tui.demo import DemoServer


class Recorder:
    """A fake ``sleep``: records each requested delay, moves ``clock`` (if any) by it and
    returns at once."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.delays: list[float] = []
        self.clock = clock

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        if self.clock is not None:
            self.clock.advance(delay)


class FakeClock:
    """A monotonic clock the test moves by hand (in step with ``DemoServer.advance``)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Recording:
    """Everything a test wants to look at after building a client."""

    def __init__(self) -> None:
        self.clock = FakeClock()
        self.sleep = Recorder(self.clock)
        self.events: list[ClientEvent] = []

    def policy(self, **kwargs: Any) -> RetryPolicy:
        # rng=1.0 makes the jittered backoff its ceiling: 0.5, 1, 2, 4, ... seconds. The
        # circuit breaker's clock is the test's: the recorded sleeps move it.
        kwargs.setdefault("rng", lambda: 1.0)
        kwargs.setdefault("clock", self.clock)
        return RetryPolicy(sleep=self.sleep, **kwargs)

    def kinds(self) -> list[tuple[str, str]]:
        return [(e.kind, e.reason) for e in self.events]


def credentials(
    server: DemoServer, rec: Recording, *, secret: str | None = None, **policy: Any
) -> ClientCredentials:
    return ClientCredentials(
        server.token_url,
        server.client_id,
        server.client_secret if secret is None else secret,
        clock=rec.clock,
        retry=rec.policy(**policy),
        on_event=rec.events.append,
    )


def api_client(
    server: DemoServer,
    rec: Recording,
    auth: TokenSource | None = None,
    *,
    policy: dict[str, Any] | None = None,
    **kwargs: Any,
) -> ArtistreeClient:
    return ArtistreeClient(
        server.base_url,
        auth if auth is not None else credentials(server, rec, **(policy or {})),
        retry=rec.policy(**(policy or {})),
        on_event=rec.events.append,
        **kwargs,
    )


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def statuses(server: DemoServer, prefix: str = "/v1/") -> list[int]:
    """Status of every recorded request under ``prefix`` (0 = connection dropped)."""
    return [r.status for r in server.recorded(prefix)]
