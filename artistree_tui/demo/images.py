"""Preview and layer PNGs for the demo orders, drawn with Pillow, plus hostile image bodies.

A preview is a small deterministic "artwork" per order: a two-colour gradient sky, layered
ridges, a sun, a few brush strokes, then a painterly surface (soft blotches of light and
shade, short brush marks, fine grain — see :func:`_painterly`). Without that surface the
flat shapes compress ~50× and decode several times faster than a real artwork preview, which
would flatter every timing taken against the demo (``PAINTERLY = False`` turns it off, for a
benchmark that wants both). The order's annotation regions are then repainted with a grainy,
over-saturated texture, so the outlines the console draws sit on something that visibly looks
different (as a generator's artefacts would). Layers of layered (PSD) orders are smaller,
flat images with a subset of the same elements.

Rendering costs tens of milliseconds, so the encoded bytes are kept in a small bounded LRU.
:func:`bomb_png` builds the decompression-bomb fault: a few hundred bytes whose header claims
30000 × 30000 pixels.
"""

from __future__ import annotations

import colorsys
import io
import math
import random
import struct
import threading
import zlib
from collections import OrderedDict
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageOps

from artistree_tui.demo.orders import Shape

#: Size of layer images relative to the preview.
LAYER_SCALE = 0.5
#: Give previews a painted surface (texture and grain) rather than flat fills.
PAINTERLY = True


def _palette(rng: random.Random) -> list[tuple[int, int, int]]:
    """Five harmonious colours around a random hue (analogous plus one accent)."""
    hue = rng.random()
    colours = []
    for offset, saturation, value in (
        (0.0, 0.55, 0.95),
        (0.08, 0.65, 0.55),
        (-0.06, 0.5, 0.35),
        (0.5, 0.75, 0.95),
        (0.04, 0.3, 0.2),
    ):
        r, g, b = colorsys.hsv_to_rgb((hue + offset) % 1.0, saturation, value)
        colours.append((int(r * 255), int(g * 255), int(b * 255)))
    return colours


def _ridge(rng: random.Random, size: tuple[int, int], level: float) -> list[tuple[float, float]]:
    """A smooth hill line: a sum of two random sines across the width."""
    width, height = size
    phase1, phase2 = rng.uniform(0, 6.28), rng.uniform(0, 6.28)
    amp1, amp2 = rng.uniform(0.04, 0.1) * height, rng.uniform(0.01, 0.04) * height
    freq = rng.uniform(1.0, 2.5)
    points: list[tuple[float, float]] = [(0.0, float(height))]
    for step in range(33):
        x = width * step / 32
        t = step / 32 * 6.283
        y = level * height - amp1 * math.sin(freq * t + phase1) - amp2 * math.sin(5 * t + phase2)
        points.append((x, y))
    points.append((float(width), float(height)))
    return points


