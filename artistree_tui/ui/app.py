"""The console application: composes the main screen, applies settings, contains failures.

:func:`run_console` is the entry point the CLI calls. It builds the API client from the
settings, runs :class:`ConsoleApp`, and turns *any* failure into one sanitized line on stderr
and a non-zero exit status: Textual's default crash screen prints a traceback with local
variables (the bearer token among them), so :meth:`ConsoleApp._handle_exception` replaces it.
"""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING, ClassVar

from rich.console import RenderableType
from textual import events
from textual.app import App, InvalidThemeError
from textual.binding import BindingType
from textual.worker import WorkerFailed

from artistree_tui import startup
from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.display import clean
from artistree_tui.preview.loader import PreviewLoader, build_preview_loader
from artistree_tui.ui.dialogs.certificate import CertificateChoice
from artistree_tui.ui.dialogs.help import HelpScreen
from artistree_tui.ui.dialogs.order_id import OrderIdPrompt
from artistree_tui.ui.keys import keymap
from artistree_tui.ui.keys.palette import ConsoleCommands
from artistree_tui.ui.live.connection import ClientEventRelay
from artistree_tui.ui.live.containment import background_line, crash_line, run_guarded
from artistree_tui.ui.notify import toast
from artistree_tui.ui.orders.type_ahead import deliver_typed_ahead
from artistree_tui.ui.preview.panel import PreviewPanel
from artistree_tui.ui.screen.main import MainScreen

if TYPE_CHECKING:
    from artistree_tui.api.client import ArtistreeClient
    from artistree_tui.config import Settings
    from artistree_tui.store.database import Index
    from artistree_tui.sync import SyncSettings

FALLBACK_THEME = "textual-dark"


__all__ = ["ConsoleApp", "crash_line", "run_console"]


