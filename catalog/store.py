"""Open the catalog as a DuckDB database, from the cache when the files have not changed.

The cache is one database file per set of catalog roots, under the user cache folder. It is
built in a temporary file and moved into place, then only ever opened read-only: DuckDB lets
many readers share a file but a writer locks out everyone, so no process ever holds the cache
open for writing. A stale, corrupt or locked cache is rebuilt; when the cache folder cannot be
written at all, the database is built in a temporary folder instead. Neither is fatal.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from catalog.build import SCHEMA_VERSION, build_database
from catalog.load import discover
from catalog.model import CatalogError, FileStat, Objective
from catalog.paths import cache_dir


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
    _objectives: dict[str, Objective] | None = None

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for one thread (DuckDB connections are not shared across threads)."""
        return self.con.cursor()

    @property
    def objectives(self) -> dict[str, Objective]:
        """The objectives vocabulary, by id."""
        if self._objectives is None:
            rows = self.con.execute(
                "SELECT id, label, better, unit, kind, aliases FROM objectives ORDER BY id"
            ).fetchall()
            self._objectives = {
                r[0]: Objective(r[0], r[1], r[2], r[3], r[4], tuple(r[5] or ())) for r in rows
            }
        return self._objectives

    @property
    def kinds(self) -> set[str]:
        """Every objective kind in use."""
        return {o.kind for o in self.objectives.values() if o.kind}

    def close(self) -> None:
        """Close the connection."""
        self.con.close()


def _stats_key(stats: list[FileStat]) -> str:
    """One hash of every file's path, size and modification time: the cache's fast check."""
    listing = "".join([f"{s.path}\0{s.size}\0{s.mtime_ns}\n" for s in stats])
    return hashlib.sha256(f"schema {SCHEMA_VERSION}\n{listing}".encode()).hexdigest()


def fingerprint(paths: Iterable[Path]) -> str:
    """A key that changes when any catalog file is added, removed, resized or modified."""
    files, problems = discover(list(paths))
    return _stats_key(files) + "".join(f"\0{p}" for p in problems)


def _cache_prefix(roots: list[Path]) -> str:
    key = hashlib.sha256("\0".join(str(r.resolve()) for r in roots).encode()).hexdigest()[:16]
    return f"catalog-{key}"


def _cached_versions(prefix: str) -> list[Path]:
    """The built databases of one set of roots, newest first.

    Each build gets a file of its own: DuckDB shares one open instance per path within a
    process, so a rebuilt catalog under the old name would be read through the old instance.
    """
    try:
        found = list(cache_dir().glob(f"{prefix}-*.duckdb"))
    except OSError:
        return []
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns if p.exists() else 0, p.name), reverse=True)


def _new_version(prefix: str) -> Path:
    return cache_dir() / f"{prefix}-{secrets.token_hex(6)}.duckdb"


def _forget_others(prefix: str, keep: Path) -> None:
    """Remove older builds (a process still reading one keeps it until it closes)."""
    for old in _cached_versions(prefix):
        if old != keep:
            with contextlib.suppress(OSError):
                old.unlink()


#: Every connection to a built catalog can read it and nothing else: no files, no extensions,
#: no changing these settings afterwards. ``tradeoffs sql`` hands this connection to the user.
_LOCKED_DOWN = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


#: A build keeps DuckDB's memory bounded (it spills to disk beyond this) and lets rows be
#: stored in any order, which every query orders explicitly anyway.
_BUILDING = {"memory_limit": "256MB", "preserve_insertion_order": False}


def _open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True, config=dict(_LOCKED_DOWN))


def _cached_meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("SELECT key, value FROM meta").fetchall())


