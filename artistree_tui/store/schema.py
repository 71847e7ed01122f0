"""The index's tables, indexes and triggers, and the schema version that guards them.

``schema_version`` holds one row: the layout version (:data:`SCHEMA_VERSION`) and whether the
full-text index exists (a file built with FTS5 cannot be used by a Python without it, and the
other way round). A file whose row differs is of another version: it is moved aside and
rebuilt (:mod:`.database`).

Tables:

- ``orders``: one row per order ever seen (``rid`` is its stable integer id). Preview fields
  are always filled; the full-only fields (confidence, asset name, people, project id) are NULL
  until a full order is written (``full_at``). Sort keys are stored columns (``created_key``,
  ``ncreated`` = -created, ``title_key``, ``conf_key`` and ``nconf_key``, see
  :data:`ASCENDING_INDEXES`) so every sort is an index walk.
  ``first_seen``/``last_seen``/``marked_at``/``gone`` are Unix times (see :mod:`.rows`).
  ``observed_at``: when the answer the row holds was asked for (a removal: from when the
  order was missed), so a late answer to an earlier request is not written over a newer one
  (version 3).
- ``full_orders``: the whole full order as JSON, by ``rid`` (kept apart so that ``orders``
  rows stay small and index walks fast).
- ``history``: ``(rid, state_code, prev_code, seen_at)``, one row per state change seen:
  "what changed since T" and "what was its state at T" (the first state is the first
  change's ``prev_code``, or the current state, at ``first_seen``; not stored twice).
- ``states`` / ``projects``: small code tables (states 0–5 are the contract's, in the stats
  bar's order; others get codes as they appear); a project is known by its name, as preview
  rows carry it, plus its id once seen.
- ``counts``: orders per (project, state, gone), kept exact by triggers, so counts and the
  stats bar cost nothing at any size.
- ``sweeps``: per scope (the ``project_id`` sent to the API), the sync's bookkeeping: the
  current sweep's start and next page token, the last complete sweep, the API's last totals.
- ``watermarks``: per scope, the time the reviewer last cleared its marks (or first opened
  it): rows marked after it are new or changed, across restarts. Added to files of this
  version when a console opens them (:data:`ADDITIONS`: a table more, no rebuild); a reader
  of a file without it finds no watermark.
- ``orders_fts`` (when FTS5 exists): a contentless full-text index of title, asset name,
  people, tags, project and analysis types, kept by triggers. Its last column holds two
  *facet* tokens per order, its state and its project (:func:`state_facet`,
  :func:`project_facet`), so that a search within a state or a project is one FTS5 query:
  its count is exact without intersecting two large sets of rows. A facet starts with
  U+E000 (a private-use character, a token character for ``unicode61`` but never part of a
  searched word), and that character is replaced by a space in the indexed text, so no
  title can forge a facet.

Every index that a view walks carries the filter columns (state, project) after its sort
columns, so filtering and skipping happen inside the index without touching the table.
"""

from __future__ import annotations

import sqlite3

from artistree_tui.api.models import KNOWN_STATES

SCHEMA_VERSION = 5

#: Sort name -> (index, key columns in ascending order). Descending is the exact reverse.
SORT_INDEXES: dict[str, tuple[str, tuple[str, ...]]] = {
    "created": ("orders_created", ("created_key", "rid")),
    "state": ("orders_state", ("state_code", "ncreated", "rid")),
    "confidence": ("orders_confidence", ("conf_key", "created_key", "rid")),
    "title": ("orders_title", ("title_key", "ncreated", "rid")),
}
#: The index for one project's orders by creation time.
PROJECT_INDEX = "orders_project"
#: ``title_key`` is the case-folded start of the title (long hostile titles stay cheap).
TITLE_KEY_CHARS = 48
#: Sorts whose *ascending* order is another index walked descending: the confidence sort
#: lists the orders without a score (not read yet, or a placeholder: see ``has_score``) last,
#: lowest first as highest first. ``nconf_key`` is minus the score, :data:`NO_NCONFIDENCE`
#: without one. Both confidence indexes are only walked descending, so their ties (equal
#: scores, and the many orders without one) are by ``created_key``: newest first.
ASCENDING_INDEXES: dict[str, tuple[str, tuple[str, ...]]] = {
    "confidence": ("orders_nconfidence", ("nconf_key", "created_key", "rid")),
}
#: ``conf_key`` of an order without a score (its confidence not known, or a placeholder):
#: below every real score.
NO_CONFIDENCE = -1.0
#: ``nconf_key`` of an order without a score: below minus every real score (a score may come
#: as a percentage, up to 100).
NO_NCONFIDENCE = -1.0e9

