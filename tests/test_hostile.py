"""Hostile inputs and faults: odd file names, extreme values and sizes, interrupts, damaged
caches and state, a missing home. Each ends in a clear message and a known exit code, never a
traceback, and nothing of the user's data is lost."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .test_app import started
from .test_frontier_sql import open_pair

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


def mini_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    shutil.copytree(MINI, folder)
    return folder


# File names are bytes ------------------------------------------------------------------------


@pytest.fixture
def odd_names(tmp_path: Path) -> Path:
    """A catalog with a valid file whose name is not UTF-8, and a broken one whose name holds a
    byte that is not UTF-8 and a newline."""
    folder = mini_copy(tmp_path)
    os.mkdir(os.fsencode(folder) + b"/sub\xfe")
    with open(os.fsencode(folder) + b"/sub\xfe/bad\xff.yaml", "wb") as handle:
        handle.write(b"papers: []\n")
    with open(os.fsencode(folder) + b"/two\nlines\xff.yaml", "wb") as handle:
        handle.write(b"papers:\n  - id: [\n")
    return folder


def test_a_file_name_that_is_not_utf8_is_shown_escaped_on_one_line(odd_names, run_process):
    result = run_process("validate", "--no-default", "--catalog", str(odd_names))
    assert result.code == 1 and "Traceback" not in result.err
    problem = next(line for line in result.err.splitlines() if "two" in line)
    assert problem.endswith(
        "YAML syntax error: while parsing a flow node (at line 3), did not find expected node content"
    )
    assert "two\\nlines\\xff.yaml:3:1:" in problem  # one line, the name escaped, its place kept


def test_every_command_works_with_such_names(odd_names, run_process):
    for args in (
        ["search", "swift"],
        ["pairs"],
        ["export", "--format", "csv"],
        ["sql", "SELECT count(*) AS n, list(file ORDER BY file) AS files FROM papers"],
    ):
        result = run_process(*args, "--no-default", "--catalog", str(odd_names), "--skip-broken")
        assert result.code == 0, result.err
        assert "Traceback" not in result.err
        assert "two\\nlines\\xff.yaml" in result.err  # named as left out, escaped


async def test_the_app_opens_with_such_names_and_lists_the_broken_one(odd_names):
    from textual.widgets import Static

    from tests.test_app import until
    from tui.app import TradeoffsApp
    from tui.screens.dialogs import ProblemsScreen

    app = TradeoffsApp([odd_names])
    async with app.run_test(size=(100, 24)) as pilot:
        await started(pilot)
        await pilot.press("exclamation_mark")
        await until(
            pilot, lambda: isinstance(app.screen, ProblemsScreen) and app.screen.query("#problems Static")
        )
        assert "two\\nlines\\xff.yaml:3:1" in str(app.screen.query_one("#problems Static", Static).render())


def test_the_cache_keeps_such_a_file_and_reads_it_again_only_when_it_changes(tmp_path):
    from catalog.store.store import open_store

    folder = mini_copy(tmp_path)
    name = os.fsencode(folder) + b"/more\xff.yaml"
    with open(name, "wb") as handle:
        handle.write(b"papers: []\n")
    assert open_store([folder]).files_read == 3
    assert open_store([folder]).from_cache
    with open(name, "wb") as handle:
        handle.write(b"papers: []  # again\n")
    store = open_store([folder])
    assert store.files_read == 1 and not store.from_cache


# Any finite value can be plotted -------------------------------------------------------------

finite = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1.7976931348623157e308, -1.7976931348623157e308, 5e-324, -5e-324, 1e100, 0.0]),
)


def decimal(value: float) -> str:
    """A float in plain decimal notation, as catalog files write numbers."""
    return f"{Decimal(repr(value)):f}"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    points=st.lists(st.tuples(finite, finite), min_size=1, max_size=12),
    log_x=st.booleans(),
    log_y=st.booleans(),
    size=st.sampled_from([(20, 8), (60, 20), (120, 40)]),
)
@example(points=[(1.0, 0.0)], log_x=True, log_y=False, size=(20, 8))  # one value on a log axis
@example(
    points=[(1.7976931348623157e308, -1.7976931348623157e308), (0.0, 1.0)],
    log_x=False,
    log_y=False,
    size=(20, 8),
)
def test_any_finite_values_are_reduced_and_drawn(tmp_path_factory, points, log_x, log_y, size):
    from catalog.query.points import plot_points
    from catalog.query.points import points as pair_points
    from tui.plot import PlotPoint, render_plot

    store, x, y = open_pair(
        tmp_path_factory, [[(decimal(a), decimal(b)) for a, b in points]], "higher", "lower"
    )
    width, height = size
    reduced = plot_points(store, x, y, cols=width, rows=height, log_x=log_x, log_y=log_y)
    assert reduced.total == len(points)
    drawn = [PlotPoint(p["x"], p["y"], p["on_frontier"]) for p in pair_points(store, x, y)]
    text = render_plot(drawn, x, y, width=width, height=height, log_x=log_x, log_y=log_y, colour=False)
    assert "┌" in text or "no points to draw" in text


def test_a_plot_of_values_near_the_largest_double_names_its_power_of_ten(tmp_path, run_process):
    folder = mini_copy(tmp_path)
    papers = folder / "papers.yaml"
    huge = "17976931348623157" + "0" * 292
    papers.write_text(
        papers.read_text()
        .replace("6 ms at 70.2 points", f"6 ms at -{huge} points")
        .replace("{quality: 70.2, wait: 6}", f"{{quality: -{huge}, wait: 6}}")
    )
    for extra in ([], ["--height", "8"], ["--log-y"]):
        result = run_process("plot", "quality:wait", "--no-default", "--catalog", str(folder), *extra)
        assert result.code == 0 and "Traceback" not in result.err, result.err
        assert "Quality score (points) (in units of 1e308)" in result.out
        assert "quality -1.79769e+308" in result.out  # the listing says the value itself
