"""How an order becomes a row of the index: the upsert statements, the values they take, and
the rule that keeps the newer of two answers about one order.

A row is written over by an answer only if that answer was asked for no earlier than the one
the row holds (``observed_at``, from the API client's ``asked_at``: see ``ASKED_AT`` in
api/models.py), or if it leaves the row's state as it is (and the order is not marked removed):
a full order asked for before the sync's page but written after it neither turns the state
back nor records a change that did not happen, and an answer asked before a sweep found the
order removed does not bring it back. A state change forgets the confidence and the full
fields of the old state (the preview rows do not carry them).

The :class:`~.writer.Writer` runs these inside its transactions, with the state's and the
project's codes from its code tables. No Textual, no connection here.
"""

from __future__ import annotations

from artistree_tui.api.models import PERSONAL_CERTIFICATES, Order, OrderPreview, has_score
from artistree_tui.store import codec
from artistree_tui.store.schema import NO_CONFIDENCE, NO_NCONFIDENCE, TITLE_KEY_CHARS

__all__ = [
    "GONE_SET",
    "STALE_404",
    "UPSERT_DOC",
    "UPSERT_FULL",
    "UPSERT_PREVIEW",
    "doc_values",
    "full_values",
    "preview_values",
    "project_id_of",
]

PREVIEW_COLUMNS = (
    "order_id, title, title_key, created, created_key, ncreated, state_code, pid, preview_url, "
    "analyses, analysis_types, tags, tags_text, first_seen, last_seen, marked_at, observed_at"
)
FULL_COLUMNS = (
    PREVIEW_COLUMNS + ", confidence, conf_key, nconf_key, asset_name, username, email, ordered_by, "
    "project_id, full_at"
)
CHANGED = "orders.state_code IS NOT excluded.state_code"


def _marks(columns: str) -> str:
    return ", ".join("?" * len(columns.split(",")))


#: When an answer may be written over the row it meets (see the module docstring).
FRESH = (
    "excluded.observed_at >= orders.observed_at"
    " OR (orders.gone IS NULL AND orders.state_code IS excluded.state_code)"
    # The row's answer was asked after this write's own time: the wall clock went back (an
    # NTP step); the times cannot order the answers, so the one written last wins, as before.
    " OR orders.observed_at > excluded.last_seen"
)
#: The answer is the newer of the two (or the clock went back: the last written wins). An
#: older answer that :data:`FRESH` lets in (it agrees with the row's state) fills in only
#: what the row lacks, the full fields: the title, tags, analyses... the row holds are newer.
NEWER = "(excluded.observed_at >= orders.observed_at OR orders.observed_at > excluded.last_seen)"


def _newer(*columns: str) -> str:
    return ", ".join(
        f"{c} = CASE WHEN {NEWER} THEN excluded.{c} ELSE orders.{c} END" for c in columns
    )


COMMON_SET = f"""
    {_newer("title", "title_key", "created", "created_key", "ncreated", "pid", "preview_url")},
    {_newer("analyses", "analysis_types", "tags", "tags_text")},
    marked_at = CASE WHEN {CHANGED} OR orders.gone IS NOT NULL
                     THEN excluded.last_seen ELSE orders.marked_at END,
    state_code = excluded.state_code,
    last_seen = max(orders.last_seen, excluded.last_seen), gone = NULL,
    observed_at = max(orders.observed_at, excluded.observed_at)"""
