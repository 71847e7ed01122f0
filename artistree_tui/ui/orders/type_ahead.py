"""Typed-ahead text: keys of one burst that were routed before a text box got the focus.

Textual routes a key to the widget focused when the app dequeues it, and every key of a burst
(fast typing over SSH arrives in one read: ``/paint⏎``) is dequeued before the first one has
been handled. So ``paint`` is routed to the order list, which had the focus; its keys bubble
back to the app in order, where bindings are resolved from the focus *then* (the filter box,
since ``/`` ran first): no list command runs, but no widget inserts the text either, and it was
lost. An ``Input`` stops every printable key it receives, so a printable key that bubbles up to
the app while an ``Input`` has the focus was never seen by it: the app gives it to the box with
:func:`deliver_typed_ahead`, in order with the bound keys (``enter``, ``esc``) around it.

The other way round, ``⏎jj`` in one read is routed to the box, which had the focus, before
``enter`` gives the keyboard back to the list: the box handles ``enter`` and ``esc`` at once
and hands a key that finds the focus gone to the widget focused now
(:func:`pass_to_focus`).
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Input


def deliver_typed_ahead(focused: Widget | None, event: events.Key) -> bool:
    """Type ``event`` into ``focused`` if it is a text box and the key is text (the app calls
    this for keys that bubbled up to it, before its bindings); True if it was typed.

    Synchronous on purpose: the next key of the burst (say ``enter``) must see this text.
    """
    if not isinstance(focused, Input) or not event.is_printable or event.character is None:
        return False
    # What Input._on_key does with a printable key (its blink restart aside).
    selection = focused.selection
    if selection.is_empty:
        focused.insert_text_at_cursor(event.character)
    else:
        focused.replace(event.character, *selection)
    return True


def pass_to_focus(widget: Widget, event: events.Key) -> bool:
    """Hand ``event``, routed to ``widget`` before another widget took the focus (earlier in
    the same burst), to the widget focused now; True if it did (``event`` is then stopped)."""
    focused = widget.app.focused
    if focused is None or focused is widget:
        return False
    event.stop()
    event.prevent_default()
    focused._forward_event(events.Key(event.key, event.character))
    return True
