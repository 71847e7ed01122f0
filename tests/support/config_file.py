"""Config files written for a test (no tests here)."""

from __future__ import annotations

import textwrap
from pathlib import Path


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    """Write ``text`` (dedented) to ``path`` with permissions ``mode`` (private by default: a
    file holding a secret must not be readable by others)."""
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    path.chmod(mode)
    return path
