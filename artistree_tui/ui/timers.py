"""One-shot timers that always fire: :func:`once`, the console's ``set_timer``.

Textual's ``set_timer`` makes a one-shot timer that *skips* missed ticks: its task reads the
clock at its start and again just after, and when more than the delay passed in between (the
thread lost the GIL or the CPU right there, on a loaded machine), it counts the tick as missed
and ends without calling back. For a repeating timer a skipped tick is the next one's job; for
a one-shot timer it is the only tick. The console's debounces keep "a timer is pending" state
(the list's redraw from the index, its trailing Highlighted, the detail's fetch, the preview's
load), so one lost tick stopped that work for good: in a CI run the list never posted the
highlight of its cursor again. :func:`once` is the same timer without the skip: late, it fires
at once.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.message_pump import MessagePump
from textual.timer import Timer

__all__ = ["once"]


def once(
    owner: MessagePump, delay: float, callback: Callable[[], Any], *, name: str | None = None
) -> Timer:
    """Call ``callback`` on ``owner`` (``call_next``, as ``set_timer`` does) after ``delay``
    seconds, however late the timer's task starts (see the module docstring). Stopped with
    the owner's other timers, or by ``stop()``."""
    timers = getattr(owner, "_timers", None)
    if timers is None:  # Textual moved its bookkeeping: its own timer, skip and all
        return owner.set_timer(delay, callback, name=name)
    timer = Timer(
        owner,
        delay,
        name=name or f"once#{Timer._timer_count}",
        callback=partial(owner.call_next, callback),
        repeat=0,
        skip=False,
    )
    timer._start()
    timers.add(timer)
    return timer
