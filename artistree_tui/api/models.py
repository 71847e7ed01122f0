"""Typed, immutable models of what the Artistree orders API returns.

These are plain dataclasses with slots: cheap to hold by the thousand, easy to compare in
tests, and free of any UI concern. They are built only by :mod:`artistree_tui.api.parse`,
which is tolerant of missing, null and wrong-typed fields; every field therefore has a
sensible default and strings are never ``None`` unless the contract says the value may be
absent (``asset_preview_url``, ``reviewed_by`` ...).

Strings in these objects are *untrusted*: they come from whoever uploaded an artwork. The UI
must show them through its display boundary, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from artistree_tui.api.redact import redacted_repr


class OrderState(StrEnum):
    """The six states the contract names. Unknown states are kept as raw text on the order."""

    IN_PROGRESS = "In Progress"
    HUMAN_CERTIFIED = "Human Certified"
    ACTION_REQUIRED = "Action Required"
    REVIEWED = "Reviewed"
    FAILED = "Failed"
    UNSUPPORTED_FILE = "Unsupported File"


#: The known state values, in the order the stats bar shows them.
KNOWN_STATES: tuple[str, ...] = tuple(s.value for s in OrderState)

#: States whose ``confidence`` is a placeholder (the API sends 0), not a result of the
#: analysis: an order still being analysed, or one whose file could not be.
UNSCORED_STATES = frozenset({OrderState.IN_PROGRESS.value, OrderState.UNSUPPORTED_FILE.value})


def has_score(state: str, value: float | None) -> bool:
    """True when ``value`` is a real confidence for an order in ``state``."""
    return value is not None and value >= 0 and state not in UNSCORED_STATES


#: Literal project id that lists every order of the organization.
ALL_PROJECTS = "All Projects"
#: Literal project name *and* id of orders that belong to no project.
PERSONAL_CERTIFICATES = "Personal Certificates"

#: The ``asked_at`` of an :class:`Order` or :class:`OrdersPage` the API client returns: the
#: Unix time at which the request that got the answer was sent (its last attempt, after
#: retries and a token refresh). The answer shows the order as it was at that time or later,
#: so of two answers about one order, the one asked later is the newer (the order index keeps
#: it: a late answer to an earlier request does not turn a state back). None: not read from
#: the API by that client (a test's, a parser's alone). Not compared, not stored in the index.
ASKED_AT = "asked_at"


@dataclass(slots=True, frozen=True)
class Analysis:
    """One check the service ran; ``passed`` is None when the answer did not say."""

    analysis_type: str = ""
    passed: bool | None = None


@dataclass(slots=True, frozen=True)
class Bounds:
    """An axis-aligned box in preview-image pixels."""

    min_x: float
    min_y: float
    max_x: float
    max_y: float

    @property
    def width(self) -> float:
        return self.max_x - self.min_x

    @property
    def height(self) -> float:
        return self.max_y - self.min_y


@dataclass(slots=True, frozen=True)
class Geometry:
    """Selector geometry: x/y/w/h for rectangles, ``points`` for polygons, ``bounds`` for both."""

    x: float | None = None
    y: float | None = None
    w: float | None = None
    h: float | None = None
    points: tuple[tuple[float, float], ...] = ()
    bounds: Bounds | None = None


@dataclass(slots=True, frozen=True)
class AnnotationBody:
    """A free-text body attached to an annotation (Annotorious model)."""

    value: str = ""
    id: str = ""
    annotation: str = ""


@dataclass(slots=True, frozen=True)
class Annotation:
    """A region the service marked, with its AI likelihood.

    ``selector_type`` is ``"RECTANGLE"``, ``"POLYGON"`` or whatever raw text the API sent.
    ``ai_likelihood`` is the raw value (0–1 or 0–100, the scale is unpublished); use
    :attr:`likelihood_ratio` for a 0–1 value.
    """

    id: str = ""
    selector_type: str = ""
    geometry: Geometry = field(default_factory=Geometry)
    bodies: tuple[AnnotationBody, ...] = ()
    ai_likelihood: float | None = None
    needs_remediation: bool | None = None

    @property
    def is_rectangle(self) -> bool:
        return self.selector_type.upper() == "RECTANGLE"

    @property
    def is_polygon(self) -> bool:
        return self.selector_type.upper() == "POLYGON"

    @property
    def likelihood_ratio(self) -> float | None:
        """``ai_likelihood`` on a 0–1 scale: values above 1 are read as percentages."""
        value = self.ai_likelihood
        if value is None or value < 0:
            return None
        if value > 1.0:
            value = value / 100.0
        return min(value, 1.0)

    @property
    def region_bounds(self) -> Bounds | None:
        """The region's box: from x/y/w/h, else from the points, else the sent ``bounds``."""
        g = self.geometry
        if self.is_rectangle and None not in (g.x, g.y, g.w, g.h):
            assert g.x is not None and g.y is not None and g.w is not None and g.h is not None
            return Bounds(g.x, g.y, g.x + g.w, g.y + g.h)
        if g.points:
            xs = [p[0] for p in g.points]
            ys = [p[1] for p in g.points]
            return Bounds(min(xs), min(ys), max(xs), max(ys))
        return g.bounds


