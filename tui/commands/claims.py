"""The claims map: every change in quality a paper reports against its baseline, set against
the change in cost, speed, memory or size the same result reports."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from tui.commands.answers import write_answer
from tui.commands.base import EXIT_OK, Command, for_stream, matching, open_store_for, say, warn
from tui.commands.options import selecting, whole

_CLAIM_FIELDS = ("number", "class", "map", "paper_id", "method", "setting", "baseline")
_CHANGE_FIELDS = ("axis", "kind", "value", "said", "scale", "unit", "low", "high", "direction")
#: The columns of ``--format csv``: one row per claim, its two changes side by side.
CSV_COLUMNS = (
    *_CLAIM_FIELDS,
    "conditions",
    *(f"{side}_{field}" for side in ("quality", "other") for field in _CHANGE_FIELDS),
)


def arguments(p: argparse.ArgumentParser) -> None:
    selecting(p)
    p.add_argument(
        "--kinds",
        metavar="QUALITY_KIND:OTHER_KIND",
        help="the kind of objective whose change goes up the map, and the kind whose change goes "
        "across (default: quality against every other kind)",
    )
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument(
        "--width", type=whole(20, 1000), help="map width in columns, 20 to 1000 (default: the terminal's)"
    )
    p.add_argument("--height", type=whole(8, 1000), help="each map's height in rows, 8 to 1000 (default: 20)")


def run(args: argparse.Namespace, out: TextIO) -> int:
    from catalog.query.claims_map import claims_map, parse_kinds
    from tui.claims_plot import claims_map_parts, no_claims_message
    from tui.table import terminal_width, use_colour

    store = open_store_for(args)
    kinds = parse_kinds(args.kinds, store.kinds) if args.kinds else None
    ids, conditions = matching(store, args)
    answer = claims_map(store, ids, kinds, conditions)
    if not answer.claims:
        warn(f"tradeoffs: {no_claims_message(answer, narrowed=ids is not None)}")
    records: list[dict[str, Any]] = [dict(c) for c in answer.claims]

    def table() -> None:
        if not answer.claims:
            return
        width, height = args.width or terminal_width(), args.height or 20
        for drawn, part in claims_map_parts(answer, width, height, use_colour(out)):
            if drawn:  # its only catalog text, the units, is escaped as it is drawn
                out.write(part + "\n")
            else:
                say(out, part)

    if args.format == "csv":  # its own columns, so that no claim still gives the header
        from catalog.export import to_csv

        out.write(to_csv(for_stream([_flat(c) for c in records], out), CSV_COLUMNS))
    else:
        write_answer(args.format, records, out, table)
    return EXIT_OK


def _flat(claim: dict[str, Any]) -> dict[str, Any]:
    """A claim as one CSV row: its conditions as ``key=value`` pairs, each change's fields prefixed."""
    row = {k: claim[k] for k in _CLAIM_FIELDS}
    row["conditions"] = "; ".join(f"{k}={v}" for k, v in claim["conditions"].items())
    for side in ("quality", "other"):
        row.update({f"{side}_{field}": claim[side][field] for field in _CHANGE_FIELDS})
    return row


COMMAND = Command(
    "claims",
    "The claims map: each result's change in quality against its change in cost, speed, memory "
    "or size, both against its baseline: win-win, trade-off, neither or unsure.",
    (
        "tradeoffs claims",
        "tradeoffs claims --kinds quality:speed",
        "tradeoffs claims --query 'tag:reasoning' --format json",
    ),
    arguments,
    run,
)
