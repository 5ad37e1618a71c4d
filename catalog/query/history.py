"""The frontier through time: which papers were published by a date, and every date the
frontier of a pair moved.

A paper's date is the last day its ``published`` field allows: ``2024`` is 31 December 2024,
``2024-03`` is 31 March 2024. So "published by" a date means surely published by then, and an
as-of date written as a year or a month means its last day too. Papers with no date take no
part, and the answers say how many were left out.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from catalog.errors import QueryError
from catalog.query import dominance
from catalog.query.pairs import Axis
from catalog.query.pareto import frontier_mask
from catalog.query.points import points
from catalog.query.records import PointRecord
from catalog.query.select import catalog_order
from catalog.text import date_parts

if TYPE_CHECKING:
    from catalog.store.store import Store


def last_day(text: str) -> dt.date:
    """The last day a date written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` allows. Raises
    ``QueryError`` for anything else."""
    parts = date_parts(text)
    if parts is None:
        raise QueryError(f"a date is written YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}")
    year, month, day = parts
    try:
        if month is None:
            return dt.date(year, 12, 31)
        if day is None:
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(year, month, day)
    except ValueError:
        raise QueryError(f"{text!r} is not a date that exists") from None


def paper_dates(store: Store, paper_ids: Sequence[str] | None = None) -> dict[str, dt.date]:
    """Each dated paper's last possible day of publication (of ``paper_ids``, when given)."""
    rows = store.cursor().execute("SELECT id, published FROM papers WHERE published IS NOT NULL").fetchall()
    wanted = set(paper_ids) if paper_ids is not None else None
    out = {}
    for pid, published in rows:
        if wanted is None or pid in wanted:
            try:
                out[pid] = last_day(str(published))
            except QueryError:
                continue  # the validator lets no such date in; an old cache might
    return out


@dataclass(frozen=True)
class AsOf:
    """The papers published by a date, and how many of those asked about have no date."""

    ids: list[str]
    undated: int


def published_by(store: Store, as_of: str, paper_ids: Sequence[str] | None = None) -> AsOf:
    """The papers (of ``paper_ids``, in their order, or all in catalog order) published by
    ``as_of``."""
    by = last_day(as_of)
    dates = paper_dates(store, paper_ids)
    if paper_ids is None:
        paper_ids = catalog_order(store)
    kept = [pid for pid in paper_ids if pid in dates and dates[pid] <= by]
    return AsOf(kept, sum(1 for pid in paper_ids if pid not in dates))


@dataclass(frozen=True)
class Step:
    """A date the frontier moved: the points that entered it and those they displaced, and the
    hypervolume after (against the reference point of every dated point of the pair)."""

    date: dt.date
    entered: list[PointRecord]
    displaced: list[PointRecord]
    hypervolume: float


@dataclass(frozen=True)
class History:
    """Every step of a pair's frontier, oldest first."""

    x: Axis
    y: Axis
    steps: list[Step]
    reference: tuple[float, float]
    undated: int
    """Points left out because their paper has no date."""


def history(
    store: Store,
    x: Axis,
    y: Axis,
    paper_ids: list[str] | None = None,
    conditions: Sequence[tuple[str, str]] = (),
) -> History:
    """Every date the frontier of ``x``:``y`` moved, as papers were published."""
    found = points(store, x, y, paper_ids, conditions=conditions)
    dates = paper_dates(store, sorted({p["paper_id"] for p in found}))
    dated = sorted((p for p in found if p["paper_id"] in dates), key=lambda p: dates[p["paper_id"]])
    undated = len(found) - len(dated)
    if not dated:
        return History(x, y, [], (0.0, 0.0), undated)
    xy = [(p["x"], p["y"]) for p in dated]
    reference = dominance.reference_point(xy, x.better, y.better)
    steps: list[Step] = []
    front: set[int] = set()
    upto = 0
    while upto < len(dated):
        day = dates[dated[upto]["paper_id"]]
        start = upto
        while upto < len(dated) and dates[dated[upto]["paper_id"]] == day:
            upto += 1
        so_far = xy[:upto]
        mask = frontier_mask([p[0] for p in so_far], [p[1] for p in so_far], x.better, y.better)
        now = {i for i, on in enumerate(mask) if on}
        entered = sorted(i for i in now - front if i >= start)
        if entered:
            displaced = sorted(front - now)
            area = dominance.hypervolume(so_far, x.better, y.better, reference)
            steps.append(Step(day, [dated[i] for i in entered], [dated[i] for i in displaced], area))
        front = now
    return History(x, y, steps, reference, undated)
