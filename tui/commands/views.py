"""The saved views, each with the command line that shows it; ``--delete`` removes one."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from tui.commands.base import EXIT_OK, Command, say, warn


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--delete", metavar="NAME", help="remove the view saved as NAME")
    p.add_argument("--format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace, out: TextIO) -> int:
    from catalog.views import app_command_line, command_line, delete_view, load_views
    from tui.view_options import no_such_view

    if args.delete is not None:
        changed = delete_view(args.delete)
        if changed.moved_aside:
            warn(f"tradeoffs: {changed.moved_aside}")
        if not changed.existed:
            raise no_such_view(args.delete, list(changed.views))
        warn(f"tradeoffs: deleted the view {args.delete!r}")
        return EXIT_OK
    from dataclasses import asdict

    views, moved_aside = load_views()
    if moved_aside:
        warn(f"tradeoffs: {moved_aside}")
    records: list[dict[str, Any]] = [
        {"name": name, "command_line": command_line(view), "app": app_command_line(name), **asdict(view)}
        for name, view in sorted(views.items())
    ]
    if args.format == "json":
        from catalog.export import json_text

        out.write(json_text(records, indent=2) + "\n")
        return EXIT_OK
    if not records:
        warn("tradeoffs: no saved views: --save-view NAME on plot or frontier saves one, and v in the app")
        return EXIT_OK
    _table(records, out)
    return EXIT_OK


def _table(records: list[dict[str, Any]], out: TextIO) -> None:
    """Each view's name and command line, on one line when both fit the terminal; else the
    command line whole on the line under its name: it is there to be copied, never cut."""
    from catalog.text import one_line
    from tui.table import terminal_width, use_colour

    width = terminal_width()
    pad = max(len("view"), *(len(r["name"]) for r in records))
    bold, reset = ("\x1b[1m", "\x1b[0m") if use_colour(out) else ("", "")
    lines = [f"{bold}{'view':<{pad}}  command line{reset}"]
    escaped = False
    for r in records:
        said = r["command_line"] or f"(no pair to plot: `{r['app']}` opens it in the app)"
        shown = one_line(said)
        escaped |= shown != said
        if pad + 2 + len(shown) <= width:
            lines.append(f"{r['name']:<{pad}}  {shown}")
        else:
            lines += [r["name"], f"  {shown}"]
    out.writelines(line + "\n" for line in lines)
    if escaped:
        say(
            out,
            "note: a line break or control character in a command line is shown as an escape; "
            "--format json gives each exactly",
        )


COMMAND = Command(
    "views",
    "The saved views, each with the tradeoffs plot command line that shows it.",
    (
        "tradeoffs views",
        "tradeoffs views --format json",
        "tradeoffs views --delete old-view",
    ),
    arguments,
    run,
)
