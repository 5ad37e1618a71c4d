"""Benchmarks of what a person waits for, each against a reference measured in the same run.

    python bench/run.py                      # 1k and 10k papers, 5 runs each
    python bench/run.py --sizes 1000,10000,100000 --runs 3

Prints one table: each measure's median over the runs, the reference's median, their ratio,
and the goal. Catalogs are generated once into --workdir (bench/generate.py) and reused.
The comparison of `export --frontier-only` with DuckDB plus paretoset needs the bench extra
(pip install -e '.[bench]'); without it that row is skipped.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import app_search  # noqa: E402
from generate import generate  # noqa: E402 - the bench folder is not a package
from startup import bench_startup  # noqa: E402

PAIR = "b_accuracy:b_latency"
QUERIES = ["quantization", "pareto frontier", "distilation", "latency memory", "reward policy gradient"]


def median_seconds(action: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def cpu_of_children() -> float:
    """User and system seconds of every finished child process (and theirs) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total


def peak_tree_rss_mib(args: list[str], env: dict[str, str]) -> float:
    """Run ``args`` and sample the resident memory of its whole process tree every 20 ms; the
    peak, in MiB."""
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kib(proc.pid))
        time.sleep(0.02)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, args)
    return peak / 1024


def process(args: list[str], env: dict[str, str]) -> Callable[[], None]:
    def run() -> None:
        subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    return run


def tradeoffs(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui", *args]


def env_with_cache(cache: Path) -> dict[str, str]:
    return {**os.environ, "XDG_CACHE_HOME": str(cache), "XDG_DATA_HOME": str(cache / "data")}


PARSE_ONLY = """
import gc, sys, yaml
from pathlib import Path
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
gc.disable()
for path in sorted(Path(sys.argv[1]).glob("*.yaml")):
    yaml.load(path.read_text(), Loader=loader)
"""

# The floor of any warm start: one stat per catalog file, as a process (like `import duckdb`).
STAT_ONLY = """
import os, sys
folder = sys.argv[1] + os.sep
for name in sorted(os.listdir(folder)):
    if name.endswith((".yaml", ".yml")):
        os.stat(folder + name)
"""

# The script a user would write instead of `export --pair X:Y --frontier-only`: DuckDB reads the
# points, paretoset finds the frontier. It reads the database tradeoffs built, the very file the
# export reads: DuckDB reads no YAML, and parsing the catalog in the script would cost seconds
# and measure the parsing, not the frontier. It takes absolute values only and keeps exact
# duplicates (distinct=False), as tradeoffs does, so both give the same answer.
PARETOSET_SCRIPT = """
import sys, duckdb, paretoset
database, x, y, variant = sys.argv[1:5]
con = duckdb.connect(database, read_only=True)
better = dict(con.execute("SELECT id, better FROM objectives").fetchall())
df = con.execute(
    "SELECT a.paper_id, a.method, a.value AS x, b.value AS y FROM results a "
    "JOIN results b USING (paper_id, result_no) "
    "WHERE a.objective = ? AND a.mode = 'absolute' AND b.objective = ? AND b.mode = 'absolute'",
    [x, y],
).df()
sense = ["max" if better[x] == "higher" else "min", "max" if better[y] == "higher" else "min"]
mask = paretoset.paretoset(df[["x", "y"]], sense=sense, distinct=False, use_numba=variant == "numba")
df[mask].to_json(sys.stdout, orient="records")
"""
CACHE_PATH_SCRIPT = """
import sys
from catalog.store.store import open_store
print(open_store([sys.argv[1]]).path)
"""


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def add(self, measure: str, size: str, value: float, reference: str, ref: float, goal: str) -> None:
        ratio = value / ref if ref else float("nan")
        self.rows.append((measure, size, f"{value:.3f}", reference, f"{ref:.3f}", f"{ratio:.2f}", goal))
        print(
            f"  {measure} [{size}]: {value:.3f} s vs {reference} {ref:.3f} s (x{ratio:.2f})", file=sys.stderr
        )

    def markdown(self) -> str:
        head = ("measure", "papers", "median s", "reference", "ref median s", "ratio", "goal")
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)


