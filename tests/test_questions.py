"""The frontier questions, each checked against a brute-force reading of its definition: what
dominates a point and how far it is from the frontier, what each frontier point alone adds to
the hypervolume, the knee, and the best value at a budget."""

from __future__ import annotations

import json
import math
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.errors import QueryError
from catalog.query import dominance as d

from .test_frontier_sql import write_catalog
from .test_pareto import brute_force

values = st.integers(-20, 20).map(float)
points = st.lists(st.tuples(values, values), min_size=1, max_size=14)
direction = st.sampled_from(["higher", "lower"])


def better(a: float, b: float, way: str) -> bool:
    """Whether value ``a`` is strictly better than ``b``."""
    return a > b if way == "higher" else a < b


def at_least(a: float, b: float, way: str) -> bool:
    return a == b or better(a, b, way)


def brute_dominates(a, b, bx, by) -> bool:
    return (
        at_least(a[0], b[0], bx)
        and at_least(a[1], b[1], by)
        and (better(a[0], b[0], bx) or better(a[1], b[1], by))
    )


def undominated(p, pts, bx, by) -> bool:
    return not any(brute_dominates(q, p, bx, by) for q in pts)


def moved(value: float, amount: float, way: str) -> float:
    """``value`` made better by ``amount``."""
    return value + amount if way == "higher" else value - amount


@settings(max_examples=200, deadline=None)
@given(points, direction, direction, st.data())
def test_dominators_are_exactly_the_points_that_dominate(pts, bx, by, data):
    i = data.draw(st.integers(0, len(pts) - 1))
    expected = [j for j, q in enumerate(pts) if brute_dominates(q, pts[i], bx, by)]
    assert d.dominators(pts, i, bx, by) == expected


def beaten_along(p, pts, axis: int, bx, by) -> bool:
    """Whether some point is better than ``p`` on ``axis`` and at least as good on the other."""
    ways = (bx, by)
    other = 1 - axis
    return any(
        better(q[axis], p[axis], ways[axis]) and at_least(q[other], p[other], ways[other]) for q in pts
    )


def beaten_on_both(p, pts, bx, by) -> bool:
    return any(better(q[0], p[0], bx) and better(q[1], p[1], by) for q in pts)


@settings(max_examples=200, deadline=None)
@given(points, direction, direction, st.data())
def test_the_shift_along_each_axis_is_the_least_that_reaches_the_staircase(pts, bx, by, data):
    i = data.draw(st.integers(0, len(pts) - 1))
    x, y = pts[i]
    far = d.distance(pts, i, bx, by)
    others = [q for j, q in enumerate(pts) if j != i]
    assert not beaten_along((moved(x, far.shift_x, bx), y), others, 0, bx, by)
    assert not beaten_along((x, moved(y, far.shift_y, by)), others, 1, bx, by)
    if far.shift_x > 0:  # any less, and some point is still better there
        assert beaten_along((moved(x, far.shift_x - 0.5, bx), y), others, 0, bx, by)
    if far.shift_y > 0:
        assert beaten_along((x, moved(y, far.shift_y - 0.5, by)), others, 1, bx, by)
    if undominated(pts[i], pts, bx, by):
        assert far == d.Distance(0.0, 0.0, 0.0)


@settings(max_examples=200, deadline=None)
@given(points, direction, direction, st.data())
def test_the_epsilon_distance_is_the_least_share_of_the_ranges_that_frees_the_point(pts, bx, by, data):
    i = data.draw(st.integers(0, len(pts) - 1))
    x, y = pts[i]
    eps = d.distance(pts, i, bx, by).epsilon
    span_x = (max(p[0] for p in pts) - min(p[0] for p in pts)) or 1.0
    span_y = (max(p[1] for p in pts) - min(p[1] for p in pts)) or 1.0
    others = [q for j, q in enumerate(pts) if j != i]

    def shifted(e: float):
        return (moved(x, e * span_x, bx), moved(y, e * span_y, by))

    # Up to rounding: eps times a range may fall a hair short of the value it was divided from.
    assert not beaten_on_both(shifted(eps * (1 + 1e-9) + 1e-12), others, bx, by)
    if eps > 0:
        assert beaten_on_both(shifted(eps * (1 - 1e-9) - 1e-12), others, bx, by)


