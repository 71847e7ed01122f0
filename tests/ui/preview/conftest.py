"""Fixtures of these tests: those of ``tests/conftest.py`` are enough so far."""
