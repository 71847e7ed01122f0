"""Mounting a widget the first frame does not need (help, the certificate and export desks),
when it is first asked for.

A widget asked for while the console is closing (``q``, a stop signal during the start) is
not mounted: mounting on a screen that is going away raises ``MountError``, which would turn
a clean exit into a crash. The caller gets its widget either way.
"""

from __future__ import annotations

import contextlib
from typing import Any, TypeVar

from textual.screen import Screen
from textual.widget import MountError, Widget

W = TypeVar("W", bound=Widget)


def mount_later(screen: Screen[Any], widget: W) -> W:
    """Mount ``widget`` on ``screen`` unless the console is closing; returns ``widget``."""
    if screen.app.is_running and screen.is_attached:
        with contextlib.suppress(MountError):
            screen.mount(widget)
    return widget
