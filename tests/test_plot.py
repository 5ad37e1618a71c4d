"""Many points are thinned to the plot's cells before drawing, without changing what it says."""

from __future__ import annotations

import random

from catalog.query.pairs import Axis
from tui.plot import THIN_ABOVE, PlotPoint, render_plot, thin

X = Axis("quality", "absolute", "Quality", None, "higher")
Y = Axis("wait", "absolute", "Wait", "ms", "lower")


def cloud(count: int, seed: int = 1) -> list[PlotPoint]:
    rng = random.Random(seed)
    points = [PlotPoint(rng.uniform(1, 100), rng.uniform(1, 100), False) for _ in range(count)]
    return [*points, PlotPoint(100.5, 0.5, True), PlotPoint(0.5, 0.2, True)]


def test_a_few_points_are_drawn_as_they_are():
    points = cloud(50)
    assert thin(points, 60, 20) == (points, (52, 52, 2))


def test_many_points_keep_the_frontier_the_extremes_and_one_per_cell():
    points = cloud(THIN_ABOVE * 60 * 20 * 3)
    drawn, counts = thin(points, 60, 20)
    assert counts == (len(points), len(points), 2)
    assert len(drawn) <= 61 * 21 + 2  # one per cell (the far edges too), and the frontier
    assert [p for p in drawn if p.on_frontier] == points[-2:]
    for pick in (min, max):
        assert pick(p.x for p in drawn) == pick(p.x for p in points)
        assert pick(p.y for p in drawn) == pick(p.y for p in points)


def test_a_thinned_plot_reports_every_point():
    points = cloud(THIN_ABOVE * 60 * 20 * 3)
    drawn, counts = thin(points, 60, 20)
    thinned = render_plot(drawn, X, Y, width=60, height=20, colour=False, counts=counts)
    whole = render_plot(points, X, Y, width=60, height=20, colour=False)
    assert thinned.splitlines()[-1] == whole.splitlines()[-1]
    assert f"{len(points)} points, 2 on the frontier" in thinned
    # The same axes, the same frontier: only where the cloud is dense can a marker move a cell.
    assert thinned.splitlines()[:2] == whole.splitlines()[:2]
    assert thinned.splitlines()[-4:] == whole.splitlines()[-4:]


def test_points_a_log_scale_cannot_draw_are_counted_not_drawn():
    points = [*cloud(THIN_ABOVE * 60 * 20 * 2), PlotPoint(-1.0, 5.0, False)]
    drawn, counts = thin(points, 60, 20, log_x=True)
    assert counts == (len(points), len(points) - 1, 2)
    assert all(p.x > 0 for p in drawn)
