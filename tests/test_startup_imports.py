"""What the console's startup imports: Pillow arrives with the first picture, not before; ctypes
(the allocator's tuning) and email's date parser (a Retry-After date) on their first use.

``artistree-tui --demo`` imports the CLI, the demo server, the API client and the console; none
of them may load Pillow (~20 ms of a start that is compared with a bare Textual app's), nor the
preview modules the console imports at startup. The demo server renders its images, and the
preview pipeline decodes and draws them, with Pillow imported on first use.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.import_probe import heavy_imports

STARTUP = [
    "artistree_tui.cli",
    "artistree_tui.demo",
    "artistree_tui.demo.server",
    "artistree_tui.connect",
    "artistree_tui.preview.decode",
    "artistree_tui.preview.colors",
    "artistree_tui.preview.status",
    "artistree_tui.preview.loader",
    "artistree_tui.ui.app",
]


def test_the_console_starts_without_pillow() -> None:
    # The last step imports a module that draws: the probe sees Pillow arriving through us.
    report, after = heavy_imports(
        STARTUP, ("PIL",), after="importlib.import_module('artistree_tui.preview.halfblock')"
    )
    assert report == {name: [] for name in STARTUP}
    assert after == ["PIL"]


#: What the detail pane imports when it builds its sections with the first order drawn: the
#: annotations table (and Textual's DataTable), the preview panel and its canvas.
WITH_THE_FIRST_ORDER = (
    "artistree_tui.ui.detail.annotation_table",
    "artistree_tui.ui.preview.panel",
    "artistree_tui.ui.preview.canvas",
    "textual.widgets._data_table",
)


def test_the_console_imports_the_panel_and_the_table_with_the_first_order() -> None:
    # The last step is what DetailPane.build_sections and the app's preview factory import.
    report, after = heavy_imports(
        ["artistree_tui.cli", "artistree_tui.ui.app"],
        WITH_THE_FIRST_ORDER,
        after=(
            "from artistree_tui.ui.detail.annotation_table import AnnotationTable\n"
            "from artistree_tui.ui.preview.panel import PreviewPanel\n"
        ),
    )
    assert report == {"artistree_tui.cli": [], "artistree_tui.ui.app": []}
    assert sorted(after) == sorted(WITH_THE_FIRST_ORDER)


def test_the_demo_server_imports_pillow_for_its_first_image_only() -> None:
    # The last step serves one list page, then renders one preview, as the server does.
    serve = (
        "from artistree_tui.demo.state import DemoState\n"
        "from artistree_tui.demo.faults import FaultConfig\n"
        "from artistree_tui.demo import api, files\n"
        "state = DemoState(orders=5, seed=1, faults=FaultConfig(), token_ttl=60, url_ttl=60,\n"
        "    new_order_every=0.0, preview_size=(64, 48), epoch=None)\n"
        "page = api.list_orders(state, {'project_id': 'All Projects'}, 'http://127.0.0.1:1')\n"
        "assert page.status == 200 and 'PIL' not in sys.modules\n"
        "assert files._image(state, 0, ('preview', 0)).startswith(b'\\x89PNG')\n"
    )
    modules = ["artistree_tui.demo", "artistree_tui.demo.files", "artistree_tui.demo.state"]
    report, after = heavy_imports(modules, ("PIL", "textual"), after=serve)
    assert report == {name: [] for name in modules}
    assert after == ["PIL"]


def test_a_start_without_a_config_file_loads_no_toml_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The demo on a fresh machine has no config file: tomllib arrives with the first file.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "empty"))
    monkeypatch.delenv("ARTISTREE_TUI_CONFIG", raising=False)
    config = tmp_path / "config.toml"
    config.write_text('theme = "textual-dark"\n')
    read = (
        "from artistree_tui.config import load_settings\n"
        "load_settings(demo=True)\n"
        "assert 'tomllib' not in sys.modules\n"
        f"load_settings(config_path={str(config)!r}, demo=True)\n"
    )
    report, after = heavy_imports(
        ["artistree_tui.cli", "artistree_tui.config"], ("tomllib",), after=read
    )
    assert report == {"artistree_tui.cli": [], "artistree_tui.config": []}
    assert after == ["tomllib"]


def test_the_console_loads_neither_ctypes_nor_email_until_they_are_used() -> None:
    # ctypes: the allocator is tuned after the first frame (~3 ms of import, and the C library
    # looked up); email.utils: only a Retry-After given as a date needs its parser.
    modules = ["artistree_tui.cli", "artistree_tui.launch", "artistree_tui.ui.app"]
    use = (
        "from artistree_tui.memory import tune_allocator\n"
        "from artistree_tui.api.retry import parse_retry_after\n"
        "tune_allocator()\n"
        "assert parse_retry_after('Wed, 21 Oct 2015 07:28:00 GMT', now=0.0) is not None\n"
    )
    report, after = heavy_imports(modules, ("ctypes", "email"), after=use)
    assert report == {name: [] for name in modules}
    assert after == ["ctypes", "email"]
