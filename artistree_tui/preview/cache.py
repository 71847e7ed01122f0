"""Caches of the preview: an in-memory LRU and a size-bounded disk cache of downloaded bytes.

:class:`LRU` holds decoded images and finished renderings, bounded by item count and by an
estimated byte size; it is locked because worker threads and the UI thread share it.

:class:`DiskCache` keeps downloaded asset bytes under the user cache directory
(``platformdirs.user_cache_path("artistree-tui")``). Presigned URLs change their query string
(signature, expiry) on every fetch of the order, so entries are keyed on scheme + host + path
only, hashed — an expired URL for the same asset still hits. Writes are atomic (temporary
file + ``os.replace``), each file carries a SHA-256 of its content and a file that does not
match is deleted, never returned. The bytes that do come back are still untrusted: they go
through the same decode guards as fresh downloads. Files are private to the user (0600 in a
0700 directory, created so whatever the umask): previews of unreleased artworks must not leak
on a shared SSH box, and a folder another user owns or can write to is never used (they could
swap the files: :meth:`DiskCache.prepare` says why). Total
size is bounded; the least recently used files (by mtime, touched on every hit) go first.
Every disk error is swallowed: the cache is an optimisation, never a reason to fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Generic, TypeVar
from urllib.parse import urlsplit

import platformdirs

from artistree_tui.safe_paths import UnsafePath, make_private_dir

__all__ = ["LRU", "DiskCache", "asset_key", "default_cache_dir"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_MAGIC = b"ATC1"
_DIGEST = 32
_SUFFIX = ".asset"


def default_cache_dir() -> Path:
    """Where downloaded assets are kept when the settings do not say otherwise."""
    return platformdirs.user_cache_path("artistree-tui") / "assets"


def asset_key(url: str, variant: str = "") -> str:
    """A stable key for the asset behind a presigned ``url``: scheme, host, port and path,
    without the query string or fragment (which carry the signature and expiry), hashed.

    ``variant`` distinguishes versions of the same path (e.g. the asset's modification time).
    """
    parts = urlsplit(url)
    base = f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path}"
    return hashlib.sha256(f"{base}\n{variant}".encode("utf-8", "surrogatepass")).hexdigest()


class LRU(Generic[K, V]):
    """A thread-safe least-recently-used map bounded by item count and total ``sizeof``."""

    def __init__(
        self,
        *,
        max_items: int,
        max_bytes: int | None = None,
        sizeof: Callable[[V], int] | None = None,
    ) -> None:
        self.max_items = max_items
        self.max_bytes = max_bytes
        self._sizeof = sizeof or (lambda _value: 0)
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            entry = self._items.get(key)
            if entry is None:
                return None
            self._items.move_to_end(key)
            return entry[0]

    def put(self, key: K, value: V) -> int:
        """Keep ``value``; returns how many entries were evicted to make room."""
        size = self._sizeof(value)
        evicted = 0
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (value, size)
            self._bytes += size
            while len(self._items) > self.max_items or (
                self.max_bytes is not None and self._bytes > self.max_bytes and len(self._items) > 1
            ):
                _key, (_value, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped
                evicted += 1
        return evicted

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    @property
    def total_bytes(self) -> int:
        return self._bytes


class DiskCache:
    """Downloaded asset bytes on disk, keyed by :func:`asset_key`, at most ``max_bytes``."""

    def __init__(self, directory: Path | None = None, *, max_bytes: int = 200 * 1024 * 1024):
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        #: Why the folder is not used (another user owns it or can write to it), or None.
        self.problem: str | None = None
        self._ready = False

    def prepare(self) -> str | None:
        """Create the folder (0700 whatever the umask) and check, before its first use, that
        it and the folders above it are yours and not writable by others. Returns the reason
        it cannot be used (the cache then keeps nothing), or None."""
        if self._ready or self.problem is not None:
            return self.problem
        try:
            make_private_dir(self.directory)
        except UnsafePath as exc:
            self.problem = str(exc)
        except OSError:
            return None  # a read-only or full disk: try again on the next write
        else:
            self._ready = True
        return self.problem

    def _usable(self) -> bool:
        return self.prepare() is None and self._ready

    def path_for(self, url: str, variant: str = "") -> Path:
        return self.directory / f"{asset_key(url, variant)}{_SUFFIX}"

    def contains(self, url: str, variant: str = "") -> bool:
        """Whether a file is there (one ``stat``: cheap enough for the UI thread)."""
        return self.problem is None and self.path_for(url, variant).is_file()

    def get(self, url: str, variant: str = "") -> bytes | None:
        """The cached bytes, or None when absent or corrupt (a corrupt file is deleted)."""
        if not self._usable():
            return None
        path = self.path_for(url, variant)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        data = raw[len(_MAGIC) + _DIGEST :]
        header = raw[: len(_MAGIC) + _DIGEST]
        if header != _MAGIC + hashlib.sha256(data).digest():
            self._unlink(path)
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # most recently used: last to be evicted
        return data

    def put(self, url: str, data: bytes, variant: str = "") -> None:
        """Store ``data`` atomically, then evict the oldest files beyond the size bound."""
        if self.max_bytes <= 0 or len(data) + len(_MAGIC) + _DIGEST > self.max_bytes:
            return
        if not self._usable():
            return
        path = self.path_for(url, variant)
        try:
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=_SUFFIX)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(_MAGIC + hashlib.sha256(data).digest())
                    handle.write(data)
                os.replace(tmp, path)
            except BaseException:
                self._unlink(Path(tmp))
                raise
        except FileNotFoundError:
            self._ready = False  # the folder went away: made (and checked) again next time
            return
        except OSError:
            return
        self.evict()

    def discard(self, url: str, variant: str = "") -> None:
        """Forget an entry (its bytes did not decode: never trust them again)."""
        self._unlink(self.path_for(url, variant))

    def evict(self) -> None:
        """Delete least recently used files until the total is within ``max_bytes``."""
        with self._lock:
            entries = []
            try:
                with os.scandir(self.directory) as listing:
                    for entry in listing:
                        if entry.name.endswith(_SUFFIX) and entry.is_file(follow_symlinks=False):
                            stat = entry.stat(follow_symlinks=False)
                            entries.append((stat.st_mtime_ns, stat.st_size, entry.path))
            except OSError:
                return
            total = sum(size for _mtime, size, _path in entries)
            for _mtime, size, path in sorted(entries):
                if total <= self.max_bytes:
                    break
                self._unlink(Path(path))
                total -= size

    def total_bytes(self) -> int:
        try:
            with os.scandir(self.directory) as listing:
                return sum(
                    e.stat(follow_symlinks=False).st_size
                    for e in listing
                    if e.name.endswith(_SUFFIX) and e.is_file(follow_symlinks=False)
                )
        except OSError:
            return 0

    @staticmethod
    def _unlink(path: Path) -> None:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
