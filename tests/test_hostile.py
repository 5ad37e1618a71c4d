"""Hostile inputs and faults: odd file names, extreme values and sizes, interrupts, damaged
caches and state, a missing home. Each ends in a clear message and a known exit code, never a
traceback, and nothing of the user's data is lost."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .conftest import unmeasured
from .test_app import started
from .test_frontier_sql import open_pair, write_catalog

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


# Any finite value can be plotted -------------------------------------------------------------

finite = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1.7976931348623157e308, -1.7976931348623157e308, 5e-324, -5e-324, 1e100, 0.0]),
)


def decimal(value: float) -> str:
    """A float in plain decimal notation, as catalog files write numbers."""
    return f"{Decimal(repr(value)):f}"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    points=st.lists(st.tuples(finite, finite), min_size=1, max_size=12),
    log_x=st.booleans(),
    log_y=st.booleans(),
    size=st.sampled_from([(20, 8), (60, 20), (120, 40)]),
)
@example(points=[(1.0, 0.0)], log_x=True, log_y=False, size=(20, 8))  # one value on a log axis
@example(
    points=[(1.7976931348623157e308, -1.7976931348623157e308), (0.0, 1.0)],
    log_x=False,
    log_y=False,
    size=(20, 8),
)
def test_any_finite_values_are_reduced_and_drawn(tmp_path_factory, points, log_x, log_y, size):
    from catalog.query.points import plot_points
    from catalog.query.points import points as pair_points
    from tui.plot import PlotPoint, render_plot

    store, x, y = open_pair(
        tmp_path_factory, [[(decimal(a), decimal(b)) for a, b in points]], "higher", "lower"
    )
    width, height = size
    reduced = plot_points(store, x, y, cols=width, rows=height, log_x=log_x, log_y=log_y)
    assert reduced.total == len(points)
    drawn = [PlotPoint(p["x"], p["y"], p["on_frontier"]) for p in pair_points(store, x, y)]
    text = render_plot(drawn, x, y, width=width, height=height, log_x=log_x, log_y=log_y, colour=False)
    assert "┌" in text or "no points to draw" in text


def test_a_plot_of_values_near_the_largest_double_names_its_power_of_ten(tmp_path, run_process):
    folder = mini_copy(tmp_path)
    papers = folder / "papers.yaml"
    huge = "17976931348623157" + "0" * 292
    papers.write_text(
        papers.read_text()
        .replace("6 ms at 70.2 points", f"6 ms at -{huge} points")
        .replace("{quality: 70.2, wait: 6}", f"{{quality: -{huge}, wait: 6}}")
    )
    for extra in ([], ["--height", "8"], ["--log-y"]):
        result = run_process("plot", "quality:wait", "--no-default", "--catalog", str(folder), *extra)
        assert result.code == 0 and "Traceback" not in result.err, result.err
        assert "Quality score (points) (in units of 1e308)" in result.out
        assert "quality -1.79769e+308" in result.out  # the listing says the value itself


# Every size and count has a range ------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["plot", "quality:wait", "--width", "10000000"], "--width: must be from 20 to 1,000"),
        (["plot", "quality:wait", "--height", "1000000000"], "--height: must be from 8 to 1,000"),
        (["plot", "quality:wait", "--width", "3000000"], "--width: must be from 20 to 1,000"),
        (["plot", "quality:wait", "--height", "0"], "--height: must be from 8 to 1,000"),
        (["search", "x", "--limit", "9223372036854775807"], "--limit: must be from 1 to 1,000,000"),
        (["search", "x", "--limit", "-1"], "--limit: must be from 1 to 1,000,000"),
        (["import", "page.txt", "--year", "99999"], "--year: must be from 1,000 to 9,999"),
    ],
)
def test_a_size_or_count_out_of_range_is_a_usage_error(args, said, run_process):
    result = run_process(*args, "--no-default", "--catalog", str(MINI), timeout=30)
    assert result.code == 2 and said in result.err and "Traceback" not in result.err


def test_a_terminal_claiming_to_be_enormous_gets_a_plot_of_bounded_size(run_process):
    result = run_process(
        "plot", "quality:wait", "--no-default", "--catalog", str(MINI), env={"COLUMNS": "100000000"}
    )
    assert result.code == 0 and max(len(line) for line in result.out.splitlines()) <= 1000


# Queries are bounded, and an interrupt ends quietly ------------------------------------------

NEVER_ENDS = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r"


@pytest.mark.parametrize("query", ["", "   ", "-- nothing", "/* nothing */ ;"])
def test_an_empty_query_is_a_usage_error(query, run_process):
    result = run_process("sql", query, "--no-default", "--catalog", str(MINI))
    assert result.code == 2 and "the query is empty" in result.err and "Traceback" not in result.err


def test_a_query_past_its_time_limit_is_stopped(run_process):
    start = time.monotonic()
    result = run_process("sql", NEVER_ENDS, "--timeout", "1", "--no-default", "--catalog", str(MINI))
    assert time.monotonic() - start < 20
    assert result.code == 1 and "past the time limit of 1 s" in result.err and "--timeout" in result.err


def test_a_query_past_its_memory_limit_is_stopped(run_process):
    query = "SELECT length(repeat('x', 2000000000))"  # 2 GB at once: DuckDB's own limit lets it by
    result = run_process("sql", query, "--memory", "512", "--no-default", "--catalog", str(MINI))
    assert result.code == 1 and "memory limit of 512 MB" in result.err and "--memory" in result.err
    # Under the limit, the same kind of query runs.
    small = run_process(
        "sql", "SELECT length(repeat('x', 1000)) AS n", "--no-default", "--catalog", str(MINI)
    )
    assert small.code == 0 and "1000" in small.out


def interrupted(args: list[str], after: float, user_dirs: Path) -> subprocess.CompletedProcess[str]:
    """Run ``tradeoffs ARGS``, press Ctrl-C (SIGINT) ``after`` seconds in, and wait for it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    time.sleep(after)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def test_ctrl_c_stops_a_query_that_never_ends_quietly_with_130(user_dirs):
    done = interrupted(["sql", NEVER_ENDS, "--no-default", "--catalog", str(MINI)], 2.0, user_dirs)
    assert done.returncode == 130 and done.stderr == "", done.stderr


