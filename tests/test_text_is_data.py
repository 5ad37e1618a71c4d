"""Catalog text is data: never markup to the app, never control sequences to a terminal.

Titles, labels, methods and every other piece of catalog text are written by anyone. In the
app they are shown as written (``[@click=app.quit]Click me[/]`` is text, not a link that
quits, and ``[/]`` is not an error); on a terminal their control characters are shown as
escapes; JSON output is strict JSON that escapes every control character, whatever it goes to.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static
from textual.widgets._toast import Toast

from catalog import export
from catalog.query.explore import Explorer
from tui.app import TradeoffsApp
from tui.cli import main
from tui.keys import palette_commands
from tui.screens.detail import DetailScreen
from tui.screens.dialogs import NoteDialog, PairPicker, ProblemsScreen
from tui.screens.main import MainScreen

from .conftest import FIXTURES
from .test_app import SIZE, messages, pick_pair, plot_text, started, status, until

MARKUP = FIXTURES / "markup"
CLICK = "[@click=app.quit]Click me[/]"
ROOT = Path(__file__).parent.parent

#: Every C0 and C1 control character, and DEL.
RAW_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: A title with an escape sequence, a bell, a C1 control sequence introducer, a line break, a tab.
TITLE = "Esc \x1b[31mred\x1b[0m bel \x07 csi \x9b2J new\nline tab\tend"


def screen_text(app: Any) -> str:
    """What the terminal shows of the current screen (and the notifications over it), line by line."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def where(app: Any, text: str) -> tuple[int, int]:
    """The cell (column, row) of the screen where ``text`` is first shown."""
    for row, line in enumerate(screen_text(app).splitlines()):
        if text in line:
            return line.index(text), row
    raise AssertionError(f"{text!r} is not on the screen:\n{screen_text(app)}")


def running(app: TradeoffsApp) -> bool:
    """The app goes on: nothing quit it and nothing failed in it (a ``MarkupError`` would)."""
    return app.is_running and app.return_code is None and app._exception is None


# The app: markup is text -----------------------------------------------------------------


async def test_markup_in_every_piece_of_catalog_text_is_shown_as_written_and_never_obeyed():
    app = TradeoffsApp([MARKUP])
    async with app.run_test(size=(130, 40)) as pilot:
        await started(pilot)
        shown = screen_text(app)
        assert CLICK in shown and "A title ending in [/]" in shown  # the list

        await pilot.press("p")  # the pair picker: objective and benchmark labels
        await until(pilot, lambda: isinstance(app.screen, PairPicker) and CLICK in screen_text(app))
        shown = screen_text(app)
        assert "Cost [/] vs [@click=app.quit]Click me[/] speed" in shown
        assert "[bold red]x[/bold red] score on" in shown and "[link=https://evil]x[/link] bench" in shown
        await pilot.press("escape")

        await pick_pair(pilot, "cost:speed")  # the plot: its axes' titles
        await until(pilot, lambda: "on the frontier" in plot_text(app))
        assert "Cost [/] ([link=https://evil]x[/link])" in plot_text(app)
        assert "Cost [/] ([link=https://evil]x[/link])" in screen_text(app)
        await pilot.press("right_square_bracket")  # the status line names the point
        assert f"{CLICK} ([bold red]x[/bold red], hardware=[link=https://evil]x[/link] [/])" in status(app)
        assert "[link=https://evil]x[/link] [/]" in screen_text(app)

        await pilot.press("enter")  # the paper: title, authors, tags, abstract, results
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        shown = screen_text(app)
        assert f"2 authors: {CLICK}, [bold red]x[/bold red]" in shown
        assert "tags: [/], [@click=app.quit]tag[/]" in shown
        assert f"[link=https://evil]x[/link] Fast {CLICK} reaches" in shown
        assert "[bold red]x[/bold red] slow" in shown and "40 speed [/]" in shown
        assert str(app.screen.query_one("#detail-title", Static).render()) == CLICK

        await pilot.press("n")  # the note dialog, then the note as typed
        await until(pilot, lambda: isinstance(app.screen, NoteDialog) and "Note on:" in screen_text(app))
        assert f"Note on: {CLICK}" in screen_text(app)
        await pilot.press(*"[b]mine[/]", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen) and "mine" in screen_text(app))
        assert "Your note: [b]mine[/]" in screen_text(app)

        await pilot.press("ctrl+p")  # the palette
        await until(pilot, lambda: "Bookmark this paper" in screen_text(app))
        await pilot.press("escape")
        assert running(app)


async def test_a_title_that_ends_in_a_closing_tag_opens_in_the_note_dialog():
    app = TradeoffsApp([MARKUP])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("down", "n")
        await until(pilot, lambda: isinstance(app.screen, NoteDialog) and "Note on:" in screen_text(app))
        assert "Note on: A title ending in [/]" in screen_text(app)
        assert running(app)


