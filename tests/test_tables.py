"""The tables are declared once: the DDL, read_json's types and the rows files give all agree."""

from __future__ import annotations

import json

import duckdb

from catalog.model import Paper, Result, Value
from catalog.store.rows import paper_rows
from catalog.store.schema import FROM_FILES, TABLES, ddl


def test_every_row_a_file_gives_has_exactly_its_tables_columns_in_order():
    paper = Paper(
        id="p",
        title="T",
        file="f.yaml",
        line=1,
        published="2024",
        authors=("A",),
        url="https://example.org",
        arxiv="2401.01230",
        code=("https://example.org/code",),
        tags=("t",),
        abstract="a",
        tradeoffs=(("x", "y"),),
        results=(
            Result(
                "m",
                (Value("x", 1.0, benchmark="bench"), Value("y", 2.0, "percent")),
                "s",
                "b",
                None,
                "Table 1",
                3,
                conditions=(("hardware", "A100"),),
                at="owner/repo@" + "0" * 40 + ":README.md",
                row="| m | 1.0 | 2.0 |",
            ),
        ),
        notes="n",
    )
    rows = paper_rows(paper, 0, 0)
    assert set(rows) == set(FROM_FILES)
    for table, lines in rows.items():
        assert lines, table
        for line in lines:
            assert tuple(json.loads(line)) == TABLES[table].names, table


def test_the_ddl_builds_every_table_with_the_declared_types():
    con = duckdb.connect()
    con.execute(ddl())
    for table in TABLES.values():
        described = con.execute(f"DESCRIBE {table.name}").fetchall()
        assert [(name, kind) for name, kind, *_ in described] == [(c.name, c.type) for c in table.columns]
