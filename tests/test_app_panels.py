"""The app's pages of drawn text: the grid of pairs (``g`` adds the current pair, ``G`` draws
them side by side) and the claims map (``m``), each the same drawing the command line gives."""

from __future__ import annotations

from textual.widgets import Static

from catalog.query.claims_map import claims_map
from tui.app import TradeoffsApp
from tui.claims_plot import claims_map_text
from tui.commands.plot import multiples_text
from tui.screens.main import MainScreen
from tui.screens.panel import PanelScreen

from .conftest import MINI
from .test_app import main_screen, pick_pair, started, until

SIZE = (120, 40)


def page_text(app: TradeoffsApp) -> str:
    """The page's text ("" until the page is mounted)."""
    texts = app.screen.query("#panel-text")
    return str(texts.first(Static).render()) if texts else ""


def page_width(app: TradeoffsApp) -> int | None:
    """The width the open page was drawn for, once its drawing (in a thread) is on screen."""
    return app.screen.drawn_for if isinstance(app.screen, PanelScreen) else None


def notices(app: TradeoffsApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_g_adds_pairs_to_the_grid_and_G_draws_them_as_the_command_line_does():
    app = TradeoffsApp([MINI])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("G")
        await until(pilot, lambda: any("The grid is empty" in n for n in notices(app)))
        await pick_pair(pilot, "quality:wait")
        await pilot.press("g")
        await pick_pair(pilot, "quality:size")
        await pilot.press("g")
        await until(pilot, lambda: main_screen(app).grid == ["quality:wait", "quality:size"])
        assert any("Added quality:size to the grid (2 pairs" in n for n in notices(app))
        await pilot.press("G")
        await until(pilot, lambda: page_width(app))
        shown = page_text(app)
        assert (
            app.screen.query_one("#panel-title").render().plain.startswith("Grid: 2 pairs for the 3 listed")
        )
        screen_width = app.screen.size.width
        store = app.session.explorer.store
        expected = multiples_text(
            store, ["quality:wait", "quality:size"], (main_screen_ids(app), ()), (screen_width - 4, 24)
        )
        assert shown.rstrip() == expected.rstrip()
        assert "quality:wait" in shown and "quality:size" in shown
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("g")  # again on the current pair: out of the grid
        await until(pilot, lambda: main_screen(app).grid == ["quality:wait"])


def main_screen_ids(app: TradeoffsApp) -> list[str]:
    for screen in app.screen_stack:
        if isinstance(screen, MainScreen):
            return screen.listed_ids()
    raise AssertionError("no main screen")


async def test_m_shows_the_claims_map_of_the_listed_papers():
    app = TradeoffsApp([MINI])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("m")
        await until(pilot, lambda: page_width(app))
        shown = page_text(app)
        answer = claims_map(app.session.explorer.store, main_screen_ids(app))
        height = max(12, min(20, SIZE[1] - 10))
        assert shown.rstrip() == claims_map_text(answer, app.screen.size.width - 4, height).rstrip()
        assert app.screen.query_one("#panel-title").render().plain.startswith("Claims map")
        await pilot.press("q")  # closes the page, not the app
        await until(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_a_page_is_drawn_again_for_a_new_width():
    widths: list[int] = []

    def draw(width: int) -> str:
        widths.append(width)
        return f"drawn for {width}\n[bold]not markup[/]"

    app = TradeoffsApp([MINI])
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        app.push_screen(PanelScreen("[red]a title[/]", draw))
        await until(pilot, lambda: page_width(app))
        assert "[bold]not markup[/]" in page_text(app)
        assert app.screen.query_one("#panel-title").render().plain == "[red]a title[/]"
        await pilot.resize_terminal(140, 30)
        await until(pilot, lambda: page_width(app) == 136)
        assert "drawn for 136" in page_text(app)


def test_the_grid_is_the_plot_commands_small_multiples(run):
    """What the app's grid draws is what `tradeoffs plot X:Y W:Z` prints at that size."""
    from catalog.store.store import open_store

    printed = run(
        "plot",
        "quality:wait",
        "quality:size",
        "--no-default",
        "--catalog",
        str(MINI),
        "--width",
        "100",
        "--height",
        "14",
    )
    store = open_store([MINI])
    drawn = multiples_text(store, ["quality:wait", "quality:size"], (None, ()), (100, 14))
    assert printed.code == 0
    assert printed.out == drawn
    assert "quality:wait" in drawn and "quality:size" in drawn


async def test_y_draws_one_frontier_per_group_as_plot_by_does(tmp_path):
    from tui.commands.plot import groups_text
    from tui.screens.dialogs import ChoiceDialog

    from .test_frontier_sql import write_catalog

    write_catalog(
        tmp_path,
        [[(0, 10, {"hardware": "A100"}), (5, 4, {"hardware": "H100"})], [(10, 0, {"hardware": "A100"})]],
        "higher",
        "higher",
    )
    app = TradeoffsApp([tmp_path])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_pair(pilot, "ox:oy")
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        offered = [value for value, _ in app.screen.choices]
        assert offered == ["paper", "tag", "hardware"]  # the conditions the points state
        await pilot.press("down", "down", "enter")
        await until(pilot, lambda: page_width(app))
        shown = page_text(app)
        store = app.session.explorer.store
        height = max(16, min(30, SIZE[1] - 8))
        drawn = groups_text(store, "ox:oy", "hardware", (main_screen_ids(app), ()), (SIZE[0] - 4, height))
        assert shown.rstrip() == drawn.rstrip()
        assert "2 groups by hardware" in shown


async def test_a_reads_the_frontier_at_budgets_and_refuses_what_is_not_a_number(tmp_path):
    from tui.screens.dialogs import AnswerDialog, AskDialog

    from .test_frontier_sql import write_catalog

    write_catalog(tmp_path, [[(1, 10), (5, 4), (10, 0)]], "lower", "higher")
    app = TradeoffsApp([tmp_path])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_pair(pilot, "ox:oy")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AskDialog))
        await pilot.press(*"two", "enter")
        await until(pilot, lambda: any("Budgets are numbers" in n for n in notices(app)))
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AskDialog))
        await pilot.press(*"0.5,6", "enter")
        await until(pilot, lambda: isinstance(app.screen, AnswerDialog))
        assert app.screen.lines == [
            "ox at most 0.5: no point within it",
            "ox at most 6: best oy 10, by m0-0 [p0] at ox 1",
        ]


