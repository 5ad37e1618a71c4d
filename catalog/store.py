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
import json
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from catalog.build import SCHEMA_VERSION, build_database
from catalog.load import discover, load_catalog
from catalog.model import CatalogError, Objective
from catalog.paths import cache_dir
from catalog.yamlsafe import MAX_FILE_BYTES


@dataclass
class Store:
    """A read-only connection to a built catalog, and what is known about how it was opened."""

    con: duckdb.DuckDBPyConnection
    path: Path
    from_cache: bool
    notices: list[str] = field(default_factory=list)
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


def _fingerprint(files: list[Path]) -> list[list]:
    out = []
    for f in files:
        try:
            st = f.stat()
            size = st.st_size if stat.S_ISREG(st.st_mode) else -1  # never hash a pipe or device
            out.append([os.path.abspath(f), size, st.st_mtime_ns])
        except OSError:
            out.append([str(f), -1, -1])  # never matches: validation will say what is wrong
    return out


def fingerprint(paths: Iterable[Path]) -> list[list]:
    """The catalog's files with their sizes and modification times: changes when any file does."""
    files, problems = discover(list(paths))
    return _fingerprint(files) + [[str(p), -1, -1] for p in problems]


def _content_key(files: list[Path]) -> str:
    """A hash of every file's path and content (read in blocks: files may be large)."""
    digest = hashlib.sha256(f"schema {SCHEMA_VERSION}".encode())
    for f in files:
        digest.update(os.path.abspath(f).encode() + b"\0")
        with f.open("rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()


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


def _open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True, config=dict(_LOCKED_DOWN))


def _cached_meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("SELECT key, value FROM meta").fetchall())


def _try_cache(
    path: Path, stats: list[list], files: list[Path]
) -> tuple[duckdb.DuckDBPyConnection | None, str | None]:
    """The cached database when it still matches the files; else None and, when the cache
    was there but unusable (not an edit of the catalog), why."""
    if not path.exists():
        return None, None
    try:
        con = _open_read_only(path)
    except (duckdb.Error, OSError) as err:
        return None, f"unreadable ({str(err).splitlines()[0]})"
    try:
        meta = _cached_meta(con)
        if meta.get("schema_version") != str(SCHEMA_VERSION):
            con.close()
            return None, "made by another version"
        if json.loads(meta.get("stats", "null")) == stats:
            return con, None
        fits = all(0 <= size <= MAX_FILE_BYTES for _, size, _ in stats)
        if fits and meta.get("content_key") == _content_key(files):
            return con, None
    except (duckdb.Error, ValueError) as err:
        con.close()
        return None, f"damaged ({str(err).splitlines()[0]})"
    except OSError:
        pass  # a catalog file could not be read: validation will say so
    con.close()
    return None, None


def _build_into(path: Path, files: list[Path], paths: list[Path], stats: list[list]) -> None:
    catalog = load_catalog(paths)  # raises CatalogError before anything is written
    key = _content_key(files)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".building-", suffix=".duckdb", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB wants to create the file itself
    try:
        con = duckdb.connect(str(tmp))
        try:
            build_database(con, catalog, {"stats": json.dumps(stats), "content_key": key})
        finally:
            con.close()
        os.replace(tmp, path)
    finally:
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            leftover.unlink(missing_ok=True)


def open_store(
    paths: Iterable[Path], *, use_cache: bool = True, on_progress: Callable[[str], None] | None = None
) -> Store:
    """Open the catalog under ``paths``, validating and building it only when it changed.

    Raises ``CatalogError`` when the catalog is invalid (nothing is loaded then).
    """
    paths = list(paths)
    files, problems = discover(paths)
    if problems:
        raise CatalogError(problems)
    stats = _fingerprint(files)
    prefix = _cache_prefix(paths)
    notices: list[str] = []
    if use_cache:
        versions = _cached_versions(prefix)
        if versions:
            con, unusable = _try_cache(versions[0], stats, files)
            if con is not None:
                return Store(con, versions[0], from_cache=True)
            if unusable:
                notices.append(f"note: the cache {versions[0]} was {unusable}; rebuilding it")
    if on_progress:
        on_progress(f"reading {len(files)} catalog files")
    if use_cache:
        target = _new_version(prefix)
        try:
            _build_into(target, files, paths, stats)
            _forget_others(prefix, target)
            return Store(_open_read_only(target), target, from_cache=False, notices=notices)
        except CatalogError:
            raise
        except (duckdb.Error, OSError) as err:
            notices.append(f"note: the cache in {cache_dir()} could not be used ({err}); working without it")
    # A private database in a temporary folder, removed when the process ends.
    folder = Path(tempfile.mkdtemp(prefix="tradeoffs-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    private = folder / "catalog.duckdb"
    _build_into(private, files, paths, stats)
    return Store(_open_read_only(private), private, from_cache=False, notices=notices)
