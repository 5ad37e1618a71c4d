"""The paper list at a few thousand papers: all of them listed, only a screenful drawn and held."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Static

from tui.app import TradeoffsApp
from tui.screens.detail import DetailScreen
from tui.widgets.paper_table import PaperTable

from .test_app import main_screen, started, until

SIZE = (110, 32)
COUNT = 3000
#: The one paper whose title sorts first, and the one with the latest year; both sit deep in
#: catalog order, far from the first screen.
FIRST_TITLE = 2345
LATEST = 1234


def paper_id(i: int) -> str:
    return f"paper-{i:04d}"


def title(i: int) -> str:
    if i == FIRST_TITLE:
        return "Aardvark Study of Everything"
    return f"Study {i:04d} of trade-offs"


@pytest.fixture(scope="module")
def big_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One file of ``COUNT`` small papers, in catalog order ``paper-0000`` onwards."""
    folder = tmp_path_factory.mktemp("big")
    lines = ["papers:"]
    for i in range(COUNT):
        year = 2025 if i == LATEST else 2001 + i % 20
        lines += [f"  - id: {paper_id(i)}", f'    title: "{title(i)}"', f'    published: "{year}"']
    (folder / "papers.yaml").write_text("\n".join(lines) + "\n")
    return folder


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def app(big_catalog: Path, shared_cache: Path, user_dirs: Path, monkeypatch: pytest.MonkeyPatch):
    # The catalog is built once for the module; everything else stays per test.
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache))
    return TradeoffsApp([big_catalog])


def table_of(app: TradeoffsApp) -> PaperTable:
    return app.screen.query_one(PaperTable)


def on_screen(app: TradeoffsApp) -> list[str]:
    """The list's lines as drawn, header first."""
    table = table_of(app)
    return [table.render_line(y).text for y in range(table.size.height)]


def shows(app: TradeoffsApp, i: int) -> bool:
    """Whether paper i is drawn in the list (False while the list is still being mounted)."""
    if not app.screen.query(PaperTable):
        return False
    return any(line.startswith(f" {title(i)[:12]}") for line in on_screen(app)[1:])


def status(app: TradeoffsApp) -> str:
    return str(app.screen.query_one("#status", Static).render())


