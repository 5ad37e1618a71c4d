"""The frontier questions where two points can be mixed (``--hull``), each checked against a
brute-force reading: the area the mixtures dominate, what each hull point alone adds to it,
how far a point is from the hull, which mixture dominates it, and the hull's knee."""

from __future__ import annotations

import json
import math
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.query import dominance as d

from .test_frontier_sql import write_catalog
from .test_questions import direction, points

Up = tuple[float, float]


def up(p, bx, by) -> Up:
    """``p`` where higher is better on both."""
    return (p[0] if bx == "higher" else -p[0], p[1] if by == "higher" else -p[1])


def reach(pts: list[Up], x: float) -> float:
    """The best y of any mixture of two points (or one point) whose x is at least ``x``: on
    each segment, y is linear, so its best is at an end of the part of the segment within."""
    best = -math.inf
    for a in pts:
        for b in pts:
            ends = [0.0, 1.0]
            if a[0] != b[0]:
                ends.append((x - a[0]) / (b[0] - a[0]))
            for t in ends:
                if 0 <= t <= 1:
                    mx, my = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
                    if mx >= x - 1e-9:
                        best = max(best, my)
    return best


def mixed_area(pts: list[Up], ref: Up) -> float:
    """The area under ``reach`` from the reference point: ``reach`` is linear between the
    points' x values, so the trapezoids between them add up to it exactly."""
    stops = sorted({ref[0], *(x for x, _ in pts)})
    area = 0.0
    for a, b in pairwise(stops):
        ya, yb = reach(pts, a), reach(pts, b)
        area += (b - a) * ((max(ya, ref[1]) + max(yb, ref[1])) / 2 - ref[1])
    return area


@settings(max_examples=200, deadline=None)
@given(points, direction, direction)
def test_the_mixed_hypervolume_and_each_hull_points_share_are_as_brute_force_says(pts, bx, by):
    ref = d.reference_point(pts, bx, by)
    ups, up_ref = [up(p, bx, by) for p in pts], up(ref, bx, by)
    total = mixed_area(ups, up_ref)
    assert math.isclose(d.hypervolume(pts, bx, by, ref, mixing=True), total, rel_tol=1e-9, abs_tol=1e-9)
    # Mixing never loses ground: the hull dominates at least what the staircase does.
    assert total >= d.hypervolume(pts, bx, by, ref) - 1e-9
    alone = d.exclusive_hypervolumes(pts, bx, by, ref, mixing=True)
    for i in range(len(pts)):
        without = mixed_area([q for j, q in enumerate(ups) if j != i], up_ref)
        assert math.isclose(alone[i], total - without, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=200, deadline=None)
@given(points, direction, direction, st.data())
def test_the_distance_to_the_hull_is_the_least_that_reaches_it(pts, bx, by, data):
    i = data.draw(st.integers(0, len(pts) - 1))
    ups = [up(p, bx, by) for p in pts]
    px, py = ups[i]
    far = d.distance(pts, i, bx, by, mixing=True)
    if reach(ups, px) <= py + 1e-9:  # no mixture is better in y at its x: on the hull's edge
        assert (far.shift_x, far.shift_y, far.epsilon) == (0.0, 0.0, 0.0)
        return
    assert math.isclose(far.shift_y, reach(ups, px) - py, abs_tol=1e-9)
    flipped = [(y, x) for x, y in ups]
    assert math.isclose(far.shift_x, max(reach(flipped, py) - px, 0.0), abs_tol=1e-9)
    # Epsilon: moved by it on both, along the ranges, no mixture is better on both any more;
    # moved by less, one still is.
    span_x = (max(x for x, _ in ups) - min(x for x, _ in ups)) or 1.0
    span_y = (max(y for _, y in ups) - min(y for _, y in ups)) or 1.0

    def freed(e: float) -> bool:  # no mixture strictly better on both (up to rounding)
        return reach(ups, px + e * span_x + 1e-7) <= py + e * span_y + 1e-7

    assert freed(far.epsilon)
    assert far.epsilon == 0 or not freed(far.epsilon - 1e-4)


