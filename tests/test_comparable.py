"""What is comparable: values on a benchmark, results under conditions, and the papers' own tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog.source.cells import cell_number, split_row
from catalog.source.validate import check

from .conftest import FIXTURES

TABLES = FIXTURES / "tables"
HEAD = (TABLES / "quant.yaml").read_text().split("papers:")[0]


def catalog(*args: str) -> list[str]:
    return [*args, "--no-default", "--catalog", str(TABLES)]


def problems_of(tmp_path: Path, papers: str) -> list[str]:
    path = tmp_path / "c.yaml"
    path.write_text(HEAD + "papers:\n" + papers)
    _, problems, _ = check([path])
    return [f"{p.line}:{p.col}: {p.message}" for p in problems]


# Cells ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("5.61", 5.61),
        ("**2.02**", 2.02),
        ("2.4 GB", 2.4),
        ("45.2%", 45.2),
        ("1,234", 1234.0),
        ("-0.5", -0.5),
        ("\u22121.2", -1.2),
        ("4.6E9", 4.6e9),
        ("1.6\u00b710\u00b2\u00b3", 1.6e23),
        ("3 x 10^21", 3e21),
        ("-", None),
        ("", None),
        ("n/a", None),
    ],
)
def test_a_cell_gives_the_one_number_it_writes(cell, number):
    assert cell_number(cell) == number


@pytest.mark.parametrize("cell", ["10-12", "5.6 \u00b1 0.2", "GPT-4 2.0", "1e3 and 5"])
def test_a_cell_with_two_numbers_is_refused(cell):
    assert "holds 2 numbers" in str(cell_number(cell))


def test_rows_split_as_their_source_lays_them_out():
    assert split_row("| a | 1.5 | |") == ["a", "1.5", ""]
    assert split_row("a & 1.5 & 2 \\\\", "&") == ["a", "1.5", "2"]
    assert split_row("a\t1.5", "\\t") == ["a", "1.5"]


# The format ----------------------------------------------------------------------------


def test_an_html_row_is_split_into_the_text_of_its_cells():
    row = (
        "<tr>\n  <td><strong>R2R (Ours)</strong></td>\n  <td>46%</td>\n"
        "  <td>5.6B</td>\n  <td>A &amp; B</td>\n</tr>"
    )
    assert split_row(row, "html") == ["R2R (Ours)", "46%", "5.6B", "A & B"]


def test_a_row_of_words_gives_its_first_cell_the_words_beyond_the_columns():
    row = "SIRI-low (Ours) 40.4 7093 \u2013 0.47"
    assert split_row(row, "words", 5) == ["SIRI-low (Ours)", "40.4", "7093", "\u2013", "0.47"]
    assert split_row("Original 28.2 12333", "words", 3) == ["Original", "28.2", "12333"]
    assert split_row("Original 28.2", "words", 3) == ["Original", "28.2"]  # too few: said by the reader


def test_a_table_is_one_result_per_row_with_its_row_and_place():
    found, problems, _ = check([TABLES])
    assert problems == [] and found is not None
    results = found.papers[0].results
    fp16 = next(r for r in results if r.method == "FP16" and r.source == "Table 1")
    assert {v.key: v.number for v in fp16.values} == {
        "bits_per_weight": 16.0,
        "perplexity/wikitext2": 5.12,
        "perplexity/c4": 6.63,
    }
    assert fp16.conditions == (("base_model", "Llama-2-7b"),)
    assert fp16.at == "example/tiny-quant@0123456789abcdef0123456789abcdef01234567:README.md"
    assert fp16.row == "| FP16 | 16 | 5.12 | 6.63 | [link](https://example.org/fp16) |"
    other = next(r for r in results if r.method == "Other 2-bit")
    assert [v.key for v in other.values] == ["bits_per_weight", "perplexity/wikitext2"]  # "-" is no value
    a100 = next(r for r in results if r.source == "Table 3")
    assert a100.conditions == (("hardware", "A100"),)


@pytest.mark.parametrize(
    ("paper", "message"),
    [
        (
            "    results:\n      - method: M\n        values: {perplexity/wikitex2: 5.6}\n"
            "        source: Table 1\n",
            "unknown benchmark 'wikitex2' (did you mean 'wikitext2'?): define it under `benchmarks:`",
        ),
        (
            "    results:\n      - method: M\n        values: {perplexity/wiki2: 5.6}\n        source: T\n",
            "unknown benchmark 'wiki2' (did you mean 'wikitext2'?)",
        ),
        (
            "    results:\n      - method: M\n        values: {perplexity/: 5.6}\n        source: T\n",
            "should be an objective id, or one qualified by the benchmark it was measured on: accuracy/mmlu",
        ),
        (
            "    results:\n      - method: M\n        values: {perplexity/c4: 5.6}\n        source: T\n"
            "        row: '| M | 5.5 |'\n",
            "perplexity/c4 = 5.6 does not occur in its row",
        ),
        (
            "    results:\n      - method: M\n        values: {perplexity/c4: 5.6}\n        evidence: x\n"
            "        row: '| M | 5.6 |'\n",
            "`row` belongs to a `source`: name the table or figure it is from",
        ),
        (
            "    results:\n      - method: M\n        values: {perplexity/c4: 5.6}\n        source: T\n"
            "        at: {repo: a/b, path: R.md, commit: abc}\n",
            "commit should be the 40 hexadecimal digits of the version read",
        ),
        (
            "    results:\n      - method: M\n        values: {perplexity/c4: 5.6}\n        source: T\n"
            "        at: README.md\n",
            "`at` is a URL (https://...) or a mapping of",
        ),
        (
            "    results:\n      - method: M\n        values: {perplexity/c4: 5.6}\n        source: T\n"
            "        conditions: {Hardware: A100}\n",
            "condition 'Hardware' should be lowercase letters, digits and _",
        ),
        (
            "    tables:\n      - source: T\n        at: https://example.org\n"
            "        columns: [method, perplexity/c4]\n        rows: ['| M | 5.6 | 7 |']\n",
            "the row has 3 cells but `columns` names 2: name every cell (`-` skips one)",
        ),
        (
            "    tables:\n      - source: T\n        at: https://example.org\n"
            "        columns: [method, perplexity/c4]\n        rows: ['| M | 5.6 or 5.7 |']\n",
            "the cell '5.6 or 5.7' holds 2 numbers: a value's cell holds one",
        ),
        (
            "    tables:\n      - source: T\n        at: https://example.org\n"
            "        columns: [perplexity/c4, bits_per_weight]\n        rows: ['| 5.6 | 2 |']\n",
            "name the `method` column, or give the table a `method:`",
        ),
        (
            "    tables:\n      - source: T\n        at: https://example.org\n"
            "        columns: [method, Perplexity]\n        rows: ['| M | 5.6 |']\n",
            "column 'Perplexity' should be method, an objective (accuracy or accuracy/mmlu), =key",
        ),
        (
            "    tables:\n      - source: T\n        at: https://example.org\n"
            "        columns: [method, perplexity/c4]\n        rows: ['| M | - |']\n",
            "the row gives no number: leave it out, or name its number columns",
        ),
    ],
)
def test_each_mistake_in_the_new_fields_is_said_with_its_place(tmp_path, paper, message):
    found = problems_of(tmp_path, "  - id: p\n    title: P\n" + paper)
    assert any(message in m for m in found), found
    assert all(m.split(":")[0].isdigit() for m in found)


def test_a_benchmark_defined_twice_differently_is_a_problem(tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text("benchmarks:\n  wikitext2:\n    label: WikiText 2 (raw)\n")
    _, problems, _ = check([TABLES, other])
    assert any("benchmark 'wikitext2' is already defined differently" in p.message for p in problems)


# Asking ----------------------------------------------------------------------------------


def test_values_on_different_benchmarks_never_share_an_axis(run):
    wiki = json.loads(run("export", *catalog("--pair", "perplexity/wikitext2:bits_per_weight")).out)
    c4 = json.loads(run("export", *catalog("--pair", "perplexity/c4:bits_per_weight")).out)
    assert len(wiki) == 5 and {p["x_benchmark"] for p in wiki} == {"wikitext2"}
    assert len(c4) == 3 and {p["x_benchmark"] for p in c4} == {"c4"}
    assert run("export", *catalog("--pair", "perplexity:bits_per_weight")).out.strip() == "[]"


def test_pairs_are_listed_per_benchmark(run):
    listed = {r["x"] + ":" + r["y"]: r for r in json.loads(run("pairs", *catalog("--format", "json")).out)}
    assert listed["bits_per_weight:perplexity/wikitext2"]["points"] == 5
    assert listed["bits_per_weight:perplexity/wikitext2"]["y_label"] == "Perplexity on WikiText-2"
    assert listed["bits_per_weight:perplexity/c4"]["points"] == 3


def test_ids_are_read_in_any_case(run):
    result = run("plot", *catalog("Perplexity/WikiText2:Bits_Per_Weight", "--width", "60", "--height", "10"))
    assert result.code == 0 and "5 points, 5 on the frontier" in result.out


def test_a_plot_mixing_conditions_says_so_and_the_filter_narrows_it(run):
    mixed = run("plot", *catalog("latency:bits_per_weight", "--width", "60", "--height", "10"))
    assert (
        "note: conditions differ: hardware: A100 (2), H100 (1); narrow with setting:hardware=A100"
        in mixed.out
    )
    narrowed = run(
        "plot",
        *catalog(
            "latency:bits_per_weight", "--width", "60", "--height", "10", "--query", "setting:hardware=a100"
        ),
    )
    assert "2 points" in narrowed.out and "conditions differ" not in narrowed.out
    points = json.loads(
        run("export", *catalog("--pair", "latency:bits_per_weight", "--query", "setting:hardware=H100")).out
    )
    assert [(p["method"], p["conditions"]) for p in points] == [("Tiny Quant 2-bit", {"hardware": "H100"})]


def test_an_unknown_condition_is_said_with_what_there_is(run):
    assert "did you mean 'hardware'" in run("search", *catalog("setting:hardwre=A100")).err
    assert (
        "no result has hardware=B200 (known: A100, H100)"
        in run("search", *catalog("setting:hardware=B200")).err
    )
    assert "should be setting:KEY=VALUE" in run("search", *catalog("setting:hardware")).err


def test_a_table_exports_as_a_catalog_file_that_loads_back_the_same(run, tmp_path):
    exported = tmp_path / "copy.yaml"
    assert run("export", *catalog("--format", "yaml", "-o", str(exported))).code == 0
    again, problems, _ = check([exported])
    original, _, _ = check([TABLES])
    assert problems == [] and again is not None and original is not None
    strip = [(r.method, r.values, r.conditions, r.source, r.at, r.row) for r in original.papers[0].results]
    assert [
        (r.method, r.values, r.conditions, r.source, r.at, r.row) for r in again.papers[0].results
    ] == strip


def test_the_apps_export_keeps_to_the_conditions_of_the_query(tmp_path):
    from catalog.query.explore import Explorer
    from catalog.state import UserState
    from catalog.store.store import open_store
    from tui.session import Session

    session = Session(Explorer(open_store([TABLES])), UserState(), tmp_path / "state.json")
    ids = session.explorer.select("setting:hardware=H100", []).ids
    target = tmp_path / "points.json"
    session.export("json", str(target), "latency:bits_per_weight", ids, (("hardware", "H100"),))
    assert [p["conditions"] for p in json.loads(target.read_text())] == [{"hardware": "H100"}]


def test_the_apps_frontier_says_which_conditions_its_points_differ_on():
    from catalog.query.explore import Explorer
    from catalog.store.store import open_store

    explorer = Explorer(open_store([TABLES]))
    mixed = explorer.frontier("latency:bits_per_weight", list(explorer.order)).mixed
    assert [(s.key, s.values) for s in mixed] == [("hardware", {"A100": 2, "H100": 1})]
    narrowed = explorer.frontier("latency:bits_per_weight", list(explorer.order), (("hardware", "A100"),))
    assert narrowed.mixed == () and len(narrowed.points) == 2


# An objective measured per benchmark ---------------------------------------------------------

PER_BENCHMARK = """objectives:
  score: {label: Score, better: higher%s}
  size: {label: Size, better: lower}
