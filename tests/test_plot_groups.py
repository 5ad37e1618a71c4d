"""One frontier per group on the plot (``tradeoffs plot X:Y --by KEY``): each group's points
with a letter of its own, its own frontier joined, a legend that says what the whole frontier
hides of each; and ``by_group`` by tag, against a brute-force reading."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.errors import QueryError
from tui.cli import main

from .test_pareto import brute_force

Point = tuple  # (x, y), (x, y, z), or either with a mapping of conditions last


def write_papers(folder: Path, papers: Sequence[dict], better: str = "higher") -> list[str]:
    """A catalog of these papers: each a mapping with ``points`` (``(x, y)`` or ``(x, y, z)``,
    optionally with a mapping of conditions last) and ``tags``. Objectives ``ox``, ``oy`` and
    ``oz``, all ``better``. Returns the catalog options that read only it."""
    lines = ["objectives:"] + [f"  {o}: {{label: {o.upper()}, better: {better}}}" for o in ("ox", "oy", "oz")]
    lines.append("papers:")
    for i, paper in enumerate(papers):
        lines += [f"  - id: p{i}", f"    title: Paper {i}"]
        if paper.get("tags"):
            lines.append(f"    tags: [{', '.join(paper['tags'])}]")
        lines.append("    results:")
        for r, point in enumerate(paper["points"]):
            conditions = point[-1] if isinstance(point[-1], dict) else None
            numbers = point[:-1] if conditions else point
            values = ", ".join(f"{o}: {v}" for o, v in zip(("ox", "oy", "oz"), numbers))
            lines += [
                f"      - method: m{i}-{r}",
                f"        values: {{{values}}}",
                f"        source: Table {r + 1}",
            ]
            if conditions:
                lines.append(
                    f"        conditions: {{{', '.join(f'{k}: {v}' for k, v in conditions.items())}}}"
                )
    (folder / "c.yaml").write_text("\n".join(lines) + "\n")
    return ["--no-default", "--catalog", str(folder)]


def inside_frame(text: str) -> str:
    """The characters inside the plot's frame: where points are drawn, not titles or ticks."""
    lines = text.splitlines()
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    left, right = lines[top].index("┌"), lines[top].rindex("┐")
    return "\n".join(line[left + 1 : right] for line in lines[top + 1 : bottom])


def legend(text: str) -> dict[str, str]:
    """The legend's group lines, by marker: ``{"A": "p0: 3 points, ..."}``."""
    return {m[1]: m[2] for m in re.finditer(r"^([A-HX]) (.*)$", text, re.MULTILINE)}


# Three papers, better higher on both: p0's frontier (1, 9), (9, 1) and a point under it; p1's
# (5, 5), which the whole keeps; p2's (4, 4), which p1's (5, 5) hides.
THREE = [
    {"points": [(1, 9), (9, 1), (1, 1)]},
    {"points": [(5, 5), (3, 3)]},
    {"points": [(4, 4)]},
]


def test_each_group_has_its_letter_capital_on_its_frontier_small_off_it(run, tmp_path):
    result = run(
        "plot", "ox:oy", "--by", "paper", "--width", "70", "--height", "20", *write_papers(tmp_path, THREE)
    )
    assert result.code == 0, result.err
    drawn = inside_frame(result.out)
    assert (drawn.count("A"), drawn.count("a")) == (2, 1)
    assert (drawn.count("B"), drawn.count("b")) == (1, 1)
    assert (drawn.count("C"), drawn.count("c")) == (1, 0)
    assert "◆" not in drawn and "•" not in drawn  # groups, not the one frontier's marks


def test_the_legend_names_each_group_with_its_points_and_what_the_whole_hides(run, tmp_path):
    result = run(
        "plot", "ox:oy", "--by", "paper", "--width", "90", "--height", "16", *write_papers(tmp_path, THREE)
    )
    said = legend(result.out)
    assert said == {
        "A": "p0: 3 points, 2 on its frontier, 0 hidden by the whole's",
        "B": "p1: 2 points, 1 on its frontier, 0 hidden by the whole's",
        "C": "p2: 1 point, 1 on its frontier, 1 hidden by the whole's",
    }
    assert "6 points in 3 groups by paper" in result.out
    assert "lines: each group's steps" in result.out
    assert "tradeoffs frontier ox:oy --by paper" in result.out


def test_the_legend_says_what_frontier_by_says(run, tmp_path):
    args = write_papers(tmp_path, THREE)
    plotted = legend(run("plot", "ox:oy", "--by", "paper", "--width", "90", *args).out)
    listed = json.loads(run("frontier", "ox:oy", "--by", "paper", "--format", "json", *args).out)
    for marker, group in zip("ABC", listed):
        assert plotted[marker].startswith(f"{group['group']}: ")
        assert f"{len(group['frontier'])} on its frontier, {group['hidden']} hidden" in plotted[marker]


