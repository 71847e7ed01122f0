"""tests/ui/stats: the stats bar.

No fixtures of its own: ``make_demo`` comes from tests/conftest.py.
"""
