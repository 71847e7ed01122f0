"""The console's one screen: stats bar, project sidebar, order list, detail pane, footer.

The screen composes the panes, routes every message between them (all the handlers are in
this file, so one can see which message goes where) and owns the cross-pane state: the open
scope (a project by name, or All Projects), the project directory, and the pending "open this
project once it can be named" (``--project`` given an id nobody has named yet). What it does on
a message or a key it mostly hands to an object it holds:

- :attr:`MainScreen.live`, a :class:`~artistree_tui.ui.live.refresher.LiveRefresher`: the
  sync's progress on screen, auto-refresh, the connection status, recovery, notifications;
- :attr:`MainScreen.pane_layout`, a :class:`~.layout.PaneLayout`: how the list and the detail
  share the room (``+``, resizes, focus);
- :attr:`MainScreen.order_actions`, :class:`~.order_actions.OrderActions`: ``y``, ``c`` and
  "no order selected";
- :attr:`MainScreen.preview`, a :class:`~artistree_tui.ui.preview.control.PreviewControl`:
  ``v`` and the first preview load;
- :attr:`MainScreen.prefetch`, a :class:`~.prefetch.Prefetch`: once the cursor rests, the
  neighbours' full orders and pictures fetched ahead (the ``prefetch`` setting);
- :attr:`MainScreen.help`, a :class:`~.help_desk.HelpDesk`: the help box over the panes
  (``?``), mounted after the first rows.

The list and the stats bar read the local order index (``index``); the
:class:`~artistree_tui.ui.live.sync.IndexSync` widget the screen composes keeps it current.
Workers run on the screen (project discovery, "go to order id") and post typed messages; the
handlers below update the widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.command import CommandPalette
from textual.containers import Container, Horizontal
from textual.screen import Screen

from artistree_tui import startup
from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.api.projects import ProjectDirectory, ProjectEntry
from artistree_tui.display import safe
from artistree_tui.store import ALL, Scope
from artistree_tui.sync import SyncSettings
from artistree_tui.ui.detail.messages import DetailFailed, DetailLoaded, OrderShown
from artistree_tui.ui.detail.pane import DetailPane
from artistree_tui.ui.keys import keymap
from artistree_tui.ui.keys.footer import ConsoleFooter
from artistree_tui.ui.live import refresher
from artistree_tui.ui.live.messages import (
    ConnectionEvent,
    OrdersChanged,
    OrdersWritten,
    ProjectNamesSeen,
    SyncProgressed,
)
from artistree_tui.ui.live.refresher import LiveRefresher
from artistree_tui.ui.live.status_line import StatusLine
from artistree_tui.ui.live.sync import IndexSync
from artistree_tui.ui.notify import error_line, toast
from artistree_tui.ui.orders.order_list import OrderList
from artistree_tui.ui.orders.pane import OrdersPane
from artistree_tui.ui.preview import keys as preview_keys
from artistree_tui.ui.preview import messages as preview_messages
from artistree_tui.ui.preview.control import PreviewControl
from artistree_tui.ui.projects import discovery
from artistree_tui.ui.projects.close import close_projects
from artistree_tui.ui.projects.messages import DiscoveryDone, ProjectChosen, ProjectsSeen
from artistree_tui.ui.projects.sidebar import ProjectSidebar
from artistree_tui.ui.screen.follow import CursorFollow
from artistree_tui.ui.screen.help_desk import HelpDesk
from artistree_tui.ui.screen.layout import PaneLayout
from artistree_tui.ui.screen.messages import JumpFailed, JumpLoaded
from artistree_tui.ui.screen.order_actions import OrderActions
from artistree_tui.ui.screen.pane_focus import Pane, PaneFocus
from artistree_tui.ui.screen.prefetch import Prefetch
from artistree_tui.ui.stats.bar import StatsBar
from artistree_tui.ui.wire import compositor

if TYPE_CHECKING:
    from artistree_tui.api.client import ArtistreeClient
    from artistree_tui.store.database import Index
    from artistree_tui.store.rows import IdMatches, SortKey
    from artistree_tui.ui.dialogs.help import HelpBox
    from artistree_tui.ui.preview.panel import PreviewPanel


def _looks_like_an_id(text: str) -> bool:
    from artistree_tui.ids import ORDER_ID  # rarely needed at all

    return ORDER_ID.fullmatch(text) is not None


class MainScreen(Screen[None]):
    """Sidebar | order list | detail, with the stats bar on top and the footer below (how
    the list and the detail share the room: see layout.py)."""

    BINDINGS: ClassVar[list[BindingType]] = (
        refresher.BINDINGS + keymap.SCREEN_BINDINGS + preview_keys.SCREEN_BINDINGS
    )

    #: The list has the keyboard from the start: focused as the screen is composed, not after
    #: Textual's first focusable widget (the sidebar), which restyled the panes twice more
    #: before the first frame (focus, then blur and focus: ~10 ms of the start).
    AUTO_FOCUS = "#orders"

    #: Toasts stack up from above the status line, not over it: Textual's rack keeps one
    #: line free (its footer); the status line is a second (at 80×24 a toast hid it).
    DEFAULT_CSS = """
    MainScreen { layers: base help; }
    MainScreen StatsBar.-stale { text-style: dim; }
    MainScreen > #help-box { layer: help; }
    MainScreen > ToastRack { margin-bottom: 2; }
    """

    def __init__(
        self,
        client: ArtistreeClient,
        index: Index,
        *,
        sync: SyncSettings | None = None,
        pinned: dict[str, str] | None = None,
        default_project: str | None = None,
        preview: Callable[[], PreviewPanel] | None = None,
    ) -> None:
        super().__init__(id="main")
        compositor.install(self)  # a frame renders the widgets it changes, not all
        self._preview_panel = preview  # makes the panel for the detail's preview slot
        self.client = client
        self.index = index
        self._sync_settings = sync or SyncSettings()
        self.directory = ProjectDirectory(pinned)
        self.default_project = (default_project or "").strip() or None
        self.scope_name = ALL_PROJECTS
        self.scope_id = ALL_PROJECTS
        self.pending_project: str | None = None  # a project id that no name is known for yet
        self.discovery_state = "idle"  # idle | running | done
        self._locating: str | None = None  # "go to order id": the order to find in the list
        self._started = False  # the first rows were painted (startup.resume)
        self.live = LiveRefresher(self, index.reader())
        self.pane_layout = PaneLayout(self)
        self.pane_focus = PaneFocus(self)
        self.order_actions = OrderActions(self, client)
        self.preview = PreviewControl(self)
        self.prefetch = Prefetch(self, enabled=False)  # the setting is read on mount
        self.follow = CursorFollow(self)
        self.help = HelpDesk(self, area=lambda: self.query_one("#body").region)

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatsBar(id="stats")
        with Horizontal(id="body"):
            yield ProjectSidebar(id="sidebar")
            with Container(id="work"):
                yield OrdersPane(self.index, id="orders-pane")
                detail = DetailPane(
                    self.client.get_order,
                    fetch_ahead=partial(self.client.get_order, ahead=True),
                    id="detail",
                )
                detail.role_for = self.directory.role_for
                # Empty until its first order: the class its on_mount sets, set before it is
                # styled (set on mount, it restyled the whole pane before the first frame).
                detail.add_class("-empty")
                yield detail
        yield StatusLine(id="status-line")
        yield ConsoleFooter(compact=True)
        yield IndexSync(self.client, self.index, self._sync_settings, id="index-sync")
        # The certificate desk is mounted on the first `c` (order_actions.py).
        # Help is mounted once the first rows are painted (the start has no use for it).

    @property
    def sidebar(self) -> ProjectSidebar:
        return self.query_one(ProjectSidebar)

    @property
    def orders(self) -> OrdersPane:
        return self.query_one(OrdersPane)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @property
    def stats(self) -> StatsBar:
        return self.query_one(StatsBar)

    @property
    def status_line(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def sync(self) -> IndexSync:
        return self.query_one(IndexSync)

    def on_mount(self) -> None:
        self.query_one("#sidebar").border_title = "Projects"
        self.orders.border_title = "Orders"
        self.query_one("#detail").border_title = "Detail"
        self.pane_layout.apply()
        settings = getattr(self.app, "settings", None)  # ConsoleApp's (tests may run others)
        self.prefetch.enabled = bool(getattr(settings, "prefetch", False))
        if self._preview_panel is not None:  # in the pane's slot with its first order
            self.detail.hold_preview(self._preview_panel)
        self._learn_index_projects()
        start = self.default_project
        entry = self.directory.lookup(start) if start else None
        if entry is not None:
            self.open_scope(entry.name, entry.project_id)
        elif start and _looks_like_an_id(start):
            # An id nothing has named yet: the index may know its orders by it; discovery
            # names it (then the scope is renamed).
            self.open_scope(start, start)
            self.pending_project = start
            self.call_after_refresh(self._start_discovery)
        else:
            # All Projects meanwhile; a name opens once the first page lists the projects.
            self.open_scope(ALL_PROJECTS, ALL_PROJECTS)
            self.pending_project = start
        self.pane_focus.focus("list")
        self.orders.order_list.moved.subscribe(self, self.follow.moved, immediate=True)
        self.live.start()
        if self.orders.loaded_count:
            self.call_after_refresh(self._first_rows)  # painted from the index

    def on_unmount(self) -> None:
        self.live.stop()

    def paint_now(self) -> bool:
        """Make the frame of what changed so far now (a key's frame: ui/wire/compositor.py)."""
        return compositor.paint_now(self)

    def on_resize(self, event: events.Resize) -> None:
        self.pane_layout.apply()
        self.help.place()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Only a short stacked layout depends on the focus; elsewhere nothing changes.
        self.pane_layout.apply()

    # -- help (ui/screen/help_desk.py: the box over the panes) --------------------------

    @property
    def help_box(self) -> HelpBox:
        return self.help.box

    @property
    def help_shown(self) -> bool:
        return self.help.shown

    def open_help(self) -> None:
        self.help.open()

    def close_help(self) -> None:
        self.help.close()

    async def help_key(self, key: str) -> None:
        await self.help.key(key)

    # -- scope ---------------------------------------------------------------------------

    def open_scope(self, name: str, project_id: str | None) -> None:
        """Show the orders of one project (or All Projects) and follow it in the stats bar.
        A project is shown by name (the index knows its orders by their project's name);
        ``project_id`` is only needed when no name is known for it yet."""
        self.pending_project = None
        self.scope_name = name
        self.scope_id = project_id or name
        self.stats.scope = name
        self.orders.border_title = safe(name, limit=60)
        self.orders.show_scope(self.scope)
        self._follow_open_scope()
        self.live.show_counts()
        self._redraw_sidebar()

    def _follow_open_scope(self) -> None:
        """The sync reads the open project's own head with All Projects', once the API's id
        for it is known (a project opened by name alone is a view of the index until then)."""
        entry = self.directory.lookup(self.scope_name)
        project_id = entry.project_id if entry is not None else None
        if project_id is None and _looks_like_an_id(self.scope_id):
            project_id = self.scope_id
        if project_id is None or project_id == ALL_PROJECTS:
            self.sync.follow_scope(ALL)
        else:
            self.sync.follow_scope(Scope.project(project_id, self.scope.name))

    @property
    def scope(self) -> Scope:
        """The open scope as the index knows it: a project by the name its orders carry (the
        API's name for its id, or the name chosen), else by its id alone (the index names it
        once a full order of it has been read)."""
        if self.scope_id == ALL_PROJECTS:
            return ALL
        name = self.directory.seen_name_for(self.scope_id)
        if name is None and self.directory.listed(self.scope_name):
            name = self.scope_name
        return Scope.project(self.scope_id, name)

    def _learn_index_projects(self) -> None:
        """Project names and ids the index learnt in earlier runs (before any answer)."""
        reader = self.index.reader()
        try:
            projects = reader.projects()
        except Exception:  # the index failed: its notice says why
            return
        finally:
            reader.close()
        self.directory.observe_known(projects)

    def _redraw_sidebar(self) -> None:
        self.sidebar.set_entries(
            self.directory.entries(),
            current=self.scope_name,
            searching=self.discovery_state != "done",
        )
        self.pane_layout.apply()  # its width follows the names

    def _directory_changed(self) -> None:
        """Names or ids were learnt: name an id-only scope, open a pending project, show the
        open project by its name once it is known."""
        if self.scope_name == self.scope_id:
            name = self.directory.name_for(self.scope_id)
            if name and name != self.scope_name:
                self.open_scope(name, self.scope_id)
        if self.orders.scope != self.scope:
            self.orders.show_scope(self.scope, keep_cursor=True)  # the same project, renamed
        pending = self.pending_project
        if pending is not None:
            entry = self.directory.lookup(pending)
            if entry is not None and (entry.name != pending or entry.project_id != pending):
                self.open_scope(entry.name, entry.project_id)
        self._follow_open_scope()  # its id may be known now
        self._redraw_sidebar()

    def _pending_not_found(self) -> None:
        """The project asked for (``--project``) is not among those the API lists: say so,
        with the names that come close."""
        pending = self.pending_project
        if pending is None:
            return
        self.pending_project = None
        close = close_projects(pending, (e.name for e in self.directory.entries()))
        hint = f" Close: {', '.join(close)}." if close else ""
        toast(self.app, f"Project “{pending}” was not found.{hint}", severity="warning")

    # -- palette API (see keys.palette.ConsoleActions) -------------------------------------

    def project_entries(self) -> list[ProjectEntry]:
        return self.directory.entries()

    def open_project(self, name: str) -> None:
        entry = self.directory.lookup(name)
        self.post_message(ProjectChosen(name, entry.project_id if entry else None))

    def go_to_order(self, order_id: str) -> None:
        self._jump(order_id.strip())

    def set_state_filter(self, state: str | None) -> None:
        """The palette's "State: …": the list shows only ``state`` (None: every state)."""
        self.orders.set_state_filter(state)
        self.pane_focus.focus("list")

    def sort_orders(self, key: SortKey, descending: bool) -> None:
        """The palette's "Sort: …", handed to the list."""
        self.orders.set_sort(key, descending)
        self.pane_focus.focus("list")

    # -- workers -------------------------------------------------------------------------

    def _start_discovery(self) -> None:
        directory = self.directory
        if self.discovery_state == "idle" and (
            not directory.complete or directory.ids_without_role()
        ):
            self.discovery_state = "running"
            if self.pending_project is not None:
                self.stats.status = "looking up project ids…"
            self._discover()

    @work(exclusive=True, group="discovery", exit_on_error=False)
    async def _discover(self) -> None:
        """Walk full pages of All Projects until every project name has an id (it posts
        ProjectsSeen per page, then DiscoveryDone); its full pages go into the index too."""
        await discovery.discover(self.client, self.directory, self.post_message)

    @work(exclusive=True, group="jump", exit_on_error=False)
    async def _jump(self, order_id: str) -> None:
        try:
            order = await self.client.get_order(order_id)
        except Exception as error:
            self.post_message(JumpFailed(order_id, error_line(error)))
            return
        self.post_message(JumpLoaded(order))

    # -- message handlers: the sync ------------------------------------------------------

    @on(SyncProgressed)
    def _sync_progressed(self, message: SyncProgressed) -> None:
        progress = message.progress
        self.live.progressed(progress)
        if not self._started and (self.orders.loaded_count or progress.phase != "starting"):
            self.call_after_refresh(self._first_rows)
        if progress.complete and self.discovery_state == "idle":
            # Roles and ids of the projects, and full rows for the newest orders: after the
            # first sweep, so it never competes with it.
            self._start_discovery()

    def _first_rows(self) -> None:
        if not self._started:
            self._started = True
            startup.resume()  # the start is over (see startup.py)
            self.call_after_refresh(self.help.mount)  # help is ready before the first ?

    @on(OrdersChanged)
    def _orders_changed(self, message: OrdersChanged) -> None:
        self.live.changed(message.changes)

    @on(OrdersWritten)
    def _orders_written(self, message: OrdersWritten) -> None:
        self.orders.index_changed(soon=True)  # the "…" columns fill in
        self.live.show_counts()  # a project the index could not name before, say
        locating = self._locating
        if locating is not None and locating in message.order_ids:
            self.orders.select_order_id(locating)

    @on(ProjectNamesSeen)
    def _project_names_seen(self, message: ProjectNamesSeen) -> None:
        if self.directory.observe_names(message.names):
            self._directory_changed()
        pending = self.pending_project
        named = pending is not None and not _looks_like_an_id(pending)
        if named and pending is not None and self.directory.lookup(pending) is None:
            self._pending_not_found()  # a name: the API has just listed them all

    @on(OrderList.StatusChanged)
    def _list_status(self, message: OrderList.StatusChanged) -> None:
        self.sync.release_held(self.orders.order_list.query_shown)  # another view now
        self.live.list_changed()

    # -- message handlers: the list ------------------------------------------------------

    @on(OrderList.Highlighted)
    def _order_highlighted(self, message: OrderList.Highlighted) -> None:
        self.follow.highlighted(message.order)  # the detail and the preview: ui/screen/follow.py

    @on(OrderList.Opened)
    def _order_opened(self, message: OrderList.Opened) -> None:
        if message.order is not None:
            self.detail.show(message.order)
        self.pane_focus.focus("detail")

    @on(OrdersPane.RetryRequested)
    def _retry_requested(self, message: OrdersPane.RetryRequested) -> None:
        self.live.refresh_now()

    @on(OrderList.WatermarkMoved)
    def _watermark_moved(self, message: OrderList.WatermarkMoved) -> None:
        self.sync.keep_watermark(message.scope, message.at, message.replace)

    @on(OrderList.Located)
    def _order_located(self, message: OrderList.Located) -> None:
        if message.order_id != self._locating:
            return
        self._locating = None
        if message.found:
            self.pane_focus.focus("list")
        else:
            toast(self.app, f"Order {message.order_id} is not in this list; showing it here.")
            self.pane_focus.focus("detail")

    # -- message handlers: connection ----------------------------------------------------

    @on(ConnectionEvent)
    def _connection_event(self, message: ConnectionEvent) -> None:
        if self.live.connection_event(message.event):  # an outage ended
            self.detail.retry_failed()  # a failure shown meanwhile is asked again

    # -- message handlers: detail, preview, projects, "go to order id" -------------------

    @on(DetailLoaded)
    def _detail_loaded(self, message: DetailLoaded) -> None:
        if self.directory.observe_order(message.order):
            self._directory_changed()
        shown = self.orders.order_list.query_shown  # a sorted list it must not move
        self.sync.order_read(message.order, sorted_by=shown.sort, view=shown)
        if message.prefetched:
            self.prefetch.order_fetched(message.order)  # its picture next

    @on(DetailFailed)
    def _detail_failed(self, message: DetailFailed) -> None:
        if message.not_found:
            self.sync.mark_gone(message.order_id, message.asked_at)  # shown as removed at once
        if message.prefetched:
            self.prefetch.order_failed(message.order_id)  # the next neighbour

    @on(OrderShown)
    def _order_shown(self, message: OrderShown) -> None:
        if message.complete:
            self.prefetch.check()  # the cursor may rest on a drawn order now

    @on(preview_messages.StatusChanged)
    def _preview_status(self, message: preview_messages.StatusChanged) -> None:
        self.prefetch.check()

    @on(preview_messages.Preloaded)
    def _preview_preloaded(self, message: preview_messages.Preloaded) -> None:
        self.prefetch.picture_done(message.order_id)

    @on(preview_messages.UrlExpired)
    def _preview_expired(self, message: preview_messages.UrlExpired) -> None:
        # The fresh order carries a fresh presigned URL; the panel follows the pane.
        self.detail.refetch(message.order_id)

    @on(ProjectsSeen)
    def _projects_seen(self, message: ProjectsSeen) -> None:
        names_changed = self.directory.observe_names(message.names)
        if self.directory.observe_projects(message.projects) or names_changed:
            self._directory_changed()
        if message.page is not None:
            self.sync.write_page(message.page)

    @on(DiscoveryDone)
    def _discovery_done(self, message: DiscoveryDone) -> None:
        self.discovery_state = "done"
        self.stats.status = ""
        if message.error and self.pending_project is not None:
            toast(self.app, f"Could not look up project ids: {message.error}", severity="warning")
        pending = self.pending_project
        if pending is not None and self.directory.name_for(pending) is None:
            self._pending_not_found()
        self._redraw_sidebar()

    @on(ProjectChosen)
    def _project_chosen(self, message: ProjectChosen) -> None:
        # A project opens by its name: the index knows its orders by it.
        self.open_scope(message.name, message.project_id)
        self.pane_focus.focus("list")

    @on(JumpLoaded)
    def _jump_loaded(self, message: JumpLoaded) -> None:
        order = message.order
        if self.directory.observe_order(order):
            self._directory_changed()
        self.detail.show_full(order)
        # Into the index first (it may be older than the sync has got): then find it.
        self._locating = order.order_id
        self.sync.write_orders([order])

    @on(JumpFailed)
    def _jump_failed(self, message: JumpFailed) -> None:
        toast(
            self.app, f"Could not open order {message.order_id}: {message.error}", severity="error"
        )

    # -- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # v: one of its two bindings applies, depending on whether there is a preview panel
        # (held by the detail pane until its first order, or on the screen).
        if action == "toggle_preview":
            return self._has_preview()
        if action == "preview_unavailable":
            return not self._has_preview()
        return super().check_action(action, parameters)

    def _has_preview(self) -> bool:
        return self._preview_panel is not None or self.preview.panel is not None

    def action_refresh(self) -> None:
        self.sync.release_held()  # the scores read meanwhile take their places in the sort
        self.live.refresh_now()  # the sync's head now: nothing on screen is lost
        self.detail.reload()

    def action_toggle_live(self) -> None:
        self.live.toggle_auto()

    def action_cycle_layout(self) -> None:
        self.pane_layout.cycle()

    def action_copy_id(self) -> None:
        self.order_actions.copy_id()

    def action_certificate(self) -> None:
        self.order_actions.certificate()

    def action_export(self) -> None:
        """``e`` and "Export view…": every order of the current view to a CSV or JSON file."""
        from artistree_tui.ui.dialogs.export_desk import ExportDesk

        ExportDesk.of(self, self.index).request(self.orders.view_spec, self.scope_name)

    def action_toggle_preview(self) -> None:
        self.detail.build_sections()  # the panel is in the pane's slot from now on
        self.preview.toggle()
        self.detail.layout_changed()  # the text takes the preview's room, or gives it back

    def action_preview_unavailable(self) -> None:
        self.preview.say_off()

    def action_go_to_project(self) -> None:
        from artistree_tui.ui.keys.palette import ProjectPicker  # the first frame has none

        self.app.push_screen(
            CommandPalette(providers=[ProjectPicker], placeholder="Go to project…")
        )

    def action_go_to_order(self) -> None:
        from artistree_tui.ui.dialogs.order_id import OrderIdPrompt  # the first frame has none

        def chosen(order_id: str | None) -> None:
            if order_id:
                self.go_to_order(order_id)

        self.app.push_screen(OrderIdPrompt(self._ids_starting), chosen)

    def _ids_starting(self, prefix: str) -> IdMatches:
        """The indexed orders whose id starts with ``prefix`` (the prompt's short ids): one
        short query on the id's unique index, fine on the UI thread."""
        reader = self.index.reader()
        try:
            return reader.ids_starting(prefix)
        finally:
            reader.close()

    def action_focus_pane(self, pane: Pane) -> None:
        if pane == "sidebar" and not self.pane_layout.sidebar_shown:
            self.pane_layout.toggle_sidebar()  # 1 brings a hidden sidebar back
        self.pane_focus.focus(pane)

    def action_cycle_pane(self, step: int) -> None:
        self.pane_focus.go_round(step)

    def action_pane_step(self, step: int) -> None:
        """``h``/``l`` (and the arrows where the focused widget leaves them free): the pane
        to the left or right, in screen order (projects, orders, detail), without wrapping
        around as ``tab`` does."""
        self.pane_focus.step(step)

    def action_open_filter(self) -> None:
        """``/`` from any pane: the order list's filter box."""
        self.orders.open_filter()

    def action_follow_action(self) -> None:
        """``!``: the first order of the last Action Required notification: highlighted in
        the list when it is there, else opened by its id in the detail pane."""
        orders = self.live.action_orders
        if not orders:
            toast(self.app, "No order has entered Action Required since the console started.")
            return
        self.go_to_order(orders[0])  # into the list if it shows it, else the detail alone

    def action_dismiss_notifications(self) -> None:
        """``ctrl+l``: the notifications on screen go (they may cover the detail)."""
        self.app.clear_notifications()

    def action_toggle_sidebar(self) -> None:
        self.pane_layout.toggle_sidebar()
        if not self.pane_layout.sidebar_shown and self.pane_focus.current() == "sidebar":
            self.pane_focus.focus("list")
