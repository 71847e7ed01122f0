"""The console application: composes the main screen, applies settings, contains failures.

:func:`run_console` is where the launcher (artistree_tui/launch.py) hands over: with the API
client it built and the loop its first requests run on, it runs :class:`ConsoleApp`, and
turns *any* failure into one sanitized line on stderr and a non-zero exit status: Textual's
default crash screen prints a traceback with local variables (the bearer token among them), so
:meth:`ConsoleApp._handle_exception` replaces it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.console import RenderableType
from textual import events
from textual.app import App, InvalidThemeError, SystemCommand
from textual.binding import BindingType
from textual.driver import Driver
from textual.filter import LineFilter
from textual.screen import Screen
from textual.worker import WorkerFailed

from artistree_tui import startup
from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.display import clean
from artistree_tui.memory import release_freed, tune_allocator
from artistree_tui.ui.keys import direct, keymap
from artistree_tui.ui.live.connection import ClientEventRelay
from artistree_tui.ui.live.containment import background_line, crash_line, run_guarded
from artistree_tui.ui.notify import toast
from artistree_tui.ui.orders.type_ahead import deliver_typed_ahead
from artistree_tui.ui.screen.main import MainScreen
from artistree_tui.ui.timers import once
from artistree_tui.ui.wire.driver import wire_driver
from artistree_tui.ui.wire.truecolor import QuickTruecolor, quick_filters

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.screen import Screen

    from artistree_tui.api.client import ArtistreeClient
    from artistree_tui.config import Settings
    from artistree_tui.preview.loader import PreviewLoader
    from artistree_tui.store.database import Index
    from artistree_tui.sync import SyncSettings
    from artistree_tui.ui.preview.panel import PreviewPanel

FALLBACK_THEME = "textual-dark"
#: Seconds between two returns of freed memory to the system (see artistree_tui/memory.py).
TRIM_EVERY = 10.0


__all__ = ["ConsoleApp", "crash_line", "run_console"]


def _help_screen() -> Screen[None]:
    # Imported on first use: the first frame has no help (nor palette, below).
    from artistree_tui.ui.dialogs.help import HelpScreen

    return HelpScreen()


def _console_commands() -> type[Provider]:
    from artistree_tui.ui.keys.palette import ConsoleCommands

    return ConsoleCommands


class LoaderOnFirstUse:
    """The preview loader of ``settings``, built (and the image pipeline and httpx imported)
    when the panel first uses it: the first frame draws no picture. Stands in for a
    :class:`~artistree_tui.preview.loader.PreviewLoader`."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self.built: PreviewLoader | None = None

    def _loader(self) -> PreviewLoader:
        if self.built is None:
            from artistree_tui.preview.loader import build_preview_loader

            settings = self._settings
            self.built = build_preview_loader(
                base_url=settings.base_url,
                cache_dir=settings.cache_dir,
                cache_mb=settings.image_cache_mb,
                decoded_bytes=settings.memory_budget.decoded,
                rendered_bytes=settings.memory_budget.rendered,
            )
        return self.built

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader(), name)

    async def aclose(self) -> None:
        if self.built is not None:
            await self.built.aclose()


