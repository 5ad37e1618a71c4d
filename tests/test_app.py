"""The app, driven with the keyboard as a person would, on the small fixture catalog."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.style import Style
from rich.text import Text
from textual.app import App
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Checkbox, Input, Select, Static

import tui
from catalog.paths import default_catalog_paths
from catalog.query.explore import Explorer
from catalog.state import UserState, state_path
from catalog.store.store import open_store
from tui.app import TradeoffsApp
from tui.keys import described, key_label
from tui.screens.detail import EVIDENCE_STYLE, DetailScreen
from tui.screens.dialogs import ExportDialog, NoteDialog, PairPicker, ProblemsScreen
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.session import NotSaved, Session
from tui.widgets.frontier_plot import FrontierPlot
from tui.widgets.paper_lines import MATCH_STYLE
from tui.widgets.paper_table import PaperTable

from .conftest import MINI, export_command

SIZE = (110, 32)


@pytest.fixture(autouse=True)
def a_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if this machine had a web browser: links are handed to the app's ``open_url``, which
    the tests replace, so nothing opens."""
    import webbrowser

    monkeypatch.setattr(webbrowser, "get", lambda *args: object())


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


def listed(app: App[Any]) -> list[str]:
    return app.screen.query_one(PaperTable).ids


def cell(app: TradeoffsApp, paper_id: str, column: str) -> str:
    """What the list shows in ``column`` for ``paper_id`` (empty until its row is fetched)."""
    return str(app.screen.query_one(PaperTable).cell(paper_id, column) or "")


async def ready(pilot: Pilot) -> None:
    """The app is up and its first search answered; focus is in the search box."""
    await until(
        pilot, lambda: isinstance(pilot.app.screen, MainScreen) and pilot.app.screen.selection is not None
    )


async def started(pilot: Pilot) -> None:
    """The app is up, and down in the list, where letters are commands."""
    await ready(pilot)
    if isinstance(pilot.app.focused, Input):
        await pilot.press("down")


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
        assert "1 point, 1 on the frontier" in plot_text(app)
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


