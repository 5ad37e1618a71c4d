"""Search per keystroke at the realistic vocabulary: the search core alone, and the app from a
keystroke to its results on screen.

    python bench/app_search.py 10000 --workdir /tmp/tradeoffs-bench
    python bench/app_search.py 100000 --terminal       # the app in tmux too

Queries are typed letter by letter, as a person types them (``quantization``: ``q``, ``qu``,
``qua``, …). The catalog is generated with the Zipf vocabulary (``generate.py --vocabulary
zipf``) into the work folder once and reused; its cache comes from ``XDG_CACHE_HOME``, and one
untimed search first builds it when needed.

- The core: ``SearchIndex.search`` per keystroke, against a plain rapidfuzz scan of every
  title and abstract for one query (the same reference as ``bench/run.py``'s search rows).
- The app, in process (Textual's test driver): from pressing a key in the search box to the
  list drawn with that text's results, every line on screen with its row; each key pressed
  once the app is idle again (the plot found too). Against the selection alone: the same
  texts' ``Explorer.select``, as the app asks it, timed in the same process after.
- The app in tmux (``--terminal``): the real program, from sending a key to the screen
  showing the status line of that text's search.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402 - the bench folder is not a package

#: What people type: the field's terms, a typo ("distilation"), several words at once.
QUERIES = [
    "quantization",
    "pareto frontier",
    "distilation",
    "latency memory",
    "reward policy gradient",
    "speculative decoding",
    "kv cache",
]
SIZE = (120, 40)


def zipf_catalog(size: int, workdir: Path, vocabulary: str = "zipf") -> Path:
    """The Zipf-vocabulary catalog of ``size`` papers in ``workdir`` (or the ``topics`` one),
    generated when missing."""
    catalog = workdir / f"catalog-{size}-{vocabulary}"
    if not (catalog / "objectives.yaml").exists():
        print(f"generating {size} papers ({vocabulary} vocabulary)…", file=sys.stderr)
        generate(size, catalog, vocabulary=vocabulary)
    return catalog


def keystrokes(queries: list[str] = QUERIES) -> list[str]:
    """Every prefix of every query: the texts searched for while typing them."""
    return [q[:n] for q in queries for n in range(1, len(q) + 1)]


def median_p95(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def search_core(catalog: Path, runs: int = 3) -> tuple[list[float], float]:
    """Seconds of ``SearchIndex.search`` for each keystroke (a fresh index: its first searches
    read the words they need), and the median of the reference scan."""
    from rapidfuzz import fuzz, utils
    from rapidfuzz import process as rf_process

    from catalog.query.search import SearchIndex
    from catalog.store.store import open_store

    store = open_store([catalog])
    try:
        index = SearchIndex(store)
        times = []
        for query in keystrokes():
            start = time.perf_counter()
            index.search(query, limit=50)
            times.append(time.perf_counter() - start)
        rows = store.cursor().execute("SELECT title, abstract FROM papers").fetchall()
        texts = [f"{t} {a}" for t, a in rows]
        scans = []
        for _ in range(runs):
            start = time.perf_counter()
            rf_process.extract(
                "pareto frontier", texts, scorer=fuzz.QRatio, processor=utils.default_process, limit=50
            )
            scans.append(time.perf_counter() - start)
    finally:
        store.close()
    return times, statistics.median(scans)


async def _typed(catalog: Path) -> tuple[list[float], list[float]]:
    """Each keystroke's seconds to its results on screen, and the seconds of the same texts'
    selection alone (``Explorer.select`` as the app asks it, in the same process)."""
    from textual.widgets import Input

    from tui.app import TradeoffsApp
    from tui.screens.main import FIRST_ROWS, MainScreen
    from tui.widgets.paper_table import PaperTable

    app = TradeoffsApp([catalog])
    times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        while not (isinstance(app.screen, MainScreen) and app.screen.selection is not None):
            await asyncio.sleep(0.005)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        table = screen.query_one(PaperTable)
        box = screen.query_one("#search", Input)
        # When the list was last filled, and last drawn: a result is on screen once the list
        # has been drawn after it was filled.
        seen = {"shown": 0.0, "drawn": 0.0}
        show, render = screen.show_selection, table.render_lines

        def showing(*args: Any) -> None:
            show(*args)
            seen["shown"] = time.perf_counter()

        def drawing(crop: Any) -> Any:
            strips = render(crop)
            seen["drawn"] = time.perf_counter()
            return strips

        screen.show_selection = showing  # type: ignore[method-assign,assignment]
        table.render_lines = drawing  # type: ignore[method-assign]

        async def idle() -> None:
            while screen._searching or screen._waiting is not None or table.pending_on_screen:
                await asyncio.sleep(0.002)
            await pilot.pause()

        def on_screen(text: str) -> bool:
            return (
                app.user_state.last_query == text
                and not table.pending_on_screen
                and seen["drawn"] > seen["shown"] > 0
            )

        await idle()
        for query in QUERIES:
            box.value = ""
            await idle()
            for n in range(1, len(query) + 1):
                text = query[:n]
                seen["shown"] = 0.0
                start = time.perf_counter()
                # The driver's press waits for the app to be idle (the plot too): timed apart.
                pressed = asyncio.create_task(pilot.press("space" if text[-1] == " " else text[-1]))
                while not on_screen(text):
                    await asyncio.sleep(0.0005)
                times.append(time.perf_counter() - start)
                await pressed
                await idle()
        await pilot.press("escape", "q")
    explorer = screen.session.explorer
    alone = []
    for text in keystrokes():
        start = time.perf_counter()
        explorer.select(text, [], first=FIRST_ROWS)
        alone.append(time.perf_counter() - start)
    return times, alone


def app_keystrokes(catalog: Path) -> tuple[list[float], list[float]]:
    """Seconds from each keystroke to its results on screen in the app (in process), and of
    the same texts' selection alone, in the same run."""
    private = Path(tempfile.mkdtemp(prefix="bench-app-search-"))
    saved = {v: os.environ.get(v) for v in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME")}
    for var in saved:  # no saved query or pair: the app opens on the whole catalog
        os.environ[var] = str(private / var.lower())
    try:
        times, alone = asyncio.run(_typed(catalog))
    finally:
        for var, value in saved.items():
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value
        shutil.rmtree(private, ignore_errors=True)
    return times, alone


def terminal_keystrokes(catalog: Path, timeout: float = 600) -> list[float]:
    """Seconds from sending each keystroke to tmux to the screen's last change before it holds
    still for 0.2 s (the text echoed, then the list and status line of its search)."""
    from app_first_screen import TMUX, _settled, _tmux_screen

    if shutil.which("tmux") is None:
        raise SystemExit("tmux is not installed")
    private = Path(tempfile.mkdtemp(prefix="bench-app-search-"))
    name = f"search-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k == "XDG_CACHE_HOME"}
    env |= {v: str(private / v.lower()) for v in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME")}
    said = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    python = shlex.quote(sys.executable)
    command = f"cd {shlex.quote(str(ROOT))} && env {said} {python} -m tui --no-default --catalog {catalog}"
    subprocess.run(
        [*TMUX, "new-session", "-d", "-s", name, "-x", str(SIZE[0]), "-y", str(SIZE[1]), command],
        check=True,
        env={k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        | {"TERM": "xterm-256color"},
    )
    times = []
    try:
        start = time.perf_counter()
        while " papers" not in _tmux_screen(name):
            if time.perf_counter() - start > timeout:
                raise TimeoutError(_tmux_screen(name))
            time.sleep(0.02)
        time.sleep(1.0)
        for query in QUERIES:
            before = _tmux_screen(name, colours=True)
            subprocess.run([*TMUX, "send-keys", "-t", name, "C-u"], check=True)  # empties the box
            _settled(name, before)
            for letter in query:
                before = _tmux_screen(name, colours=True)
                subprocess.run(
                    [*TMUX, "send-keys", "-t", name, "Space" if letter == " " else letter], check=True
                )
                times.append(_settled(name, before))
    finally:
        subprocess.run([*TMUX, "kill-server"], capture_output=True, check=False)
        shutil.rmtree(private, ignore_errors=True)
    return times


def add_rows(
    size: int,
    workdir: Path,
    table: Any,
    *,
    with_app: bool = True,
    catalog: Path | None = None,
    cache: Path | None = None,
    vocabulary: str = "zipf",
) -> None:
    """Rows for ``bench/run.py``'s table: the search core per keystroke on the Zipf catalog of
    ``size`` papers (``catalog``, when one was generated already), and the app from a
    keystroke to its results on screen. Its cache is ``cache`` (default: in ``workdir``)."""
    catalog = catalog or zipf_catalog(size, workdir, vocabulary)
    # The catalog's cache lives in the work folder, with the catalog: built once, then warm.
    cached = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(cache or workdir / "cache")
    try:
        _rows(catalog, f"{size:,}, {vocabulary}", table, with_app)
    finally:
        if cached is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = cached


def _rows(catalog: Path, label: str, table: Any, with_app: bool) -> None:
    core, scan = search_core(catalog)
    median, p95 = median_p95(core)
    table.add(
        "search keystroke, typed (median)",
        label,
        median,
        "rapidfuzz scan, QRatio",
        scan,
        "<= 0.030 s",
    )
    table.add("search keystroke, typed (p95)", label, p95, "rapidfuzz scan, QRatio", scan, "<= 0.080 s")
    if with_app:
        typed, alone = app_keystrokes(catalog)
        median, p95 = median_p95(typed)
        alone_median, alone_p95 = median_p95(alone)
        table.add(
            "app: keystroke to results (median)", label, median, "selection alone", alone_median, "<= 0.100 s"
        )
        table.add(
            "app: keystroke to results (p95)", label, p95, "selection alone, p95", alone_p95, "<= 0.250 s"
        )


class _Printed:
    """A stand-in for ``bench/run.py``'s table that prints each row."""

    def add(self, measure: str, size: str, value: float, reference: str, ref: float, goal: str) -> None:
        print(f"{measure} [{size}]: {value * 1000:.1f} ms vs {reference} {ref * 1000:.1f} ms (goal {goal})")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("size", type=int, nargs="?", default=10_000, help="papers in the catalog")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "tradeoffs-bench")
    parser.add_argument("--terminal", action="store_true", help="time the real program in tmux too")
    parser.add_argument("--no-app", action="store_true", help="time the search core only")
    parser.add_argument("--catalog", type=Path, help="a catalog of that size generated already")
    parser.add_argument(
        "--vocabulary", choices=("zipf", "topics"), default="zipf", help="topics: the worst case for search"
    )
    args = parser.parse_args()
    cache = Path(os.environ["XDG_CACHE_HOME"]) if os.environ.get("XDG_CACHE_HOME") else None
    add_rows(
        args.size,
        args.workdir,
        _Printed(),
        with_app=not args.no_app,
        catalog=args.catalog,
        cache=cache,
        vocabulary=args.vocabulary,
    )
    if args.terminal:
        times = terminal_keystrokes(args.catalog or zipf_catalog(args.size, args.workdir, args.vocabulary))
        median, p95 = median_p95(times)
        print(f"app in tmux: keystroke to results, median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")


if __name__ == "__main__":
    main()
