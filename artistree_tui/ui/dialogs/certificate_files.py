"""Certificate PDFs without Textual: which orders have one, the file name, saving it safely.

- Only **Human Certified** orders have a certificate. The contract says the PDF endpoint is
  "only meaningful for certified orders" and the demo answers 400 for every other state;
  *Reviewed* means a person looked at the analysis, not that the work was certified, so it
  does not qualify. When the state is one we know and not Human Certified, the console says
  so without calling the API; an unknown state (one the API added later) is left to the API.
- The file name is built from the order id only (never from the title, which the uploader
  chose): ``artistree-certificate-<order id>.pdf``, keeping letters, digits and dashes.
- Saving never overwrites: an existing name gets ``-1``, ``-2``... (opened with ``O_EXCL``,
  so two saves at once cannot pick the same name either); the folder is created (0700) if
  missing and refused if others can write to it; the file is 0600 (``certificate_file_mode``)
  whatever the umask; a write that fails leaves no partial file behind.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from artistree_tui.api.models import KNOWN_STATES, Order, OrderState
from artistree_tui.safe_paths import PRIVATE_FILE_MODE, make_private_dir
from artistree_tui.ui.notify import short_id

#: States whose orders have a certificate PDF.
CERTIFIED_STATES = frozenset({OrderState.HUMAN_CERTIFIED.value})
#: A certificate PDF larger than this is refused (a preview's cap is smaller).
PDF_MAX_BYTES = 64 * 1024 * 1024
FILE_PREFIX = "artistree-certificate-"
#: How many numbered alternatives are tried before giving up on a name.
MAX_SUFFIX = 999

_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")


def refusal(order: Order) -> str | None:
    """Why ``order`` has no certificate when its known state says so; None: ask the API."""
    state = order.order_state
    if state in CERTIFIED_STATES or state not in KNOWN_STATES:
        return None
    return (
        f"No certificate: order {short_id(order.order_id)} is {state}; "
        "only Human Certified orders have one."
    )


def certificate_filename(order_id: str) -> str:
    """``artistree-certificate-<id>.pdf`` from the id's letters, digits and dashes."""
    safe_id = _UNSAFE.sub("", order_id)[:64].strip("-") or "order"
    return f"{FILE_PREFIX}{safe_id}.pdf"


def save_pdf(directory: Path, name: str, content: bytes, *, mode: int = PRIVATE_FILE_MODE) -> Path:
    """Write ``content`` as ``directory/name`` (or ``name-1``... if taken) with ``mode``
    (0600 unless configured otherwise, whatever the umask); returns the path.

    The folder is created 0700 when missing, and refused when others could write to it
    (:class:`~artistree_tui.safe_paths.UnsafePath`, a ``PermissionError`` naming the fix).
    Raises OSError (folder not creatable, disk full, ...); a failed write is removed.
    """
    directory = make_private_dir(directory.expanduser())
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for number in range(MAX_SUFFIX + 1):
        candidate = name if number == 0 else f"{stem}-{number}{dot}{extension}"
        path = directory / candidate
        try:
            fd = os.open(path, flags, mode)  # O_EXCL: never overwrite, not even in a race
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), mode)  # the umask must not decide who reads it
                handle.write(content)
        except BaseException:
            with contextlib.suppress(OSError):
                path.unlink()
            raise
        return path
    raise FileExistsError(f"{MAX_SUFFIX + 1} certificate files with this name already exist")
