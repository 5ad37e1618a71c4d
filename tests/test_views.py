"""Views: what the app shows, said as one command line, kept under a name, and opened again by
the command line and the app."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Input, Static

import tui.view_options
from catalog import userfile
from catalog.views import (
    View,
    app_command_line,
    command_line,
    delete_view,
    load_views,
    name_problem,
    save_view,
    views_path,
)
from tui.app import TradeoffsApp
from tui.cli import build_parser
from tui.commands import REGISTRY
from tui.screens.view_dialog import COPIED, ViewDialog, opening
from tui.widgets.frontier_plot import FrontierPlot
from tui.widgets.paper_table import PaperTable

from .conftest import MINI
from .test_app import SIZE, main_screen, messages, pick_pair, search, started, until

CATALOG = ("--no-default", "--catalog", str(MINI))

A_VIEW = View(
    pair="quality:wait",
    query="tag:diffusion sampler",
    as_of="2024-06",
    log_x=True,
    log_y=False,
    hull=True,
    by="paper",
    paper="swift-sampler",
    method="Swift Sampler",
)

HOSTILE = [
    "'; rm -rf ~",
    'it\'s "quoted" and $HOME and `whoami` and $(id)',
    "two\nlines",
    "tab\there \\ backslash",
    "-starts-like-an-option",
    "glob * ? [a-z] ~ & | ; < > ( ) { } !",
    "ünïcødé ☃ and a trailing space ",
]


# The file -----------------------------------------------------------------------------


def test_views_round_trip_through_the_file_in_the_user_config_folder(user_dirs: Path):
    save_view("mine", A_VIEW)
    save_view("bare", View())
    views, problem = load_views()
    assert problem is None
    assert views == {"mine": A_VIEW, "bare": View()}
    assert views_path() == user_dirs / "xdg_config_home" / "tradeoffs" / "views.json"
    saved = json.loads(views_path().read_text())
    assert saved["views"]["mine"]["method"] == "Swift Sampler"
    assert stat.S_IMODE(views_path().stat().st_mode) == 0o600  # the user's own, like the state


def test_saving_a_name_again_replaces_it_and_says_so_and_deleting_removes_it():
    assert save_view("mine", A_VIEW).existed is False
    changed = save_view("mine", replace(A_VIEW, log_x=False))
    assert changed.existed is True and changed.views["mine"].log_x is False
    assert delete_view("mine").existed is True
    assert load_views()[0] == {}
    before = views_path().read_bytes()
    assert delete_view("mine").existed is False
    assert views_path().read_bytes() == before  # nothing to delete: nothing written


def test_no_file_is_no_views_and_no_message():
    assert load_views() == ({}, None)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"{ not json", "it is not JSON"),
        (b"\xff\xfe", "it is not UTF-8 text"),
        (b"[1, 2]", "it is not a JSON object"),
        (b'{"views": []}', "views must be an object of views by name"),
        (b'{"views": {"a b": {}}}', "a view's name is 1 to 64 letters"),
        (b'{"views": {"a": []}}', "the view 'a' must be an object"),
        (b'{"views": {"a": {"log_x": "yes"}}}', "in the view 'a', log_x must be true or false"),
        (b'{"views": {"a": {"hull": 1}}}', "in the view 'a', hull must be true or false"),
        (b'{"views": {"a": {"query": null}}}', "in the view 'a', query must be a text"),
        (b'{"views": {"a": {"pair": 3}}}', "in the view 'a', pair must be a text or null"),
        (b'{"views": {"a": {"as_of": "last year"}}}', "in the view 'a', as_of must be a date"),
        (b'{"views": {"a": {"method": "m"}}}', "in the view 'a', method needs the paper it is of"),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_a_file_that_is_not_valid_is_moved_aside_with_a_message_never_emptied(content, said):
    views_path().parent.mkdir(parents=True)
    views_path().write_bytes(content)
    views, problem = load_views()
    assert views == {}
    assert problem is not None and said in problem and "was not a valid views file" in problem
    (aside,) = views_path().parent.glob("views.corrupt-*.json")
    assert aside.read_bytes() == content and str(aside) in problem
    assert not views_path().exists()


def test_on_a_file_system_without_hard_links_a_bad_file_is_still_moved_aside_whole(monkeypatch):
    views_path().parent.mkdir(parents=True)
    views_path().write_text("{ nope")

    def no_links(*args: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    views, problem = load_views()
    assert views == {} and problem is not None
    (aside,) = views_path().parent.glob("views.corrupt-*.json")
    assert aside.read_text() == "{ nope" and not views_path().exists()


def test_a_file_that_cannot_be_read_is_said_and_left_where_it_is():
    views_path().mkdir(parents=True)  # a folder where the file should be
    views, problem = load_views()
    assert views == {} and problem is not None and "could not read" in problem
    assert "without saved views" in problem and views_path().is_dir()


def test_saving_over_a_file_that_is_not_valid_moves_it_aside_and_says_so():
    views_path().parent.mkdir(parents=True)
    views_path().write_text('{"views": {"a": {"log_y": "no"}}}')
    changed = save_view("mine", A_VIEW)
    assert changed.moved_aside is not None and "log_y must be true or false" in changed.moved_aside
    assert load_views() == ({"mine": A_VIEW}, None)
    assert len(list(views_path().parent.glob("views.corrupt-*.json"))) == 1


def test_a_save_is_one_rename_and_a_failed_one_leaves_the_old_file_whole(monkeypatch):
    save_view("first", A_VIEW)
    before, inode = views_path().read_bytes(), views_path().stat().st_ino
    save_view("second", View())
    assert views_path().stat().st_ino != inode  # a new file renamed into place, not rewritten
    before = views_path().read_bytes()

    def fails(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fails)
    with pytest.raises(OSError):
        save_view("third", View())
    assert views_path().read_bytes() == before
    assert [p.name for p in views_path().parent.iterdir() if p.name.startswith(".views.json.")] == []


SAVER = """
import sys
from catalog.views import View, save_view
who = sys.argv[1]
for i in range(30):
    save_view(f"{who}-{i}", View(query=who))
