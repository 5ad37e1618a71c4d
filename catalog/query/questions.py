"""The frontier questions asked of a pair in the catalog: what each frontier point alone adds,
the knee, what dominates a given point and by how much, and the best value at a budget.

The numbers come from ``catalog.query.dominance``; this module gathers a pair's exact points
and says which records the answers are about. Qualified points (ranges, bounds, approximate
values) take no part: no definition here holds for a value that is not one number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from catalog.errors import QueryError
from catalog.query import dominance
from catalog.query.pairs import Axis
from catalog.query.pareto import frontier_mask
from catalog.query.points import point_name, points
from catalog.query.records import PointRecord

if TYPE_CHECKING:
    from catalog.store.store import Store


@dataclass(frozen=True)
class FrontierAnswer:
    """A pair's frontier, with what each of its points alone adds and its knee."""

    x: Axis
    y: Axis
    points: list[PointRecord]
    """Every exact point of the pair, frontier first (then in x order, as listed)."""
    reference: tuple[float, float]
    """The hypervolume's reference point (``dominance.reference_point``)."""
    hypervolume: float
    """The area the frontier dominates up to the reference point, in x units times y units."""
    alone: list[float]
    """For each point, the hypervolume lost without it (0 off the frontier)."""
    knee: int | None
    """The index in ``points`` of the frontier's knee, if it has one."""
    hull: bool = False
    """Whether two points can be mixed: the frontier is then the hull, and each point's
    ``on_frontier`` says whether it is on the hull."""

    def share(self, index: int) -> float:
        """What ``points[index]`` alone adds, as a share of the whole hypervolume."""
        return self.alone[index] / self.hypervolume if self.hypervolume else 0.0


@dataclass(frozen=True)
class Explanation:
    """Why a point is or is not on the frontier, and by how much."""

    point: PointRecord
    dominated_by: list[PointRecord]
    """The points that dominate it, best first in x."""
    distance: dominance.Distance
    alone: float
    """The hypervolume lost without it (0 off the frontier)."""
    share: float
    """``alone`` as a share of the frontier's hypervolume."""
    mixed_from: tuple[PointRecord, PointRecord] | None = None
    """On a hull, for a point a mixture dominates: the two hull points whose mixture does
    (the same point twice when one alone does)."""
    hull: bool = False
    """Whether the frontier it is explained against is the hull."""


@dataclass(frozen=True)
class Budget:
    """The best value of the second objective at a budget of the first."""

    budget: float
    point: PointRecord | None
    """The point that reaches it; None when no point is within the budget."""


def frontier(
    store: Store,
    x: Axis,
    y: Axis,
    paper_ids: list[str] | None = None,
    conditions: Sequence[tuple[str, str]] = (),
    *,
    hull: bool = False,
) -> FrontierAnswer:
    """The pair's exact points, with the frontier's hypervolume, each point's exclusive share
    of it and the knee (``hull``: of the hull, where two points can be mixed)."""
    found = points(store, x, y, paper_ids, conditions=conditions)
    if hull and found:
        mask = dominance.hull_mask([(p["x"], p["y"]) for p in found], x.better, y.better)
        found = [_flagged(p, on) for p, on in zip(found, mask)]
    found.sort(key=lambda p: (not p["on_frontier"],))  # stable: x order within each part
    xy = [(p["x"], p["y"]) for p in found]
    if not xy:
        return FrontierAnswer(x, y, [], (0.0, 0.0), 0.0, [], None, hull)
    reference = dominance.reference_point(xy, x.better, y.better)
    return FrontierAnswer(
        x,
        y,
        found,
        reference,
        dominance.hypervolume(xy, x.better, y.better, reference, mixing=hull),
        dominance.exclusive_hypervolumes(xy, x.better, y.better, reference, mixing=hull),
        dominance.knee(xy, x.better, y.better, mixing=hull),
        hull,
    )


def explanation(answer: FrontierAnswer, index: int) -> Explanation:
    """The explanation of ``answer.points[index]``."""
    xy = [(p["x"], p["y"]) for p in answer.points]
    over = dominance.dominators(xy, index, answer.x.better, answer.y.better)
    over.sort(key=lambda j: answer.points[j]["x"])
    edge = dominance.hull_edge(xy, index, answer.x.better, answer.y.better) if answer.hull else None
    return Explanation(
        answer.points[index],
        [answer.points[j] for j in over],
        dominance.distance(xy, index, answer.x.better, answer.y.better, mixing=answer.hull),
        answer.alone[index],
        answer.share(index),
        (answer.points[edge[0]], answer.points[edge[1]]) if edge else None,
        answer.hull,
    )


