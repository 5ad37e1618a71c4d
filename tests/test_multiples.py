"""Small multiples (``tradeoffs plot X:Y W:Z ...``): one panel per pair, as many side by side as
fit the width, sharing the selection and the options; each panel the plot its pair alone gives
at that size; under them, each pair's frontier points."""

from __future__ import annotations

import io
import json
import re
import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.cli import build_parser, main
from tui.commands import COMMANDS
from tui.multiples import GAP, PANEL_MIN_HEIGHT, PANEL_MIN_WIDTH, layout, visible_width

from .test_pareto import brute_force
from .test_plot_groups import write_papers

# Better higher on every objective. p1's second point has conditions long enough to wrap.
PAPERS = [
    {"points": [(1, 9, 2), (9, 1, 8), (1, 1, 1)], "tags": ["fast"]},
    {"points": [(5, 5, 5), (3, 3, 9, {"hardware": "a cluster of many machines in a row", "steps": 4})]},
]
MARKS = ("◆ ", "✦ ", "• ")


def on_frontier(pair: str, papers: list[dict]) -> int:
    """How many of the papers' points are on the pair's frontier, by the definition."""
    axes = ["ox", "oy", "oz"]
    a, b = (axes.index(end) for end in pair.split(":"))
    pts = [p for paper in papers for p in paper["points"]]
    return sum(brute_force([p[a] for p in pts], [p[b] for p in pts], "higher", "higher"))


def frame_rows(text: str) -> list[tuple[int, str]]:
    """The lines where a panel's frame starts (┌) or ends (└), with the character."""
    return [(i, c) for i, line in enumerate(text.splitlines()) for c in line if c in "┌└"]


def sections(text: str) -> dict[str, list[str]]:
    """The lists under the panels, by pair: each section's lines after its head, continuation
    lines joined to the line they continue."""
    out: dict[str, list[str]] = {}
    for block in text.split("\n\n")[1:]:
        head, *lines = block.strip("\n").split("\n")
        joined: list[str] = []
        for line in lines:
            if line.startswith("  ") and joined:
                joined[-1] += " " + line.strip()
            else:
                joined.append(line)
        out[head.split(":")[0] + ":" + head.split(":")[1]] = joined
    return out


def listed_points(lines: list[str]) -> set[str]:
    """What each listed point is, whatever its name: its paper and its values."""
    return {line[line.rindex(" [") :] for line in lines if line.startswith(MARKS)}


def test_at_80_columns_two_pairs_stack_and_at_200_they_stand_side_by_side(run, tmp_path, monkeypatch):
    args = write_papers(tmp_path, PAPERS)
    monkeypatch.setenv("LINES", "40")
    monkeypatch.setenv("COLUMNS", "80")
    narrow = run("plot", "ox:oy", "ox:oz", *args)
    assert narrow.code == 0, narrow.err
    rows = frame_rows(narrow.out)
    assert [c for _, c in rows] == ["┌", "└", "┌", "└"]  # one panel, then the other under it
    assert len({i for i, _ in rows}) == 4
    titles = [line.strip() for line in narrow.out.splitlines() if line.strip() in ("ox:oy", "ox:oz")]
    assert titles == ["ox:oy", "ox:oz"]
    assert max(visible_width(line) for line in narrow.out.splitlines()) <= 80
    monkeypatch.setenv("COLUMNS", "200")
    wide = run("plot", "ox:oy", "ox:oz", *args)
    rows = frame_rows(wide.out)
    assert [c for _, c in rows] == ["┌", "┌", "└", "└"] and len({i for i, _ in rows}) == 2
    assert wide.out.splitlines()[0].split() == ["ox:oy", "ox:oz"]
    assert max(visible_width(line) for line in wide.out.splitlines()) <= 200


