"""``G``: the walk to the end of a scope, with preview pages, and its fallback to full pages.

Pure Python; the paging model (:mod:`.paging`) owns one :class:`Walk` and asks it which frontier
pages may be previews and what to do when a full page is refused.

Why previews: to show the last order, the list must learn where the last page starts, and
page tokens chain (each is in the answer to the page before), so the walk is sequential: one
page of ``walk_limit`` (1,000) rows after another, 100 of them for 100,000 orders. Nobody
looks at the pages in between, so they are asked as ``preview=true`` pages (a fraction of the
bytes to produce, send and parse) and only their count, last order id and next token are kept
(:class:`.segments.Answer`). The pages that will be shown, those that reach the last two
screens as far as ``total_orders`` tells, are asked as full pages straight away; a page that
turns out to be the last while fetched as a preview (a total that was too high) is fetched as a
full page by its token when it is shown, like any dropped page. Rows above the end that the
user scrolls back to are fetched the same way. A scrollbar drag far beyond the loaded rows
walks the same way, up to the rows it lands on.

The assumption: a page token does not depend on ``preview`` (true in the demo; the real API's
tokens are opaque). If a full request whose token a preview page issued is *refused* (a 4xx:
``ApiRequestError``/``ApiNotFoundError``), the walk falls back: the chain is cut back to the
last page whose token came from a full page (:meth:`.segments.SegmentChain.last_full_token`),
the walk goes on from there with full pages, and previews are not used again for the rest of
the session (the flag survives :meth:`.paging.PagingModel.reset`).
"""

from __future__ import annotations

from artistree_tui.ui.orders.segments import Segment, SegmentChain


class Walk:
    """Whether ``G`` is walking, and whether preview tokens are still trusted this session."""

    def __init__(self, *, previews: bool = True) -> None:
        self.active = False
        #: False once a full page was refused a token that a preview page issued.
        self.previews = previews

    def wants_preview(self, segment: Segment, wanted_from: int) -> bool:
        """A frontier ``segment`` may be fetched as a preview page when previews are trusted
        and it cannot reach absolute row ``wanted_from`` (the first row to be shown)."""
        return self.previews and segment.offset + segment.limit <= wanted_from

    def fall_back(self, chain: SegmentChain, refused: Segment) -> Segment | None:
        """A full request for ``refused`` was refused by the server. If its token came from a
        preview page, stop using previews, restart the chain from the last token that worked
        for a full page and return that segment (the new frontier); else None (a plain
        failure, shown as an error row)."""
        start = chain.last_full_token(refused)
        if start is refused:
            return None
        self.previews = False
        chain.restart(start)
        return start
