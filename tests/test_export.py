"""Export: each format against a golden file, the YAML round trip, and on_frontier on random catalogs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.source.validate import load_catalog

from .conftest import MINI
from .test_pareto import brute_force

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def mini(*args: str) -> list[str]:
    return [*args, "--no-default", "--catalog", str(MINI)]


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs; UPDATE_GOLDEN=1 rewrites it"


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "md", "bibtex", "yaml"])
def test_papers_in_each_format_match_the_golden_file(run, fmt):
    result = run("export", *mini("--format", fmt))
    assert result.code == 0, result.err
    check_golden(f"papers.{fmt}", result.out)


@pytest.mark.parametrize("fmt", ["csv", "json", "md", "bibtex"])
def test_points_in_each_format_match_the_golden_file(run, fmt):
    result = run("export", *mini("--pair", "quality:wait", "--format", fmt))
    assert result.code == 0, result.err
    check_golden(f"points-quality-wait.{fmt}", result.out)


def test_points_carry_the_documented_fields(run):
    points = json.loads(run("export", *mini("--pair", "quality:wait")).out)
    assert len(points) == 4
    assert {"paper_id", "title", "method", "x", "y", "on_frontier", "x_unit", "y_unit"} <= set(points[0])
    frontier = {(p["method"], p["on_frontier"]) for p in points}
    assert frontier == {
        ("Swift Sampler", True),
        ("Slow Sampler", False),
        ("Swift Sampler tiny", True),
        ("Quiet model", False),
    }


def test_frontier_only_keeps_the_frontier(run):
    points = json.loads(run("export", *mini("--pair", "quality:wait", "--frontier-only")).out)
    assert sorted(p["method"] for p in points) == ["Swift Sampler", "Swift Sampler tiny"]


def test_frontier_only_needs_a_pair(run):
    assert run("export", *mini("--frontier-only")).code == 2


def test_query_limits_the_papers(run):
    papers = json.loads(run("export", *mini("--query", "quantization")).out)
    assert [p["id"] for p in papers] == ["lean-quant"]


def test_output_file_is_written(run, tmp_path):
    target = tmp_path / "out.json"
    result = run("export", *mini("-o", str(target)))
    assert result.code == 0 and result.out == ""
    assert len(json.loads(target.read_text())) == 3


def test_parquet_keeps_every_paper(run, tmp_path):
    target = tmp_path / "papers.parquet"
    assert run("export", *mini("--format", "parquet", "-o", str(target))).code == 0
    rows = duckdb.sql(f"SELECT id FROM read_parquet('{target}') ORDER BY id").fetchall()
    assert rows == [("lean-quant",), ("quiet-baseline",), ("swift-sampler",)]


def test_parquet_needs_an_output_file(run):
    result = run("export", *mini("--format", "parquet"))
    assert result.code == 2 and "give -o FILE" in result.err


def test_yaml_export_round_trips_to_the_same_catalog(run, tmp_path):
    exported = tmp_path / "copy.yaml"
    assert run("export", *mini("--format", "yaml", "-o", str(exported))).code == 0
    assert run("validate", "--no-default", str(exported)).code == 0
    original = load_catalog([MINI])
    copy = load_catalog([exported])

    def strip(c):
        return [
            p.__class__(
                **{
                    **p.__dict__,
                    "file": "",
                    "line": 0,
                    "results": tuple(r.__class__(**{**r.__dict__, "line": 0}) for r in p.results),
                }
            )
            for p in c.papers
        ]

    assert strip(copy) == strip(original)
    assert copy.objectives == original.objectives


def test_yaml_export_round_trips_the_shipped_catalog(run, tmp_path):
    exported = tmp_path / "shipped.yaml"
    assert run("export", "--format", "yaml", "-o", str(exported)).code == 0
    result = run("validate", "--no-default", str(exported))
    assert result.code == 0, result.err


# Random catalogs: export --pair flags on_frontier exactly as the brute-force check does.

values = st.integers(min_value=0, max_value=30)


def catalog_yaml(points: list[tuple[int, int]], better_x: str, better_y: str) -> str:
    lines = [
        "objectives:",
        f"  ox: {{label: X, better: {better_x}}}",
        f"  oy: {{label: Y, better: {better_y}}}",
        "papers:",
    ]
    for i, (x, y) in enumerate(points):
        sentence = f"we get x {x} and y {y}"
        lines += [
            f"  - id: p{i}",
            f"    title: Paper {i}",
            f"    abstract: {sentence}.",
            "    results:",
            f"      - method: m{i}",
            f"        values: {{ox: {x}, oy: {y}}}",
            f"        evidence: {sentence}",
        ]
    return "\n".join(lines) + "\n"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    points=st.lists(st.tuples(values, values), min_size=1, max_size=25),
    better_x=st.sampled_from(["higher", "lower"]),
    better_y=st.sampled_from(["higher", "lower"]),
)
def test_on_frontier_matches_brute_force_on_random_catalogs(
    run, tmp_path_factory, points, better_x, better_y
):
    folder = tmp_path_factory.mktemp("random")
    (folder / "c.yaml").write_text(catalog_yaml(points, better_x, better_y))
    result = run("export", "--no-default", "--catalog", str(folder), "--pair", "ox:oy", "--format", "json")
    assert result.code == 0, result.err
    exported = {p["paper_id"]: p["on_frontier"] for p in json.loads(result.out)}
    expected = brute_force([float(x) for x, _ in points], [float(y) for _, y in points], better_x, better_y)
    assert exported == {f"p{i}": on for i, on in enumerate(expected)}
    loaded = yaml.safe_load((folder / "c.yaml").read_text())
    assert len(loaded["papers"]) == len(points)


# The registry and failures ---------------------------------------------------------


def test_one_registry_names_the_formats_the_command_offers(run):
    from catalog.export import FORMATS

    help_text = run("export", "--help").out
    for name in FORMATS:
        assert name in help_text
    assert run("export", *mini("--format", "xml")).code == 2


@pytest.mark.parametrize("fmt", ["csv", "parquet", "yaml"])
def test_writing_into_a_missing_folder_is_a_plain_error_naming_the_path(run, tmp_path, fmt):
    target = tmp_path / "missing" / f"x.{fmt}"
    result = run("export", *mini("--format", fmt, "-o", str(target)))
    assert result.code == 1 and "Traceback" not in result.err
    assert (
        result.err.strip() == f"tradeoffs: cannot write {target}: the folder {target.parent} does not exist"
    )
    assert not target.parent.exists()


def test_writing_over_a_folder_is_refused(run, tmp_path):
    result = run("export", *mini("--format", "csv", "-o", str(tmp_path)))
    assert result.code == 1 and f"cannot write {tmp_path}: it is a folder" in result.err
    # Parquet to a folder is a dataset of the catalog's tables, refused where other files are.
    result = run("export", *mini("--format", "parquet", "-o", str(tmp_path)))
    assert result.code == 1 and f"cannot write a dataset to {tmp_path}: it holds other files" in result.err


def test_a_failed_parquet_export_leaves_no_partial_file(run, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "x.parquet"
    assert run("export", *mini("--format", "parquet", "-o", str(target))).code == 0
    assert [p.name for p in folder.iterdir()] == ["x.parquet"]


def test_export_errors_name_no_temporary_file(tmp_path):
    from catalog.errors import ExportError
    from catalog.export import write

    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    target = folder / "x.csv"
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("root can write into a read-only folder")
        with pytest.raises(ExportError) as caught:
            write("csv", [{"a": 1}], points=False, objectives={}, target=target)
        assert str(caught.value) == f"cannot write {target}: Permission denied"
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_an_export_is_created_as_the_umask_says_and_a_replaced_file_keeps_its_mode(run, tmp_path, fmt):
    import os
    import stat

    target = tmp_path / f"out.{fmt}"
    old = os.umask(0o027)
    try:
        assert run("export", "--format", fmt, "-o", str(target)).code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    target.chmod(0o604)
    assert run("export", "--format", fmt, "-o", str(target)).code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o604


def test_the_state_file_stays_private(tmp_path):
    import stat

    from catalog.state import UserState, save_state

    path = tmp_path / "state.json"
    save_state(UserState(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
