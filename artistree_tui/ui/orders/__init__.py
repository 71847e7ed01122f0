"""The order list pane: a filter box, the virtualized order list and its status line, over a
view of the local order index (source: views read by position; model: query, cursor, marks).
Posts: OrderList.Highlighted / Opened / Located / StatusChanged / WatermarkMoved (the marks' start
for a scope, for the index to keep).
Publishes: OrderList.moved (a Textual Signal, the order under the cursor, at once when it moves:
subscribers with ``immediate=True`` repaint in the cursor's own frame).
"""