async def test_every_paper_is_listed_but_only_a_few_rows_are_held(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        table = table_of(app)
        assert status(app).startswith(f"{COUNT:,} papers")
        assert table.row_count == COUNT
        assert table.ids[0] == paper_id(0) and table.ids[-1] == paper_id(COUNT - 1)
        assert shows(app, 0) and shows(app, 20)
        assert table.cached_rows <= 400


async def test_end_shows_the_last_paper_and_home_the_first(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        table = table_of(app)
        await pilot.press("end")
        assert table.current_id() == paper_id(COUNT - 1)
        await until(pilot, lambda: shows(app, COUNT - 1))
        assert on_screen(app)[-1].startswith(f" {title(COUNT - 1)[:12]}")  # the last line, not beyond
        assert not shows(app, 0)
        assert table.cached_rows < COUNT // 4
        await pilot.press("home")
        assert table.current_id() == paper_id(0)
        await until(pilot, lambda: shows(app, 0))


async def test_page_keys_move_a_screenful_and_arrows_one_line(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        table = table_of(app)
        page = table.page_height - 1
        await pilot.press("down", "down")
        assert table.current_id() == paper_id(2)
        await pilot.press("pagedown")
        assert table.current_id() == paper_id(2 + page)
        assert table.scroll_y == page  # the cursor keeps its place on screen
        await until(pilot, lambda: shows(app, 2 + page))
        await pilot.press("pageup", "up")
        assert table.current_id() == paper_id(1)
        assert table.scroll_y == 0


async def test_the_mouse_wheel_scrolls_and_a_click_picks_then_opens(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        table = table_of(app)
        for _ in range(10):
            table.post_message(events.MouseScrollDown(table, 5, 5, 0, 1, 0, False, False, False))
        await until(pilot, lambda: table.scroll_y > 10)
        top = round(table.scroll_y)
        await until(pilot, lambda: shows(app, top))
        assert table.current_id() == paper_id(0)  # scrolling leaves the cursor where it was
        await pilot.click("#papers", offset=(5, 3))  # the third line of papers
        assert table.current_id() == paper_id(top + 2)
        await pilot.click("#papers", offset=(5, 3))
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        assert title(top + 2) in str(app.screen.query_one("#detail-title", Static).render())


async def test_sorting_orders_the_whole_list_not_just_what_is_drawn(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        table = table_of(app)
        await pilot.click("#papers", offset=(table.column_x("title") + 1, 0))
        await until(pilot, lambda: table.sorted_by == ("title", False))
        assert table.ids[0] == paper_id(FIRST_TITLE)
        assert shows(app, FIRST_TITLE) and "Title ▲" in on_screen(app)[0]
        await pilot.click("#papers", offset=(table.column_x("year") + 1, 0))
        await pilot.click("#papers", offset=(table.column_x("year") + 1, 0))
        await until(pilot, lambda: table.sorted_by == ("year", True))
        assert table.ids[0] == paper_id(LATEST)
        assert len(table.ids) == COUNT
        await pilot.press("end")
        await until(pilot, lambda: table.current_id() == table.ids[-1])
        await until(pilot, lambda: "2001" in on_screen(app)[-1])  # the oldest papers last


async def test_a_search_keeps_the_sort_and_the_count(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        main_screen(app).sort_by("title")
        await until(pilot, lambda: table_of(app).sorted_by == ("title", False))
        await pilot.press("slash", *"aardvark")
        await until(pilot, lambda: app.user_state.last_query == "aardvark")
        assert table_of(app).ids == [paper_id(FIRST_TITLE)]
        assert status(app).startswith("1 paper")
        await pilot.press(*["backspace"] * len("aardvark"))
        await until(pilot, lambda: app.user_state.last_query == "")
        assert table_of(app).ids[0] == paper_id(FIRST_TITLE)  # still sorted by title
        assert status(app).startswith(f"{COUNT:,} papers")


async def test_a_jump_far_down_the_list_never_draws_a_line_still_waiting_for_its_row(app):
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        table = table_of(app)
        fetch, main = table.fetch, threading.main_thread()

        def slow_off_the_ui_thread(ids):
            if threading.current_thread() is not main:
                time.sleep(0.5)  # a catalog busy elsewhere: rows fetched ahead arrive late
            return fetch(ids)

        table.fetch = slow_off_the_ui_thread
        drawn: list[str] = []
        render_lines = table.render_lines

        def recording(crop):
            strips = render_lines(crop)
            drawn.extend(s.text for s in strips)
            return strips

        table.render_lines = recording  # type: ignore[method-assign]
        # Stepping through a plot's points puts the cursor on a paper anywhere in the list.
        for index in (1500, 2200, 700):
            drawn.clear()
            table.move_to(paper_id(index))
            await until(pilot, lambda i=index: shows(app, i))
            waiting = [line for line in drawn if line.startswith(" paper-")]
            assert not waiting, f"lines drawn before their rows: {waiting[:3]}"


async def test_typing_while_the_catalog_opens_is_the_first_search_not_commands(big_catalog, user_dirs):
    from contextlib import ExitStack

    from textual.widgets import Input

    from catalog.store import cache
    from tui.screens.dialogs import LoadingScreen

    app = TradeoffsApp([big_catalog])
    with ExitStack() as building:  # another process builds this catalog: the app waits for it
        building.enter_context(cache.build_lock(cache.cache_prefix([big_catalog])))
        async with app.run_test(size=SIZE) as pilot:
            assert isinstance(app.screen, LoadingScreen)
            await pilot.press("q", "question_mark", "r")  # quit, help and reload, were they commands
            await pilot.press("backspace", "backspace", "backspace", *"study 0042")
            await pilot.pause(0.2)
            assert isinstance(app.screen, LoadingScreen) and app.is_running
            building.close()
            await until(pilot, lambda: app.screen.__class__.__name__ == "MainScreen" and shows(app, 42))
            assert app.screen.query_one("#search", Input).value == "study 0042"
