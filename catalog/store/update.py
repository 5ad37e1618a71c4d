"""Bring a catalog database up to date with the files, reading only the files that changed.

The database keeps, per file, its size, modification time and content hash (table ``files``)
next to the rows it contributed, so it doubles as a cache per file: an update deletes the rows
of files that changed or went away, reads just those files again (``catalog.store.pool``),
renumbers positions when files moved in the catalog order, checks the rules across files
(``catalog.store.checks``) and re-indexes the words of what it read (``catalog.store.words``).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from catalog.errors import Problem
from catalog.model import FileStat
from catalog.store.bulk import insert_rows, load_json_lines
from catalog.store.cache import stats_key
from catalog.store.checks import merged_vocabularies, refuse_if_invalid
from catalog.store.pool import read_all
from catalog.store.rows import (
    PAPERS_PER_FILE,
    POINTS_PER_FILE,
    FileRows,
    benchmark_row,
    content_hash,
    objective_row,
)
from catalog.store.schema import FROM_FILES, PAIRS, RENUMBER, SCHEMA_VERSION, TABLES, ddl
from catalog.store.scratch import scratch_prefix
from catalog.store.words import index_words

FileRow = tuple[str, str, int, int, str, int, str | None, str | None]


def create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the empty tables and views of a catalog database."""
    con.execute(ddl())


def count_pairs(con: duckdb.DuckDBPyConnection) -> None:
    """Count every pair's papers and points again (the ``pairs`` table) from the rows now held."""
    con.execute(f"DELETE FROM pairs; INSERT INTO pairs {PAIRS}")


@dataclass(frozen=True)
class _Known:
    """A file as the previous build saw it."""

    display: str
    size: int
    mtime_ns: int
    sha: str
    file_no: int
    objectives: str | None
    benchmarks: str | None


def build_database(
    con: duckdb.DuckDBPyConnection,
    files: list[FileStat],
    meta: dict[str, str],
    on_progress: Callable[[int, int], None] | None = None,
    scratch: Path | None = None,
    skipped: list[Problem] | None = None,
) -> int:
    """Bring the database in ``con`` up to date with ``files`` (in catalog order); returns how
    many files were read.

    With ``skipped`` (a list), a file with problems of its own is left out of the database,
    its problems added to the list, and ``meta``'s ``stats_key`` made that of the files kept:
    the build is then the build of the other files. Problems across files still raise.

    An empty database gets every table; one holding a previous build is updated, reading only
    the files whose size, modification time and content changed. Raises ``CatalogError``
    (with the database unchanged) when the catalog is invalid. The rows on their way in are
    written under ``scratch`` (the system's temporary folder when None).
    """
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'files' AND NOT temporary"
    ).fetchone()
    fresh_db = not (row and row[0])
    con.execute("BEGIN")
    try:
        if fresh_db:
            create_tables(con)
        # The rows on their way in go beside the database, where a later build clears them
        # if this process is killed before it can.
        with tempfile.TemporaryDirectory(prefix=scratch_prefix("rows"), dir=scratch) as folder:
            read = _update(con, files, Path(folder), on_progress, skipped)
        if skipped:
            left = {p.file for p in skipped}
            meta = {**meta, "stats_key": stats_key([f for f in files if f.display not in left])}
        con.execute("DELETE FROM meta")
        con.executemany(
            "INSERT INTO meta VALUES (?, ?)", list({"schema_version": str(SCHEMA_VERSION), **meta}.items())
        )
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return read


