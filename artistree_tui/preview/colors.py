"""Colour modes and the overlay palettes, including the 16-colour quantize step.

The terminal decides how many colours a half-block image gets. Textual renders every RGB
colour through the console's colour system: with ``COLORTERM=truecolor`` (or ``24bit``) RGB
goes out as is; with ``TERM=*-256color`` and no ``COLORTERM`` Rich maps each colour onto the
xterm 6×6×6 cube and grey ramp (fine for a photo); with plain ``TERM=xterm``/``screen`` it
maps onto the 16 ANSI colours, which turns a photo into blotches in which red/amber/green
outlines vanish. So in 16-colour mode the image is first reduced to four ANSI greys (dithered)
and the outlines use the bright ANSI colours: every RGB value emitted is then exactly one of
Rich's standard palette entries, which Rich maps back to that very index (distance 0).
With ``NO_COLOR`` Textual greys everything out itself (its Monochrome filter).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from PIL import Image

__all__ = [
    "ANSI16_PALETTE",
    "TRUECOLOR_PALETTE",
    "ColorMode",
    "Palette",
    "band",
    "color_mode_for",
    "palette_for",
    "quantize_ansi16",
]

RGB = tuple[int, int, int]
ColorMode = Literal["truecolor", "256", "16"]

#: Likelihood bands: below LOW is low, below HIGH is medium, from HIGH on is high.
LOW, HIGH = 0.3, 0.7


@dataclass(frozen=True, slots=True)
class Palette:
    """Outline colours per likelihood band, bright (normal/selected) and dimmed."""

    low: RGB
    medium: RGB
    high: RGB
    unknown: RGB
    low_dim: RGB
    medium_dim: RGB
    high_dim: RGB
    unknown_dim: RGB
    remediation: RGB

    def color(self, likelihood: float | None, *, dimmed: bool = False) -> RGB:
        name = band(likelihood)
        rgb: RGB = getattr(self, f"{name}_dim" if dimmed else name)
        return rgb


def _dim(rgb: RGB, factor: float = 0.45) -> RGB:
    r, g, b = rgb
    return (round(r * factor), round(g * factor), round(b * factor))


_TC = {"low": (46, 204, 113), "medium": (255, 176, 0), "high": (255, 59, 48)}
_TC_UNKNOWN = (90, 160, 255)

TRUECOLOR_PALETTE = Palette(
    low=_TC["low"],
    medium=_TC["medium"],
    high=_TC["high"],
    unknown=_TC_UNKNOWN,
    low_dim=_dim(_TC["low"]),
    medium_dim=_dim(_TC["medium"]),
    high_dim=_dim(_TC["high"]),
    unknown_dim=_dim(_TC_UNKNOWN),
    remediation=(255, 64, 255),
)

# Exactly Rich's standard palette entries (indices in comments): bright when drawn normally,
# the normal-intensity variant when dimmed.
ANSI16_PALETTE = Palette(
    low=(85, 255, 85),  # 10 bright green
    medium=(255, 255, 85),  # 11 bright yellow
    high=(255, 85, 85),  # 9 bright red
    unknown=(85, 255, 255),  # 14 bright cyan
    low_dim=(0, 170, 0),  # 2 green
    medium_dim=(170, 85, 0),  # 3 yellow (brown)
    high_dim=(170, 0, 0),  # 1 red
    unknown_dim=(0, 170, 170),  # 6 cyan
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
        image = Image.new("P", (1, 1))
        flat = [c for rgb in ANSI16_GREYS for c in rgb]
        image.putpalette(flat + flat[-3:] * (256 - len(ANSI16_GREYS)))
        _GREY_PALETTE_IMAGE = image
    return _GREY_PALETTE_IMAGE


def quantize_ansi16(image: Image.Image) -> Image.Image:
    """The image as dithered ANSI greys (an RGB image using only :data:`ANSI16_GREYS`)."""
    grey = image.convert("L").convert("RGB")
    return grey.quantize(palette=_grey_palette(), dither=Image.Dither.FLOYDSTEINBERG).convert("RGB")
