"""The core never imports the UI, and headless commands never import Textual."""

from __future__ import annotations

import subprocess
import sys

from .conftest import MINI

PROBE = """
import sys
from tui.cli import main
code = main({args!r})
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print("TEXTUAL:", loaded, file=sys.stderr)
"""


def run_and_list_textual(args: list[str]) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stderr.rsplit("TEXTUAL:", 1)[1].strip()


def test_headless_commands_do_not_import_textual():
    catalog = ["--no-default", "--catalog", str(MINI)]
    for args in (
        ["validate"],
        ["search", "sampler"],
        ["pairs"],
        ["plot", "quality:wait", "--width", "60"],
        ["export", "--format", "csv"],
        ["sql", "SELECT 1"],
    ):
        assert run_and_list_textual(args + catalog) == "[]", args


def test_the_core_imports_nothing_of_the_ui():
    code = (
        "import sys, catalog.load, catalog.store, catalog.query, catalog.search;"
        "import catalog.export, catalog.pareto;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tui', 'textual', 'rich', 'plotext')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr
