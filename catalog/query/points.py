"""The points of one objective pair, each flagged on or off the Pareto frontier, in SQL.

Each axis takes only values of its own mode, so absolute and relative values never meet.
Every value from the user reaches DuckDB as a parameter; the only texts put into SQL are
our own fragments.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from catalog.claims import describe
from catalog.errors import QueryError
from catalog.model import RELATIVE_MODES
from catalog.query.pairs import Axis
from catalog.query.records import FrontierPoint, PointRecord, QualifiedRecord
from catalog.store.store import Store

# The points of a pair, each value oriented so that more is better ($sx and $sy are 1 or -1, so
# $sx * gx gives the value back exactly). Only keys and the two values go through the join and
# the sort; the wide columns are joined back for the rows that are output.
_PAIR_POINTS = """
WITH pts AS (
    SELECT a.rowid AS rid, a.paper_id, a.result_no, $sx * a.value AS gx, $sy * b.value AS gy
    FROM results a
    JOIN results b ON a.point = b.point
    WHERE a.objective = $x AND a.mode = $xm AND a.benchmark IS NOT DISTINCT FROM $xb
      AND b.objective = $y AND b.mode = $ym AND b.benchmark IS NOT DISTINCT FROM $yb
      AND a.value IS NOT NULL AND b.value IS NOT NULL {only_papers}
)
"""
# The pair's qualified points (a range, a bound or an approximate value on either axis), each
# with its best end oriented so that more is better (NULL: no end on that side, so nothing can
# beat it there). A qualified point may be on the frontier when no exact point dominates its
# best end; the frontier itself is made of exact points only.
_QUALIFIED = (
    _PAIR_POINTS
    + """
, q AS (
    SELECT a.rowid AS rid, a.paper_id, a.result_no,
           a.low AS x_low, a.high AS x_high, a.shape AS x_shape, a.claim AS x_claim, a.value AS x_value,
           b.low AS y_low, b.high AS y_high, b.shape AS y_shape, b.claim AS y_claim, b.value AS y_value,
           CASE WHEN $sx > 0 THEN a.high ELSE -a.low END AS bx,
           CASE WHEN $sy > 0 THEN b.high ELSE -b.low END AS by
    FROM results a
    JOIN results b ON a.point = b.point
    WHERE a.objective = $x AND a.mode = $xm AND a.benchmark IS NOT DISTINCT FROM $xb
      AND b.objective = $y AND b.mode = $ym AND b.benchmark IS NOT DISTINCT FROM $yb
      AND (a.value IS NULL OR b.value IS NULL) {only_papers}
)
SELECT q.paper_id, p.title, r.method, r.setting, r.baseline,
       q.x_low, q.x_high, q.x_shape, q.x_claim, q.x_value,
       q.y_low, q.y_high, q.y_shape, q.y_claim, q.y_value,
       NOT EXISTS (SELECT 1 FROM pts e WHERE e.gx >= q.bx AND e.gy >= q.by AND (e.gx > q.bx OR e.gy > q.by)),
       coalesce(r.evidence, r.source), r.evidence IS NULL, r.source_at, r.source_row,
       (SELECT list([c.key, c.value] ORDER BY c.key) FROM conditions c
        WHERE c.paper_id = q.paper_id AND c.result_no = q.result_no)
FROM q JOIN results r ON r.rowid = q.rid JOIN papers p ON p.id = q.paper_id
ORDER BY p.position, q.result_no
"""
)
_ANY_QUALIFIED = "SELECT EXISTS (SELECT 1 FROM results WHERE value IS NULL AND objective IN (?, ?))"
# The frontier in SQL, O(n log n), exactly ``catalog.pareto.frontier_mask``: sorted best first,
# a point is optimal when its y beats every y before it. Exact duplicates are peers in the sort,
# so the GROUPS frame leaves them out of each other's comparison and they share a verdict.
_ON_FRONTIER = """coalesce(
    gy > max(gy) OVER (ORDER BY gx DESC, gy DESC GROUPS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), true
)"""
_FLAGGED = _PAIR_POINTS + ", flagged AS (SELECT *, " + _ON_FRONTIER + " AS on_frontier FROM pts)\n"
_POINTS = (
    _FLAGGED
    + """
