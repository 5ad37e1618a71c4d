"""Options several commands share, and the types that check an option's value (a usage error
otherwise)."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from tui.commands.base import UsageError

QUERY_HELP = (
    "only papers this query selects: words (every one must match) and filters, as in the app: "
    "tag:quantization, year:2023-2025, pair:fid:latency, is:bookmarked"
)


PAIR_HELP = (
    "two objective ids, each qualified by its benchmark where it has one (score/mmlu); "
    "add @difference, @percent or @ratio for relative values"
)


def pair_argument(p: argparse.ArgumentParser) -> None:
    """The pair a command is about, ``X:Y``: given on the command line, or by a saved view."""
    p.add_argument("pair", metavar="X:Y", nargs="?", help=PAIR_HELP)


def the_pair(args: argparse.Namespace) -> str:
    """The pair the command line names (a usage error when it names none)."""
    if not args.pair:
        raise UsageError(f"{args.command} needs a pair X:Y (`tradeoffs pairs` lists them)")
    return str(args.pair)


def pairs_argument(p: argparse.ArgumentParser) -> None:
    """One pair or more, ``X:Y [W:Z ...]``, kept in ``args.pair`` as a list (a saved view may
    set a list, or one pair as a string)."""
    p.add_argument("pair", metavar="X:Y", nargs="*", help=PAIR_HELP + "; several pairs are drawn together")


def the_pairs(args: argparse.Namespace) -> list[str]:
    """The pairs the command line names, in its order (a usage error when it names none)."""
    given = [args.pair] if isinstance(args.pair, str) else list(args.pair or [])
    if not given:
        raise UsageError(f"{args.command} needs a pair X:Y (`tradeoffs pairs` lists them)")
    return [str(pair) for pair in given]


def save_view_argument(p: argparse.ArgumentParser) -> None:
    """``--save-view NAME``, for a command whose command line describes a view (``plot``,
    ``frontier``): once the command succeeds, the view is kept (``tui.view_options``)."""
    p.add_argument(
        "--save-view",
        metavar="NAME",
        help="keep the view this command line describes as NAME (letters, digits, -, _ and .), "
        "replacing a view of that name: `tradeoffs --view NAME` opens it in the app",
    )


def selecting(p: argparse.ArgumentParser) -> None:
    """The options that choose the papers a command looks at: ``--query`` and ``--as-of``."""
    p.add_argument("--query", metavar="Q", help=QUERY_HELP)
    p.add_argument(
        "--as-of",
        metavar="DATE",
        help="only papers published by DATE (YYYY, YYYY-MM or YYYY-MM-DD; a year or a month means "
        "its last day, and so does a paper's date written that way)",
    )


def numbers(text: str) -> list[float]:
    """An option's type: numbers separated by commas (``2,3,4``)."""
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas, not {text!r}") from None
    if not all(math.isfinite(v) for v in values):
        raise argparse.ArgumentTypeError("the numbers must be finite")
    return values


def whole(low: int, high: int) -> Callable[[str], int]:
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
