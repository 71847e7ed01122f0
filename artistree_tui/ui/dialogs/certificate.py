"""The certificate key: fetch an order's certificate link, then copy it or save the PDF.

``c`` (binding id ``console.certificate``) on the main screen calls
:meth:`CertificateDesk.request` with the order in the detail pane (else the highlighted one):

1. A known state other than Human Certified is refused at once, without a request (see
   :mod:`.certificate_files` for why Reviewed does not qualify).
2. ``client.certificate_pdf(order_id)`` fetches the presigned link in a worker.
3. :class:`CertificateChoice`, a small keyboard-only modal, offers ``c`` copy the link
   (OSC 52, :meth:`App.copy_to_clipboard`; tmux needs ``set -g set-clipboard on``) or ``s``
   save the PDF; ``esc`` cancels.
4. Saving downloads the link with an :class:`~artistree_tui.api.assets.AssetFetcher`
   (``kinds=("pdf",)``: https only except the demo's loopback origin, no Authorization
   header, size-capped, ``%PDF-`` checked) into ``settings.downloads_dir`` and toasts the path.
   An expired link (403) fetches a fresh link once and tries again; copying a link older
   than its lifetime fetches a fresh one first.

Every outcome is one toast line; the URL itself is never shown (its query is a signature).
The desk is an invisible widget of the main screen: its workers post the typed messages below
and its handlers own the UI.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from artistree_tui.api.assets import AssetExpiredError, AssetFetcher, loopback_http_origins
from artistree_tui.api.certificate import CertificateLink
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.models import Order
from artistree_tui.display import clean, join, safe
from artistree_tui.safe_paths import PRIVATE_FILE_MODE, UnsafePath
from artistree_tui.ui.dialogs.certificate_files import (
    PDF_MAX_BYTES,
    certificate_filename,
    refusal,
    save_pdf,
)
from artistree_tui.ui.notify import error_line, short_id, toast

# Binding ids (rebindable through [keymap]); the screen's key is keymap.CERTIFICATE.
CHOICE_COPY = "certificate.copy"
CHOICE_SAVE = "certificate.save"
CHOICE_CANCEL = "certificate.cancel"
SCREEN_NAME = "certificate-choice"
#: A link this close to its expiry is fetched again before it is copied.
EXPIRY_MARGIN = 5.0


@dataclass(frozen=True, slots=True)
class Pending:
    """The certificate link being offered: for which order, and when it was fetched."""

    order_id: str
    title: str
    link: CertificateLink
    fetched_at: float

    def stale(self, now: float) -> bool:
        lifetime = self.link.expires_in
        return lifetime is not None and now - self.fetched_at >= lifetime - EXPIRY_MARGIN


class CertificateChoice(ModalScreen[str | None]):
    """Copy the link or save the PDF (``c``/``s``/``enter``); ``esc`` or ``q`` cancels.

    One instance is installed and reused (pushing fresh screens leaks); :meth:`prepare` sets
    what it shows before each opening.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "choose('copy')", "Copy link", id=CHOICE_COPY),
        Binding("s", "choose('save')", "Save PDF", id=CHOICE_SAVE),
        Binding("escape,q", "choose('')", "Cancel", id=CHOICE_CANCEL),
    ]

    DEFAULT_CSS = """
    CertificateChoice { align: center middle; }
    CertificateChoice > #certificate-box {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $panel; padding: 0 1;
    }
    CertificateChoice #certificate-options { height: auto; border: none; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._title = Text()
        self._folder = ""
        self._lifetime: int | None = None

    def prepare(self, title: str, folder: Path, lifetime: int | None) -> None:
        """What the next opening shows: the order's title, the folder, the link's lifetime."""
        self._title = safe(title or "(untitled)", limit=120)
        self._folder = clean(str(folder), limit=60)
        self._lifetime = lifetime

    def compose(self) -> ComposeResult:
        with Vertical(id="certificate-box") as box:
            box.border_title = "Certificate"
            yield Static(id="certificate-order", markup=False)
            yield OptionList(id="certificate-options")
            yield Static(Text("esc cancels", style="dim"), id="certificate-hint")

    def on_screen_resume(self) -> None:
        valid = f" (valid {max(1, self._lifetime // 60)} min)" if self._lifetime else ""
        self.query_one("#certificate-order", Static).update(join("Order: ", self._title))
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(
            [
                Option(Text(f"c  Copy the link{valid} to the clipboard"), id="copy"),
                Option(join("s  Save the PDF to ", Text(self._folder)), id="save"),
            ]
        )
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#certificate-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)


class CertificateDesk(Widget):
    """Invisible helper of the main screen that runs the certificate workflow (see the
    module docstring); ``downloads_dir`` defaults to ``app.settings.downloads_dir``."""

    DEFAULT_CSS = "CertificateDesk { display: none; }"

    class Linked(Message):
        """A certificate link arrived; ``then`` says what to do with it."""

        def __init__(self, pending: Pending, then: str) -> None:
            super().__init__()
            self.pending = pending
            self.then = then

    class Expired(Message):
        """The download answered 403: fetch a fresh link, then save."""

        def __init__(self, order_id: str, title: str) -> None:
            super().__init__()
            self.order_id = order_id
            self.title = title

    class Failed(Message):
        """A step failed; ``error`` is one safe line."""

        def __init__(self, order_id: str, error: str) -> None:
            super().__init__()
            self.order_id = order_id
            self.error = error

    class Saved(Message):
        """The PDF was written to ``path``."""

        def __init__(self, order_id: str, path: Path) -> None:
            super().__init__()
            self.order_id = order_id
            self.path = path

    def __init__(
        self,
        client: ArtistreeClient,
        *,
        downloads_dir: Path | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._client = client
        self._downloads_dir = downloads_dir
        self._fetcher: AssetFetcher | None = None
        self.pending: Pending | None = None

    # -- public API ----------------------------------------------------------------------
    @property
    def downloads_dir(self) -> Path:
        if self._downloads_dir is not None:
            return self._downloads_dir
        settings = getattr(self.app, "settings", None)
        folder = getattr(settings, "downloads_dir", None)
        if isinstance(folder, Path):
            return folder
        from artistree_tui.config.paths import default_downloads_dir

        return default_downloads_dir()

    def request(self, order: Order | None) -> None:
        """The certificate key: refuse, or fetch the link and offer copy/save."""
        if order is None or not order.order_id:
            toast(self.app, "No order is highlighted.", severity="warning")
            return
        reason = refusal(order)
        if reason is not None:
            toast(self.app, reason, severity="warning")
            return
        self._fetch_link(order.order_id, order.order_title or "", "choose")

    # -- workers -------------------------------------------------------------------------
    @work(exclusive=True, group="certificate-link", exit_on_error=False)
    async def _fetch_link(self, order_id: str, title: str, then: str) -> None:
        try:
            link = await self._client.certificate_pdf(order_id)
        except Exception as error:  # one line, never a traceback
            what = f"No certificate link for order {short_id(order_id)}: {error_line(error)}"
            self.post_message(self.Failed(order_id, what))
            return
        self.post_message(self.Linked(Pending(order_id, title, link, time.monotonic()), then))

    # Described explicitly: the default description quotes the arguments (a presigned link).
    @work(
        exclusive=True,
        group="certificate-save",
        exit_on_error=False,
        description="certificate download",
    )
    async def _download(self, pending: Pending, folder: Path, retried: bool) -> None:
        order_id = pending.order_id
        try:
            asset = await self._asset_fetcher().fetch(
                pending.link.url, kinds=("pdf",), max_bytes=PDF_MAX_BYTES
            )
        except AssetExpiredError:
            if retried:
                what = "The certificate link expired again: press c to try once more."
                self.post_message(self.Failed(order_id, what))
            else:
                self.post_message(self.Expired(order_id, pending.title))
            return
        except Exception as error:
            what = f"Could not download the certificate: {error_line(error)}"
            self.post_message(self.Failed(order_id, what))
            return
        name = certificate_filename(order_id)
        mode = getattr(getattr(self.app, "settings", None), "certificate_file_mode", None)
        try:
            path = await asyncio.to_thread(
                save_pdf, folder, name, asset.content, mode=mode or PRIVATE_FILE_MODE
            )
        except UnsafePath as error:  # others could write there: the line says the fix
            what = f"Could not save the certificate: {clean(str(error), limit=300)}"
            self.post_message(self.Failed(order_id, what))
            return
        except OSError as error:
            reason = error.strerror or type(error).__name__
            what = f"Could not save the certificate in {clean(str(folder), limit=80)}: {reason}"
            self.post_message(self.Failed(order_id, what))
            return
        self.post_message(self.Saved(order_id, path))

    def _asset_fetcher(self) -> AssetFetcher:
        if self._fetcher is None:
            origins = loopback_http_origins(getattr(self._client, "base_url", None))
            self._fetcher = AssetFetcher(allow_http_origins=origins, max_bytes=PDF_MAX_BYTES)
        return self._fetcher

    async def on_unmount(self) -> None:
        if self._fetcher is not None:
            await self._fetcher.aclose()

    # -- handlers ------------------------------------------------------------------------
    @on(Linked)
    def _linked(self, message: Linked) -> None:
        message.stop()
        pending = message.pending
        self.pending = pending
        if message.then == "save":
            self._download(pending, self.downloads_dir, True)
        elif message.then == "copy":
            self._copy(pending)
        else:
            self._offer(pending)

    @on(Expired)
    def _expired(self, message: Expired) -> None:
        message.stop()
        self._fetch_link(message.order_id, message.title, "save")

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        message.stop()
        toast(self.app, message.error, severity="error", timeout=8)

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        message.stop()
        toast(self.app, f"Saved the certificate to {message.path}", title="Saved", timeout=12)

    def _offer(self, pending: Pending) -> None:
        app = self.app
        if not app.is_screen_installed(SCREEN_NAME):
            app.install_screen(CertificateChoice(), SCREEN_NAME)
        screen = app.get_screen(SCREEN_NAME)
        assert isinstance(screen, CertificateChoice)
        screen.prepare(pending.title, self.downloads_dir, pending.link.expires_in)
        app.push_screen(SCREEN_NAME, lambda choice: self._chosen(pending, choice))

    def _chosen(self, pending: Pending, choice: str | None) -> None:
        if choice == "save":
            self._download(pending, self.downloads_dir, False)
        elif choice == "copy":
            if pending.stale(time.monotonic()):
                self._fetch_link(pending.order_id, pending.title, "copy")
            else:
                self._copy(pending)

    def _copy(self, pending: Pending) -> None:
        self.app.copy_to_clipboard(pending.link.url)
        lifetime = pending.link.expires_in
        valid = f" (valid for {max(1, lifetime // 60)} min)" if lifetime else ""
        toast(
            self.app,
            f"Copied the certificate link of order {short_id(pending.order_id)}{valid}.",
            title="Copied",
        )