def bench_size(size: int, runs: int, workdir: Path, table: Table) -> None:
    catalog = workdir / f"catalog-{size}"
    if not (catalog / "objectives.yaml").exists():
        print(f"generating {size} papers…", file=sys.stderr)
        generate(size, catalog)
    label = f"{size:,}"
    catalog_args = ["--no-default", "--catalog", str(catalog)]

    # Cold build: an empty cache each run, against parsing the same YAML with the C loader.
    cold_runs = max(1, runs if size <= 10_000 else 1)
    caches = [Path(tempfile.mkdtemp(prefix="bench-cold-")) for _ in range(cold_runs)]
    it = iter(caches)
    before = cpu_of_children()
    peaks: list[float] = []  # the whole process tree's resident memory, sampled during each run
    cold, _ = median_seconds(
        lambda: peaks.append(peak_tree_rss_mib(tradeoffs("pairs", *catalog_args), env_with_cache(next(it)))),
        cold_runs,
    )
    cold_cpu = (cpu_of_children() - before) / cold_runs
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = cpu_of_children()
    parse, _ = median_seconds(
        process([sys.executable, "-c", PARSE_ONLY, str(catalog)], dict(os.environ)), cold_runs
    )
    parse_cpu = (cpu_of_children() - before) / cold_runs
    table.add("cold build (pairs)", label, cold, "YAML C loader parse", parse, "<= 0.5x")
    # Worker processes share the reading, so the wall clock hides the work: its CPU seconds too.
    table.add("cold build, CPU s of all processes", label, cold_cpu, "parse, CPU s", parse_cpu, "")
    # The same build with every file read by the exact YAML path (as without rapidyaml), to
    # show what the fast path gains.
    exact_caches = [Path(tempfile.mkdtemp(prefix="bench-exact-")) for _ in range(cold_runs)]
    exact_it = iter(exact_caches)
    exact, _ = median_seconds(
        lambda: process(
            tradeoffs("pairs", *catalog_args), {**env_with_cache(next(exact_it)), "TRADEOFFS_EXACT_YAML": "1"}
        )(),
        cold_runs,
    )
    for folder in exact_caches:
        shutil.rmtree(folder, ignore_errors=True)
    table.add("cold build, exact YAML path only", label, exact, "cold build", cold, "")

    # Warm start: the same cache, against importing duckdb and stating every file (the floor:
    # an edit is only seen by looking at each file).
    warm_env = env_with_cache(caches[0])
    imp, _ = median_seconds(process([sys.executable, "-c", "import duckdb"], dict(os.environ)), runs)
    floor, _ = median_seconds(
        process([sys.executable, "-c", STAT_ONLY, str(catalog)], dict(os.environ)), runs
    )
    table.add("stat of every file (process)", label, floor, "import duckdb", imp, "")
    warm_pairs, _ = median_seconds(process(tradeoffs("pairs", *catalog_args), warm_env), runs)
    goal = f"<= {imp + 0.3:.3f} s (duckdb + 0.3 s)" if size <= 10_000 else "<= ref + 0.15 s"
    table.add(
        "warm start (pairs)", label, warm_pairs, "import duckdb + stat of every file", imp + floor, goal
    )
    warm, _ = median_seconds(
        process(tradeoffs("export", "--pair", PAIR, "--format", "json", *catalog_args), warm_env), runs
    )
    # Its answer grows with the catalog (39,440 points of JSON at 100k): a goal only up to 10k.
    goal = "<= ref + 0.3 s" if size <= 10_000 else ""
    table.add("warm start (export --pair as JSON)", label, warm, "import duckdb", imp, goal)

    # Incremental: one file edited, against the cold build.
    victim = catalog / "p000000.yaml"
    original = victim.read_text()

    def edit_and_run() -> None:
        victim.write_text(original.replace("title: '", f"title: 'Edited {time.time_ns()} ", 1))
        process(tradeoffs("pairs", *catalog_args), warm_env)()

    try:
        incremental, _ = median_seconds(edit_and_run, max(1, min(runs, 3)))
    finally:
        victim.write_text(original)
        process(tradeoffs("pairs", *catalog_args), warm_env)()
    table.add("incremental build (1 file)", label, incremental, "cold build", cold, "<= 0.05x")

    # Search per keystroke, in process, against a plain rapidfuzz scan of titles and abstracts.
    os.environ["XDG_CACHE_HOME"] = str(caches[0])
    from rapidfuzz import fuzz, utils
    from rapidfuzz import process as rf_process

    from catalog.query.search import SearchIndex
    from catalog.store.store import open_store

    store = open_store([catalog])
    index = SearchIndex(store)
    keystrokes = [q[:n] for q in QUERIES for n in range(2, len(q) + 1)]
    times = []
    for query in keystrokes:
        start = time.perf_counter()
        index.search(query, limit=50)
        times.append(time.perf_counter() - start)
    texts = [f"{t} {a}" for t, a in store.cursor().execute("SELECT title, abstract FROM papers").fetchall()]
    scan, _ = median_seconds(
        lambda: rf_process.extract(
            "pareto frontier", texts, scorer=fuzz.QRatio, processor=utils.default_process, limit=50
        ),
        max(1, min(runs, 3)),
    )
    p95 = sorted(times)[int(0.95 * (len(times) - 1))]
    table.add(
        "search keystroke (median)",
        label,
        statistics.median(times),
        "rapidfuzz scan, QRatio",
        scan,
        "<= 0.030 s",
    )
    table.add("search keystroke (p95)", label, p95, "rapidfuzz scan, QRatio", scan, "<= 0.080 s")
    store.close()

    # Peak memory of a cold build: the largest single process (the builder, or one of its
    # workers), and the sum over the whole process tree, sampled while it ran.
    rss = usage.ru_maxrss / 1024  # KiB -> MiB on Linux
    table.rows.append(("peak memory, largest process (MiB)", label, f"{rss:.0f}", "", "", "", "<= 1024"))
    tree = max(peaks)
    table.rows.append(("peak memory, all processes (MiB)", label, f"{tree:.0f}", "", "", "", "<= 512"))
    for cache in caches:
        shutil.rmtree(cache, ignore_errors=True)


