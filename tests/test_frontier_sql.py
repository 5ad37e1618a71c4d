"""The frontier as the catalog's SQL computes it: listed points and plot data, against brute force."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from catalog.query import pairs as query_pairs
from catalog.query import points as query
from catalog.store.store import open_store

from .test_pareto import brute_force

# Few distinct values, so ties and exact duplicates are common; some are not positive, for log axes.
value = st.integers(min_value=-2, max_value=12)
papers_of_points = st.lists(
    st.lists(st.tuples(value, value), min_size=1, max_size=3), min_size=1, max_size=12
)
direction = st.sampled_from(["higher", "lower"])


def write_catalog(
    folder,
    papers: list[list[tuple]],
    better_x: str,
    better_y: str,
    dates: Sequence[str | None] = (),
) -> None:
    """One paper per list of points, one result per point. A point is (x, y), or (x, y,
    conditions) with its conditions as a mapping; ``dates`` gives papers a ``published``."""
    lines = [
        "objectives:",
        f"  ox: {{label: X, better: {better_x}}}",
        f"  oy: {{label: Y, better: {better_y}}}",
        "papers:",
    ]
    for i, points in enumerate(papers):
        lines += [f"  - id: p{i}", f"    title: Paper {i}"]
        if i < len(dates) and dates[i]:
            lines.append(f'    published: "{dates[i]}"')
        lines.append("    results:")
        for r, (x, y, *more) in enumerate(points):
            lines += [
                f"      - method: m{i}-{r}",
                f"        values: {{ox: {x}, oy: {y}}}",
                f"        source: Table {r + 1}",
            ]
            if more and more[0]:
                said = ", ".join(f"{k}: {v}" for k, v in more[0].items())
                lines.append(f"        conditions: {{{said}}}")
    (folder / "c.yaml").write_text("\n".join(lines) + "\n")


def expected_points(papers, better_x, better_y) -> list[tuple[str, str, float, float, bool]]:
    flat = [
        (f"p{i}", f"m{i}-{r}", float(x), float(y))
        for i, pts in enumerate(papers)
        for r, (x, y) in enumerate(pts)
    ]
    mask = brute_force([p[2] for p in flat], [p[3] for p in flat], better_x, better_y)
    return [(*p, on) for p, on in zip(flat, mask)]


def open_pair(tmp_path_factory, papers, better_x, better_y):
    """A catalog of these papers' points, opened, with its pair ox:oy."""
    folder = tmp_path_factory.mktemp("catalog")
    write_catalog(folder, papers, better_x, better_y)
    store = open_store([folder], use_cache=False)
    return (store, *query_pairs.parse_pair(store, "ox:oy"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(papers=papers_of_points, better_x=direction, better_y=direction, frontier_only=st.booleans())
def test_listed_points_are_flagged_as_brute_force_says(
    tmp_path_factory, papers, better_x, better_y, frontier_only
):
    store, x, y = open_pair(tmp_path_factory, papers, better_x, better_y)
    listed = query.points(store, x, y, frontier_only=frontier_only)
    got = [(p["paper_id"], p["method"], p["x"], p["y"], p["on_frontier"]) for p in listed]
    expected = expected_points(papers, better_x, better_y)
    assert got == [p for p in expected if p[4] or not frontier_only]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(papers=papers_of_points, better_x=direction, better_y=direction, data=st.data())
def test_a_papers_filter_takes_the_frontier_among_those_papers_only(
    tmp_path_factory, papers, better_x, better_y, data
):
    store, x, y = open_pair(tmp_path_factory, papers, better_x, better_y)
    kept = data.draw(st.sets(st.integers(0, len(papers) - 1)))
    listed = query.points(store, x, y, [f"p{i}" for i in sorted(kept)])
    got = [(p["paper_id"], p["method"], p["x"], p["y"], p["on_frontier"]) for p in listed]
    subset = [pts if i in kept else [] for i, pts in enumerate(papers)]
    assert got == expected_points(subset, better_x, better_y)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    papers=papers_of_points,
    better_x=direction,
    better_y=direction,
    log_x=st.booleans(),
    log_y=st.booleans(),
    grid=st.sampled_from([(1, 1), (3, 2), (40, 12)]),
)
# A staircase of four frontier points, two of them sharing the middle cell.
@example([[(0, 3), (1, 2), (2, 1), (3, 0)]], "higher", "higher", False, False, (1, 1))
def test_plot_data_draws_each_frontier_cell_once_and_counts_exactly(
    tmp_path_factory, papers, better_x, better_y, log_x, log_y, grid
):
    store, x, y = open_pair(tmp_path_factory, papers, better_x, better_y)
    data = query.plot_points(store, x, y, cols=grid[0], rows=grid[1], log_x=log_x, log_y=log_y)

    expected = expected_points(papers, better_x, better_y)
    drawable = [p for p in expected if (not log_x or p[2] > 0) and (not log_y or p[3] > 0)]
    front = {(p[0], p[1], p[2], p[3]) for p in drawable if p[4]}
    rest = {(p[2], p[3]) for p in drawable if not p[4]}
    assert (data.total, data.shown, data.on_frontier) == (len(expected), len(drawable), len(front))
    # One point per cell: each drawn point is a real one, and no two drawn points coincide.
    drawn = [(p["paper_id"], p["method"], p["x"], p["y"]) for p in data.frontier]
    assert set(drawn) <= front and (len(drawn) > 0) == (len(front) > 0)
    assert len({(p[2], p[3]) for p in drawn}) == len(drawn)
    assert set(data.others) <= rest and (len(data.others) > 0) == (len(rest) > 0)
    assert len(set(data.others)) == len(data.others)


def plotted(data: query.PlotData) -> tuple:
    """What a plot draws, in a fixed order: the counts, where each frontier point is, and where
    each cell of other points is drawn along x (among points tied at a cell's least x, which
    one stands for the cell, and which paper a frontier point's tie names, is either's)."""
    return (
        data.total,
        data.shown,
        data.on_frontier,
        sorted((p["x"], p["y"]) for p in data.frontier),
        sorted(x for x, _ in data.others),
        sorted(data.qualified, key=repr),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    papers=papers_of_points,
    better_x=direction,
    better_y=direction,
    log_x=st.booleans(),
    grid=st.sampled_from([(1, 1), (3, 2), (40, 12)]),
    columns=st.sampled_from([1, 2, 3, 4096]),
)
def test_the_pruned_plan_draws_exactly_what_the_whole_window_draws(
    tmp_path_factory, papers, better_x, better_y, log_x, grid, columns
):
    from unittest import mock

    store, x, y = open_pair(tmp_path_factory, papers, better_x, better_y)
    size = {"cols": grid[0], "rows": grid[1], "log_x": log_x}
    with mock.patch.object(query, "_prune", lambda *args: False):
        whole = query.plot_points(store, x, y, **size)
    with (
        mock.patch.object(query, "_prune", lambda *args: True),
        mock.patch.object(query, "X_COLUMNS", columns),
    ):
        pruned = query.plot_points(store, x, y, **size)
    assert plotted(pruned) == plotted(whole)


def test_the_pruned_plan_is_chosen_when_a_sample_says_most_points_are_dominated():
    import duckdb

    from catalog.store.store import Store
    from catalog.store.update import create_tables

    for values, most_dominated in ((("random() * 1000", "random() * 1000"), True), (("i", "-i"), False)):
        con = duckdb.connect()
        create_tables(con)
        con.execute("INSERT INTO objectives (id, label, better, aliases) VALUES ('a', 'A', 'higher', [])")
        con.execute("INSERT INTO objectives (id, label, better, aliases) VALUES ('b', 'B', 'higher', [])")
        for oid, value in zip("ab", values):
            con.execute(
                "INSERT INTO results (paper_id, result_no, method, source, line, objective, value, mode, "
                f"point) SELECT 'p', i, 'm', 'T1', 0, '{oid}', ({value})::DOUBLE, 'absolute', i "
                "FROM range(1000000) t(i)"
            )
        store = Store(con, Path(":memory:"), False)
        x, y = query_pairs.parse_pair(store, "a:b")
        params, only_papers = query._params(x, y, None)
        assert query._prune(store, params, only_papers) is most_dominated, values
        con.close()
