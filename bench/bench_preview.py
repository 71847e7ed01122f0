"""Benchmark (not a test): selecting an order → its preview painted, against Pillow decoding
the same PNG, for flat and for painterly demo artwork in the same run.

The demo's previews used to be flat shapes (~25 KB PNGs that Pillow decodes in ~4 ms); real
artwork previews are textured (~1 MB, several times slower to decode), and a ratio against a
4 ms decode mostly measures fixed costs. So two demo API servers run in child processes (a
real server never competes with the console for the GIL), one with ``PAINTERLY = False`` (the
old flat art) and one with the default painterly surface, 1024×768 previews. For each kind, in
the same run:

- ``pillow``: ``Image.open(...).load()`` of the very PNG bytes the console will download,
  timed right before each measured paint (so both see the same machine load: a ratio of two
  timings taken minutes apart on a busy machine says little);
- ``panel``: a bare app hosting :class:`PreviewPanel` (100×40): ``show_order(order)`` → the last
  picture row rendered by the compositor (download over loopback streamed into the decoding
  thread, decode, first rendering in that thread, message to the UI, frame), caches cold;
- ``console``: the real console (160×50, preview on, no disk cache): ``j`` in the order list →
  the preview's last picture row painted (list, detail pane and preview all doing their work);
- ``repaint``: ``highlight_annotation(i)`` → painted again, for a new selection (rendered from
  the decoded image) and for one seen before (cached rendering: the 16 ms target).

It prints medians, the ratios first paint / Pillow decode (target ≤ 2×), and the stages timed
alone (download, decode of the whole file, render with cold colour caches) to show where the
time goes. Next to each wall-clock time it gives the CPU time spent: the console process's (all
threads) from the action to the paint, against the CPU of Pillow's decode, and the UI thread's
share of it (event loop: download, messages, frames; the rest is the decoding thread's decode
and first rendering). Pillow holds the GIL while it inflates, so the threads take turns: the
wall time is about the sum of their CPU, and less work anywhere is the only way to go faster.
On a shared machine the wall-clock times swing with the load; the CPU ratio says how much work
the console does and barely moves. Server-side PNG drawing is kept out: every PNG is fetched
once before timing.
Run: ``.venv/bin/python bench/bench_preview.py [--orders 10]``.
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
from collections.abc import Callable
from functools import partial
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
from artistree_tui.config import Settings
from artistree_tui.connect import build_client
from artistree_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from artistree_tui.preview import halfblock
from artistree_tui.preview.cache import asset_key
from artistree_tui.preview.decode import decode_image
from artistree_tui.preview.loader import PreviewLoader
from artistree_tui.ui.app import ConsoleApp
from artistree_tui.ui.preview.canvas import PreviewCanvas
from artistree_tui.ui.preview.panel import SHOWN, PreviewPanel

ROOT = Path(__file__).resolve().parent.parent
median = statistics.median


class Painted:
    """Set when the compositor asks any PreviewPanel for a row of a shown picture (it draws
    every visible row of a frame together; in the console the picture's bottom may be below
    the detail pane's fold)."""

    event: asyncio.Event | None = None
    at = 0.0
    cpu_at = 0.0
    ui_cpu_at = 0.0
    #: Process CPU milliseconds (all threads) over the last :meth:`timed` span.
    cpu = 0.0
    #: The UI thread's share of :attr:`cpu` (the rest: the decoding thread, mostly).
    ui_cpu = 0.0

    @classmethod
    def install(cls) -> None:
        original = PreviewPanel.render_line

        def render_line(panel: PreviewCanvas, y: int) -> Strip:
            strip = original(panel, y)
            rendering = panel.rendering
            event = cls.event
            if (
                event is not None
                and not event.is_set()
                and panel.status == SHOWN
                and rendering is not None
                and 1 <= y <= rendering.height  # row 0 is the title
            ):
                cls.at = time.perf_counter()
                cls.cpu_at = time.process_time()
                cls.ui_cpu_at = time.thread_time()  # render_line runs on the UI thread
                event.set()
            return strip

        setattr(PreviewPanel, "render_line", render_line)  # noqa: B010 - a bench probe

    @classmethod
    async def timed(cls, action: Callable[[], Any], limit: float = 30.0) -> float:
        """Milliseconds from ``action()`` to the painted picture (and :attr:`cpu`)."""
        cls.event = asyncio.Event()
        start, cpu_start = time.perf_counter(), time.process_time()
        ui_start = time.thread_time()
        result = action()
        if asyncio.iscoroutine(result):
            await result
        await asyncio.wait_for(cls.event.wait(), limit)
        cls.event = None
        cls.cpu = (cls.cpu_at - cpu_start) * 1000
        cls.ui_cpu = (cls.ui_cpu_at - ui_start) * 1000
        return (cls.at - start) * 1000


class PanelApp(App[None]):
    def __init__(self, loader: PreviewLoader) -> None:
        super().__init__()
        self.loader = loader

    def compose(self) -> ComposeResult:
        yield PreviewPanel(self.loader, color_mode="truecolor")


# The demo server in a child process; PAINTERLY chooses the kind of artwork it draws.
_CHILD = """
import sys
from artistree_tui.demo import DemoServer, images
images.PAINTERLY = {painterly}
server = DemoServer(orders=400, seed=1, preview_size=(1024, 768)).start()
print(server.base_url, flush=True)
sys.stdin.read()
server.stop()
"""


class ChildDemo:
    """The demo API in a subprocess."""

    def __init__(self, *, painterly: bool) -> None:
        self.painterly = painterly

    def __enter__(self) -> ChildDemo:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _CHILD.format(painterly=self.painterly)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()
        self.token_url = self.base_url + "/oauth2/token"
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)


