"""artistree-tui: a keyboard-only terminal review console for the Artistree Human API."""

__version__ = "0.1.0"
