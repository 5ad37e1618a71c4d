"""Questions about points of a 2-D frontier, answered from plain numbers.

Every function takes the points as ``(x, y)`` pairs and each objective's direction, and works
in the space where higher is better on both (a lower-is-better value is negated), so one rule
serves every pair. The definitions, as the README states them:

- A point *dominates* another when it is at least as good on both objectives and strictly
  better on one.
- The *shift* a dominated point needs along one objective is how much better its value there
  must be, the other staying, for no point to be better there and at least as good on the
  other: the distance to the frontier's staircase along that axis. The *epsilon distance* is
  the additive epsilon indicator in units of the pair's range: the smallest share of each
  objective's range by which both values must improve for no point to be better on both.
  Both are 0 on the frontier, and for a point that ties a frontier point on one objective.
- The *hypervolume* of a frontier is the area it dominates up to a *reference point*: the
  worst value of each objective among the points, moved a tenth of that objective's range
  (or 1, when every value is the same) further towards worse. A frontier point's *exclusive
  hypervolume* is the area lost without it: what the frontier of the other points dominates
  less.
- The *knee* is the frontier point farthest beyond the straight line between the frontier's
  two ends (on the side of better on both), both objectives scaled to their range on the
  frontier; a frontier of fewer than three points, or with none beyond that line, has none.
- The *hull* is the frontier when mixing two points is possible (sending a share of the traffic
  to each of two models, say): a point is on it when no mixture of two points (a weighted
  average of their values) dominates it. It is the frontier points on the upper convex hull;
  points exactly on a segment between two others stay on it. With mixing, the hypervolume is
  the area the mixtures dominate (between two neighbours on the hull, the straight segment
  that joins them), and a hull point's exclusive share what is lost without it; the knee is
  sought among the hull's points.
- The *best at a budget* is the staircase's value: the best value of the second objective
  among the points whose first objective is at the budget or better. It is always a reported
  point, never an interpolation between two.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from catalog.model import Better
from catalog.query.pareto import frontier_mask

Point = tuple[float, float]


def _signs(better_x: Better, better_y: Better) -> tuple[float, float]:
    return (1.0 if better_x == "higher" else -1.0, 1.0 if better_y == "higher" else -1.0)


def _up(points: Sequence[Point], better_x: Better, better_y: Better) -> list[Point]:
    """The points where higher is better on both objectives."""
    sx, sy = _signs(better_x, better_y)
    return [(sx * x, sy * y) for x, y in points]


def dominates(a: Point, b: Point) -> bool:
    """Whether ``a`` dominates ``b`` (both where higher is better)."""
    return a[0] >= b[0] and a[1] >= b[1] and (a[0] > b[0] or a[1] > b[1])


def dominators(points: Sequence[Point], index: int, better_x: Better, better_y: Better) -> list[int]:
    """The indices of the points that dominate ``points[index]``."""
    up = _up(points, better_x, better_y)
    return [i for i, p in enumerate(up) if dominates(p, up[index])]


def _span(values: Sequence[float]) -> float:
    """An objective's range among ``values`` (1 when they are all the same)."""
    return (max(values) - min(values)) or 1.0


@dataclass(frozen=True)
class Distance:
    """How far a point is from the frontier: the improvement each objective alone needs, in its
    own units (0 on the frontier), and the epsilon distance, as a share of the pair's range."""

    shift_x: float
    shift_y: float
    epsilon: float


def distance(
    points: Sequence[Point], index: int, better_x: Better, better_y: Better, *, mixing: bool = False
) -> Distance:
    """How far ``points[index]`` is from the frontier of ``points`` (``mixing``: from its hull,
    the edge of what mixtures of two points reach)."""
    up = _up(points, better_x, better_y)
    if mixing:
        return _hull_distance(points, up, index, better_x, better_y)
    px, py = up[index]
    over = [p for p in up if dominates(p, up[index])]
    if not over:
        return Distance(0.0, 0.0, 0.0)
    span_x, span_y = _span([p[0] for p in up]), _span([p[1] for p in up])
    shift_x = max(x - px for x, _ in over)  # every point over it is at least as good in y
    shift_y = max(y - py for _, y in over)
    epsilon = max(min((x - px) / span_x, (y - py) / span_y) for x, y in over)
    return Distance(shift_x, shift_y, epsilon)