async def test_clicking_a_title_that_is_a_quit_link_in_markup_does_not_quit():
    app = TradeoffsApp([MARKUP])
    async with app.run_test(size=(130, 40)) as pilot:
        await started(pilot)
        await pilot.click(offset=where(app, "Click me"))  # in the list: opens the paper
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        for _ in range(3):  # its title, then its first author, then its method
            await pilot.click(offset=where(app, "Click me"))
            await pilot.pause(0.1)
            assert running(app) and isinstance(app.screen, DetailScreen)
        column, row = where(app, f"2 authors: {CLICK}")
        await pilot.click(offset=(column + len("2 authors: [@click=app.quit]") + 1, row))
        await pilot.pause(0.1)
        assert running(app)


async def test_file_names_and_problems_that_hold_markup_are_listed_as_written(tmp_path):
    folder = tmp_path / "a["
    folder.mkdir()
    bad = folder / "]b.yaml"  # its path holds "[/]"
    bad.write_text(f'papers:\n  - id: x\n    title: T\n    "{CLICK}": red\n')
    said = f"{bad}:4:5: unknown field '{CLICK}'"
    app = TradeoffsApp([MARKUP, bad])
    async with app.run_test(size=(200, 30)) as pilot:
        await started(pilot)
        await pilot.press("exclamation_mark")
        await until(pilot, lambda: isinstance(app.screen, ProblemsScreen) and "unknown" in screen_text(app))
        assert said in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert running(app)


async def test_a_message_quoting_catalog_text_is_shown_as_written(monkeypatch):
    def fails(self: Explorer, paper_id: str) -> None:
        raise ValueError(f"cannot read {CLICK} \x1b[2J\x9b")

    monkeypatch.setattr(Explorer, "paper", fails)
    app = TradeoffsApp([MARKUP])
    async with app.run_test(size=(130, 40), notifications=True) as pilot:
        await started(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: any("Could not open the paper" in m for m in messages(app)))
        await until(pilot, lambda: "Could not open" in screen_text(app))
        (said,) = [m for m in messages(app) if "Could not open the paper" in m]
        assert not RAW_CONTROL.search(said) and "\\x1b[2J\\x9b" in said
        (toast,) = app.screen.query(Toast)
        assert f"{CLICK} \\x1b[2J\\x9b" in str(toast.render()) and raw_controls(app) == []
        assert running(app)


def test_the_palette_shows_each_commands_help_as_written():
    bindings = [Binding("x", "quit", "Quit", tooltip=f"{CLICK} and [/]")]
    (command,) = palette_commands(TradeoffsApp([MARKUP]), bindings)
    assert Content.from_markup(command.help).plain == f"{CLICK} and [/] (x)"


# The app: control characters are shown as escapes ------------------------------------------


@pytest.fixture
def controls(tmp_path: Path) -> Path:
    """A catalog whose title, authors, tags, labels, methods and sources hold control characters
    (written as YAML escapes: a raw control character is refused)."""
    path = tmp_path / "controls.yaml"
    path.write_text(
        "objectives:\n"
        '  speed: {label: "Speed \\e[5mblink\\a", better: higher, kind: speed}\n'
        '  cost: {label: "Cost \\u009b2J", better: lower, kind: footprint}\n'
        "papers:\n"
        "  - id: ctl\n"
        '    title: "Esc \\e[31mred\\e[0m bel \\a csi \\u009b2J new\\nline tab\\tend"\n'
        "    published: 2024\n"
        '    authors: ["A \\e]0;pwned\\a", "Ada\\nLovelace"]\n'
        '    tags: ["t\\e[1mag"]\n'
        "    abstract: Fast reaches a speed of 80 at a cost of 12.\n"
        "    tradeoffs:\n"
        "      - [speed, cost]\n"
        "    results:\n"
        '      - method: "Fast \\e[2J\\nmethod"\n'
        "        values: {speed: 80, cost: 12}\n"
        "        evidence: reaches a speed of 80 at a cost of 12\n"
        '      - method: "Slow \\u009b"\n'
        "        values: {speed: 40, cost: 95}\n"
        '        source: "Table \\e[1m2"\n'
    )
    return path


def raw_controls(app: Any) -> list[str]:
    """The control characters (line breaks and tabs too) the screen would send the terminal."""
    return [
        char
        for strip in app.screen._compositor.render_strips()
        for segment in strip
        for char in RAW_CONTROL.findall(segment.text)
    ]


