"""Hostile inputs and faults: odd file names, extreme values and sizes, interrupts, damaged
caches and state, a missing home. Each ends in a clear message and a known exit code, never a
traceback, and nothing of the user's data is lost."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .test_app import started

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


def mini_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    shutil.copytree(MINI, folder)
    return folder


# File names are bytes ------------------------------------------------------------------------


@pytest.fixture
def odd_names(tmp_path: Path) -> Path:
    """A catalog with a valid file whose name is not UTF-8, and a broken one whose name holds a
    byte that is not UTF-8 and a newline."""
    folder = mini_copy(tmp_path)
    os.mkdir(os.fsencode(folder) + b"/sub\xfe")
    with open(os.fsencode(folder) + b"/sub\xfe/bad\xff.yaml", "wb") as handle:
        handle.write(b"papers: []\n")
    with open(os.fsencode(folder) + b"/two\nlines\xff.yaml", "wb") as handle:
        handle.write(b"papers:\n  - id: [\n")
    return folder


def test_a_file_name_that_is_not_utf8_is_shown_escaped_on_one_line(odd_names, run_process):
    result = run_process("validate", "--no-default", "--catalog", str(odd_names))
    assert result.code == 1 and "Traceback" not in result.err
    problem = next(line for line in result.err.splitlines() if "two" in line)
    assert problem.endswith(
        "YAML syntax error: while parsing a flow node (at line 3), did not find expected node content"
    )
    assert "two\\nlines\\xff.yaml:3:1:" in problem  # one line, the name escaped, its place kept


def test_every_command_works_with_such_names(odd_names, run_process):
    for args in (
        ["search", "swift"],
        ["pairs"],
        ["export", "--format", "csv"],
        ["sql", "SELECT count(*) AS n, list(file ORDER BY file) AS files FROM papers"],
    ):
        result = run_process(*args, "--no-default", "--catalog", str(odd_names), "--skip-broken")
        assert result.code == 0, result.err
        assert "Traceback" not in result.err
        assert "two\\nlines\\xff.yaml" in result.err  # named as left out, escaped


async def test_the_app_opens_with_such_names_and_lists_the_broken_one(odd_names):
    from textual.widgets import Static

    from tests.test_app import until
    from tui.app import TradeoffsApp
    from tui.screens.dialogs import ProblemsScreen

    app = TradeoffsApp([odd_names])
    async with app.run_test(size=(100, 24)) as pilot:
        await started(pilot)
        await pilot.press("exclamation_mark")
        await until(
            pilot, lambda: isinstance(app.screen, ProblemsScreen) and app.screen.query("#problems Static")
        )
        assert "two\\nlines\\xff.yaml:3:1" in str(app.screen.query_one("#problems Static", Static).render())


def test_the_cache_keeps_such_a_file_and_reads_it_again_only_when_it_changes(tmp_path):
    from catalog.store.store import open_store

    folder = mini_copy(tmp_path)
    name = os.fsencode(folder) + b"/more\xff.yaml"
    with open(name, "wb") as handle:
        handle.write(b"papers: []\n")
    assert open_store([folder]).files_read == 3
    assert open_store([folder]).from_cache
    with open(name, "wb") as handle:
        handle.write(b"papers: []  # again\n")
    store = open_store([folder])
    assert store.files_read == 1 and not store.from_cache
