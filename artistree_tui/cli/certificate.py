"""``certificate ID [-o FILE | --url] [--force]``: save an order's certificate PDF, or its link.

``ID`` is a whole order id or its start, as an 80-column table cuts it (:mod:`.short_ids`).

The link comes from ``GET /v1/orders/pdf/ID``; the PDF is downloaded with the console's safe
asset fetcher (:class:`~artistree_tui.api.assets.AssetFetcher`: no Authorization header, https
only but for the demo's loopback origin, size-capped, ``%PDF-`` checked). An expired link is
asked for again once. The file is written with mode 0600 and never overwrites an existing one
without ``--force`` (checked before anything is downloaded; created with ``O_EXCL``, so a file
appearing meanwhile is not overwritten either); with ``--force`` it is written beside the
target and renamed over it, so a failed download never leaves half a file.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path

from artistree_tui.api.assets import AssetExpiredError, AssetFetcher, loopback_http_origins
from artistree_tui.api.certificate import PDF_MAX_BYTES, certificate_filename
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.cli import session
from artistree_tui.cli.exits import CommandFailed, UsageError
from artistree_tui.cli.short_ids import parse_order_ref, resolve
from artistree_tui.config import Settings
from artistree_tui.display import clean
from artistree_tui.safe_paths import UnsafePath, make_private_dir

#: Mode of a saved PDF: the reviewer's own.
FILE_MODE = 0o600


def run_certificate(args: argparse.Namespace) -> int:
    ref = parse_order_ref(args.order_id)  # a whole id, or its start as a table cut it
    to_stdout = args.output == "-"
    given = None if args.output is None or to_stdout else Path(args.output).expanduser()
    if given is not None:
        _check_target(given, force=args.force)

    async def command(settings: Settings) -> int:
        order_id = resolve(ref, settings)  # a start of an id: through the local index
        target = given
        if target is None and not to_stdout and not args.url:
            target = settings.downloads_dir.expanduser() / certificate_filename(order_id)
            _check_target(target, force=args.force)
        async with session.api_client(settings) as client:
            link = await client.certificate_pdf(order_id)
            if args.url:
                print(link.url, flush=True)
                return 0
            content = await _download(client, order_id, link.url)
        if to_stdout:
            sys.stdout.flush()
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
            return 0
        assert target is not None
        if given is None:
            _make_folder(target.parent)
        _save(target, content, force=args.force)
        print(target, flush=True)
        return 0

    return session.run_api(args, command)


def _make_folder(folder: Path) -> None:
    """The downloads folder, created 0700 whatever the umask (as the console's ``c`` ``s``
    does), and refused when others could write to it (the one-line fix is the message)."""
    try:
        make_private_dir(folder)
    except UnsafePath as exc:
        raise CommandFailed(clean(str(exc), limit=300)) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CommandFailed(f"cannot create the folder {_shown(folder)}: {reason}") from None


def _check_target(path: Path, *, force: bool) -> None:
    if path.is_dir():
        raise UsageError(f"{_shown(path)} is a folder: give a file name with -o FILE")
    if path.exists() and not force:
        raise UsageError(f"{_shown(path)} exists: add --force to overwrite it")


async def _download(client: ArtistreeClient, order_id: str, url: str) -> bytes:
    origins = loopback_http_origins(client.base_url)
    async with AssetFetcher(allow_http_origins=origins, max_bytes=PDF_MAX_BYTES) as fetcher:
        try:
            asset = await fetcher.fetch(url, kinds=("pdf",), max_bytes=PDF_MAX_BYTES)
        except AssetExpiredError:  # a link that expired on its way here: one fresh link
            link = await client.certificate_pdf(order_id)
            asset = await fetcher.fetch(link.url, kinds=("pdf",), max_bytes=PDF_MAX_BYTES)
    return asset.content


def _save(path: Path, content: bytes, *, force: bool) -> None:
    """Write ``content`` to ``path`` (mode 0600); never over a file unless ``force``."""
    try:
        if force:
            handle, temporary = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=".part"
            )
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(content)
                os.chmod(temporary, FILE_MODE)
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
            return
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:
            raise UsageError(f"{_shown(path)} exists: add --force to overwrite it") from None
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(content)
        except BaseException:
            with contextlib.suppress(OSError):
                path.unlink()
            raise
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CommandFailed(f"cannot save the certificate as {_shown(path)}: {reason}") from None


def _shown(path: Path) -> str:
    return clean(str(path), limit=200)