"""


def test_two_processes_saving_views_at_once_lose_none():
    procs = [subprocess.Popen([sys.executable, "-c", SAVER, who]) for who in ("a", "b")]
    for proc in procs:
        assert proc.wait(timeout=60) == 0
    views, problem = load_views()
    assert problem is None
    assert sorted(views) == sorted([f"a-{i}" for i in range(30)] + [f"b-{i}" for i in range(30)])


def test_the_file_is_read_by_the_helpers_the_state_file_uses():
    # One reader for the user's JSON files: the state's messages and the views' come from it.
    assert userfile.move_aside.__module__ == "catalog.userfile"
    import catalog.state
    import catalog.views

    assert catalog.state.userfile is catalog.views.userfile


# Names --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a", "my-view", "v1.2_final", "A" * 64, "-leading", "..", "x.y-z_0"])
def test_names_of_letters_digits_dash_underscore_and_dot_are_names(name):
    assert name_problem(name) is None
    save_view(name, View())
    assert name in load_views()[0]


@pytest.mark.parametrize("name", ["", "A" * 65, "a b", "a/b", "naïve", "a\nb", "a:b", "$HOME", "é"])
def test_anything_else_is_refused_saying_what_a_name_is(name):
    problem = name_problem(name)
    assert problem is not None and "1 to 64 letters, digits, '-', '_' or '.'" in problem
    assert repr(name) in problem
    with pytest.raises(ValueError, match="1 to 64 letters"):
        save_view(name, View())
    assert not views_path().exists()


# The command line ---------------------------------------------------------------------


def test_the_command_line_says_every_option_in_a_fixed_order():
    assert command_line(A_VIEW) == (
        "tradeoffs plot quality:wait --query 'tag:diffusion sampler' --as-of 2024-06 "
        "--log-x --hull --by paper"
    )
    assert command_line(View(pair="a:b", log_y=True)) == "tradeoffs plot a:b --log-y"
    assert command_line(View(query="words")) is None  # no pair: no plot to say
    assert app_command_line("mine") == "tradeoffs --view mine"
    assert app_command_line("-odd") == "tradeoffs --view=-odd"


def shell_argv(line: str) -> list[str]:
    """The arguments ``tradeoffs`` gets when ``line`` is pasted into bash."""
    script = 'tradeoffs() { python3 -c "import json, sys; print(json.dumps(sys.argv[1:]))" "$@"; }\n' + line
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30, check=True)
    return list(json.loads(done.stdout))


def view_of(argv: list[str]) -> View:
    """The view the real parser reads from a command line's arguments."""
    args = build_parser().parse_args(argv)
    return tui.view_options.described(args, None, "check")


