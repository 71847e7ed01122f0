"""tests/ui/detail: the detail pane (full-order fetch, sections, annotations table, scrolling).

No fixtures of its own: ``demo_server`` and ``make_demo`` come from tests/conftest.py.
"""
