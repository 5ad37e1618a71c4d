"""The tables are declared once: the DDL, read_json's types and the rows files give all agree."""

from __future__ import annotations

import duckdb

from catalog.model import Paper, Result, Value
from catalog.store.bulk import load_json_lines, rows_lines
from catalog.store.rows import paper_rows
from catalog.store.schema import FROM_FILES, TABLES, ddl


def sample_paper() -> Paper:
    """A paper with a different value in every field, so a value in the wrong column shows."""
    return Paper(
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


def test_every_row_a_file_gives_has_exactly_its_tables_columns_in_order():
    rows = paper_rows(sample_paper(), 0, 0)
    assert set(rows) == set(FROM_FILES)
    for table, of_table in rows.items():
        assert of_table, table
        for row in of_table:
            assert len(row) == len(TABLES[table].names), table


def test_each_value_of_a_paper_lands_in_the_column_of_its_name(tmp_path):
    con = duckdb.connect()
    con.execute(ddl())
    for table, of_table in paper_rows(sample_paper(), 7, 100).items():
        path = tmp_path / f"{table}.jsonl"
        path.write_text(rows_lines(of_table))
        load_json_lines(con, TABLES[table], path)

    def row(sql: str) -> dict:
        cursor = con.execute(sql)
        return dict(zip([d[0] for d in cursor.description], cursor.fetchone()))

    assert row("SELECT * FROM papers") == {
        "id": "p", "position": 7, "title": "T", "published": "2024", "year": 2024, "authors": ["A"],
        "authors_count": None, "url": "https://example.org", "arxiv": "2401.01230",
        "code": ["https://example.org/code"], "abstract": "a", "notes": "n", "file": "f.yaml", "line": 1,
    }  # fmt: skip
    assert row("SELECT * FROM results WHERE objective = 'y'") == {
        "paper_id": "p", "result_no": 0, "method": "m", "setting": "s", "baseline": "b", "evidence": None,
        "source": "Table 1", "line": 3, "objective": "y", "value": 2.0, "mode": "percent", "point": 100,
        "benchmark": None, "source_at": "owner/repo@" + "0" * 40 + ":README.md",
        "source_row": "| m | 1.0 | 2.0 |", "shape": "exact", "low": 2.0, "high": 2.0,
        "claim": None,
    }  # fmt: skip
    assert row("SELECT benchmark FROM results WHERE objective = 'x'") == {"benchmark": "bench"}
    assert row("SELECT * FROM tags") == {"paper_id": "p", "tag": "t"}
    assert row("SELECT * FROM tradeoffs") == {"paper_id": "p", "x": "x", "y": "y"}
    assert row("SELECT * FROM conditions") == {
        "paper_id": "p",
        "result_no": 0,
        "key": "hardware",
        "value": "A100",
    }


def test_rows_read_back_through_duckdb_hold_the_values_and_types_they_were_written_with(tmp_path):
    """Text with commas, quotes, brackets and line breaks; empty and null lists; big integers
    and floats that must come back exactly."""
    con = duckdb.connect()
    con.execute(ddl())
    paper = (
        'p, "q" [1]',
        2**40 + 1,
        "line\nbreak, ü, {x}",
        "2024-01",
        2024,
        ["Smith, J.", 'O"Neil [x]', "a\\b"],
        None,
        None,
        "2401.01230",
        [],
        "",
        "null",
        "f.yaml",
        7,
    )
    path = tmp_path / "papers.jsonl"
    path.write_text(rows_lines([paper, paper]))
    load_json_lines(con, TABLES["papers"], path)
    assert con.execute("SELECT * FROM papers").fetchall() == [paper, paper]
    result = (
        "p",
        0,
        "m",
        None,
        None,
        "e",
        None,
        3,
        "x",
        0.1 + 0.2,
        "absolute",
        2**33,
        None,
        None,
        None,
        "exact",
        -1e-300,
        1.7976931348623157e308,
        '{"times_less": 2}',
    )
    path = tmp_path / "results.jsonl"
    path.write_text(rows_lines([result]))
    load_json_lines(con, TABLES["results"], path)
    assert con.execute("SELECT * FROM results").fetchall() == [result]


def test_a_batch_of_rows_too_long_for_one_line_is_split_over_several(tmp_path, monkeypatch):
    from catalog.store import bulk

    monkeypatch.setattr(bulk, "_LINE_CHARS", 100)
    rows = [("p", f"tag {i} " + "x" * 30) for i in range(10)]
    text = bulk.rows_lines(rows)
    assert len(text.splitlines()) > 1 and all(len(line) <= 100 for line in text.splitlines())
    con = duckdb.connect()
    con.execute(ddl())
    path = tmp_path / "tags.jsonl"
    path.write_text(text)
    load_json_lines(con, TABLES["tags"], path)
    assert con.execute("SELECT * FROM tags").fetchall() == rows


def test_the_ddl_builds_every_table_with_the_declared_types():
    con = duckdb.connect()
    con.execute(ddl())
    for table in TABLES.values():
        described = con.execute(f"DESCRIBE {table.name}").fetchall()
        assert [(name, kind) for name, kind, *_ in described] == [(c.name, c.type) for c in table.columns]


def test_the_cache_version_covers_the_code_that_reads_files_and_moves_their_rows_in():
    """A cache is rebuilt when any code that decides what it holds changes."""
    from pathlib import Path

    import catalog.source.read
    import catalog.store.bulk
    import catalog.store.rows
    import catalog.store.update
    import catalog.text
    from catalog.store import schema

    for module in (
        catalog.source.read,
        catalog.store.rows,
        catalog.store.bulk,
        schema,
        catalog.store.update,
        catalog.text,
    ):
        assert Path(module.__file__).resolve() in {p.resolve() for p in schema._RULES}, module.__name__
