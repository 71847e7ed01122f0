"""The preview pipeline without the UI: cache → fetch → decode, then scale → overlay → cells.

:class:`PreviewLoader` is shared by the app (one per process). :meth:`PreviewLoader.load` is
async: disk cache, else a safe download (:class:`~artistree_tui.api.assets.AssetFetcher`)
that streams into a decoder already running in a thread (inflating overlaps the transfer; see
:mod:`.stream`); an optional ``then`` step — the panel's first rendering — runs in that same
thread right after decoding, so the picture is ready when the UI hears of it. Decoded images
are kept in a small LRU keyed by the asset (not the presigned URL, whose query changes),
bounded by count and bytes; the disk cache is written in the background, off the path to the
first paint.
:meth:`PreviewLoader.render` is synchronous and cheap (a few milliseconds): it fits the image
(or the zoomed crop) into a box of cells, draws the regions, turns the pixels into
half-block lines and writes each region's tag (its band's symbol) over its corner; finished
renderings are kept in a second LRU (bounded by count and bytes too) keyed by everything that
changes the picture, so going back to a selection is free.

No Textual here; the widget (:mod:`artistree_tui.ui.preview.panel`) drives this. Importing
this module does not import Pillow (the console imports it at startup): the first decode
and the first rendering do.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import Callable
from dataclasses import astuple, dataclass
from pathlib import Path

from rich.segment import Segment
from rich.text import Text

from artistree_tui.api.assets import AssetFetcher, loopback_http_origins
from artistree_tui.api.models import Annotation
from artistree_tui.memory import release_freed
from artistree_tui.preview.cache import LRU, DiskCache, asset_key
from artistree_tui.preview.colors import ColorMode, palette_for, reduce_colors
from artistree_tui.preview.decode import (
    DEFAULT_MAX_PIXELS,
    DecodedImage,
    DecodeError,
    decode_image,
    decode_stream,
    scale_image,
)
from artistree_tui.preview.geometry import (
    Region,
    View,
    fit_view,
    project,
    project_annotation,
    zoom_box,
)
from artistree_tui.preview.stream import ByteStream

#: Work to do in the decoding thread right after decoding (e.g. the first rendering).
AfterDecode = Callable[[DecodedImage], object]

__all__ = [
    "AfterDecode",
    "PreviewLoader",
    "Rendering",
    "build_preview_loader",
    "loopback_http_origins",
]


@dataclass(frozen=True, slots=True)
class Rendering:
    """A picture ready to paint: ``height`` lines of ``width`` half-block cells.

    ``zoomed`` says whether the zoom asked for was possible (a selected, drawable region).
    ``legend`` is the colour key and region count (the panel shows it on the preview only).
    """

    lines: tuple[tuple[Segment, ...], ...]
    width: int
    height: int
    view: View
    regions: tuple[Region, ...]
    zoomed: bool
    legend: Text | None


class PreviewLoader:
    """Fetches, decodes, caches and renders preview images (see the module docstring)."""

    def __init__(
        self,
        fetcher: AssetFetcher,
        disk: DiskCache | None = None,
        *,
        decoded_items: int = 4,
        decoded_bytes: int = 32 * 1024 * 1024,
        rendered_items: int = 64,
        rendered_bytes: int = 8 * 1024 * 1024,
        max_pixels: int = DEFAULT_MAX_PIXELS,
    ) -> None:
        self.fetcher = fetcher
        self.disk = disk
        self.max_pixels = max_pixels
        self.decoded: LRU[str, DecodedImage] = LRU(
            max_items=decoded_items, max_bytes=decoded_bytes, sizeof=lambda d: d.nbytes
        )
        self.rendered: LRU[tuple[object, ...], Rendering] = LRU(
            max_items=rendered_items, max_bytes=rendered_bytes, sizeof=rendering_bytes
        )
        self._background: set[asyncio.Future[object]] = set()

    async def aclose(self) -> None:
        await self.flush()
        await self.fetcher.aclose()

    async def flush(self) -> None:
        """Wait for the background work (disk cache writes) started so far."""
        for task in list(self._background):
            with contextlib.suppress(Exception):
                await task

    def cached(self, url: str, variant: str = "") -> DecodedImage | None:
        """The decoded image if it is in memory (no I/O, safe on the UI thread).

        An image loaded without a variant (for a list row, which does not know the asset's
        modification time) answers for any variant of the same asset: the same picture, as
        :func:`~artistree_tui.preview.state.same_picture` says of the requests. In memory only,
        for this session: on disk a variant is the one it was kept under, so a picture kept for
        a row yesterday never stands in for an artwork re-uploaded since."""
        hit = self.decoded.get(asset_key(url, variant))
        if hit is None and variant:
            hit = self.decoded.get(asset_key(url))
        return hit

    async def load(
        self, url: str, *, variant: str = "", then: AfterDecode | None = None
    ) -> DecodedImage:
        """The decoded image behind ``url``; raises AssetError or DecodeError.

        ``then(decoded)`` runs in the decoding thread after a fresh decode (not for an image
        already in memory); its errors are ignored — it is an optimisation. Cancelling the
        awaiting task abandons the result (a decode already running in its thread finishes
        there and is dropped).
        """
        key = asset_key(url, variant)
        hit = self.cached(url, variant)
        if hit is not None:
            return hit
        decoded = None
        disk = self.disk
        if disk is not None and disk.contains(url, variant):
            data = await asyncio.to_thread(disk.get, url, variant)
            if data is not None:
                try:
                    decoded = await asyncio.to_thread(self._decode_bytes, data, then)
                except DecodeError:
                    # A cached file that does not decode is never trusted again.
                    await asyncio.to_thread(disk.discard, url, variant)
        if decoded is None:
            decoded, content = await self._download(url, then)
            if disk is not None:
                self._in_background(disk.put, url, content, variant)
        evicted = self.decoded.put(key, decoded)
        if evicted:  # a picture's memory is free: give what the heaps keep back
            self._in_background(release_freed)
        return decoded

    async def _download(self, url: str, then: AfterDecode | None) -> tuple[DecodedImage, bytes]:
        """Fetch ``url`` while a thread decodes the bytes as they arrive."""
        stream = ByteStream()
        decoding = asyncio.ensure_future(asyncio.to_thread(self._decode_streamed, stream, then))
        try:
            asset = await self.fetcher.fetch(url, kinds=("image",), sink=stream.feed)
        except BaseException:
            # The download's error is the one to report; the thread wakes up and ends.
            stream.abort()
            decoding.cancel()
            raise
        stream.finish()
        return await decoding, asset.content

    def _decode_bytes(self, data: bytes, then: AfterDecode | None) -> DecodedImage:
        return _after(decode_image(data, max_pixels=self.max_pixels), then)

    def _decode_streamed(self, stream: ByteStream, then: AfterDecode | None) -> DecodedImage:
        return _after(decode_stream(stream, max_pixels=self.max_pixels), then)

    def _in_background(self, function: Callable[..., object], *args: object) -> None:
        """Run ``function(*args)`` in a thread without waiting (kept until done)."""
        task = asyncio.ensure_future(asyncio.to_thread(function, *args))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def render(
        self,
        key: str,
        decoded: DecodedImage,
        *,
        box: tuple[int, int],
        annotations: tuple[Annotation, ...] = (),
        selected: int | None = None,
        zoom: bool = False,
        mode: ColorMode = "truecolor",
    ) -> Rendering:
        """Fit ``decoded`` into ``box`` = (columns, rows) of cells and draw the regions.

        ``key`` identifies the asset (use :func:`asset_key`); it keys the rendering cache.
        """
        cols, rows = max(1, box[0]), max(1, box[1])
        if selected is not None and not 0 <= selected < len(annotations):
            selected = None
        cache_key = (key, cols, rows, annotations, selected, zoom, mode)
        hit = self.rendered.get(cache_key)
        if hit is not None:
            return hit
        rendering = _render(decoded, (cols, rows * 2), annotations, selected, zoom, mode)
        self.rendered.put(cache_key, rendering)
        return rendering


#: What one cell of a rendering takes, about (a Segment, its text, its share of the styles;
#: measured with tracemalloc on 1024×768 art at 60×20 to 160×50 cells: 40-70 bytes, styles
#: shared; more when every cell has its own colours).
_SEGMENT_BYTES = 160


def rendering_bytes(rendering: Rendering) -> int:
    """About the memory a rendering takes, for the rendered LRU's byte bound."""
    return 512 + _SEGMENT_BYTES * sum(len(line) for line in rendering.lines)


