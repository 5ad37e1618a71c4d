"""Each command as a user runs it: output, exit codes, options in either place."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from .conftest import MINI


def mini(*args: str) -> list[str]:
    return [*args, "--no-default", "--catalog", str(MINI)]


def test_validate_prints_a_one_line_summary(run):
    result = run("validate", "--no-default", str(MINI))
    assert result.code == 0
    assert result.out == "ok: 2 files, 3 papers, 3 objectives, 6 results\n"


def test_validate_without_paths_checks_the_default_catalog(run):
    result = run("validate")
    assert result.code == 0 and result.out.startswith("ok: ")


def test_validate_reports_problems_with_places_and_exit_1(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("papers:\n  - id: x\n    title: T\n    colour: red\n")
    result = run("validate", str(bad))
    assert result.code == 1
    assert f"{bad}:4:5: unknown field 'colour' in a paper" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("before", [True, False])
def test_catalog_options_work_before_or_after_the_command(run, before):
    args = ["--no-default", "--catalog", str(MINI)]
    result = run(*([*args, "pairs"] if before else ["pairs", *args]))
    assert result.code == 0
    assert "quality:wait" in result.out


def test_no_default_without_a_catalog_is_a_usage_error(run):
    result = run("pairs", "--no-default")
    assert result.code == 2
    assert "--no-default leaves nothing to read" in result.err


def test_usage_errors_exit_2(run):
    assert run("search").code == 2
    assert run("export", *mini("--format", "docx")).code == 2
    assert run("plot", *mini("nonsense")).code == 2


def test_search_forgives_a_typo_and_ranks_the_best_first(run):
    result = run("search", *mini("swfit sampler", "--format", "json"))
    hits = json.loads(result.out)
    assert hits[0]["id"] == "swift-sampler"


def test_search_finds_words_of_the_abstract_tags_and_methods(run):
    for query, expected in [
        ("quantization", "lean-quant"),
        ("baselines", "quiet-baseline"),
        ("tiny", "swift-sampler"),
    ]:
        hits = json.loads(run("search", *mini(query, "--format", "json")).out)
        assert hits and hits[0]["id"] == expected, query


def test_search_table_has_a_header_and_rows(run):
    result = run("search", *mini("sampler"))
    lines = result.out.splitlines()
    assert lines[0].split() == ["score", "year", "title", "id"]
    assert "swift-sampler" in lines[1]


def test_search_with_nothing_found_says_so(run):
    result = run("search", *mini("zzzzqqq"))
    assert result.code == 0 and result.out == "" and "no papers match" in result.err


def test_pairs_counts_papers_and_points(run):
    rows = {(r["x"], r["y"]): r for r in json.loads(run("pairs", *mini("--format", "json")).out)}
    # Two papers declare it; a third measures it, with relative values.
    assert rows["quality", "wait"]["papers"] == 3
    assert rows["quality", "wait"]["points"] == 4
    assert rows["quality", "size"]["points"] == 1
    assert rows["quality", "wait"]["relative_points"] == 1
    assert rows["goodness", "speed"]["papers"] == 1  # a pair of kinds, as declared


def test_plot_marks_the_frontier_and_lists_it(run):
    result = run("plot", *mini("quality:wait", "--width", "60", "--height", "15"))
    assert result.code == 0
    assert "4 points, 2 on the frontier" in result.out
    assert result.out.count("◆") >= 3  # two points, the legend mark, and the list below
    assert "◆ Swift Sampler [swift-sampler]: quality 81.5, wait 12" in result.out
    assert "Slow Sampler" not in result.out.split("\n◆", 1)[1]
    assert "↓ better" in result.out and "→ better" in result.out
    assert "\x1b[" not in result.out  # not a terminal: no colour


def test_plot_fits_the_requested_size(run):
    out = run("plot", *mini("quality:wait", "--width", "50", "--height", "12")).out
    plot_lines = out.splitlines()[:12]
    assert max(len(line) for line in plot_lines) <= 50


def test_plot_of_relative_values_stays_apart_from_absolute_ones(run):
    result = run("plot", *mini("wait@percent:quality@difference", "--width", "60", "--height", "12"))
    assert result.code == 0 and "1 point," in result.out
    mixed = run("plot", *mini("wait@percent:quality", "--width", "60"))
    assert mixed.code == 2 and "never share a plot" in mixed.err


def test_plot_of_a_kind_suggests_objectives(run):
    result = run("plot", *mini("goodness:wait"))
    assert result.code == 2 and "a kind of objective" in result.err and "quality" in result.err


def test_plot_of_an_unknown_objective_suggests_one(run):
    result = run("plot", *mini("qualty:wait"))
    assert result.code == 2 and "did you mean 'quality'" in result.err


def test_plot_query_limits_the_points(run):
    result = run("plot", *mini("quality:wait", "--query", "quiet", "--width", "60"))
    assert "1 point," in result.out


def test_log_scale_hides_non_positive_points_and_says_so(run, tmp_path):
    extra = tmp_path / "neg.yaml"
    extra.write_text(
        "papers:\n  - id: neg\n    title: N\n    abstract: quality 5 at 0 ms\n    results:\n"
        "      - method: N\n        values: {quality: 5, wait: 0}\n        evidence: quality 5 at 0 ms\n"
    )
    result = run("plot", *mini("quality:wait", "--log-y", "--width", "70", "--catalog", str(extra)))
    assert "1 not positive, hidden on a log scale" in result.out


def test_sql_answers_read_only_queries(run):
    result = run("sql", *mini("SELECT count(*) AS n FROM papers", "--format", "json"))
    assert json.loads(result.out) == [{"n": 3}]


def test_sql_csv_output(run):
    result = run("sql", *mini("SELECT id FROM papers ORDER BY id", "--format", "csv"))
    assert result.out.splitlines() == ["id", "lean-quant", "quiet-baseline", "swift-sampler"]


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM papers",
        "CREATE TABLE t (x INT)",
        "INSERT INTO tags VALUES ('a', 'b')",
        "ATTACH ':memory:' AS other",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SELECT * FROM read_csv('/etc/passwd')",
        "COPY papers TO '/tmp/stolen.csv'",
        "SET enable_external_access = true",
    ],
)
def test_sql_refuses_anything_but_reading_the_catalog(run, statement):
    result = run("sql", *mini(statement))
    assert result.code == 1
    assert result.err.startswith("tradeoffs: ")
    assert "Traceback" not in result.err


def test_sql_error_is_clear(run):
    result = run("sql", *mini("SELECT nope FROM papers"))
    assert result.code == 1 and "SQL error" in result.err


def test_every_command_has_help_with_examples(run):
    for command in ("search", "pairs", "plot", "export", "validate", "sql"):
        result = run(command, "--help")
        assert result.code == 0
        assert "examples:" in result.out and f"tradeoffs {command}" in result.out


def test_titles_with_escape_sequences_are_shown_not_obeyed(run, tmp_path):
    evil = tmp_path / "evil.yaml"
    evil.write_text('papers:\n  - id: evil\n    title: "Evil \\e[2J title"\n')
    result = run("search", "evil", "--catalog", str(evil))
    assert "\x1b" not in result.out
    assert "\\x1b[2J" in result.out


def test_the_real_command_runs_as_a_process(run_process):
    result = run_process("pairs", "--no-default", "--catalog", str(MINI))
    assert result.code == 0 and "quality:wait" in result.out


def test_python_m_tui_is_the_same_command(run_process):
    result = run_process("--help")
    assert result.code == 0 and "usage: tradeoffs" in result.out


@pytest.mark.parametrize(
    "hostile",
    [
        "'; DROP TABLE papers; --",
        '" OR 1=1 --',
        "sampler /* comment */",
        'tag:"x\'); DELETE FROM tags; --"',
        "pair:quality:wait'--",
        "year:2024; DROP TABLE results",
        "%_%",
    ],
)
def test_search_text_and_filters_reach_duckdb_only_as_values(run, hostile):
    from catalog.query.explore import Explorer
    from catalog.store.store import open_store

    # A filter that cannot match is a usage error (exit 2) that says why; never a traceback.
    result = run("search", *mini(hostile, "--format", "json"))
    assert result.code in (0, 2) and "Traceback" not in result.err
    exported = run("export", *mini("--query", hostile, "--format", "json"))
    assert exported.code == result.code and "Traceback" not in exported.err
    explorer = Explorer(open_store([MINI]))
    explorer.select(hostile, [])
    # The catalog is untouched: every paper and value is still there.
    counts = run(
        "sql",
        *mini("SELECT (SELECT count(*) FROM papers) p, (SELECT count(*) FROM results) r", "--format", "json"),
    )
    assert json.loads(counts.out) == [{"p": 3, "r": 12}]


def test_help_fits_80_columns_for_every_command(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    for command in [
        "",
        "search",
        "pairs",
        "plot",
        "frontier",
        "history",
        "export",
        "validate",
        "sql",
        "import",
    ]:
        result = run(*([command] if command else []), "--help")
        long = [line for line in result.out.splitlines() if len(line) > 80]
        assert result.code == 0 and long == [], (command, long)


def test_the_command_a_plot_hints_at_works_as_written(run, tmp_path):
    import shlex

    folder = tmp_path / "c"
    folder.mkdir()
    lines = [
        "objectives:\n  q: {label: Q, better: higher}\n  c: {label: C, better: lower}\n",
        "papers:\n  - id: p\n    title: P\n    results:\n",
    ]
    for n in range(60):  # every point on the frontier: more than the plot lists
        lines.append(f"      - {{method: M{n}, values: {{q: {n}, c: {n}}}, source: T}}\n")
    (folder / "c.yaml").write_text("".join(lines))
    plot = run("plot", "q:c", "--no-default", "--catalog", str(folder), "--width", "60", "--height", "10")
    hint = next(line for line in plot.out.splitlines() if line.startswith("… and"))
    command = hint.split("(", 1)[1].rsplit(" lists them all)", 1)[0]
    args = shlex.split(command)
    assert args[0] == "tradeoffs"
    listed = run(*args[1:], "--format", "json")
    assert listed.code == 0 and len(json.loads(listed.out)) == 60


def test_sql_errors_say_duckdbs_whole_message_on_one_line(run):
    # A value DuckDB quotes may hold a line break: the message goes on past it, shown escaped,
    # and the picture of the query DuckDB draws under its words is left out.
    converted = run("sql", "SELECT ('a' || chr(10) || 'b')::INTEGER")
    assert converted.code == 1
    assert (
        converted.err.strip()
        == "tradeoffs: SQL error: Conversion Error: Could not convert string 'a\\nb' to INT32"
    )
    unknown = run("sql", "SELECT nosuch FROM papers")
    assert unknown.code == 1 and len(unknown.err.strip().splitlines()) == 1
    assert "Candidate bindings" in unknown.err and "LINE 1" not in unknown.err


def test_sql_that_would_change_the_catalog_says_it_is_read_only(run):
    result = run("sql", "drop table papers")
    assert result.code == 1
    assert "the catalog is read-only" in result.err and "catalog-" not in result.err


def test_pairs_at_80_columns_never_cut_a_pair_id(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = run("pairs").out
    listed = json.loads(run("pairs", "--format", "json").out)
    for pair in listed:
        assert f"{pair['x']}:{pair['y']}" in out
    assert "…:" not in out


def test_search_gives_titles_the_room_and_scores_one_decimal(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    lines = run("search", "quantization").out.splitlines()
    assert lines[0].split() == ["score", "year", "title", "id"]
    assert all(line.split()[0].count(".") == 1 for line in lines[1:])
    assert "Pyramid Vector Quantization for LLMs" in "\n".join(lines)


def test_plot_all_names_the_dominated_points_too(run):
    plain = run("plot", "fid:latency", "--width", "70", "--height", "10")
    every = run("plot", "fid:latency", "--all", "--width", "70", "--height", "10")
    assert "FLUX-schnell" not in plain.out
    lines = every.out.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("◆ SANA-Sprint"))
    assert lines[first + 1].startswith("• FLUX-schnell (hardware=H100, steps=4) [sana-sprint]")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _many_files(folder: Path, count: int) -> None:
    folder.mkdir()
    (folder / "vocabulary.yaml").write_text("objectives:\n  q: {label: Q, better: higher}\n")
    for n in range(count):
        (folder / f"p{n:04}.yaml").write_text(f"papers:\n  - id: p{n}\n    title: Paper {n}\n")


def test_a_cold_build_shows_signs_of_life_on_a_terminal_and_clears_them(run, tmp_path, monkeypatch):
    _many_files(tmp_path / "c", 200)
    err = _Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    result = run("validate", "--no-default", "--catalog", str(tmp_path / "c"))
    assert result.code == 0
    said = err.getvalue()
    assert "reading catalog files:" in said and "of 201" in said
    assert said.endswith("\r\x1b[K")  # cleared: the command's own lines start clean


def test_a_build_says_nothing_of_its_progress_when_not_on_a_terminal(run, tmp_path):
    _many_files(tmp_path / "c", 200)
    result = run("validate", "--no-default", "--catalog", str(tmp_path / "c"))
    assert result.code == 0 and "reading catalog files" not in result.err


def test_search_json_gives_a_script_what_it_needs_to_go_on(run):
    (first, *_) = json.loads(run("search", *mini("swfit sampler", "--format", "json")).out)
    assert first["id"] == "swift-sampler"
    assert {"tags", "pairs", "url", "arxiv", "code", "matched", "score", "year"} <= set(first)
    assert first["url"] == "https://example.org/swift" and "quality:wait" in first["pairs"]
    assert "sampler" in first["matched"]


def test_a_broken_file_stops_a_command_unless_asked_to_go_on_without_it(run, tmp_path):
    (tmp_path / "bad.yaml").write_text("papers:\n  - id: [oops\n")
    (tmp_path / "good.yaml").write_text("papers:\n  - id: good-one\n    title: Good One\n")
    args = ["--no-default", "--catalog", str(MINI), "--catalog", str(tmp_path)]
    refused = run("search", "good", *args)
    assert refused.code == 1 and "bad.yaml:3:1" in refused.err and "--skip-broken" in refused.err
    went_on = run("search", "good", *args, "--skip-broken")
    assert went_on.code == 0 and "good-one" in went_on.out
    assert f"left out 1 file with problems: {tmp_path / 'bad.yaml'}" in went_on.err
    validate = run("validate", *args, "--skip-broken")  # validate lists problems, never skips them
    assert validate.code == 1 and "bad.yaml:3:1" in validate.err and "--skip-broken" not in validate.err


@pytest.mark.parametrize(
    ("no_default", "added"), [(False, []), (False, ["mine"]), (True, ["mine"]), (True, ["a", "b"])]
)
def test_the_catalog_options_written_for_a_catalog_read_that_catalog_again(no_default, added):
    import argparse

    from tui.commands.base import catalog_arguments, catalog_paths

    paths = catalog_paths(argparse.Namespace(no_default=no_default, catalog=added))
    assert catalog_arguments(paths) == (no_default, added)