UPSERT_PREVIEW = f"""
INSERT INTO orders({PREVIEW_COLUMNS}) VALUES ({_marks(PREVIEW_COLUMNS)})
ON CONFLICT(order_id) DO UPDATE SET {COMMON_SET},
    confidence = CASE WHEN {CHANGED} THEN NULL ELSE orders.confidence END,
    conf_key = CASE WHEN {CHANGED} THEN {NO_CONFIDENCE} ELSE orders.conf_key END,
    nconf_key = CASE WHEN {CHANGED} THEN {NO_NCONFIDENCE} ELSE orders.nconf_key END,
    full_at = CASE WHEN {CHANGED} THEN NULL ELSE orders.full_at END
WHERE {FRESH}
"""
UPSERT_FULL = f"""
INSERT INTO orders({FULL_COLUMNS}) VALUES ({_marks(FULL_COLUMNS)})
ON CONFLICT(order_id) DO UPDATE SET {COMMON_SET},
    confidence = excluded.confidence, conf_key = excluded.conf_key, nconf_key = excluded.nconf_key,
    asset_name = excluded.asset_name, username = excluded.username, email = excluded.email,
    ordered_by = excluded.ordered_by, project_id = excluded.project_id,
    full_at = excluded.full_at
WHERE {FRESH}
"""
#: The whole order, kept only if its row now holds its state and is not marked removed (a late
#: answer left out).
UPSERT_DOC = """
INSERT INTO full_orders(rid, doc)
SELECT rid, ? FROM orders WHERE order_id = ? AND state_code = ? AND gone IS NULL
ON CONFLICT(rid) DO UPDATE SET doc = excluded.doc
"""
#: Marking orders removed (``gone``, ``marked_at``, and the time from which they were missed:
#: an answer asked before it does not bring them back, see :data:`FRESH`).
GONE_SET = "gone = ?, marked_at = ?, observed_at = max(observed_at, ?)"
#: A 404 asked for (first ``?``) before the answer the row holds: the order was there after
#: all. Unless that answer is from after this write (second ``?``): the clock went back, and
#: the 404, written last, wins (as in :data:`FRESH`).
STALE_404 = "observed_at > ? AND observed_at <= ?"


Values = tuple[object, ...]


def preview_values(
    p: OrderPreview, state_code: int, pid: int, now: float, mark: float | None, asked: float
) -> Values:
    """The values of :data:`UPSERT_PREVIEW` for a preview row (``now``: the write's time;
    ``mark``: a new arrival's mark or None; ``asked``: when its answer was asked for)."""
    return _common(p, state_code, pid, now, mark, asked)


def full_values(
    order: Order, state_code: int, pid: int, now: float, mark: float | None, asked: float
) -> Values:
    """The values of :data:`UPSERT_FULL` for a full order (as :func:`preview_values`)."""
    confidence = order.confidence
    score = confidence if has_score(order.order_state, confidence) else None
    return (
        *_common(order, state_code, pid, now, mark, asked),
        confidence,
        score if score is not None else NO_CONFIDENCE,
        -score if score is not None else NO_NCONFIDENCE,
        codec.to_db(order.asset_name),
        codec.to_db(order.username),
        codec.to_db(order.email),
        codec.to_db(order.ordered_by),
        codec.opt_to_db(project_id_of(order)),
        now,
    )


def doc_values(order: Order, state_code: int) -> tuple[str, str, int]:
    """The values of :data:`UPSERT_DOC`: the whole order, kept if its row holds its state."""
    return codec.order_to_json(order), codec.to_db(order.order_id), state_code


def project_id_of(order: Order) -> str | None:
    """The project id a full order names (Personal Certificates' own for none)."""
    return (order.project.id if order.project else PERSONAL_CERTIFICATES) or None


def _common(
    order: OrderPreview | Order,
    state_code: int,
    pid: int,
    now: float,
    mark: float | None,
    asked: float,
) -> Values:
    created = _created(order.creation_time)
    created_key = created if created is not None else 0.0
    title = codec.to_db(order.order_title)
    return (
        codec.to_db(order.order_id),
        title,
        _title_key(title),
        created,
        created_key,
        -created_key,
        state_code,
        pid,
        codec.opt_to_db(order.asset_preview_url),
        codec.analyses_to_json(order.analyses),
        codec.to_db(" ".join(a.analysis_type for a in order.analyses)),
        codec.tags_to_json(order.tags),
        codec.to_db(" ".join(order.tags)),
        now,
        now,
        mark,
        asked,
    )


def _title_key(title: str) -> str:
    return title[:TITLE_KEY_CHARS].casefold()


def _created(value: object) -> float | None:
    timestamp = getattr(value, "timestamp", None)
    return float(timestamp()) if callable(timestamp) else None