async def test_no_control_character_of_catalog_text_reaches_the_screen(controls):
    app = TradeoffsApp([controls])
    async with app.run_test(size=(130, 40)) as pilot:
        await started(pilot)
        assert "Esc \\x1b[31mred\\x1b[0m bel" in screen_text(app)  # cut to the column
        assert raw_controls(app) == []
        await pick_pair(pilot, "speed:cost")
        await until(pilot, lambda: "on the frontier" in plot_text(app))
        await pilot.press("right_square_bracket")
        assert "Speed \\x1b[5mblink\\x07" in plot_text(app) and "Cost \\x9b2J" in plot_text(app)
        assert "Slow \\x9b [ctl]" in status(app)
        await pilot.press("right_square_bracket")
        assert "Fast \\x1b[2J\\nmethod [ctl]" in status(app)
        assert raw_controls(app) == []
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PairPicker) and "speed:cost" in screen_text(app))
        assert raw_controls(app) == []
        await pilot.press("escape", "enter")
        await until(pilot, lambda: isinstance(app.screen, DetailScreen))
        assert "Esc \\x1b[31mred\\x1b[0m bel \\x07 csi \\x9b2J new\\nline tab\\tend" in screen_text(app)
        assert "A \\x1b]0;pwned\\x07" in screen_text(app) and "Table \\x1b[1m2" in screen_text(app)
        assert raw_controls(app) == []


# The command line: on a terminal, controls are escaped; to a pipe, data is kept ------------------


