"""What the main screens look like, at a fixed size, on the small fixture catalog."""

from __future__ import annotations

from tui.app import TradeoffsApp
from tui.screens.detail import DetailScreen
from tui.screens.dialogs import PairPicker

from .conftest import MINI
from .test_app import pick_pair, started, until

SIZE = (100, 30)


def test_main_screen_with_a_frontier(snap_compare):
    async def run_before(pilot):
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        await pilot.press("down")

    assert snap_compare(TradeoffsApp([MINI]), terminal_size=SIZE, run_before=run_before)


def test_pair_picker(snap_compare):
    async def run_before(pilot):
        await started(pilot)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(pilot.app.screen, PairPicker))
        await until(pilot, lambda: pilot.app.screen.query_one("#pair-options").option_count > 0)
        pilot.app.screen.query_one("#pair-filter").cursor_blink = False  # a blinking cursor is a clock
        await pilot.pause(0.1)

    assert snap_compare(TradeoffsApp([MINI]), terminal_size=SIZE, run_before=run_before)


def test_paper_detail(snap_compare):
    async def run_before(pilot):
        await started(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, DetailScreen))
        await pilot.pause(0.1)

    assert snap_compare(TradeoffsApp([MINI]), terminal_size=SIZE, run_before=run_before)
