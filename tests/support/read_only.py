"""A folder nothing can be created in, for real (no tests here).

``chmod 0500`` when not root; as root (which ignores modes) the folder is made immutable with
``chattr +i``, undone when the block ends. Where neither works the test is skipped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    """``folder`` (created if missing) made read-only for the block."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield folder
        finally:
            folder.chmod(0o700)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(folder)], check=False).returncode:
        pytest.skip("running as root without chattr +i: cannot make a read-only folder")
    try:
        yield folder
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)
