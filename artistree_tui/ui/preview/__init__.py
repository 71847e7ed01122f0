"""The preview panel: the order's preview image in half-block cells with its annotation
regions, its keys (zoom, layers, hide) and where the pane scrolls when it appears. A picture
fetched ahead is made ready to write in the decoding thread (``canvas.warm_styles``,
``strips.PreparedStrips``).
Posts: PreviewPanel.UrlExpired (its link expired: fetch the order again) / StatusChanged /
Preloaded (a picture fetched ahead for the order next to the one shown is in the caches).
"""