def brute_hypervolume(pts, bx, by, ref) -> float:
    """The area dominated by ``pts`` up to ``ref``, as the union of their boxes, cell by cell."""
    sx, sy = (1 if bx == "higher" else -1), (1 if by == "higher" else -1)
    up = [(sx * x, sy * y) for x, y in pts]
    rx, ry = sx * ref[0], sy * ref[1]
    xs = sorted({rx, *(p[0] for p in up)})
    ys = sorted({ry, *(p[1] for p in up)})
    area = 0.0
    for x0, x1 in pairwise(xs):
        for y0, y1 in pairwise(ys):
            if any(p[0] >= x1 and p[1] >= y1 for p in up):  # the cell lies in some point's box
                area += (x1 - x0) * (y1 - y0)
    return area


@settings(max_examples=200, deadline=None)
@given(points, direction, direction)
def test_each_points_exclusive_hypervolume_is_what_the_frontier_loses_without_it(pts, bx, by):
    ref = d.reference_point(pts, bx, by)
    total = brute_hypervolume(pts, bx, by, ref)
    assert math.isclose(d.hypervolume(pts, bx, by, ref), total, abs_tol=1e-9)
    alone = d.exclusive_hypervolumes(pts, bx, by, ref)
    for i in range(len(pts)):
        without = brute_hypervolume([q for j, q in enumerate(pts) if j != i], bx, by, ref)
        assert math.isclose(alone[i], total - without, abs_tol=1e-9)


@given(points, direction, direction)
def test_the_reference_point_is_worse_than_every_point_on_both(pts, bx, by):
    rx, ry = d.reference_point(pts, bx, by)
    assert all(better(x, rx, bx) and better(y, ry, by) for x, y in pts)


@settings(max_examples=300, deadline=None)
@given(points, direction, direction)
def test_the_knee_is_the_frontier_point_farthest_beyond_the_line_between_its_ends(pts, bx, by):
    front = sorted({p for p in pts if undominated(p, pts, bx, by)})
    found = d.knee(pts, bx, by)
    if len(front) < 3:
        assert found is None
        return
    # The ends: best in x, and best in y; each value scaled to the frontier's range.
    sx, sy = (1 if bx == "higher" else -1), (1 if by == "higher" else -1)
    xs, ys = [sx * p[0] for p in front], [sy * p[1] for p in front]

    def beyond(p) -> float:
        u = (sx * p[0] - min(xs)) / ((max(xs) - min(xs)) or 1)
        v = (sy * p[1] - min(ys)) / ((max(ys) - min(ys)) or 1)
        return (u + v - 1) / math.sqrt(2)

    inner = [p for p in front if sx * p[0] not in (min(xs), max(xs))]
    best = max((beyond(p) for p in inner), default=0.0)
    if best <= 1e-12:
        assert found is None
    else:
        assert found is not None and math.isclose(beyond(pts[found]), best)
        assert undominated(pts[found], pts, bx, by)


@settings(max_examples=300, deadline=None)
@given(points, direction, direction, values)
def test_the_best_at_a_budget_is_the_best_reported_point_within_it(pts, bx, by, budget):
    found = d.best_at(pts, budget, bx, by)
    within = [p for p in pts if at_least(p[0], budget, bx)]
    if not within:
        assert found is None
        return
    assert found is not None and at_least(pts[found][0], budget, bx)
    assert not any(better(p[1], pts[found][1], by) for p in within)
    assert undominated(pts[found], within, bx, by)  # a point of the staircase, not one under it


# The command ---------------------------------------------------------------------------------

MINI = ["--no-default", "--catalog", str(Path(__file__).parent / "fixtures" / "mini")]


def test_frontier_lists_each_points_share_of_the_hypervolume(run):
    table = run("frontier", "quality:wait", *MINI)
    assert table.code == 0, table.err
    assert "4 points, 2 on the frontier" in table.out and "paper 1: swift-sampler" in table.out
    records = json.loads(run("frontier", "quality:wait", *MINI, "--format", "json").out)
    assert sorted((r["point"], r["quality"], r["wait"]) for r in records) == [
        ("Swift Sampler", 81.5, 12.0),
        ("Swift Sampler tiny", 70.2, 6.0),
    ]
    # Brute force: the area of the four points' boxes, with and without each frontier point.
    pts = [(81.5, 12.0), (80.1, 95.0), (70.2, 6.0), (75.0, 50.0)]
    ref = d.reference_point(pts, "higher", "lower")
    total = brute_hypervolume(pts, "higher", "lower", ref)
    for r in records:
        without = brute_hypervolume(
            [p for p in pts if p != (r["quality"], r["wait"])], "higher", "lower", ref
        )
        assert math.isclose(r["hypervolume_share"], (total - without) / total)