@pytest.fixture(scope="module")
def slow_to_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20,000 small papers in 100 files: a cold build of a few seconds."""
    folder = tmp_path_factory.mktemp("slow")
    for part in range(100):
        sub = folder / f"part{part:03d}"
        sub.mkdir()
        write_catalog(sub, [[(i, i + 1)] for i in range(200)], "higher", "lower")
        (sub / "c.yaml").write_text((sub / "c.yaml").read_text().replace("id: p", f"id: part{part}-p"))
    return folder


def test_ctrl_c_during_a_cold_build_ends_quietly_with_130(slow_to_build, user_dirs):
    codes = []
    for after in (0.6, 1.2, 1.8, 2.4, 3.0):  # reading the files, then loading the database
        shutil.rmtree(user_dirs / "xdg_cache_home", ignore_errors=True)
        done = interrupted(["export", "--no-default", "--catalog", str(slow_to_build)], after, user_dirs)
        codes.append(done.returncode)
        assert done.returncode in (0, 130), done.stderr  # 0: it finished first
        assert done.stderr.strip() == "", done.stderr
    assert codes.count(130) >= 2, codes


# Builds clean up after themselves, even when killed; started together, they build once ------


def cache_folder(user_dirs: Path) -> Path:
    return user_dirs / "xdg_cache_home" / "tradeoffs"


def test_a_killed_build_leaves_nothing_the_next_run_does_not_clear(slow_to_build, user_dirs, tmp_path):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary)}
    for after in (0.8, 2.0):  # reading files, then loading rows into the database
        proc = subprocess.Popen(
            [sys.executable, "-m", "tui", "export", "--no-default", "--catalog", str(slow_to_build)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=Path(__file__).parent.parent,
        )
        time.sleep(after)
        proc.kill()
        proc.wait()
    assert list(temporary.iterdir()) == []  # nothing in the temporary folder at all
    again = subprocess.run(
        [sys.executable, "-m", "tui", "pairs", "--no-default", "--catalog", str(slow_to_build)],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).parent.parent,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    left = [p.name for p in cache_folder(user_dirs).iterdir() if p.name.startswith(".")]
    assert left == [], left


def test_scratch_files_of_a_running_build_are_kept(user_dirs):
    from catalog.store.store import open_store

    folder = cache_folder(user_dirs)
    folder.mkdir(parents=True)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    gone, here = int(dead.stdout), os.getpid()
    (folder / f".rows-{gone}-abc").mkdir()
    (folder / f".building-{gone}-abc.duckdb").write_bytes(b"x")
    (folder / f".rows-{here}-def").mkdir()  # another build of this very process, under way
    open_store([MINI])
    names = sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
    assert names == [f".rows-{here}-def"]


def test_eight_cold_starts_at_once_all_use_the_cache_and_none_complains(slow_to_build, user_dirs):
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tui", "pairs", "--no-default", "--catalog", str(slow_to_build)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).parent.parent,
        )
        for _ in range(8)
    ]
    results = [(p, *p.communicate(timeout=300)) for p in procs]
    results = [(p.returncode, out, err) for p, out, err in results]
    assert all(code == 0 for code, _, _ in results), [err for _, _, err in results]
    assert all(err == "" for _, _, err in results), [err for _, _, err in results]
    assert len({out for _, out, _ in results}) == 1
    assert len(list(cache_folder(user_dirs).glob("*.duckdb"))) == 1


# A cache damaged anywhere is built again -----------------------------------------------------

BLOCK = 262_144  # DuckDB's block size; its file starts with three 4 KiB headers
COMMANDS_READ = (
    ["pairs", "--format", "json"],
    ["search", "quantization", "--format", "json"],
    ["export", "--format", "csv"],
    ["plot", "accuracy/aime24:tokens/aime24", "--width", "60", "--height", "12"],
    ["sql", "SELECT paper_id, objective, value FROM results ORDER BY ALL", "--format", "csv"],
)


def damage_block(path: Path, block: int) -> None:
    """Overwrite part of one data block, as a disk error would; the headers stay intact."""
    with path.open("r+b") as handle:
        handle.seek(3 * 4096 + block * BLOCK + 5000)
        handle.write(os.urandom(3000))


def test_a_cache_damaged_in_any_block_is_built_again_and_every_command_answers_as_before(run, user_dirs):
    expected = [run(*args) for args in COMMANDS_READ]
    assert all(r.code == 0 for r in expected)
    (built,) = cache_folder(user_dirs).glob("*.duckdb")
    good = built.read_bytes()
    blocks = (len(good) - 3 * 4096) // BLOCK
    found_late = 0
    prefix = built.name.rsplit("-", 1)[0]
    for block in range(1, blocks):
        for version in cache_folder(user_dirs).glob("*.duckdb"):
            version.unlink()
        damaged = built.with_name(f"{prefix}-damaged{block:03d}.duckdb")  # a new name: a new instance
        damaged.write_bytes(good)
        damage_block(damaged, block)
        for args, before in zip(COMMANDS_READ, expected):
            result = run(*args)
            assert result.code == 0, f"block {block}, {args[0]}: {result.err}"
            assert result.out == before.out, f"block {block}, {args[0]}"
            found_late += "damaged (a block failed its checksum); rebuilt it" in result.err
    assert found_late  # some damage is found only by a query, long after the cache was opened


PAIR = "accuracy/aime24:tokens/aime24"


def what_the_app_reads(store) -> None:
    """The queries of the app's first minute: list, plot a pair, search."""
    from catalog.query.explore import Explorer

    explorer = Explorer(store)
    for words in ("", "quantization"):
        ids = explorer.select(words, []).ids
        explorer.rows_for(ids[:60] + ids[-60:])
        explorer.frontier(PAIR, ids)
        explorer.no_pair_message(ids)


