"""Giving freed memory back to the system (glibc), so the console's RSS follows its caches.

Decoding a preview allocates a few large buffers (the image, Pillow's and zlib's working
memory) in a worker thread. glibc serves such buffers from ``mmap`` at first, then, after the
first one is freed, raises its threshold and serves the next ones from its heaps, which it
keeps when they are freed: measured on the console holding ``j`` through previews, about 20 MB
of freed-but-kept memory, on top of the bounded caches. Two calls fix that, on glibc only
(elsewhere they do nothing):

- :func:`tune_allocator` (once, after the console's first frame: before any picture): a
  fixed ``mmap`` threshold of 128 KiB, so buffers that large always come from ``mmap`` and
  go back to the system when freed;
- :func:`release_freed` (after a cache evicted a picture, and every ten seconds from the
  app, in a thread): ``malloc_trim(0)``, at most every :data:`TRIM_INTERVAL` seconds,
  returns what the heaps hold free.

Standard library only (``ctypes``, imported on first use); no Textual.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from typing import Any

__all__ = ["TRIM_INTERVAL", "release_freed", "tune_allocator"]

#: The least time between two trims (a trim walks the heaps: about a millisecond).
TRIM_INTERVAL = 2.0
_M_MMAP_THRESHOLD = -3  # mallopt parameter (malloc.h)
_MMAP_THRESHOLD = 128 * 1024

_lock = threading.Lock()
_last_trim = float("-inf")
_libc: Any = None
_loaded = False


def _glibc() -> Any:
    global _libc, _loaded
    if not _loaded:
        _loaded = True
        if sys.platform.startswith("linux"):
            import ctypes  # imported here: the start does not wait for it (tune_allocator)

            with contextlib.suppress(OSError, AttributeError):
                libc = _load_libc(ctypes)
                if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt"):
                    _libc = libc
    return _libc


def _load_libc(ctypes: Any) -> Any:
    """The C library: glibc by its soname, else whatever ``find_library`` names (it runs
    ``ldconfig -p`` in a child process: ~10 ms, so only when the soname is not there)."""
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        import ctypes.util

        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")


def tune_allocator() -> bool:
    """Fix glibc's ``mmap`` threshold (see the module docstring); False where not glibc."""
    libc = _glibc()
    if libc is None:
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD))


def release_freed(*, force: bool = False) -> bool:
    """Return the memory glibc's heaps hold free to the system, unless that was done less
    than :data:`TRIM_INTERVAL` seconds ago (``force``: anyway). Safe from any thread."""
    global _last_trim
    libc = _glibc()
    if libc is None:
        return False
    now = time.monotonic()
    with _lock:
        if not force and now - _last_trim < TRIM_INTERVAL:
            return False
        _last_trim = now
    libc.malloc_trim(0)
    return True
