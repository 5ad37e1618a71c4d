"""Write a validated catalog into a DuckDB database: tables, search index and views.

Rows go in by the file: streamed as newline-delimited JSON that DuckDB's ``read_json`` loads
with explicit column types. Never row by row (``executemany`` is two orders of magnitude
slower), and not as big Python lists bound as parameters (that cost memory per paper).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from pathlib import Path

import duckdb

from catalog.model import Catalog

#: Bump when the tables change, so caches built by an older version are rebuilt.
SCHEMA_VERSION = 1

_TABLES = """
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE objectives (
    id VARCHAR PRIMARY KEY, label VARCHAR NOT NULL, better VARCHAR NOT NULL,
    unit VARCHAR, kind VARCHAR, aliases VARCHAR[]
);
CREATE TABLE papers (
    id VARCHAR PRIMARY KEY, position INTEGER, title VARCHAR NOT NULL, published VARCHAR,
    year INTEGER, authors VARCHAR[], authors_count INTEGER, url VARCHAR, arxiv VARCHAR,
    code VARCHAR[], abstract VARCHAR, notes VARCHAR, file VARCHAR, line INTEGER
);
CREATE TABLE tags (paper_id VARCHAR, tag VARCHAR);
CREATE TABLE tradeoffs (paper_id VARCHAR, x VARCHAR, y VARCHAR);
CREATE TABLE results (
    paper_id VARCHAR, result_no INTEGER, method VARCHAR, setting VARCHAR, baseline VARCHAR,
    evidence VARCHAR, source VARCHAR, line INTEGER, objective VARCHAR, value DOUBLE, mode VARCHAR
);
"""

# Words for fuzzy search, weighted by where they occur; the vocabulary is what the query's
# words are matched against, so a keystroke never scans the papers themselves.
_INDEX = r"""
CREATE TABLE words AS
WITH raw AS (
    SELECT id AS paper_id, title AS body, 3 AS weight FROM papers
    UNION ALL SELECT id, abstract, 1 FROM papers WHERE abstract IS NOT NULL
    UNION ALL SELECT paper_id, tag, 2 FROM tags
    UNION ALL SELECT DISTINCT paper_id, method, 2 FROM results
    UNION ALL SELECT DISTINCT r.paper_id, o.label || ' ' || r.objective, 2
        FROM results r JOIN objectives o ON o.id = r.objective
    UNION ALL SELECT DISTINCT t.paper_id, coalesce(o.label, '') || ' ' || t.x, 2
        FROM (SELECT paper_id, x FROM tradeoffs UNION ALL SELECT paper_id, y FROM tradeoffs) t
        LEFT JOIN objectives o ON o.id = t.x
)
SELECT word, paper_id, max(weight)::INTEGER AS weight
FROM (SELECT unnest(regexp_extract_all(lower(body), '[\pL\pN]+')) AS word, paper_id, weight FROM raw)
WHERE length(word) >= 2
GROUP BY word, paper_id;
CREATE TABLE vocab AS SELECT word, count(*)::INTEGER AS papers FROM words GROUP BY word ORDER BY word;
"""

_VIEWS = """
CREATE VIEW paper_tags AS
    SELECT p.id, list(t.tag ORDER BY t.tag) FILTER (WHERE t.tag IS NOT NULL) AS tags
    FROM papers p LEFT JOIN tags t ON t.paper_id = p.id GROUP BY p.id;
CREATE VIEW result_pairs AS
    SELECT a.paper_id, a.result_no, a.objective AS x, b.objective AS y,
           a.mode AS x_mode, b.mode AS y_mode
    FROM results a JOIN results b ON a.paper_id = b.paper_id AND a.result_no = b.result_no
    WHERE a.objective < b.objective;
