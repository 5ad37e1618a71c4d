"""Open a Parquet dataset as a catalog: its tables read by DuckDB into a cached database.

The database is built as a YAML catalog's is (a temporary file moved into place, then opened
read-only, under the lock of its roots), keyed by the Parquet files' paths, sizes and
modification times: an unchanged dataset opens from the cache without reading any Parquet.
A dataset is a catalog on its own: it is never mixed with YAML files or another dataset.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb

from catalog.errors import StoreError
from catalog.paths import cache_dir, default_catalog_paths
from catalog.source.discover import display_path
from catalog.store import cache as caches
from catalog.store import dataset as dataset_module
from catalog.store.dataset import (
    DATASET_VERSION,
    Dataset,
    fill_from_dataset,
    find_dataset,
    is_dataset,
    is_parquet_file,
)
from catalog.store.schema import SCHEMA_VERSION
from catalog.store.scratch import clear_abandoned, scratch_prefix


@dataclass
class Opened:
    """A dataset's database, open read-only, and how it was opened."""

    con: duckdb.DuckDBPyConnection
    path: Path
    from_cache: bool
    fingerprint: str
    files_read: int = 0
    notices: list[str] = field(default_factory=list)


def dataset_root(roots: list[Path]) -> Path | None:
    """The one dataset among ``roots`` (None when they are all YAML); a ``StoreError`` when a
    dataset is mixed with other roots, or a root is a single Parquet file."""
    for root in roots:
        if is_parquet_file(root):
            raise StoreError(
                f"cannot read {display_path(root)} as a catalog: it is one Parquet file, and a catalog in "
                "Parquet is a dataset folder (its tables in table=NAME/ folders), as "
                "`tradeoffs export --format parquet -o DIR/` writes it: give that folder"
            )
    found = [root for root in roots if is_dataset(root)]
    if not found:
        return None
    if len(roots) > 1:
        default = [p.resolve() for p in default_catalog_paths()]
        named = [display_path(r) for r in roots if r != found[0] and r.resolve() not in default]
        others = ", ".join((["the default catalog"] if len(named) < len(roots) - 1 else []) + named)
        raise StoreError(
            f"cannot read the dataset {display_path(found[0])} together with {others}: a Parquet dataset "
            "is a whole catalog on its own; read it alone, with --no-default and only --catalog "
            f"{display_path(found[0])}"
        )
    return found[0]


@cache
def _code_version() -> str:
    """What a dataset's database was built by, besides the rules ``SCHEMA_VERSION`` covers:
    this module and the dataset's own (a change to how a dataset is read rebuilds its cache)."""
    digest = hashlib.sha256(str(DATASET_VERSION).encode())
    for module in (Path(__file__), Path(dataset_module.__file__ or "")):
        try:
            digest.update(module.read_bytes())
        except OSError:
            digest.update(module.name.encode())  # installed without its source: the name stands in
    return digest.hexdigest()[:12]


def _key(dataset: Dataset) -> str:
    """The cache key of a dataset: its files' paths, sizes and modification times, and the code."""
    return f"{caches.stats_key(dataset.stats)}-{_code_version()}"


def fingerprint(root: Path) -> str:
    """A key that changes when any Parquet file of the dataset at ``root`` changes."""
    try:
        return _key(find_dataset(root))
    except (StoreError, OSError) as err:
        return f"unreadable\0{err}"


def open_dataset(root: Path, use_cache: bool = True) -> Opened:
    """Open the dataset at ``root`` read-only, from the cache when its files have not changed.
    Raises ``StoreError`` for a dataset that cannot be read as a catalog."""
    dataset = find_dataset(root)
    stats = dataset.stats
    key = _key(dataset)
    notices: list[str] = []
    if use_cache:
        prefix = caches.cache_prefix([root])
        with caches.build_lock(prefix):
            versions = caches.cached_versions(prefix)
            if versions:
                con, _, unusable = caches.try_cache(versions[0], key)
                if con is not None:
                    return Opened(con, versions[0], True, key)
                if unusable:
                    notices.append(f"note: the cache {versions[0]} was {unusable}; rebuilding it")
            target = caches.new_version(prefix)
            try:
                _build(target, dataset, key)
                caches.forget_others(prefix, target)
                return Opened(caches.open_read_only(target), target, False, key, len(stats), notices)
            except (duckdb.Error, OSError) as err:
                notices.append(
                    f"note: the cache in {cache_dir()} could not be used ({err}); working without it"
                )
    # A private database in a temporary folder, removed when the process ends.
    try:
        folder = Path(tempfile.mkdtemp(prefix=scratch_prefix("tradeoffs-private")))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        private = folder / "catalog.duckdb"
        _build(private, dataset, key)
    except (duckdb.Error, OSError) as err:
        raise StoreError(
            f"cannot build the database of the dataset {display_path(root)}, in the cache ({cache_dir()}) "
            f"or in the temporary folder ({tempfile.gettempdir()}): {err}; free some space, or set "
            "XDG_CACHE_HOME or TMPDIR to a folder with room"
        ) from None
    return Opened(caches.open_read_only(private), private, False, key, len(stats), notices)


def _build(path: Path, dataset: Dataset, key: str) -> None:
    """Build the dataset's database into a temporary file beside ``path``, then move it there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    clear_abandoned(path.parent)
    tmp = path.parent / f"{scratch_prefix('building')}{path.name}"
    try:
        from catalog.store.update import create_tables  # the build's code: only a build needs it

        con = duckdb.connect(str(tmp), config={"memory_limit": "256MB"})
        try:
            con.execute("BEGIN")
            create_tables(con)
            with tempfile.TemporaryDirectory(prefix=scratch_prefix("rows"), dir=path.parent) as scratch:
                fill_from_dataset(con, dataset, Path(scratch))
            con.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("schema_version", str(SCHEMA_VERSION)), ("stats_key", key), ("dataset", str(dataset.root))],
            )
            con.execute("COMMIT")
        finally:
            con.close()
        os.replace(tmp, path)
    finally:
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            leftover.unlink(missing_ok=True)