def test_each_panel_is_its_pairs_own_plot_at_the_panels_size(run, tmp_path):
    args = write_papers(tmp_path, PAPERS)
    several = run("plot", "ox:oy", "ox:oz", "--width", "200", "--height", "14", *args).out
    panel_width = (200 - GAP) // 2
    assert panel_width == 99
    lines = several.split("\n\n")[0].splitlines()
    for pair, cut in (("ox:oy", slice(0, panel_width)), ("ox:oz", slice(panel_width + GAP, None))):
        alone = run("plot", pair, "--width", str(panel_width), "--height", "14", *args).out.splitlines()
        plot = [
            line.rstrip()
            for line in alone[: next(i for i, said in enumerate(alone) if said.startswith(MARKS))]
        ]
        panel = [line[cut].rstrip() for line in lines]
        assert panel[0].strip() == pair
        assert panel[1 : len(plot) + 1] == plot
        assert listed_points(sections(several)[pair]) == listed_points(alone)


def test_one_query_selects_the_points_of_every_panel(run, tmp_path):
    args = [*write_papers(tmp_path, PAPERS), "--query", "tag:fast"]
    several = run("plot", "ox:oy", "ox:oz", "--width", "200", *args).out
    counts = [part.strip() for part in re.split(r"\s{3,}", several.split("\n\n")[0].splitlines()[-1].strip())]
    fast = PAPERS[:1]
    assert counts == [f"3 points, {on_frontier(pair, fast)} on the frontier ◆" for pair in ("ox:oy", "ox:oz")]
    for pair in ("ox:oy", "ox:oz"):
        alone = run("plot", pair, "--width", "99", *args).out
        assert listed_points(sections(several)[pair]) == listed_points(alone.splitlines())
        assert all("[p0]" in point for point in listed_points(alone.splitlines()))


@pytest.mark.parametrize("bad", ["ox:nope", "oxoy"])
def test_a_bad_pair_among_several_is_named(run, tmp_path, bad):
    result = run("plot", "ox:oy", bad, "oy:oz", *write_papers(tmp_path, PAPERS))
    assert result.code == 2 and result.out == ""
    assert f"pair {bad!r}: " in result.err


def test_all_lists_every_point_of_each_pair_the_frontiers_first(run, tmp_path):
    result = run("plot", "ox:oy", "ox:oz", "--all", "--width", "160", *write_papers(tmp_path, PAPERS))
    listed = sections(result.out)
    assert sorted(listed) == ["ox:oy", "ox:oz"]
    for pair in ("ox:oy", "ox:oz"):
        frontier = on_frontier(pair, PAPERS)
        marks = [line[0] for line in listed[pair] if line.startswith(MARKS)]
        assert marks == ["◆"] * frontier + ["•"] * (5 - frontier)


