"""Benchmark (not a test): the order index at 1,000,000 orders against 10,000, in one run.

Each size is built by a child process (so its RSS is the indexing alone): synthetic orders
shaped like the demo's — ids, states, projects and creation times from the demo's catalog
(``artistree_tui.demo.catalog``), titles, tags and analyses drawn from its word lists — written
newest first through ``Writer.write_page`` in pages of 1,000 previews, as a sweep writes them,
plus full orders (confidence, asset, people) for one order in ten. The child reports its build
time and its RSS once indexing is done and a view has been counted. A bare Textual app in
another child is the RSS baseline.

Then this process opens each file and times, per view (median of ``--repeat`` runs, a fresh
view each time, warm OS cache):

- ``first``: make the view, ``count()``, ``rows(0, 60)`` and ``scored()`` (sorted by
  confidence: how many orders have a score) — what a key press that changes the filter, sort
  or search costs before the list can repaint (target ≤ 50 ms);
- ``end``: ``rows(count - 60, 60)`` on a fresh view (``G``);
- ``middle``: ``rows(count // 2, 60)`` on a fresh view (a jump before anchors exist);
- ``position``: ``position_of`` an order in the middle, on a fresh view;
- ``anchors``: building every anchor (done in a worker by the UI).

It prints each at 10,000 and 1,000,000 orders and their ratio, the build rates and the RSS.

Run: ``.venv/bin/python bench/bench_index.py`` (``--orders``, ``--small``, ``--keep DIR`` to
reuse built files across runs, ``--repeat``).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FULL_SHARE = 10  # one order in this many also gets a full order written
PAGE = 1000


def rss_mb() -> float:
    """Resident set size of this process, from /proc (Linux), else ru_maxrss."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- children ---------------------------------------------------------------------------------


def child_bare() -> dict[str, Any]:
    import asyncio

    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("bare")

    async def run() -> dict[str, Any]:
        async with Bare().run_test(headless=True, size=(120, 40)) as pilot:
            await pilot.pause()
            return {"rss": rss_mb()}

    return asyncio.run(run())


def child_build(path: str, orders: int) -> dict[str, Any]:
    from datetime import UTC, datetime

    from artistree_tui.api.models import (
        Analysis,
        Order,
        OrderPreview,
        OrdersPage,
        OrderStats,
        Project,
    )
    from artistree_tui.demo import words
    from artistree_tui.demo.catalog import STATES, Catalog
    from artistree_tui.store import ALL, Index, ViewSpec

    catalog = Catalog(orders, seed=1, epoch=1_772_442_000.0, new_order_every=0)
    now = catalog.epoch  # the newest few hundred are still In Progress
    projects = ["Personal Certificates", *(p.name for p in catalog.projects)]
    rng = random.Random(1)
    index = Index(Path(path))
    writer = index.writer()
    started = time.perf_counter()
    for top in range(orders - 1, -1, -PAGE):
        previews, full = [], []
        for i in range(top, max(top - PAGE, -1), -1):
            code = catalog.project_code(i)
            title = (
                f"{rng.choice(words.TITLE_ADJECTIVES)} {rng.choice(words.TITLE_SUBJECTS)}"
                f"{rng.choice(words.TITLE_SUFFIXES)}"
            )
            preview = OrderPreview(
                order_id=catalog.ids.encode(i),
                order_title=title,
                creation_time=datetime.fromtimestamp(catalog.created_at(i), UTC),
                order_state=STATES[catalog.state_at(i, now)],
                asset_preview_url=f"https://assets.example/previews/{i}.png",
                project_name=projects[code],
                analyses=tuple(
                    Analysis(kind, rng.random() > 0.2)
                    for kind in rng.sample(words.ANALYSIS_TYPES, 3)
                ),
                tags=tuple(rng.sample(words.TAGS, rng.choice((0, 1, 1, 2, 3)))),
            )
            previews.append(preview)
            if i % FULL_SHARE == 0:
                first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
                user = f"{first}.{last}".lower()
                full.append(
                    Order(
                        order_id=preview.order_id,
                        username=user,
                        email=f"{user}@{words.ORG_DOMAIN}",
                        order_state=preview.order_state,
                        order_title=title,
                        asset_name=title.lower().replace(" ", "-") + ".png",
                        ordered_by=user,
                        creation_time=preview.creation_time,
                        analyses=preview.analyses,
                        tags=preview.tags,
                        confidence=round(rng.random(), 3),
                        project=None
                        if code == 0
                        else Project(catalog.projects[code - 1].id, projects[code]),
                    )
                )
        writer.write_page(OrdersPage(stats=OrderStats(total=orders), previews=tuple(previews)))
        if full:
            writer.write_orders(full)
    writer.start_sweep(ALL, at=0.0)
    writer.finish_sweep(ALL, complete=True, started_at=0.0)
    seconds = time.perf_counter() - started
    reader = index.reader()
    count = reader.view(ViewSpec.of()).count()
    result = {"seconds": seconds, "rows": count, "rss": rss_mb()}
    reader.close()
    index.close()
    return result


