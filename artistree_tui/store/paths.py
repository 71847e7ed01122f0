"""Where the order index and the token cache live, and how their folder and files are made.

Everything sits in one folder, ``<cache_dir>/index`` (``~/.cache/artistree-tui/index`` on
Linux): the folder is created 0700 and every file 0600, whatever the umask. A file's name is a
hash, never a secret:

- ``orders-<hash>.sqlite3`` (plus SQLite's ``-wal`` and ``-shm``): one database per API base
  URL and client identity, the hash of ``base_url`` and ``client_id`` (or, for a static
  ``token``, of the token's SHA-256: the token itself is never written anywhere);
- ``token-<hash>.json``: the cached OAuth access token, keyed by ``token_url`` and
  ``client_id`` (never the client secret).

The demo (``--demo``) keeps its index in memory (each run serves a new demo organization);
its identity leaves the port out (a new one every run) for the names ``cache path`` shows.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from artistree_tui.config import Settings

INDEX_FOLDER = "index"
DB_PREFIX = "orders-"
DB_SUFFIX = ".sqlite3"
TOKEN_PREFIX = "token-"  # noqa: S105 (a file name)
TOKEN_SUFFIX = ".json"  # noqa: S105 (a file name)
#: SQLite's companion files of a WAL database.
SIDE_FILES = ("-wal", "-shm", "-journal")
#: A file moved aside gets ``.aside-<why>-<time>`` appended (see :func:`aside_name`).
ASIDE_MARK = ".aside-"
FOLDER_MODE = 0o700
FILE_MODE = 0o600
_HASH_CHARS = 24


def _digest(*parts: str) -> str:
    text = "\n".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.sha256(text).hexdigest()[:_HASH_CHARS]


def identity(settings: Settings) -> str:
    """The hash naming this API and client's database (see the module docstring)."""
    base = settings.base_url.rstrip("/")
    if settings.demo:
        base = "demo"  # the port changes every run
    if settings.token:
        token_hash = hashlib.sha256(settings.token.encode("utf-8", "surrogatepass")).hexdigest()
        return _digest("token", base, token_hash)
    return _digest("client", base, settings.client_id or "")


def token_key(token_url: str, client_id: str) -> str:
    """The hash naming the token cache of one token endpoint and client id."""
    return _digest("oauth", token_url.rstrip("/"), client_id)


@dataclass(frozen=True, slots=True)
class IndexFiles:
    """The files of one index: its folder, the database and the token cache (if any)."""

    folder: Path
    database: Path
    token: Path | None

    def side_files(self) -> list[Path]:
        """The database's ``-wal``/``-shm``/``-journal`` files."""
        return [self.database.with_name(self.database.name + s) for s in SIDE_FILES]

    def asides(self) -> list[Path]:
        """Copies of this database moved aside earlier (corrupt or of another version)."""
        prefix = self.database.name + ASIDE_MARK
        try:
            return sorted(p for p in self.folder.iterdir() if p.name.startswith(prefix))
        except OSError:
            return []


def index_files(settings: Settings) -> IndexFiles:
    """Where ``settings``' index and token cache live (nothing is created here)."""
    folder = Path(settings.cache_dir) / INDEX_FOLDER
    database = folder / f"{DB_PREFIX}{identity(settings)}{DB_SUFFIX}"
    token = None
    if not settings.token and settings.client_id and not settings.demo:
        token = folder / f"{TOKEN_PREFIX}{token_key(settings.token_url, settings.client_id)}"
        token = token.with_name(token.name + TOKEN_SUFFIX)
    return IndexFiles(folder, database, token)


def aside_name(path: Path, why: str, when: float) -> Path:
    """``orders-x.sqlite3.aside-corrupt-20260302T090000`` for a file moved aside."""
    import time

    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(when))
    return path.with_name(f"{path.name}{ASIDE_MARK}{why}-{stamp}")


def private_folder(folder: Path) -> None:
    """Create ``folder`` (and missing parents) mode 0700, whatever the umask; tighten the
    folder itself to 0700 if it exists and is ours. Raises OSError when it cannot."""
    missing: list[Path] = []
    here = folder
    while not here.exists():
        missing.append(here)
        if here.parent == here:
            break
        here = here.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another console made it meanwhile
            os.mkdir(path, FOLDER_MODE)
        os.chmod(path, FOLDER_MODE)  # mkdir's mode is masked by the umask: set it exactly
    info = os.stat(folder)
    if not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(f"{folder} is not a folder")
    if stat.S_IMODE(info.st_mode) != FOLDER_MODE and info.st_uid == os.geteuid():
        os.chmod(folder, FOLDER_MODE)


def private_file(path: Path) -> None:
    """Make ``path`` mode 0600 if it exists (SQLite creates its files with the umask)."""
    with contextlib.suppress(FileNotFoundError):
        if stat.S_IMODE(os.stat(path).st_mode) != FILE_MODE:
            os.chmod(path, FILE_MODE)


def remove_quietly(path: Path) -> bool:
    """Delete ``path``; True if it existed."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