def explain(answer: FrontierAnswer, target: str) -> list[Explanation]:
    """The explanation of each point of ``target``: a paper id, or ``PAPER/METHOD`` (a method
    as the point is named, or its start). Raises ``QueryError`` when no point is the target's."""
    paper, _, method = target.partition("/")
    chosen = [
        i
        for i, p in enumerate(answer.points)
        if p["paper_id"] == paper
        and (
            not method or _name(p).lower().startswith(method.lower()) or p["method"].lower() == method.lower()
        )
    ]
    if not chosen:
        raise QueryError(
            f"no point of {answer.x.spec}:{answer.y.spec} is {target!r}: {_known(answer, paper)}"
        )
    return [explanation(answer, i) for i in chosen]


@dataclass(frozen=True)
class Group:
    """One group's own frontier, and how much of it the frontier of every point hides."""

    value: str
    points: int
    frontier: list[PointRecord]
    """The group's frontier points, in x order."""
    hidden: int
    """How many of them are not on the frontier of all the points together."""
    members: list[int] = field(default_factory=list)
    """The indices in the answer's ``points`` of the group's points."""


#: What ``by_group`` calls the points that do not state the condition, and those whose paper
#: has no tag.
NOT_STATED, NO_TAG = "not stated", "no tag"


def by_group(
    answer: FrontierAnswer, key: str, tags: Mapping[str, Sequence[str]] | None = None
) -> list[Group]:
    """One frontier per group of points: by ``paper``, by ``tag`` (a point is in the group of
    each of its paper's tags, in any case; ``tags`` gives each paper's, as ``paper_tags`` reads
    them; points whose paper has none form the group "no tag"), or by a condition
    (``hardware``; points that do not state it form the group "not stated"). Groups with the
    most points first."""
    groups: dict[str, list[int]] = {}
    named: dict[str, str] = {}  # a tag in lower case: the spelling first met
    for i, p in enumerate(answer.points):
        for value in _values_of(p, key, tags):
            spelled = named.setdefault(value.lower(), value) if key.lower() == "tag" else value
            members = groups.setdefault(spelled, [])
            if not members or members[-1] != i:  # a paper's tag in two spellings counts once
                members.append(i)
    if key.lower() == "tag" and answer.points and set(groups) == {NO_TAG}:
        raise QueryError(f"no paper with points of {answer.x.spec}:{answer.y.spec} has a tag: group by paper")
    if key != "paper" and key.lower() != "tag" and set(groups) == {NOT_STATED}:
        said = f"no point of {answer.x.spec}:{answer.y.spec} states {key!r}"
        raise QueryError(f"{said}: group by paper or tag, or by a condition its points state")
    out = [_group(answer, value, members) for value, members in groups.items()]
    return sorted(out, key=lambda g: (-g.points, g.value))


def merged(answer: FrontierAnswer, groups: Sequence[Group], value: str) -> Group:
    """Several groups as one, called ``value``: its frontier is that of all their points, a
    point in several of them counted once."""
    members = sorted({i for g in groups for i in g.members})
    return _group(answer, value, members)


def paper_tags(store: Store, answer: FrontierAnswer) -> dict[str, list[str]]:
    """The tags of each paper with points in ``answer``, for ``by_group(answer, "tag", ...)``."""
    ids = sorted({p["paper_id"] for p in answer.points})
    rows = (
        store.cursor()
        .execute(
            "SELECT paper_id, tag FROM tags WHERE paper_id IN (SELECT unnest($ids::VARCHAR[])) ORDER BY tag",
            {"ids": ids},
        )
        .fetchall()
    )
    out: dict[str, list[str]] = {paper: [] for paper in ids}
    for paper, tag in rows:
        out[paper].append(tag)
    return out


def _values_of(p: PointRecord, key: str, tags: Mapping[str, Sequence[str]] | None) -> list[str]:
    """The groups a point is in, grouped by ``key``."""
    if key == "paper":
        return [p["paper_id"]]
    if key.lower() == "tag":
        if tags is None:
            raise ValueError("grouping by tag needs the papers' tags (paper_tags)")
        return list(tags.get(p["paper_id"], ())) or [NO_TAG]
    stated = {k.lower(): v for k, v in p["conditions"].items()}
    return [stated.get(key.lower(), NOT_STATED)]


def _group(answer: FrontierAnswer, value: str, members: list[int]) -> Group:
    """The group of these points: its own frontier, and how many of it the whole's hides."""
    pts = [answer.points[i] for i in members]
    mask = frontier_mask([p["x"] for p in pts], [p["y"] for p in pts], answer.x.better, answer.y.better)
    front = sorted((p for p, on in zip(pts, mask) if on), key=lambda p: (p["x"], p["y"]))
    return Group(value, len(pts), front, sum(1 for p in front if not p["on_frontier"]), list(members))


