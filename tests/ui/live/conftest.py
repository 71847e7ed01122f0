"""tests/ui/live: live refresh, the connection state and status line, outages and recovery,
the hang-up guard, error containment, and the soak.

No fixtures of its own: the console wired like ``run_console`` (its client's events reach
the screen, retries shortened) is tests/support/live.py's ``live_app``.
"""
