"""Every test here runs in a fresh home (the ``isolated`` fixture of tests/conftest.py): no
config file, environment variable or cache of the person running the tests leaks in."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def fresh_home(isolated: Path) -> Path:
    return isolated