def _after(decoded: DecodedImage, then: AfterDecode | None) -> DecodedImage:
    if then is not None:
        with contextlib.suppress(Exception):
            then(decoded)
    return decoded


def _render(
    decoded: DecodedImage,
    box_px: tuple[int, int],
    annotations: tuple[Annotation, ...],
    selected: int | None,
    zoom: bool,
    mode: ColorMode,
) -> Rendering:
    # Imported with the first picture: both import Pillow (~20 ms), which the console's
    # startup, importing this module, does not need (decode and colors import it lazily too).
    from artistree_tui.preview.halfblock import TOLERANCE, compact_lines
    from artistree_tui.preview.overlay import draw_overlay, legend
    from artistree_tui.preview.tags import region_tags, stamp

    source = decoded.source_size
    view = fit_view(source, box_px)
    zoomed = False
    if zoom and selected is not None:
        whole = project_annotation(selected, annotations[selected], view)
        bounds = annotations[selected].region_bounds
        if whole is not None and bounds is not None:
            view = fit_view(source, box_px, zoom_box(bounds, source, box_px))
            zoomed = True
    crop = view.source_box
    fx = decoded.image.width / source[0]
    fy = decoded.image.height / source[1]
    # Clamp against float noise: Pillow refuses a box even a hair outside the image.
    box = (
        max(0.0, crop.left * fx),
        max(0.0, crop.top * fy),
        min(float(decoded.image.width), crop.right * fx),
        min(float(decoded.image.height), crop.bottom * fy),
    )
    image = scale_image(decoded.image, (view.width, view.height), box=box)
    image = reduce_colors(image, mode)  # before the outlines: those stay exact
    palette = palette_for(mode)
    regions = project(annotations, view)
    if regions:
        image = draw_overlay(image, regions, selected=selected, palette=palette)
    tags = region_tags(regions, image.size, selected=selected, palette=palette)
    # Drawn for the wire (see halfblock.compact_lines); the outlines' colours stay exact.
    tolerance = 0 if mode == "16" else TOLERANCE
    cells = compact_lines(image, tolerance=tolerance, keep=frozenset(astuple(palette)))
    lines = tuple(tuple(line) for line in stamp(cells, tags, image.width))
    unscored = any(region.likelihood is None for region in regions)
    key_line = legend(palette, shown=len(regions), total=len(annotations), unscored=unscored)
    return Rendering(
        lines=lines,
        width=view.width,
        height=math.ceil(view.height / 2),
        view=view,
        regions=tuple(regions),
        zoomed=zoomed,
        legend=key_line,
    )


def build_preview_loader(
    *,
    base_url: str | None = None,
    cache_dir: Path | None = None,
    cache_mb: int = 200,
    timeout: float = 20.0,
    decoded_bytes: int = 32 * 1024 * 1024,
    rendered_bytes: int = 8 * 1024 * 1024,
) -> PreviewLoader:
    """The app's loader: a fetcher allowing only the loopback demo origin over http, and a
    disk cache of ``cache_mb`` MB in ``cache_dir / "assets"`` (``Settings.cache_dir`` is the
    app's cache root; default: the platform cache dir). 0 MB turns the disk cache off.
    ``decoded_bytes`` and ``rendered_bytes`` bound the in-memory caches (the app passes its
    shares of ``memory_cache_mb``)."""
    fetcher = AssetFetcher(allow_http_origins=loopback_http_origins(base_url), timeout=timeout)
    directory = cache_dir / "assets" if cache_dir is not None else None
    disk = DiskCache(directory, max_bytes=cache_mb * 1024 * 1024) if cache_mb > 0 else None
    return PreviewLoader(fetcher, disk, decoded_bytes=decoded_bytes, rendered_bytes=rendered_bytes)
