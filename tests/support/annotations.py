"""Annotations with known geometry, built by hand (no tests here)."""

from __future__ import annotations

from typing import Any

from artistree_tui.api.models import Annotation, Geometry


def rect(
    x: float, y: float, w: float, h: float, likelihood: float | None = None, **kw: Any
) -> Annotation:
    """A rectangle region at (x, y), w × h source pixels, with that AI likelihood (also
    accepted as ``ai_likelihood=``)."""
    kw.setdefault("ai_likelihood", likelihood)
    return Annotation(selector_type="RECTANGLE", geometry=Geometry(x=x, y=y, w=w, h=h), **kw)


def poly(*points: tuple[float, float], **kw: Any) -> Annotation:
    """A polygon region through ``points`` (source pixels)."""
    return Annotation(selector_type="POLYGON", geometry=Geometry(points=points), **kw)
