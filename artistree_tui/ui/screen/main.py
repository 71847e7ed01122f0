"""The console's one screen: stats bar, project sidebar, order list, detail pane, footer.

The screen composes the panes, routes every message between them (all the handlers are in
this file, so one can see which message goes where) and owns the cross-pane state: the open
scope (project name and id), the project directory, and the pending "open this project once
its id is known". What it does on a message or a key it mostly hands to an object it holds:

- :attr:`MainScreen.live`, a :class:`~artistree_tui.ui.live.refresher.LiveRefresher`:
  auto-refresh, the connection status, recovery, the new/changed marks;
- :attr:`MainScreen.pane_layout`, a :class:`~.layout.PaneLayout`: how the list and the detail
  share the room (``+``, resizes, focus);
- :attr:`MainScreen.order_actions`, :class:`~.order_actions.OrderActions`: ``y``, ``c`` and
  "no order selected";
- :attr:`MainScreen.preview`, a :class:`~artistree_tui.ui.preview.control.PreviewControl`:
  ``v`` and the first preview load.

Workers run on the screen (project discovery, "go to order id", the live refresh) and post
typed messages; the handlers below update the widgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.command import CommandPalette
from textual.containers import Container, Horizontal
from textual.screen import Screen
from textual.widget import Widget

from artistree_tui import startup
from artistree_tui.api.models import ALL_PROJECTS, OrdersPage
from artistree_tui.api.projects import ProjectDirectory, ProjectEntry
from artistree_tui.display import safe
from artistree_tui.ui.detail.messages import DetailLoaded
from artistree_tui.ui.detail.pane import DetailPane
from artistree_tui.ui.keys import keymap
from artistree_tui.ui.keys.footer import ConsoleFooter
from artistree_tui.ui.live import refresher
from artistree_tui.ui.live.messages import ConnectionEvent, LiveRefreshed, LiveRefreshFailed
from artistree_tui.ui.live.refresher import LiveRefresher
from artistree_tui.ui.live.status_line import StatusLine
from artistree_tui.ui.notify import error_line, toast
from artistree_tui.ui.orders.messages import LoadFailed, PageLoaded
from artistree_tui.ui.orders.order_list import OrderList
from artistree_tui.ui.orders.pane import OrdersPane
from artistree_tui.ui.preview import keys as preview_keys
from artistree_tui.ui.preview.control import PreviewControl
from artistree_tui.ui.preview.panel import PreviewPanel
from artistree_tui.ui.projects import discovery
from artistree_tui.ui.projects.close import close_projects
from artistree_tui.ui.projects.messages import DiscoveryDone, ProjectChosen, ProjectsSeen
from artistree_tui.ui.projects.sidebar import ProjectSidebar
from artistree_tui.ui.screen.layout import PaneLayout
from artistree_tui.ui.screen.messages import JumpFailed, JumpLoaded
from artistree_tui.ui.screen.order_actions import OrderActions
from artistree_tui.ui.stats.bar import StatsBar

if TYPE_CHECKING:
    from artistree_tui.api.client import ArtistreeClient
    from artistree_tui.ui.dialogs.help import HelpBox

PANES = ("sidebar", "list", "detail")


def _looks_like_an_id(text: str) -> bool:
    from artistree_tui.ui.dialogs.order_id import ORDER_ID_RE  # rarely needed at all

    return ORDER_ID_RE.fullmatch(text) is not None


class MainScreen(Screen[None]):
    """Sidebar | order list | detail, with the stats bar on top and the footer below (how
    the list and the detail share the room: see layout.py)."""

    BINDINGS: ClassVar[list[BindingType]] = (
        refresher.BINDINGS + keymap.SCREEN_BINDINGS + preview_keys.SCREEN_BINDINGS
    )

    DEFAULT_CSS = """
    MainScreen { layers: base help; }
    MainScreen StatsBar.-stale { text-style: dim; }
    MainScreen > #help-box { layer: help; }
    """

    def __init__(
        self,
        client: ArtistreeClient,
        *,
        page_size: int = 200,
        pinned: dict[str, str] | None = None,
        default_project: str | None = None,
        preview: PreviewPanel | None = None,
    ) -> None:
        super().__init__(id="main")
        self._preview_panel = preview
        self.client = client
        self.page_size = page_size
        self.directory = ProjectDirectory(pinned)
        self.default_project = (default_project or "").strip() or None
        self.scope_name = ALL_PROJECTS
        self.scope_id = ALL_PROJECTS
        self.pending_project: str | None = None  # a chosen name whose id is not known yet
        self.discovery_state = "idle"  # idle | running | done
        self.live = LiveRefresher(self, client, page_size=page_size)
        self.pane_layout = PaneLayout(self)
        self.order_actions = OrderActions(self, client)
        self.preview = PreviewControl(self)

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatsBar(id="stats")
        with Horizontal(id="body"):
            yield ProjectSidebar(id="sidebar")
            with Container(id="work"):
                yield OrdersPane(self._fetch_page, page_size=self.page_size, id="orders-pane")
                detail = DetailPane(self.client.get_order, id="detail")
                detail.role_for = self.directory.role_for
                yield detail
        yield StatusLine(id="status-line")
        yield ConsoleFooter(compact=True)
        # The certificate desk is mounted on the first `c` (order_actions.py).
        # Help is mounted after the first frame (it is not in it): see _mount_help.

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

    def on_mount(self) -> None:
        self.query_one("#sidebar").border_title = "Projects"
        self.orders.border_title = "Orders"
        self.query_one("#detail").border_title = "Detail"
        self.pane_layout.apply()
        self.call_after_refresh(self._mount_help)
        if self._preview_panel is not None:
            self.detail.preview_slot.mount(self._preview_panel)
        start = self.default_project
        entry = self.directory.lookup(start) if start else None
        if start and entry is None and _looks_like_an_id(start):
            entry = ProjectEntry(start, start)  # an id we cannot name yet: open it as it is
        if entry is not None and entry.project_id is not None:
            self.open_scope(entry.name, entry.project_id)
        else:
            # All Projects meanwhile; the named project opens as soon as its id is known.
            self.open_scope(ALL_PROJECTS, ALL_PROJECTS)
            if start:
                self.pending_project = start
                self._start_discovery()
        self._focus_pane("list")
        self.live.start()

    def on_unmount(self) -> None:
        self.live.stop()

    def on_resize(self, event: events.Resize) -> None:
        self.pane_layout.apply()
        self._place_help()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Only a short stacked layout depends on the focus; elsewhere nothing changes.
        self.pane_layout.apply()

    # -- help ----------------------------------------------------------------------------

    @property
    def help_box(self) -> HelpBox:
        """The help box, in a layer above the panes (see ui/dialogs/help.py), hidden until
        ``?``; mounted (and its module imported) on first use, normally just after the first
        frame (:meth:`_mount_help`), which does not need it."""
        found = self.query("#help-box")
        if found:
            return cast("HelpBox", found.first())
        from artistree_tui.ui.dialogs.help import HelpBox

        box = HelpBox(id="help-box")
        box.on_close = self.close_help
        box.styles.offset = (0, -999)  # above the screen until placed: never a stray frame of it
        self.mount(box)
        return box

    def _mount_help(self) -> None:
        self.help_box  # noqa: B018 (mounts it)
        self.call_after_refresh(self._place_help)

    @property
    def help_shown(self) -> bool:
        found = self.query("#help-box")
        return bool(found) and found.first().has_class("-open")

    def open_help(self) -> None:
        """``?``: the keys where the focus is, in a box over the panes (not a screen: see
        ui/dialogs/help.py). The focus stays where it is (moving it would restyle the pane it
        leaves: a repaint of every cell of it); while the box is open the app hands it every
        key (:meth:`help_key`).

        The box is always laid out, above the top of the screen while closed: the keys are
        laid out there first, and it moves into view a frame later, so the terminal gets its
        cells once (a box shown and sized in the same frame is painted twice by Textual)."""
        box = self.help_box
        if not box.is_mounted:  # ? before the box was mounted: once it is
            self.call_after_refresh(self.open_help)
            return
        box.describe(self)
        box.add_class("-open")
        self._place_help(shown=False)
        self.call_after_refresh(self._place_help)

    def close_help(self) -> None:
        self.help_box.remove_class("-open")
        self._place_help()

    async def help_key(self, key: str) -> None:
        """A key pressed while help is open: the box's own keys work (close, scroll), every
        other key is dropped, so nothing behind the box acts on it."""
        box = self.help_box
        for binding in box.own_bindings().key_to_bindings.get(key, ()):
            if await self.app.run_action(binding.action, box):
                return

    def _place_help(self, *, shown: bool = True) -> None:
        # Centred when open (the box is laid out on its own layer from the screen's top left
        # corner), else just above the screen, where nothing of it is drawn.
        found = self.query("#help-box")
        if not found:
            return  # not mounted yet: placed when it is
        box = cast("HelpBox", found.first())
        size = self.app.size
        box.fit_height()
        from artistree_tui.ui.dialogs.help import HELP_WIDTH

        width = min(HELP_WIDTH, size.width * 95 // 100)
        height = min(size.height, box.body_height + 4)
        box.styles.width = width
        if shown and box.has_class("-open"):
            offset = (max(0, (size.width - width) // 2), max(0, (size.height - height) // 2))
        else:
            offset = (0, -height - 1)
        if box.styles.offset.x.value != offset[0] or box.styles.offset.y.value != offset[1]:
            box.styles.offset = offset

    # -- scope ---------------------------------------------------------------------------

    def open_scope(self, name: str, project_id: str) -> None:
        """Show the orders of one project (or All Projects) and follow it in the stats bar."""
        self.pending_project = None
        self.scope_name = name
        self.scope_id = project_id
        self.stats.update_stats(None, name)
        self.orders.border_title = safe(name, limit=60)
        self.orders.load(project_id)
        self._redraw_sidebar()

    def _redraw_sidebar(self) -> None:
        self.sidebar.set_entries(
            self.directory.entries(),
            current=self.scope_name,
            searching=self.discovery_state != "done",
        )
        self.pane_layout.apply()  # its width follows the names

    def _directory_changed(self) -> None:
        """Names or ids were learnt: rename an id-only scope, open a pending project."""
        if self.scope_name == self.scope_id:
            name = self.directory.name_for(self.scope_id)
            if name and name != self.scope_name:
                self.scope_name = name
                self.stats.scope = name
                self.orders.border_title = safe(name, limit=60)
        pending = self.pending_project
        if pending is not None:
            entry = self.directory.lookup(pending)
            if entry is not None and entry.project_id is not None:
                self.open_scope(entry.name, entry.project_id)
        self._redraw_sidebar()

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
        self._focus_pane("list")

    def sort_orders(self, key: str, descending: bool) -> None:
        """The palette's "Sort: …", handed to the list (``OrdersPane.set_sort``, which comes
        with the local order index: until then, the console says so)."""
        set_sort = getattr(self.orders, "set_sort", None)
        if set_sort is None:
            toast(self.app, "Sorting comes with the local order index; the list is newest first.")
            return
        set_sort(key, descending)
        self._focus_pane("list")

    # -- workers -------------------------------------------------------------------------

    async def _fetch_page(
        self, project_id: str, page_token: str | None, limit: int, *, preview: bool = False
    ) -> OrdersPage:
        """The order list's page fetcher: full orders (ids and roles come for free), previews
        only for the pages ``G`` walks past (see ui/orders/walk.py)."""
        return await self.client.list_orders(
            project_id, preview=preview, page_token=page_token, limit=limit
        )

    def _start_discovery(self) -> None:
        if self.discovery_state == "idle" and not self.directory.complete:
            self.discovery_state = "running"
            self.stats.status = "looking up project ids…"
            self._discover()

    @work(exclusive=True, group="discovery", exit_on_error=False)
    async def _discover(self) -> None:
        """Walk full pages of All Projects until every project name has an id (it posts
        ProjectsSeen per page, then DiscoveryDone)."""
        await discovery.discover(self.client, self.directory, self.post_message)

    @work(exclusive=True, group="jump", exit_on_error=False)
    async def _jump(self, order_id: str) -> None:
        try:
            order = await self.client.get_order(order_id)
        except Exception as error:
            self.post_message(JumpFailed(order_id, error_line(error)))
            return
        self.post_message(JumpLoaded(order))

    # -- message handlers: the list ------------------------------------------------------

    @on(OrdersPane.PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        if message.project_id == self.scope_id:
            self.stats.update_stats(message.page.stats, self.scope_name)
        if self.directory.observe_page(message.page, scope=message.project_id):
            self._directory_changed()
        # After the rows are painted: its first request (1000 full orders) keeps the demo
        # server's thread busy, which would slow the first frame of rows down.
        self.call_after_refresh(self._start_discovery)
        self.call_after_refresh(startup.resume)  # the start is over (see startup.py)
        self.live.page_loaded()

    @on(OrdersPane.LoadFailed)
    def _page_failed(self, message: LoadFailed) -> None:
        # The list shows an inline retry row; the toast says why.
        toast(self.app, f"Could not load orders: {error_line(message.error)}", severity="error")
        if message.project_id == self.scope_id and self.stats.stats is None:
            self.stats.unavailable = True  # not "loading counts…" forever
        startup.resume()
        self._start_discovery()
        self.live.page_failed()

    @on(OrderList.Highlighted)
    def _order_highlighted(self, message: OrderList.Highlighted) -> None:
        if message.order is not None and self.detail.order is None:
            # The pane's first order (at startup): the list's first rows paint first; the
            # pane's first draw (it restyles the whole pane) and the preview download follow.
            self.call_after_refresh(self._show_first)
        elif message.order is not None:
            # Drawn now when the cursor was at rest (then the download starts before the pane
            # draws), else once it rests: the pane announces it, and the preview follows.
            if self.detail.show(message.order):
                self.preview.show_first(message.order)
        else:
            self.order_actions.show_no_order()  # y and c must not act on an order not shown
        self.live.seen(message.order.order_id if message.order is not None else None)

    def _show_first(self) -> None:
        order = self.orders.highlighted_order
        if order is not None and self.detail.order is None:
            self.preview.show_first(order)
            self.detail.show(order)

    @on(OrderList.Opened)
    def _order_opened(self, message: OrderList.Opened) -> None:
        if message.order is not None:
            self.detail.show(message.order)
        self._focus_pane("detail")
        self.live.seen(message.order.order_id)

    # -- message handlers: live refresh and connection -----------------------------------

    @on(LiveRefreshed)
    def _live_refreshed(self, message: LiveRefreshed) -> None:
        self.live.refreshed(message)

    @on(LiveRefreshFailed)
    def _live_failed(self, message: LiveRefreshFailed) -> None:
        self.live.refresh_failed(message)

    @on(ConnectionEvent)
    def _connection_event(self, message: ConnectionEvent) -> None:
        self.live.connection_event(message.event)

    # -- message handlers: detail, preview, projects, "go to order id" -------------------

    @on(DetailLoaded)
    def _detail_loaded(self, message: DetailLoaded) -> None:
        if self.directory.observe_order(message.order):
            self._directory_changed()

    @on(PreviewPanel.UrlExpired)
    def _preview_expired(self, message: PreviewPanel.UrlExpired) -> None:
        # The fresh order carries a fresh presigned URL; the panel follows the pane.
        self.detail.refetch(message.order_id)

    @on(ProjectsSeen)
    def _projects_seen(self, message: ProjectsSeen) -> None:
        names_changed = self.directory.observe_names(message.names)
        if self.directory.observe_projects(message.projects) or names_changed:
            self._directory_changed()

    @on(DiscoveryDone)
    def _discovery_done(self, message: DiscoveryDone) -> None:
        self.discovery_state = "done"
        self.stats.status = ""
        if message.error:
            toast(self.app, f"Could not look up project ids: {message.error}", severity="warning")
        pending = self.pending_project
        if pending is not None and self.directory.id_for(pending) is None:
            self.pending_project = None
            close = close_projects(pending, (e.name for e in self.directory.entries()))
            hint = f" Close: {', '.join(close)}." if close else ""
            toast(self.app, f"Project “{pending}” was not found.{hint}", severity="warning")
        self._redraw_sidebar()

    @on(ProjectChosen)
    def _project_chosen(self, message: ProjectChosen) -> None:
        if message.project_id is not None:
            self.open_scope(message.name, message.project_id)
            self._focus_pane("list")
            return
        self.pending_project = message.name
        if self.discovery_state == "done":
            toast(self.app, f"The id of project “{message.name}” is unknown.", severity="warning")
            self.pending_project = None
        else:
            toast(self.app, f"Looking up the id of project “{message.name}”…")
            self._start_discovery()

    @on(JumpLoaded)
    def _jump_loaded(self, message: JumpLoaded) -> None:
        order = message.order
        if self.directory.observe_order(order):
            self._directory_changed()
        self.detail.show_full(order)
        if self.orders.select_order_id(order.order_id):
            self._focus_pane("list")
        else:
            toast(self.app, f"Order {order.order_id} is not in the loaded list; showing it here.")
            self._focus_pane("detail")

    @on(JumpFailed)
    def _jump_failed(self, message: JumpFailed) -> None:
        toast(
            self.app, f"Could not open order {message.order_id}: {message.error}", severity="error"
        )

    # -- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # v: one of its two bindings applies, depending on whether there is a preview panel.
        if action == "toggle_preview":
            return self.preview.panel is not None
        if action == "preview_unavailable":
            return self.preview.panel is None
        return super().check_action(action, parameters)

    def action_refresh(self) -> None:
        self.live.refresh_now()  # merged like the live refresh: nothing on screen is lost
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
        from artistree_tui.ui.dialogs.export_desk import ExportDesk, list_view_spec

        spec = getattr(self.orders, "view_spec", None)  # the list over the index provides it
        if spec is None:
            model = self.orders.order_list.model
            spec = list_view_spec(
                self.scope_id, self.scope_name, model.state_filter, model.text_filter
            )
        ExportDesk.of(self).request(spec, self.scope_name)

    def action_toggle_preview(self) -> None:
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

        self.app.push_screen(OrderIdPrompt(), chosen)

    def action_focus_pane(self, pane: str) -> None:
        if pane == "sidebar" and not self.pane_layout.sidebar_shown:
            self.pane_layout.toggle_sidebar()  # 1 brings a hidden sidebar back
        self._focus_pane(pane)

    def action_cycle_pane(self, step: int) -> None:
        panes = self._panes_shown()
        current = self._current_pane()
        index = panes.index(current) if current in panes else -1
        self._focus_pane(panes[(index + step) % len(panes)])

    def action_pane_step(self, step: int) -> None:
        """``h``/``l`` (and the arrows where the focused widget leaves them free): the pane
        to the left or right, in screen order (projects, orders, detail), without wrapping
        around as ``tab`` does."""
        panes = self._panes_shown()
        current = self._current_pane()
        index = panes.index(current) if current in panes else 0
        target = index + step
        if 0 <= target < len(panes):
            self._focus_pane(panes[target])

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
        order_id = orders[0]
        if self.orders.select_order_id(order_id):
            self._focus_pane("list")
        else:
            self.go_to_order(order_id)

    def action_toggle_sidebar(self) -> None:
        self.pane_layout.toggle_sidebar()
        if not self.pane_layout.sidebar_shown and self._current_pane() == "sidebar":
            self._focus_pane("list")

    def _panes_shown(self) -> tuple[str, ...]:
        return PANES if self.pane_layout.sidebar_shown else PANES[1:]

    # -- focus ---------------------------------------------------------------------------

    def _pane_widget(self, pane: str) -> Widget:
        return {"sidebar": self.sidebar, "list": self.orders, "detail": self.detail}[pane]

    def _current_pane(self) -> str | None:
        focused = self.focused
        if focused is None:
            return None
        for pane in PANES:
            if self._pane_widget(pane) in focused.ancestors_with_self:
                return pane
        return None

    def _focus_pane(self, pane: str) -> None:
        # At once (Widget.focus() is deferred: "1jj" typed ahead in one SSH read moved the old
        # pane), and the list itself, never the open filter box before it ("2j" typed a j).
        target: Widget | None = {"sidebar": self.sidebar, "list": self.orders.order_list}.get(pane)
        self.set_focus(target or self.detail.focus_target())
