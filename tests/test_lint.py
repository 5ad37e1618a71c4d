"""The code base stays ruff clean, formatted, and type-checked (strictly in the core)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
SOURCES = ["catalog", "tui", "tests", "bench"]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True)


def test_ruff_finds_nothing():
    proc = run("ruff", "check", *SOURCES)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_code_is_formatted():
    proc = run("ruff", "format", "--check", *SOURCES)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_finds_nothing():
    # The files and the strictness per package are configured in pyproject.toml.
    proc = run("mypy")
    assert proc.returncode == 0, proc.stdout + proc.stderr
