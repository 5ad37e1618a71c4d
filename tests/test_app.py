"""The app, driven with the keyboard as a person would, on the small fixture catalog."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from catalog.state import state_path
from tui.app import TradeoffsApp
from tui.screens.detail import EVIDENCE_STYLE, DetailScreen
from tui.screens.dialogs import ExportDialog, HelpScreen, NoteDialog, PairPicker, ProblemsScreen
from tui.screens.main import MainScreen
from tui.widgets.frontier_plot import FrontierPlot
from tui.widgets.paper_lines import MATCH_STYLE
from tui.widgets.paper_table import PaperTable

from .conftest import MINI, export_command

SIZE = (110, 32)


async def until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 10) -> None:
    """Let the app run until ``condition`` holds (workers finish in their own time)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the app did not get there in time")
        await pilot.pause(0.05)


def main_screen(app: TradeoffsApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def listed(app: TradeoffsApp) -> list[str]:
    return app.screen.query_one(PaperTable).ids


def cell(app: TradeoffsApp, paper_id: str, column: str) -> str:
    """What the list shows in ``column`` for ``paper_id`` (empty until its row is fetched)."""
    return str(app.screen.query_one(PaperTable).cell(paper_id, column) or "")


async def started(pilot: Pilot) -> None:
    await until(
        pilot, lambda: isinstance(pilot.app.screen, MainScreen) and pilot.app.screen.selection is not None
    )


async def search(pilot: Pilot, text: str) -> None:
    box = pilot.app.screen.query_one("#search", Input)
    await pilot.press("slash")
    box.value = ""
    await pilot.press(*text)
    await until(pilot, lambda: pilot.app.user_state.last_query == text)


async def pick_pair(pilot: Pilot, spec: str) -> None:
    await pilot.press("escape", "p")
    await until(pilot, lambda: isinstance(pilot.app.screen, PairPicker))
    await pilot.press(*spec, "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen) and pilot.app.screen.pair == spec)


def status(app: TradeoffsApp) -> str:
    return str(app.screen.query_one("#status", Static).render())


def plot_text(app: TradeoffsApp) -> str:
    return str(app.screen.query_one(FrontierPlot).render())


@pytest.fixture
def app() -> TradeoffsApp:
    return TradeoffsApp([MINI])


async def test_the_first_screen_lists_every_paper(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert listed(app) == ["swift-sampler", "lean-quant", "quiet-baseline"]
        assert status(app).startswith("3 papers")
        assert "Press p to pick an objective pair" in plot_text(app)


async def test_typing_narrows_the_list_forgives_typos_and_highlights_matches(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, "swfit")
        assert listed(app) == ["swift-sampler"]
        title = app.screen.query_one(PaperTable).cell("swift-sampler", "title")
        assert title is not None and any(MATCH_STYLE in str(span.style) for span in title.spans)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tag:quantization", ["lean-quant"]),
        ('tag:"diffusion"', ["swift-sampler"]),
        ("year:2022-2023", ["lean-quant", "quiet-baseline"]),
        ("pair:quality:size", ["lean-quant"]),
        ("sampler year:2024", ["swift-sampler"]),
    ],
)
async def test_filters_in_the_search_box(app, query, expected):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, query)
        assert listed(app) == expected


async def test_picking_a_pair_draws_its_frontier(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        text = plot_text(app)
        assert "4 points, 2 on the frontier ◆" in text
        assert "Wait time (ms)  ↓ better" in text and "→ better" in text
        assert "pair quality:wait" in status(app)


async def test_the_pair_picker_filters_by_kind(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PairPicker))
        await pilot.press(*"footprint")
        picker = app.screen
        options = [
            picker.query_one("#pair-options").get_option_at_index(i).id
            for i in range(picker.query_one("#pair-options").option_count)
        ]
        assert options[0] == "quality:size"


