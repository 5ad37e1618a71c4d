"""The real ``tradeoffs`` in a real terminal: type a query and a pair, read the screen."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from .conftest import MINI, export_command

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"
)


class Terminal:
    """A tmux session running one command, with keys to send and a screen to read.

    Each terminal has a tmux server of its own (``-L``), so other tmux users on the machine
    (or another test run) can neither see nor stop it.
    """

    def __init__(self, command: str, width: int = 100, height: int = 30) -> None:
        self.name = f"tradeoffs-{uuid.uuid4().hex[:8]}"
        self.tmux = ["tmux", "-L", self.name]
        subprocess.run(
            [*self.tmux, "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), command],
            check=True,
            # The tests run with COLUMNS=120 set: the app must size itself to the terminal anyway.
            env={**os.environ, "TERM": "xterm-256color"},
        )

    def send(self, *keys: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def screen(self) -> str:
        return subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True, check=True
        ).stdout

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def wait_gone(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text not in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never went away; the screen shows:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


def app_command(catalog: Path) -> str:
    """The shell command that opens the app on ``catalog`` alone, with this test's user folders."""
    env = " ".join(
        f"{k}={shlex.quote(os.environ[k])}" for k in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME")
    )
    root = shlex.quote(str(Path(__file__).parent.parent))
    python = shlex.quote(sys.executable)
    return f"cd {root} && env {env} {python} -m tui --no-default --catalog {shlex.quote(str(catalog))}"


@pytest.fixture
def terminal(user_dirs: Path):
    term = Terminal(app_command(MINI))
    yield term
    term.close()


def test_search_and_a_pair_in_a_real_terminal(terminal):
    terminal.wait_for("3 papers")
    terminal.wait_for("↓ List")  # the footer says how to reach the keys (drawn after the list)
    terminal.send("-l", "swfit")  # typing at launch searches: focus starts in the search box
    screen = terminal.wait_for("\n 1 paper\n")
    assert "Swift Sampler" in screen and "Lean Quant" not in screen
    terminal.send("Down", "p")  # in one burst: the p reaches the list, where it is a key
    terminal.wait_for("Pick an objective pair")
    time.sleep(0.3)
    terminal.send("-l", "quality:wait")
    terminal.send("Enter")
    # Each check waits for its text: a capture can land between two parts of a redraw.
    terminal.wait_for("3 points, 2 on the frontier ◆")  # the list holds one paper: its three points
    terminal.wait_for("Wait time (ms)  ↓ better")
    terminal.wait_for("Quality score (points)  → better")
    terminal.send("q")


