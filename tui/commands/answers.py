"""How questions' answers are written: a point as a record, records as JSON, CSV or a table,
and tables that name papers by number."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from tui.commands.base import (
    for_stream,
    say,
)

if TYPE_CHECKING:
    from catalog.query.records import PointRecord


def write_answer(fmt: str, records: list[dict[str, Any]], out: TextIO, table: Callable[[], None]) -> None:
    """The records as JSON or CSV, or as the table (or lines) ``table`` writes."""
    from catalog.export import json_text, to_csv

    if fmt == "json":
        out.write(json_text(records, indent=2) + "\n")
    elif fmt == "csv":
        out.write(to_csv(for_stream(records, out)))
    else:
        table()


def point_record(p: PointRecord, x_spec: str, y_spec: str) -> dict[str, Any]:
    return {
        "paper_id": p["paper_id"],
        "point": p["method"] + (f" ({p['setting']})" if p["setting"] else ""),
        "conditions": p["conditions"],
        x_spec: p["x"],
        y_spec: p["y"],
    }


def numbered(records: list[dict[str, Any]]) -> dict[str, str]:
    """A short number for each paper of ``records``, in order: tables name a paper by it and
    list the ids, which are long, whole under the table."""
    numbers: dict[str, str] = {}
    for r in records:
        paper = r.get("paper_id") or (r.get("at") or {}).get("paper_id")
        if paper and paper not in numbers:
            numbers[paper] = str(len(numbers) + 1)
    return numbers


def paper_notes(numbers: dict[str, str], out: TextIO) -> None:
    for paper, number in numbers.items():
        say(out, f"paper {number}: {paper}")