@pytest.mark.parametrize("query", HOSTILE)
def test_pasted_into_a_shell_the_command_line_gives_back_the_very_query(query):
    view = replace(A_VIEW, query=query, paper=None, method=None)
    line = command_line(view)
    assert line is not None
    argv = shell_argv(line)
    assert query in argv or f"--query={query}" in argv  # one argument, exactly as typed
    assert view_of(argv) == view


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40),
    by=st.none()
    | st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1),
    log_x=st.booleans(),
    log_y=st.booleans(),
    hull=st.booleans(),
)
def test_any_view_comes_back_whole_from_its_command_line_through_the_shell(query, by, log_x, log_y, hull):
    view = View(pair="quality:wait", query=query, by=by, log_x=log_x, log_y=log_y, hull=hull, as_of="2024")
    line = command_line(view)
    assert line is not None
    assert view_of(shell_argv(line)) == view


def test_a_pair_that_would_read_as_an_option_goes_last_after_a_double_dash():
    line = command_line(View(pair="-x:y", query="q"))
    assert line == "tradeoffs plot --query q -- -x:y"
    assert shell_argv(line)[-1] == "-x:y"


# --view and --save-view ---------------------------------------------------------------


def parsed(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def test_a_view_fills_what_the_command_takes_and_the_command_line_did_not_give():
    args = parsed("plot", "--width", "60")
    tui.view_options.fill(args, A_VIEW)
    assert args.pair == ["quality:wait"]  # plot takes several pairs
    assert (args.query, args.as_of, args.log_x, args.log_y, args.hull, args.by) == (
        "tag:diffusion sampler",
        "2024-06",
        True,
        False,
        True,
        "paper",
    )
    assert not hasattr(args, "explain") and args.width == 60


def test_explicit_options_win():
    args = parsed("plot", "size:quality", "--query", "", "--as-of", "2020", "--by", "tag")
    tui.view_options.fill(args, A_VIEW)
    assert (args.pair, args.query, args.as_of, args.by) == (["size:quality"], "", "2020", "tag")
    assert args.log_x is True  # the command line has no way to say "not log": the view's stays


def test_the_point_is_explain_for_frontier_only_and_gives_way_to_another_question():
    args = parsed("frontier")
    tui.view_options.fill(args, replace(A_VIEW, by=None))
    assert (args.pair, args.explain, args.hull) == ("quality:wait", "swift-sampler/Swift Sampler", True)
    args = parsed("frontier", "--at", "10")
    tui.view_options.fill(args, A_VIEW)
    assert args.explain is None and args.hull is False and args.by == "paper"
    args = parsed("frontier", "--explain", "lean-quant")
    tui.view_options.fill(args, A_VIEW)
    assert args.explain == "lean-quant"
    args = parsed("history")
    tui.view_options.fill(args, A_VIEW)
    assert (args.pair, args.query) == ("quality:wait", "tag:diffusion sampler")
    args = parsed("export")
    tui.view_options.fill(args, A_VIEW)
    assert args.pair is None and args.query == "tag:diffusion sampler"  # export's --pair is no positional


def test_every_command_whose_positional_is_the_pair_gets_the_views_pair_and_no_other_does():
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    given = []
    for command in REGISTRY:
        own = sub.choices[command.name]
        pair_positional = any(a.dest == "pair" and not a.option_strings for a in own._actions)
        needed = [a for a in own._actions if not a.option_strings and a.required and a.dest != "pair"]
        args = parser.parse_args([command.name] + ["x"] * len(needed))
        before = getattr(args, "pair", "absent")
        tui.view_options.fill(args, View(pair="quality:wait"))
        if pair_positional:
            assert args.pair in ("quality:wait", ["quality:wait"]), command.name
            given.append(command.name)
        else:
            assert getattr(args, "pair", "absent") == before, command.name
    assert {"plot", "frontier", "history"} <= set(given)


def test_a_plot_of_a_view_is_the_plot_of_its_command_line(run):
    save_view("mine", View(pair="quality:wait", query="sampler", log_x=True))
    by_view = run("--view", "mine", "plot", "--width", "60", "--height", "12", *CATALOG)
    typed = run(
        "plot", "quality:wait", "--query", "sampler", "--log-x", "--width", "60", "--height", "12", *CATALOG
    )
    assert by_view.code == typed.code == 0
    assert by_view.out == typed.out and "Swift Sampler tiny" in by_view.out
    after = run(
        "plot", "--width", "60", "--height", "12", *CATALOG, "--view", "mine"
    )  # after the command too
    assert after.out == typed.out


def test_frontier_explains_a_views_point(run):
    save_view("point", View(pair="quality:wait", paper="quiet-baseline", method="Quiet model"))
    done = run("--view", "point", "frontier", "--format", "json", *CATALOG)
    assert done.code == 0, done.err
    (explained,) = json.loads(done.out)
    assert explained["paper_id"] == "quiet-baseline" and explained["on_frontier"] is False
    assert [p["point"] for p in explained["dominated_by"]] == ["Swift Sampler"]


def test_an_unknown_view_is_a_usage_error_naming_the_saved_ones_and_the_closest(run):
    done = run("--view", "mine", "plot", *CATALOG)
    assert done.code == 2 and "no view is saved as 'mine': there are none yet" in done.err
    save_view("sampler-fast", View(pair="quality:wait"))
    save_view("quant", View())
    done = run("--view", "samplr-fast", "plot", *CATALOG)
    assert done.code == 2
    assert (
        "(did you mean 'sampler-fast'?)" in done.err and "the saved views are quant, sampler-fast" in done.err
    )
    done = run("--view", "a b", "plot", *CATALOG)
    assert done.code == 2 and "--view: a view's name is 1 to 64" in done.err
    assert "Traceback" not in done.err


def test_a_views_file_that_is_not_valid_is_moved_aside_and_said_on_the_command_line(run):
    views_path().parent.mkdir(parents=True)
    views_path().write_text("{ nope")
    done = run("--view", "mine", "plot", *CATALOG)
    assert done.code == 2 and "was not a valid views file" in done.err and "moved to" in done.err


def test_save_view_keeps_what_the_command_line_describes_and_says_so(run):
    done = run("plot", "quality:wait", "--query", "'; rm -rf ~", "--log-y", "--save-view", "danger", *CATALOG)
    assert done.code == 0, done.err
    assert "saved the view 'danger': `tradeoffs --view danger` opens it in the app" in done.err
    assert load_views()[0]["danger"] == View(pair="quality:wait", query="'; rm -rf ~", log_y=True)
    done = run(
        "frontier", "quality:wait", "--explain", "quiet-baseline/Quiet", "--save-view", "danger", *CATALOG
    )
    assert done.code == 0 and "it replaces the view of that name" in done.err
    assert load_views()[0]["danger"] == View(pair="quality:wait", paper="quiet-baseline", method="Quiet")


def test_save_view_on_top_of_a_view_keeps_what_the_command_does_not_say(run):
    save_view("base", replace(A_VIEW, by=None, as_of=None))
    done = run("--view", "base", "frontier", "--query", "sampler", "--save-view", "narrower", *CATALOG)
    assert done.code == 0, done.err
    kept = load_views()[0]["narrower"]
    assert kept == replace(A_VIEW, by=None, as_of=None, query="sampler")  # log_x is plot's: kept


def test_save_view_refuses_a_bad_name_or_several_pairs_before_running_and_a_failed_command_saves_nothing(run):
    done = run("plot", "quality:wait", "--save-view", "no good", *CATALOG)
    assert done.code == 2 and "--save-view: a view's name is" in done.err and done.out == ""
    done = run("plot", "quality:wait", "size:quality", "--save-view", "two", *CATALOG)
    assert done.code == 2 and "--save-view keeps one pair" in done.err and done.out == ""
    done = run("plot", "nope:wait", "--save-view", "broken", *CATALOG)
    assert done.code == 2
    assert not views_path().exists()


def test_save_view_views_and_delete_say_when_the_views_file_was_moved_aside(run):
    for args in (
        ("plot", "quality:wait", "--save-view", "mine", *CATALOG),
        ("views",),
        ("views", "--delete", "mine"),
    ):
        views_path().parent.mkdir(parents=True, exist_ok=True)
        views_path().write_text('{"views": {"mine": {"query": 1}}}')
        done = run(*args)
        assert "was not a valid views file (in the view 'mine', query must be a text)" in done.err, args
    assert done.code == 2 and "there are none yet" in done.err  # the moved-aside file's view is not there
    assert len(list(views_path().parent.glob("views.corrupt-*.json"))) == 3


def test_views_lists_each_with_its_command_line_and_deletes_one(run, monkeypatch):
    done = run("views")
    assert done.code == 0 and done.out == "" and "no saved views" in done.err
    assert run("views", "--format", "json").out == "[]\n"
    save_view("mine", A_VIEW)
    save_view("words", View(query="two\nlines"))
    save_view("newline", View(pair="quality:wait", query="two\nlines"))
    table = run("views")
    assert table.code == 0
    lines = table.out.splitlines()
    assert lines[0].split() == ["view", "command", "line"]
    assert lines[1] == f"mine     {command_line(A_VIEW)}"
    assert lines[2].startswith("newline  tradeoffs plot quality:wait --query 'two\\nlines'")
    assert "(no pair to plot: `tradeoffs --view words` opens it in the app)" in lines[3]
    assert "--format json gives each exactly" in table.out
    narrow = run("views", "--format", "table")
    assert narrow.out == table.out
    monkeypatch.setenv("COLUMNS", "60")
    narrow = run("views").out.splitlines()
    assert narrow[1:3] == ["mine", f"  {command_line(A_VIEW)}"]  # never cut: whole, under its name
    records = json.loads(run("views", "--format", "json").out)
    assert [r["name"] for r in records] == ["mine", "newline", "words"]
    assert records[1]["command_line"] == command_line(View(pair="quality:wait", query="two\nlines"))
    assert records[0]["app"] == "tradeoffs --view mine" and records[0]["method"] == "Swift Sampler"
    done = run("views", "--delete", "mine")
    assert done.code == 0 and "deleted the view 'mine'" in done.err
    done = run("views", "--delete", "mine")
    assert done.code == 2 and "the saved views are newline, words" in done.err


def test_the_app_is_opened_on_the_view_named_before_no_command(run, monkeypatch):
    opened = []
    monkeypatch.setattr(TradeoffsApp, "run", lambda self: opened.append((self.view, self.catalog_paths)))
    save_view("mine", A_VIEW)
    assert run("--view", "mine", *CATALOG).code == 0
    assert opened == [(A_VIEW, [MINI])]
    assert run("--view", "other", *CATALOG).code == 2 and len(opened) == 1


# The app ------------------------------------------------------------------------------


def dialog_text(app: TradeoffsApp) -> str:
    return "\n".join(str(s.render()) for s in app.screen.query(Static))


async def test_v_shows_the_command_line_of_what_is_on_screen_and_copies_it(tmp_path):
    app = TradeoffsApp([MINI])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await search(pilot, "sampler")
        await pick_pair(pilot, "quality:wait")
        await pilot.press("l", "h", "right_square_bracket", "v")
        await until(pilot, lambda: isinstance(app.screen, ViewDialog))
        line = "tradeoffs plot quality:wait --query sampler --log-x --hull"
        assert line in dialog_text(app) and COPIED in dialog_text(app)
        assert app.clipboard == line
        assert "Saving keeps the selected point Swift Sampler tiny [swift-sampler] too." in dialog_text(app)
        await pilot.press(*"fast-ones", "enter")
        await until(pilot, lambda: not isinstance(app.screen, ViewDialog))
    saved = load_views()[0]["fast-ones"]
    assert saved == View(
        pair="quality:wait",
        query="sampler",
        log_x=True,
        hull=True,
        paper="swift-sampler",
        method="Swift Sampler tiny",
    )
    assert "Saved the view 'fast-ones': tradeoffs --view fast-ones opens it." in messages(app)


async def test_a_taken_name_is_replaced_only_when_asked_twice_and_a_bad_name_is_said(tmp_path):
    save_view("mine", View(query="old"))
    app = TradeoffsApp([MINI])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ViewDialog))
        await pilot.press(*"no good", "enter")
        assert isinstance(app.screen, ViewDialog)
        assert any("1 to 64 letters" in m for m in messages(app))
        app.screen.query_one("#view-name", Input).value = "mine"
        await pilot.press("enter")
        assert isinstance(app.screen, ViewDialog)
        assert "A view is saved as 'mine': enter again to replace it." in messages(app)
        assert load_views()[0]["mine"] == View(query="old")
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, ViewDialog))
    assert load_views()[0]["mine"] == View(pair="quality:wait")
    assert "Replaced the view 'mine': tradeoffs --view mine opens it." in messages(app)


