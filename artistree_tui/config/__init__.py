"""Configuration: the TOML file, profiles, environment and flag overrides, and validation.

Use :func:`load_settings` to get the run's :class:`Settings`; every problem is a
:class:`ConfigError` whose text is one line saying where it is and what to do.
"""

from artistree_tui.config.loader import load_settings
from artistree_tui.config.paths import default_config_path, resolve_config_path
from artistree_tui.config.settings import ConfigError, Settings

__all__ = [
    "ConfigError",
    "Settings",
    "default_config_path",
    "load_settings",
    "resolve_config_path",
]
