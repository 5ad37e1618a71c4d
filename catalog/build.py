"""Write the catalog into a DuckDB database, reading only the files that changed since the last build.

The database keeps, per file, its size, modification time and content hash (table ``files``)
next to the rows it contributed, so it doubles as a cache per file: an update deletes the rows
of files that changed or went away and reads just those files again (``catalog.ingest``).
Rows go in as newline-delimited JSON that DuckDB's ``read_json`` loads with explicit column
types: never row by row (``executemany`` is two orders of magnitude slower), and never as big
Python lists bound as parameters (that costs memory per paper).

Checks across files (duplicate ids, unknown objectives, conflicting definitions) first run as
cheap detections over the loaded rows; only when one fires are the files involved read again
to word the problems with their places (``catalog.load.problems_of``).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from catalog.ingest import (
    PAPERS_PER_FILE,
    POINTS_PER_FILE,
    TABLES,
    FileRows,
    content_hash,
    ingest_all,
    json_line,
)
from catalog.load import problems_of, read_files
from catalog.model import CatalogError, FileStat, Objective, Problem

#: Bump when the tables change, so caches built by an older version are rebuilt.
SCHEMA_VERSION = 4

_TABLES = """
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE files (
    path VARCHAR, display VARCHAR, size BIGINT, mtime_ns BIGINT, sha VARCHAR, file_no INTEGER,
    objectives VARCHAR
);
CREATE TABLE objectives (
    id VARCHAR PRIMARY KEY, label VARCHAR NOT NULL, better VARCHAR NOT NULL,
    unit VARCHAR, kind VARCHAR, aliases VARCHAR[]
);
CREATE TABLE papers (
    id VARCHAR, position BIGINT, title VARCHAR NOT NULL, published VARCHAR,
    year INTEGER, authors VARCHAR[], authors_count INTEGER, url VARCHAR, arxiv VARCHAR,
    code VARCHAR[], abstract VARCHAR, notes VARCHAR, file VARCHAR, line INTEGER
);
CREATE TABLE tags (paper_id VARCHAR, tag VARCHAR);
CREATE TABLE tradeoffs (paper_id VARCHAR, x VARCHAR, y VARCHAR);
CREATE TABLE results (
    paper_id VARCHAR, result_no INTEGER, method VARCHAR, setting VARCHAR, baseline VARCHAR,
    evidence VARCHAR, source VARCHAR, line INTEGER, objective VARCHAR, value DOUBLE, mode VARCHAR,
    point BIGINT
);
CREATE TABLE words (word VARCHAR, paper_id VARCHAR, weight INTEGER);
CREATE TABLE vocab (word VARCHAR, papers INTEGER);
"""

# Words for fuzzy search, weighted by where they occur, for the papers listed in ``fresh``;
# the vocabulary is what the query's words are matched against, so a keystroke never scans
# the papers themselves. Each batch goes in in word order: a search then reads, per batch, the
# one row group holding its words (DuckDB's zone maps skip the rest) instead of every word.
_WORDS = r"""
INSERT INTO words
WITH raw AS (
    SELECT id AS paper_id, title AS body, 3 AS weight FROM papers WHERE id IN (SELECT id FROM fresh)
    UNION ALL SELECT id, abstract, 1 FROM papers WHERE abstract IS NOT NULL AND id IN (SELECT id FROM fresh)
    UNION ALL SELECT paper_id, tag, 2 FROM tags WHERE paper_id IN (SELECT id FROM fresh)
    UNION ALL SELECT DISTINCT paper_id, method, 2 FROM results WHERE paper_id IN (SELECT id FROM fresh)
    UNION ALL SELECT DISTINCT r.paper_id, o.label || ' ' || r.objective, 2
        FROM results r JOIN objectives o ON o.id = r.objective WHERE r.paper_id IN (SELECT id FROM fresh)
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

_VIEWS = """
CREATE VIEW paper_tags AS
    SELECT p.id, list(t.tag ORDER BY t.tag) FILTER (WHERE t.tag IS NOT NULL) AS tags
    FROM papers p LEFT JOIN tags t ON t.paper_id = p.id GROUP BY p.id;
CREATE VIEW result_pairs AS
    SELECT a.paper_id, a.result_no, a.objective AS x, b.objective AS y,
           a.mode AS x_mode, b.mode AS y_mode
    FROM results a JOIN results b ON a.point = b.point
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

_OBJECTIVE_TYPES = ["VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR[]"]
_FILE_TYPES = ["VARCHAR", "VARCHAR", "BIGINT", "BIGINT", "VARCHAR", "INTEGER", "VARCHAR"]


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the empty tables and views of a catalog database."""
    con.execute(_TABLES)
    con.execute(_VIEWS)


def _objective_row(o: Objective) -> tuple:
    return (o.id, o.label, o.better, o.unit, o.kind, list(o.aliases))


@dataclass(frozen=True)
class _Known:
    """A file as the previous build saw it."""

    display: str
    size: int
    mtime_ns: int
    sha: str
    file_no: int
    objectives: str | None


def build_database(
    con: duckdb.DuckDBPyConnection,
    files: list[FileStat],
    meta: dict[str, str],
    on_progress: Callable[[int, int], None] | None = None,
) -> int:
    """Bring the database in ``con`` up to date with ``files`` (in catalog order); returns how
    many files were read.

    An empty database gets every table; one holding a previous build is updated, reading only
    the files whose size, modification time and content changed. Raises ``CatalogError``
    (with the database unchanged) when the catalog is invalid.
    """
    fresh_db = not con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'files' AND NOT temporary"
    ).fetchone()[0]
    con.execute("BEGIN")
    try:
        if fresh_db:
            create_tables(con)
        with tempfile.TemporaryDirectory(prefix="tradeoffs-build-") as folder:
            read = _update(con, files, Path(folder), on_progress)
        _write_meta(con, {"schema_version": str(SCHEMA_VERSION), **meta})
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return read


