"""Background sync: fills the local order index (:mod:`artistree_tui.store`) from the API.

:class:`SyncEngine` walks the open scope newest first in ``preview=true`` pages of 1,000,
refreshes its first page every ``refresh_seconds``, re-sweeps every ``resync_minutes`` (gone
orders are marked, never deleted), paces itself by ``sync_rate``, waits out outages with a
capped backoff and resumes from the saved page token, restarts from the head when a token is
refused, and stops a walk whose paging is broken. :class:`SyncProgress` says honestly how far
it is (indexed / total, pages, rate, ETA, whether counts are complete) for the status line
and the CLI.

Plain asyncio on the API client's loop; writes run in the engine's own writer thread. This
package never imports Textual.
"""

from artistree_tui.sync.engine import (
    DEFAULT_RESYNC_MINUTES,
    DEFAULT_SYNC_RATE,
    PageSource,
    SyncEngine,
    SyncSettings,
)
from artistree_tui.sync.pacing import Backoff, RateLimit
from artistree_tui.sync.progress import SyncProgress

__all__ = [
    "DEFAULT_RESYNC_MINUTES",
    "DEFAULT_SYNC_RATE",
    "Backoff",
    "PageSource",
    "RateLimit",
    "SyncEngine",
    "SyncProgress",
    "SyncSettings",
]
