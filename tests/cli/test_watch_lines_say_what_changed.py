"""Each line ``watch`` prints says what happened before the order's fields: ``event`` (``new``
or ``changed``) and ``previous_state``, so a script reading its NDJSON needs no ``--exec`` to
tell a state change from an upload. The watch's own poller against an in-process demo API over
loopback HTTP, whose clock the test moves."""

from __future__ import annotations

import json
from collections.abc import Callable

from artistree_tui.api.auth import ClientCredentials
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.models import ALL_PROJECTS, Order
from artistree_tui.cli.query import OrderFilter
from artistree_tui.cli.watch import LINE_FIELDS, Watch, watch_record
from artistree_tui.demo import DemoServer
from artistree_tui.export.formats import to_json


async def test_a_changed_order_s_line_names_its_state_before(
    make_demo: Callable[..., DemoServer],
) -> None:
    demo = make_demo(orders=200, seed=6, new_order_every=0)
    demo.hold_clock()
    lines: list[dict[str, object]] = []

    def emit(kind: str, order: Order, previous: str | None) -> None:
        lines.append(json.loads(to_json(watch_record(kind, order, previous, LINE_FIELDS))))

    auth = ClientCredentials(demo.token_url, demo.client_id, demo.client_secret)
    async with ArtistreeClient(demo.base_url, auth) as client:
        watch = Watch(client, ALL_PROJECTS, page_size=200, wanted=OrderFilter(), emit=emit)
        before = {o.order_id: o.order_state for o in await watch.head()}
        assert await watch.poll() == 0  # the baseline prints nothing
        demo.advance(3600)  # the orders being analysed are done
        assert await watch.poll() > 0
    changed = [line for line in lines if line["event"] == "changed"]
    assert changed
    for line in changed:
        assert list(line)[:3] == ["event", "previous_state", "order_id"]
        assert line["previous_state"] == before[str(line["order_id"])] != line["order_state"]
    assert all(line["previous_state"] is None for line in lines if line["event"] == "new")