def _write_meta(con: duckdb.DuckDBPyConnection, meta: dict[str, str]) -> None:
    con.execute("DELETE FROM meta")
    con.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))


def _update(
    con: duckdb.DuckDBPyConnection,
    files: list[FileStat],
    folder: Path,
    on_progress: Callable[[int, int], None] | None,
) -> int:
    """Read what changed into the tables; returns how many files were read."""
    known = {
        r[0]: _Known(*r[1:])
        for r in con.execute(
            "SELECT path, display, size, mtime_ns, sha, file_no, objectives FROM files"
        ).fetchall()
    }
    to_read, touched, renumbered = _plan(known, files)
    current = {stat.path for stat in files}
    stale = [p for p in known if p not in current] + [stat.path for stat, _ in to_read if stat.path in known]
    con.execute("CREATE OR REPLACE TEMP TABLE stale AS SELECT unnest($p::VARCHAR[]) AS path", {"p": stale})
    con.execute(
        "CREATE OR REPLACE TEMP TABLE gone AS SELECT id FROM papers "
        "WHERE file IN (SELECT f.display FROM files f JOIN stale USING (path))"
    )
    for table in ("words", "tags", "tradeoffs", "results"):
        con.execute(f"DELETE FROM {table} WHERE paper_id IN (SELECT id FROM gone)")
    con.execute("DELETE FROM papers WHERE id IN (SELECT id FROM gone)")

    problems: list[Problem] = []
    numbers = {stat.path: file_no for stat, file_no in to_read}
    new_files: list[tuple] = []
    writers = {table: (folder / f"{table}.jsonl").open("w", encoding="utf-8") for table in TABLES}
    with_rows: set[str] = set()
    try:
        for got in ingest_all(to_read, on_progress):
            problems.extend(got.problems)
            new_files.append(_file_row(got, numbers[got.stat.path]))
            for table, text in got.rows.items():
                writers[table].write(text)
                with_rows.add(table)
    finally:
        for handle in writers.values():
            handle.close()
    for table in TABLES:
        if table in with_rows:
            _load(con, table, folder / f"{table}.jsonl", TABLES[table])
    for stat, file_no in touched:
        was = known[stat.path]
        new_files.append(
            (stat.path, stat.display, stat.size, stat.mtime_ns, was.sha, file_no, was.objectives)
        )
    con.execute(
        "DELETE FROM files WHERE path IN (SELECT path FROM stale) OR path IN (SELECT unnest($p::VARCHAR[]))",
        {"p": [stat.path for stat, _ in touched]},
    )
    _insert(con, "files", new_files, _FILE_TYPES, folder)
    if renumbered:
        _renumber(con, files, folder)

    objectives, conflicts = _merge_objectives(con)
    involved = _detect_problems(con, objectives, conflicts, problems)
    if involved:
        raise CatalogError(_word_problems(files, involved, objectives))

    _index_words(con, objectives, [stat.display for stat, _ in to_read], bool(stale), folder)
    con.execute("DROP TABLE IF EXISTS fresh; DROP TABLE gone; DROP TABLE stale")
    return len(to_read)