def _update(
    con: duckdb.DuckDBPyConnection,
    files: list[FileStat],
    folder: Path,
    on_progress: Callable[[int, int], None] | None,
    skipped: list[Problem] | None = None,
) -> int:
    """Read what changed into the tables (leaving out, with ``skipped``, the files with problems
    of their own); returns how many files were read."""
    known = {
        r[0]: _Known(*r[1:])
        for r in con.execute(
            "SELECT path, display, size, mtime_ns, sha, file_no, objectives, benchmarks FROM files"
        ).fetchall()
    }
    to_read, touched, renumbered = _plan(known, files)
    current = {stat.key for stat in files}
    stale = [p for p in known if p not in current] + [stat.key for stat, _ in to_read if stat.key in known]
    con.execute("CREATE OR REPLACE TEMP TABLE stale AS SELECT unnest($p::VARCHAR[]) AS path", {"p": stale})
    con.execute(
        "CREATE OR REPLACE TEMP TABLE gone AS SELECT id FROM papers "
        "WHERE file IN (SELECT f.display FROM files f JOIN stale USING (path))"
    )
    for table in ("words", "tags", "tradeoffs", "results", "conditions"):
        con.execute(f"DELETE FROM {table} WHERE paper_id IN (SELECT id FROM gone)")
    con.execute("DELETE FROM papers WHERE id IN (SELECT id FROM gone)")

    problems: list[Problem] = []
    numbers = {stat.path: file_no for stat, file_no in to_read}
    new_files: list[FileRow] = []
    writers = {table: (folder / f"{table}.jsonl").open("w", encoding="utf-8") for table in FROM_FILES}
    with_rows: set[str] = set()
    try:
        for got in read_all(to_read, on_progress):
            if skipped is not None and got.problems:
                skipped.extend(got.problems)
                continue
            problems.extend(got.problems)
            new_files.append(_file_row(got, numbers[got.stat.path]))
            for table, text in got.rows.items():
                writers[table].write(text)
                with_rows.add(table)
    finally:
        for handle in writers.values():
            handle.close()
    for table in FROM_FILES:
        if table in with_rows:
            load_json_lines(con, TABLES[table], folder / f"{table}.jsonl")
    for stat, file_no in touched:
        was = known[stat.key]
        new_files.append(
            (
                stat.key,
                stat.display,
                stat.size,
                stat.mtime_ns,
                was.sha,
                file_no,
                was.objectives,
                was.benchmarks,
            )
        )
    con.execute(
        "DELETE FROM files WHERE path IN (SELECT path FROM stale) OR path IN (SELECT unnest($p::VARCHAR[]))",
        {"p": [stat.key for stat, _ in touched]},
    )
    insert_rows(con, TABLES["files"], new_files, folder)
    if renumbered:
        _renumber(con, files, folder)

    left = {p.file for p in skipped or ()}
    kept = [stat for stat in files if stat.display not in left] if left else files
    vocabularies = merged_vocabularies(con)
    refuse_if_invalid(con, kept, vocabularies, problems)

    indexed = [stat.display for stat, _ in to_read if stat.display not in left]
    index_words(con, vocabularies, indexed, bool(stale), folder)
    count_pairs(con)
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
        was = known.get(stat.key)
        if was is not None and was.display == stat.display and was.file_no != file_no:
            renumbered = True
        if was is None or was.display != stat.display:
            to_read.append((stat, file_no))
        elif (was.size, was.mtime_ns) != (stat.size, stat.mtime_ns):
            (touched if _same_bytes(stat, was.sha) else to_read).append((stat, file_no))
    return to_read, touched, renumbered


def _same_bytes(stat: FileStat, sha: str) -> bool:
    """Whether a file whose modification time changed still holds the bytes it held."""
    try:
        return content_hash(Path(stat.path).read_bytes()) == sha
    except OSError:
        return False  # reading it again will report why


def _file_row(got: FileRows, file_no: int) -> FileRow:
    stat = got.stat
    defined = json.dumps([objective_row(o) for o in got.objectives]) if got.objectives else None
    benchmarks = json.dumps([benchmark_row(b) for b in got.benchmarks]) if got.benchmarks else None
    return (stat.key, stat.display, stat.size, stat.mtime_ns, got.sha, file_no, defined, benchmarks)


def _renumber(con: duckdb.DuckDBPyConnection, files: list[FileStat], folder: Path) -> None:
    """Number the files as they are ordered now, and the papers' positions and results' points
    with them."""
    insert_rows(con, RENUMBER, [(s.key, n) for n, s in enumerate(files)], folder, temp=True)
    con.execute(
        "UPDATE files SET file_no = r.file_no FROM renumber r "
        "WHERE files.path = r.path AND files.file_no <> r.file_no"
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