SELECT f.paper_id, p.title, a.method, a.setting, a.baseline, $sx * f.gx AS x, $sy * f.gy AS y,
       coalesce(a.evidence, a.source) AS said, a.evidence IS NULL AS from_source, f.on_frontier,
       a.source_at, a.source_row,
       (SELECT list([c.key, c.value] ORDER BY c.key) FROM conditions c
        WHERE c.paper_id = f.paper_id AND c.result_no = f.result_no) AS conditions
FROM flagged f
JOIN results a ON a.rowid = f.rid
JOIN papers p ON p.id = f.paper_id
{only_frontier}
ORDER BY p.position, f.result_no
"""
)
# For drawing: the frontier exactly, every other point reduced to one per plot cell, so the
# cost of a plot does not grow with its points. Log axes bin in log space and drop points <= 0.
# One grouping by (on the frontier, drawable, cell) gives both the points to draw (in each
# group, the one with the smallest x) and the counts; only those few points are looked up
# by row id for their paper and method. ``shown`` is not materialized: the bounds then read
# the points without waiting for the frontier's window (a million random points: 5% faster).
# Either plan below comes first, giving ``flagged``: each point with its verdict.
_CELLS = """
, shown AS NOT MATERIALIZED (
    SELECT rid, x, y, on_frontier,
           (NOT $log_x OR x > 0) AND (NOT $log_y OR y > 0) AS drawable,
           CASE WHEN NOT $log_x THEN x WHEN x > 0 THEN log10(x) END AS tx,
           CASE WHEN NOT $log_y THEN y WHEN y > 0 THEN log10(y) END AS ty
    FROM (SELECT rid, $sx * gx AS x, $sy * gy AS y, on_frontier FROM flagged)
), bounds AS (
    SELECT min(tx) FILTER (WHERE drawable) AS lx, max(tx) FILTER (WHERE drawable) AS hx,
           min(ty) FILTER (WHERE drawable) AS ly, max(ty) FILTER (WHERE drawable) AS hy
    FROM shown
), cells AS (
    SELECT on_frontier, drawable,
           -- In halves: the span of values near the largest double (1.8e308) would overflow.
           CASE WHEN drawable
                THEN floor(coalesce((tx / 2 - lx / 2) / nullif(hx / 2 - lx / 2, 0), 0) * $cols) END AS cx,
           CASE WHEN drawable
                THEN floor(coalesce((ty / 2 - ly / 2) / nullif(hy / 2 - ly / 2, 0), 0) * $rows) END AS cy,
           count(*) AS n, min(x) AS first_x, arg_min(y, x) AS first_y, arg_min(rid, x) AS first_rid
    FROM shown, bounds
    GROUP BY on_frontier, drawable, cx, cy
)
SELECT c.on_frontier, c.drawable, c.n, c.first_x, c.first_y, a.paper_id, a.method, a.setting,
       (SELECT list([k.key, k.value] ORDER BY k.rowid) FROM conditions k
        WHERE a.paper_id IS NOT NULL AND k.paper_id = a.paper_id AND k.result_no = a.result_no)
FROM cells c
LEFT JOIN results a ON c.on_frontier AND c.drawable AND a.rowid = c.first_rid
"""
# The frontier's window over every point: the plan when many points may be on the frontier.
_BINNED = (
    _PAIR_POINTS + ", flagged AS (SELECT rid, gx, gy, " + _ON_FRONTIER + " AS on_frontier FROM pts)" + _CELLS
)
#: Into how many columns of x the pruned plan sorts the points.
X_COLUMNS = 4096
# The plan when most points are dominated: the points sorted into $xcols columns by x, a point
# whose y is no better than the best y of some column to its right is dominated (a point there
# has a larger x and a y at least as good) and set aside; the window runs on the rest (a few
# dozen of a million random points). A point set aside is dominated by one kept, so every
# verdict is the whole set's. When nothing can be set aside it costs more than the window alone.
_BINNED_PRUNED = (
    _PAIR_POINTS
    + """