benchmarks:
  mmlu: {label: MMLU}
"""
PAPER = """papers:
  - id: p
    title: P
    results:
      - {method: M, values: {score: 3, size: 4}, source: T}
      - {method: N, values: {score/mmlu: 3, size: 4}, source: T}
"""


def test_a_value_of_an_objective_measured_per_benchmark_must_name_its_benchmark(tmp_path):
    (tmp_path / "vocabulary.yaml").write_text(PER_BENCHMARK % ", per_benchmark: true")
    (tmp_path / "paper.yaml").write_text(PAPER)
    _, problems, _ = check([tmp_path])
    assert [(p.file.rsplit("/", 1)[-1], p.line, p.col) for p in problems] == [("paper.yaml", 5, 30)]
    assert "'score' is measured per benchmark: write score/BENCHMARK" in problems[0].message


def test_making_an_objective_per_benchmark_is_checked_against_the_files_that_did_not_change(run, tmp_path):
    vocabulary = tmp_path / "vocabulary.yaml"
    vocabulary.write_text(PER_BENCHMARK % "")
    (tmp_path / "paper.yaml").write_text(PAPER)
    args = ["--no-default", "--catalog", str(tmp_path)]
    assert run("validate", *args).code == 0
    vocabulary.write_text(PER_BENCHMARK % ", per_benchmark: true")
    again = run("validate", *args)
    assert again.code == 1 and "paper.yaml:5:30: 'score' is measured per benchmark" in again.err


def test_per_benchmark_is_true_or_false(tmp_path):
    (tmp_path / "vocabulary.yaml").write_text(PER_BENCHMARK % ", per_benchmark: yes")
    _, problems, _ = check([tmp_path])
    assert [p.message for p in problems] == ["per_benchmark of 'score' should be true or false, not 'yes'"]