async def test_a_view_with_no_pair_says_a_plot_needs_one_and_escape_closes_it():
    app = TradeoffsApp([MINI])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ViewDialog))
        assert "No pair is plotted" in dialog_text(app) and COPIED not in dialog_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ViewDialog))
    assert not views_path().exists()


async def test_a_query_that_looks_like_markup_is_shown_and_copied_as_written():
    query = "[@click=app.quit]x[/] [b]bold"
    app = TradeoffsApp([MINI], view=View(pair="quality:wait", query=query))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ViewDialog))
        assert shlex.quote(query) in dialog_text(app)
        assert app.clipboard == command_line(View(pair="quality:wait", query=query))
        await pilot.press("escape")
        assert app.is_running


async def test_the_app_opens_on_a_view_its_query_pair_scales_hull_date_and_point():
    view = View(
        pair="quality:wait",
        query="sampler",
        as_of="2024",
        log_y=True,
        hull=True,
        paper="swift-sampler",
        method="Slow Sampler",
    )
    app = TradeoffsApp([MINI], view=view)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        screen = main_screen(app)
        plot = app.screen.query_one(FrontierPlot)
        await until(pilot, lambda: plot.cursor is not None)
        assert app.screen.query_one("#search", Input).value == "sampler"
        assert screen.pair == "quality:wait" and plot.log_mode == 2 and plot.hull
        assert screen.as_of == "2024-12-31"
        assert plot.ordered()[plot.cursor]["method"] == "Slow Sampler"
        assert app.screen.query_one(PaperTable).current_id() == "swift-sampler"
        assert screen.current_view() == replace(view, as_of="2024-12-31")
        assert not any("could not" in m or "without" in m for m in messages(app))


