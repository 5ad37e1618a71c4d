"""What the main screens look like, at a fixed size, on the small fixture catalog."""

from __future__ import annotations

from tui.app import TradeoffsApp

from .conftest import MINI
from .test_app import pick_pair, started

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
        await pilot.pause(0.2)

    assert snap_compare(TradeoffsApp([MINI]), terminal_size=SIZE, run_before=run_before)


def test_paper_detail(snap_compare):
    async def run_before(pilot):
        await started(pilot)
        await pilot.press("enter")
        await pilot.pause(0.2)

    assert snap_compare(TradeoffsApp([MINI]), terminal_size=SIZE, run_before=run_before)