async def test_B_writes_the_pairs_bundle_as_the_command_does_and_refuses_a_folder_of_other_files(tmp_path):
    from textual.widgets import Input

    from tui.screens.dialogs import AskDialog

    target, busy = tmp_path / "bundle", tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    app = TradeoffsApp([MINI])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        for folder in (target, busy):
            await pilot.press("B")
            await until(pilot, lambda: isinstance(app.screen, AskDialog))
            box = app.screen.query_one("#ask", Input)
            assert box.value == "quality-wait-frontier"  # a suggestion, to take or change
            box.value = str(folder)
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, MainScreen))
        await until(pilot, lambda: any("it holds other files (notes.txt)" in n for n in notices(app)))
        assert any("2 on the frontier" in n for n in notices(app))
    assert sorted(p.name for p in target.iterdir()) == sorted(
        ["points.csv", "points.md", "points.tex", "plot.txt", "plot.svg", "papers.bib", "README.md"]
    )
    again = (target / "README.md").read_text()
    assert "tradeoffs bundle quality:wait -o" in again
    assert f"--no-default --catalog {MINI}" in again  # the command reads the app's catalog
    assert (busy / "notes.txt").read_text() == "mine" and len(list(busy.iterdir())) == 1


async def test_a_page_draws_in_a_thread_of_its_own_and_says_so_when_drawing_fails():
    import threading

    release = threading.Event()

    def slow(width: int) -> str:
        release.wait(10)
        return "drawn at last"

    def broken(width: int) -> str:
        raise ValueError("no such group")

    app = TradeoffsApp([MINI])
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        app.push_screen(PanelScreen("slow", slow))
        await until(pilot, lambda: isinstance(app.screen, PanelScreen))
        await pilot.pause(0.2)
        assert page_text(app) == "Drawing…" and page_width(app) is None  # the app answers meanwhile
        release.set()
        await until(pilot, lambda: page_width(app))
        assert page_text(app) == "drawn at last"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        app.push_screen(PanelScreen("broken", broken))
        await until(pilot, lambda: "Could not draw the page: no such group" in page_text(app))
        assert page_width(app) is None


async def test_a_page_title_longer_than_the_screen_wraps_rather_than_being_cut():
    title = "accuracy/aime24:tokens/aime24: one frontier per paper, for the 102 listed papers"
    app = TradeoffsApp([MINI])
    async with app.run_test(size=(60, 24)) as pilot:
        await started(pilot)
        app.push_screen(PanelScreen(title, lambda width: "drawn"))
        await until(pilot, lambda: page_width(app))
        label = app.screen.query_one("#panel-title")
        shown = " ".join(label.render_line(y).text.strip() for y in range(label.size.height))
        assert label.size.height >= 2 and shown.split() == title.split()
