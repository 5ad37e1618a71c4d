"""A Parquet dataset of 1,000,000 results, opened as a catalog: the warm start of `pairs` and of
`export --pair ... --frontier-only`, against `import duckdb` measured in the same run.

The dataset is made directly by DuckDB in the layout `tradeoffs export --format parquet -o DIR/`
writes (never through YAML): 50,000 papers of 10 results each, every result a point of
`b_accuracy` and `b_latency`, so 1M rows in `table=results`. The first open builds the cache
(timed once, for the record); the measures are the runs after it.

    python bench/parquet.py --runs 5        # on its own
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Protocol

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.store.dataset import DATASET_TABLES, DATASET_VERSION, VERSION_COLUMN, partition  # noqa: E402
from catalog.store.schema import TABLES  # noqa: E402

PAPERS, RESULTS_PER_PAPER = 50_000, 10
PAIR = "b_accuracy:b_latency"
WORDS = ["quantization", "pareto", "frontier", "latency", "memory", "reward", "policy", "diffusion"]


class Rows(Protocol):
    def add(self, measure: str, size: str, value: float, reference: str, ref: float, goal: str) -> None: ...


#: Each table's rows, in SQL over ``range``; a table's missing columns are NULL.
_ROWS = {
    "objectives": """
        SELECT * FROM (VALUES
            ('b_accuracy', 'Accuracy', 'higher', '%', 'quality', ['acc'], false),
            ('b_latency', 'Latency', 'lower', 'ms', 'speed', ['delay'], false))
        AS t(id, label, better, unit, kind, aliases, per_benchmark)""",
    "benchmarks": "SELECT NULL::VARCHAR AS id, NULL::VARCHAR AS label WHERE false",
    "papers": f"""
        SELECT printf('p%06d', i) AS id, i AS position,
               'Paper ' || i || ' on ' || list_extract($words, 1 + i % 8) || ' and '
                   || list_extract($words, 1 + (i // 8) % 8) AS title,
               (2015 + i % 11)::VARCHAR AS published, 2015 + i % 11 AS year, ['A. Author'] AS authors,
               'We study ' || list_extract($words, 1 + (i * 7) % 8) || ' at scale.' AS abstract,
               printf('p%06d.yaml', i) AS file, 1 AS line
        FROM range({PAPERS}) r(i)""",
    "tags": f"""
        SELECT printf('p%06d', i) AS paper_id, list_extract($words, 1 + i % 8) AS tag
        FROM range({PAPERS}) r(i)""",
    "tradeoffs": f"""
        SELECT printf('p%06d', i) AS paper_id, 'b_accuracy' AS x, 'b_latency' AS y
        FROM range({PAPERS}) r(i)""",
    "results": f"""
        SELECT printf('p%06d', p) AS paper_id, r AS result_no, 'Method ' || r AS method,
               'reaches ' || v AS evidence, 10 + r AS line, o AS objective, v AS value, 'absolute' AS mode,
               p * {RESULTS_PER_PAPER} + r AS point, 'exact' AS shape, v AS low, v AS high
        FROM (SELECT p, r, o,
                     round(CASE o WHEN 'b_accuracy' THEN random() * 100 ELSE random() * 500 END, 2) AS v
              FROM range({PAPERS}) a(p), range({RESULTS_PER_PAPER}) b(r),
                   (VALUES ('b_accuracy'), ('b_latency')) c(o))""",
    "conditions": f"""
        SELECT printf('p%06d', i) AS paper_id, 0 AS result_no, 'hardware' AS key, 'A100' AS value
        FROM range({PAPERS}) r(i)""",
}


def build_dataset(folder: Path) -> None:
    """Write the 1M-result dataset to ``folder``, as `export --format parquet -o DIR/` lays it out."""
    import duckdb

    shutil.rmtree(folder, ignore_errors=True)
    con = duckdb.connect()
    for table in DATASET_TABLES:
        words = {"words": WORDS} if "$words" in _ROWS[table] else {}
        made = {row[0] for row in con.execute(f"DESCRIBE {_ROWS[table]}", words).fetchall()}
        columns = ", ".join(
            f"{c.name}::{c.type} AS {c.name}" if c.name in made else f"NULL::{c.type} AS {c.name}"
            for c in TABLES[table].columns
        )
        part = partition(folder, table)
        part.mkdir(parents=True)
        con.execute(
            f"COPY (SELECT {columns}, {DATASET_VERSION}::INTEGER AS {VERSION_COLUMN} FROM ({_ROWS[table]})) "
            f"TO '{part / 'part-0.parquet'}' (FORMAT parquet, COMPRESSION zstd)",
            words,
        )
    con.close()


def _median(args: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_parquet(runs: int, workdir: Path, table: Rows) -> None:
    """Add the dataset's rows to ``table``: a cold open once, then the warm starts' medians."""
    folder = workdir / "dataset-1m"
    if not (partition(folder, "results") / "part-0.parquet").exists():
        print("building the 1M-result dataset…", file=sys.stderr)
        build_dataset(folder)
    cache = Path(tempfile.mkdtemp(prefix="bench-parquet-"))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "XDG_DATA_HOME": str(cache / "data")}
    tradeoffs = [sys.executable, "-m", "tui", "--no-default", "--catalog", f"{folder}/"]
    try:
        cold = _median([*tradeoffs, "pairs"], env, 1)
        imp = _median([sys.executable, "-c", "import duckdb"], dict(os.environ), runs)
        table.add("dataset, cold open (pairs)", "1M results", cold, "import duckdb", imp, "")
        pairs = _median([*tradeoffs, "pairs"], env, runs)
        table.add("dataset, warm start (pairs)", "1M results", pairs, "import duckdb", imp, "<= 2 s")
        frontier = [*tradeoffs, "export", "--pair", PAIR, "--frontier-only", "--format", "json"]
        table.add(
            "dataset, warm start (export --frontier-only)",
            "1M results",
            _median(frontier, env, runs),
            "import duckdb",
            imp,
            "<= 2 s",
        )
    finally:
        shutil.rmtree(cache, ignore_errors=True)


class _Printed:
    def add(self, measure: str, size: str, value: float, reference: str, ref: float, goal: str) -> None:
        print(f"| {measure} | {size} | {value:.3f} | {reference} | {ref:.3f} | {value / ref:.2f} | {goal} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "tradeoffs-bench")
    options = parser.parse_args()
    bench_parquet(options.runs, options.workdir, _Printed())
