"""Messages of the detail pane (see :mod:`.pane`).

The pane's fetch worker posts :class:`DetailLoaded` / :class:`DetailFailed` to the pane itself
(they bubble on to the screen, which learns project ids from full orders); its prefetch worker
posts the same two with ``prefetched`` set (the pane shows nothing for those; the screen's
prefetch moves on to the next neighbour). The pane announces
what it shows with :class:`OrderShown` and :class:`AnnotationHighlighted`: to the screen and,
as separate instances, to every widget in its preview slot (the preview follows the pane).
"""

from __future__ import annotations

from textual.message import Message

from artistree_tui.api.models import Order


class DetailLoaded(Message):
    """A background fetch of one full order finished; ``prefetched``: fetched ahead, for an
    order next to the one under the cursor (:meth:`~.pane.DetailPane.prefetch`)."""

    def __init__(self, order_id: str, order: Order, *, prefetched: bool = False) -> None:
        super().__init__()
        self.order_id = order_id
        self.order = order
        self.prefetched = prefetched


class DetailFailed(Message):
    """A background fetch of one full order failed; ``error`` is one safe line;
    ``prefetched``: a fetch ahead, which nobody is shown; ``not_found``: the API answered
    404 (it does not have that order, or no longer), to the request sent at ``asked_at``
    (``time.time()``, when the client knows it)."""

    def __init__(
        self,
        order_id: str,
        error: str,
        *,
        prefetched: bool = False,
        not_found: bool = False,
        asked_at: float | None = None,
    ) -> None:
        super().__init__()
        self.order_id = order_id
        self.error = error
        self.prefetched = prefetched
        self.not_found = not_found
        self.asked_at = asked_at


class OrderShown(Message):
    """The detail pane now shows ``order`` (``complete`` once the full fetch answered), with
    annotation ``selected`` selected in its table (None: no annotation); ``relayout``: drawing
    it made a section taller (what is below it moves once the screen is laid out again).

    Posted to the screen (bubbling) and, as separate instances, to every widget mounted in
    the detail pane's preview slot, so the preview can follow the pane: it draws the order's
    regions with that selection at once, not first without it (a second picture on the wire),
    and a picture it has in memory after the move, not before it (twice on the wire).
    """

    def __init__(
        self,
        order: Order,
        *,
        complete: bool,
        selected: int | None = None,
        relayout: bool = False,
    ) -> None:
        super().__init__()
        self.order = order
        self.complete = complete
        self.selected = selected
        self.relayout = relayout


class AnnotationHighlighted(Message):
    """The annotations table's cursor is on annotation ``index`` of order ``order_id``.

    Posted like :class:`OrderShown`: to the screen and to the preview slot's widgets.
    """

    def __init__(self, order_id: str, index: int) -> None:
        super().__init__()
        self.order_id = order_id
        self.index = index