def list_page(server: ChildDemo) -> list[Order]:
    """The console's first page (All Projects, newest first), parsed."""
    form = {
        "grant_type": "client_credentials",
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
    }
    token = httpx.post(server.token_url, data=form).json()["access_token"]
    body = httpx.get(
        f"{server.base_url}/v1/orders",
        params={"project_id": "All Projects", "limit": "200"},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    return [o for o in map(parse_order, body["orders"]) if o is not None]


def pillow_ms(data: bytes, repeat: int = 3) -> tuple[float, float]:
    """Pillow's decode of ``data``: median wall and CPU milliseconds."""
    times, cpu = [], []
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.thread_time()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - cpu_start) * 1000)
    return median(times), median(cpu)


async def measure_panel(
    server: ChildDemo, orders: list[Order], pngs: dict[str, bytes]
) -> dict[str, Any]:
    fetcher = AssetFetcher(allow_http_origins=frozenset({server.base_url}))
    loader = PreviewLoader(fetcher)  # no disk cache: every first paint downloads
    app = PanelApp(loader)
    first: list[tuple[float, float, float]] = []  # wall, process CPU, UI thread CPU
    pillow: list[tuple[float, float]] = []  # wall, CPU
    fresh: list[float] = []
    cached: list[float] = []
    async with app.run_test(size=(100, 40)) as pilot:
        panel = app.query_one(PreviewPanel)
        await pilot.pause()
        for order in orders:
            pillow.append(pillow_ms(pngs[order.order_id]))
            wall = await Painted.timed(partial(panel.show_order, order))
            first.append((wall, Painted.cpu, Painted.ui_cpu))
            await pilot.pause(0.05)
            for rounds in (fresh, cached):  # new selections, then the same ones again
                for index in range(len(order.annotations)):
                    rounds.append(await Painted.timed(partial(panel.highlight_annotation, index)))
                    await pilot.pause()
            panel.highlight_annotation(None)
            await pilot.pause()
        cells = (panel.rendering.width, panel.rendering.height) if panel.rendering else (0, 0)
    await loader.aclose()
    return {"first": first, "pillow": pillow, "fresh": fresh, "cached": cached, "cells": cells}


async def measure_console(
    server: ChildDemo, targets: dict[int, bytes], last: int
) -> dict[int, tuple[tuple[float, float], tuple[float, float, float]]]:
    """``j`` through the list from the top: for each of ``targets`` (row → its PNG), Pillow's
    decode of the PNG and then the time from ``j`` to the painted preview."""
    settings = Settings(
        base_url=server.base_url,
        token_url=server.token_url,
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
        refresh_seconds=0.0,
        demo=True,
        preview="halfblock",
        image_cache_mb=0,
    )
    app = ConsoleApp(settings, build_client(settings))
    times: dict[int, tuple[tuple[float, float], tuple[float, float, float]]] = {}
    async with app.run_test(size=(160, 50)) as pilot:
        for _ in range(500):  # the first page and the first order's detail
            await pilot.pause(0.02)
            if app.main_screen.orders.loaded_count and app.main_screen.detail.complete:
                break
        await pilot.pause(0.5)
        for index in range(1, last + 1):
            if index in targets:
                decode = pillow_ms(targets[index])
                wall = await Painted.timed(partial(pilot.press, "j"))
                times[index] = (decode, (wall, Painted.cpu, Painted.ui_cpu))
            else:
                await pilot.press("j")
            await pilot.pause(0.3)  # let the detail fetch and any repaint settle
    return times


async def stages(
    server: ChildDemo, orders: list[Order], box: tuple[int, int]
) -> dict[str, list[tuple[float, float]]]:
    """The pipeline's stages alone, outside Textual: download, decode, render (cold), each as
    (wall, CPU of this thread) milliseconds."""
    fetcher = AssetFetcher(allow_http_origins=frozenset({server.base_url}))
    loader = PreviewLoader(fetcher)
    times: dict[str, list[tuple[float, float]]] = {"download": [], "decode": [], "render": []}

    def since(stage: str, start: tuple[float, float]) -> None:
        wall, cpu = time.perf_counter() - start[0], time.thread_time() - start[1]
        times[stage].append((wall * 1000, cpu * 1000))

    def now() -> tuple[float, float]:
        return time.perf_counter(), time.thread_time()

    for order in orders:
        url = order.asset_preview_url or ""
        start = now()
        asset = await fetcher.fetch(url)
        since("download", start)
        start = now()
        decoded = decode_image(asset.content)
        since("decode", start)
        halfblock.clear_caches()  # cold colour caches, as for a first paint
        start = now()
        loader.render(asset_key(url), decoded, box=box, annotations=order.annotations)
        since("render", start)
    await loader.aclose()
    return times


