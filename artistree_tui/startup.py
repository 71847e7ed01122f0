"""Startup: no cyclic garbage collection until the console has painted its first orders.

A start of ``artistree-tui`` allocates ~135k objects that live on (modules, classes, styles,
widgets) and drops some reference cycles (~9k objects by the first rows, mostly Textual's
strips). With the collector on, Python runs ~210 collections over them before the first rows
are on the screen, ~10 % of the start's CPU time (every older-generation pass walks all of
them again), and finds little. So the CLI
calls :func:`pause` before it imports the console, and :func:`resume` turns the collector back
on once the first page of orders is painted (or has failed), after :data:`RESUME_AFTER`
seconds at the latest, and whenever the console ends. Reference counting frees everything
outside a cycle meanwhile, as always.

:func:`settle`, a few seconds later (:data:`SETTLE_AFTER` after the console mounts, once the
reviewer has the first rows), collects once what the start dropped and *freezes* what lives on
(``gc.freeze``): those objects live as long as the console, and the collector never walks them
again. A full collection then walks only what came after them: measured while moving through
previews, its pauses on the UI's thread went from 46–110 ms to 15–51 ms. The one collection
before it frees the start's garbage (~9k objects, mostly strips of frames rendered meanwhile):
frozen, they would never be freed nor finalized.

Only a collector that this module turned off is turned back on: a program (or test) that
disabled it itself keeps it disabled. No Textual here.

Two hooks for the tests of the start (environment variables, unset in normal use; each costs
one lookup when unset), installed by :func:`install_test_hooks` as the CLI starts:

- ``ARTISTREE_TUI_STARTUP_TRACE=FILE``: :func:`mark` appends one JSON line per event to FILE
  (``requests-started``, ``console-imported`` by the launcher; ``textual-import-waits``/
  ``-goes`` below; ``network-let-in`` with every module imported by then, when a start from
  the index lets the network in; ``resumed``, with every module imported by then, when
  :func:`resume` turns the collector back on: the first rows are painted);
- ``ARTISTREE_TUI_STARTUP_GATE=FILE``: the first import of Textual waits until FILE exists
  (at most :data:`GATE_TIMEOUT` seconds). A test holds the gate shut until its server has seen
  the token and first-page requests: they can only get there if they do not wait for Textual.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

__all__ = [
    "RESUME_AFTER",
    "SETTLE_AFTER",
    "install_test_hooks",
    "mark",
    "pause",
    "paused",
    "resume",
    "settle",
    "tracing",
]

TRACE_ENV = "ARTISTREE_TUI_STARTUP_TRACE"
GATE_ENV = "ARTISTREE_TUI_STARTUP_GATE"
#: The longest the gate holds Textual's import (a test that never opens it still ends).
GATE_TIMEOUT = 60.0

#: Seconds after the console mounts when the collector runs again whatever happened.
RESUME_AFTER = 5.0
#: Seconds after the console mounts when what the start made is frozen (:func:`settle`).
SETTLE_AFTER = 8.0

_paused = False
_unsettled = False  # resumed after a pause, not settled yet


def pause() -> None:
    """Turn the cyclic garbage collector off for the start (a no-op if it is off already)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Turn the collector back on if :func:`pause` turned it off; safe to call any time."""
    global _paused, _unsettled
    if _paused:
        _paused = False
        _unsettled = True
        gc.enable()
        if _trace is not None:
            mark("resumed", modules=sorted(sys.modules))


def settle() -> None:
    """After a start that :func:`pause` sped up and :func:`resume` ended: collect once, then
    freeze every object left (never walked again). A no-op otherwise, or a second time."""
    global _unsettled
    if _unsettled and gc.isenabled():
        _unsettled = False
        gc.collect()
        gc.freeze()


def paused() -> bool:
    """Is the collector off because of :func:`pause`?"""
    return _paused


# -- test hooks (see the module docstring) ------------------------------------------------

_trace: str | None = None


def install_test_hooks() -> None:
    """Read ``ARTISTREE_TUI_STARTUP_TRACE``/``_GATE`` (a no-op when they are unset)."""
    global _trace
    _trace = os.environ.get(TRACE_ENV) or None
    gate = os.environ.get(GATE_ENV)
    if gate and not any(isinstance(finder, _ImportGate) for finder in sys.meta_path):
        if "textual" in sys.modules:
            mark("textual-imported-already")
        sys.meta_path.insert(0, _ImportGate(gate))


def tracing() -> bool:
    """Is there a trace file (worth computing an event's details)?"""
    return _trace is not None


def mark(event: str, **details: object) -> None:
    """Append ``event`` to the trace file, if there is one (never raises)."""
    if _trace is None:
        return
    line = json.dumps({"event": event, "time": time.time(), **details})
    try:
        with open(_trace, "a", encoding="utf-8") as trace:
            trace.write(line + "\n")
    except OSError:
        pass


class _ImportGate:
    """A meta path finder that holds the first import of Textual until a file exists.

    It waits in the module's loader, not in :meth:`find_spec`: finders run under the global
    import lock, and the loop's own imports (httpx loads parts of itself on its first request)
    must go on meanwhile.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.held = False

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name != "textual" or self.held:
            return None
        self.held = True
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _GatedLoader(spec.loader, self.path)  # type: ignore[assignment]
        return spec


class _GatedLoader:
    """Runs a module's real loader once the gate file exists (see :class:`_ImportGate`)."""

    def __init__(self, loader: Any, path: str) -> None:
        self.loader = loader
        self.path = path

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        module: ModuleType | None = self.loader.create_module(spec)
        return module

    def exec_module(self, module: ModuleType) -> None:
        module.__loader__ = self.loader  # the module keeps its real loader (resources, reload)
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        mark("textual-import-waits")
        deadline = time.monotonic() + GATE_TIMEOUT
        while not os.path.exists(self.path) and time.monotonic() < deadline:
            time.sleep(0.01)
        mark("textual-import-goes")
        self.loader.exec_module(module)
