"""The asset preview pipeline, free of Textual: decode, geometry, overlay, half-blocks, caches.

- :mod:`.decode` — untrusted bytes → bounded RGB image (format allowlist, pixel cap first),
  also while they are still arriving;
- :mod:`.stream` — the byte stream a decoding thread reads while the download feeds it;
- :mod:`.geometry` — annotation coordinates → the scaled/zoomed picture, clipped;
- :mod:`.overlay` — regions drawn by likelihood band, selection, remediation mark, legend;
- :mod:`.colors` — colour modes and palettes, the 16-colour quantize step;
- :mod:`.halfblock` — pixels → ``"▀"`` cells as Rich segments;
- :mod:`.cache` — in-memory LRU and the size-bounded disk cache of downloads;
- :mod:`.loader` — the pipeline: cache → safe download → decode → render;
- :mod:`.state` — what to show (order, layer, selection, zoom) and the load's request key;
- :mod:`.layout` — the panel's height for an image and the box its picture gets;
- :mod:`.status` — status values, failure reasons and the title line.

Downloads go through :class:`artistree_tui.api.assets.AssetFetcher`; the widget is
:class:`artistree_tui.ui.preview.panel.PreviewPanel` (painting in
:mod:`artistree_tui.ui.preview.canvas`, keys in :mod:`artistree_tui.ui.preview.keys`).
"""
