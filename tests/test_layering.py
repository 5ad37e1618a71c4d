"""The direction of imports: the core never imports the UI, its stages go one way, and headless
commands never load Textual. Checked twice: statically by import-linter's contracts (in
pyproject.toml), and by what a real process has loaded after running a command."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import catalog

from .conftest import MINI

ROOT = Path(__file__).parent.parent

PROBE = """
import sys
from tui.cli import main
try:
    code = main({args!r})
except SystemExit as exit_:
    code = exit_.code
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & set({watched!r}))
print("LOADED:", loaded, file=sys.stderr)
"""


def loaded_by(args: list[str], watched: tuple[str, ...]) -> str:
    """Which of the ``watched`` top-level modules running ``tradeoffs ARGS`` loaded."""
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args, watched=watched)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert "LOADED:" in proc.stderr, proc.stderr
    return proc.stderr.rsplit("LOADED:", 1)[1].strip()


def test_the_import_contracts_hold():
    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    proc = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


def test_headless_commands_do_not_import_textual():
    catalog_args = ["--no-default", "--catalog", str(MINI)]
    for args in (
        ["validate"],
        ["search", "sampler"],
        ["pairs"],
        ["plot", "quality:wait", "--width", "60"],
        ["export", "--format", "csv"],
        ["sql", "SELECT 1"],
    ):
        assert loaded_by(args + catalog_args, ("textual", "rich")) == "[]", args


def test_help_and_usage_errors_load_no_database_yaml_or_fuzzy_matching():
    heavy = ("duckdb", "yaml", "rapidfuzz", "plotext", "textual")
    for args in (["--help"], ["export", "--help"], ["plot"], ["export", "--format", "nope"]):
        assert loaded_by(args, heavy) == "[]", args


def test_a_command_on_a_built_catalog_reads_no_yaml_and_loads_no_fuzzy_matching(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    catalog_args = ["--no-default", "--catalog", str(MINI)]
    assert loaded_by(["pairs", *catalog_args], ("yaml",)) == "['yaml']"  # the first start builds
    for args in (["pairs"], ["export", "--pair", "quality:wait"], ["sql", "SELECT 1"]):
        assert loaded_by(args + catalog_args, ("yaml", "rapidfuzz")) == "[]", args


def test_every_core_module_imports_nothing_of_the_ui():
    names = [m.name for m in pkgutil.walk_packages(catalog.__path__, "catalog.")]
    assert len(names) > 30 and "catalog.store.schema" in names
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tui', 'textual', 'rich', 'plotext')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr
