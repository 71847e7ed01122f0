"""Writing every order of a view of the local index to a CSV or JSON file (the console's ``e``).

No Textual: the console runs :func:`export_view` in a thread worker and turns its progress
callbacks into messages. What it guarantees:

- **Every order the view matches**, read from the index with :meth:`View.iter_rows` (a few
  hundred rows at a time: memory does not grow with the view), in the view's order; orders
  the API has removed (``gone``) are left out.
- **The same writers as the command line** (:mod:`.formats`): CSV cells through the display
  boundary with formulas defused, JSON escaped by the encoder, ASCII only.
- **Safe files.** The rows go into a temporary file (``O_EXCL``, 0600 whatever the umask)
  next to the target; only a finished export takes the target's name, so a failure, a full
  disk or a stop leaves no partial file and never harms an existing one. Without
  ``overwrite`` an existing target is never replaced (not even one that appeared while the
  export ran: the name is taken with a hard link, which fails if it exists). A missing
  folder is created 0700; a target that is a folder, or whose parent is a file, is refused.
  Every failure is an :class:`ExportError` whose text is one line.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from artistree_tui.export.formats import open_writer
from artistree_tui.export.indexed import VIEW_FIELDS, index_record

if TYPE_CHECKING:
    from artistree_tui.store.rows import Row

#: The formats a file export writes, by the extension that names them.
FILE_FORMATS: dict[str, str] = {".csv": "csv", ".json": "json"}
DEFAULT_FORMAT = "csv"
FILE_MODE = 0o600
FOLDER_MODE = 0o700
#: How often (seconds) the progress callback is called at most, besides the first and last.
PROGRESS_EVERY = 0.1
#: Rows read from the index per query.
BATCH = 500
_UNSAFE = re.compile(r"[^A-Za-z0-9]+")

#: ``progress(written, total)``: rows written so far, and how many the view counted.
ProgressCallback = Callable[[int, int], None]


class ExportView(Protocol):
    """What an export needs of a :class:`~artistree_tui.store.View`."""

    def count(self) -> int: ...

    def iter_rows(self, *, batch: int = ...) -> Iterable[Row]: ...


class ExportError(Exception):
    """The export failed; ``str()`` is one line (no traceback, no secret)."""


class ExportStopped(Exception):
    """The export was stopped (``stop`` was set); nothing was written."""


@dataclass(frozen=True, slots=True)
class ExportResult:
    """Where the export went, how many orders it holds, and how many of them only as list
    pages carry them (``previews``: no confidence, asset or orderer known yet)."""

    path: Path
    rows: int
    fmt: str
    previews: int = 0


def format_for(path: Path | str) -> str | None:
    """``csv`` or ``json`` from the file name's extension (any case), None for another."""
    return FILE_FORMATS.get(Path(path).suffix.lower())


def with_format(path: str, fmt: str) -> str:
    """``path`` with the extension of ``fmt`` (replacing a .csv/.json one, else appended)."""
    extension = next(ext for ext, name in FILE_FORMATS.items() if name == fmt)
    current = Path(path).suffix
    if current.lower() in FILE_FORMATS:
        return path[: -len(current)] + extension
    return path + extension


def default_name(scope_name: str, fmt: str = DEFAULT_FORMAT, now: datetime | None = None) -> str:
    """``artistree-orders-<scope>-<YYYYmmdd-HHMM>.csv``: the scope's letters and digits only
    (a project's name is the API's text: no path, no control character reaches a file name)."""
    moment = (now or datetime.now()).strftime("%Y%m%d-%H%M")
    scope = _UNSAFE.sub("-", scope_name).strip("-").lower()[:40].strip("-") or "orders"
    extension = next(ext for ext, name in FILE_FORMATS.items() if name == fmt)
    return f"artistree-orders-{scope}-{moment}{extension}"


def default_path(
    folder: Path, scope_name: str, fmt: str = DEFAULT_FORMAT, now: datetime | None = None
) -> Path:
    """A path in ``folder`` for a new export that does not exist yet (``-1``, ``-2``... added),
    so the default never asks to overwrite."""
    name = default_name(scope_name, fmt, now)
    stem, extension = name.rsplit(".", 1)
    folder = folder.expanduser()
    for number in range(1000):
        candidate = folder / (name if number == 0 else f"{stem}-{number}.{extension}")
        if not os.path.lexists(candidate):
            return candidate
    return folder / name


def resolve_target(text: str, folder: Path) -> Path:
    """The path the user typed: ``~`` expanded, relative to ``folder`` (the downloads folder)."""
    path = Path(text.strip()).expanduser()
    return path if path.is_absolute() else folder.expanduser() / path