_TABLES = """
CREATE TABLE schema_version(
    version INTEGER NOT NULL,
    fts INTEGER NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE states(code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE projects(
    pid INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    project_id TEXT
);
CREATE TABLE orders(
    rid INTEGER PRIMARY KEY,
    order_id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    created REAL,
    created_key REAL NOT NULL,
    ncreated REAL NOT NULL,
    state_code INTEGER NOT NULL,
    pid INTEGER NOT NULL,
    preview_url TEXT,
    analyses TEXT NOT NULL,
    analysis_types TEXT NOT NULL,
    tags TEXT NOT NULL,
    tags_text TEXT NOT NULL,
    confidence REAL,
    conf_key REAL NOT NULL DEFAULT -1.0,
    nconf_key REAL NOT NULL DEFAULT -1.0e9,
    asset_name TEXT,
    username TEXT,
    email TEXT,
    ordered_by TEXT,
    project_id TEXT,
    full_at REAL,
    first_seen REAL NOT NULL,
    last_seen REAL NOT NULL,
    marked_at REAL,
    gone REAL,
    observed_at REAL NOT NULL
);
CREATE INDEX orders_created ON orders(created_key, rid, state_code, pid);
CREATE INDEX orders_state ON orders(state_code, ncreated, rid, pid);
CREATE INDEX orders_confidence ON orders(conf_key, created_key, rid, state_code, pid);
CREATE INDEX orders_nconfidence ON orders(nconf_key, created_key, rid, state_code, pid);
CREATE INDEX orders_title ON orders(title_key, ncreated, rid, state_code, pid);
CREATE INDEX orders_project ON orders(pid, created_key, rid, state_code);
CREATE INDEX orders_marked ON orders(marked_at) WHERE marked_at IS NOT NULL;
CREATE TABLE full_orders(rid INTEGER PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE history(
    rid INTEGER NOT NULL,
    state_code INTEGER NOT NULL,
    prev_code INTEGER,
    seen_at REAL NOT NULL
);
CREATE INDEX history_rid ON history(rid, seen_at);
CREATE INDEX history_seen ON history(seen_at);
CREATE TABLE counts(
    pid INTEGER NOT NULL,
    state_code INTEGER NOT NULL,
    gone INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY(pid, state_code, gone)
) WITHOUT ROWID;
CREATE TABLE sweeps(
    scope TEXT PRIMARY KEY,
    name TEXT,
    started_at REAL,
    next_token TEXT,
    pages INTEGER NOT NULL DEFAULT 0,
    rows INTEGER NOT NULL DEFAULT 0,
    completed_at REAL,
    api_total INTEGER,
    api_stats TEXT,
    refreshed_at REAL,
    problem TEXT
);

CREATE TRIGGER orders_counted AFTER INSERT ON orders BEGIN
    INSERT INTO counts(pid, state_code, gone, n)
    VALUES (new.pid, new.state_code, new.gone IS NOT NULL, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER orders_recounted AFTER UPDATE OF pid, state_code, gone ON orders
WHEN old.pid IS NOT new.pid OR old.state_code IS NOT new.state_code
    OR (old.gone IS NULL) IS NOT (new.gone IS NULL)
BEGIN
    UPDATE counts SET n = n - 1
    WHERE pid = old.pid AND state_code = old.state_code AND gone = (old.gone IS NOT NULL);
    INSERT INTO counts(pid, state_code, gone, n)
    VALUES (new.pid, new.state_code, new.gone IS NOT NULL, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER orders_state_changed AFTER UPDATE OF state_code ON orders
WHEN old.state_code IS NOT new.state_code
BEGIN
    INSERT INTO history(rid, state_code, prev_code, seen_at)
    VALUES (new.rid, new.state_code, old.state_code, new.last_seen);
END;
CREATE TRIGGER orders_uncounted AFTER DELETE ON orders BEGIN
    UPDATE counts SET n = n - 1
    WHERE pid = old.pid AND state_code = old.state_code AND gone = (old.gone IS NOT NULL);
    DELETE FROM full_orders WHERE rid = old.rid;
    DELETE FROM history WHERE rid = old.rid;
END;
"""

_FTS_COLUMNS = "title, asset_name, people, tags, project, analyses, facets"
#: The first character of a facet token (see the module docstring).
FACET_MARK = "\ue000"
_MARK_SQL = "char(57344)"


