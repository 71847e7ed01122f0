"""The preview panel's height rules (pure functions shared by the layout and the first
rendering made in the decoding thread)."""

from __future__ import annotations

from artistree_tui.preview.layout import PLACEHOLDER_ROWS, natural_height, picture_box


def test_natural_height_follows_the_aspect_ratio() -> None:
    # 80 cells wide at 4:3 is 60 pixels high: 30 rows, + title + legend.
    assert natural_height(80, (1024, 768), legend=True) == 32
    assert natural_height(80, (1024, 768), legend=False) == 31
    # A tall image: 40 cells wide, 2:1 tall is 80 pixels, 40 rows.
    assert natural_height(40, (500, 1000), legend=False) == 41
    # Unknown size: 4:3 is assumed (the layout does not jump when the image arrives).
    assert natural_height(80, None, legend=True) == natural_height(80, (800, 600), legend=True)


def test_natural_height_is_capped() -> None:
    assert natural_height(80, (1024, 768), legend=True, cap=12) == 12
    assert natural_height(8, (1024, 768), legend=True, cap=50) == natural_height(
        8, (1024, 768), legend=True
    )


def test_picture_box_leaves_the_title_and_legend_rows() -> None:
    assert picture_box(50, 20, legend=True) == (50, 18)
    assert picture_box(50, 20, legend=False) == (50, 19)
    assert picture_box(0, PLACEHOLDER_ROWS - 2, legend=True) == (1, 1)  # never empty
