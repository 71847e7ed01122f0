"""The folders the console writes into on its own, made private before any use.

Standard library and :mod:`artistree_tui.safe_paths` only: the launcher calls this before
anything heavy (httpx, Textual) is imported.
"""

from __future__ import annotations

from artistree_tui.config.settings import ConfigError, Settings
from artistree_tui.safe_paths import UnsafePath, make_private_dir

__all__ = ["prepare_folders"]


def prepare_folders(settings: Settings) -> None:
    """Create the folders the console writes into on its own (the asset cache), 0700
    whatever the umask, and refuse to start when another user owns or can write to them
    (:class:`ConfigError`, one line with the ``chmod``/``chown`` that fixes it). The downloads
    folder is checked when a certificate is saved into it."""
    if settings.preview == "off" or settings.image_cache_mb <= 0:
        return
    try:
        make_private_dir(settings.cache_dir / "assets")
    except UnsafePath as exc:
        raise ConfigError(str(exc), path=exc.path) from None
    except OSError:
        return  # a read-only or full disk: the console runs without its disk cache
