"""Files and folders the console trusts: owned by you (or root), never writable by others.

Like ssh with ``~/.ssh``, the console refuses a config file, and every folder above it, that
another user could change: the file names a command the console runs as you
(``client_secret_command``), and a folder others can write lets them swap the file. The same
rule holds for the folders the console writes into (the cache, its ``assets`` folder, the
certificate downloads), which it creates itself **0700 whatever the umask**.

The rule, checked after following symlinks, for the file and each folder from its own up to
your home folder (or up to ``/`` for a path outside your home):

- the owner is you or root;
- no write bit for group or others, except on a folder with the sticky bit (``/tmp``: others
  can add files there but not replace yours).

A refusal is :class:`UnsafePath`, whose text is one line naming the path and the ``chmod`` or
``chown`` that fixes it. Only the standard library: the config loader imports this and must
stay light. POSIX only; elsewhere the checks pass.
"""

from __future__ import annotations

import errno
import os
import shlex
import stat
from pathlib import Path

__all__ = [
    "PRIVATE_DIR_MODE",
    "PRIVATE_FILE_MODE",
    "UnsafePath",
    "check_file",
    "check_folders",
    "check_opened_file",
    "make_private_dir",
]

#: Every folder the console creates.
PRIVATE_DIR_MODE = 0o700
#: Every file the console writes that is not meant to be shared.
PRIVATE_FILE_MODE = 0o600
_OTHERS_WRITE = stat.S_IWGRP | stat.S_IWOTH


class UnsafePath(PermissionError):
    """A file or folder others could change; ``str()`` (and ``strerror``) is one line with the
    fix. A ``PermissionError``, so code that reports failed file operations reports it too."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(errno.EPERM, message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return self.message


def _me() -> str:
    uid = os.getuid()
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return str(uid)


def _problem(path: Path, info: os.stat_result, *, what: str, fix_mode: str) -> str | None:
    """Why ``path`` (stat ``info``) cannot be trusted, with the fix; None when it can."""
    quoted = shlex.quote(str(path))
    if info.st_uid not in (os.getuid(), 0):
        return (
            f"{path} belongs to another user (uid {info.st_uid}), who could change {what}: "
            f"run chown {_me()} {quoted}, or remove it"
        )
    sticky_dir = stat.S_ISDIR(info.st_mode) and info.st_mode & stat.S_ISVTX
    if info.st_mode & _OTHERS_WRITE and not sticky_dir:
        return (
            f"{path} is writable by other users, who could change {what}: "
            f"run chmod {fix_mode} {quoted}"
        )
    return None


def _stop_at() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, OSError):
        return None


def check_folders(path: Path, *, what: str = "what the console reads there") -> None:
    """Check ``path`` (a folder) and each folder above it up to your home (or ``/``).

    Folders that do not exist yet are skipped (the first existing one is checked); symlinks
    are followed. Raises :class:`UnsafePath`.
    """
    if os.name != "posix":
        return
    home = _stop_at()
    current = Path(os.path.realpath(Path(path).expanduser()))
    while True:
        try:
            info: os.stat_result | None = os.stat(current)
        except OSError:  # missing (not created yet) or not ours to look at
            info = None
        if info is not None:
            problem = _problem(current, info, what=what, fix_mode="go-w")
            if problem:
                raise UnsafePath(problem, current)
        if current == home or current.parent == current:
            return
        current = current.parent


def check_file(path: Path, *, what: str = "its settings") -> os.stat_result:
    """Check a file you rely on (the config); see :func:`check_opened_file`. Returns the
    stat of the file the path leads to (OSError when there is none)."""
    path = Path(path).expanduser()
    info = os.stat(path)
    check_opened_file(path, info, what=what)
    return info


def check_opened_file(path: Path, info: os.stat_result, *, what: str = "its settings") -> None:
    """Check a file already opened through ``path`` (``info`` is the ``fstat`` of the open
    handle, so the file checked is the file read): its owner and mode, then the folders above
    the path and, for a symlink, above its target."""
    if os.name != "posix":
        return
    path = Path(path).expanduser()
    real = Path(os.path.realpath(path))
    problem = _problem(real, info, what=what, fix_mode="go-w")
    if problem:
        raise UnsafePath(problem, real)
    check_folders(path.parent, what="the files in it")
    if real.parent != Path(os.path.realpath(path.parent)):
        check_folders(real.parent, what="the files in it")


def make_private_dir(path: Path) -> Path:
    """Create ``path`` and any missing parent **0700 whatever the umask**, then check that it
    and the folders above it are yours (or root's) and not writable by others
    (:class:`UnsafePath`). Used for the cache, the asset cache, the config folder and the
    downloads folder.

    An existing folder keeps its mode as long as others cannot write to it (a shared
    Downloads folder may well be 0755; ``chmod 700`` is the fix when others can write to it).
    Other OS errors (no space, read-only disk) propagate.
    """
    path = Path(path).expanduser()
    missing: list[Path] = []
    current = path
    while not os.path.lexists(current):
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, PRIVATE_DIR_MODE)
        except FileExistsError:
            pass  # made at the same time by another process: checked below like any other
        else:
            os.chmod(folder, PRIVATE_DIR_MODE)  # a umask of 0o700 would have taken our bits
    if os.name == "posix":
        info = os.stat(path)
        if not stat.S_ISDIR(info.st_mode):
            raise UnsafePath(f"{path} is not a folder: remove it or choose another path", path)
        problem = _problem(
            Path(os.path.realpath(path)), info, what="the files in it", fix_mode="700"
        )
        if problem:
            raise UnsafePath(problem, path)
        check_folders(path.parent, what="the files in it")
    return path