async def test_a_broken_file_is_left_out_with_a_banner_and_the_rest_opens(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("papers:\n  - id: x\n    title: T\n    colour: red\n")
    app = TradeoffsApp([MINI, bad])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert listed(app) == ["swift-sampler", "lean-quant", "quiet-baseline"]  # the rest is there
        banner = app.screen.query_one("#broken", Static)
        assert banner.display and "1 catalog file with problems left out" in str(banner.render())
        await pilot.press("exclamation_mark")
        # The screen is current before its content is composed: wait for the content.
        await until(
            pilot, lambda: isinstance(app.screen, ProblemsScreen) and app.screen.query("#problems Static")
        )
        text = str(app.screen.query_one("#problems Static", Static).render())
        assert f"{bad}:4:5: unknown field 'colour'" in text
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.is_running and app.screen.query_one("#broken", Static).display


async def test_a_whole_catalog_shows_no_banner(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert not app.screen.query_one("#broken", Static).display
        footer = {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}
        assert "show_problems" not in footer


async def test_the_command_palette_offers_every_action(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {
            "Search",
            "Pair",
            "Swap",
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


# Screens on their own, with a session and no TradeoffsApp ---------------------------------


class Host(App[None]):
    """The least app a screen needs: the app's styles, and the screen ``make`` builds, pushed."""

    CSS_PATH = Path(tui.__file__).parent / "app.tcss"

    def __init__(self, make: Callable[[], Screen[None]]) -> None:
        super().__init__()
        self.make = make
        self.opened: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(self.make())

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        self.opened.append(url)  # never a real browser in a test


def session_over(*paths: Path) -> Session:
    return Session(Explorer(open_store(list(paths))), UserState())


def messages(app: App[None]) -> list[str]:
    return [n.message for n in app._notifications]


async def test_the_detail_screen_works_with_a_session_and_no_app():
    session = session_over(MINI)
    host = Host(lambda: DetailScreen(session, session.explorer.paper("swift-sampler")))
    async with host.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(host.screen, DetailScreen))
        assert "Swift Sampler" in str(host.screen.query_one("#detail-title", Static).render())
        await pilot.press("b")
        assert session.is_bookmarked("swift-sampler")
        assert json.loads(state_path().read_text())["bookmarks"] == ["swift-sampler"]
        assert "★ bookmarked" in str(host.screen.query_one("#detail-meta", Static).render())
        await pilot.press("n")
        await until(pilot, lambda: isinstance(host.screen, NoteDialog))
        await pilot.press(*"see fig 3", "ctrl+s")
        await until(pilot, lambda: isinstance(host.screen, DetailScreen))
        assert session.note("swift-sampler") == "see fig 3"
        assert "Your note: see fig 3" in str(host.screen.query_one("#detail-note", Static).render())
        await pilot.press("o")
        assert host.opened == ["https://example.org/swift"]


async def test_the_main_screen_works_with_a_session_and_no_app():
    session = session_over(MINI)
    host = Host(lambda: MainScreen(session))
    async with host.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert listed(host) == ["swift-sampler", "lean-quant", "quiet-baseline"]
        await pilot.press("slash", *"quant")
        await until(pilot, lambda: session.state.last_query == "quant")
        assert listed(host) == ["lean-quant"]
        await pilot.press("enter", "enter")  # leave the box, open the paper
        await until(pilot, lambda: isinstance(host.screen, DetailScreen))
        assert host.screen.paper["id"] == "lean-quant"


async def test_screens_do_not_import_the_app_and_the_session_needs_no_textual():
    import subprocess
    import sys

    code = (
        "import sys, tui.session; textual = [m for m in sys.modules if m.split('.')[0] == 'textual'];"
        "import tui.screens.main, tui.screens.detail, tui.screens.dialogs, tui.screens.help;"
        "print(textual, 'tui.app' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "[] False", proc.stdout + proc.stderr


def test_a_state_that_cannot_be_saved_is_said_and_changes_nothing(tmp_path: Path):
    (tmp_path / "a-file").write_text("")
    session = Session(Explorer(open_store([MINI])), UserState(), tmp_path / "a-file" / "state.json")
    with pytest.raises(NotSaved, match="Could not save your bookmarks and notes"):
        session.toggle_bookmark("lean-quant")
    assert not session.is_bookmarked("lean-quant")


# Bugs that were ----------------------------------------------------------------------


@pytest.mark.parametrize("saved_pair", ["fid", "a:b:c", ":wait", "geneval:latency"])
async def test_a_saved_pair_this_catalog_does_not_know_is_not_plotted_but_kept(saved_pair):
    state_path().parent.mkdir(parents=True, exist_ok=True)
    state_path().write_text(json.dumps({"last_pair": saved_pair}))
    app = TradeoffsApp([MINI])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert main_screen(app).pair is None
        assert "Press p" in str(app.screen.query_one(FrontierPlot).render())
        await pilot.press("s")
        assert "no pair to swap" in str(app.screen.query_one("#status", Static).render())
    # Kept for the catalog it came from, until a pair is chosen here.
    assert json.loads(state_path().read_text())["last_pair"] == saved_pair
    app = TradeoffsApp([MINI])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        await pilot.press("s")
        assert main_screen(app).pair == "wait:quality"


async def test_swapping_without_a_pair_says_there_is_none(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("s")
        assert main_screen(app).pair is None and "no pair to swap" in status(app)


async def test_only_web_links_are_handed_to_the_browser(tmp_path):
    links = tmp_path / "links.yaml"
    links.write_text(
        "papers:\n"
        "  - id: bad-links\n    title: Bad Links\n    url: javascript:alert(1)\n"
        "    code: [file:///etc/passwd]\n"
        "  - id: mixed-links\n    title: Mixed Links\n    url: file:///etc/passwd\n"
        "    code: [javascript:alert(1), 'https://example.org/code']\n"
    )
    session = session_over(MINI, links)
    for paper_id, opened in (("bad-links", []), ("mixed-links", ["https://example.org/code"])):
        host = Host(lambda p=paper_id: DetailScreen(session, session.explorer.paper(p)))
        async with host.run_test(size=SIZE) as pilot:
            await until(pilot, lambda h=host: isinstance(h.screen, DetailScreen))
            await pilot.press("o")
            assert host.opened == opened
            refused = next(m for m in messages(host) if m.startswith("Not opened"))
            assert "file:///etc/passwd" in refused and "javascript:alert(1)" in refused


async def test_a_link_in_the_real_app_that_is_not_http_is_not_opened(tmp_path, monkeypatch):
    links = tmp_path / "links.yaml"
    links.write_text("papers:\n  - id: bad-links\n    title: Bad Links\n    url: file:///etc/passwd\n")
    app = TradeoffsApp([MINI, links])
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, "bad links")
        await pilot.press("escape", "enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        await pilot.press("o")
        assert opened == [] and any("Not opened" in m for m in messages(app))


async def test_a_state_file_that_turns_corrupt_mid_session_is_moved_aside_with_a_message(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        state_path().parent.mkdir(parents=True, exist_ok=True)
        state_path().write_text("garbage, not json")
        await pilot.press("b")
        warning = next(m for m in messages(app) if "was not valid state" in m)
        assert "moved to" in warning
        aside = list(state_path().parent.glob("state.corrupt-*.json"))
        assert len(aside) == 1 and aside[0].read_text() == "garbage, not json"
        assert json.loads(state_path().read_text())["bookmarks"] == ["swift-sampler"]


@pytest.mark.parametrize(
    ("fmt", "where"),
    [("csv", "missing-folder/x.csv"), ("parquet", "/nonexistent/x.parquet"), ("json", "is-a-folder")],
)
async def test_a_failed_export_says_why_naming_the_path_and_the_app_goes_on(app, tmp_path, fmt, where):
    target = tmp_path / where
    if where == "is-a-folder":
        target.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one(Select).value = fmt
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await until(pilot, lambda: any(m.startswith("Export failed") for m in messages(app)))
        failed = next(m for m in messages(app) if m.startswith("Export failed"))
        assert str(target) in failed
        assert any(n.severity == "error" for n in app._notifications)
        assert isinstance(app.screen, MainScreen) and app.is_running
        await search(pilot, "sampler")
        assert listed(app) == ["swift-sampler"]


async def test_a_successful_export_says_what_it_wrote(app, tmp_path):
    target = tmp_path / "papers.bib"
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one(Select).value = "bibtex"
        await pilot.pause()
        prefilled = Path(app.screen.query_one("#export-path", Input).value)
        assert prefilled == Path.cwd() / "tradeoffs.bib"  # the registry's extension; where, said
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await until(pilot, lambda: any(m.startswith("Wrote") for m in messages(app)))
    assert f"Wrote 3 records to {target}" in messages(app)
    assert target.read_text().count("@misc{") == 3


# The keys, said once -------------------------------------------------------------------

#: Keys the README's table lists that no binding of ours describes: the list's own movement
#: and enter (PaperTable's), and Textual's command palette.
NOT_OUR_BINDINGS = {"↑", "↓", "pgup", "pgdn", "home", "end", "enter", "ctrl+p"}


def readme_keys() -> set[str]:
    """Every key in the first column of README's "| key | does |" table."""
    text = (Path(__file__).parent.parent / "README.md").read_text()
    table = text.split("| key | does |", 1)[1].split("\n\n", 1)[0]
    keys = set()
    for line in table.splitlines()[2:]:
        first = line.split("|")[1]
        keys |= set(re.findall(r"`([^`]+)`", first))
    return keys


def our_bindings() -> list[Binding]:
    return [b for screen in (TradeoffsApp, MainScreen, DetailScreen) for b in described(screen.BINDINGS)]


def test_the_readme_key_table_lists_every_binding_and_nothing_else():
    listed_keys = readme_keys()
    bound = {key_label(b) for b in our_bindings()}
    assert bound - listed_keys == set(), "bindings the README does not list"
    assert listed_keys - bound - NOT_OUR_BINDINGS == set(), "keys the README lists that nothing binds"


async def test_the_help_lists_every_binding_from_the_bindings_themselves(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("question_mark")
        text = str(app.screen.query_one(Static).render())
        lines = text.splitlines()
        for binding in our_bindings():
            assert any(
                line.strip().startswith(key_label(binding)) and binding.tooltip in line for line in lines
            ), binding
        assert "↑ ↓ pgup pgdn home end" in text and "ctrl+p" in text and "slash" not in text
        assert 'tag:"LLM compression"' in text and "is:bookmarked" in text


async def test_each_screen_offers_its_own_bindings_in_the_palette(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Open link" not in commands
        assert commands["Swap"].help == "Swap the plot's axes (s)"
        assert commands["Reload catalog"].help.endswith("(r)")
        assert [c.title for c in app.get_system_commands(app.screen)].count("Quit") == 1
        await commands["Clear pair"].callback()
        assert main_screen(app).pair is None
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Back", "Bookmark", "Note", "Open link", "Help"} <= titles and "Swap" not in titles


async def test_quitting_keeps_the_view_and_says_when_the_state_file_was_moved_aside(app, monkeypatch):
    said: list[str] = []
    exit_ = app.exit

    def exit_saying(*args: Any, **kwargs: Any) -> None:
        said.append(str(kwargs.get("message")))
        exit_(*args, **kwargs)

    monkeypatch.setattr(app, "exit", exit_saying)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, "sampler")
        state_path().parent.mkdir(parents=True, exist_ok=True)
        state_path().write_text("[not, a, state")
        await pilot.press("escape", "q")
    assert len(said) == 1 and "was not valid state" in said[0]  # printed once the app has closed
    assert json.loads(state_path().read_text())["last_query"] == "sampler"
    assert len(list(state_path().parent.glob("state.corrupt-*.json"))) == 1


async def test_a_worker_that_fails_unexpectedly_is_said_and_the_screen_goes_on(monkeypatch):
    session = session_over(MINI)

    def broken(paper_id: str) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(session.explorer, "paper", broken)
    host = Host(lambda: MainScreen(session))
    async with host.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: any("Could not open the paper" in m for m in messages(host)))
        assert "the disk went away" in next(m for m in messages(host) if "Could not open" in m)
        assert isinstance(host.screen, MainScreen) and host.is_running
        await pilot.press("b")
        assert session.is_bookmarked("swift-sampler")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("what's \"", "0 papers"),
        ('tag:"unclosed', "no paper has the tag 'unclosed'"),
        ("year:2025-2023", "year:2025-2023 is an empty range"),
        ("pair:quality", "pair:quality should be pair:X:Y"),
    ],
)
async def test_any_text_in_the_search_box_is_searched_and_a_bad_filter_is_said(app, text, said):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, text)
        await until(pilot, lambda: said in status(app))
        assert app.is_running and isinstance(app.screen, MainScreen)


async def test_q_on_a_paper_goes_back_and_its_bookmark_shows_in_the_list(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        first = app.screen.query_one(PaperTable).current_id()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        await pilot.press("b", "q")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.is_running
        star = app.screen.query_one(PaperTable).cell(first, "mark")
        assert star is not None and "★" in star.plain


async def test_opening_a_link_with_no_browser_says_so_and_shows_the_link(monkeypatch):
    import webbrowser

    def no_browser(*args: object) -> object:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", no_browser)
    session = session_over(MINI)
    host = Host(lambda: DetailScreen(session, session.explorer.paper("swift-sampler")))
    async with host.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(host.screen, DetailScreen))
        await pilot.press("o")
        await until(pilot, lambda: any("No web browser" in m for m in messages(host)))
    assert host.opened == []
    assert any("https://example.org/swift" in m for m in messages(host))


async def test_without_colour_the_current_point_has_a_shape_of_its_own(app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        before = plot_text(app)
        assert "◉" not in before
        await pilot.press("right_square_bracket")
        await pilot.pause()
        after = plot_text(app)
        assert after.count("◉") == 2  # the point, and the legend saying what it is
        assert "◉ current" in after


async def test_typing_at_launch_searches_and_the_footer_says_how_to_reach_the_keys(app):
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert isinstance(app.focused, Input)
        footer = {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}
        assert "to_list" in footer and not {"pick_pair", "swap_axes", "note", "quit"} & footer
        await pilot.press(*"quant")
        await until(pilot, lambda: app.user_state.last_query == "quant")
        assert main_screen(app).pair is None and isinstance(app.screen, MainScreen)  # no hotkey fired
        assert listed(app) == ["lean-quant"]
        await pilot.press("down")
        assert isinstance(app.focused, PaperTable)
        footer = {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}
        assert {"pick_pair", "bookmark", "quit"} <= footer and "to_list" not in footer


async def test_export_asks_before_replacing_a_file_and_can_keep_to_the_frontier(app, tmp_path):
    target = tmp_path / "frontier.csv"
    target.write_text("keep me\n")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one("#export-path", Input).value = str(target)
        app.screen.query_one("#export-frontier", Checkbox).value = True
        await pilot.press("enter")
        await until(pilot, lambda: any("exists: export again to replace it" in m for m in messages(app)))
        assert isinstance(app.screen, ExportDialog) and target.read_text() == "keep me\n"
        await pilot.press("enter")
        await until(pilot, lambda: any(m.startswith("Wrote") for m in messages(app)))
    lines = target.read_text().splitlines()
    assert len(lines) == 3 and all(",True," in line for line in lines[1:])  # the two frontier points


async def test_the_palette_offers_the_apps_actions_first_each_with_its_key(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        commands = list(app.get_system_commands(app.screen))
        ours = {b.description for b in our_bindings()}
        first_textual = next(i for i, c in enumerate(commands) if c.title not in ours)
        assert all(c.title not in ours for c in commands[first_textual:])
        assert all(c.help.endswith(")") for c in commands[:first_textual])  # "... (p)"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles.count("Back") == 1 and titles[0] == "Back"


async def test_the_plot_follows_the_theme_no_light_panel_in_a_dark_app(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        rendered = app.screen.query_one(FrontierPlot).render()
        assert isinstance(rendered, Text)
        styles = [s.style for s in rendered.spans]
        assert styles  # the frontier is coloured...
        assert all(not isinstance(s, Style) or s.bgcolor is None for s in styles)  # ...on no panel
        frontier = app.get_css_variables()["primary"]
        assert any(str(s) == frontier for s in styles)


async def test_at_80x24_the_list_has_the_room_and_titles_get_30_characters(app):
    from tui.widgets.paper_lines import widths

    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        assert not app.screen.query_one(FrontierPlot).display  # no pair yet: the list alone
        table = app.screen.query_one(PaperTable)
        assert widths(table.scrollable_content_region.width)[0] >= 30
        await pick_pair(pilot, "quality:wait")
        await pilot.pause()
        assert app.screen.query_one(FrontierPlot).display  # under the list
        assert widths(table.scrollable_content_region.width)[0] >= 30
        assert "pair quality:wait" in status(app)


async def test_at_120x36_with_the_plot_beside_the_list_titles_keep_28_characters(app):
    from tui.widgets.paper_lines import widths

    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        await pilot.pause()
        table, plot = app.screen.query_one(PaperTable), app.screen.query_one(FrontierPlot)
        assert plot.display and plot.region.x > table.region.x  # beside, not under
        assert widths(table.scrollable_content_region.width)[0] >= 28
        assert plot.region.width >= 55  # and the plot stays wide enough to read


async def test_a_wide_first_screen_suggests_the_pairs_with_the_most_points(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        await until(pilot, lambda: "pairs with the most points" in plot_text(app))
        text = plot_text(app)
        assert "quality:wait  ·  4 points" in text and "Press p" in text


async def test_a_list_too_long_to_pair_says_how_to_see_its_richest_pairs(app, monkeypatch):
    from catalog.query.explore import Explorer

    monkeypatch.setattr(Explorer, "SUGGEST_PAIRS_UP_TO", 1)  # MINI lists 3 papers
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        await until(pilot, lambda: "narrow the search" in plot_text(app))
        assert "3 papers are listed: narrow the search to 1 or fewer" in plot_text(app)
        await search(pilot, "swift sampler")  # one paper: its pairs again
        await until(pilot, lambda: "pairs with the most points:" in plot_text(app))


async def test_at_80x24_a_sorted_columns_arrow_and_a_long_status_are_never_cut(tmp_path):
    from tui.widgets.paper_lines import COLUMNS, spans

    app = TradeoffsApp([MINI])
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        for key in ("results", "mark", "year"):
            main_screen(app).sort_by(key)
            await until(
                pilot,
                lambda k=key: (
                    app.screen.query_one(PaperTable).sorted_by is not None
                    and app.screen.query_one(PaperTable).sorted_by[0] == k
                ),
            )
            await pilot.pause()
            table = app.screen.query_one(PaperTable)
            header = table.render_line(0).text
            start, end = next((s, e) for k, s, e in spans(table.scrollable_content_region.width) if k == key)
            assert "▲" in header[start:end] or "▼" in header[start:end], (key, header)
        assert len(COLUMNS) == 5
        status_widget = app.screen.query_one("#status", Static)
        main_screen(app).update_status("conditions differ: " + "hardware: A100 (3), H100 (2); " * 6)
        await pilot.pause()
        assert status_widget.size.height >= 2  # wrapped, not cut


async def test_braces_step_along_the_frontier_only(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        plot = app.screen.query_one(FrontierPlot)
        frontier = [p for p in plot.ordered() if p["on_frontier"]]
        assert 0 < len(frontier) < len(plot.ordered())  # some points are dominated
        visited = []
        for _ in range(len(frontier) + 1):
            await pilot.press("right_curly_bracket")
            visited.append(plot.ordered()[plot.cursor]["method"])
        assert visited[:-1] == [p["method"] for p in frontier]  # along x, frontier points only
        assert visited[-1] == visited[0]  # and round again
        await pilot.press("left_curly_bracket")
        assert plot.ordered()[plot.cursor]["on_frontier"] and "on the frontier" in status(app)


async def test_clicking_a_point_on_the_plot_selects_it_and_its_paper(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        await pilot.pause()
        plot = app.screen.query_one(FrontierPlot)
        lines = plot_text(app).splitlines()
        row = next(i for i, line in enumerate(lines) if "◆" in line or "◈" in line)
        column = max(lines[row].rfind("◆"), lines[row].rfind("◈"))
        # The plot's content starts after its left border.
        await pilot.click(FrontierPlot, offset=(column + 1, row))
        await until(pilot, lambda: plot.cursor is not None)
        point = plot.ordered()[plot.cursor]
        assert point["on_frontier"] and f"[{point['paper_id']}]" in status(app)
        assert point["y"] == max(p["y"] for p in plot.ordered() if p["on_frontier"])  # the top one
        assert app.screen.query_one(PaperTable).current_id() == point["paper_id"]


async def test_the_pair_picker_puts_a_pair_written_out_first_either_way_round():
    app = TradeoffsApp(default_catalog_paths())
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PairPicker))
        await pilot.press(*"latency:fid/mjhq30k", "enter")
        await until(pilot, lambda: isinstance(app.screen, MainScreen) and main_screen(app).pair is not None)
        assert main_screen(app).pair == "latency:fid/mjhq30k"


async def test_typing_at_launch_replaces_the_query_kept_from_last_time():
    state_path().parent.mkdir(parents=True, exist_ok=True)
    state_path().write_text(json.dumps({"last_query": "quant"}))
    app = TradeoffsApp([MINI])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.screen.query_one("#search", Input).value == "quant"
        await pilot.press(*"sampler")
        await until(pilot, lambda: app.user_state.last_query == "sampler")
        assert app.screen.query_one("#search", Input).value == "sampler"


async def test_one_author_is_one_author(tmp_path):
    import shutil

    folder = tmp_path / "one"
    shutil.copytree(MINI, folder)
    papers = folder / "papers.yaml"
    papers.write_text(
        papers.read_text().replace("authors: [Ada Lovelace, Alan Turing]", "authors: [Ada Lovelace]")
    )
    session = session_over(folder)
    host = Host(lambda: DetailScreen(session, session.explorer.paper("swift-sampler")))
    async with host.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(host.screen, DetailScreen))
        meta = str(host.screen.query_one("#detail-meta", Static).render())
        assert "1 author: Ada Lovelace" in meta