class ConsoleApp(App[None]):
    """The review console. Owns the API client and closes it when the app ends."""

    CSS_PATH = "console.tcss"
    TITLE = "Artistree review console"
    COMMANDS: ClassVar = App.COMMANDS | {ConsoleCommands}
    SCREENS: ClassVar = {"help": HelpScreen}
    BINDINGS: ClassVar[list[BindingType]] = keymap.APP_BINDINGS

    def __init__(
        self,
        settings: Settings,
        client: ArtistreeClient,
        *,
        client_events: ClientEventRelay | None = None,
        prefetch: bool = False,
        index: Index | None = None,
        sync: SyncSettings | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.client = client
        #: The local order index the list reads (``store``: a file in the cache, or memory).
        self.index = index if index is not None else _open_index(settings)
        #: How the sync paces itself (default: from the settings; tests shorten the waits).
        self.sync_settings = sync
        #: Ask for the first page as soon as the app loads (run_console; see on_load).
        self._prefetch = prefetch
        self._keymap_set = False  # has apply_keymap set a non-empty keymap?
        #: The ``on_event`` the client was built with: the screen binds it for its status line.
        self.client_events = client_events
        #: One line describing why the app stopped, when it stopped on an unexpected error.
        self.fatal_error: str | None = None
        #: One line per error that did not stop the app (a failed worker, thread or task).
        self.background_errors: list[str] = []
        self._theme_error: str | None = None
        self._preview_loader: PreviewLoader | None = None
        try:
            self.theme = settings.theme
        except InvalidThemeError:
            self.theme = FALLBACK_THEME
            self._theme_error = clean(settings.theme, limit=60)

    def get_default_screen(self) -> MainScreen:
        from artistree_tui.sync import SyncSettings

        return MainScreen(
            self.client,
            self.index,
            sync=self.sync_settings or SyncSettings.from_settings(self.settings),
            pinned=dict(self.settings.projects),
            default_project=self.settings.default_project,
            preview=self._build_preview(),
        )

    def _build_preview(self) -> PreviewPanel | None:
        """The preview panel for the detail pane's slot (None when ``preview = "off"``)."""
        settings = self.settings
        if settings.preview == "off":
            return None
        self._preview_loader = build_preview_loader(
            base_url=settings.base_url,
            cache_dir=settings.cache_dir,
            cache_mb=settings.image_cache_mb,
        )
        return PreviewPanel(self._preview_loader, renderer=settings.preview)

    @property
    def main_screen(self) -> MainScreen:
        """The console's screen (the bottom of the stack, whatever is open above it)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    def on_load(self) -> None:
        if self._prefetch:
            # Startup: the token and the sync's first request (the head of All Projects,
            # whatever project opens) are on their way while the screen is built; the sync
            # takes the page when it asks (api/prefetch.py).
            from artistree_tui.sync.engine import HEAD_LIMIT

            self.client.prefetch(ALL_PROJECTS, preview=True, limit=HEAD_LIMIT)

    def on_mount(self) -> None:
        if self._theme_error:
            toast(
                self,
                f"Unknown theme “{self._theme_error}”; using {FALLBACK_THEME}.",
                severity="warning",
            )
        # After the first refresh: the panes (whose bindings the keymap may name) are mounted.
        self.call_after_refresh(self.apply_keymap, self.settings.keymap)
        if startup.paused():  # normally the first page resumes it (see startup.py)
            self.set_timer(startup.RESUME_AFTER, startup.resume)

    def apply_keymap(self, user_keymap: dict[str, str]) -> list[str]:
        """Apply ``[keymap]``; unknown binding ids give one warning. Returns those ids."""
        if not user_keymap and not self._keymap_set:
            # Nothing to apply, and set_keymap would refresh every binding, which rebuilds the
            # footer (~40M instructions, at startup).
            return []
        nodes = list(self.screen.walk_children(with_self=True))
        screens = {HelpScreen, OrderIdPrompt, CertificateChoice}
        known = keymap.binding_ids({type(self), *screens, *map(type, nodes)})
        usable, unknown = keymap.split_keymap(user_keymap, known)
        self.set_keymap(usable)
        self._keymap_set = bool(usable)
        if unknown:
            names = ", ".join(clean(u, limit=40) for u in unknown[:5])
            more = f" (+{len(unknown) - 5} more)" if len(unknown) > 5 else ""
            toast(
                self,
                f"[keymap] ignored (unknown binding id or no key): {names}{more}",
                severity="warning",
                timeout=10,
            )
        return unknown

    def action_toggle_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
        else:
            self.push_screen("help")

    def on_key(self, event: events.Key) -> None:
        # Runs before App._on_key's bindings: text typed ahead of a text box's focus ("/paint"
        # in one SSH read reached the list) goes into the box, as if typed slowly.
        if deliver_typed_ahead(self.focused, event):
            event.prevent_default()
            event.stop()

    async def on_unmount(self) -> None:
        # Closing is best effort: the process is ending anyway.
        with contextlib.suppress(Exception):
            await self.client.aclose()
        with contextlib.suppress(Exception):
            self.index.close()
        if self._preview_loader is not None:
            with contextlib.suppress(Exception):
                await self._preview_loader.aclose()

    def _handle_exception(self, error: Exception) -> None:
        # Replaces Textual's crash screen (a traceback with locals: the token could be one).
        if isinstance(error, WorkerFailed):
            # A worker started with exit_on_error=True failed: the console and its data are
            # intact, so say so in a toast and carry on (see containment.py for the rest).
            line = background_line(error.error, "worker")
            self.background_errors.append(line)
            toast(self, line, severity="error")
            return
        if self.fatal_error is None:  # the first error is the cause; later ones follow from it
            self.fatal_error = crash_line(error)
        self._return_code = 1
        if self._exception is None:  # lets run_test re-raise for the test framework
            self._exception = error
            self._exception_event.set()
        self._close_messages_no_wait()

    def panic(self, *renderables: RenderableType) -> None:
        # Textual panics with a traceback when its input thread dies (the terminal went away
        # or broke): one line instead, unless the app is already exiting (a hang-up).
        if self._return_code is None and self.fatal_error is None:
            self.fatal_error = "artistree-tui stopped: reading from the terminal failed"
            self._return_code = 1
        self._close_messages_no_wait()


def _open_index(settings: Settings) -> Index:
    """The order index ``settings`` ask for; a file that cannot be used is set aside or
    replaced by memory, with a notice the screen shows (store/database.py)."""
    from artistree_tui.store.database import Index

    return Index.for_settings(settings)


def run_console(settings: Settings) -> int:
    """Run the console on ``settings``; returns the exit status. Never raises, never traces."""
    try:
        from artistree_tui.connect import build_client

        events = ClientEventRelay()
        client = build_client(settings, on_event=events)
    except Exception as error:  # ConfigError and friends are one line already
        print(
            clean(str(error), limit=300) if _is_config_error(error) else crash_line(error),
            file=sys.stderr,
        )
        return 2
    try:
        app = ConsoleApp(settings, client, client_events=events, prefetch=True)
        # Own event loop, SIGHUP/lost-terminal watchdog, no tracebacks from threads or tasks.
        run_guarded(app)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        print(crash_line(error), file=sys.stderr)
        return 1
    if app.fatal_error:
        print(app.fatal_error, file=sys.stderr)
        return app.return_code or 1
    return app.return_code or 0


def _is_config_error(error: BaseException) -> bool:
    from artistree_tui.config import ConfigError

    return isinstance(error, ConfigError)