def bench_frontier(runs: int, table: Table) -> None:
    """The frontier and the plot over 1,000,000 points, in process."""
    import duckdb

    from catalog.model import Objective
    from catalog.query.pairs import Axis
    from catalog.query.pareto import frontier_mask
    from catalog.query.points import _FLAGGED, _params, plot_points, points
    from catalog.store.store import Store
    from catalog.store.update import create_tables
    from tui.plot import PlotPoint, render_plot

    n = 1_000_000
    for label, xs, ys in (
        ("random", "random() * 1000", "random() * 1000"),
        ("all on the frontier", "i", "i"),
    ):
        con = duckdb.connect()
        objectives = {"a": Objective("a", "A", "higher"), "b": Objective("b", "B", "lower")}
        create_tables(con)
        con.executemany(
            "INSERT INTO objectives (id, label, better, aliases) VALUES (?, ?, ?, [])",
            [(o.id, o.label, o.better) for o in objectives.values()],
        )
        con.execute(
            "INSERT INTO papers (id, position, title) SELECT 'p' || i, i, 'Paper' FROM range(1000) t(i)"
        )
        for oid, expr in (("a", xs), ("b", ys)):
            con.execute(
                "INSERT INTO results (paper_id, result_no, method, source, line, objective, value, mode, "
                f"point) SELECT 'p' || (i % 1000), i, 'm', 'T1', 0, '{oid}', ({expr})::DOUBLE, 'absolute', "
                f"i FROM range({n}) t(i)"
            )
        store = Store(con, Path(":memory:"), False)
        x, y = Axis("a", "absolute", "A", None, "higher"), Axis("b", "absolute", "B", None, "lower")
        params, _ = _params(x, y, None)
        count_sql = (
            _FLAGGED.format(only_papers="") + "SELECT count(*) FILTER (WHERE on_frontier) FROM flagged"
        )
        front, _ = median_seconds(lambda c=con, q=count_sql, p=params: c.execute(q, p).fetchone(), runs)
        listed, _ = median_seconds(lambda s=store, x=x, y=y: points(s, x, y, frontier_only=True), 1)
        pairs = con.execute(
            "SELECT a.value, b.value FROM results a JOIN results b USING (paper_id, result_no) "
            "WHERE a.objective = 'a' AND b.objective = 'b'"
        ).fetchall()
        pxs, pys = [p[0] for p in pairs], [p[1] for p in pairs]
        python, _ = median_seconds(lambda a=pxs, b=pys: frontier_mask(a, b, "higher", "lower"), 1)
        table.add(
            f"frontier of 1M points, {label}", "1M points", front, "pure-Python frontier", python, "<= 0.25 s"
        )
        table.add(f"frontier points as records, {label}", "1M points", listed, "frontier alone", front, "")

        def plot(store: Store = store, x: Axis = x, y: Axis = y) -> None:
            data = plot_points(store, x, y, cols=100, rows=30)
            drawn = [PlotPoint(p["x"], p["y"], True) for p in data.frontier]
            drawn += [PlotPoint(px, py, False) for px, py in data.others]
            counts = (data.total, data.shown, data.on_frontier)
            render_plot(drawn, x, y, width=100, height=30, colour=False, counts=counts)

        plotted, _ = median_seconds(plot, runs)
        table.add(f"plot of 1M points, {label}", "1M points", plotted, "goal", 0.2, "<= 0.2 s")
        con.close()