def _plan(
    known: dict[str, _Known], files: list[FileStat]
) -> tuple[list[tuple[FileStat, int]], list[tuple[FileStat, int]], bool]:
    """(files to read, files only touched since, whether files kept moved in the catalog order)."""
    to_read: list[tuple[FileStat, int]] = []
    touched: list[tuple[FileStat, int]] = []  # same bytes, new modification time
    renumbered = False
    for file_no, stat in enumerate(files):
        was = known.get(stat.path)
        if was is not None and was.display == stat.display and was.file_no != file_no:
            renumbered = True
        if was is None or was.display != stat.display:
            to_read.append((stat, file_no))
        elif (was.size, was.mtime_ns) != (stat.size, stat.mtime_ns):
            (touched if _same_bytes(stat, was.sha) else to_read).append((stat, file_no))
    return to_read, touched, renumbered


def _index_words(
    con: duckdb.DuckDBPyConnection,
    objectives: dict[str, Objective],
    read: list[str],
    removed: bool,
    folder: Path,
) -> None:
    """Store the merged objectives, and index the words of the papers in the files just
    ``read``: of every paper when the objectives changed (papers are found by their
    objectives' labels too)."""
    old = {r[0]: r for r in con.execute("SELECT * FROM objectives").fetchall()}
    rows = [_objective_row(o) for o in objectives.values()]
    objectives_changed = {r[0]: r for r in rows} != {k: (*v[:5], list(v[5] or [])) for k, v in old.items()}
    if objectives_changed:
        con.execute("DELETE FROM objectives")
        _insert(con, "objectives", rows, _OBJECTIVE_TYPES, folder)
        con.execute("DELETE FROM words")
        indexed = con.execute("SELECT id FROM papers").fetchall()
    else:
        indexed = con.execute(
            "SELECT id FROM papers WHERE file IN (SELECT unnest($d::VARCHAR[]))",
            {"d": read},
        ).fetchall()
    # Words are indexed a batch of papers at a time: that keeps the build's memory bounded.
    for start in range(0, len(indexed), _WORDS_BATCH):
        batch = [pid for (pid,) in indexed[start : start + _WORDS_BATCH]]
        con.execute(
            "CREATE OR REPLACE TEMP TABLE fresh AS SELECT unnest($ids::VARCHAR[]) AS id", {"ids": batch}
        )
        con.execute(_WORDS)
    if objectives_changed or read or removed:
        con.execute(_VOCAB)


def _same_bytes(stat: FileStat, sha: str) -> bool:
    """Whether a file whose modification time changed still holds the bytes it held."""
    try:
        return content_hash(Path(stat.path).read_bytes()) == sha
    except OSError:
        return False  # reading it again will report why


def _file_row(got: FileRows, file_no: int) -> tuple:
    stat = got.stat
    defined = json.dumps([_objective_row(o) for o in got.objectives]) if got.objectives else None
    return (stat.path, stat.display, stat.size, stat.mtime_ns, got.sha, file_no, defined)


def _renumber(con: duckdb.DuckDBPyConnection, files: list[FileStat], folder: Path) -> None:
    """Number the files as they are ordered now, and the papers' positions and results' points
    with them."""
    _insert(
        con, "renumber", [(s.path, n) for n, s in enumerate(files)], ["VARCHAR", "INTEGER"], folder, temp=True
    )
    con.execute(
        "UPDATE files SET file_no = r.c1 FROM renumber r WHERE files.path = r.c0 AND files.file_no <> r.c1"
    )
    con.execute(
        f"UPDATE papers SET position = f.file_no * {PAPERS_PER_FILE} + papers.position % {PAPERS_PER_FILE} "
        "FROM files f WHERE f.display = papers.file"
    )
    con.execute(
        f"UPDATE results SET point = f.file_no * {POINTS_PER_FILE} + results.point % {POINTS_PER_FILE} "
        "FROM papers p JOIN files f ON f.display = p.file WHERE p.id = results.paper_id"
    )
    con.execute("DROP TABLE renumber")


