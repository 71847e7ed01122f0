"""The preview's view rules without Textual: resets, zoom preconditions, layer stepping, keys."""

from __future__ import annotations

import dataclasses

from artistree_tui.api.models import Annotation, Geometry, Layer, Order
from artistree_tui.preview.cache import asset_key
from artistree_tui.preview.state import ViewState, same_picture

BOX = Geometry(x=1, y=1, w=5, h=5)
ORDER = Order(
    order_id="o1",
    asset_preview_url="https://h/previews/o1.png?sig=a",
    asset_last_modified=1700000000,
    annotations=(Annotation(selector_type="RECTANGLE", geometry=BOX),) * 3,
    layers=(Layer("Sketch", "https://h/layers/o1/0.png?sig=a"), Layer("Ink", None)),
)


def test_a_new_order_resets_and_the_same_order_keeps_what_fits() -> None:
    view = ViewState()
    view.show(ORDER)
    view.highlight(2)
    view.toggle_zoom()
    assert (view.selected, view.zoomed) == (2, True)
    view.show(dataclasses.replace(ORDER, asset_preview_url="https://h/previews/o1.png?sig=b"))
    assert (view.selected, view.zoomed) == (2, True)  # a refreshed copy: kept
    view.show(dataclasses.replace(ORDER, annotations=ORDER.annotations[:1]))
    assert (view.selected, view.zoomed) == (None, False)  # the region is gone
    view.highlight(0)
    view.show(dataclasses.replace(ORDER, order_id="o2"))
    assert (view.layer_index, view.selected, view.zoomed) == (0, None, False)


def test_zoom_needs_a_selection_on_the_preview_layer() -> None:
    view = ViewState()
    view.show(ORDER)
    assert view.toggle_zoom() is False and "select" in view.hint
    assert view.highlight(1) is True and view.hint == ""
    assert view.highlight(1) is False  # no change
    assert view.toggle_zoom() is True
    assert view.toggle_zoom() is False
    view.toggle_zoom()
    view.highlight(None)
    assert view.zoomed is False  # no selection, no zoom
    view.highlight(1)
    view.step_layer(1)
    assert view.toggle_zoom() is False and view.annotations == ()


def test_layers_wrap_through_the_preview() -> None:
    view = ViewState()
    view.show(ORDER)
    assert view.layer_count == 3
    assert [view.step_layer(1) and view.layer_index for _ in range(3)] == [1, 2, 0]
    assert view.step_layer(-1) and view.layer_index == 2
    assert view.url() is None and view.request() is None  # "Ink" has no URL
    view.step_layer(-1)
    assert view.url() == "https://h/layers/o1/0.png?sig=a"
    view.show(dataclasses.replace(ORDER, order_id="o3", layers=()))
    assert view.step_layer(1) is False and view.hint == "this order has no layers"


def test_request_key_ignores_the_signature_but_not_the_asset_version() -> None:
    view = ViewState()
    view.show(ORDER)
    key = view.request()
    assert key == ("o1", 0, asset_key("https://h/previews/o1.png"), "1700000000")
    view.show(dataclasses.replace(ORDER, asset_preview_url="https://h/previews/o1.png?sig=zz"))
    assert view.request() == key
    view.show(dataclasses.replace(ORDER, asset_last_modified=1800000000))
    assert view.request() != key and not same_picture(view.request(), key)
    # A list row from the index (no modification time yet) and its full order: one picture.
    view.show(dataclasses.replace(ORDER, asset_last_modified=None))
    row = view.request()
    assert row != key and same_picture(row, key) and same_picture(key, row)
    view.show(None)
    assert view.request() is None and view.annotations == ()
