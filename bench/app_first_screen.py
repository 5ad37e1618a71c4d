"""How long the app takes to show its first screen, and to answer a key, on one catalog.

    python bench/app_first_screen.py /tmp/tradeoffs-bench/catalog-100000 --runs 5
    python bench/app_first_screen.py /tmp/tradeoffs-bench/catalog-100000 --runs 5 --terminal

In process (the default): from starting the app (imports done) to the main screen listing the
papers, through Textual's test driver; then the round trip of some keys (down, page down, end,
up, home), each until every line on screen has its row; ``f12``, bound to nothing, gives the
test driver's own cost. With ``--terminal``: the real ``tradeoffs`` in tmux, from starting the
process to the status line appearing on screen, imports included; then each key's round trip,
until the screen (colours included) stops changing.

The cache comes from ``XDG_CACHE_HOME`` as set by the caller; one untimed run first builds it
when needed, so the timed runs are warm. The saved state (last query and pair) is kept out of
it: the data, state and config folders point at an empty temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZE = (120, 40)
#: Keys timed after the first screen; ``f12`` is bound to nothing: the test driver's own cost.
KEYS = ("f12", "down", "pagedown", "end", "up", "home")


async def _one_run(catalog: Path) -> tuple[float, dict[str, float]]:
    """Seconds to the first screen, and each key's round trip in seconds: until the key is
    handled, the screen refreshed and every line on screen has its row."""
    from tui.app import TradeoffsApp
    from tui.screens.main import MainScreen
    from tui.widgets.paper_table import PaperTable

    start = time.perf_counter()
    app = TradeoffsApp([catalog])
    keys: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        while not (isinstance(app.screen, MainScreen) and app.screen.selection is not None):
            await asyncio.sleep(0.005)
        await pilot.pause()  # the list is filled in the same callback; let the screen paint it
        first = time.perf_counter() - start
        table = app.screen.query_one(PaperTable)
        for key in KEYS:
            began = time.perf_counter()
            await pilot.press(key)
            while table.pending_on_screen:
                await asyncio.sleep(0.002)
            keys[key] = time.perf_counter() - began
        await pilot.press("q")
    return first, keys


def first_screen(catalog: Path, runs: int) -> tuple[float, list[float], dict[str, float]]:
    """The median seconds to the first screen over ``runs`` warm runs, every run, and the median
    round trip of each key."""
    asyncio.run(_one_run(catalog))  # builds the cache when it is cold; not timed
    times, keys = [], []
    for _ in range(runs):
        first, pressed = asyncio.run(_one_run(catalog))
        times.append(first)
        keys.append(pressed)
    per_key = {k: statistics.median(run[k] for run in keys) for k in KEYS}
    return statistics.median(times), times, per_key


#: A tmux server of our own, so no other session or server environment gets in the way.
TMUX = ["tmux", "-L", f"bench-app-{os.getpid()}"]


def _tmux_screen(name: str, colours: bool = False) -> str:
    flags = ["-p", "-e"] if colours else ["-p"]
    return subprocess.run(
        [*TMUX, "capture-pane", *flags, "-t", name], capture_output=True, text=True, check=False
    ).stdout


def _counts_papers(screen: str) -> bool:
    """Whether the status line (``12 papers …``) is on screen."""
    return any(re.match(r"\s*[\d,]+ papers?\b", line) for line in screen.splitlines())


def _settled(name: str, before: str, timeout: float = 10) -> float:
    """Seconds until the screen (colours included) differs from ``before`` and then holds still
    for 0.2 s; the time of its last change."""
    start = time.perf_counter()
    last, changed_at = before, None
    while time.perf_counter() - start < timeout:
        screen = _tmux_screen(name, colours=True)
        now = time.perf_counter()
        if screen != last:
            last, changed_at = screen, now
        elif changed_at is not None and now - changed_at > 0.2:
            return changed_at - start
        time.sleep(0.002)
    raise TimeoutError("the screen did not settle")


def _terminal_run(catalog: Path, timeout: float = 600) -> tuple[float, dict[str, float]]:
    """Seconds from starting ``tradeoffs`` in tmux to its status line counting papers, and
    each key's round trip: until the screen has settled after it."""
    name = f"bench-{uuid.uuid4().hex[:8]}"
    # The server passes its own environment to the program, not ours: name what it must see.
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in os.environ.items() if k.startswith("XDG_"))
    python = shlex.quote(sys.executable)
    command = f"cd {shlex.quote(str(ROOT))} && env {env} {python} -m tui --no-default --catalog {catalog}"
    start = time.perf_counter()
    subprocess.run(
        [*TMUX, "new-session", "-d", "-s", name, "-x", str(SIZE[0]), "-y", str(SIZE[1]), command],
        check=True,
        env={k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        | {"TERM": "xterm-256color"},
    )
    try:
        while not _counts_papers(_tmux_screen(name)):
            if time.perf_counter() - start > timeout:
                raise TimeoutError(f"no first screen after {timeout} s:\n{_tmux_screen(name)}")
            time.sleep(0.01)
        first = time.perf_counter() - start
        time.sleep(1.0)  # let the first screen finish drawing
        keys = {}
        for key in ("Down", "PageDown", "End", "Up", "Home"):
            before = _tmux_screen(name, colours=True)
            subprocess.run([*TMUX, "send-keys", "-t", name, key], check=True)
            keys[key] = _settled(name, before)
        return first, keys
    finally:
        subprocess.run([*TMUX, "kill-session", "-t", name], capture_output=True, check=False)


def first_screen_in_terminal(catalog: Path, runs: int) -> tuple[float, list[float], dict[str, float]]:
    """The median seconds to the first screen in a real terminal over ``runs`` warm runs, every
    run, and the median round trip of each key."""
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is not installed")
    # A session that stays keeps the server up between runs (it exits with its last session).
    subprocess.run([*TMUX, "new-session", "-d", "-s", "keeper", "sleep 3600"], check=True)
    try:
        _terminal_run(catalog)
        results = [_terminal_run(catalog) for _ in range(runs)]
    finally:
        subprocess.run([*TMUX, "kill-server"], capture_output=True, check=False)
    times = [first for first, _ in results]
    per_key = {k: statistics.median(keys[k] for _, keys in results) for k in results[0][1]}
    return statistics.median(times), times, per_key


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("catalog", type=Path, help="a catalog folder, e.g. one made by bench/generate.py")
    parser.add_argument("--runs", type=int, default=5, help="timed runs (the median is reported)")
    parser.add_argument("--terminal", action="store_true", help="time the real program in tmux instead")
    args = parser.parse_args()
    private = Path(tempfile.mkdtemp(prefix="bench-app-"))
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        os.environ[var] = str(private / var.lower())
    try:
        if args.terminal:
            median, times, keys = first_screen_in_terminal(args.catalog, args.runs)
            print(f"first screen in tmux (process start, imports included): median {median:.3f} s")
        else:
            median, times, keys = first_screen(args.catalog, args.runs)
            print(f"first screen in process (imports excluded): median {median:.3f} s")
        print("  runs: " + ", ".join(f"{t:.3f}" for t in times))
        for key, seconds in keys.items():
            print(f"  key {key}: median round trip {seconds * 1000:.1f} ms")
    finally:
        shutil.rmtree(private, ignore_errors=True)


if __name__ == "__main__":
    main()
