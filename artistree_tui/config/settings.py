"""The resolved settings of one run, their defaults, and the one error type of configuration.

:class:`Settings` is what the rest of the program sees: every value already validated and the
precedence (flag > env > profile > file > default) already applied by
:func:`artistree_tui.config.loader.load_settings`. It is frozen so a worker cannot change what
another one reads, and its ``repr`` hides the secrets so a log line or a crash report that
prints it leaks nothing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from artistree_tui.config.paths import default_cache_dir, default_downloads_dir

DEFAULT_BASE_URL = "https://api.human.prod.artistree.io"
DEFAULT_TOKEN_URL = "https://human-artistree-prod.auth.us-east-1.amazoncognito.com/oauth2/token"  # noqa: S105
DEFAULT_PAGE_SIZE = 200
MAX_PAGE_SIZE = 1000  # the list endpoint rejects more
DEFAULT_REFRESH_SECONDS = 30.0
DEFAULT_THEME = "textual-dark"
DEFAULT_IMAGE_CACHE_MB = 200
#: List requests per second of the index's background sync: 4 pages of 1,000 previews is
#: 4,000 orders/s (100,000 in ~25 s), about a quarter of one core to parse, and gentle on
#: the API; see README "The local order index".
DEFAULT_SYNC_RATE = 4.0
MAX_SYNC_RATE = 100.0
MIN_SYNC_RATE = 0.1
DEFAULT_RESYNC_MINUTES = 15.0
#: Rows of the sync's head request (``preview=true``), the console's first request: a
#: screenful on terminals up to ~65 rows. 60 previews are 34 KB (200 were 110 KB: two more
#: round trips of TCP slow start far away) and are parsed on the loop (under 64 KiB). Not a
#: setting: the console asks for this page at process start (artistree_tui/launch.py), and
#: the engine must ask for the very same one to be handed it.
HEAD_ROWS = 60
MAX_RESYNC_MINUTES = 7 * 24 * 60.0
DEFAULT_MEMORY_CACHE_MB = 48
DEFAULT_CERTIFICATE_FILE_MODE = 0o600

PreviewMode = Literal["auto", "halfblock", "off"]
PREVIEW_MODES: tuple[PreviewMode, ...] = ("auto", "halfblock", "off")
StoreMode = Literal["disk", "memory"]
STORE_MODES: tuple[StoreMode, ...] = ("disk", "memory")

#: Fields whose values are secrets: never shown by ``repr`` or in an error message.
SECRET_FIELDS = frozenset({"client_secret", "token"})


class ConfigError(Exception):
    """A configuration problem; ``str(err)`` is one line naming where it is and what to do.

    ``path``, ``key`` and ``line`` say where, when known (for tests and for the UI). The
    message never contains a secret.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        key: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.key = key
        self.line = line

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class MemoryBudget:
    """``memory_cache_mb`` shared out, in bytes: decoded preview images (half), rendered
    previews and the detail pane's full orders (a quarter each). Each cache evicts its least
    recently used entries past its share. (The order list holds only a window of the index.)"""

    decoded: int
    rendered: int
    orders: int

    @classmethod
    def of(cls, megabytes: int) -> MemoryBudget:
        total = max(megabytes, 1) * 1024 * 1024
        return cls(decoded=total // 2, rendered=total // 4, orders=total // 4)


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class Settings:
    """Everything a run needs to know, validated; build it with ``load_settings`` or directly."""

    base_url: str = DEFAULT_BASE_URL
    token_url: str = DEFAULT_TOKEN_URL
    client_id: str | None = None
    client_secret: str | None = None
    #: The command the secret came from (kept for display; already run by ``load_settings``).
    client_secret_command: str | None = None
    token: str | None = None
    lang: str | None = None
    page_size: int = DEFAULT_PAGE_SIZE
    #: Project name or id to open first (None: All Projects).
    default_project: str | None = None
    #: Seconds between automatic refreshes; 0 turns auto-refresh off.
    refresh_seconds: float = DEFAULT_REFRESH_SECONDS
    theme: str = DEFAULT_THEME
    #: Binding id -> comma-separated keys, for ``App.set_keymap``.
    keymap: dict[str, str] = field(default_factory=dict)
    #: Pinned project name -> project id.
    projects: dict[str, str] = field(default_factory=dict)
    preview: PreviewMode = "auto"
    #: Fetch the neighbours of the order the cursor rests on (full order and picture).
    prefetch: bool = True
    bell: bool = False
    downloads_dir: Path = field(default_factory=default_downloads_dir)
    #: Permission bits of a saved certificate PDF (whatever the umask).
    certificate_file_mode: int = DEFAULT_CERTIFICATE_FILE_MODE
    cache_dir: Path = field(default_factory=default_cache_dir)
    #: Bound of the on-disk image cache in MiB; 0 keeps nothing on disk.
    image_cache_mb: int = DEFAULT_IMAGE_CACHE_MB
    #: Where the local order index lives: a file under cache_dir, or memory only.
    store: StoreMode = "disk"
    #: Max list requests per second of the index's background sync.
    sync_rate: float = DEFAULT_SYNC_RATE
    #: Minutes between full re-syncs of the open scope; 0 turns them off.
    resync_minutes: float = DEFAULT_RESYNC_MINUTES
    #: Bound of the in-memory caches together, in MiB (see :class:`MemoryBudget`).
    memory_cache_mb: int = DEFAULT_MEMORY_CACHE_MB
    #: The file that was read, or None when there was none.
    config_path: Path | None = None
    #: The ``[profiles.NAME]`` section that was applied, or None.
    profile: str | None = None
    #: True when the settings point at the embedded demo API (``--demo``).
    demo: bool = False

    @property
    def memory_budget(self) -> MemoryBudget:
        """How ``memory_cache_mb`` is shared between the in-memory caches."""
        return MemoryBudget.of(self.memory_cache_mb)

    @property
    def auth_mode(self) -> Literal["token", "client_credentials"] | None:
        """How requests authenticate: a static token wins over client credentials."""
        if self.token:
            return "token"
        if self.client_id and (self.client_secret or self.client_secret_command):
            return "client_credentials"
        return None

    def __repr__(self) -> str:
        parts = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name in SECRET_FIELDS and value is not None:
                parts.append(f"{f.name}='<hidden>'")
            else:
                parts.append(f"{f.name}={value!r}")
        return f"Settings({', '.join(parts)})"

    __str__ = __repr__