def _merge_objectives(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, Objective], set[str]]:
    """Every file's objectives merged (the first definition wins), and the ids defined differently."""
    merged: dict[str, Objective] = {}
    conflicts: set[str] = set()
    rows = con.execute(
        "SELECT objectives FROM files WHERE objectives IS NOT NULL ORDER BY file_no"
    ).fetchall()
    for (defined,) in rows:
        for oid, label, better, unit, kind, aliases in json.loads(defined):
            objective = Objective(oid, label, better, unit, kind, tuple(aliases))
            first = merged.setdefault(oid, objective)
            if first != objective:
                conflicts.add(oid)
    return merged, conflicts


def _detect_problems(
    con: duckdb.DuckDBPyConnection,
    objectives: dict[str, Objective],
    conflicts: set[str],
    problems: list[Problem],
) -> set[str]:
    """The files (by name shown) that problems involve; empty when the catalog is valid."""
    involved = {p.file for p in problems}
    if conflicts:
        for defined, display in con.execute(
            "SELECT objectives, display FROM files WHERE objectives IS NOT NULL"
        ).fetchall():
            if any(row[0] in conflicts for row in json.loads(defined)):
                involved.add(display)
    kinds = {o.kind for o in objectives.values() if o.kind}
    used = con.execute(
        "SELECT DISTINCT objective, false FROM results "
        "UNION SELECT DISTINCT x, true FROM (SELECT x FROM tradeoffs UNION SELECT y FROM tradeoffs)"
    ).fetchall()
    unknown = [
        name
        for name, kinds_allowed in used
        if name not in objectives and not (kinds_allowed and name in kinds)
    ]
    if unknown:
        involved.update(
            r[0]
            for r in con.execute(
                "SELECT DISTINCT p.file FROM papers p WHERE p.id IN ("
                "  SELECT paper_id FROM results WHERE objective IN (SELECT unnest($u::VARCHAR[]))"
                "  UNION SELECT paper_id FROM tradeoffs"
                "  WHERE x IN (SELECT unnest($u::VARCHAR[])) OR y IN (SELECT unnest($u::VARCHAR[])))",
                {"u": unknown},
            ).fetchall()
        )
    involved.update(
        r[0]
        for r in con.execute(
            "SELECT DISTINCT file FROM papers "
            "WHERE id IN (SELECT id FROM papers GROUP BY id HAVING count(*) > 1)"
        ).fetchall()
    )
    return involved


def _word_problems(
    files: list[FileStat], involved: set[str], objectives: dict[str, Objective]
) -> list[Problem]:
    """The problems of the files involved, with their places: those files are read again to say."""
    chosen = [s for s in files if s.display in involved]
    contents = read_files([Path(s.path) for s in chosen], [s.display for s in chosen])
    return problems_of(contents, objectives)


def _load(
    con: duckdb.DuckDBPyConnection, table: str, path: Path, types: list[str], temp: bool = False
) -> None:
    names = [f"c{i}" for i in range(len(types))]
    # Table names and column types are our own constants; the file name is a parameter.
    columns = ", ".join(f"{name}: '{kind}'" for name, kind in zip(names, types))
    source = f"read_json(?, format='newline_delimited', columns={{{columns}}})"
    if temp:
        con.execute(f"CREATE TEMP TABLE {table} AS SELECT * FROM {source}", [str(path)])
    else:
        con.execute(f"INSERT INTO {table} SELECT {', '.join(names)} FROM {source}", [str(path)])


def _insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: Iterable[tuple],
    types: list[str],
    folder: Path,
    temp: bool = False,
) -> None:
    """Insert ``rows`` in bulk, through a JSON lines file that DuckDB reads itself."""
    path = folder / f"{table}.rows.jsonl"
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json_line(row))
            out.write("\n")
            written += 1
    if written or temp:
        _load(con, table, path, types, temp)
