"""The cache per file: an update reads only what changed and ends exactly where a cold build does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import catalog.store.pool as pool_module
from catalog.errors import CatalogError
from catalog.source.validate import check
from catalog.store.schema import PAIRS
from catalog.store.store import Store, open_store

from .conftest import MINI

TABLES = ("objectives", "papers", "tags", "tradeoffs", "results", "words", "vocab", "files", "pairs")


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every table's rows, in a fixed order."""
    cur = store.cursor()
    return {table: sorted(cur.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in TABLES}


def paper_file(pid: str, title: str, value: float = 50) -> str:
    return textwrap.dedent(
        f"""\
        papers:
          - id: {pid}
            title: "{title}"
            abstract: It reaches {value} points at 10 ms.
            tags: [extra]
            tradeoffs:
              - [quality, wait]
            results:
              - method: {title} model
                values: {{quality: {value}, wait: 10}}
                evidence: reaches {value} points at 10 ms
        """
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    shutil.copytree(MINI, folder)
    for n in (1, 3, 5):
        (folder / f"p{n}.yaml").write_text(paper_file(f"p{n}", f"Paper {n}", 40 + n))
    return folder


def assert_same_as_cold_build(folder: Path) -> Store:
    """Open the catalog through the cache and check it against a build from nothing."""
    updated = open_store([folder])
    cold = open_store([folder], use_cache=False)
    assert dump(updated) == dump(cold)
    counted_now = sorted(updated.cursor().execute(PAIRS).fetchall(), key=repr)
    assert dump(updated)["pairs"] == counted_now and counted_now  # the pairs table is up to date
    cold.close()
    return updated


def touch_later(path: Path) -> None:
    later = time.time() + 10
    os.utime(path, (later, later))


def test_an_edit_reads_that_file_alone_and_matches_a_cold_build(folder):
    open_store([folder]).close()
    (folder / "p3.yaml").write_text(paper_file("p3", "Paper three renamed", 61))
    store = assert_same_as_cold_build(folder)
    assert store.files_read == 1
    assert store.cursor().execute("SELECT title FROM papers WHERE id = 'p3'").fetchone() == (
        "Paper three renamed",
    )
    assert store.cursor().execute("SELECT papers FROM vocab WHERE word = 'renamed'").fetchone() == (1,)


def test_a_file_added_between_others_keeps_the_catalog_order(folder):
    open_store([folder]).close()
    (folder / "p2.yaml").write_text(paper_file("p2", "Paper 2"))
    store = assert_same_as_cold_build(folder)
    assert store.files_read == 1
    ids = [r[0] for r in store.cursor().execute("SELECT id FROM papers ORDER BY position").fetchall()]
    assert ids[:4] == ["p1", "p2", "p3", "p5"]


def test_a_removed_file_takes_its_papers_and_words_with_it(folder):
    open_store([folder]).close()
    (folder / "p3.yaml").unlink()
    store = assert_same_as_cold_build(folder)
    assert store.files_read == 0
    assert store.cursor().execute("SELECT count(*) FROM words WHERE paper_id = 'p3'").fetchone() == (0,)


def test_a_paper_moved_to_another_file(folder):
    open_store([folder]).close()
    (folder / "p5.yaml").unlink()
    (folder / "p1.yaml").write_text(
        paper_file("p1", "Paper 1", 41) + paper_file("p5", "Paper 5", 45).removeprefix("papers:\n")
    )
    store = assert_same_as_cold_build(folder)
    assert store.cursor().execute("SELECT file FROM papers WHERE id = 'p5'").fetchone()[0].endswith("p1.yaml")


def test_a_new_objective_label_reindexes_every_paper_that_uses_it(folder):
    open_store([folder]).close()
    objectives = folder / "objectives.yaml"
    objectives.write_text(objectives.read_text().replace("label: Wait time", "label: Sluggishness"))
    store = assert_same_as_cold_build(folder)
    assert store.files_read == 1
    found = store.cursor().execute("SELECT papers FROM vocab WHERE word = 'sluggishness'").fetchone()
    assert found is not None and found[0] >= 4


def test_a_touched_file_is_hashed_not_read(folder):
    open_store([folder]).close()
    touch_later(folder / "p1.yaml")
    store = assert_same_as_cold_build(folder)
    assert store.files_read == 0


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("p3.yaml", paper_file("p3", "Paper 3").replace("wait: 10}", "wiat: 10}")),
        ("p4.yaml", paper_file("p1", "A second p1")),
        ("p3.yaml", "papers:\n  - id: p3\n    title: [not, text]\n"),
        ("extra.yaml", "objectives:\n  wait:\n    label: Waiting\n    better: higher\n"),
    ],
    ids=["unknown objective", "duplicate id", "wrong type", "conflicting objective"],
)
def test_an_update_that_breaks_the_catalog_says_what_a_full_check_says(folder, name, text):
    open_store([folder]).close()
    (folder / name).write_text(text)
    with pytest.raises(CatalogError) as raised:
        open_store([folder])
    _, expected, _ = check([folder])
    assert expected and raised.value.problems == expected
    # Mending the file brings back a catalog equal to a cold build.
    (folder / name).unlink()
    (folder / "p3.yaml").write_text(paper_file("p3", "Paper 3", 43))
    assert_same_as_cold_build(folder)


def many_files(folder: Path, count: int) -> None:
    for n in range(count):
        (folder / f"q{n:04d}.yaml").write_text(paper_file(f"q{n}", f"Generated paper {n}", n % 97))


def test_worker_processes_build_the_same_database(folder, monkeypatch):
    many_files(folder, 300)
    alone = open_store([folder], use_cache=False)
    monkeypatch.setattr(pool_module, "_PARALLEL_BYTES", 0)
    assert pool_module.workers_for(1) > 1 or os.cpu_count() == 1
    together = open_store([folder], use_cache=False)
    assert dump(together) == dump(alone)


def test_worker_processes_never_rerun_the_callers_script(folder, tmp_path):
    """A script without a ``__main__`` guard (or a notebook) may open a big catalog."""
    many_files(folder, 200)
    script = tmp_path / "script.py"
    script.write_text(
        textwrap.dedent(
            f"""\
            import catalog.store.pool
            from catalog.store.store import open_store
            catalog.store.pool._PARALLEL_BYTES = 0
            print("opened", open_store([{str(folder)!r}], use_cache=False).files_read)
            """
        )
    )
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"opened {len(list(folder.glob('*.yaml')))}"]


def test_when_worker_processes_fail_the_files_are_read_here(folder, monkeypatch):
    many_files(folder, 150)
    alone = open_store([folder], use_cache=False)
    monkeypatch.setattr(pool_module, "_PARALLEL_BYTES", 0)
    monkeypatch.setattr(sys, "executable", shutil.which("false") or "/bin/false")
    recovered = open_store([folder], use_cache=False)
    assert dump(recovered) == dump(alone)


def test_progress_counts_the_files_read_up_to_all_of_them(folder):
    many_files(folder, 150)
    heard: list[tuple[int, int]] = []
    store = open_store([folder], on_progress=lambda done, total: heard.append((done, total)))
    total = store.files_read
    assert heard and heard[-1] == (total, total)
    assert [done for done, _ in heard] == sorted(done for done, _ in heard)
    (folder / "q0001.yaml").write_text(paper_file("q1", "Edited"))
    heard.clear()
    open_store([folder], on_progress=lambda done, total: heard.append((done, total)))
    assert heard == [(1, 1)]