class ConsoleApp(App[None]):
    """The review console. Owns the API client and closes it when the app ends."""

    CSS_PATH = "console.tcss"
    TITLE = "Artistree review console"
    COMMANDS: ClassVar = App.COMMANDS | {_console_commands}
    SCREENS: ClassVar = {"help": _help_screen}
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
        tune_memory: bool = False,
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
        #: Fix the allocator's mmap threshold after the first frame (run_console; memory.py).
        self._tune_memory = tune_memory
        self._keymap_set = False  # has apply_keymap set a non-empty keymap?
        #: The ``on_event`` the client was built with: the screen binds it for its status line.
        self.client_events = client_events
        #: One line describing why the app stopped, when it stopped on an unexpected error.
        self.fatal_error: str | None = None
        #: One line per error that did not stop the app (a failed worker, thread or task).
        self.background_errors: list[str] = []
        self._theme_error: str | None = None
        self._preview_loader: LoaderOnFirstUse | None = None
        self._quick_truecolor: QuickTruecolor | None = None
        try:
            self.theme = settings.theme
        except InvalidThemeError:
            self.theme = FALLBACK_THEME
            self._theme_error = clean(settings.theme, limit=60)

    def get_driver_class(self) -> type[Driver]:
        # Every frame is made smaller before it is written (ui/wire: over SSH, every byte
        # crosses the network); tests run headless, with Textual's own driver.
        return wire_driver(super().get_driver_class())

    def get_line_filters(self) -> Sequence[LineFilter]:
        # Textual's truecolor filter, without rebuilding the lines it leaves as they are
        # (ui/wire/truecolor.py: a preview's new frame is thousands of segments).
        filters, self._quick_truecolor = quick_filters(
            super().get_line_filters(), self._quick_truecolor
        )
        return filters

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

    def _build_preview(self) -> Callable[[], PreviewPanel] | None:
        """What makes the preview panel for the detail pane's slot, when the pane builds it
        with its first order (None when ``preview = "off"``): the panel's module, its
        canvas and Textual's ``DataTable`` are imported then, after the first frame."""
        settings = self.settings
        if settings.preview == "off":
            return None
        self._preview_loader = LoaderOnFirstUse(settings)
        loader = cast("PreviewLoader", self._preview_loader)

        def make() -> PreviewPanel:
            from artistree_tui.ui.preview.panel import PreviewPanel

            return PreviewPanel(loader, renderer=settings.preview)

        return make

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
        self.call_after_refresh(self.bound_memory)
        if self._tune_memory:  # before any picture is decoded; the first frame needs none
            self.call_after_refresh(tune_allocator)
        # Freed memory the heaps keep goes back to the system now and then (memory.py), in
        # a thread: a trim walks the heaps (a few ms).
        self.set_interval(TRIM_EVERY, self._release_freed)
        self.call_after_refresh(self._let_the_network_in)
        if startup.paused():  # normally the first page resumes it (see startup.py)
            once(self, startup.RESUME_AFTER, startup.resume)
            once(self, startup.SETTLE_AFTER, startup.settle)  # then freezes the start

    def _release_freed(self) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is closing
            asyncio.get_running_loop().run_in_executor(None, release_freed)

    def bound_memory(self) -> None:
        """Give the detail's full orders their share of ``memory_cache_mb`` (the preview's
        caches got theirs when the loader was built; the list holds a window of the index)."""
        budget = self.settings.memory_budget
        with contextlib.suppress(Exception):  # a screen without these panes (tests)
            self.main_screen.detail.cache.max_bytes = budget.orders

    def _let_the_network_in(self) -> None:
        """A start from the index defers the network until the first frame is painted
        (launch.py): its client is a DeferredClient, connected now."""
        connect = getattr(self.client, "connect", None)
        if connect is not None:
            if startup.tracing():
                startup.mark("network-let-in", modules=sorted(sys.modules))
            connect()

    def apply_keymap(self, user_keymap: dict[str, str]) -> list[str]:
        """Apply ``[keymap]``; unknown binding ids and invalid key names give one warning (the
        defaults stay bound). Returns the entries ignored."""
        if not user_keymap and not self._keymap_set:
            # Nothing to apply, and set_keymap would refresh every binding, which rebuilds the
            # footer (~40M instructions, at startup).
            return []
        from artistree_tui.ui.dialogs.certificate import CertificateChoice
        from artistree_tui.ui.dialogs.export import ConfirmOverwrite, ExportDialog
        from artistree_tui.ui.dialogs.help import HelpScreen
        from artistree_tui.ui.dialogs.order_id import OrderIdPrompt
        from artistree_tui.ui.orders.pane import FilterInput

        nodes = list(self.screen.walk_children(with_self=True))
        screens = {HelpScreen, OrderIdPrompt, CertificateChoice, ExportDialog, ConfirmOverwrite}
        later = {FilterInput}  # mounted after the first frame (the keymap may come first)
        known = keymap.binding_ids({type(self), *screens, *later, *map(type, nodes)})
        usable, unknown = keymap.split_keymap(user_keymap, known)
        self.set_keymap(usable)
        self._keymap_set = bool(usable)
        if unknown:
            names = ", ".join(clean(u, limit=60) for u in unknown[:5])
            more = f" (+{len(unknown) - 5} more)" if len(unknown) > 5 else ""
            toast(
                self,
                f"[keymap] ignored (unknown binding id, invalid or no key): {names}{more}",
                severity="warning",
                timeout=10,
            )
        return unknown

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Textual's "Keys" opens a panel that esc does not close (and that lists Textual's
        # words): "Keys" here is this console's help, which ?, esc and q close.
        for command in super().get_system_commands(screen):
            if command.title == "Keys":
                yield SystemCommand(
                    "Keys",
                    "Show the keys of the focused pane, with their binding ids",
                    self.action_toggle_help,
                )
            else:
                yield command

    def action_toggle_help(self) -> None:
        from artistree_tui.ui.dialogs.help import HelpScreen

        screen = self.screen
        if isinstance(screen, HelpScreen):
            screen.dismiss(None)
        elif isinstance(screen, MainScreen):  # a box over the panes, not a screen
            if screen.help_shown:
                screen.close_help()
            else:
                screen.open_help()
        else:
            self.push_screen("help")

    async def on_event(self, event: events.Event) -> None:
        # Help open over the main screen (a box, not a screen): every key goes to it, before
        # the focused pane sees it; only the priority keys (ctrl+p, ctrl+q) keep working.
        if isinstance(event, events.Key) and not event.is_forwarded:
            if await self._help_key(event):
                return
            # Not round the focused widget's ancestors when none of them acts on the key.
            if await direct.run_directly(self, event):
                return
        await super().on_event(event)

    async def on_key(self, event: events.Key) -> None:
        # Runs before App._on_key's bindings: text typed ahead of a text box's focus ("/paint"
        # in one SSH read reached the list) goes into the box, as if typed slowly; keys typed
        # ahead of help ("?jj": routed to the list before "?" opened it) go to help.
        if deliver_typed_ahead(self.focused, event) or await self._help_key(event, later=True):
            event.prevent_default()
            event.stop()

    async def _help_key(self, event: events.Key, *, later: bool = False) -> bool:
        """Help is open over the main screen: give it ``event`` (True), unless the key is a
        priority key (ctrl+p, ctrl+q), which keeps working. ``later``: once help has been
        laid out (a key typed ahead of it, handled as help opens: it would scroll nothing)."""
        screen = self.screen
        if not (isinstance(screen, MainScreen) and screen.help_shown):
            return False
        priority = any(
            binding.priority
            for _node, bindings in screen._binding_chain
            for binding in bindings.key_to_bindings.get(event.key, ())
        )
        if priority:
            return False
        if later:
            screen.call_after_refresh(screen.help_key, event.key)  # in order: callbacks queue
        else:
            await screen.help_key(event.key)
        return True

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