def test_beyond_eight_groups_the_rest_are_merged_as_other_and_said_so(run, tmp_path):
    # Ten papers: p0 to p7 have two points each, p8 and p9 one, so they are the two merged.
    papers = [{"points": [(i, 20 - i), (i - 0.5, 19 - i)]} for i in range(8)]
    papers += [{"points": [(30, 1)]}, {"points": [(1, 0.5)]}]
    result = run(
        "plot", "ox:oy", "--by", "paper", "--width", "100", "--height", "24", *write_papers(tmp_path, papers)
    )
    said = legend(result.out)
    assert sorted(said) == [*"ABCDEFGH", "X"]
    assert said["X"] == "other (2 more groups): 2 points, 1 on its frontier, 0 hidden by the whole's"
    assert [said[m].split(":")[0] for m in "ABCDEFGH"] == [f"p{i}" for i in range(8)]
    drawn = inside_frame(result.out)
    assert (drawn.count("X"), drawn.count("x")) == (1, 1)  # (30, 1) on the merged frontier, (1, 0.5) not
    assert "16 points in 8 groups" not in result.out and "18 points in 9 groups" in result.out


def test_by_tag_puts_a_point_in_each_of_its_papers_tags(run, tmp_path):
    papers = [
        {"points": [(1, 9), (9, 1)], "tags": ["fast", "small"]},
        {"points": [(5, 5)], "tags": ["fast"]},
        {"points": [(2, 2)]},
    ]
    result = run("plot", "ox:oy", "--by", "tag", "--width", "90", *write_papers(tmp_path, papers))
    assert result.code == 0, result.err
    said = legend(result.out)
    assert said == {
        "A": "fast: 3 points, 3 on its frontier, 0 hidden by the whole's",
        "B": "small: 2 points, 2 on its frontier, 0 hidden by the whole's",
        "C": "no tag: 1 point, 1 on its frontier, 1 hidden by the whole's",
    }
    assert "a point in several groups shows one of their letters" in result.out


def test_frontier_by_tag_lists_the_same_groups(run, tmp_path):
    papers = [{"points": [(1, 9), (9, 1)], "tags": ["fast", "small"]}, {"points": [(5, 5)], "tags": ["fast"]}]
    result = run("frontier", "ox:oy", "--by", "tag", *write_papers(tmp_path, papers))
    assert result.code == 0, result.err
    rows = [line.split() for line in result.out.splitlines()[1:3]]
    assert rows == [["fast", "3", "3", "0"], ["small", "2", "2", "0"]]


@pytest.mark.parametrize("key", ["hardware", "tag"])
def test_a_key_no_point_states_is_the_usage_error_frontier_gives(run, tmp_path, key):
    args = write_papers(tmp_path, THREE)
    plotted = run("plot", "ox:oy", "--by", key, *args)
    asked = run("frontier", "ox:oy", "--by", key, *args)
    assert plotted.code == asked.code == 2
    assert plotted.err == asked.err and plotted.out == ""
    assert ("states 'hardware'" if key == "hardware" else "has a tag") in plotted.err


def test_by_a_condition_groups_the_points_that_state_it_and_those_that_do_not(run, tmp_path):
    papers = [{"points": [(1, 9, {"hardware": "A100"}), (9, 1, {"hardware": "H100"}), (3, 3)]}]
    said = legend(
        run("plot", "ox:oy", "--by", "hardware", "--width", "90", *write_papers(tmp_path, papers)).out
    )
    assert {v.split(":")[0] for v in said.values()} == {"A100", "H100", "not stated"}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _on_a_terminal(*args: str) -> str:
    out = _Terminal()
    assert main(list(args), out=out) == 0
    return out.getvalue()


def test_with_colour_each_group_has_its_own_and_no_color_has_none(tmp_path, monkeypatch):
    args = ["plot", "ox:oy", "--by", "paper", "--width", "90", *write_papers(tmp_path, THREE)]
    coloured = _on_a_terminal(*args)
    markers = re.findall(r"\x1b\[38;5;(\d+)m([ABC])\x1b\[0m ", coloured)  # the legend's letters
    assert len(markers) == 3 and len({colour for colour, _ in markers}) == 3
    monkeypatch.setenv("NO_COLOR", "1")
    plain = _on_a_terminal(*args)
    assert "\x1b" not in plain
    assert legend(plain)["C"].startswith("p2: 1 point")


