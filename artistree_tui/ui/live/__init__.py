"""Keeping the console current and contained all day: live refresh, the connection state and
the status line, the hang-up guard and error containment.
Posts: LiveRefreshed / LiveRefreshFailed, ConnectionEvent.
"""
