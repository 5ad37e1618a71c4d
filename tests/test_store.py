"""The cache: a second start skips YAML; stale, corrupt, locked or unwritable caches never stop a command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from catalog.paths import cache_dir
from catalog.store.store import open_store

from .conftest import MINI, export_command


def copy_catalog(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    shutil.copytree(MINI, folder)
    return folder


def count_papers(store) -> int:
    return store.cursor().execute("SELECT count(*) FROM papers").fetchone()[0]


def test_a_second_open_uses_the_cache(tmp_path):
    folder = copy_catalog(tmp_path)
    first = open_store([folder])
    assert not first.from_cache
    first.close()
    second = open_store([folder])
    assert second.from_cache and count_papers(second) == 3


def test_an_unchanged_catalog_is_not_parsed_again(tmp_path, monkeypatch):
    folder = copy_catalog(tmp_path)
    open_store([folder]).close()
    import catalog.store.update as build_module

    def fail(*_args, **_kwargs):
        raise AssertionError("YAML was read although nothing changed")

    monkeypatch.setattr(build_module, "read_all", fail)
    assert open_store([folder]).from_cache


def test_touching_a_file_without_changing_it_reads_no_file(tmp_path):
    folder = copy_catalog(tmp_path)
    open_store([folder]).close()
    later = time.time() + 10
    os.utime(folder / "papers.yaml", (later, later))
    store = open_store([folder])
    assert store.files_read == 0 and count_papers(store) == 3
    store.close()
    assert open_store([folder]).from_cache


def test_an_edit_rebuilds(tmp_path):
    folder = copy_catalog(tmp_path)
    open_store([folder]).close()
    papers = folder / "papers.yaml"
    papers.write_text(papers.read_text().replace("A Quiet Baseline", "A Loud Baseline"))
    store = open_store([folder])
    assert not store.from_cache and store.files_read == 1
    assert store.cursor().execute("SELECT title FROM papers WHERE id = 'quiet-baseline'").fetchone() == (
        "A Loud Baseline",
    )


def test_a_new_file_rebuilds(tmp_path):
    folder = copy_catalog(tmp_path)
    open_store([folder]).close()
    (folder / "more.yaml").write_text("papers:\n  - id: more\n    title: More\n")
    store = open_store([folder])
    assert not store.from_cache and store.files_read == 1 and count_papers(store) == 4


def cache_files() -> list[Path]:
    return list(cache_dir().glob("catalog-*.duckdb"))


def test_a_corrupt_cache_is_rebuilt(tmp_path):
    folder = copy_catalog(tmp_path)
    open_store([folder]).close()
    (cached,) = cache_files()
    cached.write_bytes(b"garbage" * 1000)
    store = open_store([folder])
    assert not store.from_cache and count_papers(store) == 3
    store.close()
    assert open_store([folder]).from_cache


def test_a_truncated_cache_is_rebuilt(tmp_path):
    folder = copy_catalog(tmp_path)
    open_store([folder]).close()
    (cached,) = cache_files()
    cached.write_bytes(cached.read_bytes()[:5000])
    assert count_papers(open_store([folder])) == 3


def test_an_unwritable_cache_folder_falls_back_to_a_private_database(tmp_path):
    folder = copy_catalog(tmp_path)
    cache_dir().parent.mkdir(parents=True, exist_ok=True)
    cache_dir().write_text("a file where the cache folder should be")
    store = open_store([folder])
    assert count_papers(store) == 3
    assert store.notices and "could not be used" in store.notices[0]


def test_a_cache_locked_by_a_writer_elsewhere_is_worked_around(tmp_path):
    folder = copy_catalog(tmp_path)
    open_store([folder]).close()
    (cached,) = cache_files()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]);"
            "print('locked', flush=True); time.sleep(30)",
            str(cached),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        store = open_store([folder])
        assert count_papers(store) == 3
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_two_processes_at_once_both_work(tmp_path, user_dirs):
    folder = copy_catalog(tmp_path)
    command = export_command(folder, "jsonl")
    procs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [err for _, err in outputs]
    assert all(len(out.splitlines()) == 3 for out, _ in outputs)


def test_the_database_has_the_documented_tables(tmp_path):
    store = open_store([copy_catalog(tmp_path)])
    names = {
        r[0] for r in store.cursor().execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    assert {"papers", "objectives", "tags", "tradeoffs", "results", "pairs", "result_pairs"} <= names
    rows = (
        store.cursor()
        .execute(
            "SELECT method, objective, value, mode FROM results WHERE paper_id = 'lean-quant' "
            "ORDER BY result_no, objective"
        )
        .fetchall()
    )
    assert rows == [
        ("Lean Quantization", "quality", 78.0, "absolute"),
        ("Lean Quantization", "size", 3.5, "absolute"),
        ("Lean Quantization", "quality", -2.5, "difference"),
        ("Lean Quantization", "wait", -40.0, "percent"),
    ]


def test_the_connection_cannot_write(tmp_path):
    store = open_store([copy_catalog(tmp_path)])
    try:
        store.cursor().execute("DELETE FROM papers")
    except duckdb.Error as err:
        assert "read-only" in str(err)
    else:
        raise AssertionError("a write went through")


def test_a_pipe_appearing_in_a_cached_catalog_is_refused_not_read(tmp_path):
    import pytest

    from catalog.errors import CatalogError

    folder = copy_catalog(tmp_path)
    open_store([folder]).close()
    os.mkfifo(folder / "pipe.yaml")
    with pytest.raises(CatalogError) as err:
        open_store([folder])
    assert "not a regular file" in str(err.value)


def test_a_corrupt_cache_is_mentioned_once_and_quietly(tmp_path, run):
    folder = copy_catalog(tmp_path)
    open_store([folder]).close()
    (cached,) = cache_files()
    cached.write_bytes(b"\0garbage" * 500)
    first = run("pairs", "--no-default", "--catalog", str(folder))
    assert first.code == 0 and "quality:wait" in first.out
    assert first.err.count("note: the cache") == 1 and "rebuilding it" in first.err
    second = run("pairs", "--no-default", "--catalog", str(folder))
    assert second.err == ""


def test_a_cache_from_an_older_version_is_rebuilt(tmp_path):
    folder = copy_catalog(tmp_path)
    open_store([folder]).close()
    (cached,) = cache_files()
    con = duckdb.connect(str(cached))
    con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    con.close()
    store = open_store([folder])
    assert not store.from_cache and count_papers(store) == 3
    assert store.notices == [f"note: the cache {cached} was made by another version; rebuilding it"]


def test_a_deleted_cache_is_simply_rebuilt(tmp_path):
    folder = copy_catalog(tmp_path)
    open_store([folder]).close()
    for cached in cache_files():
        cached.unlink()
    store = open_store([folder])
    assert count_papers(store) == 3 and store.notices == []


def test_two_validate_runs_and_an_export_at_once(tmp_path):
    folder = copy_catalog(tmp_path)
    validate = [sys.executable, "-m", "tui", "validate", "--no-default", str(folder)]
    export = export_command(folder, "csv")
    procs = [
        subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in (validate, validate, export)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [e for _, e in outputs]
    assert outputs[0][0] == outputs[1][0] == "ok: 2 files, 3 papers, 3 objectives, 6 results\n"
    assert len(outputs[2][0].splitlines()) == 4


def test_a_build_abandoned_by_a_killed_process_is_cleared_but_a_running_one_is_not(tmp_path):
    folder = copy_catalog(tmp_path)
    cache_dir().mkdir(parents=True)
    abandoned = cache_dir() / ".building-abandoned.duckdb"
    running = cache_dir() / ".building-running.duckdb"
    for leftover in (abandoned, running):
        leftover.write_bytes(b"half a database")
    long_ago = time.time() - 2 * 3600
    os.utime(abandoned, (long_ago, long_ago))
    open_store([folder]).close()
    assert not abandoned.exists() and running.exists()


def test_the_store_carries_the_fingerprint_of_the_files_it_opened(tmp_path):
    from catalog.store.store import fingerprint

    folder = copy_catalog(tmp_path)
    store = open_store([folder])
    assert store.fingerprint == fingerprint([folder])
    assert open_store([folder]).fingerprint == store.fingerprint  # from the cache too
    (folder / "papers.yaml").write_text((folder / "papers.yaml").read_text() + "\n")
    assert fingerprint([folder]) != store.fingerprint


def test_a_catalog_error_always_says_what_is_wrong():
    from catalog.errors import CatalogError

    with pytest.raises(ValueError, match="without saying why"):
        CatalogError([])


def test_a_cache_version_vanishing_while_listed_is_no_error(tmp_path, monkeypatch):
    from catalog.store import cache

    folder = copy_catalog(tmp_path)
    open_store([folder]).close()
    prefix = cache.cache_prefix([folder])
    # A version another process removes after it was listed, even after it was seen to exist.
    (cache.cache_dir() / f"{prefix}-gone.duckdb").symlink_to(tmp_path / "removed-meanwhile")
    monkeypatch.setattr(Path, "exists", lambda self: True)
    versions = cache.cached_versions(prefix)
    assert versions[-1].name == f"{prefix}-gone.duckdb"
    assert open_store([folder]).from_cache
