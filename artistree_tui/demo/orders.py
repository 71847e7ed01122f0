"""Turning an order index into the API's Order and OrderPreview objects.

Every field is drawn from a ``random.Random`` seeded with ``(seed, index)``, so an order is
the same on every request and costs nothing to keep. The draws are split in two:

- :class:`Base` — who, what, which file: independent of the state;
- :class:`Outcome` — analyses, findings, annotations, confidence, remediation, review: the
  result of the order's *final* state. An order still In Progress shows none of it yet.

Annotation geometry is in preview-image pixels; :mod:`artistree_tui.demo.images` draws the
preview from the same :class:`Outcome`, so the regions sit on visibly different artwork.
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from artistree_tui.demo import hostile, words
from artistree_tui.demo.catalog import (
    ACTION_REQUIRED,
    CERTIFIED,
    FAILED,
    IN_PROGRESS,
    PERSONAL,
    PERSONAL_CERTIFICATES,
    REVIEWED,
    STATES,
    UNSUPPORTED,
    Catalog,
)
from artistree_tui.demo.clock import iso8601
from artistree_tui.demo.ids import NS_ANNOTATION, NS_ASSET, hash64, uuid_for, uuid_from_bits

#: Signs a path on the demo's origin into an expiring URL.
Presign = Callable[[str], str]

PREVIEW_KEYS = (
    "order_id",
    "order_title",
    "creation_time",
    "order_state",
    "asset_preview_url",
    "project_name",
    "analysis_list",
    "tags",
)


@dataclass(frozen=True, slots=True)
class Base:
    """The state-independent facts of an order."""

    title: str
    username: str
    email: str
    ordered_by: str
    asset_name: str
    modified: int
    tags: list[str]
    layers: list[str]
    percent_scale: bool  # ai_likelihood on 0-100 instead of 0-1
    with_properties: bool  # some answers lack annotation ``properties`` (older API versions)


@dataclass(frozen=True, slots=True)
class Shape:
    """An annotation region: a rectangle (x, y, w, h) or a polygon (points)."""

    kind: str
    rect: tuple[int, int, int, int] = (0, 0, 0, 0)
    points: tuple[tuple[float, float], ...] = ()
    likelihood: float = 0.0  # always on 0-1 here
    needs_remediation: bool = False
    texts: tuple[str, ...] = ()

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        if self.kind == "RECTANGLE":
            x, y, w, h = self.rect
            return (x, y, x + w, y + h)
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        return (min(xs), min(ys), max(xs), max(ys))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the analysis of an order found, in its final state."""

    analyses: list[tuple[str, bool]]
    failed_items: list[str]
    confidence: float
    remediation: float
    shapes: list[Shape]
    has_preview: bool
    reviewer: str | None = None
    reviewed_at: float | None = None


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _slug(text: str) -> str:
    cleaned = "".join(ch if ch.isalnum() else "-" for ch in _ascii(text).lower())
    return "-".join(part for part in cleaned.split("-") if part)


