"""tests/demo: the demo API server itself (data, faults, tokens, images, its clock and
lifecycle), read over plain HTTP with the ``demo_http`` client of tests/conftest.py.

No fixtures of its own; tests/support/demo.py reads pages and tokens independently of the
console's API client.
"""
