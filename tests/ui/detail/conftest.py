"""Fixtures of the detail pane's tests: those of ``tests/conftest.py`` (demo servers on
loopback) are enough so far."""
