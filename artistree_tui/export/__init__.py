"""Orders as records for other programs, and the writers that stream them.

- :mod:`.records`: an order (full or preview) as a dict keyed by the API's own field names
  (``order_id``, ``order_state``, ``analysis_list``, ``project``...), and field-list checks;
- :mod:`.formats`: writers for ``table``, ``json`` (one array), ``ndjson`` and ``csv``
  (RFC 4180) that take records one at a time, so memory does not grow with their number.

Every string from the API is hostile: the table goes through the display boundary
(:mod:`artistree_tui.display`), CSV cells too and have formulas defused, JSON is escaped by
the encoder (ASCII only). No Textual, no HTTP: the command line writes with these, and the
console's export of the current view can write with the same.
"""
