"""The ``tradeoffs`` command line: headless commands over the catalog, and the door to the app.

Nothing here imports Textual; the app is imported only when no command is given. Exit codes:
0 success, 1 invalid catalog or failed check, 2 usage error, 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from tui.commands import COMMANDS, REGISTRY
from tui.commands.base import (
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    Failed,
    UsageError,
    catalog_paths,
    print_problems,
    warn,
)
from tui.view_options import VIEW_HELP, run_with_views


def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


class _Help(argparse.HelpFormatter):
    """Help wrapped to the terminal, except the examples, whose lines are commands to copy."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("examples:"):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def _catalog_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    prefix = "sub_" if suppress else ""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--catalog",
        metavar="PATH",
        action="append",
        dest=prefix + "catalog",
        default=default,
        help="also read the catalog file or folder PATH (repeatable)",
    )
    parser.add_argument(
        "--no-default",
        action="store_true",
        dest=prefix + "no_default",
        default=argparse.SUPPRESS if suppress else False,
        help="leave out the default catalog (the shipped papers and your catalog folder)",
    )
    parser.add_argument(
        "--skip-broken",
        action="store_true",
        dest=prefix + "skip_broken",
        default=argparse.SUPPRESS if suppress else False,
        help="go on without the catalog files that have problems, naming them (validate never does)",
    )
    parser.add_argument("--view", metavar="NAME", dest=prefix + "view", default=default, help=VIEW_HELP)


#: The options before the command that take a value (so their value is not the command).
_VALUED = ("--catalog", "--view")


def named_command(argv: Sequence[str]) -> str | None:
    """The command a command line names, if it names one: the first word not an option or an
    option's value (``tradeoffs --catalog x plot ...`` names ``plot``)."""
    words = iter(argv)
    for word in words:
        if word == "--":
            return next(words, None)
        if word in _VALUED:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def build_parser(only: str | None = None, *, every: bool = True) -> argparse.ArgumentParser:
    """The argument parser of every command (``every``), or of one: with ``every`` False, only
    the command named ``only`` gets its options, so a command line loads what its command needs
    and no other's (``--help`` lists every command all the same)."""
    fmt = _Help
    parser = argparse.ArgumentParser(
        prog="tradeoffs",
        description="Explore papers that report trade-offs and Pareto frontiers between objectives. "
        "Without a command, opens the interactive app.",
        epilog=_examples(
            "tradeoffs search 'quantization'",
            "tradeoffs pairs",
            "tradeoffs plot compute:score/mmlu --log-x",
            "tradeoffs export --pair compute:score/mmlu --frontier-only --format csv",
            "tradeoffs validate my-papers/",
        ),
        formatter_class=fmt,
    )
    _catalog_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str, *examples: str) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name, help=help_text, description=help_text, epilog=_examples(*examples), formatter_class=fmt
        )
        _catalog_options(p, suppress=True)
        return p

    for entry in REGISTRY:
        p = command(entry.name, entry.help, *entry.examples)
        if every or entry.name == only:
            entry.arguments(p)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    out = out or sys.stdout
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(named_command(words), every=False)
    args = parser.parse_args(words)  # --help and usage errors end here, having loaded little
    from catalog.errors import CatalogError, ExportError, QueryError, StoreError, os_reason
    from catalog.paths import no_home_notice
    from catalog.text import shown_name

    if notice := no_home_notice():
        print(notice, file=sys.stderr)
    try:
        return run_with_views(args, out, _run)
    except CatalogError as err:
        print_problems(err.problems, offer_skip=args.command not in (None, "validate"))
        return EXIT_INVALID
    except (UsageError, QueryError) as err:
        warn(f"tradeoffs: error: {err}")
        return EXIT_USAGE
    except (Failed, ExportError, StoreError) as err:
        warn(f"tradeoffs: {err}")
        return EXIT_INVALID
    except BrokenPipeError:
        return EXIT_OK
    except OSError as err:
        reason, advice = os_reason(err)
        where = f"{shown_name(os.fsdecode(err.filename))}: " if err.filename else ""
        warn(f"tradeoffs: {where}{reason}" + (f"; {advice}" if advice else ""))
        return EXIT_INVALID
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as err:
        if _interrupted(err):
            return EXIT_INTERRUPTED
        raise


def _run(args: argparse.Namespace, out: TextIO) -> int:
    """Run the command; when it finds the catalog's cache damaged, once more on a new build."""
    try:
        return _command(args)(args, out)
    except (UsageError, Failed):
        raise  # the command's own verdict, never damage: said without loading the database
    except Exception as err:
        from catalog.store.store import REBUILT_NOTICE, discard_cache, is_damage

        if args.command is None or not is_damage(err):
            raise
        discard_cache(catalog_paths(args))
        print(REBUILT_NOTICE, file=sys.stderr)
        return _command(args)(args, out)


def _command(args: argparse.Namespace) -> Callable[[argparse.Namespace, TextIO], int]:
    """What the parsed command line runs: its command, or the app when it names none."""
    if args.command is None:
        from tui.commands.app import run

        return run
    return COMMANDS[args.command].run


def _interrupted(err: Exception) -> bool:
    """Whether ``err`` is DuckDB's word for Ctrl-C: it stops a running query itself and raises
    ``InterruptException``, or a ``RuntimeError`` "Query interrupted" from its Python layer."""
    if type(err).__name__ == "InterruptException":
        return True
    return type(err) is RuntimeError and str(err) == "Query interrupted"
