"""The catalog as a Parquet dataset: a folder other engines read as it is, and a catalog of its own.

Layout: one Hive-style partition per table, ``DIR/table=<name>/part-0.parquet``, so that
``read_parquet('DIR/table=results/*.parquet')`` reads one table and
``read_parquet('DIR/**/*.parquet', hive_partitioning=true, union_by_name=true)`` reads them
all, with a ``table`` column saying which; Spark (``spark.read.parquet('DIR/table=results')``),
Trino's Hive connector (a table's folder as an external location) and ClickHouse
(``file('DIR/table=results/*.parquet')``) read the same files. Every row carries
``schema_version``: a column, since every engine reads columns and few read Parquet's
key-value metadata.

The tables are those of the catalog database (``catalog.store.schema``) that hold the
catalog itself; the search index is built again when a dataset is opened, and the files'
record is the YAML cache's own. A dataset is read into the cache like a YAML catalog is, so
an unchanged dataset opens without reading any Parquet.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from catalog.errors import ExportError, StoreError, os_reason
from catalog.model import Benchmark, FileStat, Objective
from catalog.source.discover import discover, display_path
from catalog.store.bulk import insert_rows
from catalog.store.schema import TABLES

#: The dataset format's version: bump it whenever a table below gains, loses or changes a column.
DATASET_VERSION = 1

#: The tables a dataset holds, in the order they are written and read.
DATASET_TABLES = ("objectives", "benchmarks", "papers", "tags", "tradeoffs", "results", "conditions")

#: The column every table of a dataset carries besides the catalog's own.
VERSION_COLUMN = "schema_version"

#: Which rows of each table belong to the papers chosen (the vocabularies go whole).
_BY_PAPER = {
    "papers": "id",
    "tags": "paper_id",
    "tradeoffs": "paper_id",
    "results": "paper_id",
    "conditions": "paper_id",
}

_PARTITION = "table="


def partition(root: Path, table: str) -> Path:
    """The folder of one table of the dataset at ``root``."""
    return root / f"{_PARTITION}{table}"


def is_dataset(path: Path) -> bool:
    """Whether ``path`` is a folder laid out as a dataset: it holds a ``table=<name>`` folder
    of one of the dataset's tables (a few ``stat`` calls: a folder of 100,000 YAML files is
    never listed for it)."""
    return any(os.path.isdir(partition(path, table)) for table in DATASET_TABLES)


def is_parquet_file(path: Path) -> bool:
    """Whether ``path`` names a single Parquet file (which is not a catalog: a dataset is a folder)."""
    return path.suffix.lower() == ".parquet" and path.is_file()


def _quoted(text: str) -> str:
    """An SQL string literal (COPY takes no parameter for its target)."""
    return "'" + text.replace("'", "''") + "'"


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True)
class Dataset:
    """A dataset found on disk: its folder and each table's Parquet files, in name order."""

    root: Path
    files: dict[str, list[str]]

    @property
    def stats(self) -> list[FileStat]:
        """Every Parquet file of the dataset with its size and modification time: its cache key."""
        found = []
        for table in DATASET_TABLES:
            for name in self.files[table]:
                st = os.stat(name)
                found.append(FileStat(name, display_path(Path(name)), st.st_size, st.st_mtime_ns))
        return found


def _refuse(root: Path, what: str) -> StoreError:
    return StoreError(f"cannot read the dataset {display_path(root)}: {what}")


def _parquet_below(folder: Path) -> list[str]:
    """The Parquet files under ``folder`` (Spark and others may partition a table further),
    hidden and ``_``-prefixed names left out, as Hive and Spark leave them out."""
    found = []
    for top, folders, names in os.walk(folder):
        folders[:] = sorted(f for f in folders if not f.startswith((".", "_")))
        found += [os.path.join(top, n) for n in sorted(names) if n.endswith(".parquet") and n[0] not in "._"]
    return found


