"""The order list pane: a filter box, the virtualized order list and its status line, with its
data model (paging, segments, merge, filters, marks) and the loader that fetches pages.
Posts: OrderList.Highlighted / Opened / StatusChanged, OrdersPane.PageLoaded / LoadFailed.
"""
