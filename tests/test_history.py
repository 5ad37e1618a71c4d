"""The frontier through time, checked against brute force: the papers published by a date
(a date written as a year or a month means its last day), and every date the frontier moved,
with what entered it, what it displaced and the hypervolume after."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.query import dominance
from catalog.query import history as h
from catalog.query.pairs import parse_pair
from catalog.store.store import open_store

from .test_frontier_sql import write_catalog
from .test_pareto import brute_force
from .test_questions import brute_hypervolume

MINI = ["--no-default", "--catalog", str(Path(__file__).parent / "fixtures" / "mini")]
DATES = ["2021", "2021-06", "2021-06-15", "2021-12-31", "2022-02", "2022-02-28", "2023", None]
LAST_DAYS = {
    "2021": dt.date(2021, 12, 31),
    "2021-06": dt.date(2021, 6, 30),
    "2021-06-15": dt.date(2021, 6, 15),
    "2021-12-31": dt.date(2021, 12, 31),
    "2022-02": dt.date(2022, 2, 28),
    "2022-02-28": dt.date(2022, 2, 28),
    "2023": dt.date(2023, 12, 31),
}

papers_in_time = st.lists(
    st.tuples(
        st.sampled_from(DATES),
        st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=1, max_size=4),
    ),
    min_size=1,
    max_size=7,
)


def opened(tmp_path_factory, papers, bx="higher", by="lower"):
    folder = tmp_path_factory.mktemp("dated")
    write_catalog(folder, [points for _, points in papers], bx, by, [date for date, _ in papers])
    store = open_store([folder], use_cache=False)
    return store, *parse_pair(store, "ox:oy")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(papers_in_time, st.sampled_from([d for d in DATES if d]))
def test_the_papers_published_by_a_date_are_those_surely_published_by_its_last_day(
    tmp_path_factory, papers, as_of
):
    store, _, _ = opened(tmp_path_factory, papers)
    kept = h.published_by(store, as_of)
    by = LAST_DAYS[as_of]
    assert kept.ids == [f"p{i}" for i, (d, _) in enumerate(papers) if d and LAST_DAYS[d] <= by]
    assert kept.undated == sum(1 for d, _ in papers if d is None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(papers_in_time, st.sampled_from(["higher", "lower"]), st.sampled_from(["higher", "lower"]))
def test_every_step_of_the_frontier_is_what_brute_force_finds(tmp_path_factory, papers, bx, by):
    store, x, y = opened(tmp_path_factory, papers, bx, by)
    moved = h.history(store, x, y)
    dated = [
        (LAST_DAYS[d], f"p{i}", f"m{i}-{r}", float(px), float(py))
        for i, (d, pts) in enumerate(papers)
        if d
        for r, (px, py) in enumerate(pts)
    ]
    assert moved.undated == sum(len(pts) for d, pts in papers if d is None)
    everything = [(p[3], p[4]) for p in dated]
    expected = []
    before: set[tuple[str, str]] = set()
    for day in sorted({p[0] for p in dated}):
        so_far = [p for p in dated if p[0] <= day]
        mask = brute_force([p[3] for p in so_far], [p[4] for p in so_far], bx, by)
        now = {(p[1], p[2]) for p, on in zip(so_far, mask) if on}
        entered = sorted(k for k in now - before if any(p[0] == day and (p[1], p[2]) == k for p in so_far))
        if entered:
            ref = dominance.reference_point(everything, bx, by)
            area = brute_hypervolume([(p[3], p[4]) for p in so_far], bx, by, ref)
            expected.append((day, entered, sorted(before - now), area))
        before = now
    got = [
        (
            s.date,
            sorted((p["paper_id"], p["method"]) for p in s.entered),
            sorted((p["paper_id"], p["method"]) for p in s.displaced),
            s.hypervolume,
        )
        for s in moved.steps
    ]
    assert [g[:3] for g in got] == [e[:3] for e in expected]
    assert all(abs(g[3] - e[3]) < 1e-9 for g, e in zip(got, expected))


def test_history_says_when_the_frontier_moved_and_what_it_displaced(run):
    said = run("history", "quality:wait", *MINI)
    assert said.code == 0, said.err
    assert "the frontier moved 2 times" in said.out
    lines = said.out.splitlines()
    assert any(line.startswith("2022-11-30  Quiet model (1)") for line in lines)
    assert any(
        line.startswith("2024-03-05  Swift Sampler (2); Swift Sampler tiny (2)  Quiet model (1)")
        for line in lines
    )
    assert "published (year)" in said.out  # the small plot of the hypervolume over time
    steps = json.loads(run("history", "quality:wait", *MINI, "--format", "json").out)
    assert [s["date"] for s in steps] == ["2022-11-30", "2024-03-05"]
    assert steps[0]["hypervolume"] < steps[1]["hypervolume"]


def test_as_of_keeps_the_papers_published_by_then_in_plot_export_and_frontier(run):
    frontier = json.loads(run("frontier", "quality:wait", *MINI, "--as-of", "2023", "--format", "json").out)
    assert [r["paper_id"] for r in frontier] == ["quiet-baseline"]
    papers = json.loads(run("export", *MINI, "--as-of", "2023", "--format", "json").out)
    assert sorted(p["id"] for p in papers) == ["lean-quant", "quiet-baseline"]  # "2023" is its last day
    assert sorted(
        p["id"] for p in json.loads(run("export", *MINI, "--as-of", "2023-06", "--format", "json").out)
    ) == ["quiet-baseline"]
    plotted = run("plot", "quality:wait", *MINI, "--as-of", "2024-03-04")
    assert "1 point, 1 on the frontier" in plotted.out
    bad = run("plot", "quality:wait", *MINI, "--as-of", "2023-02-30")
    assert bad.code == 2 and "'2023-02-30' is not a date that exists" in bad.err


async def test_t_steps_the_apps_plot_through_the_dates_its_frontier_moved():
    from tui.app import TradeoffsApp

    from .test_app import pick_pair, plot_text, started, status, until

    app = TradeoffsApp([Path(__file__).parent / "fixtures" / "mini"])
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        assert "4 points" in plot_text(app)
        for as_of, drawn in (("2022-11-30", "1 point,"), ("2024-03-05", "4 points")):
            await pilot.press("t")
            await until(pilot, lambda a=as_of, d=drawn: f"as of {a}" in status(app) and d in plot_text(app))
        await pilot.press("t")  # after the last date: today again
        await until(pilot, lambda: "as of" not in status(app) and "4 points" in plot_text(app))


def test_the_command_a_plot_offers_for_more_points_keeps_its_date(run, tmp_path):
    from .test_frontier_sql import write_catalog

    # 60 points on one frontier, dated 2023: more than a plot lists.
    write_catalog(tmp_path, [[(i, 100 - i) for i in range(60)]], "higher", "higher", ["2023"])
    shown = run("plot", "ox:oy", "--no-default", "--catalog", str(tmp_path), "--as-of", "2024")
    assert shown.code == 0
    (hint,) = [line for line in shown.out.splitlines() if "more on the frontier" in line]
    assert "--as-of 2024" in hint
    command = hint.split("(", 1)[1].split(" lists them all")[0].split()[1:]
    listed = run(*command, "--format", "csv")
    assert listed.code == 0 and len(listed.out.splitlines()) == 61  # a header and every point
