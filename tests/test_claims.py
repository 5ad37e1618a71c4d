"""Every kind of claim: ranges, bounds, factors with their direction in words, unsaid
percentages, approximate values and stated uncertainty, from the YAML to the plot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.claims import describe, value_form
from catalog.model import Value
from catalog.source.validate import check
from catalog.text import number_set

from .conftest import FIXTURES

CLAIMS = FIXTURES / "claims"
HEAD = (CLAIMS / "claims.yaml").read_text().split("papers:")[0]


def catalog(*args: str) -> list[str]:
    return [*args, "--no-default", "--catalog", str(CLAIMS)]


def values_of(method: str) -> dict[str, Value]:
    loaded, problems, _ = check([CLAIMS])
    assert problems == [] and loaded is not None
    (result,) = [r for p in loaded.papers for r in p.results if r.method == method]
    return {v.key: v for v in result.values}


def problems_of(tmp_path: Path, abstract: str, values: str) -> list[str]:
    path = tmp_path / "c.yaml"
    path.write_text(
        HEAD
        + "papers:\n  - id: p\n    title: P\n    abstract: "
        + json.dumps(abstract)
        + "\n    results:\n      - method: M\n        baseline: B\n        values: "
        + values
        + "\n        evidence: "
        + json.dumps(abstract)
        + "\n"
    )
    _, problems, _ = check([path])
    return [f"{p.line}:{p.col}: {p.message}" for p in problems]


# Reading ---------------------------------------------------------------------------------


def test_each_form_reads_as_the_claim_it_stands_for():
    ranger, bounded, hopeful = values_of("Ranger"), values_of("Bounded"), values_of("Hopeful")
    assert ranger["quality"].shape == "range" and ranger["quality"].span() == (74, 78)
    assert bounded["latency"].shape == "at_most" and bounded["latency"].span() == (None, 15)
    assert hopeful["quality"].shape == "about" and not hopeful["quality"].exact
    capped = values_of("Capped")
    assert capped["quality"].span() == (60, None) and capped["latency"].span() == (None, 50)
    steady = values_of("Steady")["quality"]
    assert steady.exact and steady.plus_minus == 1.5


def test_times_less_is_a_ratio_of_one_over_the_factor():
    lean = values_of("Lean")
    assert lean["memory"].axis_mode == "ratio" and lean["memory"].span() == (1 / 54, 1 / 54)
    assert lean["memory"].exact


def test_a_bound_on_times_less_flips_to_the_other_side():
    value = Value("memory", 54, "times_less", shape="at_most")
    assert value.span() == (1 / 54, None)


def test_a_percentage_the_words_do_not_qualify_is_on_no_axis():
    unsaid = values_of("Lean")["quality"]
    assert unsaid.mode == "percent_or_points" and unsaid.axis_mode is None and not unsaid.exact


def test_numbers_in_words_count_as_written():
    assert {2.0, 10.0, 100.0, 3.0} <= number_set(
        "twice as slow, an order of magnitude faster, two orders of magnitude, three times less"
    )


def test_a_number_written_only_in_words_still_counts_as_stated(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "c.yaml").write_text(
        HEAD
        + """papers:
  - id: words
    title: Words
    abstract: We reach 71.2 quality in ten GB of memory.
    tradeoffs: [[quality, memory]]
    results:
      - method: M
        evidence: "71.2 quality in ten GB of memory"
        values: {quality: 71.2, memory: 10}
