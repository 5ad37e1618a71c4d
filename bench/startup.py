"""The start of the simplest commands: ``tradeoffs --help`` and a usage error, against a bare
``python -c pass`` measured in the same run (goal: at most 1.5x that plus 0.05 s, with no
DuckDB, PyYAML or rapidfuzz loaded, which tests/test_layering.py checks)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

#: What each row runs, after the command: its arguments.
COMMANDS = {"tradeoffs --help": ["--help"], "usage error (plot, no pair)": ["plot"]}


def _command() -> list[str]:
    """The installed ``tradeoffs`` script beside this Python, as a user runs it (else the module)."""
    script = Path(sys.executable).with_name("tradeoffs")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui"]


def _median(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_startup(runs: int, table: Any) -> None:
    """Add a row per command to ``table``; the reference and the command alternate, run by run."""
    runs = max(runs, 15)  # each run is short: more of them steady the median
    bare = [sys.executable, "-c", "pass"]
    for measure, extra in COMMANDS.items():
        pairs = [(_median(bare, 1), _median([*_command(), *extra], 1)) for _ in range(runs)]
        ref = statistics.median(p[0] for p in pairs)
        value = statistics.median(p[1] for p in pairs)
        table.add(
            measure, "-", value, "python -c pass", ref, f"<= {1.5 * ref + 0.05:.3f} s (1.5x ref + 0.05 s)"
        )