def test_frontier_explains_a_dominated_point_and_the_improvement_it_needs(run):
    said = run("frontier", "quality:wait", *MINI, "--explain", "quiet-baseline")
    assert said.code == 0, said.err
    assert "Quiet model [quiet-baseline]: quality 75, wait 50: dominated by 1 point" in said.out
    assert "quality +6.5 (to 81.5) or wait -38 (to 12)" in said.out
    on = run("frontier", "quality:wait", *MINI, "--explain", "swift-sampler/Swift Sampler tiny")
    assert "◆ Swift Sampler tiny [swift-sampler]" in on.out and "on the frontier" in on.out


def test_frontier_at_budgets_gives_the_points_that_reach_them(run):
    answer = json.loads(run("frontier", "wait:quality", *MINI, "--at", "5,10,50", "--format", "json").out)
    assert [(r["budget"], r["best"]) for r in answer] == [(5.0, None), (10.0, 70.2), (50.0, 81.5)]
    assert answer[2]["at"]["point"] == "Swift Sampler"


def test_frontier_names_the_papers_it_has_when_asked_about_another(run):
    said = run("frontier", "quality:wait", *MINI, "--explain", "nobody")
    assert said.code == 2 and "papers with points here: quiet-baseline, swift-sampler" in said.err
    bad = run("frontier", "quality:wait", *MINI, "--at", "1,two")
    assert bad.code == 2 and "expected numbers separated by commas" in bad.err


def test_the_plot_marks_the_knee_and_lists_it(run, tmp_path):

    write_catalog(tmp_path, [[(0, 10), (8, 8), (10, 0)], [(2, 2)]], "higher", "higher")
    shown = run(
        "plot", "ox:oy", "--no-default", "--catalog", str(tmp_path), "--width", "60", "--height", "16"
    )
    assert shown.code == 0, shown.err
    assert "✦ knee" in shown.out and "✦ m0-1 [p0]: ox 8, oy 8" in shown.out
    answer = json.loads(
        run("frontier", "ox:oy", "--no-default", "--catalog", str(tmp_path), "--format", "json").out
    )
    assert [r["point"] for r in answer if r["knee"]] == ["m0-1"]


async def test_the_apps_plot_marks_the_knee(tmp_path):
    from tui.app import TradeoffsApp

    from .test_app import pick_pair, plot_text, started, until

    write_catalog(tmp_path, [[(0, 10), (8, 8), (10, 0)], [(2, 2)]], "higher", "higher")
    app = TradeoffsApp([tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        await pick_pair(pilot, "ox:oy")
        await until(pilot, lambda: "✦ knee" in plot_text(app))
        assert plot_text(app).count("✦") == 2  # the point, and the legend saying what it is


async def test_w_explains_the_current_point_in_the_app():
    from textual.widgets import Static

    from tui.app import TradeoffsApp
    from tui.screens.dialogs import AnswerDialog

    from .test_app import pick_pair, started, until

    app = TradeoffsApp([Path(__file__).parent / "fixtures" / "mini"])
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        await pilot.press("w")  # no point stepped to yet: it says how
        await until(pilot, lambda: any("Step to a point first" in str(n.message) for n in app._notifications))
        await pilot.press("right_square_bracket", "right_square_bracket")  # along quality: 70.2, then 75
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, AnswerDialog))
        await until(pilot, lambda: bool(app.screen.query("#answer-text")))
        said = str(app.screen.query_one("#answer-text", Static).render())
        assert "Quiet model [quiet-baseline]: quality 75, wait 50: dominated by 1 point" in said
        assert "wait -38 (to 12)" in said
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, AnswerDialog))