async def test_the_app_with_a_damaged_cache_builds_it_again_and_goes_on(user_dirs):
    from catalog.paths import default_catalog_paths
    from catalog.query.explore import Explorer
    from catalog.store.cache import open_read_only
    from catalog.store.store import Store, is_damage, open_store
    from tui.app import TradeoffsApp

    from .test_app import pick_pair, plot_text, search, status, until

    listed = len(Explorer(open_store(default_catalog_paths())).select("quantization", []).ids)
    (built,) = cache_folder(user_dirs).glob("*.duckdb")
    good = built.read_bytes()
    prefix = built.name.rsplit("-", 1)[0]
    built.unlink()
    # The blocks whose damage the app's own queries meet (the command test tries every block).
    met = []
    for block in range(1, (len(good) - 3 * 4096) // BLOCK):
        damaged = built.with_name(f"{prefix}-probe{block:03d}.duckdb")
        damaged.write_bytes(good)
        damage_block(damaged, block)
        try:
            what_the_app_reads(Store(open_read_only(damaged), damaged, from_cache=True))
        except Exception as err:
            assert is_damage(err), err
            met.append(block)
        damaged.unlink()
    assert met
    for block in met[:3]:
        for version in cache_folder(user_dirs).glob("*.duckdb"):
            version.unlink()
        damaged = built.with_name(f"{prefix}-app{block:03d}.duckdb")
        damaged.write_bytes(good)
        damage_block(damaged, block)
        app = TradeoffsApp(default_catalog_paths())
        async with app.run_test(size=(120, 36)) as pilot:
            await started(pilot)
            await pick_pair(pilot, PAIR)
            await until(pilot, lambda a=app: "45 points" in plot_text(a), timeout=30)
            await search(pilot, "quantization")
            await until(pilot, lambda a=app: status(a).startswith(f"{listed} papers"), timeout=30)
            assert app.is_running, f"block {block}"


# An unreadable state file is moved aside, never lost, never coerced ---------------------------


def write_state(raw: bytes) -> Path:
    from catalog.state import state_path

    path = state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return path


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        (b'{"bookmarks": ["caf\xe9"]}', "not UTF-8"),
        (b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
        (b'{"bookmarks": "abc"}', "bookmarks must be a list"),
        (b'{"bookmarks": [1, 2]}', "bookmarks must be a list"),
        (b'{"notes": {"p1": null}}', "notes must map"),
        (b'{"notes": ["p1"]}', "notes must map"),
        (b'{"last_query": 7}', "last_query must be a text"),
        (b'{"last_pair": ["a", "b"]}', "last_pair must be a text"),
        (b"42", "not a JSON object"),
    ],
)
def test_a_state_file_that_is_not_state_is_moved_aside_whole(raw, said):
    from catalog.state import UserState, load_state

    path = write_state(raw)
    state, message = load_state()
    assert state == UserState() and message and said in message
    (aside,) = path.parent.glob("state.corrupt-*.json")
    assert aside.read_bytes() == raw and not path.exists()


