"""``e`` exports every order the current view matches, from the local index a real sync filled,
not only the rows the list holds: the export dialog (name, CSV or JSON), its overwrite
question, cancelling, hostile strings, and a folder that cannot be written. Pilot against the
demo API over loopback; the index is a real SQLite file where the console's settings put it.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.export.formats import FORMULA_STARTS
from artistree_tui.export.indexed import VIEW_FIELDS
from artistree_tui.export.view_export import ExportResult
from artistree_tui.ui.app import ConsoleApp
from artistree_tui.ui.dialogs.export import ConfirmOverwrite, ExportDialog
from artistree_tui.ui.dialogs.export_desk import previews_note
from tests.support.app import (
    SIZE,
    demo_settings,
    make_app,
    notifications,
    palette_hits,
    wait_for,
)
from tests.support.index import index_path, sweep_into
from tests.support.inert import dangerous
from tests.support.read_only import read_only_folder

STATE = "Reviewed"
WORD = "velvet"


def every_order(demo: DemoServer, http: httpx.Client) -> list[dict[str, Any]]:
    """Every order as the API sends it (full), newest first, read without the console."""
    page = http.get("/v1/orders", params={"project_id": "All Projects", "limit": "1000"})
    orders: list[dict[str, Any]] = page.json()["orders"]
    assert len(orders) == len(demo.order_ids())
    return orders


def word_starts(text: str, word: str) -> bool:
    return any(w.startswith(word) for w in re.findall(r"[^\W_]+", text.lower()))


def matches_text(order: dict[str, Any], word: str) -> bool:
    """The index's text rule for one word, over what a preview sweep indexes: the title, tags,
    project and analysis types."""
    project = (order["project"] or {}).get("name") or "Personal Certificates"
    texts = [order["order_title"], *order["tags"], project]
    texts += [a["analysis_type"] for a in order["analysis_list"]]
    return any(word_starts(text, word) for text in texts)


@asynccontextmanager
async def console(
    demo: DemoServer, tmp_path: Path, **overrides: Any
) -> AsyncIterator[tuple[ConsoleApp, Pilot[Any]]]:
    """The console on ``demo`` whose index (under ``tmp_path/cache``) a sync has filled, with
    pages of 50 rows (the list holds far fewer orders than the index)."""
    settings: dict[str, Any] = {
        "cache_dir": tmp_path / "cache",
        "downloads_dir": tmp_path / "Downloads",
        "page_size": 50,
        **overrides,
    }
    await sweep_into(demo, index_path(demo_settings(demo, **settings)))
    app = make_app(demo, **settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.orders.loaded_count > 0)
        yield app, pilot


async def open_export(pilot: Pilot[Any], app: ConsoleApp) -> ExportDialog:
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
    dialog = app.screen
    assert isinstance(dialog, ExportDialog)
    return dialog


async def export_to(pilot: Pilot[Any], app: ConsoleApp, path: Path | None = None) -> str:
    """Open the dialog, name the file (else keep the default), press enter; the toast."""
    dialog = await open_export(pilot, app)
    if path is not None:
        dialog.query_one("#export-path").value = str(path)  # type: ignore[attr-defined]
    before = len(notifications(app))
    await pilot.press("enter")
    await wait_for(pilot, lambda: len(notifications(app)) > before)
    await wait_for(pilot, lambda: not isinstance(app.screen, ExportDialog))
    return notifications(app)[-1]


# Plain functions: the async tests read files through these (blocking calls stay out of the
# coroutines' own lines, as ruff's ASYNC rules ask).
def exists(path: Path) -> bool:
    return path.exists()


def csv_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.csv"))


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def put(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def mode_of(path: Path) -> int:
    return path.stat().st_mode & 0o777


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, strict=True))


async def test_every_matching_order_is_written_not_only_the_held_ones(
    make_demo: Callable[..., DemoServer],
    demo_http: Callable[[DemoServer], httpx.Client],
    tmp_path: Path,
) -> None:
    demo = make_demo(orders=600, seed=11, new_order_every=0)
    truth = every_order(demo, demo_http(demo))
    wanted = [o["order_id"] for o in truth if o["order_state"] == STATE and matches_text(o, WORD)]
    downloads = tmp_path / "Downloads"
    async with console(demo, tmp_path) as (app, pilot):
        order_list = app.main_screen.orders.order_list
        while order_list.query_shown.state != STATE:
            await pilot.press("s")
            await pilot.pause()
        await pilot.press("slash", *WORD, "enter")
        await wait_for(pilot, lambda: order_list.query_shown.text == WORD)
        # The list counts every match of the index, once the sync has read the organization;
        # the export writes them all, whatever rows the list holds in memory.
        await wait_for(pilot, lambda: order_list.model.count == len(wanted))

        # The default name: a new CSV file in the downloads folder; enter writes it.
        dialog = await open_export(pilot, app)
        default = Path(dialog.path_text)
        assert default.parent == downloads and default.suffix == ".csv"
        assert not exists(default)
        await pilot.press("escape")  # cancel: nothing is written
        await wait_for(pilot, lambda: not isinstance(app.screen, ExportDialog))
        assert not downloads.exists()
        toast = await export_to(pilot, app)
        # Its default again (the minute in the name may have turned since the first one).
        (written,) = csv_files(downloads)
        assert written.parent == default.parent and written.suffix == default.suffix
        assert toast == f"Exported {len(wanted)} orders to {written}"
        default = written
        rows = read_csv(default)
        assert [row["order_id"] for row in rows] == wanted  # every one, in the list's order
        assert list(rows[0]) == list(VIEW_FIELDS)
        assert mode_of(default) == 0o600

        # The same name again: asked first; "n" keeps the file, "y" replaces it.
        put(default, "keep me\n")
        dialog = await open_export(pilot, app)
        dialog.query_one("#export-path").value = str(default)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmOverwrite))
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is dialog)
        assert text_of(default) == "keep me\n"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmOverwrite))
        await pilot.press("y")
        await wait_for(pilot, lambda: not isinstance(app.screen, (ExportDialog, ConfirmOverwrite)))
        await wait_for(pilot, lambda: text_of(default).startswith("order_id,"))
        assert [row["order_id"] for row in read_csv(default)] == wanted

        # JSON by the format choice: tab to it, → to JSON; the name follows it.
        dialog = await open_export(pilot, app)
        await pilot.press("tab", "right", "space")
        await wait_for(pilot, lambda: dialog.path_text.endswith(".json"))
        target = Path(dialog.path_text)
        before = len(notifications(app))
        await pilot.press("shift+tab", "enter")
        await wait_for(pilot, lambda: len(notifications(app)) > before)
        orders = json.loads(text_of(target))
        assert [order["order_id"] for order in orders] == wanted
    assert sorted(p.name for p in downloads.iterdir()) == sorted([default.name, target.name])


async def test_hostile_strings_are_defused_in_the_file(
    make_demo: Callable[..., DemoServer],
    demo_http: Callable[[DemoServer], httpx.Client],
    tmp_path: Path,
) -> None:
    demo = make_demo(orders=200, seed=7, faults=FaultConfig(hostile=True))
    truth = {o["order_id"]: o for o in every_order(demo, demo_http(demo))}
    async with console(demo, tmp_path) as (app, pilot):
        await export_to(pilot, app, tmp_path / "out" / "hostile.csv")
        await export_to(pilot, app, tmp_path / "out" / "hostile.json")
        toasts = notifications(app)
    assert dangerous("\n".join(toasts)) == []
    text = (tmp_path / "out" / "hostile.csv").read_text(encoding="utf-8")
    assert dangerous(text, {"\n", "\r"}) == []
    rows = list(csv.reader(text.splitlines(), strict=True))
    assert len(rows) == 201
    defused = 0
    for row in rows[1:]:
        assert all(cell.lstrip(" ")[:1] not in FORMULA_STARTS for cell in row), row
        defused += truth[row[0]]["order_title"].startswith(("=", "+", "-", "@"))
    assert defused > 0
    raw = (tmp_path / "out" / "hostile.json").read_bytes()
    assert raw.isascii()
    for order in json.loads(raw):
        assert order["order_title"] == truth[order["order_id"]]["order_title"]
        assert order["tags"] == truth[order["order_id"]]["tags"]


async def test_a_read_only_folder_is_one_error_toast_and_nothing_else(
    make_demo: Callable[..., DemoServer], tmp_path: Path
) -> None:
    demo = make_demo(orders=100, seed=3, new_order_every=0)
    with read_only_folder(tmp_path / "locked") as locked:
        async with console(demo, tmp_path, downloads_dir=locked) as (app, pilot):
            before = list(app._notifications)
            toast = await export_to(pilot, app)
            new = [n for n in app._notifications if n not in before]
            assert len(new) == 1 and new[0].severity == "error"
            assert re.fullmatch(
                rf"Could not export to {re.escape(str(locked))}/\S+\.csv: .+\.", toast
            )
            assert "\n" not in toast
        assert list(locked.iterdir()) == []


async def test_the_palette_exports_and_an_empty_index_says_so(
    make_demo: Callable[..., DemoServer], tmp_path: Path
) -> None:
    # Every list page the API sends is garbage: the sync writes nothing, the index stays empty.
    demo = make_demo(orders=50, seed=3, new_order_every=0, faults=FaultConfig(rate_malformed=1))
    downloads = tmp_path / "Downloads"
    app = make_app(demo, cache_dir=tmp_path / "cache", downloads_dir=downloads)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.live.progress is not None)
        assert screen.orders.order_list.model.count == 0
        await pilot.press("ctrl+p")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        palette.query_one(Input).value = "export"
        await wait_for(pilot, lambda: "Export view…" in palette_hits(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        before = len(notifications(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(notifications(app)) > before)
        assert notifications(app)[-1].startswith("Nothing exported: the local index holds no")
    assert not downloads.exists()


async def test_the_chosen_format_is_marked_by_its_glyph_not_its_colour_alone(
    make_demo: Callable[..., DemoServer], tmp_path: Path
) -> None:
    demo = make_demo(orders=30, seed=3, new_order_every=0)
    async with console(demo, tmp_path) as (app, pilot):
        dialog = await open_export(pilot, app)

        def marks() -> list[str]:
            return [
                "".join(segment.text for segment in dialog.query_one(f"#fmt-{fmt}").render_line(0))
                for fmt in ("csv", "json")
            ]

        await wait_for(pilot, lambda: "●" in marks()[0], state=marks)
        assert "○" in marks()[1] and "●" not in marks()[1]
        dialog.query_one("#export-path", Input).value = str(tmp_path / "orders.json")
        await wait_for(pilot, lambda: "●" in marks()[1], state=marks)  # follows the file name
        assert "○" in marks()[0] and "●" not in marks()[0]


def test_the_toast_says_how_many_were_exported_as_list_pages_carry_them() -> None:
    # A tryout exported 2,430 Action Required orders, 2,318 of them with an empty confidence,
    # asset and orderer, and the toast only said "Exported 2,430 orders".
    some = ExportResult(Path("/tmp/x.csv"), 2430, "csv", previews=2318)
    assert previews_note(some) == (
        ". 2,318 of them went out as list pages carry them: no confidence, asset or orderer "
        "yet (an order's own read fills them in)"
    )
    one = ExportResult(Path("/tmp/x.csv"), 1, "csv", previews=1)
    assert previews_note(one).startswith(". It went out as list pages carry it:")
    assert previews_note(ExportResult(Path("/tmp/x.csv"), 5, "csv", previews=0)) == ""


async def test_the_name_shows_its_end_and_enter_exports_from_the_format_choice(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """The name field opens on the end of the path (the file's name and its extension, not
    the start of its folder); ``tab`` to CSV/JSON, ``→`` to JSON, and ``enter`` there
    chooses it and exports, as ``enter`` does from the name (the hint says "enter: export")."""
    deep = tmp_path / ("a-folder-with-a-long-name-" * 3) / "Downloads"
    async with console(demo_server, tmp_path, downloads_dir=deep) as (app, pilot):
        dialog = await open_export(pilot, app)
        name = dialog.query_one("#export-path", Input)
        await wait_for(pilot, lambda: name.cursor_position == len(name.value))
        await pilot.pause()
        assert ".csv" in name.render_line(0).text  # the extension is on screen
        before = len(notifications(app))
        await pilot.press("tab", "right", "enter")  # JSON under the cursor: chosen, exported
        await wait_for(pilot, lambda: len(notifications(app)) > before)
        await wait_for(pilot, lambda: not isinstance(app.screen, ExportDialog))
        written = sorted(deep.glob("*.json"))
        assert len(written) == 1 and json.loads(text_of(written[0]))