"""
    )
    _, problems, _ = check([folder])
    assert problems == [], problems
    (folder / "c.yaml").write_text((folder / "c.yaml").read_text().replace("memory: 10}", "memory: 11}"))
    _, problems, _ = check([folder])
    assert [p.message.split(":")[0] for p in problems] == ["memory = 11 does not occur in its evidence"]


@pytest.mark.parametrize(
    ("form", "said"),
    [
        (7.59, "7.59"),
        ({"about": 0.1}, "~0.1"),
        ({"between": [7, 11]}, "7 to 11"),
        ({"at_most": 230}, "≤ 230"),
        ({"below": 60}, "< 60"),
        ({"number": 71.2, "plus_minus": 0.3}, "71.2 ± 0.3"),
        ({"percent": {"between": [20, 85]}}, "+20 to 85% (percent)"),
        ({"times_less": 54}, "54x less"),
        ({"percent_or_points": 4}, "+4% (points or percent: unsaid)"),
    ],
)
def test_each_form_is_said_the_way_a_reader_writes_it(form, said):
    assert describe(form) == said


@settings(max_examples=60, deadline=None)
@given(
    number=st.floats(-1e6, 1e6, allow_nan=False),
    shape=st.sampled_from(["exact", "about", "at_most", "at_least", "below", "above"]),
    mode=st.sampled_from(["absolute", "difference", "percent", "ratio", "percent_or_points"]),
)
def test_a_value_writes_back_the_form_it_was_read_from(number, shape, mode):
    value = Value("quality", number, mode, shape=shape)
    form = value_form(value)
    expected = number if shape == "exact" else {shape: number}
    assert form == (expected if mode == "absolute" else {mode: expected})


# Mistakes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "values", "message"),
    [
        ("between 11 and 7", "{quality: {between: [11, 7]}}", "should go from low to high: [7, 11]"),
        ("between 7 and 11", "{quality: {between: [7]}}", "should be two numbers, low then high"),
        ("0x less", "{memory: {times_less: 0}}", "times_less is how many times less"),
        ("76 ± -1", "{quality: {number: 76, plus_minus: -1}}", "plus_minus is the uncertainty's size"),
        (
            "76 (70-74)",
            "{quality: {number: 76, interval: [70, 74]}}",
            "the interval should hold the number 76",
        ),
        ("about 7", "{quality: {about: 7, at_most: 7}}", "has one of: about, between"),
        ("7 ± 1", "{quality: {about: 7, plus_minus: 1}}", "plus_minus and interval go with `number`"),
        ("up to 7", "{quality: {upto: 7}}", "unknown field 'upto'"),
        ("7%", "{quality: {percent: 7, ratio: 7}}", "has one key: a relative claim"),
        ("7 to 9", "{quality: [7, 9]}", "a range is written {between: [LOW, HIGH]}"),
        ("about 7", "{quality: {}}", "is empty"),
        ("between 7 and 11", "{quality: {between: [7, 12]}}", "12 does not occur in its evidence"),
        ("76 ± 1.5", "{quality: {number: 76, plus_minus: 2}}", "2 does not occur in its evidence"),
    ],
)
def test_each_mistake_in_a_claim_is_said_with_its_place_and_the_fix(tmp_path, words, values, message):
    found = problems_of(tmp_path, words, values)
    assert any(message in p for p in found), found
    assert all(p.split(":")[0].isdigit() for p in found)


def test_a_correct_claim_of_each_kind_passes(tmp_path):
    assert problems_of(tmp_path, "up to 230x", "{quality: {at_most: 230}}") == []
    assert problems_of(tmp_path, "ten times less", "{latency: {times_less: 10}}") == []
    assert problems_of(tmp_path, "20 - 85% higher", "{quality: {percent: {between: [20, 85]}}}") == []


# Asking ----------------------------------------------------------------------------------


def test_only_exact_points_make_the_frontier_and_qualified_ones_say_if_they_may(run):
    points = json.loads(run("export", *catalog("--pair", "quality:latency")).out)
    exact = {p["method"]: p["on_frontier"] for p in points if "x_said" not in p}
    loose = {p["method"]: p["may_be_on_frontier"] for p in points if "x_said" in p}
    assert exact == {"Fast": True, "Slow": True, "Mid": False, "Steady": True}
    # At their best ends: Ranger's 78 points at 20 ms and Bounded's 75 at under 15 ms are
    # dominated by no exact point; Hopeful's 71 at 35 ms is (by Steady's 76 at 25); Capped is
    # open on both good sides, so nothing can dominate it.
    assert loose == {"Ranger": True, "Bounded": True, "Hopeful": False, "Capped": True}
    assert all(not p["on_frontier"] for p in points if "x_said" in p)


def test_the_pairs_count_qualified_points_apart(run):
    listed = {r["x"] + ":" + r["y"]: r for r in json.loads(run("pairs", *catalog("--format", "json")).out)}
    assert (listed["latency:quality"]["points"], listed["latency:quality"]["qualified"]) == (4, 4)


def test_a_plot_draws_ranges_and_bounds_with_markers_of_their_own_and_says_what_they_mean(run):
    result = run("plot", *catalog("quality:latency", "--width", "100", "--height", "20"))
    assert result.code == 0
    assert "◇ may be on frontier" in result.out and "○ cannot" in result.out
    assert "▽" in result.out and "↘" in result.out
    assert "◇ Ranger [qualified-paper]: quality 74 to 78, latency 20 (may be on the frontier)" in result.out
    assert "○ Hopeful [qualified-paper]: quality ~71, latency 35" in result.out


def test_the_detail_record_and_a_yaml_export_keep_each_claim_as_written(run, tmp_path):
    exported = tmp_path / "copy.yaml"
    assert run("export", *catalog("--format", "yaml", "-o", str(exported))).code == 0
    again, problems, _ = check([exported])
    original, _, _ = check([CLAIMS])
    assert problems == [] and again is not None and original is not None
    assert [r.values for p in again.papers for r in p.results] == [
        r.values for p in original.papers for r in p.results
    ]
    records = json.loads(run("export", *catalog("--format", "json")).out)
    lean = next(r for p in records for r in p["results"] if r["method"] == "Lean")
    assert lean["values"] == {
        "memory": {"times_less": 54},
        "latency": {"times_less": 10},
        "quality": {"percent_or_points": 4},
    }


@settings(max_examples=40, deadline=None)
@given(
    exact=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), min_size=1, max_size=8),
    ranges=st.lists(
        st.tuples(st.integers(0, 20), st.integers(1, 5), st.integers(0, 20)), min_size=1, max_size=4
    ),
)
def test_may_be_on_the_frontier_is_not_dominated_at_its_best_end(tmp_path_factory, exact, ranges):
    from catalog.query.pairs import parse_pair
    from catalog.query.points import qualified
    from catalog.store.store import open_store

    folder = tmp_path_factory.mktemp("c")
    lines = [HEAD, "papers:\n  - id: p\n    title: P\n    results:\n"]
    for qx, qy in exact:
        lines.append(f"      - {{method: E, values: {{quality: {qx}, latency: {qy}}}, source: T}}\n")
    for low, width, qy in ranges:
        lines.append(
            f"      - {{method: R, values: {{quality: {{between: [{low}, {low + width}]}}, latency: {qy}}}, "
            "source: T}\n"
        )
    (folder / "c.yaml").write_text("".join(lines))
    store = open_store([folder], use_cache=False)
    x, y = parse_pair(store, "quality:latency")
    found = [r["may_be_on_frontier"] for r in qualified(store, x, y)]
    # Quality is better higher, latency lower: a range's best end is its high quality.
    expected = [
        not any(ex >= low + width and ey <= qy and (ex > low + width or ey < qy) for ex, ey in exact)
        for low, width, qy in ranges
    ]
    assert found == expected


def test_the_pair_picker_counts_qualified_points_apart():
    from catalog.query.explore import Explorer
    from catalog.store.store import open_store
    from tui.screens.dialogs import _counts

    explorer = Explorer(open_store([CLAIMS], use_cache=False))
    (row,) = [p for p in explorer.pairs(list(explorer.order)) if p.spec == "latency:quality"]
    assert (row.points, row.qualified) == (4, 4)
    assert _counts(row) == "4 points (+4 qualified), 2 papers"


def test_a_plot_of_a_pair_met_only_in_relative_values_suggests_the_pair_that_has_points(run):
    empty = run("plot", *catalog("latency:memory", "--width", "60", "--height", "10"))
    assert "its values are relative: try `tradeoffs plot latency@ratio:memory@ratio` (1 point)" in empty.err
    again = run("plot", *catalog("latency@ratio:memory@ratio", "--width", "60", "--height", "10"))
    assert again.code == 0 and "1 point, 1 on the frontier" in again.out
    listed = json.loads(run("pairs", *catalog("--format", "json")).out)
    (pair,) = [p for p in listed if (p["x"], p["y"]) == ("latency", "memory")]
    assert pair["relative_modes"] == ["ratio:ratio"]