def test_the_readmes_questions_show_what_the_commands_print(run, monkeypatch):
    import re
    import shlex

    monkeypatch.setenv("COLUMNS", "100")
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    section = readme.split("## Questions you can ask", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:console)?\n\$ tradeoffs (.*?)\n(.*?)```", section, re.S)
    assert len(blocks) == 7
    for command, shown in blocks:
        result = run(*shlex.split(command))
        assert result.code == 0, result.err
        assert result.out == shown, command


def test_the_readmes_first_plot_is_what_plot_prints(run, monkeypatch):
    import re
    import shlex

    monkeypatch.setenv("COLUMNS", "100")
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    command, shown = re.findall(r"```console\n\$ tradeoffs (plot .*?)\n(.*?)```", readme, re.S)[0]
    result = run(*shlex.split(command))
    assert result.code == 0, result.err
    assert result.out == shown


def mixture_dominates(a, b, p, bx, by) -> bool:
    """Brute force: whether some weighted average of ``a`` and ``b`` dominates ``p``, found
    exactly over the weights where the mixture's value is at least ``p``'s on each objective."""
    from fractions import Fraction

    sx, sy = (1 if bx == "higher" else -1), (1 if by == "higher" else -1)
    (ax, ay), (bx_, by_), (px, py) = [(Fraction(sx * u), Fraction(sy * v)) for u, v in (a, b, p)]
    # The mixture t*a + (1-t)*b at weight t; each objective gives an interval of good weights.
    low, high = Fraction(0), Fraction(1)
    for ua, ub, up in ((ax, bx_, px), (ay, by_, py)):
        slope, start = ua - ub, ub - up  # value - p's value = start + slope * t, must be >= 0
        if slope == 0:
            if start < 0:
                return False
        elif slope > 0:
            low = max(low, -start / slope)
        else:
            high = min(high, -start / slope)
    if low > high:
        return False
    # Some weight in [low, high] must be strictly better on one objective.
    for t in (low, high, (low + high) / 2):
        mx, my = t * ax + (1 - t) * bx_, t * ay + (1 - t) * by_
        if mx >= px and my >= py and (mx > px or my > py):
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(points, direction, direction)
def test_the_hull_is_the_points_no_mixture_of_two_dominates(pts, bx, by):
    mask = d.hull_mask(pts, bx, by)
    for i, p in enumerate(pts):
        beaten = any(
            mixture_dominates(a, b, p, bx, by) for j, a in enumerate(pts) for k, b in enumerate(pts) if j <= k
        )
        assert mask[i] == (not beaten), (p, pts)


def test_plot_hull_joins_the_frontier_by_its_hull_and_says_so(run, tmp_path):

    # (5, 4) is on the frontier but under the segment from (0, 10) to (10, 0).
    write_catalog(tmp_path, [[(0, 10), (5, 4), (10, 0)]], "higher", "higher")
    args = ["plot", "ox:oy", "--no-default", "--catalog", str(tmp_path), "--width", "60", "--height", "16"]
    steps, hull = run(*args), run(*args, "--hull")
    assert "lines: the hull" in hull.out and "lines: the hull" not in steps.out
    assert steps.out != hull.out  # other lines join the same points


async def test_h_joins_the_apps_plot_by_its_hull_for_that_pair(tmp_path):
    from tui.app import TradeoffsApp

    from .test_app import pick_pair, plot_text, started, until

    write_catalog(tmp_path, [[(0, 10), (5, 4), (10, 0)]], "higher", "higher")
    app = TradeoffsApp([tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        await pick_pair(pilot, "ox:oy")
        staircase = plot_text(app)
        await pilot.press("h")
        await until(pilot, lambda: "lines: the hull" in plot_text(app))
        await pilot.press("h")
        await until(pilot, lambda: plot_text(app) == staircase)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.sampled_from(["A100", "H100", None]), values, values), min_size=1, max_size=12),
    direction,
    direction,
)
def test_one_frontier_per_group_and_what_the_whole_hides_are_as_brute_force_says(
    tmp_path_factory, pts, bx, by
):
    from catalog.query import questions
    from catalog.query.pairs import parse_pair
    from catalog.store.store import open_store

    folder = tmp_path_factory.mktemp("groups")
    write_catalog(folder, [[(x, y, {"hardware": h} if h else None) for h, x, y in pts]], bx, by)
    store = open_store([folder], use_cache=False)
    answer = questions.frontier(store, *parse_pair(store, "ox:oy"))
    if all(h is None for h, _, _ in pts):
        with pytest.raises(QueryError):
            questions.by_group(answer, "hardware")
        return
    everyone = brute_force([p[1] for p in pts], [p[2] for p in pts], bx, by)
    for group in questions.by_group(answer, "hardware"):
        value = None if group.value == "not stated" else group.value
        members = [i for i, p in enumerate(pts) if p[0] == value]
        mask = brute_force([pts[i][1] for i in members], [pts[i][2] for i in members], bx, by)
        own = [i for i, on in zip(members, mask) if on]
        assert group.points == len(members)
        assert sorted(p["method"] for p in group.frontier) == sorted(f"m0-{i}" for i in own)
        assert group.hidden == sum(1 for i in own if not everyone[i])


def test_frontier_by_a_condition_says_what_the_whole_frontier_hides(run, tmp_path):
    points = [(5, 5, {"hardware": "A100"}), (4, 4, {"hardware": "H100"}), (6, 1, {"hardware": "H100"})]
    write_catalog(tmp_path, [points], "higher", "higher")
    said = run("frontier", "ox:oy", "--no-default", "--catalog", str(tmp_path), "--by", "hardware")
    assert said.code == 0, said.err
    rows = [line.split() for line in said.out.splitlines()[1:3]]
    assert rows == [["H100", "2", "2", "1"], ["A100", "1", "1", "0"]]  # (4, 4) is hidden by (5, 5)
