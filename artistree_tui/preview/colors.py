"""Colour modes, the overlay palettes, and the colour reduction a picture gets first.

The terminal decides how many colours a half-block image gets. Textual renders every RGB
colour through the console's colour system: with ``COLORTERM=truecolor`` (or ``24bit``) RGB
goes out as is; with ``TERM=*-256color`` and no ``COLORTERM`` Rich maps each colour onto the
xterm 6×6×6 cube and grey ramp (fine for a photo); with plain ``TERM=xterm``/``screen`` it
maps onto the 16 ANSI colours, which turns a photo into blotches in which red/amber/green
outlines vanish. So in 16-colour mode the image is first reduced to four ANSI greys (dithered)
and the outlines use the bright ANSI colours: every RGB value emitted is then exactly one of
Rich's standard palette entries, which Rich maps back to that very index (distance 0).
With ``NO_COLOR`` Textual greys everything out itself (its Monochrome filter).

Otherwise (:func:`reduce_colors`) each channel keeps 5 bits (:data:`LEVELS`): levels ~8 apart,
which no one tells apart in a half-block cell (tested side by side; 4 bits shows bands in a
sky), and a textured picture then has ~5× fewer distinct colours and ~25 % fewer distinct
cells. That matters more than it seems: every distinct colour and cell is a Rich object to
build and an entry in Rich's and Textual's caches (1,024 colours each) — a picture with more
colours than that misses them on every cell. The outline colours are drawn afterwards, exact;
each has a channel off the 5-bit grid, so no artwork pixel can ever equal one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # Pillow is imported with the first picture, not at startup
    from PIL import Image

__all__ = [
    "ANSI16_PALETTE",
    "BAND_GLYPHS",
    "REMEDIATION_GLYPH",
    "TRUECOLOR_PALETTE",
    "ColorMode",
    "Palette",
    "band",
    "color_mode_for",
    "glyph",
    "palette_for",
    "quantize_ansi16",
    "reduce_colors",
]

RGB = tuple[int, int, int]
ColorMode = Literal["truecolor", "256", "16"]

#: Likelihood bands: below LOW is low, below HIGH is medium, from HIGH on is high.
LOW, HIGH = 0.3, 0.7


@dataclass(frozen=True, slots=True)
class Palette:
    """Outline colours per likelihood band, and the needs-remediation mark's. A region keeps
    its band's colour when another one is selected (the overlay dots its outline instead of
    darkening it), so the legend always matches."""

    low: RGB
    medium: RGB
    high: RGB
    unknown: RGB
    remediation: RGB

    def color(self, likelihood: float | None) -> RGB:
        rgb: RGB = getattr(self, band(likelihood))
        return rgb


TRUECOLOR_PALETTE = Palette(
    low=(46, 204, 113),
    medium=(255, 176, 0),
    high=(255, 59, 48),
    unknown=(90, 160, 255),
    remediation=(255, 64, 255),
)

# Exactly Rich's standard palette entries (indices in comments), the bright ones.
ANSI16_PALETTE = Palette(
    low=(85, 255, 85),  # 10 bright green
    medium=(255, 255, 85),  # 11 bright yellow
    high=(255, 85, 85),  # 9 bright red
    unknown=(85, 255, 255),  # 14 bright cyan
    remediation=(255, 85, 255),  # 13 bright magenta
)

#: The four ANSI greys the image is reduced to in 16-colour mode: 0, 8, 7, 15.
ANSI16_GREYS: tuple[RGB, ...] = ((0, 0, 0), (85, 85, 85), (170, 170, 170), (255, 255, 255))


def band(likelihood: float | None) -> str:
    """``"low"``, ``"medium"``, ``"high"`` or ``"unknown"`` for a 0–1 likelihood."""
    if likelihood is None:
        return "unknown"
    if likelihood < LOW:
        return "low"
    if likelihood < HIGH:
        return "medium"
    return "high"


#: The symbol of each band, in the legend and on each region's corner: the band reads without
#: colour (NO_COLOR, 16 colours, colour-blind eyes). Circles filling up as the likelihood
#: grows; single-cell characters every terminal font has.
BAND_GLYPHS = {"low": "○", "medium": "◐", "high": "●", "unknown": "?"}
#: Next to the band's symbol when the region needs remediation.
REMEDIATION_GLYPH = "!"


def glyph(likelihood: float | None) -> str:
    """The band symbol for a 0–1 likelihood (see :data:`BAND_GLYPHS`)."""
    return BAND_GLYPHS[band(likelihood)]


def palette_for(mode: ColorMode) -> Palette:
    return ANSI16_PALETTE if mode == "16" else TRUECOLOR_PALETTE


def color_mode_for(color_system: str | None) -> ColorMode:
    """Map a Rich ``Console.color_system`` name to the mode the renderer uses."""
    if color_system == "truecolor":
        return "truecolor"
    if color_system == "256":
        return "256"
    return "16"


_GREY_PALETTE_IMAGE: Image.Image | None = None


def _grey_palette() -> Image.Image:
    global _GREY_PALETTE_IMAGE
    if _GREY_PALETTE_IMAGE is None:
        from PIL import Image

        image = Image.new("P", (1, 1))
        flat = [c for rgb in ANSI16_GREYS for c in rgb]
        image.putpalette(flat + flat[-3:] * (256 - len(ANSI16_GREYS)))
        _GREY_PALETTE_IMAGE = image
    return _GREY_PALETTE_IMAGE


def quantize_ansi16(image: Image.Image) -> Image.Image:
    """The image as dithered ANSI greys (an RGB image using only :data:`ANSI16_GREYS`)."""
    from PIL import Image

    grey = image.convert("L").convert("RGB")
    return grey.quantize(palette=_grey_palette(), dither=Image.Dither.FLOYDSTEINBERG).convert("RGB")


#: Levels per channel :func:`reduce_colors` keeps outside 16-colour mode (5 bits).
LEVELS = 32


def level(value: int) -> int:
    """The 0–255 channel value nearest to ``value`` on the :data:`LEVELS` grid (the grid
    spans 0–255 evenly, so black, white and pure primaries stay exact)."""
    step = (value * (LEVELS - 1) + 127) // 255
    return (step * 255 + (LEVELS - 1) // 2) // (LEVELS - 1)


_LEVEL_LUT = [level(value) for value in range(256)] * 3


def reduce_colors(image: Image.Image, mode: ColorMode) -> Image.Image:
    """The picture as it should become cells, before the outlines are drawn on it: dithered
    ANSI greys in 16-colour mode, otherwise every channel on the :data:`LEVELS` grid (a
    lookup table applied by Pillow, in C). Returns an RGB image."""
    if mode == "16":
        return quantize_ansi16(image)
    if image.mode != "RGB":
        image = image.convert("RGB")
    return image.point(_LEVEL_LUT)
