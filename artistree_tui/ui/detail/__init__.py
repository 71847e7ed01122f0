"""The detail pane: everything about one order (fields, analyses, failed items, annotations),
with its annotations table, its texts and its cache of full orders.
Posts: DetailLoaded / DetailFailed, OrderShown, AnnotationHighlighted.
"""
