"""The demo's preview artwork is textured like real artwork (the preview benchmark's ratios
and any decode timing against the demo rely on it), still deterministic, with the annotation
regions still rougher than the rest; ``PAINTERLY = False`` gives the old flat art."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageStat

from artistree_tui.demo import images
from artistree_tui.demo.orders import Shape

SIZE = (320, 240)
REGION = (100, 60, 120, 100)  # x, y, w, h


def roughness(data: bytes, inside: bool) -> float:
    """Mean difference between horizontally adjacent grey pixels, inside or outside REGION."""
    grey = Image.open(io.BytesIO(data)).convert("L")
    x, y, w, h = REGION
    mask = Image.new("L", SIZE, 0 if inside else 255)
    ImageDraw.Draw(mask).rectangle((x + 3, y + 3, x + w - 4, y + h - 4), fill=255 if inside else 0)
    difference = ImageChops.difference(grey, ImageChops.offset(grey, 1, 0))
    return float(ImageStat.Stat(difference, mask).mean[0])


def test_previews_are_painterly_unless_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    shapes = [Shape("RECTANGLE", rect=REGION, likelihood=0.2)]
    textured = images.render_preview(5, SIZE, shapes)
    assert textured == images.render_preview(5, SIZE, shapes)  # deterministic
    monkeypatch.setattr(images, "PAINTERLY", False)
    flat = images.render_preview(5, SIZE, shapes)
    assert len(textured) > 2 * len(flat)  # texture does not compress like flat fills
    assert roughness(textured, inside=False) > 2 * roughness(flat, inside=False)
    # The (low-likelihood, so faintest) region still stands out from the painted surface.
    assert roughness(textured, inside=True) > 3 * roughness(textured, inside=False)