CREATE VIEW pairs AS
    WITH declared AS (
        SELECT paper_id, least(x, y) AS x, greatest(x, y) AS y FROM tradeoffs
    ), measured AS (
        SELECT paper_id, x, y,
               count(*) FILTER (WHERE x_mode = 'absolute' AND y_mode = 'absolute') AS points,
               count(*) FILTER (WHERE x_mode <> 'absolute' AND y_mode <> 'absolute') AS relative_points
        FROM result_pairs GROUP BY ALL
    )
    SELECT x, y, count(DISTINCT paper_id)::INTEGER AS papers,
           coalesce(sum(points), 0)::INTEGER AS points,
           coalesce(sum(relative_points), 0)::INTEGER AS relative_points
    FROM (SELECT paper_id, x, y, 0 AS points, 0 AS relative_points FROM declared
          UNION ALL SELECT * FROM measured)
    GROUP BY x, y;
"""


def build_database(con: duckdb.DuckDBPyConnection, catalog: Catalog, meta: dict[str, str]) -> None:
    """Create every table, index and view of ``catalog`` in the empty database ``con``."""
    con.execute("BEGIN")
    con.execute(_TABLES)
    meta = {"schema_version": str(SCHEMA_VERSION), **meta}
    with tempfile.TemporaryDirectory(prefix="tradeoffs-build-") as folder:
        rows = _Rows(con, Path(folder))
        rows.insert("meta", list(meta.items()), ["VARCHAR", "VARCHAR"])
        rows.insert(
            "objectives",
            [(o.id, o.label, o.better, o.unit, o.kind, list(o.aliases)) for o in catalog.objectives.values()],
            ["VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR[]"],
        )
        ps = catalog.papers
        rows.insert(
            "papers",
            (
                (
                    p.id,
                    n,
                    p.title,
                    p.published,
                    p.year,
                    list(p.authors),
                    p.authors_count,
                    p.url,
                    p.arxiv,
                    list(p.code),
                    p.abstract,
                    p.notes,
                    p.file,
                    p.line,
                )
                for n, p in enumerate(ps)
            ),
            [
                "VARCHAR",
                "INTEGER",
                "VARCHAR",
                "VARCHAR",
                "INTEGER",
                "VARCHAR[]",
                "INTEGER",
                "VARCHAR",
                "VARCHAR",
                "VARCHAR[]",
                "VARCHAR",
                "VARCHAR",
                "VARCHAR",
                "INTEGER",
            ],
        )
        rows.insert("tags", ((p.id, t) for p in ps for t in dict.fromkeys(p.tags)), ["VARCHAR", "VARCHAR"])
        rows.insert("tradeoffs", ((p.id, x, y) for p in ps for x, y in p.tradeoffs), ["VARCHAR"] * 3)
        rows.insert(
            "results",
            (
                (
                    p.id,
                    n,
                    r.method,
                    r.setting,
                    r.baseline,
                    r.evidence,
                    r.source,
                    r.line,
                    v.objective,
                    v.number,
                    v.mode,
                )
                for p in ps
                for n, r in enumerate(p.results)
                for v in r.values
            ),
            [
                "VARCHAR",
                "INTEGER",
                "VARCHAR",
                "VARCHAR",
                "VARCHAR",
                "VARCHAR",
                "VARCHAR",
                "INTEGER",
                "VARCHAR",
                "DOUBLE",
                "VARCHAR",
            ],
        )
    con.execute(_INDEX)
    con.execute(_VIEWS)
    con.execute("COMMIT")


class _Rows:
    """Bulk inserts through newline-delimited JSON that DuckDB reads itself.

    Binding big Python lists as parameters cost about 50 KiB per paper of memory; streaming the
    rows to a file and letting ``read_json`` load them keeps memory flat and is faster.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, folder: Path) -> None:
        self.con = con
        self.folder = folder

    def insert(self, table: str, rows: Iterable[tuple], types: list[str]) -> None:
        path = self.folder / f"{table}.jsonl"
        names = [f"c{i}" for i in range(len(types))]
        written = 0
        with path.open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(dict(zip(names, row)), ensure_ascii=False))
                out.write("\n")
                written += 1
        if not written:
            return
        # Table names and column types are our own constants; the file name is a parameter.
        columns = ", ".join(f"{name}: '{kind}'" for name, kind in zip(names, types))
        self.con.execute(
            f"INSERT INTO {table} SELECT {', '.join(names)} "
            f"FROM read_json(?, format='newline_delimited', columns={{{columns}}})",
            [str(path)],
        )
