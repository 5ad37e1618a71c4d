"""Saved views on the command line: ``--view NAME`` fills a command's options from a view, and
``--save-view NAME`` keeps the view a command line describes.

A view fills, for the command being run, every option it holds that the command takes and the
command line did not give: what is typed wins. The pair goes to the commands whose positional
argument is the pair (``plot``, ``frontier``, ``history``...); the selected point means something
only to ``frontier``, as ``--explain PAPER/METHOD``. With no command, the view is handed to the app
(``args.opened_view``). Nothing here imports more than the views file needs, so a usage error
stays quick.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from tui.commands.base import EXIT_OK, UsageError, warn

if TYPE_CHECKING:
    from catalog.views import View

VIEW_HELP = (
    "fill the options the command takes from the view saved as NAME (what you type wins); with "
    "no command, open the app on it (`tradeoffs views` lists them)"
)

#: Where a view's fields go in a command's parsed arguments (when the command takes them), in
#: the order they are filled (``by`` before what cannot go with it).
DESTS = {"query": "query", "as_of": "as_of", "log_x": "log_x", "log_y": "log_y", "by": "by", "hull": "hull"}

#: A view does not fill a command's option when one it cannot go with is set: ``frontier``
#: answers one question at a time, and its ``--at`` and ``--by`` read the staircase, never the hull.
NOT_WITH: dict[str, dict[str, tuple[str, ...]]] = {
    "frontier": {"explain": ("at", "by"), "hull": ("at", "by")}
}


def view_name(args: argparse.Namespace) -> str | None:
    """The view the command line names with ``--view`` (after the command, or before it)."""
    return getattr(args, "sub_view", None) or getattr(args, "view", None)


def run_with_views(
    args: argparse.Namespace, out: TextIO, run: Callable[[argparse.Namespace, TextIO], int]
) -> int:
    """``run`` the command with the options of ``--view``'s view filled in; then, when it
    succeeded and ``--save-view`` asks, keep the view its command line describes."""
    name = view_name(args)
    opened = fill(args, saved(name)) if name is not None else None
    args.opened_view = opened
    keep_as = getattr(args, "save_view", None)
    if keep_as is not None:
        described(args, opened, keep_as)  # a bad name or pair is said before any work is done
    code = run(args, out)
    if code == EXIT_OK and keep_as is not None:
        keep(keep_as, described(args, opened, keep_as))
    return code


def saved(name: str) -> View:
    """The view saved as ``name``; a usage error naming the saved ones (and the closest) when
    there is none of that name."""
    from catalog.views import load_views, name_problem

    if problem := name_problem(name):
        raise UsageError(f"--view: {problem}")
    views, moved_aside = load_views()
    if moved_aside:
        warn(f"tradeoffs: {moved_aside}")
    if name in views:
        return views[name]
    raise no_such_view(name, list(views))


def no_such_view(name: str, names: list[str]) -> UsageError:
    """The usage error for a view that is not saved: the saved ones, and the closest to ``name``."""
    if not names:
        return UsageError(
            f"no view is saved as {name!r}: there are none yet (--save-view NAME on plot or "
            "frontier saves one, and v in the app)"
        )
    from catalog.suggest import suggest

    return UsageError(
        f"no view is saved as {name!r}{suggest(name, names)}; the saved views are "
        f"{', '.join(sorted(names))} (tradeoffs views lists them)"
    )


def fill(args: argparse.Namespace, view: View) -> View:
    """Fill ``args`` with ``view``'s options that the command takes and its command line did not
    give; returns ``view``."""
    if view.pair is not None and takes_pair(args.command):
        current = getattr(args, "pair", None)
        if not current:
            # A command taking several pairs (``plot``) keeps them in a list.
            several = isinstance(current, list) or (current is None and args.command == "plot")
            args.pair = [view.pair] if several else view.pair
    wanted: dict[str, object] = {dest: getattr(view, field) for field, dest in DESTS.items()}
    wanted["query"] = view.query or None
    wanted["explain"] = view.point
    for dest, value in wanted.items():
        if not hasattr(args, dest) or value in (None, False) or getattr(args, dest) not in (None, False):
            continue
        if any(getattr(args, other, None) for other in NOT_WITH.get(args.command, {}).get(dest, ())):
            continue
        setattr(args, dest, value)
    return view


def takes_pair(command: str | None) -> bool:
    """Whether ``command``'s positional argument is the pair (``X:Y``, or several), as its own
    options say: a command added later takes a view's pair with nothing to list here."""
    if command is None:
        return False
    from tui.commands import COMMANDS

    probe = argparse.ArgumentParser(add_help=False)
    COMMANDS[command].arguments(probe)
    return any(action.dest == "pair" and not action.option_strings for action in probe._actions)


def described(args: argparse.Namespace, opened: View | None, name: str) -> View:
    """The view the command line describes: the opened view (if any) with every option the
    command takes as the command line (and the view) left it. A usage error when ``name`` is not
    a view's name or the command line names more than one pair."""
    from catalog.views import View, name_problem

    if problem := name_problem(name):
        raise UsageError(f"--save-view: {problem}")
    pair = args.pair
    if isinstance(pair, list):
        if len(pair) > 1:
            raise UsageError("--save-view keeps one pair: name a single pair X:Y")
        pair = pair[0] if pair else None
    changes: dict[str, Any] = {"pair": pair}
    for field, dest in DESTS.items():
        if hasattr(args, dest):
            changes[field] = getattr(args, dest)
    if "query" in changes:
        changes["query"] = changes["query"] or ""
    if hasattr(args, "explain"):
        paper, slash, method = (args.explain or "").partition("/")
        changes["paper"], changes["method"] = paper or None, (method if slash else None)
    from dataclasses import replace

    return replace(opened or View(), **changes)


def keep(name: str, view: View) -> None:
    """Save ``view`` as ``name``, saying so on standard error."""
    from catalog.views import app_command_line, save_view

    changed = save_view(name, view)
    if changed.moved_aside:
        warn(f"tradeoffs: {changed.moved_aside}")
    replaced = " (it replaces the view of that name)" if changed.existed else ""
    warn(f"tradeoffs: saved the view {name!r}{replaced}: `{app_command_line(name)}` opens it in the app")