async def test_the_view_is_drawn_as_of_its_date_not_today():
    # quiet-baseline (2022-11) is the only paper with a point by the end of 2022.
    app = TradeoffsApp([MINI], view=View(pair="quality:wait", as_of="2022"))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        plot = app.screen.query_one(FrontierPlot)
        await until(pilot, lambda: bool(plot.points))
        assert {p["paper_id"] for p in plot.points} == {"quiet-baseline"}
        await search(pilot, "sampler")  # a new search keeps the date: swift-sampler is of 2024
        await until(pilot, lambda: main_screen(app).listed_ids() == ["swift-sampler"])
        assert plot.points == [] and main_screen(app).as_of == "2022-12-31"


async def test_a_view_whose_pair_or_point_is_gone_opens_what_it_can_and_says_what_it_could_not():
    app = TradeoffsApp(
        [MINI], view=View(pair="fid:latency", query="quant", log_x=True, paper="gone", by="paper")
    )
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert main_screen(app).pair is None and app.screen.query_one("#search", Input).value == "quant"
        assert app.screen.query_one(FrontierPlot).log_mode == 1
        (said,) = [m for m in messages(app) if m.startswith("The view opened without")]
        assert "its pair fid:latency is not in this catalog" in said
        assert "its paper gone has no plot to be on" in said
        assert "the app draws no frontier per paper (tradeoffs plot --by paper does)" in said
    app = TradeoffsApp([MINI], view=View(pair="quality:wait", paper="lean-quant", method="Lean Quantization"))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await until(pilot, lambda: any("is not on the plot" in m for m in messages(app)))
        assert "The view's point Lean Quantization [lean-quant] is not on the plot." in messages(app)
        assert main_screen(app).pair == "quality:wait"
        assert app.screen.query_one(FrontierPlot).cursor is None


