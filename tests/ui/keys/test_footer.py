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

        def footer() -> str:
            return screen_text(app).splitlines()[-1].rstrip()

        def whole(footer: str, width: int) -> bool:
            keys = footer.split("▏")[0].rstrip()  # the palette's key, docked right (120)
            fits = keys.startswith("? Help") and keys.endswith("q Quit")
            # The least needed key goes first; all come back when there is room.
            return fits and ("v Preview" in footer) == (width >= 120)

        for width, height in ((80, 24), (60, 24), (120, 40)):
            await pilot.resize_terminal(width, height)
            await wait_for(pilot, lambda w=width: whole(footer(), w), state=footer)
        assert "v Preview" in footer() and "s State" in footer()