, x_range AS (SELECT min(gx) AS lo, max(gx) AS hi FROM pts)
, columned AS (
    SELECT rid, gx, gy, floor(coalesce((gx / 2 - lo / 2) / nullif(hi / 2 - lo / 2, 0), 0) * $xcols) AS col
    FROM pts, x_range
), right_best AS (
    SELECT col, max(max(gy)) OVER (ORDER BY col DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS best
    FROM columned GROUP BY col
), marked AS (
    SELECT c.*, r.best IS NULL OR c.gy > r.best AS open FROM columned c JOIN right_best r USING (col)
), kept AS (
    SELECT rid, """
    + _ON_FRONTIER
    + """ AS on_frontier FROM marked WHERE open
), flagged AS (
    SELECT m.rid, m.gx, m.gy, coalesce(k.on_frontier, false) AS on_frontier
    FROM marked m LEFT JOIN kept k USING (rid)
)"""
    + _CELLS
)
# Which plan: the frontier of a sample of the points (a few percent of the rows, read in whole
# blocks, so it costs a few milliseconds at a million points). A sample's frontier holds a
# larger share of it than the whole's does, so a small share there means most points are
# dominated.
_SAMPLED = (
    """
WITH s AS (
    SELECT $sx * a.value AS gx, $sy * b.value AS gy
    FROM (SELECT * FROM results USING SAMPLE 2% (system)) a
    JOIN results b ON a.point = b.point
    WHERE a.objective = $x AND a.mode = $xm AND a.benchmark IS NOT DISTINCT FROM $xb
      AND b.objective = $y AND b.mode = $ym AND b.benchmark IS NOT DISTINCT FROM $yb
      AND a.value IS NOT NULL AND b.value IS NOT NULL {only_papers}
)
SELECT count(*), count(*) FILTER (WHERE on_frontier)
FROM (SELECT """
    + _ON_FRONTIER
    + """ AS on_frontier FROM s)
"""
)
#: The pruned plan pays when a sample of at least this many points has at most this share of
#: them on its frontier.
PRUNE_SAMPLE, PRUNE_SHARE = 1000, 0.01


def _prune(store: Store, params: dict[str, Any], only_papers: str) -> bool:
    """Whether most of the pair's points are dominated, going by a sample of them."""
    found = store.cursor().execute(_SAMPLED.format(only_papers=only_papers), params).fetchone()
    sampled, on_frontier = found if found else (0, 0)
    return bool(sampled >= PRUNE_SAMPLE and on_frontier <= PRUNE_SHARE * sampled)


def _params(
    x: Axis, y: Axis, paper_ids: list[str] | None, conditions: Sequence[tuple[str, str]] = ()
) -> tuple[dict[str, Any], str]:
    """The query's values, and the fixed SQL text of the filters asked for: the papers, and
    the conditions each point must have been measured under."""
    if (x.mode in RELATIVE_MODES) != (y.mode in RELATIVE_MODES):
        raise QueryError(
            "relative and absolute values never share a plot: give both axes a relative mode or neither"
        )
    params: dict[str, Any] = {
        "x": x.objective,
        "xm": x.mode,
        "xb": x.benchmark,
        "y": y.objective,
        "ym": y.mode,
        "yb": y.benchmark,
        "sx": 1.0 if x.better == "higher" else -1.0,
        "sy": 1.0 if y.better == "higher" else -1.0,
    }
    return params, selection_filter("a", paper_ids, conditions, params)


def selection_filter(
    alias: str,
    paper_ids: Sequence[str] | None,
    conditions: Sequence[tuple[str, str]],
    params: dict[str, Any],
) -> str:
    """The SQL that keeps only the results (rows ``alias`` of ``results``) of ``paper_ids``
    (every paper when None) measured under ``conditions``, its parameters added to ``params``."""
    said = ""
    if paper_ids is not None:
        said = f"AND {alias}.paper_id IN (SELECT unnest($ids::VARCHAR[]))"
        params["ids"] = list(paper_ids)
    for i, (key, value) in enumerate(conditions):
        said += (
            f" AND EXISTS (SELECT 1 FROM conditions c WHERE c.paper_id = {alias}.paper_id"
            f" AND c.result_no = {alias}.result_no AND lower(c.key) = lower($ck{i})"
            f" AND lower(c.value) = lower($cv{i}))"
        )
        params[f"ck{i}"], params[f"cv{i}"] = key, value
    return said


@dataclass(frozen=True)
class PlotData:
    """What a plot needs: frontier points exactly, the others one per cell, and the counts."""

    frontier: list[FrontierPoint]
    """The Pareto-optimal points (x, y, paper_id, method, setting), one per plot cell."""
    others: list[tuple[float, float]]
    """One point per plot cell holding any other point."""
    total: int
    """How many points the pair has."""
    shown: int
    """How many can be drawn (on a log axis, values <= 0 cannot)."""
    on_frontier: int
    """How many drawable points are Pareto-optimal."""
    qualified: list[QualifiedRecord] = field(default_factory=list)
    """The points with a range, a bound or an approximate value: drawn apart, never reduced."""


def plot_points(
    store: Store,
    x: Axis,
    y: Axis,
    paper_ids: list[str] | None = None,
    *,
    cols: int = 200,
    rows: int = 100,
    log_x: bool = False,
    log_y: bool = False,
    conditions: Sequence[tuple[str, str]] = (),
) -> PlotData:
    """The points of a pair reduced for drawing on a ``cols`` x ``rows`` grid (of the papers
    ``paper_ids``, measured under ``conditions``, when given)."""
    params, only_papers = _params(x, y, paper_ids, conditions)
    pruned = _prune(store, params, only_papers)
    params.update(cols=cols, rows=rows, log_x=log_x, log_y=log_y)
    if pruned:
        params["xcols"] = X_COLUMNS
    plan = _BINNED_PRUNED if pruned else _BINNED
    found = store.cursor().execute(plan.format(only_papers=only_papers), params).fetchall()
    frontier: list[FrontierPoint] = [
        {
            "x": px,
            "y": py,
            "paper_id": pid,
            "method": method,
            "setting": setting,
            "conditions": {key: value for key, value in conditions or ()},
        }
        for on, drawable, _, px, py, pid, method, setting, conditions in found
        if on and drawable
    ]
    others = [(r[3], r[4]) for r in found if not r[0] and r[1]]
    total = sum(r[2] for r in found)
    shown = sum(r[2] for r in found if r[1])
    on_frontier = sum(r[2] for r in found if r[0] and r[1])
    loose = qualified(store, x, y, paper_ids, conditions)
    return PlotData(frontier, others, total, shown, on_frontier, loose)


def points(
    store: Store,
    x: Axis,
    y: Axis,
    paper_ids: list[str] | None = None,
    frontier_only: bool = False,
    conditions: Sequence[tuple[str, str]] = (),
) -> list[PointRecord]:
    """The points having values for both axes, each flagged ``on_frontier``.

    Absolute and relative values never meet: each axis takes only values of its own mode, and
    of its own benchmark. ``paper_ids`` (when given) limits the points to those papers, and
    ``conditions`` to those measured under them (``[("hardware", "A100")]``); ``frontier_only``
    keeps the Pareto-optimal points only.
    """
    params, only_papers = _params(x, y, paper_ids, conditions)
    # The two fragments are fixed texts of ours; every value is a parameter.
    only_frontier = "WHERE f.on_frontier" if frontier_only else ""
    sql = _POINTS.format(only_papers=only_papers, only_frontier=only_frontier)
    rows = store.cursor().execute(sql, params).fetchall()
    return [_point(r, x, y) for r in rows]


def qualified(
    store: Store,
    x: Axis,
    y: Axis,
    paper_ids: list[str] | None = None,
    conditions: Sequence[tuple[str, str]] = (),
) -> list[QualifiedRecord]:
    """The pair's qualified points: a range, a bound or an approximate value on either axis.

    They are never on the frontier, which is made of exact values; each says whether it
    ``may_be_on_frontier``: whether, at the best end of what it claims, no exact point
    dominates it. An axis's ``x`` (``y``) is its number when exact, else None; ``x_low`` and
    ``x_high`` say where the value lies (None: an open end), ``x_said`` how it is written.
    """
    params, only_papers = _params(x, y, paper_ids, conditions)
    cursor = store.cursor()
    # Most pairs have none: a scan of one column says so, sparing the pairing of exact points.
    found = cursor.execute(_ANY_QUALIFIED, [x.objective, y.objective]).fetchone()
    if not (found and found[0]):
        return []
    rows = cursor.execute(_QUALIFIED.format(only_papers=only_papers), params).fetchall()
    out = []
    for r in rows:
        record: QualifiedRecord = {
            "paper_id": r[0],
            "title": r[1],
            "method": r[2],
            "setting": r[3],
            "baseline": r[4],
            "x": r[9],
            "y": r[14],
            "x_low": r[5],
            "x_high": r[6],
            "x_shape": r[7],
            "x_said": _said(r[8], r[9], x),
            "y_low": r[10],
            "y_high": r[11],
            "y_shape": r[12],
            "y_said": _said(r[13], r[14], y),
            "on_frontier": False,
            "may_be_on_frontier": bool(r[15]),
            "x_objective": x.objective,
            "x_benchmark": x.benchmark,
            "x_mode": x.mode,
            "x_unit": x.unit,
            "y_objective": y.objective,
            "y_benchmark": y.benchmark,
            "y_mode": y.mode,
            "y_unit": y.unit,
            "conditions": {key: value for key, value in r[20] or ()},
        }
        _cite(record, r[16], r[17], r[18], r[19])
        out.append(record)
    return out


def _cite(
    record: PointRecord | QualifiedRecord, said: str, from_source: bool, at: str | None, row: str | None
) -> None:
    """What states a point: its ``source`` with where it was read and its row, or its ``evidence``."""
    if from_source:
        record["source"] = said
        if at:
            record["source_at"] = at
        if row:
            record["source_row"] = row
    else:
        record["evidence"] = said


def _said(claim: str | None, value: float | None, axis: Axis) -> str:
    """How a value of a qualified point is written: its claim (``≤ 230``, ``54x less``) or its number."""
    if claim:
        return describe(json.loads(claim))
    return describe(value if axis.mode == "absolute" else {axis.mode: value})


def _point(r: tuple[Any, ...], x: Axis, y: Axis) -> PointRecord:
    record: PointRecord = {
        "paper_id": r[0],
        "title": r[1],
        "method": r[2],
        "setting": r[3],
        "baseline": r[4],
        "x": r[5],
        "y": r[6],
        "on_frontier": r[9],
        "x_objective": x.objective,
        "x_benchmark": x.benchmark,
        "x_mode": x.mode,
        "x_unit": x.unit,
        "y_objective": y.objective,
        "y_benchmark": y.benchmark,
        "y_mode": y.mode,
        "y_unit": y.unit,
        "conditions": {key: value for key, value in r[12] or ()},
    }
    _cite(record, r[7], r[8], r[10], r[11])
    return record


@dataclass(frozen=True)
class Spread:
    """How one condition varies among a plot's points: each value with its number of points,
    and how many points do not say."""

    key: str
    values: dict[str, int]
    unstated: int

    @property
    def mixed(self) -> bool:
        """Whether points measured under different values (or some that do not say) share the plot."""
        return len(self.values) + (1 if self.unstated else 0) > 1


_SPREAD = (
    _PAIR_POINTS
    + """
, counted AS (SELECT count(*) AS total FROM pts)
SELECT c.key, c.value, count(DISTINCT (p.paper_id, p.result_no)) AS n, any_value(counted.total)
FROM pts p JOIN conditions c ON c.paper_id = p.paper_id AND c.result_no = p.result_no, counted
GROUP BY c.key, c.value
ORDER BY c.key, n DESC, c.value
"""
)


def spread(
    store: Store,
    x: Axis,
    y: Axis,
    paper_ids: list[str] | None = None,
    conditions: Sequence[tuple[str, str]] = (),
) -> list[Spread]:
    """Every condition the pair's points state, with how its values split them: a plot whose
    points differ on one (an A100 against an H100, 1 step against 4) must say so."""
    params, only_papers = _params(x, y, paper_ids, conditions)
    rows = store.cursor().execute(_SPREAD.format(only_papers=only_papers), params).fetchall()
    found: dict[str, dict[str, int]] = {}
    total = 0
    for key, value, n, all_points in rows:
        found.setdefault(key, {})[value] = n
        total = all_points
    return [Spread(key, values, total - sum(values.values())) for key, values in found.items()]


def point_name(method: str, setting: str | None, conditions: dict[str, str]) -> str:
    """How a point is named in lists: its method, its setting and its conditions."""
    said = [setting] if setting else []
    said += [f"{key}={value}" for key, value in conditions.items()]
    return f"{method} ({', '.join(said)})" if said else method


def mixed_note(spreads: Sequence[Spread]) -> str:
    """What a plot says when its points differ on conditions, and the filter that narrows it:
    ``conditions differ: hardware: A100 (3), H100 (2); narrow with setting:hardware=A100``."""
    mixed = [s for s in spreads if s.mixed]
    if not mixed:
        return ""
    parts = []
    for s in mixed:
        values = [f"{value} ({n})" for value, n in s.values.items()]
        if s.unstated:
            values.append(f"not stated ({s.unstated})")
        parts.append(f"{s.key}: {', '.join(values)}")
    first = mixed[0]
    value = next(iter(first.values))
    narrow = f"setting:{first.key}={value}" if " " not in value else f'setting:{first.key}="{value}"'
    return f"conditions differ: {'; '.join(parts)}; narrow with {narrow}"