@dataclass(slots=True, frozen=True)
class Project:
    """The project an order belongs to; ``user_role`` is the caller's role in it, if sent."""

    id: str = ""
    name: str = ""
    user_role: str | None = None


@dataclass(slots=True, frozen=True, repr=False)
class Layer:
    """One layer of a multi-layer asset and its (presigned, expiring) download URL."""

    name: str = ""
    url: str | None = None

    __repr__ = redacted_repr  # the presigned query string is a credential


@dataclass(slots=True, frozen=True)
class OrderStats:
    """Counts per state for the queried scope (assumed totals, not per page).

    ``readable`` is False when the page's ``order_stats`` was missing or held a count that is
    not one (NaN, infinity, a negative number, text): the counts are then zeros that mean
    nothing, never a total of 0 to check a walk against (:attr:`known_total`)."""

    in_progress: int = 0
    certified: int = 0
    action_required: int = 0
    reviewed: int = 0
    failed: int = 0
    unsupported: int = 0
    total: int = 0
    readable: bool = True

    @property
    def known_total(self) -> int | None:
        """``total_orders``, or None when the counts could not be read."""
        return self.total if self.readable else None

    def count_for(self, state: str) -> int | None:
        """The count for a state value, or None for a state the stats do not cover."""
        return {
            OrderState.IN_PROGRESS.value: self.in_progress,
            OrderState.HUMAN_CERTIFIED.value: self.certified,
            OrderState.ACTION_REQUIRED.value: self.action_required,
            OrderState.REVIEWED.value: self.reviewed,
            OrderState.FAILED.value: self.failed,
            OrderState.UNSUPPORTED_FILE.value: self.unsupported,
        }.get(state)


@dataclass(slots=True, frozen=True, repr=False)
class OrderPreview:
    """The light row of a ``preview=true`` page."""

    order_id: str
    order_title: str = ""
    creation_time: datetime | None = None
    order_state: str = ""
    asset_preview_url: str | None = None
    project_name: str = ""
    analyses: tuple[Analysis, ...] = ()
    tags: tuple[str, ...] = ()

    __repr__ = redacted_repr  # the presigned query string is a credential


@dataclass(slots=True, frozen=True, repr=False)
class Order:
    """A full order, as ``GET /v1/orders/{id}`` and ``preview=false`` pages return it.

    ``creation_time`` and ``review_timestamp`` are parsed to aware datetimes (None when absent
    or unreadable); ``asset_last_modified`` is the Unix-seconds string read as an int.
    ``remediation`` is the raw number: 0.0 not set, 0.5 not recommended, 1.0 recommended.
    ``asked_at``: when the request this answer came from was sent (see :data:`ASKED_AT`).
    """

    order_id: str
    username: str = ""
    email: str = ""
    order_state: str = ""
    order_title: str = ""
    asset_id: str = ""
    asset_name: str = ""
    asset_last_modified: int | None = None
    ordered_by: str = ""
    creation_time: datetime | None = None
    asset_preview_url: str | None = None
    analyses: tuple[Analysis, ...] = ()
    failed_items: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    confidence: float | None = None
    remediation: float | None = None
    annotations: tuple[Annotation, ...] = ()
    project: Project | None = None
    reviewed_by: str | None = None
    review_timestamp: datetime | None = None
    layers: tuple[Layer, ...] = ()
    asked_at: float | None = field(default=None, compare=False)

    __repr__ = redacted_repr  # the presigned query string is a credential

    @property
    def project_name(self) -> str:
        """The project's name; orders without a project are Personal Certificates."""
        return self.project.name if self.project else PERSONAL_CERTIFICATES

    @property
    def is_known_state(self) -> bool:
        return self.order_state in KNOWN_STATES


@dataclass(slots=True, frozen=True)
class OrdersPage:
    """One page of ``GET /v1/orders``.

    Exactly one of ``orders`` (``preview=false``) and ``previews`` (``preview=true``) is
    normally filled. ``skipped`` counts rows that could not be read at all and were dropped.
    ``asked_at``: when the request this page answered was sent (see :data:`ASKED_AT`).
    """

    stats: OrderStats = field(default_factory=OrderStats)
    project_names: tuple[str, ...] = ()
    next_page_token: str | None = None
    orders: tuple[Order, ...] = ()
    previews: tuple[OrderPreview, ...] = ()
    skipped: int = 0
    #: About how many bytes of memory the parsed rows hold (0: not measured), for caches
    #: bounded by bytes: twice the JSON body, which :func:`~artistree_tui.api.sizes.approx_bytes`
    #: finds right within a few tens of percent for the demo's pages, hostile ones included.
    nbytes: int = 0
    asked_at: float | None = field(default=None, compare=False)

    @property
    def row_count(self) -> int:
        return len(self.orders) + len(self.previews)
