"""The interactive app: ``tradeoffs`` with no command (``--view NAME``: opened on that view)."""

from __future__ import annotations

import argparse
import os
from typing import TextIO

from tui.commands.base import (
    EXIT_OK,
    catalog_paths,
)


def run(args: argparse.Namespace, out: TextIO) -> int:
    from tui.app import TradeoffsApp

    # Textual lets COLUMNS and LINES override the terminal's real size; a stale exported value
    # would lay the app out for a screen it does not have.
    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)
    TradeoffsApp(catalog_paths(args), view=getattr(args, "opened_view", None)).run()
    return EXIT_OK