def test_two_apps_and_an_export_at_once(user_dirs: Path):
    env = " ".join(f"{k}={shlex.quote(os.environ[k])}" for k in ("XDG_CACHE_HOME", "XDG_DATA_HOME"))
    python = shlex.quote(sys.executable)
    catalog = shlex.quote(str(MINI))
    root = shlex.quote(str(Path(__file__).parent.parent))
    command = f"cd {root} && env {env} {python} -m tui --no-default --catalog {catalog}"
    first, second = Terminal(command), Terminal(command)
    try:
        first.wait_for("3 papers")
        second.wait_for("3 papers")
        export = subprocess.run(
            export_command(MINI, "jsonl"),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert export.returncode == 0 and len(export.stdout.splitlines()) == 3
        for term in (first, second):
            term.send("b")  # both write the same state file
        time.sleep(0.5)
        for term in (first, second):
            term.send("q")
    finally:
        first.close()
        second.close()


SMALL_FILES_ONLY = (
    "import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
    "resource.setrlimit(resource.RLIMIT_FSIZE, (200000, 200000)); "
    "from tui.cli import main; sys.exit(main(sys.argv[1:]))"
)


def test_the_app_with_no_room_for_its_database_says_why_and_stays_open(user_dirs: Path):
    # As on a full disk: writing a file past 200 kB fails, so no database can be built.
    env = " ".join(f"{k}={shlex.quote(os.environ[k])}" for k in ("XDG_CACHE_HOME", "XDG_DATA_HOME"))
    root = shlex.quote(str(Path(__file__).parent.parent))
    python = shlex.quote(sys.executable)
    # Not measured by coverage: it could not write its data either.
    unset = " ".join(f"-u {k}" for k in os.environ if k.startswith("COVERAGE_"))
    command = f"cd {root} && env {unset} {env} {python} -c {shlex.quote(SMALL_FILES_ONLY)}"
    term = Terminal(command, width=120, height=30)
    try:
        screen = term.wait_for("cannot build the catalog")
        assert "free some space" in " ".join(screen.split())
        term.send("q")
    finally:
        term.close()


def test_the_app_with_no_home_folder_says_where_its_data_lives(user_dirs: Path, tmp_path: Path):
    from .test_hostile import NO_USER_ENTRY

    root = shlex.quote(str(Path(__file__).parent.parent))
    python = shlex.quote(sys.executable)
    unset = " ".join(
        f"-u {k}" for k in ("HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME")
    )
    catalog = shlex.quote(str(MINI))
    command = (
        f"cd {root} && env {unset} TMPDIR={shlex.quote(str(tmp_path))} "
        f"{python} -c {shlex.quote(NO_USER_ENTRY)} --no-default --catalog {catalog}"
    )
    term = Terminal(command, width=120, height=30)
    try:
        term.wait_for("3 papers")  # the app works, from the temporary folder
        term.wait_for("no home folder")  # and says so
        term.send("q")
    finally:
        term.close()


def test_the_question_keys_in_a_real_terminal_at_80_by_24(user_dirs: Path, tmp_path: Path):
    from .test_frontier_sql import write_catalog

    # p0 (2023): (0, 10), (5, 4), (10, 0); p1 (2024) adds (11, 1), which moves the frontier.
    # (5, 4) stays on the staircase, under the hull from (0, 10) to (11, 1).
    write_catalog(tmp_path, [[(0, 10), (5, 4), (10, 0)], [(11, 1)]], "higher", "higher", ["2023", "2024"])
    term = Terminal(app_command(tmp_path), width=80, height=24)
    try:
        term.wait_for("2 papers")
        term.send("Down", "p")
        term.wait_for("Pick an objective pair")
        time.sleep(0.3)
        term.send("-l", "ox:oy")
        term.send("Enter")
        term.wait_for("4 points, 3 on the frontier ◆")
        term.send("}", "}")  # the frontier's points along x: (0, 10), then (5, 4)
        term.wait_for("m0-1")
        term.send("w")
        term.wait_for("Why, on ox:oy")
        term.wait_for("m0-1 [p0]: ox 5, oy 4: on the frontier; without it the")  # the dialog wraps
        term.send("Escape")
        term.wait_gone("Why, on ox:oy")  # a key sent at once after escape would read as alt+key
        term.send("h")
        term.wait_for("lines: the hull")
        term.send("w")
        screen = term.wait_for("under the hull")
        assert "m0-0 [p0]" in screen and "m1-0 [p1]" in screen  # the mix that dominates it
        term.send("Escape")
        term.wait_gone("Why, on ox:oy")
        term.send("t")  # the frontier as of the first date it moved: p0's alone
        screen = term.wait_for("as of 2023-12-31")
        term.wait_for("3 points, 3 on the frontier ◆")
        term.send("t")
        term.wait_for("as of 2024-12-31")
        term.wait_for("4 points, 3 on the frontier ◆")
        term.send("t")  # after the last date: today again
        term.wait_for("pair ox:oy\n")
        assert "as of" not in term.screen()
        term.send("y")  # one frontier per group: by paper, the first choice
        term.wait_for("One frontier per group, on ox:oy")
        term.send("Enter")
        term.wait_for("ox:oy: one frontier per paper, for the 2 listed papers")
        term.wait_for("4 points in 2 groups by paper")
        term.send("Escape")
        term.wait_gone("one frontier per paper")
        term.send("a")  # the best y at a budget of x (higher x is better: at least 6)
        term.wait_for("Best at budgets of ox")
        term.send("-l", "6")
        term.send("Enter")
        term.wait_for("ox at least 6: best oy 1, by m1-0 [p1] at ox 11")
        term.send("Escape")
        term.wait_gone("Best at budgets")
        term.send("q")
    finally:
        term.close()


def test_the_grid_the_claims_map_and_the_view_in_a_real_terminal_at_80_by_24(user_dirs: Path):
    term = Terminal(app_command(MINI), width=80, height=24)
    try:
        term.wait_for("3 papers")
        term.send("Down", "m")
        term.wait_for("Claims map: gains against their own baselines for the 3 listed papers")
        term.wait_for("no result reports both a change in quality and a change in")  # wrapped
        term.send("Escape")
        term.wait_gone("Claims map")
        term.send("p")
        term.wait_for("Pick an objective pair")
        time.sleep(0.3)
        term.send("-l", "quality:wait")
        term.send("Enter")
        term.wait_for("on the frontier ◆")
        term.send("g")
        term.wait_for("Added quality:wait")  # a notification, wrapped
        term.send("G")
        term.wait_for("Grid: 1 pair for the 3 listed papers")
        term.wait_for("quality:wait: 2 points on the frontier")
        term.send("Escape")
        term.wait_gone("Grid: 1 pair")
        term.send("v")
        screen = term.wait_for("tradeoffs plot quality:wait")
        assert "clipboard" in screen
        term.send("Escape")
        term.wait_gone("tradeoffs plot quality:wait")
        term.send("q")
    finally:
        term.close()
