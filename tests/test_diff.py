"""A diff of two catalogs: papers added, removed or changed, and the points that entered or
left each pair's frontier; either side may be a catalog as it was at a git revision."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

MINI = Path(__file__).parent / "fixtures" / "mini"
TINY = """      - method: Swift Sampler tiny
        values: {quality: 70.2, wait: 6}
        evidence: A tiny variant runs in 6 ms at 70.2 points
"""


def edited(folder: Path) -> None:
    """The mini catalog with its tiny sampler's result gone and a title changed."""
    papers = folder / "papers.yaml"
    text = papers.read_text()
    assert TINY in text
    papers.write_text(text.replace(TINY, "").replace('"A Quiet Baseline"', '"A Quieter Baseline"'))


@pytest.fixture
def two_catalogs(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(MINI, old)
    shutil.copytree(MINI, new)
    edited(new)
    (new / "more.yaml").write_text('papers:\n  - id: brand-new\n    title: "A New Paper"\n')
    return old, new


def test_a_diff_names_the_papers_and_the_frontier_points_that_changed(two_catalogs, run):
    old, new = two_catalogs
    said = run("diff", str(old), str(new), "--no-default")
    assert said.code == 0, said.err
    assert said.out.splitlines()[:3] == [
        "1 paper added: brand-new",
        "0 papers removed",
        "2 papers changed: swift-sampler, quiet-baseline",
    ]
    assert "quality:wait: 0 entered the frontier, 1 left it" in said.out
    assert "  - ◆ Swift Sampler tiny [swift-sampler]: quality 70.2, wait 6" in said.out
    back = json.loads(run("diff", str(new), str(old), "--no-default", "--format", "json").out)
    assert back["removed"] == ["brand-new"] and back["added"] == []
    (pair,) = back["frontiers"]
    assert pair["pair"] == "quality:wait" and [p["method"] for p in pair["entered"]] == ["Swift Sampler tiny"]


def test_the_same_catalog_twice_changes_nothing(run):
    said = run("diff", str(MINI), str(MINI), "--no-default")
    assert said.out.splitlines() == [
        "0 papers added",
        "0 papers removed",
        "0 papers changed",
        "no frontier changed",
    ]
    asked = json.loads(
        run("diff", str(MINI), str(MINI), "--no-default", "--pair", "quality:wait", "--format", "json").out
    )
    assert asked["frontiers"] == [{"pair": "quality:wait", "entered": [], "left": []}]
    unknown = run("diff", str(MINI), str(MINI), "--no-default", "--pair", "nothing:here")
    assert unknown.code == 2 and "neither catalog has the pair nothing:here" in unknown.err


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_side_may_be_the_catalog_at_a_git_revision(tmp_path, run):
    repo = tmp_path / "repo"
    shutil.copytree(MINI, repo / "catalog")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first")
    edited(repo / "catalog")
    git(repo, "commit", "-q", "-am", "second")
    said = run("diff", f"{repo / 'catalog'}@HEAD~1", str(repo / "catalog"), "--no-default")
    assert said.code == 0, said.err
    assert "2 papers changed: swift-sampler, quiet-baseline" in said.out
    assert "  - ◆ Swift Sampler tiny [swift-sampler]" in said.out
    missing = run("diff", f"{repo / 'catalog'}@no-such-revision", str(repo / "catalog"), "--no-default")
    assert missing.code == 1 and "git has no catalog at no-such-revision" in missing.err
    outside = run("diff", f"{tmp_path}@HEAD", str(repo / "catalog"), "--no-default")
    assert outside.code == 1 and "is not in a git repository" in outside.err


async def test_a_reload_in_the_app_says_which_papers_came_and_how_the_plotted_frontier_moved(tmp_path):
    from tui.app import TradeoffsApp

    from .test_app import pick_pair, started, until
    from .test_frontier_sql import write_catalog

    write_catalog(tmp_path, [[(0, 10), (5, 4), (10, 0)]], "higher", "higher")
    app = TradeoffsApp([tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        await pick_pair(pilot, "ox:oy")
        # A second paper whose (11, 1) dominates (10, 0): one point enters the frontier, one leaves.
        write_catalog(tmp_path, [[(0, 10), (5, 4), (10, 0)], [(11, 1)]], "higher", "higher")
        await pilot.press("r")
        said = "Catalog reloaded: 1 paper added; on ox:oy, 1 point entered and 1 point left the frontier."
        await until(pilot, lambda: any(n.message == said for n in app._notifications))
        await pilot.press("r")  # nothing changed since
        await until(pilot, lambda: any(n.message == "Catalog reloaded." for n in app._notifications))


def test_the_reload_summary_is_empty_when_nothing_changed_and_names_removals(tmp_path):
    from catalog.query.diff import reload_summary
    from catalog.store.store import open_store

    from .test_frontier_sql import write_catalog

    old_dir, new_dir = tmp_path / "old", tmp_path / "new"
    old_dir.mkdir()
    new_dir.mkdir()
    write_catalog(old_dir, [[(0, 10)], [(5, 5)], [(10, 0)]], "higher", "higher")
    write_catalog(new_dir, [[(0, 10)]], "higher", "higher")
    old, new = open_store([old_dir]), open_store([new_dir])
    assert reload_summary(old, old, "ox:oy") == ""
    assert reload_summary(old, new, "ox:oy") == "2 papers removed; on ox:oy, 2 points left the frontier"
    assert reload_summary(old, new, None) == "2 papers removed"