def _try_cache(path: Path, key: str) -> tuple[duckdb.DuckDBPyConnection | None, bool, str | None]:
    """(the cached database when its files are unchanged, whether an update can start from it,
    and why not when the cache is unusable rather than out of date)."""
    if not path.exists():
        return None, False, None
    try:
        con = _open_read_only(path)
    except (duckdb.Error, OSError) as err:
        return None, False, f"unreadable ({str(err).splitlines()[0]})"
    try:
        meta = _cached_meta(con)
    except duckdb.Error as err:
        con.close()
        return None, False, f"damaged ({str(err).splitlines()[0]})"
    if meta.get("schema_version") != str(SCHEMA_VERSION):
        con.close()
        return None, False, "made by another version"
    if meta.get("stats_key") == key:
        return con, False, None
    con.close()
    return None, True, None


#: A build's file is written to all along; one untouched this long was left by a process that
#: was killed (an interrupted build removes its own file).
ABANDONED_AFTER_SECONDS = 3600


def _clear_abandoned_builds(folder: Path) -> None:
    now = time.time()
    for leftover in folder.glob(".building-*.duckdb*"):
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > ABANDONED_AFTER_SECONDS:
                leftover.unlink()


def _build_into(
    path: Path,
    stats: list[FileStat],
    key: str,
    previous: Path | None,
    on_progress: Callable[[int, int], None] | None,
) -> int:
    """Build the catalog into ``path``, from ``previous`` when given; returns the files read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _clear_abandoned_builds(path.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=".building-", suffix=".duckdb", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB wants to create the file itself (or find the copy it updates)
    try:
        if previous is not None:
            try:
                shutil.copyfile(previous, tmp)
                read = _build_file(tmp, stats, key, on_progress)
            except (duckdb.Error, OSError):
                tmp.unlink(missing_ok=True)  # a damaged copy: build from nothing instead
                previous = None
        if previous is None:
            read = _build_file(tmp, stats, key, on_progress)
        os.replace(tmp, path)
        return read
    finally:
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            leftover.unlink(missing_ok=True)


def _build_file(
    path: Path, stats: list[FileStat], key: str, on_progress: Callable[[int, int], None] | None
) -> int:
    con = duckdb.connect(str(path), config=dict(_BUILDING))
    try:
        return build_database(con, stats, {"stats_key": key}, on_progress)
    finally:
        con.close()


def open_store(
    paths: Iterable[Path | str],
    *,
    use_cache: bool = True,
    on_progress: Callable[[int, int], None] | None = None,
) -> Store:
    """Open the catalog under ``paths``, reading only the files that changed since the last build.

    ``on_progress(done, total)`` hears how many of the files to read are read. Raises
    ``CatalogError`` when the catalog is invalid (nothing is loaded then).
    """
    paths = [Path(p) for p in paths]
    stats, problems = discover(paths)
    if problems:
        raise CatalogError(problems)
    key = _stats_key(stats)
    prefix = _cache_prefix(paths)
    notices: list[str] = []
    if use_cache:
        previous = None
        versions = _cached_versions(prefix)
        if versions:
            con, updatable, unusable = _try_cache(versions[0], key)
            if con is not None:
                return Store(con, versions[0], from_cache=True, fingerprint=key)
            if updatable:
                previous = versions[0]
            if unusable:
                notices.append(f"note: the cache {versions[0]} was {unusable}; rebuilding it")
        target = _new_version(prefix)
        try:
            read = _build_into(target, stats, key, previous, on_progress)
            _forget_others(prefix, target)
            return Store(_open_read_only(target), target, False, notices, files_read=read, fingerprint=key)
        except CatalogError:
            raise
        except (duckdb.Error, OSError) as err:
            notices.append(f"note: the cache in {cache_dir()} could not be used ({err}); working without it")
    # A private database in a temporary folder, removed when the process ends.
    folder = Path(tempfile.mkdtemp(prefix="tradeoffs-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    private = folder / "catalog.duckdb"
    read = _build_into(private, stats, key, None, on_progress)
    return Store(_open_read_only(private), private, False, notices, files_read=read, fingerprint=key)
