"""Bookmarks and notes survive anything: a process killed mid-save, a corrupt file, a second writer."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

from catalog.state import UserState, load_state, save_state, state_path

WRITER = """
import sys
from catalog.state import UserState, save_state
version = 0
while True:
    version += 1
    # Big enough that a write takes a while, so the kill lands in the middle of one.
    save_state(UserState(bookmarks=[str(version)], notes={"p": str(version) * 200_000}))
    print(version, flush=True)
"""


def test_a_process_killed_while_saving_leaves_a_whole_state():
    save_state(UserState(bookmarks=["0"], notes={"p": "0"}))
    rng = random.Random(7)
    for _ in range(8):
        writer = subprocess.Popen([sys.executable, "-c", WRITER], stdout=subprocess.PIPE, text=True)
        assert writer.stdout.readline()  # at least one save finished
        time.sleep(rng.uniform(0.0, 0.2))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        state, problem = load_state()
        assert problem is None
        (version,) = state.bookmarks
        assert state.notes["p"] == version * (200_000 if version != "0" else 1)


def test_saving_replaces_the_file_in_one_step():
    save_state(UserState(bookmarks=["a"]))
    before = os.stat(state_path()).st_ino
    save_state(UserState(bookmarks=["a", "b"]))
    assert os.stat(state_path()).st_ino != before  # a new file renamed into place, not rewritten
    assert json.loads(state_path().read_text())["bookmarks"] == ["a", "b"]


def test_a_corrupt_state_file_is_moved_aside_not_emptied():
    state_path().parent.mkdir(parents=True, exist_ok=True)
    state_path().write_text('{"bookmarks": ["x"')
    state, problem = load_state()
    assert state == UserState()
    assert problem and "moved to" in problem
    (aside,) = state_path().parent.glob("state.corrupt-*.json")
    assert aside.read_text() == '{"bookmarks": ["x"'
    assert not state_path().exists()


def test_state_of_the_wrong_shape_is_moved_aside_too():
    state_path().parent.mkdir(parents=True, exist_ok=True)
    state_path().write_text('["not", "a", "mapping"]')
    state, problem = load_state()
    assert state == UserState() and problem


def test_bookmarks_and_notes_round_trip():
    state = UserState()
    assert state.set_bookmark("a", True) is True
    state.set_note("a", "read section 4")
    save_state(state)
    loaded, problem = load_state()
    assert problem is None and loaded == state
    assert loaded.is_bookmarked("a") and loaded.set_bookmark("a", False) is False
    assert not loaded.is_bookmarked("a")
    loaded.set_note("a", "  ")
    assert loaded.notes == {}


def test_old_leftovers_of_interrupted_saves_are_cleared():
    state_path().parent.mkdir(parents=True, exist_ok=True)
    old = state_path().parent / ".state.json.abc123"
    recent = state_path().parent / ".state.json.def456"
    for leftover in (old, recent):
        leftover.write_text("partial")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    save_state(UserState())
    assert not old.exists() and recent.exists()


TOGGLER = """
import sys
from catalog.state import update_state
who = sys.argv[1]
for i in range(40):
    update_state(lambda state: state.set_bookmark(f"{who}-{i}", True))
"""


def test_two_processes_changing_the_state_at_once_lose_nothing():
    procs = [subprocess.Popen([sys.executable, "-c", TOGGLER, who]) for who in ("a", "b")]
    for proc in procs:
        assert proc.wait(timeout=60) == 0
    state, problem = load_state()
    assert problem is None
    assert sorted(state.bookmarks) == sorted([f"a-{i}" for i in range(40)] + [f"b-{i}" for i in range(40)])
