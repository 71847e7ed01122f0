"""The footer at any width: when keys do not fit, whole keys are left out (the least needed
first), never the last one cut in half; all come back when there is room."""

from __future__ import annotations

from typing import Any

from tests.support.app import (
    list_loaded,
    make_app,
    screen_text,
    wait_for,
)


async def test_a_narrow_footer_leaves_out_whole_keys_never_cuts_the_last(
    demo_server: Any,
) -> None:
    app = make_app(demo_server, preview="auto")  # with the preview's key, v
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        for size in ((80, 24), (60, 24), (120, 40)):
            await pilot.resize_terminal(*size)
            await pilot.pause(0.2)
            footer = screen_text(app).splitlines()[-1].rstrip()
            keys = footer.split("▏")[0].rstrip()  # the palette's key, docked right (120)
            assert keys.startswith("? Help") and keys.endswith("q Quit"), footer
            if size[0] < 120:  # the least needed key went first
                assert "v Preview" not in footer
        assert "v Preview" in footer and "s State" in footer  # all back when there is room
