"""The preview panel: the order's preview image in half-block cells with its annotation
regions, its keys (zoom, layers, hide) and where the pane scrolls when it appears. A picture
fetched ahead is made ready to write in the decoding thread (``canvas.warm_styles``,
``strips.PreparedStrips``).
Posts (messages.py, also reached as PreviewPanel's attributes): UrlExpired (its link expired:
fetch the order again) / StatusChanged / Preloaded (a picture fetched ahead for the order next
to the one shown is in the caches). The panel's module is imported with the first order drawn,
not with the console's first frame: the rest of the screen names the messages from
messages.py.
"""