def on_terminal(*args: str) -> tuple[bytes, str]:
    """Run ``tradeoffs ARGS`` with its standard output on a pseudo-terminal: the bytes the
    terminal received, and what it said on standard error (a pipe)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
        cwd=ROOT,
    )
    os.close(slave)
    received = b""
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # the process closed the terminal
                break
            if not data:
                break
            received += data
    finally:
        os.close(master)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    return received, err.decode()


def catalog_of(path: Path) -> list[str]:
    return ["--no-default", "--catalog", str(path)]


TERMINAL_COMMANDS = {
    "sql table": ["sql", "SELECT title, 'Speed \x1b[5m' AS label FROM papers"],
    "sql csv": ["sql", "SELECT title FROM papers", "--format", "csv"],
    "sql json": ["sql", "SELECT title FROM papers", "--format", "json"],
    "export csv": ["export", "--format", "csv"],
    "export md": ["export", "--format", "md"],
    "export bibtex": ["export", "--format", "bibtex"],
    "export yaml": ["export", "--format", "yaml"],
    "export json": ["export", "--format", "json"],
    "export jsonl": ["export", "--format", "jsonl"],
    "export csv of a pair": ["export", "--pair", "speed:cost", "--format", "csv"],
    "search": ["search", "esc"],
    "search json": ["search", "esc", "--format", "json"],
    "pairs": ["pairs"],
    "pairs json": ["pairs", "--format", "json"],
    "plot": ["plot", "speed:cost", "--width", "60", "--height", "10", "--all"],
}


@pytest.mark.parametrize("command", list(TERMINAL_COMMANDS))
def test_on_a_terminal_no_control_character_of_catalog_text_is_obeyed(command, controls):
    received, _ = on_terminal(*TERMINAL_COMMANDS[command], *catalog_of(controls))
    for raw in (b"\x1b", b"\x07", "\x9b".encode(), b"new\nline", b"new\r\nline", b"tab\tend"):
        assert raw not in received, (raw, received)
    assert not re.search(rb"Ada\r?\n", received), received  # a line break, alone in its text
    shown = received.decode()
    if command != "plot" and not command.startswith("pairs"):
        # As the format writes an escape (Markdown and BibTeX escape its backslash in turn, and
        # Markdown the bracket that could open a link).
        escaped = (
            "Esc \\x1b[31m",
            "Esc \\e[31m",
            "Esc \\u001b[31m",
            "Esc \\\\x1b\\[31m",
            "Esc \\textbackslash{}x1b[31m",
        )
        assert any(e in shown for e in escaped), shown


def run_piped(*args: str) -> tuple[bytes, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, timeout=60, cwd=ROOT, env=os.environ
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout, proc.stderr.decode()


@pytest.mark.parametrize(
    "args", [["sql", "SELECT title FROM papers", "--format", "csv"], ["export", "--format", "csv"]]
)
def test_csv_to_a_pipe_keeps_the_exact_text(args, controls):
    out, _ = run_piped(*args, *catalog_of(controls))
    assert TITLE.encode() in out
    (row,) = list(csv.DictReader(io.StringIO(out.decode())))
    assert row["title"] == TITLE


@pytest.mark.parametrize("fmt", ["bibtex", "md"])
def test_bibtex_and_markdown_to_a_pipe_keep_control_characters(fmt, controls):
    out, _ = run_piped("export", "--format", fmt, *catalog_of(controls))
    said = "Esc \x1b[31mred\x1b[0m bel \x07 csi \x9b2J"
    assert (said if fmt == "bibtex" else said.replace("[", "\\[")).encode() in out  # Markdown: no link


def test_yaml_writes_control_characters_as_escapes_and_loads_back_the_same(controls):
    out, _ = run_piped("export", "--format", "yaml", *catalog_of(controls))
    assert not RAW_CONTROL.search(out.decode().replace("\n", ""))
    assert b'"Ada\\nLovelace"' in out  # a line break, alone in its text, is written as an escape too
    (paper,) = yaml.safe_load(out)["papers"]
    assert paper["title"] == TITLE and paper["results"][0]["method"] == "Fast \x1b[2J\nmethod"
    assert paper["authors"] == ["A \x1b]0;pwned\x07", "Ada\nLovelace"]


JSON_COMMANDS = {
    "sql": ["sql", "SELECT title FROM papers", "--format", "json"],
    "export json": ["export", "--format", "json"],
    "export jsonl": ["export", "--format", "jsonl"],
    "export json of a pair": ["export", "--pair", "speed:cost", "--format", "json"],
    "search": ["search", "esc", "--format", "json"],
    "pairs": ["pairs", "--format", "json"],
}


def strict_json(text: str) -> Any:
    """``text`` parsed as JSON, refusing ``NaN`` and ``Infinity`` (which JSON does not have)."""

    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("command", list(JSON_COMMANDS))
def test_json_to_a_pipe_escapes_every_c0_and_c1_control_and_keeps_the_text(command, controls):
    out, _ = run_piped(*JSON_COMMANDS[command], *catalog_of(controls))
    text = out.decode()
    assert not RAW_CONTROL.search(text.replace("\n", "")), text  # only the lines' own breaks
    assert "\\u009b" in text
    lines = text.splitlines() if command == "export jsonl" else [text]
    found = [strict_json(line) for line in lines]
    if command == "sql":
        assert found == [[{"title": TITLE}]]
    elif command == "export json":
        assert found[0][0]["title"] == TITLE
    elif command == "export jsonl":
        assert found[0]["title"] == TITLE
    elif command == "search":
        assert found[0][0]["title"] == TITLE
    elif command == "export json of a pair":
        assert {p["method"] for p in found[0]} == {"Fast \x1b[2J\nmethod", "Slow \x9b"}
    else:
        assert found[0][0]["x_label"] == "Cost \x9b2J"


def test_an_error_quoting_catalog_text_escapes_its_control_characters(controls):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "sql",
            "SELECT CAST(title AS INTEGER) FROM papers",
            *catalog_of(controls),
        ],
        capture_output=True,
        timeout=60,
        cwd=ROOT,
    )
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert "Could not convert string 'Esc \\x1b[31mred\\x1b[0m bel \\x07 csi \\x9b2J" in err
    assert not RAW_CONTROL.search(err.rstrip("\n")), err


def test_a_problem_quoting_catalog_text_is_said_on_one_line_escaped(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text('papers:\n  - id: x\n    title: T\n    "a\\e[2J\\nb": red\n')
    assert main(["validate", "--no-default", str(bad)], out=io.StringIO()) == 1
    err = capsys.readouterr().err
    assert "unknown field 'a\\x1b[2J\\nb'" in err and not RAW_CONTROL.search(err.replace("\n", ""))
    assert len(err.splitlines()) == 2  # the problem, then what to do


# JSON has no NaN -------------------------------------------------------------------------


def test_sql_json_writes_nan_and_infinities_as_null(run):
    query = "SELECT 'nan'::DOUBLE AS a, 'inf'::DOUBLE AS b, '-inf'::DOUBLE AS c, ['nan'::DOUBLE, 1.5] AS d"
    result = run("sql", query, "--format", "json", "--no-default", "--catalog", str(MARKUP))
    assert result.code == 0, result.err
    assert strict_json(result.out) == [{"a": None, "b": None, "c": None, "d": [None, 1.5]}]


def test_the_sql_help_says_that_nan_is_written_as_null(run):
    result = run("sql", "--help")
    assert "NaN and infinite values are null" in " ".join(result.out.split())


def test_every_json_export_is_strict_json_escaping_c1():
    record = {"x": math.nan, "y": math.inf, "nested": {"z": [-math.inf]}, "title": "a\x9bb\x7f"}
    expected = {"x": None, "y": None, "nested": {"z": [None]}, "title": "a\x9bb\x7f"}
    as_json, as_lines = export.to_json([record]), export.to_jsonl([record])
    assert strict_json(as_json) == [expected] and strict_json(as_lines) == expected
    assert not RAW_CONTROL.search(as_json.replace("\n", "") + as_lines.rstrip("\n"))