def test_opening_a_view_says_a_date_that_does_not_exist():
    opened = opening(View(pair="quality:wait", as_of="2024-02-30"), lambda pair: True)
    assert opened.as_of is None and opened.pair == "quality:wait"
    assert opened.unmet == ["its date: '2024-02-30' is not a date that exists"]


async def test_a_views_file_moved_aside_or_a_view_that_cannot_be_saved_is_said(monkeypatch):
    views_path().parent.mkdir(parents=True)
    views_path().write_text("[]")

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tui.session.save_view", full)
    app = TradeoffsApp([MINI])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ViewDialog))
        assert any("was not a valid views file (it is not a JSON object)" in m for m in messages(app))
        await pilot.press(*"mine", "enter")
        await until(pilot, lambda: not isinstance(app.screen, ViewDialog))
        assert "Could not save the view: [Errno 28] No space left on device" in messages(app)


async def test_a_view_with_no_pair_plots_none_whatever_was_plotted_last_time():
    first = TradeoffsApp([MINI])
    async with first.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pick_pair(pilot, "quality:wait")
        await pilot.press("q")
    app = TradeoffsApp([MINI], view=View(query="quant"))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert main_screen(app).pair is None and app.screen.query_one("#search", Input).value == "quant"


async def test_a_view_of_a_paper_alone_selects_its_first_point():
    app = TradeoffsApp([MINI], view=View(pair="quality:wait", paper="quiet-baseline"))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        plot = app.screen.query_one(FrontierPlot)
        await until(pilot, lambda: plot.cursor is not None)
        assert plot.ordered()[plot.cursor]["paper_id"] == "quiet-baseline"
