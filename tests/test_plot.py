"""Many points are reduced to the plot's cells before drawing (by the core's SQL), without
changing what the plot says; and the app's plot asks for that reduction when it needs it."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult

from catalog.query.explore import Explorer
from catalog.query.points import plot_points, points
from tui.plot import PlotPoint, render_plot, wrap_parts
from tui.widgets.frontier_plot import REDUCE_ABOVE, FrontierPlot

from .test_app import until
from .test_frontier_sql import open_pair

WIDTH, HEIGHT = 60, 20


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    """A pair with several points per cell of a 60 x 20 plot, and two that dominate them all."""
    rng = random.Random(1)
    many = [(rng.randint(1, 100), rng.randint(1, 100)) for _ in range(REDUCE_ABOVE * WIDTH * HEIGHT * 2)]
    return open_pair(tmp_path_factory, [many, [(101, 1), (0, 0)]], "higher", "lower")


def drawn(found) -> list[PlotPoint]:
    return [PlotPoint(p["x"], p["y"], p["on_frontier"]) for p in found]


def test_a_reduced_plot_says_what_the_whole_plot_says(cloud):
    store, x, y = cloud
    data = plot_points(store, x, y, cols=WIDTH, rows=HEIGHT)
    reduced = [PlotPoint(p["x"], p["y"], True) for p in data.frontier]
    reduced += [PlotPoint(px, py, False) for px, py in data.others]
    whole = drawn(points(store, x, y))
    assert len(reduced) <= (WIDTH + 1) * (HEIGHT + 1) * 2 < len(whole)
    counts = (data.total, data.shown, data.on_frontier)
    assert counts == (len(whole), len(whole), sum(p.on_frontier for p in whole))
    small = render_plot(reduced, x, y, width=WIDTH, height=HEIGHT, colour=False, counts=counts)
    full = render_plot(whole, x, y, width=WIDTH, height=HEIGHT, colour=False)
    assert small.splitlines()[-1] == full.splitlines()[-1]
    assert f"{len(whole):,} points, {counts[2]} on the frontier" in small


class PlotOnly(App[None]):
    def compose(self) -> ComposeResult:
        yield FrontierPlot()


async def test_the_apps_plot_draws_many_points_from_the_reduction_at_its_size(cloud):
    store, _, _ = cloud
    explorer = Explorer(store)
    frontier = explorer.frontier("ox:oy", list(explorer.order))
    asked: list[tuple[int, int, bool, bool]] = []

    def reduce(cols: int, rows: int, log_x: bool, log_y: bool):
        asked.append((cols, rows, log_x, log_y))
        return explorer.plot_data(frontier, list(explorer.order), cols, rows, log_x, log_y)

    app = PlotOnly()
    async with app.run_test(size=(WIDTH, HEIGHT + 1)) as pilot:
        plot = app.query_one(FrontierPlot)
        plot.show(frontier, reduce)
        await until(pilot, lambda: plot.reduced)
        assert asked == [(WIDTH, HEIGHT, False, False)]
        text = "\n".join(line.text for line in plot.render_lines(plot.region.reset_offset))
        assert f"{len(frontier.points):,} points" in text
        plot.log_mode = 1  # a log scale is another reduction
        await until(pilot, lambda: len(asked) == 2)
        assert asked[-1] == (WIDTH, HEIGHT, True, False)


async def test_a_few_points_are_drawn_as_they_are(tmp_path_factory):
    store, _, _ = open_pair(tmp_path_factory, [[(1, 2), (3, 4)]], "higher", "higher")
    explorer = Explorer(store)
    asked = []
    app = PlotOnly()
    async with app.run_test(size=(WIDTH, HEIGHT + 1)) as pilot:
        plot = app.query_one(FrontierPlot)
        plot.show(explorer.frontier("ox:oy", list(explorer.order)), lambda *args: asked.append(args))
        await pilot.pause(0.2)
        text = "\n".join(line.text for line in plot.render_lines(plot.region.reset_offset))
        assert asked == [] and not plot.reduced
        assert "2 points, 1 on the frontier" in text


@settings(max_examples=200, deadline=None)
@given(
    low=st.floats(-1e6, 1e6, allow_nan=False),
    span=st.floats(1e-6, 1e6, allow_nan=False),
    count=st.integers(2, 12),
)
def test_ticks_are_round_numbers_evenly_spaced_inside_the_range(low, span, count):
    from tui.plot import nice_ticks

    high = low + span
    ticks = nice_ticks(low, high, count)
    slack = span * 1e-6 + max(abs(low), abs(high)) * 1e-12  # a float's own rounding
    assert ticks and all(low - slack <= t <= high + slack for t in ticks)
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ticks)}
    assert len(steps) <= 1 or max(steps) - min(steps) <= max(steps) * 1e-6
    assert len(ticks) <= 2 * count + 1


def test_a_plot_at_a_small_height_labels_round_even_ticks_and_pads_within_bounds(run):
    text = run("plot", "accuracy_retained:bits_per_weight", "--height", "8", "--width", "60").out
    x_labels = [float(v) for v in text.splitlines()[6].split()]
    assert max(x_labels) <= 100  # accuracy retained never padded past 100%
    steps = {round(b - a, 9) for a, b in itertools.pairwise(x_labels)}
    assert len(steps) == 1
    rows = [float(line.split("┤")[0]) for line in text.splitlines() if "┤" in line]
    assert rows == [4.0, 3.0]  # round, and one apart: the point at 3.25 sits on the row of 3


@given(
    st.lists(st.text(alphabet="ab ◉◈●", min_size=1, max_size=30), min_size=1, max_size=6),
    st.integers(min_value=10, max_value=80),
)
def test_the_legend_wraps_between_its_parts_and_never_cuts_one_that_fits(parts, width):
    lines = wrap_parts(parts, "; ", width)
    assert all(len(line) <= width for line in lines)
    text = "\n".join(lines)
    for part in parts:
        if len(part) <= width:
            assert part in text


def test_plots_drawn_in_two_threads_at_once_are_each_the_plot_drawn_alone(cloud):
    """plotext has one figure per process: the app's pages draw in threads while its plot
    draws on the UI thread, and neither may draw into the other."""
    from concurrent.futures import ThreadPoolExecutor

    store, x, y = cloud
    whole = drawn(points(store, x, y))
    plots = {
        "few": (whole[:40], WIDTH, HEIGHT),
        "all": (whole, WIDTH + 20, HEIGHT + 5),
    }
    alone = {name: render_plot(p, x, y, width=w, height=h, colour=False) for name, (p, w, h) in plots.items()}
    assert alone["few"] != alone["all"]

    def draw(name: str) -> tuple[str, str]:
        found, w, h = plots[name]
        return name, render_plot(found, x, y, width=w, height=h, colour=False)

    with ThreadPoolExecutor(2) as pool:
        for name, text in pool.map(draw, ["few", "all"] * 10):
            assert text == alone[name], name
