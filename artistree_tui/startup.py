"""Startup: no cyclic garbage collection until the console has painted its first orders.

A start of ``artistree-tui`` allocates ~135k objects that live on (modules, classes, styles,
widgets) and makes few reference cycles that die. With the collector on, Python runs ~210
collections over them before the first rows are on the screen, ~10 % of the start's CPU time
(every older-generation pass walks all of them again), and finds next to nothing. So the CLI
calls :func:`pause` before it imports the console, and :func:`resume` turns the collector back
on once the first page of orders is painted (or has failed), after :data:`RESUME_AFTER`
seconds at the latest, and whenever the console ends. Reference counting frees everything
outside a cycle meanwhile, as always; the few cycles made meanwhile are collected afterwards.

Only a collector that this module turned off is turned back on: a program (or test) that
disabled it itself keeps it disabled. No Textual here.
"""

from __future__ import annotations

import gc

__all__ = ["RESUME_AFTER", "pause", "paused", "resume"]

#: Seconds after the console mounts when the collector runs again whatever happened.
RESUME_AFTER = 5.0

_paused = False


def pause() -> None:
    """Turn the cyclic garbage collector off for the start (a no-op if it is off already)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Turn the collector back on if :func:`pause` turned it off; safe to call any time."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


def paused() -> bool:
    """Is the collector off because of :func:`pause`?"""
    return _paused
