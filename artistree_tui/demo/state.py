"""Everything one demo server knows, shared by its request threads.

:class:`DemoState` bundles the catalog, the order factory, signing keys, tokens, the demo
clock, the fault configuration and the request log. The HTTP layer reads it; tests reach it
through :class:`artistree_tui.demo.server.DemoServer`.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from artistree_tui.demo.catalog import Catalog
from artistree_tui.demo.clock import DemoClock
from artistree_tui.demo.faults import FaultConfig, FaultPicker
from artistree_tui.demo.orders import OrderFactory
from artistree_tui.demo.signing import Signer
from artistree_tui.demo.tokens import TokenStore

if TYPE_CHECKING:
    from artistree_tui.demo.images import ImageCache

#: How many requests the log keeps (a soak test makes many; old ones are dropped).
MAX_RECORDS = 100_000
_HOST = re.compile(r"^(?:[A-Za-z0-9.\-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$")


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request the demo received. ``status`` 0 means the connection was dropped;
    ``time`` is ``time.monotonic()`` on arrival; ``connection`` the number of the TCP
    connection it came on (1 for the server's first; 0 when unknown). Headers are not kept (no
    tokens in logs)."""

    method: str
    path: str
    query: dict[str, str]
    status: int
    had_auth: bool
    time: float
    connection: int = 0


class DemoState:
    """The shared state of one demo server."""

    def __init__(
        self,
        *,
        orders: int,
        seed: int,
        faults: FaultConfig,
        token_ttl: int,
        url_ttl: int,
        new_order_every: float,
        preview_size: tuple[int, int],
        epoch: float | None,
    ) -> None:
        self.clock = DemoClock(epoch)
        self.catalog = Catalog(orders, seed, self.clock.epoch, new_order_every)
        self.factory = OrderFactory(self.catalog, preview_size)
        self.preview_size = preview_size
        self.signer = Signer()
        self.tokens = TokenStore()
        self.picker = FaultPicker(seed)
        self.faults = faults
        self.token_ttl = token_ttl
        self.url_ttl = url_ttl
        self._images: ImageCache | None = None
        self._images_lock = threading.Lock()
        self.base_url = ""
        #: The first next_page_token handed out per scope (``paging=cycle`` hands it out again).
        self.first_page_tokens: dict[str, str] = {}
        self.stopping = threading.Event()
        self._records: deque[RequestRecord] = deque(maxlen=MAX_RECORDS)
        self._records_lock = threading.Lock()

    def now(self) -> float:
        return self.clock.now()

    @property
    def images(self) -> ImageCache:
        """The cache of rendered images, made with the first image: the images module
        imports Pillow, which a server that only serves orders never needs."""
        with self._images_lock:
            if self._images is None:
                from artistree_tui.demo.images import ImageCache

                self._images = ImageCache()
            return self._images

    def origin(self, host_header: str | None) -> str:
        """Where asset URLs point: the host the client used, when it is a plain host[:port]."""
        if host_header and _HOST.match(host_header):
            return f"http://{host_header}"
        return self.base_url

    def presigner(self, origin: str, now: float) -> Presigner:
        return Presigner(self, origin, int(now) + self.url_ttl)

    def record(self, entry: RequestRecord) -> None:
        with self._records_lock:
            self._records.append(entry)

    def records(self) -> list[RequestRecord]:
        with self._records_lock:
            return list(self._records)

    def clear_records(self) -> None:
        with self._records_lock:
            self._records.clear()


class Presigner:
    """Signs paths into URLs on one origin with one expiry (one per response)."""

    def __init__(self, state: DemoState, origin: str, expires: int) -> None:
        self._signer = state.signer
        self._origin = origin
        self._expires = expires

    def __call__(self, path: str) -> str:
        return self._signer.presign(self._origin, path, self._expires)
