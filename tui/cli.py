"""The ``tradeoffs`` command line: headless commands over the catalog, and the door to the app.

Nothing here imports Textual; the app is imported only when no command is given. Exit codes:
0 success, 1 invalid catalog or failed check, 2 usage error, 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from catalog.errors import CatalogError, ExportError, QueryError, StoreError, os_reason
from catalog.export import DEFAULT_FORMAT, format_names
from catalog.query.sql import DEFAULT_MEGABYTES, DEFAULT_SECONDS
from catalog.text import shown_name
from tui.commands import (
    COMMANDS,
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

QUERY_HELP = (
    "only papers this query selects: words (every one must match) and filters, as in the app: "
    "tag:quantization, year:2023-2025, pair:fid:latency, is:bookmarked"
)


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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
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

    p = command(
        "search",
        "Ranked fuzzy search over titles, abstracts, tags, methods and objectives.",
        "tradeoffs search 'pareto quantization'",
        "tradeoffs search diffusoin --limit 5 --format json",
        "tradeoffs search 'tag:quantization year:2024-2025'",
    )
    p.add_argument(
        "query", help="words to look for (typos are forgiven) and filters: tag:, year:, pair:, is:bookmarked"
    )
    p.add_argument(
        "--limit", type=_whole(1, 1_000_000), default=20, help="how many papers to show (default 20)"
    )
    p.add_argument("--format", choices=("table", "json"), default="table")

    p = command(
        "pairs",
        "Every objective pair studied, with its numbers of papers and points.",
        "tradeoffs pairs",
        "tradeoffs pairs --format json",
    )
    p.add_argument("--format", choices=("table", "json"), default="table")

    p = command(
        "plot",
        "An ASCII frontier plot of one objective pair.",
        "tradeoffs plot compute:score/mmlu --log-x",
        "tradeoffs plot latency:fid/mjhq30k --query 'setting:steps=1'",
        "tradeoffs plot tokens@percent:accuracy@difference",
    )
    p.add_argument(
        "pair",
        metavar="X:Y",
        help="two objective ids, each qualified by its benchmark where it has one (score/mmlu); "
        "add @difference, @percent or @ratio for relative values",
    )
    _selecting(p)
    p.add_argument(
        "--width", type=_whole(20, 1000), help="plot width in columns, 20 to 1000 (default: the terminal's)"
    )
    p.add_argument(
        "--height", type=_whole(8, 1000), help="plot height in rows, 8 to 1000 (default: fits the terminal)"
    )
    p.add_argument(
        "--all",
        action="store_true",
        dest="all_points",
        help="list every point under the plot, the frontier's first, not only the frontier's",
    )
    p.add_argument("--log-x", action="store_true", help="logarithmic x axis")
    p.add_argument("--log-y", action="store_true", help="logarithmic y axis")
    p.add_argument(
        "--hull",
        action="store_true",
        help="join the frontier by its convex hull, for pairs where two points can be mixed "
        "(traffic split between two models on a cost axis); the staircase otherwise",
    )

    p = command(
        "frontier",
        "Questions about one pair's frontier: what each point alone adds to it, its knee, what "
        "dominates a paper's points and by how much, the best value at a budget.",
        "tradeoffs frontier accuracy/aime24:tokens/aime24",
        "tradeoffs frontier accuracy/aime24:tokens/aime24 --explain siri",
        "tradeoffs frontier tokens/aime24:accuracy/aime24 --at 2000,4000,8000",
    )
    p.add_argument("pair", metavar="X:Y", help="the pair, as plot takes it")
    _selecting(p)
    p.add_argument(
        "--explain",
        metavar="PAPER[/METHOD]",
        help="why each point of this paper (or of one method of it) is on the frontier or not: what "
        "dominates it, the improvement that would put it there, its share of the hypervolume",
    )
    p.add_argument(
        "--at",
        metavar="X[,X...]",
        type=_numbers,
        help="the best Y with X at each of these values or better: the frontier's own points, never "
        "a value between two",
    )
    p.add_argument(
        "--by",
        metavar="KEY",
        help="one frontier per group: by paper, or by a condition the points state (hardware, "
        "steps); says how many of each group's frontier points the whole frontier hides",
    )
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")

    p = command(
        "history",
        "Every date a pair's frontier moved: the points that entered it, those they displaced, "
        "and the frontier's hypervolume after, as a table and a small plot.",
        "tradeoffs history accuracy/aime24:tokens/aime24",
        "tradeoffs history latency:fid/mjhq30k --format json",
    )
    p.add_argument("pair", metavar="X:Y", help="the pair, as plot takes it")
    p.add_argument("--query", metavar="Q", help=QUERY_HELP)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")

    p = command(
        "diff",
        "What changed from one catalog to another: papers added, removed or changed, and for "
        "each pair the points that entered or left its frontier. Each side is a catalog file or "
        "folder, with the default catalog unless --no-default, or PATH@REVISION for it as it "
        "was in git.",
        "tradeoffs diff old-catalog/ new-catalog/",
        "tradeoffs diff mycatalog@HEAD~1 mycatalog --pair fid:latency",
    )
    p.add_argument("old", metavar="OLD", help="the catalog before (PATH, or PATH@REVISION)")
    p.add_argument("new", metavar="NEW", help="the catalog after (PATH, or PATH@REVISION)")
    p.add_argument("--pair", metavar="X:Y", action="append", help="only this pair's frontier (repeatable)")
    p.add_argument("--format", choices=("table", "json"), default="table")

    p = command(
        "export",
        "Write papers, or the points of one pair, as "
        f"{', '.join(format_names()[:-1])} or {format_names()[-1]}.",
        "tradeoffs export --format yaml -o catalog-copy.yaml",
        "tradeoffs export --pair latency:fid/mjhq30k --frontier-only --format csv",
        "tradeoffs export --query quantization --format bibtex -o refs.bib",
        "tradeoffs export --query 'tag:diffusion' --format csv",
    )
    _selecting(p)
    p.add_argument("--pair", metavar="X:Y", help="one record per point of this pair, with on_frontier")
    p.add_argument("--frontier-only", action="store_true", help="with --pair: only Pareto-optimal points")
    p.add_argument("--format", choices=format_names(), default=DEFAULT_FORMAT)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")

    p = command(
        "validate",
        "Check catalog files; print every problem as file:line:col: message.",
        "tradeoffs validate",
        "tradeoffs validate my-papers/ extra.yaml",
        "tradeoffs validate --no-default my-catalog/",
    )
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders to check with the default catalog"
    )

    p = command(
        "import",
        "Turn a copied papers listing page into draft catalog files, one per paper, to confirm and complete.",
        "tradeoffs import papers-page.txt",
        "tradeoffs import papers-page.txt -o my-catalog/ --year 2025",
    )
    p.add_argument("file", metavar="FILE", help="the text of a papers listing page")
    p.add_argument(
        "-o", "--output", metavar="DIR", help="where to write the drafts (default: your catalog folder)"
    )
    p.add_argument(
        "--year", type=_whole(1000, 9999), help="the year of dates written without one (default: this year)"
    )

    p = command(
        "sql",
        "Read-only SQL over the loaded catalog (tables: papers, objectives, tags, tradeoffs, "
        "results; views: pairs, result_pairs).",
        "tradeoffs sql 'SELECT objective, count(*) FROM results GROUP BY ALL'",
        "tradeoffs sql 'SELECT * FROM pairs' --format csv",
    )
    p.add_argument("query", metavar="QUERY", help="one SQL statement")
    p.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table (the default), csv, or json: strict JSON, where NaN and infinite values are null",
    )
    p.add_argument(
        "--timeout",
        type=_whole(1, 86_400),
        default=DEFAULT_SECONDS,
        metavar="SECONDS",
        help=f"stop the query after this many seconds (default {DEFAULT_SECONDS})",
    )
    p.add_argument(
        "--memory",
        type=_whole(64, 1_048_576),
        default=DEFAULT_MEGABYTES,
        metavar="MB",
        help=f"stop the query when it needs more memory than this (default {DEFAULT_MEGABYTES:,} MB)",
    )
    return parser


def _selecting(p: argparse.ArgumentParser) -> None:
    """The options that choose the papers a command looks at: ``--query`` and ``--as-of``."""
    p.add_argument("--query", metavar="Q", help=QUERY_HELP)
    p.add_argument(
        "--as-of",
        metavar="DATE",
        help="only papers published by DATE (YYYY, YYYY-MM or YYYY-MM-DD; a year or a month means "
        "its last day, and so does a paper's date written that way)",
    )


def _numbers(text: str) -> list[float]:
    """An option's type: numbers separated by commas (``2,3,4``)."""
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas, not {text!r}") from None
    if not all(math.isfinite(v) for v in values):
        raise argparse.ArgumentTypeError("the numbers must be finite")
    return values


def _whole(low: int, high: int) -> Callable[[str], int]:
    """An option's type: a whole number from ``low`` to ``high`` (a usage error otherwise)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low:,} to {high:,}, not {value:,}")
        return value

    return parse


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    out = out or sys.stdout
    parser = build_parser()
    args = parser.parse_args(argv)
    from catalog.paths import no_home_notice

    if notice := no_home_notice():
        print(notice, file=sys.stderr)
    try:
        return _run(args, out)
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
        return COMMANDS[args.command](args, out)
    except Exception as err:
        from catalog.store.store import REBUILT_NOTICE, discard_cache, is_damage

        if args.command is None or not is_damage(err):
            raise
        discard_cache(catalog_paths(args))
        print(REBUILT_NOTICE, file=sys.stderr)
        return COMMANDS[args.command](args, out)


def _interrupted(err: Exception) -> bool:
    """Whether ``err`` is DuckDB's word for Ctrl-C: it stops a running query itself and raises
    ``InterruptException``, or a ``RuntimeError`` "Query interrupted" from its Python layer."""
    if type(err).__name__ == "InterruptException":
        return True
    return type(err) is RuntimeError and str(err) == "Query interrupted"