def check_target(path: Path) -> None:
    """Refuse, with one line, a target that cannot be a file: empty name, a folder, a parent
    that is a file. (A missing folder is fine: it is created.)"""
    if not path.name or path.name in (".", ".."):
        raise ExportError("Give the export a file name.")
    if path.is_dir():
        raise ExportError(f"{path} is a folder: give a file name.")
    parent = path.parent
    while not parent.exists():
        if parent.parent == parent:
            break
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise ExportError(f"{parent} is a file, not a folder.")


def export_view(
    view: ExportView,
    path: Path,
    fmt: str,
    *,
    overwrite: bool = False,
    fields: tuple[str, ...] = VIEW_FIELDS,
    progress: ProgressCallback | None = None,
    stop: threading.Event | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> ExportResult:
    """Write every order of ``view`` (gone ones left out) to ``path`` as ``fmt``.

    ``progress(written, total)`` is called at the start, at most every
    :data:`PROGRESS_EVERY` seconds, and at the end (with ``total`` then the rows written:
    the view's count includes gone rows). ``stop`` (set from another thread) ends
    the export between two rows with :class:`ExportStopped`. Raises :class:`ExportError`
    (one line) when the file cannot be written; in every failure the target is untouched and
    no temporary file is left.
    """
    if fmt not in FILE_FORMATS.values():
        raise ExportError(f"Unknown export format {fmt!r}: choose csv or json.")
    check_target(path)
    try:
        total = view.count()
        folder = _private_folder(path.parent)
        fd, temporary = _temporary_file(folder, path.name)
    except OSError as exc:
        raise ExportError(_failure(path, exc)) from None
    written = previews = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="") as out:
            writer = open_writer(fmt, out, fields)
            if progress is not None:
                progress(0, total)
            last = clock()
            for row in view.iter_rows(batch=BATCH):
                if stop is not None and stop.is_set():
                    raise ExportStopped
                if row.gone is not None:
                    continue
                writer.write(index_record(row, fields))
                written += 1
                previews += not row.full
                if progress is not None and clock() - last >= PROGRESS_EVERY:
                    last = clock()
                    progress(written, total)
            writer.close()
            os.fsync(out.fileno())
        _place(temporary, path, overwrite=overwrite)
    except OSError as exc:
        _remove(temporary)
        raise ExportError(_failure(path, exc)) from None
    except BaseException:
        _remove(temporary)
        raise
    if progress is not None:
        progress(written, written)  # the view's count includes the gone rows left out
    return ExportResult(path, written, fmt, previews)


# -- files -----------------------------------------------------------------------------------


def _private_folder(folder: Path) -> Path:
    """``folder``, created (with missing parents) 0700 whatever the umask if it is missing."""
    missing: list[Path] = []
    current = folder
    while not os.path.lexists(current):
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(path, FOLDER_MODE)
            os.chmod(path, FOLDER_MODE)  # mkdir's mode went through the umask
    if not stat.S_ISDIR(os.stat(folder).st_mode):
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder))
    return folder


def _temporary_file(folder: Path, name: str) -> tuple[int, Path]:
    """A new file ``.<name>.<random>.part`` in ``folder``, 0600, opened for writing."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        temporary = folder / f".{name[:180]}.{os.urandom(4).hex()}.part"
        try:
            fd = os.open(temporary, flags, FILE_MODE)
        except FileExistsError:
            continue
        os.fchmod(fd, FILE_MODE)  # exactly 0600, whatever the umask
        return fd, temporary
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def _place(temporary: Path, path: Path, *, overwrite: bool) -> None:
    """Give the finished file its name: replacing the target only with ``overwrite``."""
    if overwrite:
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)  # fails if ``path`` exists, even one made meanwhile
    except FileExistsError:
        raise FileExistsError(errno.EEXIST, "it exists now", str(path)) from None
    except OSError:
        # No hard links here (some network or FAT file systems): take the name with O_EXCL,
        # then move the file over the empty placeholder we own.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        os.close(os.open(path, flags, FILE_MODE))
        os.replace(temporary, path)
        return
    _remove(temporary)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _failure(path: Path, exc: OSError) -> str:
    """One line for a failed export: what and why, never a traceback."""
    if isinstance(exc, FileExistsError):
        return f"Not exported: {path} exists now, and was kept."
    reason = exc.strerror or type(exc).__name__
    if exc.errno == errno.ENOSPC:
        reason = "the disk is full"
    return f"Could not export to {path}: {reason[:1].lower()}{reason[1:]}."