def run_child(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise SystemExit(f"child {args[0]} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# -- timing in this process ---------------------------------------------------------------


def cases(oldest: str) -> list[tuple[str, Any]]:
    from artistree_tui.store import Scope, ViewSpec

    brand = Scope.project("brand", "Brand Refresh 2026")
    editorial = Scope.project("editorial", "Editorial Illustrations")
    return [
        ("created ↓ (default)", ViewSpec.of()),
        ("created ↑", ViewSpec.of(descending=False)),
        ("state ↑", ViewSpec.of(sort="state", descending=False)),
        ("state ↓", ViewSpec.of(sort="state")),
        ("confidence ↓", ViewSpec.of(sort="confidence")),
        ("confidence ↑", ViewSpec.of(sort="confidence", descending=False)),
        ("title ↑", ViewSpec.of(sort="title", descending=False)),
        ("title ↓", ViewSpec.of(sort="title")),
        ("state = Action Required", ViewSpec.of(states={"Action Required"})),
        ("state ∈ {Action Req., Failed}", ViewSpec.of(states={"Action Required", "Failed"})),
        ("state = In Progress (rare)", ViewSpec.of(states={"In Progress"})),
        ("project (27 %)", ViewSpec.of(brand)),
        ("project (9 %), by title", ViewSpec.of(editorial, sort="title", descending=False)),
        ("text: one word (~6 %)", ViewSpec.of(text="lighthouse")),
        ("text: two words (~0.4 %)", ViewSpec.of(text="quiet harbour")),
        ("text: as typed, 'harb'", ViewSpec.of(text="harb")),
        ("text: a tag (~15 %)", ViewSpec.of(text="hero")),
        ("text: tag + Action Required", ViewSpec.of(states={"Action Required"}, text="hero")),
        ("text: the oldest order's id", ViewSpec.of(text=oldest)),
        ("text: an id prefix (8)", ViewSpec.of(text=oldest[:8])),
    ]


def timed(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def measure(path: Path, oldest: str, repeat: int) -> dict[str, dict[str, float]]:
    from artistree_tui.store import Index

    index = Index(path)
    reader = index.reader()
    results: dict[str, dict[str, float]] = {}
    for name, spec in cases(oldest):
        kinds = ("first", "end", "middle", "position", "anchors")
        samples: dict[str, list[float]] = {k: [] for k in kinds}
        count = 0
        for _ in range(repeat):
            view = reader.view(spec)

            def first(view: Any = view) -> None:
                nonlocal count
                count = view.count()
                view.rows(0, 60)
                view.scored()  # sorted by confidence, the list says how many have a score

            samples["first"].append(timed(first))
            view.close()
            view = reader.view(spec)
            view.count()
            end = max(count - 60, 0)
            samples["end"].append(timed(lambda v=view, at=end: v.rows(at, 60)))
            view.close()
            view = reader.view(spec)
            view.count()
            half = count // 2
            samples["middle"].append(timed(lambda v=view, at=half: v.rows(at, 60)))
            middle = view.rows(half, 1)
            view.close()
            view = reader.view(spec)
            view.count()
            if middle:
                samples["position"].append(
                    timed(lambda v=view, m=middle[0].order_id: v.position_of(m))
                )
            samples["anchors"].append(timed(lambda v=view: v.build_anchors()))
            view.close()
        results[name] = {k: statistics.median(v) if v else 0.0 for k, v in samples.items()}
        results[name]["count"] = count
    reader.close()
    index.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the built files")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind = args.child[0]
        result = child_bare() if kind == "bare" else child_build(args.child[1], int(args.child[2]))
        print(json.dumps(result))
        return

    from artistree_tui.demo.catalog import Catalog

    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-index-"))
    folder.mkdir(parents=True, exist_ok=True)
    bare = run_child("bare")
    built: dict[int, dict[str, Any]] = {}
    for size in (args.small, args.orders):
        path = folder / f"orders-{size}.sqlite3"
        if not path.exists():
            built[size] = run_child("build", str(path), str(size))
            built[size]["reused"] = False
        else:
            built[size] = {"reused": True}
    oldest = Catalog(1, seed=1, epoch=0, new_order_every=0).ids.encode(0)
    small = measure(folder / f"orders-{args.small}.sqlite3", oldest, args.repeat)
    big = measure(folder / f"orders-{args.orders}.sqlite3", oldest, args.repeat)

    print(f"order index: {args.small:,} vs {args.orders:,} orders (ms, median of {args.repeat})")
    head = f"{'view':32} {'rows':>9}  {'first':>13}  {'×':>5}  {'end':>6} {'middle':>7}"
    print(head + f" {'position':>9} {'anchors':>8}")
    worst = 0.0
    for name, _ in cases(oldest):
        s, b = small[name], big[name]
        ratio = b["first"] / s["first"] if s["first"] else 0.0
        worst = max(worst, b["first"])
        print(
            f"{name:32} {int(b['count']):>9,}  {s['first']:5.1f} → {b['first']:5.1f}  "
            f"{ratio:4.1f}×  {b['end']:6.1f} {b['middle']:7.1f} {b['position']:9.1f} "
            f"{b['anchors']:8.1f}"
        )
    print(f"slowest first paint at {args.orders:,}: {worst:.1f} ms (target ≤ 50 ms)")
    for size in (args.small, args.orders):
        info = built[size]
        if not info.get("reused"):
            rate = size / info["seconds"]
            print(
                f"built {size:,} orders in {info['seconds']:.1f} s ({rate:,.0f} orders/s); "
                f"RSS {info['rss']:.1f} MB = bare Textual app {bare['rss']:.1f} MB "
                f"+ {info['rss'] - bare['rss']:.1f} MB (target ≤ +60 MB)"
            )
    sizes = {p.name: p.stat().st_size / 1e6 for p in folder.glob("orders-*.sqlite3")}
    print("files: " + ", ".join(f"{n} {mb:.0f} MB" for n, mb in sorted(sizes.items())))
    if args.keep is None:
        print(f"(built in {folder}; pass --keep DIR to reuse them)")


if __name__ == "__main__":
    main()