def find_dataset(root: Path) -> Dataset:
    """The dataset at ``root``, or a ``StoreError`` saying what is missing or mixed in."""
    yaml_files, _ = discover([root])
    if yaml_files:
        raise _refuse(
            root,
            f"it holds catalog YAML files too ({yaml_files[0].display}); a dataset is a catalog on its "
            "own: move the YAML files to another folder and give each with its own --catalog",
        )
    files = {table: _parquet_below(partition(root, table)) for table in DATASET_TABLES}
    missing = [table for table in DATASET_TABLES if not files[table]]
    if missing:
        raise _refuse(
            root,
            f"it has no table {', '.join(missing)} ({display_path(partition(root, missing[0]))}/*.parquet); "
            "a dataset written by `tradeoffs export --format parquet -o DIR/` has every table: "
            "export it again",
        )
    return Dataset(root, files)


def _source(files: Sequence[str]) -> str:
    listed = ", ".join(_quoted(f) for f in files)
    return f"read_parquet([{listed}], hive_partitioning=true, union_by_name=true)"


def _check_columns(con: duckdb.DuckDBPyConnection, dataset: Dataset) -> None:
    """Refuse a dataset whose tables lack a column queries need, or of another version."""
    for table in DATASET_TABLES:
        source = _source(dataset.files[table])
        try:
            have = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        except duckdb.Error as err:
            raise _refuse(
                dataset.root, f"its table {table} cannot be read ({str(err).splitlines()[0]})"
            ) from None
        if VERSION_COLUMN not in have:
            raise _refuse(
                dataset.root,
                f"its table {table} has no {VERSION_COLUMN} column, so it was not written by "
                f"`tradeoffs export` (which writes version {DATASET_VERSION})",
            )
        lacking = [c for c in TABLES[table].names if c not in have]
        if lacking:
            raise _refuse(
                dataset.root,
                f"its table {table} has no column {', '.join(lacking)}: export it again with this version",
            )
        versions = [r[0] for r in con.execute(f"SELECT DISTINCT {VERSION_COLUMN} FROM {source}").fetchall()]
        other = [v for v in versions if str(v) != str(DATASET_VERSION)]
        if other:
            raise _refuse(
                dataset.root,
                f"it is of schema version {other[0]}, and this version of tradeoffs reads version "
                f"{DATASET_VERSION}: export it again with the tradeoffs that reads it, or use a tradeoffs "
                f"that reads version {other[0]}",
            )


def _table_rows(con: duckdb.DuckDBPyConnection, dataset: Dataset, table: str) -> list[tuple[Any, ...]]:
    """A vocabulary table's rows, by id."""
    columns = ", ".join(TABLES[table].names)
    return con.execute(f"SELECT {columns} FROM {_source(dataset.files[table])} ORDER BY id").fetchall()


def fill_from_dataset(con: duckdb.DuckDBPyConnection, dataset: Dataset, scratch: Path) -> None:
    """Fill the empty tables of a new catalog database in ``con`` straight from the dataset's
    Parquet files, then index the papers' words. Raises ``StoreError`` for a dataset queries
    cannot read (a table or column missing, another schema version, a value of the wrong type)."""
    # The build's code, which reads YAML too: opening a dataset already built never needs it.
    from catalog.store.checks import Vocabularies
    from catalog.store.update import count_pairs
    from catalog.store.words import index_words

    _check_columns(con, dataset)
    for table in DATASET_TABLES:
        if table in ("objectives", "benchmarks"):
            continue  # stored by the word index, which indexes every paper when they change
        columns = ", ".join(TABLES[table].names)
        try:
            con.execute(f"INSERT INTO {table} SELECT {columns} FROM {_source(dataset.files[table])}")
        except duckdb.Error as err:
            raise _refuse(
                dataset.root, f"its table {table} cannot be read ({str(err).splitlines()[0]})"
            ) from None
    objectives = {
        r[0]: Objective(r[0], r[1], r[2], r[3], r[4], tuple(r[5] or ()), bool(r[6]))
        for r in _table_rows(con, dataset, "objectives")
    }
    benchmarks = {
        r[0]: Benchmark(r[0], r[1], tuple(r[2] or ()), r[3]) for r in _table_rows(con, dataset, "benchmarks")
    }
    # The dataset's own files stand in the files' record (what ``validate`` counts).
    files = [
        (s.path, s.display, s.size, s.mtime_ns, None, n, None, None) for n, s in enumerate(dataset.stats)
    ]
    insert_rows(con, TABLES["files"], files, scratch)
    read = [r[0] for r in con.execute("SELECT DISTINCT file FROM papers WHERE file IS NOT NULL").fetchall()]
    index_words(con, Vocabularies(objectives, benchmarks), read, False, scratch)
    count_pairs(con)


