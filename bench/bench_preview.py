"""Benchmark: selecting an order → its preview painted, against Pillow decoding the same PNG.

Runs the demo API in a child process (``--in-process`` to share this one; 1024×768 previews),
picks orders whose previews carry 8 annotations, and hosts a :class:`PreviewPanel` in a
headless Textual app. For each order it
measures, in the same run:

- ``pillow``: ``Image.open(...).load()`` of the very PNG bytes the panel will download;
- ``first paint``: ``show_order(order)`` → the last picture row rendered by the compositor
  (download over loopback, decode in a thread, scale, overlay, half-blocks, paint), with the
  memory and disk caches cold;
- ``repaint``: ``highlight_annotation(i)`` → painted again, for a selection seen before (the
  rendering is cached: the 16 ms target) and for a new one (render from the decoded image).

It prints medians and the ratio first paint / Pillow decode (target ≤ 2×; repaint ≤ 16 ms),
and the stages timed alone (download, safe decode, render) to show where the time goes.
Run: ``.venv/bin/python bench/bench_preview.py [--orders 8] [--size 100x40] [--in-process]``.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import io
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from PIL import Image
from textual.app import App, ComposeResult
from textual.strip import Strip

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from artistree_tui.api.assets import AssetFetcher
from artistree_tui.api.models import Order
from artistree_tui.api.parse import parse_order
from artistree_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DemoServer
from artistree_tui.preview import halfblock
from artistree_tui.preview.cache import asset_key
from artistree_tui.preview.decode import decode_image
from artistree_tui.preview.loader import PreviewLoader
from artistree_tui.ui.preview_panel import SHOWN, PreviewPanel


class TimedPanel(PreviewPanel):
    """Sets ``painted`` when the compositor asks for the last row of a shown picture."""

    painted: asyncio.Event | None = None

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        rendering = self.rendering
        if (
            self.painted is not None
            and self.status == SHOWN
            and rendering is not None
            and y == rendering.height  # row 0 is the title: the last picture row
        ):
            self.painted.set()
        return strip


class BenchApp(App[None]):
    def __init__(self, loader: PreviewLoader) -> None:
        super().__init__()
        self.loader = loader

    def compose(self) -> ComposeResult:
        yield TimedPanel(self.loader, color_mode="truecolor")


# The demo server in a child process: in-process, serving a 422 KB preview competes with the
# console for the GIL, which a real (remote) server never does.
_CHILD = """
import sys
from artistree_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DemoServer
server = DemoServer(orders=3000, seed=1, preview_size=(1024, 768)).start()
print(server.base_url, flush=True)
sys.stdin.read()
server.stop()
"""


class ChildDemo:
    """The demo API in a subprocess, with the attributes of DemoServer the bench uses."""

    client_id = DEMO_CLIENT_ID
    client_secret = DEMO_CLIENT_SECRET

    def __enter__(self) -> ChildDemo:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()
        self.token_url = self.base_url + "/oauth2/token"
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)

    def clear_requests(self) -> None:
        pass


def orders_with(server: Any, annotations: int, count: int) -> list[Order]:
    token = httpx.post(
        server.token_url,
        data={
            "grant_type": "client_credentials",
            "client_id": server.client_id,
            "client_secret": server.client_secret,
        },
    ).json()["access_token"]
    found: list[Order] = []
    page_token = None
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}) as http:
        while len(found) < count:
            params = {"project_id": "All Projects", "limit": "200"}
            if page_token:
                params["page_token"] = page_token
            body = http.get(f"{server.base_url}/v1/orders", params=params).json()
            for row in body["orders"]:
                order = parse_order(row)
                if order and order.asset_preview_url and len(order.annotations) >= annotations:
                    found.append(
                        dataclasses.replace(order, annotations=order.annotations[:annotations])
                    )
            page_token = body.get("next_page_token")
            if not page_token:
                break
    return found[:count]


def pillow_decode_ms(data: bytes, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


async def components(server: Any, orders: list[Order], box: tuple[int, int]) -> dict:
    """The pipeline's stages alone, outside Textual: download, safe decode, render."""
    fetcher = AssetFetcher(allow_http_origins=frozenset({server.base_url}))
    loader = PreviewLoader(fetcher)
    fetch, decode, render = [], [], []
    for order in orders:
        url = order.asset_preview_url or ""
        start = time.perf_counter()
        asset = await fetcher.fetch(url)
        fetch.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        decoded = decode_image(asset.content)
        decode.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        loader.render(asset_key(url), decoded, box=box, annotations=order.annotations)
        render.append((time.perf_counter() - start) * 1000)
    await loader.aclose()
    return {"fetch": fetch, "decode": decode, "render": render}