def run_console(
    settings: Settings,
    *,
    client: ArtistreeClient | None = None,
    events: ClientEventRelay | None = None,
    runner: asyncio.Runner | None = None,
) -> int:
    """Run the console on ``settings``; returns the exit status. Never raises, never traces.

    ``client`` (with the ``events`` relay it was built with) and ``runner``: what the
    launcher (artistree_tui/launch.py) built before Textual was imported, with the first
    requests already on their way on the runner's loop. Without them, they are made here.
    """
    prefetch = client is None  # the launcher has started the first requests itself
    if client is None:
        try:
            from artistree_tui.config.folders import prepare_folders
            from artistree_tui.connect import build_client

            prepare_folders(settings)  # folders others could swap: refused before any use
            events = ClientEventRelay()
            client = build_client(settings, on_event=events)
        except Exception as error:  # ConfigError and friends are one line already
            print(
                clean(str(error), limit=300) if _is_config_error(error) else crash_line(error),
                file=sys.stderr,
            )
            return 2
    private_textual_log()
    try:
        # tune_memory: big freed buffers go back to the system (memory.py).
        app = ConsoleApp(
            settings, client, client_events=events, prefetch=prefetch, tune_memory=True
        )
        # SIGHUP/lost-terminal watchdog, no tracebacks from threads or tasks.
        run_guarded(app, runner)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        print(crash_line(error), file=sys.stderr)
        return 1
    if app.fatal_error:
        print(app.fatal_error, file=sys.stderr)
        return app.return_code or 1
    return app.return_code or 0


def private_textual_log() -> None:
    """``TEXTUAL_LOG`` names a file Textual appends its debug log to, opened with the umask's
    mode (0644): create it 0600 first, since what the console does is nobody else's business
    (no secret or presigned URL goes there, see api/redact.py, but order data does)."""
    path = os.environ.get("TEXTUAL_LOG")
    if not path:
        return
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
    with contextlib.suppress(OSError):
        os.close(os.open(path, flags, 0o600))


def _is_config_error(error: BaseException) -> bool:
    from artistree_tui.config import ConfigError

    return isinstance(error, ConfigError)