def at_budgets(answer: FrontierAnswer, budgets: Sequence[float]) -> list[Budget]:
    """The best y at each x budget: the staircase's value, a point some paper reports."""
    xy = [(p["x"], p["y"]) for p in answer.points]
    out = []
    for budget in budgets:
        found = dominance.best_at(xy, budget, answer.x.better, answer.y.better) if xy else None
        out.append(Budget(budget, answer.points[found] if found is not None else None))
    return out


def budget_lines(budgets: Sequence[Budget], x: Axis, y: Axis) -> list[str]:
    """The best y at each budget of x, in words: the point that reaches it, a point some paper
    reports, or that none is within the budget."""
    within = "at most" if x.better == "lower" else "at least"
    lines = []
    for b in budgets:
        head = f"{x.spec} {within} {b.budget:g}"
        if b.point is None:
            lines.append(f"{head}: no point within it")
            continue
        p = b.point
        lines.append(
            f"{head}: best {y.spec} {p['y']:g}, by {_name(p)} [{p['paper_id']}] at {x.spec} {p['x']:g}"
        )
    return lines


def explanation_lines(e: Explanation, x: Axis, y: Axis, listed: int = 5, more: str = "") -> list[str]:
    """An explanation in words: the point, then what dominates it (the first ``listed``; ``more``
    says where the rest are) and the improvement that would bring it to the frontier's edge."""
    p = e.point
    setting = f" ({p['setting']})" if p["setting"] else ""
    head = f"{p['method']}{setting} [{p['paper_id']}]: {_values(p, x, y)}"
    if p["conditions"]:
        head += " (" + ", ".join(f"{k}={v}" for k, v in p["conditions"].items()) + ")"
    front = "hull" if e.hull else "frontier"
    if p["on_frontier"]:
        return [f"◆ {head}: on the {front}; without it the {front} loses {e.share:.1%} of its hypervolume"]
    count = len(e.dominated_by)
    lines = [f"● {head}: dominated by {count} point{'s' if count != 1 else ''}"]
    if e.mixed_from:
        a, b = e.mixed_from
        mix = f"{a['method']} [{a['paper_id']}]" + (
            f" and {b['method']} [{b['paper_id']}]" if b is not a else ""
        )
        lines[0] = f"● {head}: under the hull, dominated by {'a mix of ' if b is not a else ''}{mix}"
        lines[0] += f"; by {count} point{'s' if count != 1 else ''} alone" if count else "; by no point alone"
    for o in e.dominated_by[:listed]:
        lines.append(f"    {o['method']} [{o['paper_id']}]: {_values(o, x, y)}")
    if count > listed:
        lines.append(f"    … and {count - listed} more" + (f" ({more} lists them all)" if more else ""))
    reach = []
    for axis, shift, value in ((x, e.distance.shift_x, p["x"]), (y, e.distance.shift_y, p["y"])):
        if shift > 0:
            sign = 1 if axis.better == "higher" else -1
            reach.append(f"{axis.spec} {'+' if sign > 0 else '-'}{shift:g} (to {value + sign * shift:g})")
    said = " or ".join(reach) if reach else "nothing more: it ties a frontier point on one objective"
    epsilon = f"epsilon distance {e.distance.epsilon:.3g} of the ranges"
    lines.append(f"    to reach the {front}'s edge alone: {said}; {epsilon}")
    return lines


def _flagged(p: PointRecord, on: bool) -> PointRecord:
    """``p``, flagged on the frontier or off it."""
    flagged = p.copy()
    flagged["on_frontier"] = on
    return flagged


def _values(p: PointRecord, x: Axis, y: Axis) -> str:
    return f"{x.spec} {p['x']:g}, {y.spec} {p['y']:g}"


def _name(point: PointRecord) -> str:
    return point_name(point["method"], point["setting"], point["conditions"])


def _known(answer: FrontierAnswer, paper: str) -> str:
    """What to say instead: the paper's points on this pair, or the papers that have points."""
    own = sorted({_name(p) for p in answer.points if p["paper_id"] == paper})
    if own:
        return "its points here are " + "; ".join(own[:8]) + ("; …" if len(own) > 8 else "")
    papers = sorted({p["paper_id"] for p in answer.points})
    if not papers:
        return "the pair has no exact points"
    return "papers with points here: " + ", ".join(papers[:8]) + (", …" if len(papers) > 8 else "")