async def test_relative_results_have_their_own_plot(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality@difference:wait@percent")
        assert "1 points, 1 on the frontier" in plot_text(app)
        assert "percent vs baseline" in plot_text(app)


async def test_swap_log_and_clear(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        await pilot.press("s")
        assert main_screen(app).pair == "wait:quality"
        await until(pilot, lambda: "Quality score (points)  ↑ better" in plot_text(app))
        await pilot.press("l")
        assert app.screen.query_one(FrontierPlot).log_mode == 1 and "log scale: x" in status(app)
        await pilot.press("c")
        assert main_screen(app).pair is None


async def test_stepping_through_points_names_each_and_selects_its_paper(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        await pilot.press("right_square_bracket")
        # Points are visited along x: the lowest quality first.
        assert "point 1/4: Swift Sampler tiny [swift-sampler]" in status(app)
        assert "on the frontier" in status(app)
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert "point 3/4: Slow Sampler" in status(app)
        await pilot.press("right_square_bracket")
        assert "point 4/4: Swift Sampler [swift-sampler]" in status(app)
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert "Quiet model [quiet-baseline]" in status(app)
        assert app.screen.query_one(PaperTable).current_id() == "quiet-baseline"
        assert app.screen.query_one(FrontierPlot).selected_paper == "quiet-baseline"


async def test_enter_opens_the_paper_with_its_evidence_highlighted(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        abstract = app.screen.query_one("#abstract", Static).content
        highlighted = [
            str(abstract)[s.start : s.end] for s in abstract.spans if str(s.style) == EVIDENCE_STYLE
        ]
        assert "reaches a quality of 81.5 points at 12 ms per image" in highlighted
        assert "A tiny variant runs in 6 ms at 70.2 points" in highlighted
        meta = str(app.screen.query_one("#detail-meta", Static).render())
        assert "2 authors: Ada Lovelace, Alan Turing" in meta and "2024-03-05" in meta
        assert "https://example.org/swift" in meta and "https://arxiv.org/abs/2403.01234" in meta
        assert app.screen.query_one("#results").row_count == 3
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_bookmarks_are_saved_and_filter_the_list(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("down", "b")
        saved = json.loads(state_path().read_text())
        assert saved["bookmarks"] == ["lean-quant"]
        assert cell(app, "lean-quant", "mark") == "★"
        await search(pilot, "is:bookmarked")
        assert listed(app) == ["lean-quant"]
        await pilot.press("escape", "b")
        assert json.loads(state_path().read_text())["bookmarks"] == []


async def test_a_note_is_written_and_saved(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NoteDialog))
        await pilot.press(*"check table 2", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert json.loads(state_path().read_text())["notes"] == {"swift-sampler": "check table 2"}


async def test_the_detail_screen_bookmarks_and_notes_too(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        await pilot.press("b")
        assert "★ bookmarked" in str(app.screen.query_one("#detail-meta", Static).render())
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NoteDialog))
        await pilot.press(*"good", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        assert "Your note: good" in str(app.screen.query_one("#detail-note", Static).render())


async def test_export_writes_what_is_on_screen(app, tmp_path):
    target = tmp_path / "frontier.csv"
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await until(pilot, target.exists)
    lines = target.read_text().splitlines()
    assert lines[0].startswith("paper_id,title,method,setting,baseline,x,y,on_frontier")
    assert len(lines) == 5


async def test_help_shows_the_keys(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "pick an objective pair" in str(app.screen.query_one(Static).render())
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_the_last_query_and_pair_come_back_next_time(tmp_path):
    first = TradeoffsApp([MINI])
    async with first.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, "sampler")
        await pick_pair(pilot, "quality:wait")
        await pilot.press("q")
    second = TradeoffsApp([MINI])
    async with second.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert second.screen.query_one("#search", Input).value == "sampler"
        assert main_screen(second).pair == "quality:wait"
        assert listed(second) == ["swift-sampler"]


async def test_a_corrupt_state_file_is_set_aside_with_a_message():
    state_path().parent.mkdir(parents=True, exist_ok=True)
    state_path().write_text("{ not json")
    app = TradeoffsApp([MINI])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert any("was not valid state" in n.message for n in app._notifications)
    aside = list(state_path().parent.glob("state.corrupt-*.json"))
    assert len(aside) == 1 and aside[0].read_text() == "{ not json"


async def test_a_broken_catalog_shows_its_problems_instead_of_crashing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("papers:\n  - id: x\n    title: T\n    colour: red\n")
    app = TradeoffsApp([MINI, bad])
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ProblemsScreen))
        text = str(app.screen.query_one("#problems Static", Static).render())
        assert f"{bad}:4:5: unknown field 'colour'" in text
        await pilot.press("q")


async def test_the_command_palette_offers_every_action(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {
            "Search",
            "Pick pair",
            "Swap axes",
            "Log scales",
            "Bookmark",
            "Note",
            "Export",
            "Help",
        } <= titles


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_small_terminals_and_resizing_do_not_break_it(app, size):
    async with app.run_test(size=size) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        await pilot.resize_terminal(30, 10)
        await pilot.pause(0.1)
        await pilot.resize_terminal(*SIZE)
        await pilot.pause(0.1)
        assert "on the frontier" in plot_text(app)


def test_state_file_lives_under_the_user_data_folder(user_dirs: Path):
    assert str(state_path()).startswith(str(user_dirs))


async def test_no_color_draws_the_plot_without_colour(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = TradeoffsApp([MINI])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        rendered = app.screen.query_one(FrontierPlot).render()
        assert "◆" in str(rendered)
        assert not any(span.style and getattr(span.style, "color", None) for span in rendered.spans)


async def test_clicking_a_column_header_sorts_by_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.pause(0.2)
        year = app.screen.query_one(PaperTable).column_x("year") + 1
        await pilot.click("#papers", offset=(year, 0))  # the Year header
        await until(pilot, lambda: listed(app) == ["quiet-baseline", "lean-quant", "swift-sampler"])
        await pilot.click("#papers", offset=(year, 0))
        await until(pilot, lambda: listed(app) == ["swift-sampler", "lean-quant", "quiet-baseline"])


async def test_the_app_and_an_export_share_the_catalog_at_once(app):
    import subprocess

    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        proc = subprocess.run(
            export_command(MINI, "jsonl"),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        assert len(proc.stdout.splitlines()) == 3
        await search(pilot, "sampler")
        assert listed(app) == ["swift-sampler"]


async def test_escape_sequences_in_titles_are_shown_not_obeyed(tmp_path):
    evil = tmp_path / "evil.yaml"
    evil.write_text(
        'papers:\n  - id: evil\n    title: "Evil \\e[2J\\e]0;pwned\\a title"\n'
        '    abstract: "Bad \\e[31m red"\n'
    )
    app = TradeoffsApp([MINI, evil])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        title = cell(app, "evil", "title")
        assert "\x1b" not in title and "\\x1b[2J" in title
        app.screen.query_one(PaperTable).move_to("evil")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        shown = str(app.screen.query_one("#detail-title", Static).content) + str(
            app.screen.query_one("#abstract", Static).content
        )
        assert "\x1b" not in shown and "\x07" not in shown


async def test_a_changed_catalog_is_noticed_and_reloaded_and_a_bad_change_keeps_the_last_good(tmp_path):
    import shutil

    folder = tmp_path / "catalog"
    shutil.copytree(MINI, folder)
    app = TradeoffsApp([folder])
    app.WATCH_SECONDS = 0.1
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        papers = folder / "papers.yaml"
        papers.write_text(papers.read_text().replace("A Quiet Baseline", "A Loud Baseline"))
        await until(pilot, lambda: any("press r to reload" in n.message for n in app._notifications))
        await pilot.press("r")
        await until(pilot, lambda: "Loud" in cell(app, "quiet-baseline", "title"))
        (folder / "broken.yaml").write_text("papers:\n  - id: [x\n")
        await pilot.press("r")
        await until(pilot, lambda: any("Reload failed" in n.message for n in app._notifications))
        assert listed(app) == ["swift-sampler", "lean-quant", "quiet-baseline"]
        assert "Loud" in cell(app, "quiet-baseline", "title")


async def test_every_column_sorts_even_with_missing_years(app, tmp_path):
    undated = tmp_path / "undated.yaml"
    undated.write_text("papers:\n  - id: undated\n    title: An Undated Paper\n")
    app = TradeoffsApp([MINI, undated])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        table = app.screen.query_one(PaperTable)
        for column in ("title", "year", "pairs", "results", "mark", "title"):
            main_screen(app).sort_by(column)
            await until(pilot, lambda c=column: table.sorted_by == (c, False))
            assert sorted(listed(app)) == ["lean-quant", "quiet-baseline", "swift-sampler", "undated"]
            if column == "year":
                assert listed(app)[-1] == "undated"  # a missing year after every year
        assert listed(app)[0] == "quiet-baseline"  # "A Quiet Baseline" before "An Undated Paper"
