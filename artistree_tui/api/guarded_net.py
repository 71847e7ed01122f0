"""Connections of the asset fetcher: checked where they really go, before a byte is sent.

:class:`~artistree_tui.api.assets.AssetFetcher` checks a URL's host before asking for it, but a
name can resolve to a public address when checked and to ``127.0.0.1`` a moment later, when
the connection is made (DNS rebinding). So its transports connect through
:class:`GuardedBackend`, an ``httpcore`` network backend that resolves the host itself,
refuses when any address it resolves to is forbidden (:func:`forbidden_address`), connects to
an address it checked (pinned: no second lookup), and checks the connected socket's peer
again before handing the stream over. A refusal is
:class:`~artistree_tui.api.errors.ApiError`-typed (the caller's ``refused`` factory), raised
before any request byte is written: no blind probe of the reviewer's network.

Only origins the fetcher trusts (the demo API's own ``http://127.0.0.1:PORT``) may connect
to such an address. TLS still verifies the URL's host name (``httpcore`` passes it as SNI and
for the certificate check, whatever address was connected to). No Textual here.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpcore
import httpx

from artistree_tui.api.asset_urls import forbidden_address, numeric_host

__all__ = ["GuardedBackend", "Resolver", "guarded_transport"]

#: Resolves (host, port) to addresses; the default asks the system (``getaddrinfo``).
Resolver = Callable[[str, int], Awaitable[list[str]]]


async def system_resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, as the system would connect to it."""
    numeric = numeric_host(host)
    if numeric is not None:
        return [numeric]
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolve, check, connect to a checked address, check the peer (module docstring).

    ``trusted`` holds ``(host, port)`` pairs (lower-case host) allowed at any address;
    ``refused()`` builds the error to raise, given a short reason.
    """

    def __init__(
        self,
        *,
        trusted: Iterable[tuple[str, int]],
        refused: Callable[[str], Exception],
        resolve: Resolver = system_resolve,
    ) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._trusted = frozenset((host.lower().strip("[]"), port) for host, port in trusted)
        self._refused = refused
        self._resolve = resolve

    def _allowed(self, host: str, port: int, address: str) -> bool:
        return (host.lower().strip("[]"), port) in self._trusted or not forbidden_address(address)

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await self._resolve(host, port)
        except OSError:
            raise httpcore.ConnectError("the host name could not be resolved") from None
        if not addresses:
            raise httpcore.ConnectError("the host name resolved to nothing")
        if not all(self._allowed(host, port, address) for address in addresses):
            raise self._refused("The file link points at a forbidden address.")
        error: Exception | None = None
        for address in addresses:
            try:
                stream = await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            peer = stream.get_extra_info("server_addr")
            if not peer or not self._allowed(host, port, str(peer[0])):
                await stream.aclose()
                raise self._refused("The file server is at a forbidden address.")
            return stream
        assert error is not None
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise self._refused("The file link is not a network address.")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def guarded_transport(
    backend: GuardedBackend, *, verify: ssl.SSLContext
) -> httpx.AsyncHTTPTransport:
    """An httpx transport (no proxy, no environment) whose connections go through
    ``backend``. httpx has no public hook for a network backend, so its connection pool is
    replaced by an equivalent one that has it (``_pool`` is what the transport sends through).
    """
    transport = httpx.AsyncHTTPTransport(verify=verify, trust_env=False)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=verify,
        max_connections=httpx.Limits().max_connections,
        max_keepalive_connections=httpx.Limits().max_keepalive_connections,
        keepalive_expiry=httpx.Limits().keepalive_expiry,
        network_backend=backend,
    )
    return transport
