"""Keeping the console current and contained all day: the index sync, its progress on screen,
the connection state and the status line, the hang-up guard and error containment.
Posts: SyncProgressed / OrdersChanged / OrdersWritten / ProjectNamesSeen (the sync widget),
ConnectionEvent (the client's events).
"""
