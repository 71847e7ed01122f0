"""A key that nothing on the focused widget's path acts on goes straight to its binding.

Textual sends a key to the focused widget, which passes it up to each of its ancestors in
turn (one turn of the message loop each) and back to the app, which only then looks the key
up in the bindings, from the focused widget up. Nothing on that way acts on the order list's
keys: no widget from the list up to the screen has a key handler of its own or a ``key_``
method, and the app's own handler only types into a text box. So :func:`run_directly` looks
the binding up at once, in Textual's order (the priority bindings, then the focused widget's
up, then the app's ``key_`` methods). Traced in the real console, ``j`` at rest reached its
action ~0.5 ms sooner (the key's five hops from the list back to the app).

Only while nothing is in flight: nothing waits in the app's queue or in the queue of any node
on the path, not even the message Textual's loop has taken out to look at while it handles
the one before. Keys typed in a burst, a change of focus not applied yet (``/jules`` in one
read: ``/`` focuses the filter box while ``jules`` is on its way) take Textual's way, in
order: ``jules`` lands in the box.

Private parts of Textual (its queues, ``_check_bindings``): where they are missing, the key
takes Textual's way. No state; posts nothing.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from textual import events
from textual._dispatch_key import dispatch_key
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.message_pump import MessagePump

__all__ = ["passes_keys_on", "run_directly"]


@functools.cache
def passes_keys_on(cls: type[DOMNode]) -> bool:
    """Does a node of ``cls`` pass every key up to its parent untouched (a key handler of its
    own, Textual's or ours, would not)? Its ``key_`` methods are checked per key."""
    if getattr(cls, "_on_key", None) is not getattr(Widget, "_on_key", None):
        return False
    if getattr(cls, "handle_key", None) is not Widget.handle_key or hasattr(cls, "on_key"):
        return False
    for klass in cls.__mro__:
        handlers: dict[Any, Any] = klass.__dict__.get("_decorated_handlers") or {}
        if events.Key in handlers:
            return False
    return True


def _acts_on(node: DOMNode, event: events.Key) -> bool:
    if not passes_keys_on(type(node)):
        return True
    return any(
        hasattr(node, f"key_{name}") or hasattr(node, f"_key_{name}") for name in event.name_aliases
    )


def _idle(node: MessagePump) -> bool:
    """Nothing waits in ``node``'s queue: not even the message Textual's loop has already
    taken out of it to look at (``_pending_message``) while it handles the one before."""
    return node._message_queue.empty() and node._pending_message is None


def _straight(app: App[Any], event: events.Key) -> bool:
    """May ``event`` skip the round (module docstring)? Reads private parts of Textual: where
    one is missing, no."""
    try:
        focused = app.focused
        if focused is None or event.is_forwarded or not _idle(app):
            return False
        screen = app.screen
        if screen.maximized is not None or focused.screen is not screen:
            return False
        node: DOMNode | None = focused
        while node is not None and node is not app:
            if not _idle(node) or _acts_on(node, event):
                return False
            node = node.parent
    except AttributeError:
        return False
    return hasattr(screen, "_clear_tooltip") and hasattr(app, "_check_bindings")


async def run_directly(app: App[Any], event: events.Key) -> bool:
    """Handle ``event`` (a key the app has just received) as Textual would once it had gone
    round the focused widget's ancestors, without that round; True if it did. False, with
    nothing done, when the key must take Textual's way (module docstring). The app's own key
    handlers are its caller's business: Textual would run them after the round, before the
    bindings (the console's types into a text box, never on this path: a text box acts on
    keys)."""
    if not _straight(app, event):
        return False
    # Textual's App.on_event (focus, tooltip, priority bindings), then its App._on_key.
    if not app.app_focus:
        app.app_focus = True
    app.screen._clear_tooltip()
    if await app._check_bindings(event.key, priority=True):
        return True
    if not await app._check_bindings(event.key):
        await dispatch_key(app, event)
    return True