def state_facet(code: int) -> str:
    """The full-text token of the orders in state ``code``."""
    return f"{FACET_MARK}s{int(code)}"


def project_facet(pid: int) -> str:
    """The full-text token of the orders of project ``pid``."""
    return f"{FACET_MARK}p{int(pid)}"


def _text(value: str) -> str:
    return f"replace({value}, {_MARK_SQL}, ' ')"


def _fts_values(row: str) -> str:
    return (
        f"{_text(f'{row}.title')}, {_text(f'coalesce({row}.asset_name, {chr(39) * 2})')}, "
        + _text(
            f"coalesce({row}.username, '') || ' ' || coalesce({row}.email, '') || ' ' || "
            f"coalesce({row}.ordered_by, '')"
        )
        + f", {_text(f'{row}.tags_text')}, "
        f"{_text(f'(SELECT name FROM projects WHERE pid = {row}.pid)')}, "
        f"{_text(f'{row}.analysis_types')}, "
        f"{_MARK_SQL} || 's' || {row}.state_code || ' ' || {_MARK_SQL} || 'p' || {row}.pid"
    )


_FTS = f"""
CREATE VIRTUAL TABLE orders_fts USING fts5(
    {_FTS_COLUMNS}, content='', detail=none, columnsize=0,
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER orders_fts_insert AFTER INSERT ON orders BEGIN
    INSERT INTO orders_fts(rowid, {_FTS_COLUMNS}) VALUES (new.rid, {_fts_values("new")});
END;
CREATE TRIGGER orders_fts_update
AFTER UPDATE OF
    title, asset_name, username, email, ordered_by, tags_text, pid, analysis_types, state_code
ON orders
WHEN old.title IS NOT new.title OR old.asset_name IS NOT new.asset_name
    OR old.username IS NOT new.username OR old.email IS NOT new.email
    OR old.ordered_by IS NOT new.ordered_by OR old.tags_text IS NOT new.tags_text
    OR old.pid IS NOT new.pid OR old.analysis_types IS NOT new.analysis_types
    OR old.state_code IS NOT new.state_code
BEGIN
    INSERT INTO orders_fts(orders_fts, rowid, {_FTS_COLUMNS})
    VALUES ('delete', old.rid, {_fts_values("old")});
    INSERT INTO orders_fts(rowid, {_FTS_COLUMNS}) VALUES (new.rid, {_fts_values("new")});
END;
CREATE TRIGGER orders_fts_delete AFTER DELETE ON orders BEGIN
    INSERT INTO orders_fts(orders_fts, rowid, {_FTS_COLUMNS})
    VALUES ('delete', old.rid, {_fts_values("old")});
END;
"""

#: Tables added to this version after its first files were made: part of every new file
#: (:func:`create`), and added to an older one when a console opens it (each statement may
#: run on any file: it changes nothing that is there already).
ADDITIONS = (
    "CREATE TABLE IF NOT EXISTS watermarks(scope TEXT PRIMARY KEY, at REAL NOT NULL) WITHOUT ROWID",
)

#: The tables every valid file has (a file without them is not ours).
REQUIRED_TABLES = frozenset(
    {"schema_version", "states", "projects", "orders", "full_orders", "history", "counts", "sweeps"}
)


def fts5_available() -> bool:
    """Whether this Python's SQLite has FTS5 (asked of the library, at run time)."""
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x)")
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()
    return True


def create(conn: sqlite3.Connection, *, fts: bool, now: float) -> None:
    """Create every table in an empty database, inside the caller's transaction."""
    for statement in (*_split(_TABLES + (_FTS if fts else "")), *ADDITIONS):
        conn.execute(statement)
    conn.executemany("INSERT INTO states(code, name) VALUES (?, ?)", list(enumerate(KNOWN_STATES)))
    conn.execute(
        "INSERT INTO schema_version(version, fts, created_at) VALUES (?, ?, ?)",
        (SCHEMA_VERSION, int(fts), now),
    )


def _split(script: str) -> list[str]:
    """Statements of a script (triggers kept whole), for ``execute`` inside a transaction
    (``executescript`` would commit it)."""
    statements: list[str] = []
    current: list[str] = []
    for line in script.splitlines():
        if not line.strip() and not current:
            continue
        current.append(line)
        text = "\n".join(current)
        if sqlite3.complete_statement(text):
            statements.append(text.strip())
            current = []
    return statements
