"""Writers that stream records as ``table``, ``json``, ``ndjson`` or ``csv``.

A writer takes records one at a time (:meth:`RecordWriter.write`) and finishes the document
with :meth:`RecordWriter.close`; nothing is held but the current record, so writing a million
orders costs what writing one does. :func:`write_records` does it for an iterable.

- ``ndjson``: one JSON object per line.
- ``json``: one array, written as it goes (``[``, the records one per line, ``]``).
- ``csv``: RFC 4180 (CRLF line ends, quotes doubled), a header line first. Nested values (lists,
  objects) are compact JSON in their cell, lists of plain strings are joined with ``"; "``.
- ``table``: fixed-width columns fitted to ``width``, a header line first.

Hostile data stays inert:

- JSON is escaped by the encoder with ``ensure_ascii``: control characters, C1 codes and bidi
  overrides all become ``\\uXXXX``, so nothing in it can act on a terminal;
- table cells go through the display boundary (:func:`artistree_tui.display.clean`): escape
  sequences and control characters become visible pictures, long text is cut;
- CSV cells go through the same boundary (one line each, up to a spreadsheet cell's 32,767
  characters), and a cell a spreadsheet would run as a formula (it starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return, and is not a number) gets a leading ``'`` (OWASP's
  advice for CSV injection).
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, TextIO

from rich.cells import cell_len, set_cell_size

from artistree_tui.api.models import UNSCORED_STATES, has_score
from artistree_tui.confidence import percent
from artistree_tui.display import ELLIPSIS, clean
from artistree_tui.export.records import NOT_READ, NOT_READ_TEXT, PREVIEW_FIELDS

FORMATS: tuple[str, ...] = ("table", "json", "ndjson", "csv")
#: The longest cell a spreadsheet keeps (Excel's limit); longer text is cut with "…".
CSV_CELL_LIMIT = 32_767
#: What a table shows for a missing value.
MISSING = "—"
#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Table columns of a known width (cells); every other column shares what is left.
FIXED_WIDTHS: dict[str, int] = {
    "order_id": 36,
    "order_state": 16,
    "creation_time": 16,
    "review_timestamp": 16,
    "asset_last_modified_timestamp": 16,
    "confidence": 10,
    "remediation": 11,
    "id": 36,
    "event": 7,  # watch: "new" or "changed"
    "previous_state": 16,
}
COLUMN_GAP = "  "
MIN_FLEXIBLE = 8
#: When a table would not fit its width, these columns give up cells first, down to these
#: widths: an id keeps its first characters (enough to read and to tell rows apart; whole in
#: every other format, and in a wider terminal).
SHRINKABLE: dict[str, int] = {"order_id": 13, "id": 13}
#: Of the room the other columns share, the title takes this many parts to one of each of
#: them (a title is what a reader reads; a project's name is short and repeats)...
WEIGHTS: dict[str, int] = {"order_title": 3}
#: ...and the ids give up cells (:data:`SHRINKABLE`) until it has at least this many.
COMFORTABLE: dict[str, int] = {"order_title": 24}


# -- values ----------------------------------------------------------------------------------


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot write a {type(value).__name__} as JSON")


def to_json(value: object, *, indent: int | None = None) -> str:
    """``value`` as JSON text, ASCII only (every non-ASCII character escaped), no NaN."""
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(
        value,
        ensure_ascii=True,
        allow_nan=False,
        default=_json_default,
        separators=separators,
        indent=indent,
    )


def plain_text(value: object) -> str:
    """A value as the text of one cell, before any cleaning (CSV's rules)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "; ".join(value)
    return to_json(value)


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def defuse_formula(text: str, raw: str | None = None) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would run it as a formula.

    ``raw`` is the text before cleaning (a tab or a CR at its start counts too, though the
    cleaned text shows them as a space and ``␍``). A number (``-12``, ``+0.5``) is left alone.
    """
    first = (raw or text)[:1]
    lead = text.lstrip(" ")[:1]
    risky = first in FORMULA_STARTS or lead in FORMULA_STARTS
    if risky and not _is_number(text.strip()):
        return "'" + text
    return text


def csv_cell(value: object) -> str:
    """One CSV cell: the display boundary's one-line text, capped, formulas defused."""
    raw = plain_text(value)
    if len(raw) <= CSV_CELL_LIMIT and raw.isascii() and raw.isprintable():
        cleaned = raw  # exactly what clean() returns for printable ASCII, without its passes
    else:
        cleaned = clean(raw, limit=CSV_CELL_LIMIT)
    return defuse_formula(cleaned, raw)


def record_text(record: Mapping[str, Any], name: str) -> str:
    """A field of ``record`` as a table shows it: :func:`table_text`, and the confidence the
    API sends as 0 for an order it has no score for (In Progress, Unsupported File) as
    "—", as the console shows it (the data formats keep the API's 0); a field an order never
    read in full does not carry yet (:data:`~.records.NOT_READ`) as "…"."""
    value = record.get(name)
    if name == "confidence" and "order_state" in record:
        state = record["order_state"]
        if str(state) in UNSCORED_STATES:
            return MISSING  # whatever it is, read or not: it can only be "no score"
        score = value if isinstance(value, int | float) else None
        if score is not None and not has_score(str(state), score):
            return MISSING
    if value is None and record.get(NOT_READ) and name not in PREVIEW_FIELDS:
        return NOT_READ_TEXT  # not known yet (the order was never read in full), not empty
    return table_text(name, value)


def table_text(name: str, value: object) -> str:
    """A value as a table shows it (short and readable), before cleaning."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    if name == "confidence" and isinstance(value, int | float) and math.isfinite(value):
        return percent(value)  # as the console reads it: 0.96 is 96%
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return f"{value:,}"  # 20,000 orders, as the console counts them
    if isinstance(value, str):
        return value
    if name == "analysis_list" and isinstance(value, list):
        return ", ".join(
            f"{item.get('analysis_type') or '?'} {_passed(item.get('analysis_passed'))}"
            for item in value
            if isinstance(item, dict)
        )
    if name == "project" and isinstance(value, dict):
        return str(value.get("name") or value.get("id") or MISSING)
    if name == "annotations" and isinstance(value, list):
        return f"{len(value)} region{'s' if len(value) != 1 else ''}"
    if name == "layers_info" and isinstance(value, list):
        return ", ".join(
            str(item.get("layer_name", "")) for item in value if isinstance(item, dict)
        )
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ", ".join(value)
    return to_json(value)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _passed(value: object) -> str:
    return "✓" if value is True else "✗" if value is False else "?"


def fit(text: str, width: int) -> str:
    """``text`` cut (with "…") or padded to exactly ``width`` terminal cells."""
    size = cell_len(text)
    if size <= width:
        return text + " " * (width - size)
    return set_cell_size(text, max(width - 1, 0)) + ELLIPSIS


def column_widths(fields: Sequence[str], width: int) -> list[int]:
    """Cells per column so that the table fits ``width`` where it can (an 80-column terminal
    takes the default columns of ``orders``: the id gives up cells, :data:`SHRINKABLE`, for
    the title to have room, :data:`COMFORTABLE`); what is left goes to the title first
    (:data:`WEIGHTS`)."""
    fixed = {name: max(FIXED_WIDTHS[name], len(name)) for name in fields if name in FIXED_WIDTHS}
    least = {name: max(MIN_FLEXIBLE, min(len(name), 20)) for name in fields if name not in fixed}
    wanted = {name: max(least[name], COMFORTABLE.get(name, 0)) for name in least}
    gaps = len(COLUMN_GAP) * (len(fields) - 1)
    over = sum(fixed.values()) + sum(wanted.values()) + gaps - width
    for name, floor in SHRINKABLE.items():
        if over > 0 and name in fixed:
            give = max(0, min(over, fixed[name] - max(floor, len(name))))
            fixed[name] -= give
            over -= give
    # Still too wide: the columns that share the room give up cells next, down to
    # MIN_FLEXIBLE (their headers are cut with "…"), the lightest first, the title last.
    over -= sum(wanted.values()) - sum(least.values())
    for name in sorted(least, key=lambda name: WEIGHTS.get(name, 1)):
        if over <= 0:
            break
        give = max(0, min(over, least[name] - MIN_FLEXIBLE))
        least[name] -= give
        over -= give
    # Every other column gets its least, the title up to what it wants (the cells the ids gave
    # up are for it), then each its weight's share of what is left; the title the remainder.
    flexible = dict(least)
    extra = max(0, width - sum(fixed.values()) - sum(least.values()) - gaps)
    for name in flexible:
        more = min(extra, wanted[name] - flexible[name])
        flexible[name] += more
        extra -= more
    weights = {name: WEIGHTS.get(name, 1) for name in flexible}
    parts = sum(weights.values())
    if parts:
        for name in flexible:
            flexible[name] += extra * weights[name] // parts
        heaviest = max(flexible, key=lambda name: weights[name])
        flexible[heaviest] += extra - sum(extra * weights[n] // parts for n in flexible)
    return [fixed[name] if name in fixed else flexible[name] for name in fields]


# -- writers ---------------------------------------------------------------------------------


class RecordWriter:
    """Writes records to ``out`` one at a time; :meth:`close` ends the document."""

    def __init__(self, out: TextIO, fields: Sequence[str]) -> None:
        self.out = out
        self.fields = tuple(fields)
        self.count = 0

    def write(self, record: Mapping[str, Any]) -> None:
        self._write(record)
        self.count += 1

    def _write(self, record: Mapping[str, Any]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """End the document (the closing bracket of a JSON array); flush."""
        self.out.flush()

    def _values(self, record: Mapping[str, Any]) -> list[Any]:
        return [record.get(name) for name in self.fields]


class NdjsonWriter(RecordWriter):
    def _write(self, record: Mapping[str, Any]) -> None:
        self.out.write(to_json({name: record.get(name) for name in self.fields}) + "\n")


class JsonWriter(RecordWriter):
    """One JSON array, streamed: ``[`` with the first record, ``]`` at :meth:`close`."""

    def _write(self, record: Mapping[str, Any]) -> None:
        self.out.write("[\n" if self.count == 0 else ",\n")
        self.out.write(to_json({name: record.get(name) for name in self.fields}))

    def close(self) -> None:
        self.out.write("\n]\n" if self.count else "[]\n")
        super().close()


class CsvWriter(RecordWriter):
    """RFC 4180 CSV with a header line (written at once, so no rows is still valid CSV)."""

    def __init__(self, out: TextIO, fields: Sequence[str]) -> None:
        super().__init__(out, fields)
        self._csv = csv.writer(out, dialect="excel", lineterminator="\r\n")
        self._csv.writerow(self.fields)

    def _write(self, record: Mapping[str, Any]) -> None:
        self._csv.writerow([csv_cell(value) for value in self._values(record)])


class TableWriter(RecordWriter):
    """Columns of fixed width (fitted to ``width`` cells), a header line first."""

    def __init__(self, out: TextIO, fields: Sequence[str], *, width: int = 120) -> None:
        super().__init__(out, fields)
        self.widths = column_widths(self.fields, width)
        self._line(self.fields)

    def _line(self, cells: Sequence[str]) -> None:
        parts = [fit(cell, width) for cell, width in zip(cells, self.widths, strict=True)]
        self.out.write(COLUMN_GAP.join(parts).rstrip() + "\n")

    def _write(self, record: Mapping[str, Any]) -> None:
        self._line(
            [
                clean(record_text(record, name), limit=width * 2)
                for name, width in zip(self.fields, self.widths, strict=True)
            ]
        )


def open_writer(fmt: str, out: TextIO, fields: Sequence[str], *, width: int = 120) -> RecordWriter:
    """A writer of ``fmt`` (one of :data:`FORMATS`) for records of ``fields``."""
    if fmt == "table":
        return TableWriter(out, fields, width=width)
    if fmt == "json":
        return JsonWriter(out, fields)
    if fmt == "ndjson":
        return NdjsonWriter(out, fields)
    if fmt == "csv":
        return CsvWriter(out, fields)
    raise ValueError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")


def write_records(
    records: Iterable[Mapping[str, Any]],
    out: TextIO,
    fmt: str,
    fields: Sequence[str],
    *,
    width: int = 120,
) -> int:
    """Write every record of ``records`` as ``fmt``; returns how many were written."""
    writer = open_writer(fmt, out, fields, width=width)
    for item in records:
        writer.write(item)
    writer.close()
    return writer.count


def write_one(
    record: Mapping[str, Any],
    out: TextIO,
    fmt: str,
    *,
    width: int = 120,
    fields: Sequence[str] | None = None,
) -> None:
    """One record as a document of its own: a JSON object (indented), an NDJSON line, a CSV
    header and row, or a table of ``field  value`` lines; of ``fields`` (default: all of
    ``record``'s)."""
    fields = list(record) if fields is None else list(fields)
    if fmt == "json":
        out.write(to_json({name: record.get(name) for name in fields}, indent=2) + "\n")
    elif fmt == "table":
        label = max((len(name) for name in fields), default=0)
        room = max(width - label - len(COLUMN_GAP), 20)
        texts = {name: clean(record_text(record, name), limit=room) for name in fields}
        # Counts line up on their last digit, as in a column of figures.
        counts = [name for name in fields if _is_count(record.get(name))]
        digits = max((cell_len(texts[name]) for name in counts), default=0)
        for name in fields:
            text = texts[name].rjust(digits) if name in counts else texts[name]
            out.write(f"{name:<{label}}{COLUMN_GAP}{text}\n")
    else:
        write_records([record], out, fmt, fields, width=width)
        return
    out.flush()
