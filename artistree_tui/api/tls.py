"""TLS contexts for the console's HTTP clients: the CA bundle is loaded once, and only if needed.

httpx builds an SSL context in every ``AsyncClient`` it creates, eagerly, and loading the CA
bundle into it costs ~20 ms of CPU — per client. The console has three clients (the API, the
token server, asset downloads), all created at startup, so they share contexts from here:

- :func:`verifying_context` — the verifying context httpx would have built (certifi, or the
  ``SSL_CERT_FILE``/``SSL_CERT_DIR`` bundle when ``trust_env``), created on first use and then
  shared; one per ``trust_env`` value, so no client trusts differently than it did before;
- :class:`HttpsOnDemand` — an https transport that asks for the verifying context on its
  first request, for a client that mostly speaks plain http (asset downloads from the demo);
- :func:`plain_http_context` — for a client that only ever speaks plain http (the loopback
  demo API): no trust anchors at all, so nothing is loaded, and it still *requires* a verified
  certificate, so should such a client ever be pointed at an https URL it fails closed
  (the handshake is refused) instead of trusting anything.

An ``ssl.SSLContext`` may be shared between clients and threads; httpcore sets the same ALPN
protocols (HTTP/1.1) on it for every connection. No Textual here.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable

import httpx

__all__ = ["HttpsOnDemand", "context_for", "plain_http_context", "verifying_context"]

_lock = threading.Lock()
_verifying: dict[bool, ssl.SSLContext] = {}


def verifying_context(*, trust_env: bool = True) -> ssl.SSLContext:
    """The shared certificate-verifying context (the CA bundle is loaded on the first call)."""
    context = _verifying.get(trust_env)
    if context is None:
        with _lock:  # the asset fetcher may ask from a worker while the API client asks too
            context = _verifying.get(trust_env)
            if context is None:
                context = httpx.create_ssl_context(trust_env=trust_env)
                _verifying[trust_env] = context
    return context


def plain_http_context() -> ssl.SSLContext:
    """A context with no trust anchors, for clients that never use TLS (see module docs)."""
    # PROTOCOL_TLS_CLIENT already means check_hostname=True and CERT_REQUIRED: with no CA
    # loaded, every certificate is refused. Cheap (~0.1 ms), so not cached.
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def context_for(url: httpx.URL, *, trust_env: bool) -> ssl.SSLContext:
    """The context for a client that only talks to ``url``'s origin."""
    if url.scheme == "http":
        return plain_http_context()
    return verifying_context(trust_env=trust_env)


class HttpsOnDemand(httpx.AsyncBaseTransport):
    """An https transport built (and the CA bundle loaded) on its first request; mount it as
    ``mounts={"https://": HttpsOnDemand(...)}``."""

    def __init__(
        self,
        *,
        trust_env: bool,
        verify: ssl.SSLContext | None = None,
        build: Callable[[ssl.SSLContext], httpx.AsyncBaseTransport] | None = None,
    ) -> None:
        self._trust_env = trust_env
        #: The context to use instead of the shared verifying one (tests: a local CA).
        self._verify = verify
        #: Builds the transport from the context (default: a plain httpx transport).
        self._build = build
        self._transport: httpx.AsyncBaseTransport | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._transport is None:
            context = self._verify or verifying_context(trust_env=self._trust_env)
            if self._build is not None:
                self._transport = self._build(context)
            else:
                self._transport = httpx.AsyncHTTPTransport(
                    verify=context, trust_env=self._trust_env
                )
        return await self._transport.handle_async_request(request)

    async def aclose(self) -> None:
        if self._transport is not None:
            await self._transport.aclose()
