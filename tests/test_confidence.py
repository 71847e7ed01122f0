"""The confidence score as the list and the detail show it: a percentage, or a dash where the
order's state has no score."""

from __future__ import annotations

from typing import Any

import pytest

from artistree_tui.confidence import NO_SCORE, confidence_text
from tests.support.app import detail_settled, make_app, move_to_order, screen_text, wait_for


@pytest.mark.parametrize(
    ("state", "value", "text"),
    [
        ("In Progress", 0.0, NO_SCORE),
        ("Unsupported File", 0.93, NO_SCORE),
        ("Reviewed", None, NO_SCORE),
        ("Reviewed", -0.5, NO_SCORE),
        ("Failed", 0.0, "0%"),
        ("Human Certified", 0.934, "93%"),
        ("Human Certified", 93.4, "93%"),
        ("Human Certified", 140.0, "100%"),
        ("Human Certified", 1.0, "100%"),
        ("Human Certified", 0.565, "57%"),  # a half rounds up, as the detail's 56.5% reads
        ("Human Certified", 0.995, "99%"),  # short of certain never reads as certain
        ("Failed", 0.004, "0%"),
    ],
)
def test_confidence_text(state: str, value: float | None, text: str) -> None:
    assert confidence_text(state, value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.934, "93.4%"), (0.5655, "56.6%"), (0.9996, "99.9%"), (1.0, "100%"), (0.5, "50%")],
)
def test_the_detail_s_one_decimal(value: float, text: str) -> None:
    assert confidence_text("Human Certified", value, decimals=1) == text


async def test_no_score_is_a_dash_in_the_list_and_the_detail(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await detail_settled(pilot)
        detail = app.main_screen.detail
        await move_to_order(
            pilot, app, lambda o: o.order_state == "In Progress", what="In Progress order"
        )
        await wait_for(pilot, lambda: detail.complete and not detail.pending)
        # The verdict's header line: "◌ In Progress · confidence — · remediation …".
        header = next(line for line in screen_text(app).splitlines() if "· confidence" in line)
        assert f"confidence {NO_SCORE} ·" in header
        row = next(line for line in screen_text(app).splitlines() if "› ◌ running" in line)
        row = row.split("› ◌ running", 1)[1].split("┃", 1)[0]  # the list row, cursor on it
        assert NO_SCORE in row and "0%" not in row