def _artwork(seed: int, size: tuple[int, int], layer: int | None = None) -> Image.Image:
    """The base picture; ``layer`` None draws everything, else one layer's share of it."""
    width, height = size
    rng = random.Random(seed)
    sky_top, sky_bottom, ridge, accent, ink = _palette(rng)
    gradient = Image.linear_gradient("L").resize((width, height))
    sky = ImageOps.colorize(gradient, sky_top, sky_bottom)
    image = sky if layer in (None, 0) else Image.new("RGB", size, (250, 250, 248))
    draw = ImageDraw.Draw(image)
    unit = min(width, height)
    elements: list[tuple[str, Any, int]] = []
    sun_r = int(unit * rng.uniform(0.06, 0.12))
    sun = (int(width * rng.uniform(0.15, 0.85)), int(height * rng.uniform(0.12, 0.35)))
    elements.append(("sun", sun, sun_r))
    for _ in range(rng.randint(2, 4)):
        cx, cy = rng.uniform(0, width), rng.uniform(0.05, 0.3) * height
        elements.append(("cloud", (cx, cy), int(unit * rng.uniform(0.04, 0.08))))
    for n in range(3):
        elements.append(("ridge", _ridge(rng, size, 0.5 + 0.14 * n), n))
    for _ in range(rng.randint(6, 12)):
        x0, y0 = rng.uniform(0, width), rng.uniform(height * 0.6, height)
        x1, y1 = x0 + rng.uniform(-width / 5, width / 5), y0 + rng.uniform(-height / 8, height / 8)
        elements.append(("stroke", [(x0, y0), (x1, y1)], max(unit // rng.randint(60, 200), 1)))
    for number, element in enumerate(elements):
        if layer not in (None, 0) and number % 3 != (layer - 1) % 3:
            continue
        kind, where, extra = element
        if kind == "sun":
            (cx, cy), r = where, extra
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=accent)
        elif kind == "cloud":
            (cx, cy), r = where, extra
            for dx in (-1.2, 0.0, 1.1):
                draw.ellipse(
                    (cx + dx * r - r, cy - r * 0.6, cx + dx * r + r, cy + r * 0.6),
                    fill=(245, 245, 240),
                )
        elif kind == "ridge":
            colour = tuple(int(c * (1 - 0.22 * extra)) for c in ridge)
            draw.polygon(where, fill=colour)
        else:
            draw.line(where, fill=ink, width=extra)
    return image


def _painterly(image: Image.Image, seed: int) -> Image.Image:
    """The picture with a painted surface: light and shade from soft blotches and short
    horizontal brush marks plus fine grain (grey, applied as soft light so hues stay), and a
    faint colour drift. Costs ~20 ms at 1024×768; the PNG becomes ~1.3 MB instead of ~25 KB."""
    width, height = image.size
    rng = random.Random(seed ^ 0x5EED)

    def noise(size: tuple[int, int], mode: str = "L") -> Image.Image:
        size = (max(size[0], 2), max(size[1], 2))
        channels = 3 if mode == "RGB" else 1
        return Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * channels))

    blotches = noise((width // 40, height // 40)).resize(image.size, Image.Resampling.BICUBIC)
    marks = noise((width // 14, height // 4)).resize(image.size, Image.Resampling.BILINEAR)
    shade = ImageOps.autocontrast(Image.blend(blotches, marks, 0.5), cutoff=1)
    shade = Image.blend(shade, noise(image.size), 0.12)
    # Mid grey is neutral under soft light: pulling towards it tones the effect down.
    shade = Image.blend(shade, Image.new("L", image.size, 128), 0.3).convert("RGB")
    drift = noise((width // 64, height // 64), "RGB").resize(image.size, Image.Resampling.BICUBIC)
    return Image.blend(ImageChops.soft_light(image, shade), drift, 0.08)


def _texture(image: Image.Image, shape: Shape, seed: int) -> None:
    """Repaint one annotation region with grain and a colour cast, stronger when likelier."""
    mask = Image.new("L", image.size, 0)
    mask_draw = ImageDraw.Draw(mask)
    strength = int(150 + 105 * min(max(shape.likelihood, 0.0), 1.0))
    if shape.kind == "RECTANGLE":
        x, y, w, h = shape.rect
        mask_draw.rectangle((x, y, x + w - 1, y + h - 1), fill=strength)
    elif len(shape.points) >= 3:
        mask_draw.polygon(list(shape.points), fill=strength)
    box = mask.getbbox()
    if box is None:
        return
    region = (box[2] - box[0], box[3] - box[1])
    rng = random.Random(seed)
    # Uniform grain from a seeded RNG (Image.effect_noise is unseeded: not deterministic).
    noise = Image.frombytes("L", region, rng.randbytes(region[0] * region[1]))
    cast = (rng.randint(150, 255), rng.randint(0, 90), rng.randint(120, 255))
    grain = ImageOps.colorize(noise, (20, 10, 30), cast)
    patch = ImageChops.blend(image.crop(box), grain, 0.7)
    image.paste(patch, box, mask.crop(box))


def render_preview(seed: int, size: tuple[int, int], shapes: list[Shape]) -> bytes:
    """The preview PNG of an order: the artwork with its annotation regions textured."""
    image = _artwork(seed, size)
    if PAINTERLY:
        image = _painterly(image, seed)
    for number, shape in enumerate(shapes):
        _texture(image, shape, seed * 31 + number)
    return _png(image)


def render_layer(seed: int, size: tuple[int, int], layer: int) -> bytes:
    """One layer's PNG (smaller than the preview; layer 0 is the background)."""
    layer_size = (max(int(size[0] * LAYER_SCALE), 1), max(int(size[1] * LAYER_SCALE), 1))
    return _png(_artwork(seed, layer_size, layer))


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    # Level 1: a third of the time of the default level for ~15 % more bytes.
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A tiny, well-formed PNG header claiming ``width × height`` 8-bit grey pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1) * 4, 9)  # four rows of the promised image
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", rows)
        + _chunk(b"IEND", b"")
    )


class ImageCache:
    """A small bounded LRU of encoded image bytes (thread-safe)."""

    def __init__(self, capacity: int = 32) -> None:
        self.capacity = capacity
        self._items: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: tuple[object, ...], value: bytes) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
