"""Helpers shared by the test folders (no tests here). Import them as ``tests.support.<name>``.

``REPO`` is the repository's root (where README.md, pyproject.toml and config.example.toml are).
"""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