def test_hull_log_scales_qualified_points_and_every_point_with_groups(run, tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    args = write_papers(folder, [{"points": [(1, 9), (9, 1), (4, 4), (0, 5)]}, {"points": [(5, 6), (2, 2)]}])
    with (folder / "c.yaml").open("a") as f:  # a range: drawn by a plot without --by, not here
        f.write("      - method: ranged\n        values: {ox: {between: [2, 3]}, oy: 4}\n        source: T\n")
    result = run("plot", "ox:oy", "--by", "paper", "--hull", "--log-x", "--all", "--width", "80", *args)
    assert result.code == 0, result.err
    assert "lines: each group's hull (two points can be mixed)" in result.out
    assert "1 not positive, hidden on a log scale" in result.out
    assert "1 qualified point not drawn" in result.out
    listed = [line for line in result.out.splitlines() if line[:2] in ("◆ ", "• ", "○ ", "◇ ")]
    assert len(listed) == 7  # --all: every point, the qualified one too


def test_by_with_several_pairs_is_a_usage_error(run, tmp_path):
    result = run(
        "plot", "ox:oy", "ox:oz", "--by", "paper", *write_papers(tmp_path, [{"points": [(1, 2, 3)]}])
    )
    assert result.code == 2 and "--by draws one pair at a time" in result.err


def test_a_pair_with_no_points_says_so_by_group_too(run, tmp_path):
    result = run("plot", "ox:oz", "--by", "paper", "--width", "60", *write_papers(tmp_path, THREE))
    assert result.code == 0
    assert "no points to draw" in result.out and "0 points in 0 groups" in result.out
    assert "no result reports both ox and oz" in result.err


def test_every_line_fits_the_width(run, tmp_path):
    papers = [{"points": [(1, 9), (9, 1)], "tags": ["a very long tag name that goes on and on and on"]}]
    result = run(
        "plot", "ox:oy", "--by", "tag", "--width", "40", "--height", "12", *write_papers(tmp_path, papers)
    )
    plot_and_legend = result.out.split("each group's frontier points:")[0]
    assert max(len(line) for line in plot_and_legend.splitlines()) <= 40


# by_group by tag, against brute force: each tag's group is the points of the papers with that
# tag (in any case), its frontier theirs; papers with no tag form "no tag".
TAGS = ["fast", "Fast", "small", "cheap"]
tagged_papers = st.lists(
    st.tuples(
        st.lists(st.sampled_from(TAGS), max_size=3, unique=True),
        st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), min_size=1, max_size=4),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tagged_papers, st.sampled_from(["higher", "lower"]))
def test_by_tag_is_each_tags_own_frontier_as_brute_force_says(tmp_path_factory, papers, better):
    from catalog.query import questions
    from catalog.query.pairs import parse_pair
    from catalog.store.store import open_store

    folder = tmp_path_factory.mktemp("tags")
    write_papers(folder, [{"points": pts, "tags": tags} for tags, pts in papers], better)
    store = open_store([folder], use_cache=False)
    answer = questions.frontier(store, *parse_pair(store, "ox:oy"))
    flat = [(f"p{i}", f"m{i}-{r}", x, y) for i, (_, pts) in enumerate(papers) for r, (x, y) in enumerate(pts)]
    everyone = dict(
        zip((p[1] for p in flat), brute_force([p[2] for p in flat], [p[3] for p in flat], better, better))
    )
    tags = questions.paper_tags(store, answer)
    if not any(t for t, _ in papers):
        with pytest.raises(QueryError):
            questions.by_group(answer, "tag", tags)
        return
    expected: dict[str, list[tuple]] = {}
    for i, (paper_tags, _) in enumerate(papers):
        for key in {t.lower() for t in paper_tags} or {"no tag"}:
            expected.setdefault(key, []).extend(p for p in flat if p[0] == f"p{i}")
    groups = questions.by_group(answer, "tag", tags)
    assert sorted(g.value.lower() for g in groups) == sorted(expected)
    for group in groups:
        members = expected[group.value.lower()]
        mask = brute_force([p[2] for p in members], [p[3] for p in members], better, better)
        own = sorted(p[1] for p, on in zip(members, mask) if on)
        assert group.points == len(members)
        assert sorted(p["method"] for p in group.frontier) == own
        assert group.hidden == sum(1 for m in own if not everyone[m])
    together = questions.merged(answer, groups, "all")
    assert together.points == len(flat) and together.hidden == 0
    assert sorted(p["method"] for p in together.frontier) == sorted(m for m, on in everyone.items() if on)


def test_by_tag_needs_the_papers_tags(tmp_path):
    from catalog.query import questions
    from catalog.query.pairs import parse_pair
    from catalog.store.store import open_store

    write_papers(tmp_path, THREE)
    store = open_store([tmp_path], use_cache=False)
    with pytest.raises(ValueError, match="paper_tags"):
        questions.by_group(questions.frontier(store, *parse_pair(store, "ox:oy")), "tag")


def test_catalog_text_in_the_groups_names_is_shown_never_obeyed(run, tmp_path):
    args = write_papers(
        tmp_path, [{"points": [(1, 9, {"hardware": '"A\\e[31m100"'})], "tags": ['"t\\e[1mag"']}]
    )
    for key in ("tag", "hardware"):
        result = run("plot", "ox:oy", "--by", key, "--width", "80", *args)
        assert result.code == 0, result.err
        assert "\x1b" not in result.out and "\\x1b" in result.out
