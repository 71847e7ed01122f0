"""Where the configuration file and the per-user directories live.

One function decides which config file a run reads (``--config`` > ``ARTISTREE_TUI_CONFIG`` >
the platform's config dir), so the CLI's ``config path``, ``config init`` and the loader can
never disagree. platformdirs (>= 4.9.6) honours the ``XDG_*`` variables on every platform, which
is also how tests keep away from the real home directory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import platformdirs

APP_NAME = "artistree-tui"
CONFIG_ENV = "ARTISTREE_TUI_CONFIG"

ConfigOrigin = Literal["--config", "ARTISTREE_TUI_CONFIG", "default"]


def default_config_path() -> Path:
    """The platform's config file path: ``user_config_path("artistree-tui") / "config.toml"``."""
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def default_cache_dir() -> Path:
    """Where downloaded images are cached between runs."""
    return platformdirs.user_cache_path(APP_NAME)


def default_downloads_dir() -> Path:
    """Where certificate PDFs are saved."""
    return platformdirs.user_downloads_path()


def resolve_config_path(
    config_path: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> tuple[Path, ConfigOrigin]:
    """Return the config file this run uses and what chose it.

    ``config_path`` is the ``--config`` value; ``env`` defaults to ``os.environ`` (an empty
    ``ARTISTREE_TUI_CONFIG`` counts as unset, as shells make unsetting awkward).
    """
    if config_path is not None and str(config_path):
        return Path(config_path).expanduser(), "--config"
    environ = os.environ if env is None else env
    from_env = environ.get(CONFIG_ENV, "")
    if from_env:
        return Path(from_env).expanduser(), "ARTISTREE_TUI_CONFIG"
    return default_config_path(), "default"