def test_under_the_panels_lines_are_wrapped_to_the_width_and_the_command_kept_whole(run, tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    # Twelve points on the frontier of ox:oy, more than the panels list; ranges beyond too.
    args = write_papers(
        folder, [{"points": [(n, 12 - n, 1, {"hardware": "a long name " * 3}) for n in range(12)]}]
    )
    with (folder / "c.yaml").open("a") as f:
        for n in range(10):
            f.write(f"      - method: r{n}\n        values: {{ox: {{between: [{n}, {n + 1}]}}, oy: 0}}\n")
            f.write("        source: T\n")
    result = run("plot", "ox:oy", "oy:oz", "--width", "80", "--height", "12", *args)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    at = lines.index("… and 4 more on the frontier; to list them all:")
    command = lines[at + 1]
    assert all(len(line) <= 80 for line in lines if line is not command and "--catalog" not in line)
    listed = run(*shlex.split(command)[1:], "--format", "json")
    assert listed.code == 0 and len(json.loads(listed.out)) == 12
    assert "… and 2 more qualified points; to list them all:" in lines


def test_a_pair_with_no_points_among_several_says_so(run, tmp_path):
    result = run(
        "plot", "ox:oy", "ox:oz", "oy:oz", "--width", "130", *write_papers(tmp_path, [{"points": [(1, 2)]}])
    )
    assert result.code == 0
    assert result.out.count("no points to draw") == 2
    assert (
        "no result reports both ox and oz" in result.err and "no result reports both oy and oz" in result.err
    )


def test_a_pair_with_points_none_of_them_among_the_papers_asked_for_says_so(run, tmp_path):
    catalog = write_papers(tmp_path, PAPERS)
    result = run("plot", "ox:oy", "--query", "nothing-matches-this", "--width", "80", *catalog)
    assert result.code == 0
    assert "no paper is asked for (the query or the date selects none); the whole catalog has 5 points" in (
        result.err
    )
    assert "no result reports both" not in result.err  # they do, in the papers not asked for
    result = run("plot", "ox:oy", "--query", "tag:fast", "--width", "80", *catalog)
    assert "0 points" not in result.out  # the tagged paper has points: nothing to explain
    result = run("plot", "ox:oy", "--query", "tag:fast", "--as-of", "1900", "--width", "80", *catalog)
    assert "no paper is asked for" in result.err


def test_the_apps_grid_says_under_an_empty_panel_why_it_is_empty(tmp_path):
    from catalog.store.store import open_store
    from tui.commands.plot import multiples_text

    store = open_store([write_papers(tmp_path, PAPERS)[-1]])
    text = multiples_text(store, ["ox:oy", "ox:oz"], ([], ()), (120, 14))
    assert text.count("no points to draw") == 2
    assert "no paper is asked for (the query or the date selects none); the whole catalog has 5 points" in (
        " ".join(text.split())
    )
    one = multiples_text(store, ["ox:oy"], (["p1"], ()), (120, 14))
    assert "the 1 paper asked for" not in one  # p1 has points of ox:oy


def test_a_saved_view_may_give_the_pairs_as_a_list_or_as_one_string(run, tmp_path):
    catalog = write_papers(tmp_path, PAPERS)
    for pair, same in (("ox:oy", ["ox:oy"]), (["ox:oy", "ox:oz"], ["ox:oy", "ox:oz"])):
        args = build_parser().parse_args(["plot", "--width", "120", *catalog])
        args.pair = pair
        out = io.StringIO()
        assert COMMANDS["plot"].run(args, out) == 0
        assert out.getvalue() == run("plot", *same, "--width", "120", *catalog).out
    missing = run("plot", *catalog)
    assert missing.code == 2 and "plot needs a pair X:Y" in missing.err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_in_colour_the_panels_still_line_up(tmp_path):
    out = _Terminal()
    assert main(["plot", "ox:oy", "ox:oz", "--width", "200", *write_papers(tmp_path, PAPERS)], out=out) == 0
    plain = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in out.getvalue().split("\n\n")[0].splitlines()]
    assert "\x1b[" in out.getvalue()
    top = next(line for line in plain if "┌" in line)
    bottom = next(line for line in plain if "└" in line)
    assert [i for i, c in enumerate(top) if c == "┌"] == [i for i, c in enumerate(bottom) if c == "└"]
    assert top.rindex("┌") > 99 and max(len(line) for line in plain) <= 200


@given(st.integers(1, 12), st.integers(20, 1000), st.integers(1, 200))
def test_panels_fill_the_width_as_many_as_fit_none_too_narrow(count, width, screen_rows):
    shape = layout(count, width, None, screen_rows)
    assert shape.columns * shape.width + GAP * (shape.columns - 1) <= width
    assert shape.columns == 1 or shape.width >= PANEL_MIN_WIDTH
    more = shape.columns + 1
    assert shape.columns == count or (width - GAP * (more - 1)) // more < PANEL_MIN_WIDTH
    assert shape.rows * shape.columns >= count > (shape.rows - 1) * shape.columns
    assert shape.height >= PANEL_MIN_HEIGHT