def _hull_chain(
    points: Sequence[Point], up: Sequence[Point], better_x: Better, better_y: Better
) -> list[Point]:
    """The hull's points where higher is better, x rising (so y falling)."""
    return sorted({p for p, on in zip(up, hull_mask(points, better_x, better_y)) if on})


def _reach(chain: Sequence[Point], x: float) -> float:
    """The best y a mixture of hull points reaches with at least ``x`` (-inf past the hull)."""
    if x <= chain[0][0]:
        return chain[0][1]
    for (xa, ya), (xb, yb) in pairwise(chain):
        if x <= xb:
            return ya + (yb - ya) * (x - xa) / (xb - xa)
    return -math.inf


def _hull_distance(
    points: Sequence[Point], up: Sequence[Point], index: int, better_x: Better, better_y: Better
) -> Distance:
    chain = _hull_chain(points, up, better_x, better_y)
    px, py = up[index]
    if _reach(chain, px) <= py:
        return Distance(0.0, 0.0, 0.0)
    flipped = sorted((y, x) for x, y in chain)  # the same hull, y rising
    shift_y = _reach(chain, px) - py
    shift_x = max(_reach(flipped, py) - px, 0.0)
    span_x, span_y = _span([p[0] for p in up]), _span([p[1] for p in up])

    # Moved by e along the ranges, the point meets the hull's edge where the edge's height over
    # it reaches 0. That height is linear between the hull's points: take it at the point's own
    # x and at each hull point beyond (exactly, at the hull point's own value), find the piece
    # that crosses 0, or else the step past the hull's last point, where nothing is better.
    stops = [(0.0, _reach(chain, px))] + [((x - px) / span_x, y) for x, y in chain if x > px]
    epsilon = stops[-1][0]
    for (a, ya), (b, yb) in pairwise(stops):
        ha, hb = ya - (py + a * span_y), yb - (py + b * span_y)
        if hb <= 0 < ha:
            epsilon = a + (b - a) * ha / (ha - hb)
            break
    return Distance(shift_x, shift_y, epsilon)


def reference_point(points: Sequence[Point], better_x: Better, better_y: Better) -> Point:
    """The hypervolume's reference point (in the objectives' own directions and units)."""
    up = _up(points, better_x, better_y)
    xs, ys = [p[0] for p in up], [p[1] for p in up]
    rx, ry = min(xs) - _span(xs) / 10, min(ys) - _span(ys) / 10
    sx, sy = _signs(better_x, better_y)
    return (sx * rx, sy * ry)


def _area(up_front: Sequence[Point], ref: Point) -> float:
    """The area that mutually undominated points (higher better) dominate up to ``ref``."""
    area, last_y = 0.0, ref[1]
    for x, y in sorted(set(up_front), key=lambda p: (-p[0], p[1])):
        if y > last_y:
            area += (x - ref[0]) * (y - last_y)
            last_y = y
    return area


def _mixed_area(up_hull: Sequence[Point], ref: Point) -> float:
    """The area the mixtures of hull points (higher better) dominate up to ``ref``: the box of
    the point best in y, then a trapezoid under each segment to the next point."""
    chain = sorted(set(up_hull))  # x rising, y falling
    if not chain:
        return 0.0
    x0, y0 = chain[0]
    area = (x0 - ref[0]) * (y0 - ref[1])
    for (xa, ya), (xb, yb) in pairwise(chain):
        area += (xb - xa) * ((ya + yb) / 2 - ref[1])
    return area


def hypervolume(
    points: Sequence[Point], better_x: Better, better_y: Better, ref: Point, *, mixing: bool = False
) -> float:
    """The area the frontier of ``points`` dominates up to ``ref``, in x units times y units
    (``mixing``: the area their mixtures dominate, bounded by the hull)."""
    if not points:
        return 0.0
    up = _up(points, better_x, better_y)
    up_ref = _up([ref], better_x, better_y)[0]
    if mixing:
        mask = hull_mask(points, better_x, better_y)
        return _mixed_area([p for p, on in zip(up, mask) if on], up_ref)
    mask = frontier_mask([p[0] for p in up], [p[1] for p in up])
    return _area([p for p, on in zip(up, mask) if on], up_ref)


