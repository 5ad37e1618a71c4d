"""What changed between two catalogs: papers added, removed or changed, and for each pair the
points that entered or left its frontier.

Two papers are the same when their ids are; a paper changed when anything it says changed
(its file and line do not count: moving a paper is not changing it). Two points are the same
when the same paper reports them for the same method, setting and conditions at the same
values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from catalog.errors import QueryError
from catalog.query.pairs import pairs, parse_pair
from catalog.query.papers import papers
from catalog.query.points import points
from catalog.query.records import PointRecord

if TYPE_CHECKING:
    from catalog.store.store import Store


@dataclass(frozen=True)
class PairDiff:
    """One pair's frontier in both catalogs: the points that entered it and those that left."""

    pair: str
    entered: list[PointRecord]
    left: list[PointRecord]


@dataclass(frozen=True)
class CatalogDiff:
    """What changed from one catalog to another."""

    added: list[str]
    removed: list[str]
    changed: list[str]
    frontiers: list[PairDiff]
    """The pairs whose frontier changed (or the pairs asked about, changed or not)."""


def diff_catalogs(old: Store, new: Store, pair_specs: Sequence[str] = ()) -> CatalogDiff:
    """What changed from ``old`` to ``new``: papers, and the frontiers of ``pair_specs`` (every
    pair with points in either, when none is given; then only those that changed are kept)."""
    before = {p["id"]: _content(p) for p in papers(old)}
    after = {p["id"]: _content(p) for p in papers(new)}
    added = [pid for pid in after if pid not in before]
    removed = [pid for pid in before if pid not in after]
    changed = [pid for pid in after if pid in before and after[pid] != before[pid]]
    asked = list(pair_specs)
    specs = asked or sorted(
        {f"{r['x']}:{r['y']}" for store in (old, new) for r in pairs(store) if r["points"]}
    )
    frontiers = []
    for spec in specs:
        change = frontier_change(old, new, spec)
        if change is None:
            if asked:
                raise QueryError(f"neither catalog has the pair {spec}: `tradeoffs pairs` lists the pairs")
            continue
        if change.entered or change.left or asked:
            frontiers.append(change)
    return CatalogDiff(added, removed, changed, frontiers)


def frontier_change(old: Store, new: Store, spec: str) -> PairDiff | None:
    """The points that entered the frontier of ``spec`` from ``old`` to ``new``, and those that
    left it (None when neither catalog has the pair)."""
    was, now = _frontier(old, spec), _frontier(new, spec)
    if was is None and now is None:
        return None
    was_keys = {_key(p): p for p in was or []}
    now_keys = {_key(p): p for p in now or []}
    entered = [p for k, p in now_keys.items() if k not in was_keys]
    left = [p for k, p in was_keys.items() if k not in now_keys]
    return PairDiff(spec, entered, left)


def reload_summary(old: Store, new: Store, spec: str | None) -> str:
    """What a reload changed, in a sentence: papers added and removed, and the points that
    entered or left the frontier of ``spec`` (when given); empty when nothing did."""
    ids = "SELECT id FROM papers"
    before = {r[0] for r in old.cursor().execute(ids).fetchall()}
    after = {r[0] for r in new.cursor().execute(ids).fetchall()}
    said = [f"{_count(len(after - before), 'paper')} added"] if after - before else []
    said += [f"{_count(len(before - after), 'paper')} removed"] if before - after else []
    change = frontier_change(old, new, spec) if spec else None
    if change and (change.entered or change.left):
        moved = []
        if change.entered:
            moved.append(f"{_count(len(change.entered), 'point')} entered")
        if change.left:
            moved.append(f"{_count(len(change.left), 'point')} left")
        said.append(f"on {spec}, {' and '.join(moved)} the frontier")
    return "; ".join(said)


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _content(paper: Any) -> dict[str, Any]:
    """What a paper says, without where it is written."""
    return {k: v for k, v in paper.items() if k not in ("file", "line")}


def _frontier(store: Store, spec: str) -> list[PointRecord] | None:
    """The frontier points of ``spec`` in ``store`` (None when the store cannot name the pair)."""
    try:
        x, y = parse_pair(store, spec)
    except QueryError:
        return None
    return points(store, x, y, frontier_only=True)


def _key(point: PointRecord) -> tuple[Any, ...]:
    return (
        point["paper_id"],
        point["method"],
        point["setting"],
        tuple(sorted(point["conditions"].items())),
        point["x"],
        point["y"],
    )
