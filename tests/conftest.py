"""Shared fixtures: every test gets its own user folders, so no test touches the real ones."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tui.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


@pytest.fixture(autouse=True)
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point platformdirs (through the XDG variables) at a fresh temporary folder."""
    home = tmp_path / "user"
    for var in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    return home


def export_command(catalog: Path, fmt: str = "jsonl") -> list[str]:
    """The real ``tradeoffs export`` of one catalog, as a process's arguments."""
    return [sys.executable, "-m", "tui", "export", "--no-default", "--catalog", str(catalog), "--format", fmt]


@dataclass
class Run:
    """What a command did: its exit code and what it printed."""

    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]):
    """Run ``tradeoffs`` in this process, as a function of its arguments."""

    def _run(*args: str) -> Run:
        out = io.StringIO()
        try:
            code = main(list(args), out=out)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return Run(code, out.getvalue() + captured.out, captured.err)

    return _run


@pytest.fixture
def run_process(user_dirs: Path):
    """Run ``tradeoffs`` as a real process (``python -m tui``)."""

    def _run(*args: str, timeout: float = 60, env: dict[str, str] | None = None) -> Run:
        proc = subprocess.run(
            [sys.executable, "-m", "tui", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, **(env or {})},
            cwd=Path(__file__).parent.parent,
        )
        return Run(proc.returncode, proc.stdout, proc.stderr)

    return _run


def unmeasured(env: dict[str, str]) -> dict[str, str]:
    """``env`` for a process a test starves of file space: coverage, which measures the
    processes the tests start, could not write its data there and would fail on the way out."""
    return {k: v for k, v in env.items() if not k.startswith("COVERAGE_")}
