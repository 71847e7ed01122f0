"""The embedded demo Artistree API: a real HTTP server on loopback that speaks the contract.

Anyone can run the console against it without an account, and every test talks real HTTP
to it. It serves the OAuth2 token endpoint, ``GET /v1/orders`` (every rule of the published
list page), ``GET /v1/orders/{id}``, ``GET /v1/orders/pdf/{id}`` and the presigned preview,
layer and certificate files the orders point to, from data generated deterministically from
a seed (up to millions of orders, generated from their index on demand). It injects faults on
request: latency, 429s, 5xx, dropped connections, malformed bodies, short-lived tokens,
hostile strings and hostile images.

Modules: :mod:`.server` (DemoServer), :mod:`.standalone` (run_standalone), :mod:`.handler`
(HTTP, faults, logging), :mod:`.api` and :mod:`.files` (endpoints), :mod:`.catalog` (who,
what state, when), :mod:`.orders` (order objects), :mod:`.images`, :mod:`.pdf`,
:mod:`.hostile`, :mod:`.faults`, :mod:`.tokens`, :mod:`.signing`, :mod:`.ids`,
:mod:`.clock`, :mod:`.words`, :mod:`.responses`, :mod:`.state`.

This package never imports Textual. Its names are imported on first use (PEP 562): the
console's ``--demo`` runs the server in a child process (:mod:`.child`) and imports only what
starts it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from artistree_tui.lazy import lazy_attributes

if TYPE_CHECKING:
    from artistree_tui.demo.catalog import DemoProject
    from artistree_tui.demo.clock import DEMO_EPOCH
    from artistree_tui.demo.faults import FaultConfig
    from artistree_tui.demo.server import DemoServer
    from artistree_tui.demo.standalone import run_standalone
    from artistree_tui.demo.state import RequestRecord
    from artistree_tui.demo.tokens import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

#: Each public name and the module it lives in.
_HOMES = {
    "DEMO_CLIENT_ID": "tokens",
    "DEMO_CLIENT_SECRET": "tokens",
    "DEMO_EPOCH": "clock",
    "DemoProject": "catalog",
    "DemoServer": "server",
    "FaultConfig": "faults",
    "RequestRecord": "state",
    "run_standalone": "standalone",
}

__all__ = [
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "DEMO_EPOCH",
    "DemoProject",
    "DemoServer",
    "FaultConfig",
    "RequestRecord",
    "run_standalone",
]


__getattr__ = lazy_attributes(__name__, _HOMES, globals())
