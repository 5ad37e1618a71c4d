"""Rows into DuckDB in bulk, as newline-delimited JSON that DuckDB reads itself.

Never row by row (``executemany`` is two orders of magnitude slower), and never as big Python
lists bound as parameters (that costs memory per row). Every row is a JSON object keyed by
the column names of ``catalog.store.schema``; ``read_json`` is told each column's type.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb

from catalog.store.schema import Table


def json_row(table: Table, values: Sequence[Any]) -> str:
    """One row of ``table`` (its values in column order) as a line of JSON, without the newline."""
    return json.dumps(dict(zip(table.names, values)), ensure_ascii=False)


def load_json_lines(con: duckdb.DuckDBPyConnection, table: Table, path: Path, temp: bool = False) -> None:
    """Append the rows in ``path`` to ``table`` (or create it as a temporary table from them)."""
    # Table and column names and types are our own constants; the file name is a parameter.
    source = f"read_json(?, format='newline_delimited', columns={table.json_columns()})"
    if temp:
        con.execute(table.ddl(temp=True))
    con.execute(f"INSERT INTO {table.name} SELECT {', '.join(table.names)} FROM {source}", [str(path)])


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
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json_row(table, row))
            out.write("\n")
            written += 1
    if written or temp:
        load_json_lines(con, table, path, temp)
