"""How far the index's counts are behind the API's own (``StateCounts.behind``): only for
All Projects once it has been swept to the end, whose counts every head refresh brings. A
project's counts come with its own first page only while the console watches it, so they are
not compared (an old answer against an index kept current by All Projects' walks)."""

from __future__ import annotations

from collections.abc import Callable

from artistree_tui.api.models import OrdersPage, OrderStats
from artistree_tui.store import ALL, Index, Scope

from .conftest import preview


def test_only_all_projects_complete_counts_say_how_far_behind(
    open_index: Callable[..., Index],
) -> None:
    index = open_index()
    writer, reader = index.writer(), index.reader()
    rows = tuple(preview(n, "Reviewed") for n in range(6))
    started = writer.start_sweep(ALL)
    swept = OrdersPage(stats=OrderStats(reviewed=6, total=6), previews=rows)
    writer.write_sweep_page(
        swept, scope=ALL, mark_new=False, pages=1, rows=6, last=True, started_at=started
    )
    assert reader.state_counts(ALL).behind == 0
    # A head refresh: the API now counts two of the older orders as Failed.
    head = OrdersPage(stats=OrderStats(reviewed=4, failed=2, total=6), previews=rows[:1])
    writer.write_page(head, scope=ALL)
    assert reader.state_counts(ALL).behind == 2
    spring = Scope.project("p-spring", "Spring")
    writer.write_page(head, scope=spring)  # the project's own first page, as watched
    counts = reader.state_counts(spring)
    assert counts.complete and counts.total == 6 and counts.behind == 0
