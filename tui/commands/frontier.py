"""Questions about one pair's frontier: shares, the knee, what dominates a point, budgets, groups."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from tui.commands.answers import numbered, paper_notes, point_record, write_answer
from tui.commands.base import (
    EXIT_OK,
    Command,
    Failed,
    UsageError,
    conditions_note,
    matching,
    open_store_for,
    say,
)
from tui.commands.options import numbers, pair_argument, save_view_argument, selecting, the_pair


def arguments(p: argparse.ArgumentParser) -> None:
    pair_argument(p)
    selecting(p)
    save_view_argument(p)
    p.add_argument(
        "--explain",
        metavar="PAPER[/METHOD]",
        help="why each point of this paper (or of one method of it) is on the frontier or not: what "
        "dominates it, the improvement that would put it there, its share of the hypervolume",
    )
    p.add_argument(
        "--at",
        metavar="X[,X...]",
        type=numbers,
        help="the best Y with X at each of these values or better: the frontier's own points, never "
        "a value between two",
    )
    p.add_argument(
        "--by",
        metavar="KEY",
        help="one frontier per group: by paper, by tag (a point is in each of its paper's tags) or by "
        "a condition the points state (hardware, steps); says how many of each group's frontier "
        "points the whole frontier hides",
    )
    p.add_argument(
        "--hull",
        action="store_true",
        help="the frontier is the convex hull, for pairs where two points can be mixed (traffic "
        "split between two models): shares, knee and explanations are the hull's",
    )
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")


def run(args: argparse.Namespace, out: TextIO) -> int:
    from catalog.query import questions
    from catalog.query.pairs import parse_pair

    if args.hull and (args.at or args.by):
        option = "--at" if args.at else "--by"
        raise UsageError(f"{option} reads the staircase of the points reported: leave out --hull")
    pair = the_pair(args)  # before anything is loaded: a usage error loads no database
    store = open_store_for(args)
    x, y = parse_pair(store, pair)
    ids, conditions = matching(store, args)
    answer = questions.frontier(store, x, y, ids, conditions, hull=args.hull)
    if not answer.points:
        raise Failed(f"no exact point of {x.spec}:{y.spec}: `tradeoffs pairs` lists the pairs with points")
    if args.explain:
        explained = questions.explain(answer, args.explain)
        records = [_explained(e, x.spec, y.spec) for e in explained]
        lines = [
            line for e in explained for line in questions.explanation_lines(e, x, y, more="--format json")
        ]
        write_answer(args.format, records, out, lambda: say(out, *lines))
    elif args.at:
        records = [_at_budget(b, x.spec, y.spec) for b in questions.at_budgets(answer, args.at)]
        write_answer(args.format, records, out, lambda: _budget_table(records, x.spec, y.spec, out))
    elif args.by:
        records = [
            {
                "group": g.value,
                "points": g.points,
                "frontier": [point_record(p, x.spec, y.spec) for p in g.frontier],
                "hidden": g.hidden,
            }
            for g in questions.by_group(answer, args.by, questions.paper_tags(store, answer))
        ]
        write_answer(args.format, records, out, lambda: _group_table(records, args.by, out))
    else:
        records = [_alone(answer, i) for i, p in enumerate(answer.points) if p["on_frontier"]]
        write_answer(args.format, records, out, lambda: _frontier_table(answer, records, out))
    if args.format == "table":
        conditions_note(store, x, y, ids, conditions, out)
    return EXIT_OK


def _alone(answer: Any, index: int) -> dict[str, Any]:
    p = answer.points[index]
    return {
        **point_record(p, answer.x.spec, answer.y.spec),
        "knee": index == answer.knee,
        "hypervolume_alone": answer.alone[index],
        "hypervolume_share": answer.share(index),
    }


def _frontier_table(answer: Any, records: list[dict[str, Any]], out: TextIO) -> None:
    from tui.table import plural, print_table

    x, y = answer.x.spec, answer.y.spec
    rx, ry = answer.reference
    say(
        out,
        f"{x}:{y}: {plural(len(answer.points), 'point')}, {len(records)} on the "
        f"{'hull' if answer.hull else 'frontier'}; "
        f"hypervolume {answer.hypervolume:,.6g} against the reference point {x} {rx:g}, {y} {ry:g}",
    )
    records = sorted(records, key=lambda r: r[x])
    numbers = numbered(records)
    rows = [
        [
            "✦" if r["knee"] else "◆",
            r["point"],
            f"{r[x]:g}",
            f"{r[y]:g}",
            f"{r['hypervolume_share']:.1%}",
            numbers[r["paper_id"]],
        ]
        for r in records
    ]
    print_table(["", "point", x, y, "alone", "paper"], rows, out, align_right=[2, 3, 4, 5], shrink_first=[1])
    paper_notes(numbers, out)
    knee = "; ✦ the knee" if any(r["knee"] for r in records) else ""
    out.write(f"alone: the share of the hypervolume lost without the point{knee}\n")


def _explained(e: Any, x_spec: str, y_spec: str) -> dict[str, Any]:
    return {
        **point_record(e.point, x_spec, y_spec),
        "on_frontier": e.point["on_frontier"],
        "dominated_by": [point_record(p, x_spec, y_spec) for p in e.dominated_by],
        f"{x_spec}_shift": e.distance.shift_x,
        f"{y_spec}_shift": e.distance.shift_y,
        **({"mixed_from": [point_record(p, x_spec, y_spec) for p in e.mixed_from]} if e.mixed_from else {}),
        "epsilon": e.distance.epsilon,
        "hypervolume_alone": e.alone,
        "hypervolume_share": e.share,
    }


def _group_table(records: list[dict[str, Any]], key: str, out: TextIO) -> None:
    from tui.table import print_table

    rows = [[r["group"], str(r["points"]), str(len(r["frontier"])), str(r["hidden"])] for r in records]
    headers = [key, "points", "on its frontier", "hidden by the whole's"]
    print_table(headers, rows, out, align_right=[1, 2, 3], shrink_first=[0])
    out.write(
        "hidden by the whole's: the group's own frontier points that the frontier of every point "
        "together does not keep\n"
    )


def _at_budget(b: Any, x_spec: str, y_spec: str) -> dict[str, Any]:
    found = point_record(b.point, x_spec, y_spec) if b.point is not None else None
    return {"budget": b.budget, "best": found[y_spec] if found else None, **({"at": found} if found else {})}


def _budget_table(records: list[dict[str, Any]], x_spec: str, y_spec: str, out: TextIO) -> None:
    from tui.table import print_table

    numbers = numbered(records)
    rows = []
    for r in records:
        at = r.get("at")
        if at is None:
            rows.append([f"{r['budget']:g}", "none within it", "", "", ""])
        else:
            paper = numbers[at["paper_id"]]
            rows.append([f"{r['budget']:g}", f"{r['best']:g}", f"{at[x_spec]:g}", at["point"], paper])
    headers = [f"at {x_spec}", f"best {y_spec}", x_spec, "point", "paper"]
    print_table(headers, rows, out, align_right=[0, 1, 2, 4], shrink_first=[3])
    paper_notes(numbers, out)


COMMAND = Command(
    "frontier",
    "Questions about one pair's frontier: what each point alone adds to it, its knee, what "
    "dominates a paper's points and by how much, the best value at a budget.",
    (
        "tradeoffs frontier accuracy/aime24:tokens/aime24",
        "tradeoffs frontier accuracy/aime24:tokens/aime24 --explain siri",
        "tradeoffs frontier tokens/aime24:accuracy/aime24 --at 2000,4000,8000",
    ),
    arguments,
    run,
)
