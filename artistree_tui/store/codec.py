"""How values cross into SQLite and back unchanged: text escaping and the full Order as JSON.

Everything read back from the index is untrusted text, exactly as the API sent it: the layer
returns raw strings and the UI shows them through :mod:`artistree_tui.display`, as before.

- **Text columns.** SQLite stores UTF-8, and a string from the API may hold a lone surrogate
  (``"\\ud83d"``: hostile data does), which UTF-8 cannot encode. :func:`to_db` escapes such a
  string reversibly (``U+FFFE`` followed by a stand-in character; ``U+FFFE`` itself is doubled)
  and :func:`from_db` undoes it, so every string round-trips exactly. Strings without either
  character (all real data) pass through untouched.
- **JSON columns** (tags, analyses, the full order) are written with ``ensure_ascii``: pure
  ASCII, lone surrogates included.
- **The full order** is kept losslessly as JSON of the :class:`~artistree_tui.api.models.Order`
  dataclass (:func:`order_to_json` / :func:`order_from_json`): every field, nested ones too.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from artistree_tui.api.models import (
    Analysis,
    Annotation,
    AnnotationBody,
    Bounds,
    Geometry,
    Layer,
    Order,
    Project,
)

ESCAPE = "\ufffe"
_SURROGATES = 0xD800
_STAND_IN = 0x10000  # a lone surrogate U+D8xx is written as ESCAPE + chr(0x10000 + offset)
_SPECIAL = re.compile("[\ud800-\udfff\ufffe]")
_ESCAPED = re.compile("\ufffe(.)", re.DOTALL)


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char == ESCAPE:
        return ESCAPE + ESCAPE
    return ESCAPE + chr(_STAND_IN + ord(char) - _SURROGATES)


def _unescape(match: re.Match[str]) -> str:
    char = match.group(1)
    if char == ESCAPE:
        return ESCAPE
    return chr(_SURROGATES + ord(char) - _STAND_IN)


def to_db(text: str) -> str:
    """``text`` as a string SQLite can store (see the module docstring)."""
    if text.isascii() or not _SPECIAL.search(text):
        return text
    return _SPECIAL.sub(_escape, text)


def opt_to_db(text: str | None) -> str | None:
    return None if text is None else to_db(text)


def from_db(text: str) -> str:
    """The exact string :func:`to_db` was given."""
    if ESCAPE not in text:
        return text
    return _ESCAPED.sub(_unescape, text)


def opt_from_db(text: str | None) -> str | None:
    return None if text is None else from_db(text)


_ENCODER = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), allow_nan=False)


def dumps(value: Any) -> str:
    """Compact, pure-ASCII JSON (lone surrogates survive as ``\\ud83d`` escapes)."""
    return _ENCODER.encode(value)


# -- analyses and tags ----------------------------------------------------------------------


_JSON_CACHE: dict[tuple[object, ...], str] = {}


def _cached(key: tuple[object, ...], make: Any) -> str:
    """Analyses and tag lists repeat a lot: encode each distinct one once (bounded)."""
    text = _JSON_CACHE.get(key)
    if text is None:
        text = make()
        if len(text) <= 512:  # a hostile 100 KB tag is encoded, not kept
            if len(_JSON_CACHE) >= 4096:
                _JSON_CACHE.clear()
            _JSON_CACHE[key] = text
    return text


def analyses_to_json(analyses: tuple[Analysis, ...]) -> str:
    return _cached(analyses, lambda: dumps([[a.analysis_type, a.passed] for a in analyses]))


def analyses_from_json(text: str) -> tuple[Analysis, ...]:
    return tuple(Analysis(str(kind), passed) for kind, passed in json.loads(text))


def tags_to_json(tags: tuple[str, ...]) -> str:
    return _cached(("tags", *tags), lambda: dumps(list(tags)))


def tags_from_json(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


# -- the full order -------------------------------------------------------------------------


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _geometry(g: Geometry) -> dict[str, Any]:
    bounds = (
        None
        if g.bounds is None
        else [g.bounds.min_x, g.bounds.min_y, g.bounds.max_x, g.bounds.max_y]
    )
    return {"x": g.x, "y": g.y, "w": g.w, "h": g.h, "points": g.points, "bounds": bounds}


def _annotation(a: Annotation) -> dict[str, Any]:
    return {
        "id": a.id,
        "selector_type": a.selector_type,
        "geometry": _geometry(a.geometry),
        "bodies": [[b.value, b.id, b.annotation] for b in a.bodies],
        "ai_likelihood": a.ai_likelihood,
        "needs_remediation": a.needs_remediation,
    }


def order_to_json(order: Order) -> str:
    """The whole :class:`Order` as compact ASCII JSON; :func:`order_from_json` reverses it."""
    project = order.project
    return dumps(
        {
            "order_id": order.order_id,
            "username": order.username,
            "email": order.email,
            "order_state": order.order_state,
            "order_title": order.order_title,
            "asset_id": order.asset_id,
            "asset_name": order.asset_name,
            "asset_last_modified": order.asset_last_modified,
            "ordered_by": order.ordered_by,
            "creation_time": _time(order.creation_time),
            "asset_preview_url": order.asset_preview_url,
            "analyses": [[a.analysis_type, a.passed] for a in order.analyses],
            "failed_items": order.failed_items,
            "tags": order.tags,
            "confidence": order.confidence,
            "remediation": order.remediation,
            "annotations": [_annotation(a) for a in order.annotations],
            "project": None if project is None else [project.id, project.name, project.user_role],
            "reviewed_by": order.reviewed_by,
            "review_timestamp": _time(order.review_timestamp),
            "layers": [[layer.name, layer.url] for layer in order.layers],
        }
    )


def _geometry_from(data: dict[str, Any]) -> Geometry:
    bounds = data["bounds"]
    return Geometry(
        x=data["x"],
        y=data["y"],
        w=data["w"],
        h=data["h"],
        points=tuple((float(x), float(y)) for x, y in data["points"]),
        bounds=None if bounds is None else Bounds(*bounds),
    )


def _annotation_from(data: dict[str, Any]) -> Annotation:
    return Annotation(
        id=data["id"],
        selector_type=data["selector_type"],
        geometry=_geometry_from(data["geometry"]),
        bodies=tuple(AnnotationBody(v, i, a) for v, i, a in data["bodies"]),
        ai_likelihood=data["ai_likelihood"],
        needs_remediation=data["needs_remediation"],
    )


def order_from_json(text: str) -> Order:
    """The :class:`Order` :func:`order_to_json` wrote."""
    data = json.loads(text)
    project = data["project"]
    return Order(
        order_id=data["order_id"],
        username=data["username"],
        email=data["email"],
        order_state=data["order_state"],
        order_title=data["order_title"],
        asset_id=data["asset_id"],
        asset_name=data["asset_name"],
        asset_last_modified=data["asset_last_modified"],
        ordered_by=data["ordered_by"],
        creation_time=_parse_time(data["creation_time"]),
        asset_preview_url=data["asset_preview_url"],
        analyses=tuple(Analysis(kind, passed) for kind, passed in data["analyses"]),
        failed_items=tuple(data["failed_items"]),
        tags=tuple(data["tags"]),
        confidence=data["confidence"],
        remediation=data["remediation"],
        annotations=tuple(_annotation_from(a) for a in data["annotations"]),
        project=None if project is None else Project(*project),
        reviewed_by=data["reviewed_by"],
        review_timestamp=_parse_time(data["review_timestamp"]),
        layers=tuple(Layer(name, url) for name, url in data["layers"]),
    )