class OrderFactory:
    """Builds order dicts for the catalog; ``preview_size`` is the preview image's pixels."""

    def __init__(self, catalog: Catalog, preview_size: tuple[int, int]) -> None:
        self.catalog = catalog
        self.width, self.height = preview_size

    def base(self, index: int) -> Base:
        """The state-independent facts of order ``index``."""
        cat = self.catalog
        rng = random.Random(hash64(cat.seed, index, 1))
        first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
        username = _ascii(f"{first}.{last}").lower()
        personal = cat.project_code(index) == PERSONAL
        domain = rng.choice(words.FREELANCE_DOMAINS) if personal else words.ORG_DOMAIN
        title = (
            f"{rng.choice(words.TITLE_ADJECTIVES)} {rng.choice(words.TITLE_SUBJECTS)}"
            f"{rng.choice(words.TITLE_SUFFIXES)}"
        )
        unsupported = cat.final_state(index) == UNSUPPORTED
        extensions = words.UNSUPPORTED_EXTENSIONS if unsupported else words.SUPPORTED_EXTENSIONS
        extension = rng.choice(extensions)
        stem = _slug(title) if rng.random() < 0.7 else f"IMG_{rng.randint(1000, 9999)}"
        ordered_by = username
        if rng.random() < 0.3:  # ordered on behalf of an artist
            ordered_by = f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"
        layers: list[str] = []
        if extension == ".psd":
            picked = set(rng.sample(range(len(words.LAYER_NAMES)), rng.randint(2, 6)))
            layers = [name for n, name in enumerate(words.LAYER_NAMES) if n in picked]
        created = cat.created_at(index)
        return Base(
            title=title,
            username=username,
            email=f"{username}@{domain}",
            ordered_by=ordered_by,
            asset_name=stem + extension,
            modified=int(created - rng.uniform(300, 20 * 86400)),
            tags=rng.sample(words.TAGS, rng.choice((0, 1, 1, 2, 2, 3, 4))),
            layers=layers,
            percent_scale=rng.random() < 0.1,
            with_properties=rng.random() >= 0.04,
        )

    def outcome(self, index: int, base: Base) -> Outcome:
        """The analysis result of order ``index`` in its final state."""
        cat = self.catalog
        final = cat.final_state(index)
        rng = random.Random(hash64(cat.seed, index, 2))
        if final == UNSUPPORTED:
            return Outcome([], [], 0.0, 0.0, [], has_preview=False)
        chosen = rng.sample(words.ANALYSIS_TYPES, rng.randint(3, 5))
        if base.layers:
            chosen.append(words.LAYER_ANALYSIS)
        fails = {
            CERTIFIED: 0,
            REVIEWED: rng.randint(1, 2),
            ACTION_REQUIRED: rng.randint(1, 3),
            FAILED: rng.randint(2, 4),
        }[final]
        failing = set(rng.sample(chosen, min(fails, len(chosen))))
        failed_items: list[str] = []
        if failing:
            failed_items = rng.sample(words.SEGMENT_NAMES, rng.randint(1, 3))
            if base.layers:
                failed_items = rng.sample(base.layers, rng.randint(1, min(2, len(base.layers))))
        low, high, count_range, confidence = {
            CERTIFIED: (0.02, 0.35, (0, 2), (0.85, 0.99)),
            REVIEWED: (0.2, 0.9, (1, 5), (0.6, 0.95)),
            ACTION_REQUIRED: (0.4, 0.99, (2, 8), (0.5, 0.8)),
            FAILED: (0.6, 0.99, (1, 8), (0.7, 0.99)),
        }[final]
        shapes = [
            self._shape(rng, rng.uniform(low, high)) for _ in range(rng.randint(*count_range))
        ]
        remediation = {
            CERTIFIED: rng.choice((0.0, 0.5)),
            REVIEWED: rng.choice((0.0, 0.5, 1.0)),
            ACTION_REQUIRED: rng.choice((1.0, 1.0, 0.5)),
            FAILED: 1.0,
        }[final]
        reviewer = reviewed_at = None
        if final == REVIEWED:
            reviewer = _ascii(
                f"{rng.choice(words.FIRST_NAMES)}.{rng.choice(words.LAST_NAMES)}"
            ).lower()
            reviewer = f"{reviewer}@{words.ORG_DOMAIN}"
            created = cat.created_at(index)
            reviewed_at = min(created + rng.uniform(3600, 5 * 86400), cat.epoch - 60)
        return Outcome(
            analyses=[(name, name not in failing) for name in chosen],
            failed_items=failed_items,
            confidence=round(rng.uniform(*confidence), 3),
            remediation=remediation,
            shapes=shapes,
            has_preview=final != FAILED or rng.random() < 0.7,
            reviewer=reviewer,
            reviewed_at=reviewed_at,
        )

    def _shape(self, rng: random.Random, likelihood: float) -> Shape:
        width, height = self.width, self.height
        needs = likelihood >= 0.7 or (likelihood >= 0.5 and rng.random() < 0.3)
        texts = tuple(
            rng.choice(words.FINDINGS) + rng.choice(words.FOLLOW_UPS)
            for _ in range(rng.randint(1, 2))
        )
        if rng.random() < 0.6:
            w = rng.randint(max(width // 12, 1), max(width // 3, 1))
            h = rng.randint(max(height // 12, 1), max(height // 3, 1))
            x, y = rng.randint(0, width - w), rng.randint(0, height - h)
            return Shape(
                "RECTANGLE",
                rect=(x, y, w, h),
                likelihood=likelihood,
                needs_remediation=needs,
                texts=texts,
            )
        radius = min(width, height) * rng.uniform(1 / 14, 1 / 5)
        cx, cy = rng.uniform(radius, width - radius), rng.uniform(radius, height - radius)
        corners = rng.randint(3, 7)
        # Evenly spread corners with some jitter: a blob, never a sliver.
        step = 2 * math.pi / corners
        angles = [k * step + rng.uniform(-0.3, 0.3) * step for k in range(corners)]
        points = []
        for angle in angles:
            r = radius * rng.uniform(0.6, 1.0)
            px = min(max(cx + r * math.cos(angle), 0.0), float(width))
            py = min(max(cy + r * math.sin(angle), 0.0), float(height))
            points.append((round(px, 1), round(py, 1)))
        return Shape(
            "POLYGON",
            points=tuple(points),
            likelihood=likelihood,
            needs_remediation=needs,
            texts=texts,
        )

    # -- wire format --------------------------------------------------------------------

    def order(
        self, index: int, now: float, presign: Presign, *, hostile_on: bool, light: bool = False
    ) -> dict[str, Any]:
        """The full Order object of ``index`` as the API sends it at demo time ``now``.

        ``light`` skips what a preview row does not carry (annotations, layers): the result
        is then only good for :meth:`preview`.
        """
        cat = self.catalog
        base = self.base(index)
        outcome = self.outcome(index, base)
        state = cat.state_at(index, now)
        order_id = cat.ids.encode(index)
        done = state != IN_PROGRESS
        project = None
        code = cat.project_code(index)
        if code != PERSONAL:
            p = cat.projects[code - 1]
            project = {"id": p.id, "name": self.project_name(code, hostile_on), "userRole": p.role}
        order: dict[str, Any] = {
            "order_id": order_id,
            "username": base.username,
            "email": base.email,
            "order_state": STATES[state],
            "order_title": base.title,
            "asset_id": uuid_for(NS_ASSET, cat.seed, index),
            "asset_name": base.asset_name,
            "asset_last_modified_timestamp": str(base.modified),
            "ordered_by": base.ordered_by,
            "creation_time": iso8601(cat.created_at(index)),
            "asset_preview_url": (
                presign(f"/files/previews/{order_id}.png") if outcome.has_preview else None
            ),
            "analysis_list": [
                {"analysis_type": name, "analysis_passed": passed}
                for name, passed in (outcome.analyses if done else [])
            ],
            "analysis_failed_items": list(outcome.failed_items) if done else [],
            "tags": list(base.tags),
            "confidence": outcome.confidence if done else 0.0,
            "remediation": outcome.remediation if done else 0.0,
            "annotations": self._annotations(index, outcome, base) if done and not light else [],
            "project": project,
            "reviewed_by": outcome.reviewer if state == REVIEWED else None,
            "review_timestamp": (
                iso8601(outcome.reviewed_at)
                if state == REVIEWED and outcome.reviewed_at is not None
                else None
            ),
            "layers_info": [
                {"layer_name": name, "layer_url": presign(f"/files/layers/{order_id}/{n}.png")}
                for n, name in enumerate(base.layers if done and not light else [])
            ],
        }
        if hostile_on and hostile.is_hostile(cat.seed, index, cat.initial - 1):
            hostile.poison(order, index)
        return order

    def _annotations(self, index: int, outcome: Outcome, base: Base) -> list[dict[str, Any]]:
        # Ids from one seeded RNG per order: hashing each id separately costs 5x more.
        ids = random.Random(hash64(self.catalog.seed, index, NS_ANNOTATION))
        return [self._annotation(ids, shape, base) for shape in outcome.shapes]

    def _annotation(self, ids: random.Random, shape: Shape, base: Base) -> dict[str, Any]:
        annotation_id = uuid_from_bits(ids.getrandbits(122))
        min_x, min_y, max_x, max_y = shape.bounds
        geometry: dict[str, Any] = {
            "bounds": {"minX": min_x, "minY": min_y, "maxX": max_x, "maxY": max_y}
        }
        if shape.kind == "RECTANGLE":
            geometry.update(zip("xywh", shape.rect, strict=True))
        else:
            geometry["points"] = [list(p) for p in shape.points]
        likelihood = (
            round(shape.likelihood * 100, 1) if base.percent_scale else round(shape.likelihood, 3)
        )
        annotation: dict[str, Any] = {
            "id": annotation_id,
            "bodies": [
                {
                    "value": text,
                    "id": uuid_from_bits(ids.getrandbits(122)),
                    "annotation": annotation_id,
                }
                for text in shape.texts
            ],
            "target": {
                "annotation": annotation_id,
                "selector": {"type": shape.kind, "geometry": geometry},
            },
        }
        if base.with_properties:
            annotation["properties"] = {
                "needs_remediation": shape.needs_remediation,
                "ai_likelihood": likelihood,
            }
        return annotation

    def project_name(self, code: int, hostile_on: bool) -> str:
        """A project's display name; the last project is poisoned in hostile mode."""
        if code == PERSONAL:
            return PERSONAL_CERTIFICATES
        name = self.catalog.projects[code - 1].name
        if hostile_on and code == len(self.catalog.projects):
            return hostile.project_name(name)
        return name

    def preview(self, order: dict[str, Any]) -> dict[str, Any]:
        """The light OrderPreview row of a full order dict."""
        row = {key: order[key] for key in PREVIEW_KEYS if key in order}
        project = order.get("project")
        row["project_name"] = project["name"] if project else PERSONAL_CERTIFICATES
        return {key: row[key] for key in PREVIEW_KEYS}
