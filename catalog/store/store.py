"""Open the catalog as a DuckDB database, from the cache when the files have not changed.

A stale, corrupt or locked cache is rebuilt (``catalog.store.cache``); when the cache folder
cannot be written at all, the database is built in a temporary folder instead. Neither is fatal.
"""

from __future__ import annotations

import atexit
import contextlib
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from catalog.errors import CatalogError, Problem, StoreError, os_reason
from catalog.model import Benchmark, FileStat, Objective
from catalog.paths import cache_dir
from catalog.source.discover import discover
from catalog.store import cache
from catalog.store.scratch import clear_abandoned, scratch_prefix


@dataclass
class Store:
    """A read-only connection to a built catalog, and what is known about how it was opened."""

    con: duckdb.DuckDBPyConnection
    path: Path
    from_cache: bool
    notices: list[str] = field(default_factory=list)
    files_read: int = 0
    """How many catalog files were read to open it (0 when nothing changed since the last build)."""
    fingerprint: str = ""
    """The catalog files' ``fingerprint`` as they were found when opening, before any was read:
    a change made while opening shows as a difference later."""
    skipped: tuple[Problem, ...] = ()
    """The problems of the files left out (``open_store(..., skip_broken=True)``)."""
    _objectives: dict[str, Objective] | None = None
    _benchmarks: dict[str, Benchmark] | None = None

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for one thread (DuckDB connections are not shared across threads)."""
        return self.con.cursor()

    @property
    def objectives(self) -> dict[str, Objective]:
        """The objectives vocabulary, by id."""
        if self._objectives is None:
            rows = (
                self.cursor()
                .execute(
                    "SELECT id, label, better, unit, kind, aliases, per_benchmark FROM objectives ORDER BY id"
                )
                .fetchall()
            )
            self._objectives = {
                r[0]: Objective(r[0], r[1], r[2], r[3], r[4], tuple(r[5] or ()), bool(r[6])) for r in rows
            }
        return self._objectives

    @property
    def benchmarks(self) -> dict[str, Benchmark]:
        """The benchmarks vocabulary, by id."""
        if self._benchmarks is None:
            rows = (
                self.cursor().execute("SELECT id, label, aliases, url FROM benchmarks ORDER BY id").fetchall()
            )
            self._benchmarks = {r[0]: Benchmark(r[0], r[1], tuple(r[2] or ()), r[3]) for r in rows}
        return self._benchmarks

    @property
    def kinds(self) -> set[str]:
        """Every objective kind in use."""
        from catalog.source.rules import kinds_of  # the rules read YAML: a warm start never needs them

        return kinds_of(self.objectives)

    def close(self) -> None:
        """Close the connection."""
        self.con.close()


def fingerprint(paths: Iterable[Path]) -> str:
    """A key that changes when any catalog file is added, removed, resized or modified."""
    from catalog.store import dataset_cache

    roots = [Path(p) for p in paths]
    with contextlib.suppress(StoreError):
        root = dataset_cache.dataset_root(roots)
        if root is not None:
            return dataset_cache.fingerprint(root)
    files, problems = discover(roots)
    return cache.stats_key(files) + "".join(f"\0{p}" for p in problems)


def is_damage(err: BaseException) -> bool:
    """Whether ``err`` says the cached database is damaged: DuckDB checks each block it reads,
    so a block overwritten on disk is found only when a query reads it, at any time."""
    return type(err).__module__ in ("duckdb", "_duckdb") and "Corrupt database file" in str(err)


def discard_cache(paths: Iterable[Path | str]) -> None:
    """Remove every cached build of the catalog under ``paths``: the next open builds it anew
    (a process still reading one keeps it until it closes)."""
    prefix = cache.cache_prefix([Path(p) for p in paths])
    with cache.build_lock(prefix):
        for version in cache.cached_versions(prefix):
            with contextlib.suppress(OSError):
                version.unlink()


#: What a command or the app says when it found the cache damaged and built it again.
REBUILT_NOTICE = "note: the catalog's cache was damaged (a block failed its checksum); rebuilt it"


def open_store(
    paths: Iterable[Path | str],
    *,
    use_cache: bool = True,
    on_progress: Callable[[int, int], None] | None = None,
    skip_broken: bool = False,
) -> Store:
    """Open the catalog under ``paths``, reading only the files that changed since the last build.

    ``on_progress(done, total)`` hears how many of the files to read are read. Raises
    ``CatalogError`` when the catalog is invalid (nothing is loaded then); with
    ``skip_broken``, the files with problems are left out instead (those a problem across files
    involves, too: both files of a duplicate id), and their problems kept in ``skipped``.
    """
    roots = [Path(p) for p in paths]
    from catalog.store import dataset_cache

    dataset = dataset_cache.dataset_root(roots)
    if dataset is not None:  # a Parquet dataset: a catalog on its own, read as the tool wrote it
        opened = dataset_cache.open_dataset(dataset, use_cache)
        return Store(
            opened.con, opened.path, opened.from_cache, opened.notices, opened.files_read, opened.fingerprint
        )
    if not skip_broken:
        return _open(roots, use_cache, on_progress, frozenset(), skip=False)
    # A file broken on its own is left out as it is read, in the same build; a problem across
    # files (a duplicate id) is found after, and the files it involves are left out in another.
    left_out: set[str] = set()
    said: list[Problem] = []
    while True:
        try:
            store = _open(roots, use_cache, on_progress, frozenset(left_out), skip=True)
        except CatalogError as err:
            broken = {p.file for p in err.problems} - left_out
            if not broken:  # nothing more to leave out: a problem no file stands for
                raise CatalogError(said + list(err.problems)) from None
            left_out |= broken
            said.extend(err.problems)
            continue
        store.skipped = tuple(said) + store.skipped
        return store


def _open(
    roots: list[Path],
    use_cache: bool,
    on_progress: Callable[[int, int], None] | None,
    left_out: frozenset[str],
    skip: bool,
) -> Store:
    """Open the catalog of ``roots`` without the files ``left_out``; with ``skip``, leaving out
    too, as it reads them, the files with problems of their own."""
    stats, problems = discover(roots)
    problems = [p for p in problems if p.file not in left_out]
    if problems:
        raise CatalogError(problems)
    stats = [s for s in stats if s.display not in left_out]
    key = cache.stats_key(stats)
    prefix = cache.cache_prefix(roots)
    notices: list[str] = []
    if use_cache:
        # Processes started together with the same catalog build it once: the others wait,
        # then find it built.
        with cache.build_lock(prefix):
            previous = None
            versions = cache.cached_versions(prefix)
            if versions:
                con, updatable, unusable = cache.try_cache(versions[0], key)
                if con is not None:
                    return Store(con, versions[0], from_cache=True, fingerprint=key)
                if updatable:
                    previous = versions[0]
                if unusable:
                    notices.append(f"note: the cache {versions[0]} was {unusable}; rebuilding it")
            target = cache.new_version(prefix)
            skipped: list[Problem] | None = [] if skip else None
            try:
                read = cache.build_into(target, stats, key, previous, on_progress, skipped)
                store = _built(target, notices, read, stats, skipped)
                cache.forget_others(prefix, target)
                return store
            except (duckdb.Error, OSError) as err:
                notices.append(
                    f"note: the cache in {cache_dir()} could not be used ({err}); working without it"
                )
    # A private database in a temporary folder, removed when the process ends.
    temporary = Path(tempfile.gettempdir())
    try:
        clear_abandoned(temporary, ("tradeoffs-private",))
        folder = Path(tempfile.mkdtemp(prefix=scratch_prefix("tradeoffs-private")))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        private = folder / "catalog.duckdb"
        skipped = [] if skip else None
        read = cache.build_into(private, stats, key, None, on_progress, skipped)
        store = _built(private, notices, read, stats, skipped)
    except (duckdb.Error, OSError) as err:
        reason = os_reason(err)[0] if isinstance(err, OSError) else str(err).splitlines()[0]
        raise StoreError(
            f"cannot build the catalog's database, in the cache ({cache_dir()}) or in the temporary "
            f"folder ({temporary}): {reason}; free some space, or set XDG_CACHE_HOME or TMPDIR "
            "to a folder with room"
        ) from None
    return store


def _built(
    path: Path, notices: list[str], read: int, stats: list[FileStat], skipped: list[Problem] | None
) -> Store:
    """The store of a build just made at ``path``, without the files it left out."""
    left = {p.file for p in skipped or ()}
    key = cache.stats_key([s for s in stats if s.display not in left])
    store = Store(cache.open_read_only(path), path, False, notices, files_read=read, fingerprint=key)
    store.skipped = tuple(skipped or ())
    return store