def run_kind(painterly: bool, count: int, annotations: int) -> dict[str, Any]:
    with ChildDemo(painterly=painterly) as server:
        page = list_page(server)
        # The console walks the list from the top: its targets are the first rows with a
        # preview; the panel gets other orders (with `annotations` regions) of the same page.
        walk = [i for i, o in enumerate(page) if i > 0 and o.asset_preview_url][:count]
        panel_orders = [
            dataclasses.replace(o, annotations=o.annotations[:annotations])
            for i, o in enumerate(page)
            if o.asset_preview_url and len(o.annotations) >= annotations and i > walk[-1]
        ][:count]
        timed = [page[i] for i in walk] + panel_orders
        # Fetched once before timing: the server draws each PNG on first request.
        pngs = {o.order_id: httpx.get(o.asset_preview_url or "").content for o in timed}
        pillow_ms(next(iter(pngs.values())))  # warm-up, not measured
        panel = asyncio.run(measure_panel(server, panel_orders, pngs))
        targets = {i: pngs[page[i].order_id] for i in walk}
        console = asyncio.run(measure_console(server, targets, walk[-1]))
        stage = asyncio.run(stages(server, panel_orders, panel["cells"]))
    # (Pillow, painted) pairs of (wall, CPU), measured one right after the other.
    pairs = {
        "panel": list(zip(panel["pillow"], panel["first"], strict=True)),
        "console": list(console.values()),
    }
    result: dict[str, Any] = {}
    for view, both in pairs.items():
        result[view] = median(t[0] for _p, t in both)
        result[f"{view}_ratio"] = median(t[0] / p[0] for p, t in both)
        result[f"{view}_cpu"] = median(t[1] for _p, t in both)
        result[f"{view}_cpu_ratio"] = median(t[1] / p[1] for p, t in both)
        result[f"{view}_ui_cpu"] = median(t[2] for _p, t in both)
    decodes = [p for both in pairs.values() for p, _t in both]
    return {
        **result,
        "png_kib": median(len(d) for d in pngs.values()) / 1024,
        "pillow": median(p[0] for p in decodes),
        "pillow_cpu": median(p[1] for p in decodes),
        "fresh": median(panel["fresh"]),
        "cached": median(panel["cached"]),
        "cells": panel["cells"],
        "stages": {
            name: (median(w for w, _c in values), median(c for _w, c in values))
            for name, values in stage.items()
        },
        "n": (len(panel_orders), len(console)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10, help="orders timed per kind and view")
    parser.add_argument("--annotations", type=int, default=8)
    args = parser.parse_args()
    Painted.install()
    flat = run_kind(False, args.orders, args.annotations)
    real = run_kind(True, args.orders, args.annotations)

    def row(label: str, key: str, fmt: str = "{:8.1f} ms") -> None:
        print(f"{label:<38}{fmt.format(flat[key]):>14}{fmt.format(real[key]):>14}")

    cells = f"{real['cells'][0]}×{real['cells'][1]}"
    print(
        f"1024×768 previews; panel {cells} cells in 100×40, console 160×50; "
        f"{real['n'][0]} orders (panel) / {real['n'][1]} (console) per kind"
    )
    print(f"{'':<38}{'flat art':>14}{'painterly art':>14}")
    row("PNG size (median)", "png_kib", "{:8.0f} KiB")
    row("Pillow decode alone", "pillow")
    row("  its CPU time", "pillow_cpu")
    row("panel: show_order → painted", "panel")
    row("  ratio to Pillow decode (≤ 2×)", "panel_ratio", "{:8.2f} ×  ")
    row("  process CPU meanwhile", "panel_cpu")
    row("  CPU ratio to Pillow's", "panel_cpu_ratio", "{:8.2f} ×  ")
    row("  of the CPU: the UI thread's", "panel_ui_cpu")
    row("console: j → preview painted", "console")
    row("  ratio to Pillow decode", "console_ratio", "{:8.2f} ×  ")
    row("  process CPU meanwhile", "console_cpu")
    row("  CPU ratio to Pillow's", "console_cpu_ratio", "{:8.2f} ×  ")
    row("  of the CPU: the UI thread's", "console_ui_cpu")
    row("repaint, new selection", "fresh")
    row("repaint, cached rendering (≤ 16 ms)", "cached")
    for stage in ("download", "decode", "render"):
        label = f"  alone: {stage} (its CPU)"
        wall_cpu = [kind["stages"][stage] for kind in (flat, real)]
        text = [f"{wall:.1f} ({cpu:.1f}) ms" for wall, cpu in wall_cpu]
        print(f"{label:<38}{text[0]:>14}{text[1]:>14}")
    print("(ratios are medians of per-order ratios; decode overlaps the download when streamed;")
    print(" CPU: all the console process's threads, so it shows the work done whatever the load)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
