"""The cache of built catalogs: one database file per build, under the user cache folder.

A build is written to a temporary file and moved into place, then only ever opened read-only:
DuckDB lets many readers share a file but a writer locks out everyone, so no process ever
holds the cache open for writing. Each build gets a file of its own name: DuckDB shares one
open instance per path within a process, so a rebuilt catalog under the old name would be
read through the old instance.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from catalog.errors import Problem
from catalog.model import FileStat
from catalog.paths import cache_dir
from catalog.store.schema import SCHEMA_VERSION
from catalog.store.scratch import clear_abandoned, scratch_prefix


def cache_prefix(roots: list[Path]) -> str:
    roots_text = "\0".join(str(r.resolve()) for r in roots)
    key = hashlib.sha256(roots_text.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f"catalog-{key}"


def cached_versions(prefix: str) -> list[Path]:
    """The built databases of one set of roots, newest first.

    Another process may remove an old version at any moment: a file gone between listing and
    looking sorts as the oldest, never an error.
    """
    try:
        found = list(cache_dir().glob(f"{prefix}-*.duckdb"))
    except OSError:
        return []
    return sorted(found, key=lambda p: (_mtime_ns(p), p.name), reverse=True)


def _mtime_ns(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def new_version(prefix: str) -> Path:
    return cache_dir() / f"{prefix}-{secrets.token_hex(6)}.duckdb"


@contextlib.contextmanager
def build_lock(prefix: str) -> Iterator[None]:
    """Hold the lock of one set of roots' cache: while one process looks at the cache and
    builds it, others with the same roots wait, then find the build done instead of making
    their own (and none removes a build another is about to open). Works without it where the
    system has no such locks."""
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / f"{prefix}.lock", "a+b")  # noqa: SIM115 (held across the yield)
    except OSError:
        yield
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        handle.close()  # closing releases the lock


def forget_others(prefix: str, keep: Path) -> None:
    """Remove older builds (a process still reading one keeps it until it closes)."""
    for old in cached_versions(prefix):
        if old != keep:
            with contextlib.suppress(OSError):
                old.unlink()


#: Every connection to a built catalog can read it and nothing else: no files, no extensions,
#: no changing these settings afterwards. ``tradeoffs sql`` hands this connection to the user.
_LOCKED_DOWN: dict[str, str | int | float | list[str]] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


#: A build keeps DuckDB's memory bounded (it spills to disk beyond this) and lets rows be
#: stored in any order, which every query orders explicitly anyway.
_BUILDING: dict[str, str | int | float | list[str]] = {
    "memory_limit": "256MB",
    "preserve_insertion_order": False,
}


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True, config=dict(_LOCKED_DOWN))


def _cached_meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("SELECT key, value FROM meta").fetchall())


def try_cache(path: Path, key: str) -> tuple[duckdb.DuckDBPyConnection | None, bool, str | None]:
    """(the cached database when its files are unchanged, whether an update can start from it,
    and why not when the cache is unusable rather than out of date)."""
    if not path.exists():
        return None, False, None
    try:
        con = open_read_only(path)
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


def build_into(
    path: Path,
    stats: list[FileStat],
    key: str,
    previous: Path | None,
    on_progress: Callable[[int, int], None] | None,
    skipped: list[Problem] | None = None,
) -> int:
    """Build the catalog into ``path``, from ``previous`` when given; returns the files read.
    With ``skipped``, a file with problems of its own is left out and its problems added to it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    clear_abandoned(path.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=scratch_prefix("building"), suffix=".duckdb", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB wants to create the file itself (or find the copy it updates)
    try:
        if previous is not None:
            try:
                shutil.copyfile(previous, tmp)
                read = _build_file(tmp, stats, key, on_progress, skipped)
            except (duckdb.Error, OSError):
                tmp.unlink(missing_ok=True)  # a damaged copy: build from nothing instead
                previous = None
        if previous is None:
            read = _build_file(tmp, stats, key, on_progress, skipped)
        os.replace(tmp, path)
        return read
    finally:
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            leftover.unlink(missing_ok=True)


def stats_key(stats: list[FileStat]) -> str:
    """One hash of every file's path, size and modification time: the cache's fast check."""
    listing = "".join([f"{s.path}\0{s.size}\0{s.mtime_ns}\n" for s in stats])
    # A path may hold bytes that are not UTF-8 (as surrogates): hash its bytes as they are.
    return hashlib.sha256(
        f"schema {SCHEMA_VERSION}\n{listing}".encode("utf-8", "surrogateescape")
    ).hexdigest()


def _build_file(
    path: Path,
    stats: list[FileStat],
    key: str,
    on_progress: Callable[[int, int], None] | None,
    skipped: list[Problem] | None,
) -> int:
    from catalog.store.update import build_database  # reading YAML: only a build needs it

    con = duckdb.connect(str(path), config=_BUILDING)
    try:
        return build_database(con, stats, {"stats_key": key}, on_progress, path.parent, skipped)
    finally:
        con.close()
