"""The detail pane: everything about one order (fields, analyses, failed items, annotations),
with its annotations table, its texts, its cache of full orders and its timing (when to draw
an order and ask for its full copy: ``timing.ShowTiming``), and the full orders it fetches
ahead for the screen's prefetch (``DetailPane.prefetch``).
Posts: DetailLoaded / DetailFailed, OrderShown, AnnotationHighlighted.
"""
