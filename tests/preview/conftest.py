"""tests/preview: the image pipeline (decode, geometry, overlay, half-block rendering, tags,
caches, streaming) without Textual; the loader against the demo server.

No fixtures of its own: ``server`` (from a module's ``DEMO``) and ``make_demo`` are
tests/conftest.py's; hand-made annotations are in tests/support/annotations.py.
"""