def interleaved_medians(actions: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """Each action's median over ``runs`` rounds; the actions take turns, so that other load on
    the machine falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def bench_export_frontier(size: int, runs: int, workdir: Path, table: Table) -> None:
    """`export --pair --frontier-only` as a whole process, against DuckDB plus paretoset."""
    import duckdb

    if importlib.util.find_spec("paretoset") is None:
        print("  skipped export --frontier-only vs paretoset: paretoset is not installed", file=sys.stderr)
        print("  (pip install -e '.[bench]')", file=sys.stderr)
        return
    catalog = workdir / f"catalog-{size}"
    if not (catalog / "objectives.yaml").exists():
        print(f"generating {size} papers…", file=sys.stderr)
        generate(size, catalog)
    cache = Path(tempfile.mkdtemp(prefix="bench-export-"))
    env = env_with_cache(cache)
    catalog_args = ["--no-default", "--catalog", str(catalog)]
    export = tradeoffs("export", "--pair", PAIR, "--frontier-only", "--format", "json", *catalog_args)

    def output(args: list[str]) -> str:
        return subprocess.run(args, env=env, check=True, capture_output=True, text=True, cwd=ROOT).stdout

    try:
        # The first export builds the cache, so every timed run finds it warm.
        ours = output(export)
        database = output([sys.executable, "-c", CACHE_PATH_SCRIPT, str(catalog)]).strip()
        x, y = PAIR.split(":")
        # paretoset's default runs numba, which compiles its functions again in every process;
        # without numba it runs numpy. Both are what a user might write: both are measured.
        scripts = {v: [sys.executable, "-c", PARETOSET_SCRIPT, database, x, y, v] for v in ("numba", "numpy")}

        def frontier(records: str) -> list[tuple[str, str, float, float]]:
            return sorted((p["paper_id"], p["method"], p["x"], p["y"]) for p in json.loads(records))

        answer = frontier(ours)
        for variant, args in scripts.items():
            assert frontier(output(args)) == answer, f"paretoset ({variant}) found another frontier"
        with duckdb.connect(database, read_only=True) as con:
            (points,) = con.execute(
                "SELECT count(*) FROM results a JOIN results b USING (paper_id, result_no) "
                "WHERE a.objective = ? AND a.mode = 'absolute' AND b.objective = ? AND b.mode = 'absolute'",
                [x, y],
            ).fetchone()
        print(f"  {PAIR}: {points:,} points, {len(answer)} on the frontier, same in both", file=sys.stderr)

        actions = {"tradeoffs": process(export, env)} | {v: process(a, env) for v, a in scripts.items()}
        medians = interleaved_medians(actions, runs)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    label = f"{size:,}"
    measure = "export --pair --frontier-only (process)"
    ours_s = medians["tradeoffs"]
    table.add(measure, label, ours_s, "DuckDB + paretoset script", medians["numba"], "<= 0.33x")
    table.add(measure, label, ours_s, "same, use_numba=False", medians["numpy"], "<= 0.33x")


def in_fresh_process(bench: Callable[[int, Table], None], runs: int, table: Table) -> None:
    """Run ``bench`` (a function of this module) in an interpreter of its own and add its rows:
    after the search and app rows at 10k papers, the plot of 1M points took 0.25 s in that
    process against 0.17 s in a fresh one, though not every time (not the collector, not a
    thread left running)."""
    script = (
        f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import run; "
        f"t = run.Table(); run.{bench.__name__}({runs}, t); print(json.dumps(t.rows))"
    )
    done = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True)
    sys.stderr.write(done.stderr)
    table.rows.extend(tuple(row) for row in json.loads(done.stdout.splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000", help="catalog sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (medians are reported)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "tradeoffs-bench")
    args = parser.parse_args()
    table = Table()
    print("the start of the simplest commands", file=sys.stderr)
    bench_startup(args.runs, table)
    sizes = [int(s) for s in args.sizes.split(",")]
    for size in sizes:
        print(f"{size:,} papers", file=sys.stderr)
        bench_size(size, args.runs, args.workdir, table)
        app_search.add_rows(size, args.workdir, table)  # the Zipf catalog: core and app
    print(f"export --frontier-only against paretoset, {max(sizes):,} papers", file=sys.stderr)
    bench_export_frontier(max(sizes), args.runs, args.workdir, table)
    print("1,000,000 points", file=sys.stderr)
    in_fresh_process(bench_frontier, args.runs, table)
    importlib.import_module("parquet").bench_parquet(args.runs, args.workdir, table)  # bench/parquet.py
    print(table.markdown())


if __name__ == "__main__":
    main()
