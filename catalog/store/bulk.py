"""Rows into DuckDB in bulk, as JSON text that DuckDB reads itself.

Never row by row (``executemany`` is two orders of magnitude slower), and never as big Python
lists bound as parameters (that costs memory per row). Rows are written as JSON arrays of
their values in column order (``catalog.store.schema``), many rows to a line: one encoding
call per batch of rows, not per row, and no field names repeated in every row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from catalog.store.schema import Table

if TYPE_CHECKING:  # worker processes encode rows without importing DuckDB
    import duckdb

_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
# DuckDB reads a line of JSON of at most 16 MB by default: longer batches are split.
_LINE_CHARS = 2 << 20  # characters: at most 4 bytes each
_BATCH_ROWS = 1000


def rows_lines(rows: Sequence[Sequence[Any]]) -> str:
    """Rows (each a sequence of values in column order) as lines of JSON text, each line an
    array of rows, ending in a line break; nothing for no rows."""
    if not rows:
        return ""
    text = _ENCODE(rows)
    if len(text) <= _LINE_CHARS or len(rows) == 1:
        return text + "\n"
    half = len(rows) // 2
    return rows_lines(rows[:half]) + rows_lines(rows[half:])


def load_json_lines(con: duckdb.DuckDBPyConnection, table: Table, path: Path, temp: bool = False) -> None:
    """Append the rows in ``path`` (lines of ``rows_lines``) to ``table`` (or create it as a
    temporary table from them)."""
    # Table and column names and types are our own constants; the file name is a parameter.
    source = (
        "(SELECT unnest(rows) AS r FROM read_json(?, format='newline_delimited', records='false', "
        "columns={'rows': 'VARCHAR[][]'}))"
    )
    if temp:
        con.execute(table.ddl(temp=True))
    con.execute(f"INSERT INTO {table.name} SELECT {table.from_text_row('r')} FROM {source}", [str(path)])


def insert_rows(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    rows: Iterable[Sequence[Any]],
    folder: Path,
    temp: bool = False,
) -> None:
    """Insert ``rows`` (each a sequence in column order) through a JSON lines file in ``folder``."""
    path = folder / f"{table.name}.rows.jsonl"
    written = 0
    batches = iter(rows)
    with path.open("w", encoding="utf-8") as out:
        while batch := list(islice(batches, _BATCH_ROWS)):
            out.write(rows_lines(batch))
            written += len(batch)
    if written or temp:
        load_json_lines(con, table, path, temp)