def exclusive_hypervolumes(
    points: Sequence[Point], better_x: Better, better_y: Better, ref: Point, *, mixing: bool = False
) -> list[float]:
    """For each point, the hypervolume lost without it: what the frontier (``mixing``: the
    hull) of the other points dominates less (0 off it, and for a point another equals)."""
    total = hypervolume(points, better_x, better_y, ref, mixing=mixing)
    mask = _on(points, better_x, better_y, mixing)
    out = []
    for i, on in enumerate(mask):
        others = [p for j, p in enumerate(points) if j != i] if on else None
        lost = (
            total - hypervolume(others, better_x, better_y, ref, mixing=mixing) if others is not None else 0.0
        )
        out.append(max(lost, 0.0))
    return out


def _on(points: Sequence[Point], better_x: Better, better_y: Better, mixing: bool) -> list[bool]:
    """Which points are on the frontier (``mixing``: on the hull)."""
    if mixing:
        return hull_mask(points, better_x, better_y)
    return frontier_mask([p[0] for p in points], [p[1] for p in points], better_x, better_y)


def knee(points: Sequence[Point], better_x: Better, better_y: Better, *, mixing: bool = False) -> int | None:
    """The index of the frontier's knee among ``points`` (None below three frontier points;
    ``mixing``: among the hull's points)."""
    mask = _on(points, better_x, better_y, mixing)
    up = _up(points, better_x, better_y)
    front = sorted({up[i] for i, on in enumerate(mask) if on})
    if len(front) < 3:
        return None
    (x0, y0), (x1, y1) = front[0], front[-1]
    span_x, span_y = (x1 - x0) or 1.0, (y0 - y1) or 1.0

    def beyond(p: Point) -> float:
        # Signed distance from the line between the ends, in units of the frontier's ranges:
        # the ends are (0, 1) and (1, 0), and better on both is away from the origin.
        u, v = (p[0] - x0) / span_x, (p[1] - y1) / span_y
        return (u + v - 1) / math.sqrt(2)

    best = max(front[1:-1], key=beyond)
    if beyond(best) <= 0:
        return None
    return next(i for i, p in enumerate(up) if p == best and mask[i])


def best_at(points: Sequence[Point], budget: float, better_x: Better, better_y: Better) -> int | None:
    """The index of the point with the best y among those whose x is ``budget`` or better
    (None when no point is within the budget); of points tied on y, the one best in x."""
    sx, sy = _signs(better_x, better_y)
    within = [i for i, (x, _) in enumerate(points) if sx * x >= sx * budget]
    if not within:
        return None
    return max(within, key=lambda i: (sy * points[i][1], sx * points[i][0]))


def hull_mask(points: Sequence[Point], better_x: Better, better_y: Better) -> list[bool]:
    """For each point, whether it is on the hull: a frontier point that no mixture of two
    points dominates."""
    up = _up(points, better_x, better_y)
    mask = frontier_mask([p[0] for p in up], [p[1] for p in up])
    front = sorted({p for p, on in zip(up, mask) if on})  # x rising, so y falling
    chain: list[Point] = []
    for p in front:
        # Drop the last point while it lies strictly under the segment from the one before to p.
        while len(chain) >= 2 and _cross(chain[-2], chain[-1], p) > 0:
            chain.pop()
        chain.append(p)
    on_hull = set(chain)
    return [on and p in on_hull for p, on in zip(up, mask)]


def hull_edge(
    points: Sequence[Point], index: int, better_x: Better, better_y: Better
) -> tuple[int, int] | None:
    """For a point some mixture dominates, the two hull points whose mixture is best at its
    first objective's value (the same point twice when one hull point alone dominates it);
    None for a point on the hull."""
    mask = hull_mask(points, better_x, better_y)
    if mask[index]:
        return None
    up = _up(points, better_x, better_y)
    chain = sorted({up[i]: i for i, on in enumerate(mask) if on}.items())  # x rising, y falling
    px = up[index][0]
    for (a, i), (b, j) in pairwise(chain):
        if a[0] <= px <= b[0]:
            return (i, j)
    first = chain[0] if px <= chain[0][0][0] else chain[-1]
    return (first[1], first[1])


def _cross(o: Point, a: Point, b: Point) -> float:
    """Positive when ``o`` to ``a`` to ``b`` turns left (``a`` under the segment ``o``-``b``)."""
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