async def measure(server: Any, orders: list[Order], size: tuple[int, int]) -> dict:
    fetcher = AssetFetcher(allow_http_origins=frozenset({server.base_url}))
    loader = PreviewLoader(fetcher)  # no disk cache: every first paint downloads
    app = BenchApp(loader)
    first: list[float] = []
    cached: list[float] = []
    fresh: list[float] = []
    async with app.run_test(size=size) as pilot:
        panel = app.query_one(TimedPanel)
        await pilot.pause()

        async def timed(action) -> float:  # type: ignore[no-untyped-def]
            panel.painted = asyncio.Event()
            start = time.perf_counter()
            action()
            await asyncio.wait_for(panel.painted.wait(), 30)
            elapsed = (time.perf_counter() - start) * 1000
            panel.painted = None
            await pilot.pause()
            return elapsed

        for order in orders:
            first.append(await timed(lambda o=order: panel.show_order(o)))
            for index in range(len(order.annotations)):
                fresh.append(await timed(lambda i=index: panel.highlight_annotation(i)))
            for index in range(len(order.annotations)):
                cached.append(await timed(lambda i=index: panel.highlight_annotation(i)))
            panel.highlight_annotation(None)
            await pilot.pause()
        rendering = panel.rendering
        cells = (rendering.width, rendering.height) if rendering else (0, 0)
    await loader.aclose()
    return {"first": first, "fresh": fresh, "cached": cached, "cells": cells}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=8)
    parser.add_argument("--annotations", type=int, default=8)
    parser.add_argument("--size", default="100x40", help="terminal size, COLSxROWS")
    parser.add_argument(
        "--in-process", action="store_true", help="run the demo server in this process"
    )
    args = parser.parse_args()
    cols, rows = (int(part) for part in args.size.lower().split("x"))
    if args.in_process:
        host: Any = DemoServer(orders=3000, seed=1, preview_size=(1024, 768))
    else:
        host = ChildDemo()
    with host as server:
        orders = orders_with(server, args.annotations, args.orders)
        if not orders:
            print("no demo orders with that many annotations", file=sys.stderr)
            return 1
        pngs = [httpx.get(o.asset_preview_url or "").content for o in orders]
        # Warm up Pillow and the interpreter on one image, outside the measurements.
        pillow_decode_ms(pngs[0])
        pillow = [pillow_decode_ms(data) for data in pngs]
        server.clear_requests()
        result = asyncio.run(measure(server, orders, (cols, rows)))
        box = result["cells"]
        halfblock._styles.clear()  # cold style cache, as for a first paint
        halfblock._colors.clear()
        stages = asyncio.run(components(server, orders, box))
    median = statistics.median
    first, pill = median(result["first"]), median(pillow)
    print(f"terminal {cols}×{rows}, picture {result['cells'][0]}×{result['cells'][1]} cells")
    print(f"orders: {len(orders)} previews 1024×768, {args.annotations} annotations each")
    print(f"PNG size: median {median(len(p) for p in pngs) / 1024:.0f} KiB")
    print(f"Pillow decode alone:            median {pill:6.1f} ms")
    print(
        f"show_order → painted (cold):    median {first:6.1f} ms  (max {max(result['first']):.1f})"
    )
    print(f"  ratio first paint / decode:   {first / pill:6.2f}×   (target ≤ 2×)")
    print(
        "  stages alone, medians: "
        f"download {median(stages['fetch']):.1f} ms, "
        f"safe decode {median(stages['decode']):.1f} ms, "
        f"render {median(stages['render']):.1f} ms; the rest is Textual's message dispatch "
        "and its frame cadence (a repaint waits for the next 1/60 s tick)"
    )
    print(f"repaint, new selection:         median {median(result['fresh']):6.1f} ms")
    cached = median(result["cached"])
    print(f"repaint, cached rendering:      median {cached:6.1f} ms  (target ≤ 16 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