def test_two_bad_state_files_in_the_same_second_are_both_kept():
    from catalog.state import load_state

    for raw in (b"first {", b"second {", b"third {"):
        write_state(raw)
        load_state()
    kept = sorted(p.read_bytes() for p in write_state(b"{}").parent.glob("state.corrupt-*.json"))
    assert kept == [b"first {", b"second {", b"third {"]


async def test_the_app_starts_with_a_state_file_it_cannot_read(user_dirs):
    from tui.app import TradeoffsApp

    from .test_app import until

    path = write_state(b"[" * 200_000 + b"]" * 200_000)
    app = TradeoffsApp([MINI])
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await until(pilot, lambda: any("moved to" in str(n.message) for n in app._notifications))
    assert list(path.parent.glob("state.corrupt-*.json"))


# No home folder ----------------------------------------------------------------------------

NO_USER_ENTRY = """
import pwd, sys
def no_entry(uid):
    raise KeyError(f"getpwuid(): uid not found: {uid}")
pwd.getpwuid = no_entry  # as for a uid the user database does not know
from tui.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_with_no_home_folder_commands_work_from_the_temporary_folder_and_say_so(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "HOME" and not k.startswith("XDG_")}
    env["TMPDIR"] = str(tmp_path)
    for _ in range(2):  # the second run finds the cache the first one built there
        done = subprocess.run(
            [sys.executable, "-c", NO_USER_ENTRY, "pairs", "--no-default", "--catalog", str(MINI)],
            capture_output=True,
            text=True,
            env=env,
            cwd=Path(__file__).parent.parent,
            timeout=60,
        )
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert "quality:wait" in done.stdout
        assert "no home folder" in done.stderr and "set HOME" in done.stderr
    stand_in = tmp_path / f"tradeoffs-{os.getuid()}"
    assert stat.S_IMODE(stand_in.stat().st_mode) == 0o700
    assert len(list((stand_in / "cache").glob("*.duckdb"))) == 1  # built once, then found


# Smaller: line ends, explicit tags, rules that change ----------------------------------------


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n", "\u2028"])
def test_a_problem_is_placed_on_its_line_whatever_the_line_ends(tmp_path, newline, run):
    folder = mini_copy(tmp_path)
    papers = folder / "papers.yaml"
    # A raw control character, after a letter UTF-8 writes in two bytes: places count characters.
    text = papers.read_text().replace('title: "A Quiet Baseline"', 'title: "Ä Quiet\x07 Baseline"')
    line = text[: text.index("\x07")].count("\n") + 1
    column = text.index("\x07") - text.rfind("\n", 0, text.index("\x07"))
    papers.write_bytes(text.replace("\n", newline).encode())
    result = run("validate", "--no-default", "--catalog", str(folder))
    assert result.code == 1
    assert f"papers.yaml:{line}:{column}: the control character U+0007" in result.err


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("values: {quality: !!str 81.5, wait: 12}", "should be a number written plainly, not tagged !!str"),
        ("values: {quality: !!float 81.5, wait: 12}", "not tagged !!float: remove the tag"),
        ("title: !!int 5", "title should be text, not !!int '5': remove the tag"),
    ],
)
def test_an_explicit_tag_is_refused_where_it_says_something_else(tmp_path, written, said, run):
    folder = mini_copy(tmp_path)
    papers = folder / "papers.yaml"
    text = papers.read_text()
    field = written.split(":")[0]
    old = next(line.strip() for line in text.splitlines() if line.strip().startswith(field + ":"))
    papers.write_text(text.replace(old, written, 1))
    result = run("validate", "--no-default", "--catalog", str(folder))
    assert result.code == 1 and said in result.err, result.err


def test_a_tag_that_says_text_on_a_text_field_is_honoured(tmp_path, run):
    folder = mini_copy(tmp_path)
    papers = folder / "papers.yaml"
    papers.write_text(papers.read_text().replace('title: "A Quiet Baseline"', "title: !!str 5"))
    assert run("validate", "--no-default", "--catalog", str(folder)).code == 0
    titles = run("sql", "SELECT title FROM papers ORDER BY title", "--no-default", "--catalog", str(folder))
    assert titles.out.splitlines()[1].strip() == "5"


def test_the_cache_is_built_again_when_the_rules_it_was_built_by_change(tmp_path, monkeypatch):
    import catalog.store.cache as cache
    from catalog.store.store import open_store

    assert open_store([MINI]).files_read == 2
    assert open_store([MINI]).from_cache
    monkeypatch.setattr(cache, "SCHEMA_VERSION", cache.SCHEMA_VERSION + "-other-rules")
    again = open_store([MINI])
    assert not again.from_cache and again.files_read == 2


def test_no_room_for_the_catalogs_database_anywhere_is_one_line_saying_what_to_do(user_dirs):
    def small_files_only() -> None:  # as on a full disk: writing past 200 kB fails
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    done = subprocess.run(
        [sys.executable, "-m", "tui", "pairs"],
        capture_output=True,
        text=True,
        env=unmeasured(dict(os.environ)),
        preexec_fn=small_files_only,
        cwd=Path(__file__).parent.parent,
        timeout=60,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith("tradeoffs: cannot build the catalog's database, in the cache (")
    assert "set XDG_CACHE_HOME or TMPDIR to a folder with room" in line


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_query_naming_two_columns_alike_keeps_both(fmt, run):
    result = run(
        "sql", "SELECT 1 AS a, 2 AS a, 3 AS a", "--format", fmt, "--no-default", "--catalog", str(MINI)
    )
    assert result.code == 0, result.err
    if fmt == "json":
        assert json.loads(result.out) == [{"a": 1, "a_2": 2, "a_3": 3}]
    else:
        assert result.out.splitlines() == ["a,a_2,a_3", "1,2,3"]