# ---------------------------------------------------------------------------------------------
# Writing


def _check_target(target: Path) -> None:
    """Refuse a target the dataset would share with other files: a new folder, an empty one, or
    an earlier dataset (which is replaced as a whole) are fine."""
    shown = display_path(target)
    try:
        if not target.exists():
            return
        if not target.is_dir():
            raise ExportError(f"cannot write a dataset to {shown}: it is a file; name a new or empty folder")
        entries = sorted(os.listdir(target))
    except OSError as err:
        raise ExportError(f"cannot write {shown}: {os_reason(err)[0]}") from None
    ours = {f"{_PARTITION}{t}" for t in DATASET_TABLES}
    others = [name for name in entries if name not in ours or not (target / name).is_dir()]
    if others:
        listed = ", ".join(others[:5]) + (", …" if len(others) > 5 else "")
        raise ExportError(
            f"cannot write a dataset to {shown}: it holds other files ({listed}); "
            "name a new or empty folder (a dataset replaces only an earlier dataset)"
        )


def write_dataset(database: Path, target: Path, paper_ids: Iterable[str] | None = None) -> None:
    """Write the catalog built in ``database`` (a catalog database file) as a dataset at
    ``target``: the papers ``paper_ids`` (None: all) with their rows, and the whole vocabularies.

    Written into a temporary folder beside ``target``, then moved into place as a whole; an
    earlier dataset at ``target`` is replaced. Raises ``ExportError`` naming ``target``.
    """
    _check_target(target)
    shown = display_path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    except OSError as err:
        reason, advice = os_reason(err)
        raise ExportError(f"cannot write {shown}: {reason}" + (f"; {advice}" if advice else "")) from None
    try:
        _write_tables(database, partial, None if paper_ids is None else list(paper_ids))
        _move_into_place(partial, target)
    except OSError as err:
        reason, advice = os_reason(err)
        raise ExportError(f"cannot write {shown}: {reason}" + (f"; {advice}" if advice else "")) from None
    except duckdb.Error as err:
        raise ExportError(
            f"cannot write {shown}: DuckDB could not write it ({str(err).splitlines()[0]})"
        ) from None
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _write_tables(database: Path, folder: Path, paper_ids: list[str] | None) -> None:
    con = duckdb.connect(config={"memory_limit": "512MB", "preserve_insertion_order": True, "threads": 1})
    try:
        con.execute(f"ATTACH {_quoted(str(database))} AS src (READ_ONLY)")
        con.execute(
            "CREATE TEMP TABLE chosen AS SELECT unnest($ids::VARCHAR[]) AS id", {"ids": paper_ids or []}
        )
        for table in DATASET_TABLES:
            columns = ", ".join(TABLES[table].names)
            where = ""
            if paper_ids is not None and table in _BY_PAPER:
                where = f"WHERE {_BY_PAPER[table]} IN (SELECT id FROM chosen)"
            partition(folder, table).mkdir()
            target = partition(folder, table) / "part-0.parquet"
            con.execute(
                f"COPY (SELECT {columns}, {DATASET_VERSION}::INTEGER AS {VERSION_COLUMN} FROM src.{table} "
                f"{where}) TO {_quoted(str(target))} (FORMAT parquet, COMPRESSION zstd)"
            )
    finally:
        con.close()


def _move_into_place(partial: Path, target: Path) -> None:
    """Put the finished dataset at ``target``: a rename, after moving aside an earlier one."""
    if not target.exists():
        os.rename(partial, target)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.rename(target, aside / "old")
    try:
        os.rename(partial, target)
    except OSError:
        os.rename(aside / "old", target)  # put the earlier one back (kept aside if that fails)
        aside.rmdir()
        raise
    shutil.rmtree(aside, ignore_errors=True)
