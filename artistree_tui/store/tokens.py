"""The OAuth access token cache: a small 0600 file next to the index, like the AWS CLI's and
kubectl's credential caches, so a restart within the token's hour asks for no new token.

It holds the access token, its expiry (Unix time) and its owner, keyed by token URL and client
id (:func:`artistree_tui.store.paths.token_key`): never the client secret, and never used for a
static ``token`` (nothing to cache). The owner is a keyed hash of the credentials
(:func:`artistree_tui.api.auth.credentials_fingerprint`): a token got with another secret is
not used, so a changed (or mistyped) secret is asked about at once, not an hour later.
``artistree-tui cache clear`` removes it.

:class:`TokenCache` is what :class:`artistree_tui.api.auth.ClientCredentials` takes as its
``cache`` (``load``/``save``/``clear``); the API layer itself does no file I/O. Every method
swallows file errors (it is a cache: a failure means "ask the token server"), and a file that
is not ours, not private, or not well-formed is ignored.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from artistree_tui.store import paths

if TYPE_CHECKING:
    from artistree_tui.config import Settings

logger = logging.getLogger("artistree_tui.store")

_MAX_BYTES = 64 * 1024


class TokenCache:
    """One token cache file (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"TokenCache({str(self.path)!r})"

    def load(self, owner: str = "") -> tuple[str, float] | None:
        """``(access_token, expires_at)``, or None when there is no usable entry for
        ``owner`` (what :meth:`save` was given: a fingerprint of the credentials)."""
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if (
                not stat.S_ISREG(info.st_mode)
                or stat.S_IMODE(info.st_mode) & 0o077
                or info.st_uid != os.geteuid()
                or info.st_size > _MAX_BYTES
            ):
                return None
            raw = os.read(fd, _MAX_BYTES)
        except OSError:
            return None
        finally:
            os.close(fd)
        try:
            data = json.loads(raw)
            token, expires = data["access_token"], float(data["expires_at"])
            saved_for = data.get("owner", "")
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        if not isinstance(token, str) or not token or expires != expires or saved_for != owner:
            return None
        return token, expires

    def save(self, token: str, expires_at: float, owner: str = "") -> None:
        """Write the entry (for ``owner``, see :meth:`load`) atomically, 0600 from the start."""
        entry = {"access_token": token, "expires_at": expires_at, "owner": owner}
        body = json.dumps(entry).encode()
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            paths.private_folder(self.path.parent)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, paths.FILE_MODE)
            try:
                os.fchmod(fd, paths.FILE_MODE)
                os.write(fd, body)
            finally:
                os.close(fd)
            os.replace(temp, self.path)
        except OSError as exc:
            logger.info("the token cache could not be written (%s)", exc.strerror)
            with contextlib.suppress(OSError):
                temp.unlink()

    def clear(self) -> bool:
        """Remove the entry; True if there was one."""
        try:
            return paths.remove_quietly(self.path)
        except OSError:
            return False


def token_cache_for(settings: Settings) -> TokenCache | None:
    """The token cache for ``settings``: None for a static token, for ``store = "memory"``
    (nothing on disk) and for the demo."""
    if settings.store == "memory":
        return None
    target = paths.index_files(settings).token
    return None if target is None else TokenCache(target)
