"""The catalog as a Parquet dataset, both ways: exported to a folder, read back as a catalog.

A dataset read with ``--catalog DIR/ --no-default`` answers every command as the YAML catalog
it was exported from does; plain DuckDB reads it as it is; what cannot be read as a catalog
is refused with a message, never a traceback.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from catalog.paths import SHIPPED_CATALOG
from catalog.source.discover import display_path
from catalog.store import dataset, dataset_cache
from catalog.store.dataset import DATASET_TABLES, DATASET_VERSION, partition
from catalog.store.store import fingerprint, open_store
from tests.conftest import FIXTURES, Run

#: Each command, asked of both forms of one catalog: the output must be the same.
SHIPPED_COMMANDS = [
    ["pairs"],
    ["pairs", "--format", "json"],
    ["plot", "compute:score/mmlu", "--log-x", "--width", "72", "--height", "16", "--all"],
    ["plot", "accuracy/aime24:tokens/aime24", "--by", "paper", "--width", "90", "--height", "20"],
    ["frontier", "compute:score/mmlu", "--format", "json"],
    ["frontier", "accuracy/aime24:tokens/aime24", "--by", "tag", "--format", "json"],
    ["history", "compute:score/mmlu", "--format", "json"],
    ["claims", "--format", "json"],
    ["export", "--format", "json"],
    ["export", "--format", "yaml"],
    ["export", "--pair", "compute:score/mmlu", "--format", "csv"],
    ["export", "--pair", "accuracy/aime24:tokens/aime24", "--frontier-only", "--format", "json"],
    ["export", "--query", "tag:quantization year:2024-2025", "--format", "jsonl"],
    ["search", "quantizaton", "--format", "json"],
    ["search", "pareto frontier reward", "--format", "json", "--limit", "50"],
    ["search", "tag:diffusion", "--format", "json"],
    ["sql", "SELECT count(*) AS n, count(DISTINCT point) AS points FROM results"],
]


def export_dataset(run, catalog_args: list[str], target: Path) -> None:
    got = run("export", *catalog_args, "--format", "parquet", "-o", f"{target}{os.sep}")
    assert got.code == 0, got.err
    assert sorted(os.listdir(target)) == sorted(f"table={t}" for t in DATASET_TABLES)


def assert_same_answers(run, yaml_args: list[str], folder: Path, commands: list[list[str]]) -> None:
    """Each command's exit code and output are the same from the YAML and from the dataset, but
    for the catalog options a hint repeats (``--no-default --catalog ...``)."""
    parquet_args = ["--no-default", "--catalog", f"{folder}{os.sep}"]

    def said(got: Run, args: list[str]) -> tuple[int, str, str]:
        hint = " " + " ".join(args)
        return got.code, got.out.replace(hint, ""), got.err.replace(hint, "")

    for command in commands:
        from_yaml = run(*yaml_args, *command)
        assert said(run(*parquet_args, *command), parquet_args) == said(
            from_yaml, yaml_args or ["--no-default"]
        ), command


def test_the_shipped_catalog_as_a_dataset_answers_every_command_as_its_yaml_does(run, tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    export_dataset(run, [], folder)
    assert all(run(*command).code == 0 for command in SHIPPED_COMMANDS)
    assert_same_answers(run, [], folder, SHIPPED_COMMANDS)


@pytest.mark.parametrize("fixture", ["mini", "bundle", "claims", "markup", "tables", "title_no.yaml"])
def test_each_fixture_as_a_dataset_answers_as_its_yaml(run, tmp_path: Path, fixture: str) -> None:
    yaml_args = ["--no-default", "--catalog", str(FIXTURES / fixture)]
    folder = tmp_path / "dataset"
    export_dataset(run, yaml_args, folder)
    pairs = json.loads(run(*yaml_args, "pairs", "--format", "json").out or "[]")
    commands = [
        ["pairs", "--format", "json"],
        ["export", "--format", "json"],
        ["search", "the", "--format", "json"],
    ]
    for pair in pairs[:3]:
        spec = f"{pair['x']}:{pair['y']}"
        commands += [
            ["plot", spec, "--width", "80", "--height", "20", "--all"],
            ["frontier", spec, "--format", "json"],
            ["export", "--pair", spec, "--format", "json"],
        ]
    assert_same_answers(run, yaml_args, folder, commands)


def test_plain_duckdb_reads_every_table_with_hive_partitioning(run, tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    export_dataset(run, [], folder)
    store = open_store([SHIPPED_CATALOG])
    con = duckdb.connect()
    everything = f"read_parquet('{folder}/**/*.parquet', hive_partitioning=true, union_by_name=true)"
    counts = dict(con.execute(f'SELECT "table", count(*) FROM {everything} GROUP BY ALL').fetchall())
    for table in DATASET_TABLES:
        row = store.cursor().execute(f"SELECT count(*) FROM {table}").fetchone()
        assert row is not None
        assert counts.get(table, 0) == row[0], table
    versions = con.execute(f"SELECT DISTINCT schema_version FROM {everything}").fetchall()
    assert versions == [(DATASET_VERSION,)]
    one = f"read_parquet('{folder}/table=results/*.parquet', hive_partitioning=true)"
    where = "WHERE objective = 'score' AND benchmark = 'mmlu' AND value IS NOT NULL"
    mmlu = con.execute(f"SELECT count(*) FROM {one} {where}").fetchone()
    same = store.cursor().execute(f"SELECT count(*) FROM results {where}").fetchone()
    assert mmlu == same and mmlu is not None and mmlu[0] > 0


def test_a_dataset_another_engine_partitioned_further_reads_the_same(run, tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    export_dataset(run, [], folder)
    results = partition(folder, "results")
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * FROM read_parquet('{results}/part-0.parquet')) TO '{tmp_path}/by-mode' "
        "(FORMAT parquet, PARTITION_BY (mode))"
    )
    for old in results.iterdir():
        old.unlink()
    os.rename(tmp_path / "by-mode", results / "by-mode")
    (folder / "_SUCCESS").write_text("")
    assert_same_answers(run, [], folder, [["pairs"], ["frontier", "compute:score/mmlu", "--format", "json"]])


def test_a_dataset_opens_from_the_cache_until_a_parquet_file_changes(run, tmp_path: Path) -> None:
    folder = tmp_path / "dataset"
    export_dataset(run, ["--no-default", "--catalog", str(FIXTURES / "mini")], folder)
    first = open_store([folder])
    assert (first.from_cache, first.files_read) == (False, len(DATASET_TABLES))
    again = open_store([folder])
    assert (again.from_cache, again.files_read) == (True, 0)
    assert fingerprint([folder]) == again.fingerprint
    papers = partition(folder, "papers") / "part-0.parquet"
    os.utime(papers, ns=(papers.stat().st_atime_ns, papers.stat().st_mtime_ns + 10**9))
    assert fingerprint([folder]) != again.fingerprint
    assert open_store([folder]).from_cache is False
    assert "ok: 7 files, 3 papers" in run("validate", "--no-default", "--catalog", str(folder)).out


def test_a_query_exports_its_papers_and_a_new_export_replaces_an_earlier_dataset(run, tmp_path: Path) -> None:
    folder = tmp_path / "dataset"
    export_dataset(run, [], folder)
    got = run("export", "--query", "tag:quantization", "--format", "parquet", "-o", str(folder))
    assert got.code == 0, got.err
    assert sorted(os.listdir(folder)) == sorted(f"table={t}" for t in DATASET_TABLES)
    from_yaml = run("export", "--query", "tag:quantization", "--format", "json")
    from_parquet = run("--no-default", "--catalog", str(folder), "export", "--format", "json")
    assert from_parquet.out == from_yaml.out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset", "user"]  # nothing left beside it


def test_a_file_target_still_gets_one_file_of_records(run, tmp_path: Path) -> None:
    target = tmp_path / "papers.parquet"
    assert run("export", "--format", "parquet", "-o", str(target)).code == 0
    rows = duckdb.connect().execute(f"SELECT count(*) FROM '{target}'").fetchone()
    assert target.is_file() and rows == (102,)


def test_a_folder_holding_other_files_is_refused_and_left_as_it_was(run, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    got = run("export", "--format", "parquet", "-o", f"{folder}/")
    assert got.code == 1
    assert "holds other files (notes.txt)" in got.err and "Traceback" not in got.err
    assert os.listdir(folder) == ["notes.txt"]
    a_file = tmp_path / "file"
    a_file.write_text("")
    got = run("export", "--format", "parquet", "-o", f"{a_file}/")
    assert got.code == 1 and "it is a file" in got.err


def test_a_pair_cannot_go_to_a_dataset(run, tmp_path: Path) -> None:
    got = run("export", "--pair", "compute:score/mmlu", "--format", "parquet", "-o", f"{tmp_path}/d/")
    assert got.code == 2 and "-o FILE.parquet" in got.err
    assert not (tmp_path / "d").exists()


def test_a_failed_write_leaves_nothing_and_keeps_the_earlier_dataset(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "dataset"
    export_dataset(run, ["--no-default", "--catalog", str(FIXTURES / "mini")], folder)
    before = {p: p.read_bytes() for p in folder.rglob("*.parquet")}

    def fails(*_: object) -> None:
        raise duckdb.IOException("IO Error: the disk said no")

    monkeypatch.setattr(dataset, "_write_tables", fails)
    got = run("export", "--format", "parquet", "-o", f"{folder}/")
    assert got.code == 1 and "cannot write" in got.err and "the disk said no" in got.err
    assert {p: p.read_bytes() for p in folder.rglob("*.parquet")} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset", "user"]


def test_a_dataset_is_never_mixed_with_other_catalogs(run, tmp_path: Path) -> None:
    folder = tmp_path / "dataset"
    export_dataset(run, ["--no-default", "--catalog", str(FIXTURES / "mini")], folder)
    with_default = run("--catalog", str(folder), "pairs")
    assert with_default.code == 1 and "a whole catalog on its own" in with_default.err
    assert "together with the default catalog:" in with_default.err and "--no-default" in with_default.err
    with_yaml = run("--no-default", "--catalog", str(folder), "--catalog", str(FIXTURES / "mini"), "pairs")
    assert with_yaml.code == 1 and f"together with {display_path(FIXTURES / 'mini')}:" in with_yaml.err
    (folder / "extra.yaml").write_text("papers: []\n")
    inside = run("--no-default", "--catalog", str(folder), "pairs")
    assert inside.code == 1 and "holds catalog YAML files too" in inside.err
    assert all("Traceback" not in r.err for r in (with_default, with_yaml, inside))


def test_a_single_parquet_file_is_not_a_catalog(run, tmp_path: Path) -> None:
    target = tmp_path / "papers.parquet"
    assert run("export", "--format", "parquet", "-o", str(target)).code == 0
    got = run("--no-default", "--catalog", str(target), "pairs")
    assert got.code == 1 and "one Parquet file" in got.err and "-o DIR/" in got.err


def _rewrite(path: Path, select: str) -> None:
    """Replace a Parquet file by the rows ``select`` makes of it (``t`` is the old rows)."""
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t AS SELECT * FROM '{path}'")
    con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet)")


def test_a_dataset_missing_a_table_says_which(run, tmp_path: Path) -> None:
    folder = tmp_path / "dataset"
    export_dataset(run, ["--no-default", "--catalog", str(FIXTURES / "mini")], folder)
    for part in partition(folder, "results").iterdir():
        part.unlink()
    got = run("--no-default", "--catalog", str(folder), "pairs")
    assert got.code == 1
    assert "has no table results" in got.err and "export it again" in got.err and "Traceback" not in got.err


@pytest.mark.parametrize(
    ("table", "select", "said"),
    [
        ("papers", "SELECT * EXCLUDE (title) FROM t", "its table papers has no column title"),
        ("results", "SELECT * EXCLUDE (schema_version) FROM t", "has no schema_version column"),
        ("results", "SELECT * REPLACE (99 AS schema_version) FROM t", "schema version 99"),
        ("results", "SELECT * REPLACE ('many' AS value) FROM t", "its table results cannot be read"),
    ],
)
def test_a_dataset_queries_cannot_read_is_refused_with_why(
    run, tmp_path: Path, table: str, select: str, said: str
) -> None:
    folder = tmp_path / "dataset"
    export_dataset(run, ["--no-default", "--catalog", str(FIXTURES / "mini")], folder)
    _rewrite(partition(folder, table) / "part-0.parquet", select)
    got = run("--no-default", "--catalog", str(folder), "pairs")
    assert got.code == 1 and said in got.err and "Traceback" not in got.err
    if "99" in said:
        assert f"reads version {DATASET_VERSION}" in got.err


def test_a_damaged_parquet_file_is_refused_with_its_table(run, tmp_path: Path) -> None:
    folder = tmp_path / "dataset"
    export_dataset(run, ["--no-default", "--catalog", str(FIXTURES / "mini")], folder)
    (partition(folder, "tags") / "part-0.parquet").write_bytes(b"not parquet at all")
    got = run("--no-default", "--catalog", str(folder), "pairs")
    assert got.code == 1 and "its table tags cannot be read" in got.err and "Traceback" not in got.err
    assert fingerprint([folder]) != fingerprint([FIXTURES / "mini"])


def test_a_dataset_that_cannot_be_read_still_has_a_fingerprint(run, tmp_path: Path) -> None:
    folder = tmp_path / "dataset"
    export_dataset(run, ["--no-default", "--catalog", str(FIXTURES / "mini")], folder)
    whole = fingerprint([folder])
    shutil.rmtree(partition(folder, "conditions"))
    assert fingerprint([folder]) not in ("", whole)


def test_a_damaged_cache_is_rebuilt_and_said(run, tmp_path: Path) -> None:
    folder = tmp_path / "dataset"
    export_dataset(run, ["--no-default", "--catalog", str(FIXTURES / "mini")], folder)
    first = open_store([folder])
    first.close()
    first.path.write_bytes(b"\0" * 4096)
    again = open_store([folder])
    assert again.from_cache is False and any("rebuilding it" in n for n in again.notices)
    assert again.cursor().execute("SELECT count(*) FROM papers").fetchone() == (3,)


def test_without_a_cache_folder_the_dataset_is_read_into_a_private_database(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "dataset"
    export_dataset(run, ["--no-default", "--catalog", str(FIXTURES / "mini")], folder)
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    got = run("--no-default", "--catalog", str(folder), "pairs", "--format", "json")
    assert got.code == 0 and "working without it" in got.err
    assert json.loads(got.out) == json.loads(
        run("--no-default", "--catalog", str(FIXTURES / "mini"), "pairs", "--format", "json").out
    )


def test_a_dataset_that_cannot_be_built_anywhere_says_where_it_tried(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "dataset"
    export_dataset(run, ["--no-default", "--catalog", str(FIXTURES / "mini")], folder)

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(dataset_cache, "_build", full)
    got = run("--no-default", "--catalog", str(folder), "pairs")
    assert got.code == 1 and "in the cache" in got.err and "TMPDIR" in got.err and "Traceback" not in got.err


def test_a_target_inside_a_file_is_refused(run, tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("")
    got = run("export", "--format", "parquet", "-o", f"{a_file}/inside/")
    assert got.code == 1 and "cannot write" in got.err and "Traceback" not in got.err


def test_a_failed_replace_puts_the_earlier_dataset_back(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "dataset"
    export_dataset(run, ["--no-default", "--catalog", str(FIXTURES / "mini")], folder)
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*.parquet")}
    rename = os.rename

    def no_room_for_the_new(source: object, target: object) -> None:
        if ".partial-" in str(source):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        rename(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(dataset.os, "rename", no_room_for_the_new)
    got = run("export", "--format", "parquet", "-o", str(folder))
    assert got.code == 1 and "the disk is full" in got.err
    assert {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*.parquet")} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset", "user"]


async def test_the_app_opens_on_a_dataset(run, tmp_path: Path) -> None:
    from tests.test_app import SIZE, listed, started
    from tui.app import TradeoffsApp

    folder = tmp_path / "dataset"
    export_dataset(run, ["--no-default", "--catalog", str(FIXTURES / "mini")], folder)
    app = TradeoffsApp([folder])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert listed(app) == ["swift-sampler", "lean-quant", "quiet-baseline"]


def test_diff_reads_a_dataset_as_either_side(run, tmp_path: Path) -> None:
    folder = tmp_path / "dataset"
    export_dataset(run, ["--no-default", "--catalog", str(FIXTURES / "mini")], folder)
    same = run("diff", "--no-default", str(folder), str(FIXTURES / "mini"))
    assert same.code == 0 and same.out.splitlines()[:3] == [
        "0 papers added",
        "0 papers removed",
        "0 papers changed",
    ]
    other = run("diff", "--no-default", str(FIXTURES / "bundle"), str(folder))
    assert run("diff", "--no-default", str(FIXTURES / "bundle"), str(FIXTURES / "mini")).out == other.out


def test_the_tables_of_dataset_version_1_keep_their_columns() -> None:
    """A dataset is read by other engines and by other versions of tradeoffs: a change to the
    columns of its tables is a new dataset version (``DATASET_VERSION``), and this pin with it."""
    from catalog.store.schema import TABLES

    version_1 = {
        "objectives": "id label better unit kind aliases per_benchmark",
        "benchmarks": "id label aliases url",
        "papers": "id position title published year authors authors_count url arxiv code abstract notes "
        "file line",
        "tags": "paper_id tag",
        "tradeoffs": "paper_id x y",
        "results": "paper_id result_no method setting baseline evidence source line objective value mode "
        "point benchmark source_at source_row shape low high claim",
        "conditions": "paper_id result_no key value",
    }
    assert DATASET_VERSION == 1
    assert {table: " ".join(TABLES[table].names) for table in DATASET_TABLES} == version_1
