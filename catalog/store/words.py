r"""The search index: each paper's words, weighted by where they occur, and the vocabulary.

A keystroke matches the query's words against the vocabulary (``vocab``), never the papers
themselves, then reads the papers holding the matched words (``words``). Words are indexed a
batch of papers at a time, each batch in word order: a search then reads, per batch, the one
row group holding its words (DuckDB's zone maps skip the rest), and the build's memory stays
bounded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from catalog.store.bulk import insert_rows
from catalog.store.checks import Vocabularies
from catalog.store.rows import benchmark_row, objective_row
from catalog.store.schema import TABLES

#: Title words weigh the most; tags, methods and objectives next; the abstract least.
TITLE_WEIGHT = 3

_WORDS = rf"""
INSERT INTO words
WITH raw AS (
    SELECT id AS paper_id, title AS body, {TITLE_WEIGHT} AS weight
        FROM papers WHERE id IN (SELECT id FROM fresh)
    UNION ALL SELECT id, abstract, 1 FROM papers WHERE abstract IS NOT NULL AND id IN (SELECT id FROM fresh)
    UNION ALL SELECT paper_id, tag, 2 FROM tags WHERE paper_id IN (SELECT id FROM fresh)
    UNION ALL SELECT DISTINCT paper_id, method, 2 FROM results WHERE paper_id IN (SELECT id FROM fresh)
    UNION ALL SELECT DISTINCT r.paper_id, o.label || ' ' || r.objective, 2
        FROM results r JOIN objectives o ON o.id = r.objective WHERE r.paper_id IN (SELECT id FROM fresh)
    UNION ALL SELECT DISTINCT r.paper_id, b.label || ' ' || r.benchmark, 2
        FROM results r JOIN benchmarks b ON b.id = r.benchmark WHERE r.paper_id IN (SELECT id FROM fresh)
    UNION ALL SELECT DISTINCT t.paper_id, coalesce(o.label, '') || ' ' || t.x, 2
        FROM (SELECT paper_id, x FROM tradeoffs UNION ALL SELECT paper_id, y FROM tradeoffs) t
        LEFT JOIN objectives o ON o.id = t.x
        WHERE t.paper_id IN (SELECT id FROM fresh)
)
SELECT word, paper_id, max(weight)::INTEGER AS weight
FROM (SELECT unnest(regexp_extract_all(lower(body), '[\pL\pN]+')) AS word, paper_id, weight FROM raw)
WHERE length(word) >= 2
GROUP BY word, paper_id
ORDER BY word, paper_id;
"""
_WORDS_BATCH = 10_000
_VOCAB = """
CREATE OR REPLACE TABLE vocab AS
    SELECT word, count(*)::INTEGER AS papers FROM words GROUP BY word ORDER BY word;
"""


def _store_vocabulary(
    con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple[Any, ...]], folder: Path
) -> bool:
    """Replace a vocabulary's table with ``rows`` when they differ from it; whether they did."""
    old = {
        r[0]: tuple(list(v or []) if isinstance(v, list) else v for v in r)
        for r in con.execute(
            f"SELECT * FROM {table}"  # one of our own table names
        ).fetchall()
    }
    new = {r[0]: tuple(list(v) if isinstance(v, list) else v for v in r) for r in rows}
    if new == old:
        return False
    con.execute(f"DELETE FROM {table}")
    insert_rows(con, TABLES[table], rows, folder)
    return True


def index_words(
    con: duckdb.DuckDBPyConnection,
    vocabularies: Vocabularies,
    read: list[str],
    removed: bool,
    folder: Path,
) -> None:
    """Store the merged objectives and benchmarks, and index the words of the papers in the
    files just ``read``: of every paper when a vocabulary changed (papers are found by their
    objectives' and benchmarks' labels too). ``removed``: whether papers went away since the
    last build."""
    objectives = [objective_row(o) for o in vocabularies.objectives.values()]
    benchmarks = [benchmark_row(b) for b in vocabularies.benchmarks.values()]
    objectives_changed = _store_vocabulary(con, "objectives", list(objectives), folder)
    objectives_changed |= _store_vocabulary(con, "benchmarks", list(benchmarks), folder)
    if objectives_changed:
        con.execute("DELETE FROM words")
        indexed = con.execute("SELECT id FROM papers").fetchall()
    else:
        indexed = con.execute(
            "SELECT id FROM papers WHERE file IN (SELECT unnest($d::VARCHAR[]))",
            {"d": read},
        ).fetchall()
    for start in range(0, len(indexed), _WORDS_BATCH):
        batch = [pid for (pid,) in indexed[start : start + _WORDS_BATCH]]
        con.execute(
            "CREATE OR REPLACE TEMP TABLE fresh AS SELECT unnest($ids::VARCHAR[]) AS id", {"ids": batch}
        )
        con.execute(_WORDS)
    if objectives_changed or read or removed:
        con.execute(_VOCAB)