@settings(max_examples=200, deadline=None)
@given(points, direction, direction, st.data())
def test_the_mixture_named_for_a_point_under_the_hull_dominates_it(pts, bx, by, data):
    i = data.draw(st.integers(0, len(pts) - 1))
    edge = d.hull_edge(pts, i, bx, by)
    on_hull = d.hull_mask(pts, bx, by)
    assert (edge is None) == on_hull[i]
    if edge is None:
        return
    j, k = edge
    assert on_hull[j] and on_hull[k]
    a, b, (px, py) = up(pts[j], bx, by), up(pts[k], bx, by), up(pts[i], bx, by)
    assert reach([a, b], px) >= py - 1e-9


@settings(max_examples=200, deadline=None)
@given(points, direction, direction)
def test_the_hulls_knee_is_its_point_farthest_beyond_the_line_between_its_ends(pts, bx, by):
    on_hull = d.hull_mask(pts, bx, by)
    hull = sorted({up(p, bx, by) for p, on in zip(pts, on_hull) if on})
    found = d.knee(pts, bx, by, mixing=True)
    if len(hull) < 3:
        assert found is None
        return
    (x0, _), (x1, _) = hull[0], hull[-1]
    ys = [y for _, y in hull]

    def beyond(p: Up) -> float:
        u, v = (p[0] - x0) / ((x1 - x0) or 1), (p[1] - min(ys)) / ((max(ys) - min(ys)) or 1)
        return (u + v - 1) / math.sqrt(2)

    best = max(beyond(p) for p in hull[1:-1])
    if best <= 1e-12:
        assert found is None
    else:
        assert found is not None and on_hull[found]
        assert math.isclose(beyond(up(pts[found], bx, by)), best)


def test_frontier_hull_answers_for_the_hull_and_names_the_mixture_under_it(run, tmp_path):
    # (5, 4) is on the staircase but under the segment from (0, 10) to (10, 0): a mix of the
    # two dominates it.
    write_catalog(tmp_path, [[(0, 10), (5, 4), (10, 0)]], "higher", "higher")
    args = ["frontier", "ox:oy", "--no-default", "--catalog", str(tmp_path)]
    steps, hull = run(*args), run(*args, "--hull")
    assert "3 on the frontier" in steps.out
    assert "2 on the hull" in hull.out
    explained = run(*args, "--hull", "--explain", "p0/m0-1")
    assert explained.code == 0
    assert "under the hull, dominated by a mix of m0-0 [p0] and m0-2 [p0]; by no point alone" in explained.out
    assert "to reach the hull's edge alone: ox +1 (to 6) or oy +1 (to 5)" in explained.out
    record = json.loads(run(*args, "--hull", "--explain", "p0/m0-1", "--format", "json").out)[0]
    assert [p["point"] for p in record["mixed_from"]] == ["m0-0", "m0-2"]
    assert record["on_frontier"] is False


def test_frontier_hull_does_not_read_budgets_or_groups(run):
    for option in (["--at", "3"], ["--by", "paper"]):
        found = run("frontier", "ox:oy", "--hull", *option)
        assert found.code == 2
        assert "reads the staircase of the points reported: leave out --hull" in found.err


async def test_the_apps_hull_choice_is_kept_per_pair_for_next_time(tmp_path):
    from catalog.state import load_state
    from tui.app import TradeoffsApp

    from .test_app import pick_pair, plot_text, started, until

    write_catalog(tmp_path, [[(0, 10), (5, 4), (10, 0)]], "higher", "higher")
    app = TradeoffsApp([tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        await pick_pair(pilot, "ox:oy")
        await pilot.press("h")
        await until(pilot, lambda: "lines: the hull" in plot_text(app))
    assert load_state()[0].hull_pairs == ["ox:oy"]
    again = TradeoffsApp([tmp_path])
    async with again.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        await pick_pair(pilot, "ox:oy")
        await until(pilot, lambda: "lines: the hull" in plot_text(again))  # as it was left
        await pilot.press("h")
        await until(pilot, lambda: "lines: the hull" not in plot_text(again) and "◆" in plot_text(again))
    assert load_state()[0].hull_pairs == []


def test_the_epsilon_to_the_hull_holds_when_the_step_lands_on_the_hulls_last_point():
    # Found by the property above: -6 + (15 / 29) * 29 is a hair past 9, the hull's last x,
    # where nothing reaches; the crossing is found at the hull point's own value instead.
    pts = [(0.0, 0.0), (-9.0, 0.0), (20.0, 0.0), (6.0, 1.0)]
    far = d.distance(pts, 3, "lower", "lower", mixing=True)
    assert (far.shift_x, far.shift_y) == (15.0, 1.0)
    assert math.isclose(far.epsilon, 15 / 29)
