"""``orders`` streams: the memory it uses does not grow with the number of orders.

The command runs in this process (``cli.main``) against standalone demo APIs in child
processes (so only the command's own allocations are traced), writing into a sink that keeps
nothing; tracemalloc's peak over 3,000 orders and over 12,000 must be about the same: one page
is held at a time, never the rows already written.

The paging guard remembers order ids to drop duplicates (about 130 bytes each), up to a bound
(``REMEMBER_IDS``, 100,000): here the bound is 1,000, so what is measured is only what could
grow without one.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from artistree_tui import cli
from artistree_tui.api.paging_guard import PagingGuard
from tests.support.processes import StandaloneDemo

SMALL, BIG = 2_000, 8_000


class Sink:
    """A standard output that counts what it is given and keeps none of it."""

    def __init__(self) -> None:
        self.chars = 0
        self.lines = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        self.lines += text.count("\n")
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


@pytest.fixture(scope="module")
def demos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, StandaloneDemo]]:
    home = tmp_path_factory.mktemp("demo-home")
    args = ("--new-order-every", "0")
    with (
        StandaloneDemo(home, "--orders", str(SMALL), *args) as small,
        StandaloneDemo(home, "--orders", str(BIG), *args) as big,
    ):
        yield {SMALL: small, BIG: big}


def peak(
    demo: StandaloneDemo, home: Path, monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, Sink]:
    for name, value in demo.env(home).items():
        if name.startswith("ARTISTREE_"):
            monkeypatch.setenv(name, value)
    sink = Sink()
    monkeypatch.setattr("sys.stdout", sink)
    defaults = PagingGuard.__init__.__kwdefaults__
    assert defaults is not None
    monkeypatch.setitem(defaults, "remember", 1_000)
    tracemalloc.start()
    try:
        assert cli.main(["orders", *args]) == 0
        _, top = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return top, sink


@pytest.mark.parametrize(
    "args",
    [
        ("--format", "ndjson"),
        ("--format", "json"),
        ("--format", "csv", "--state", "failed", "--state", "action required"),
    ],
    ids=["ndjson", "json", "csv-filtered"],
)
def test_the_peak_is_the_same_for_four_times_the_orders(
    demos: dict[int, StandaloneDemo],
    isolated: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
) -> None:
    peak(demos[SMALL], isolated, monkeypatch, *args)  # warm up: imports, caches
    small, small_out = peak(demos[SMALL], isolated, monkeypatch, *args)
    big, big_out = peak(demos[BIG], isolated, monkeypatch, *args)
    assert big_out.chars > 3.5 * small_out.chars  # it did write four times as much
    # Holding the rows would add ~6,000 parsed orders (several MB); a page is ~1-2 MB.
    assert big < small * 1.25 + 512 * 1024, (small, big)
