"""The frontier: exact on edge cases, and equal to the brute-force definition on random points."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.query.pareto import frontier_mask, frontier_steps

DIRECTIONS = [("higher", "higher"), ("higher", "lower"), ("lower", "higher"), ("lower", "lower")]


def brute_force(xs, ys, better_x, better_y):
    """The definition: no other point at least as good on both and better on one."""
    sx = 1 if better_x == "higher" else -1
    sy = 1 if better_y == "higher" else -1
    mask = []
    for i in range(len(xs)):
        dominated = any(
            sx * xs[j] >= sx * xs[i]
            and sy * ys[j] >= sy * ys[i]
            and (sx * xs[j] > sx * xs[i] or sy * ys[j] > sy * ys[i])
            for j in range(len(xs))
        )
        mask.append(not dominated)
    return mask


def test_no_points_no_frontier():
    assert frontier_mask([], []) == []


def test_a_single_point_is_the_frontier():
    assert frontier_mask([3.0], [4.0], "lower", "lower") == [True]


def test_dominated_point_is_off_the_frontier():
    # Higher quality and lower latency beats worse on both.
    assert frontier_mask([81.5, 80.1], [12, 95], "higher", "lower") == [True, False]


def test_a_trade_off_keeps_both_points():
    assert frontier_mask([81.5, 70.2], [12, 6], "higher", "lower") == [True, True]


def test_exact_duplicates_of_a_frontier_point_are_on_it():
    assert frontier_mask([1, 1, 0], [1, 1, 0]) == [True, True, False]


def test_equal_x_only_the_better_y_survives():
    assert frontier_mask([2, 2], [1, 5]) == [False, True]


def test_equal_y_only_the_better_x_survives():
    assert frontier_mask([1, 5], [2, 2], "lower", "higher") == [True, False]


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError):
        frontier_mask([1, 2], [1])


coordinate = st.integers(min_value=-5, max_value=5).map(float) | st.floats(
    min_value=-1e6, max_value=1e6, allow_nan=False
)


@settings(max_examples=300, deadline=None)
@given(
    points=st.lists(st.tuples(coordinate, coordinate), max_size=40),
    directions=st.sampled_from(DIRECTIONS),
)
def test_frontier_matches_brute_force(points, directions):
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    assert frontier_mask(xs, ys, *directions) == brute_force(xs, ys, *directions)


@settings(max_examples=100, deadline=None)
@given(
    points=st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=20),
    directions=st.sampled_from(DIRECTIONS),
)
def test_steps_pass_through_every_frontier_point_and_never_beat_one(points, directions):
    better_x, better_y = directions
    xs, ys = zip(*points)
    front = [p for p, on in zip(points, frontier_mask(xs, ys, better_x, better_y)) if on]
    steps = frontier_steps(front, better_y)
    assert set(front) <= set(steps)
    sx = 1 if better_x == "higher" else -1
    sy = 1 if better_y == "higher" else -1
    for corner in steps:
        # Every corner of the staircase is matched or beaten by a reported frontier point:
        # the line claims nothing better than what the papers reported.
        assert any(sx * p[0] >= sx * corner[0] and sy * p[1] >= sy * corner[1] for p in front)
