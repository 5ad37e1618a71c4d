"""The 2-D Pareto frontier, honouring each objective's direction, in O(n log n).

A point is on the frontier when no other point is at least as good on both objectives and
strictly better on one. Exact duplicates of a frontier point are on it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from catalog.model import Better


def frontier_mask(
    xs: Sequence[float], ys: Sequence[float], better_x: Better = "higher", better_y: Better = "higher"
) -> list[bool]:
    """For each point (xs[i], ys[i]), whether it is Pareto-optimal.

    Sort by x from best to worst; among points sharing an x only those with the best y can be
    optimal, and they are exactly when that y beats every y seen at a strictly better x.
    """
    if len(xs) != len(ys):
        raise ValueError("xs and ys must have the same length")
    sx = 1.0 if better_x == "higher" else -1.0
    sy = 1.0 if better_y == "higher" else -1.0
    order = sorted(range(len(xs)), key=lambda i: (-sx * xs[i], -sy * ys[i]))
    mask = [False] * len(xs)
    best_y_before = float("-inf")  # best y among strictly better x
    i = 0
    while i < len(order):
        x = xs[order[i]]
        group_best = sy * ys[order[i]]  # sorted best y first within an x
        j = i
        while j < len(order) and xs[order[j]] == x:
            j += 1
        if group_best > best_y_before:
            for k in range(i, j):
                if sy * ys[order[k]] == group_best:
                    mask[order[k]] = True
        best_y_before = max(best_y_before, group_best)
        i = j
    return mask


def frontier_steps(points: Sequence[tuple[float, float]], better_y: Better) -> list[tuple[float, float]]:
    """The staircase joining frontier points, ordered by x, as corner points to draw lines through.

    Between two neighbouring frontier points the step goes along the worse of the two y values
    first, so the line never passes through territory better than any reported point. (Along a
    frontier, x gets worse exactly as y gets better, so y's direction decides every corner.)
    """
    pts = sorted(set(points))
    if len(pts) < 2:
        return list(pts)
    steps = [pts[0]]
    for (x0, y0), (x1, y1) in pairwise(pts):
        # Moving right along x: the corner takes the y that is worse of the two.
        worse_y = min(y0, y1) if better_y == "higher" else max(y0, y1)
        corner = (x1, worse_y) if worse_y == y0 else (x0, worse_y)
        steps.extend([corner, (x1, y1)])
    return steps
