"""Command-line entry point (placeholder until the configuration work lands)."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    """Run the console; returns the process exit status."""
    return 0
