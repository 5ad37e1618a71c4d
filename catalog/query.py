"""Questions asked of a built catalog: papers, pairs and the points of a pair, as plain records.

Every value from the user reaches DuckDB as a parameter; the only names put into SQL text are
our own column names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from catalog.fields import suggest
from catalog.model import MODES, RELATIVE_MODES, Mode
from catalog.store import Store

_PAIR_END = re.compile(r"([a-z][a-z0-9_]*)(?:@(absolute|difference|percent|ratio))?")


class QueryError(ValueError):
    """The user asked for something the catalog cannot answer (an unknown pair, say)."""


@dataclass(frozen=True)
class Axis:
    """One axis of a pair: an objective, how its values are read, and what it is called."""

    objective: str
    mode: Mode
    label: str
    unit: str | None
    better: str

    @property
    def spec(self) -> str:
        """How to write this axis in a pair (``tokens@percent``)."""
        return self.objective if self.mode == "absolute" else f"{self.objective}@{self.mode}"

    @property
    def title(self) -> str:
        """The axis label with its unit, for plots and tables."""
        unit = f" ({self.unit})" if self.unit else ""
        what = self.label if self.mode == "absolute" else f"{self.label}, {self.mode} vs baseline"
        return f"{what}{unit}"


def _unit_for(unit: str | None, mode: Mode) -> str | None:
    if mode == "percent":
        return "%"
    if mode == "ratio":
        return "x baseline"
    return unit


def parse_pair(store: Store, spec: str) -> tuple[Axis, Axis]:
    """Read ``X:Y`` (each end optionally ``@difference``, ``@percent`` or ``@ratio``) into axes."""
    ends = spec.split(":")
    if len(ends) != 2 or not all(ends):
        raise QueryError(f"a pair is written X:Y, like fid:latency, not {spec!r}")
    objectives = store.objectives
    axes = []
    for end in ends:
        match = _PAIR_END.fullmatch(end.strip())
        if not match:
            raise QueryError(f"{end!r} is not an objective id (modes are @{', @'.join(MODES[1:])})")
        oid, mode = match.group(1), match.group(2) or "absolute"
        if oid not in objectives:
            if oid in store.kinds:
                members = sorted(o.id for o in objectives.values() if o.kind == oid)
                raise QueryError(
                    f"{oid!r} is a kind of objective; a plot needs objectives, one of: {', '.join(members)}"
                )
            raise QueryError(f"unknown objective {oid!r}{suggest(oid, list(objectives))}")
        o = objectives[oid]
        axes.append(Axis(oid, mode, o.label, _unit_for(o.unit, mode), o.better))  # type: ignore[arg-type]
    if axes[0].objective == axes[1].objective:
        raise QueryError("a pair needs two different objectives")
    return axes[0], axes[1]


def pairs(store: Store) -> list[dict[str, Any]]:
    """Every objective pair studied: declared by a paper or measured in one result."""
    rows = (
        store.cursor()
        .execute(
            "SELECT x, y, papers, points, relative_points FROM pairs ORDER BY papers DESC, points DESC, x, y"
        )
        .fetchall()
    )
    return [
        {"x": x, "y": y, "papers": papers, "points": points, "relative_points": rel}
        for x, y, papers, points, rel in rows
    ]


def relative_pairs(store: Store) -> list[str]:
    """Pairs with relative points, written as plottable specs (``tokens@percent:accuracy@difference``)."""
    rows = (
        store.cursor()
        .execute(
            "SELECT x, x_mode, y, y_mode, count(*) FROM result_pairs "
            "WHERE x_mode <> 'absolute' AND y_mode <> 'absolute' GROUP BY ALL ORDER BY 5 DESC, 1, 3"
        )
        .fetchall()
    )
    return [f"{x}@{xm}:{y}@{ym}" for x, xm, y, ym, _ in rows]


# The points of a pair, each value oriented so that more is better ($sx and $sy are 1 or -1, so
# $sx * gx gives the value back exactly). Only keys and the two values go through the join and
# the sort; the wide columns are joined back for the rows that are output.
_PAIR_POINTS = """
WITH pts AS (
    SELECT a.rowid AS rid, a.paper_id, a.result_no, $sx * a.value AS gx, $sy * b.value AS gy
    FROM results a
    JOIN results b ON a.point = b.point
    WHERE a.objective = $x AND a.mode = $xm AND b.objective = $y AND b.mode = $ym {only_papers}
)
"""
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
       coalesce(a.evidence, a.source) AS said, a.evidence IS NULL AS from_source, f.on_frontier
FROM flagged f
JOIN results a ON a.paper_id = f.paper_id AND a.result_no = f.result_no AND a.objective = $x AND a.mode = $xm
JOIN papers p ON p.id = f.paper_id
{only_frontier}
ORDER BY p.position, f.result_no
"""
)
# For drawing: the frontier exactly, every other point reduced to one per plot cell, so the
# cost of a plot does not grow with its points. Log axes bin in log space and drop points <= 0.
# One grouping by (on the frontier, drawable, cell) gives both the points to draw (in each
# group, the one with the smallest x) and the counts; only those few points are looked up
# by row id for their paper and method.
_BINNED = (
    _PAIR_POINTS
    + """
, shown AS MATERIALIZED (
    SELECT rid, x, y, on_frontier,
           (NOT $log_x OR x > 0) AND (NOT $log_y OR y > 0) AS drawable,
           CASE WHEN NOT $log_x THEN x WHEN x > 0 THEN log10(x) END AS tx,
           CASE WHEN NOT $log_y THEN y WHEN y > 0 THEN log10(y) END AS ty
    FROM (SELECT rid, $sx * gx AS x, $sy * gy AS y, """
    + _ON_FRONTIER
    + """ AS on_frontier FROM pts)
), bounds AS (
    SELECT min(tx) FILTER (WHERE drawable) AS lx, max(tx) FILTER (WHERE drawable) AS hx,
           min(ty) FILTER (WHERE drawable) AS ly, max(ty) FILTER (WHERE drawable) AS hy
    FROM shown
), cells AS (
    SELECT on_frontier, drawable,
           CASE WHEN drawable THEN floor(coalesce((tx - lx) / nullif(hx - lx, 0), 0) * $cols) END AS cx,
           CASE WHEN drawable THEN floor(coalesce((ty - ly) / nullif(hy - ly, 0), 0) * $rows) END AS cy,
           count(*) AS n, min(x) AS first_x, arg_min(y, x) AS first_y, arg_min(rid, x) AS first_rid
    FROM shown, bounds
    GROUP BY on_frontier, drawable, cx, cy
)
SELECT c.on_frontier, c.drawable, c.n, c.first_x, c.first_y, a.paper_id, a.method, a.setting
FROM cells c
LEFT JOIN results a ON c.on_frontier AND c.drawable AND a.rowid = c.first_rid
"""
)


def _params(x: Axis, y: Axis, paper_ids: list[str] | None) -> tuple[dict[str, Any], str]:
    """The query's values, and the paper filter's fixed SQL text when one is asked for."""
    if (x.mode in RELATIVE_MODES) != (y.mode in RELATIVE_MODES):
        raise QueryError(
            "relative and absolute values never share a plot: give both axes a relative mode or neither"
        )
    params: dict[str, Any] = {
        "x": x.objective,
        "xm": x.mode,
        "y": y.objective,
        "ym": y.mode,
        "sx": 1.0 if x.better == "higher" else -1.0,
        "sy": 1.0 if y.better == "higher" else -1.0,
    }
    only_papers = ""
    if paper_ids is not None:
        only_papers = "AND a.paper_id IN (SELECT unnest($ids::VARCHAR[]))"
        params["ids"] = paper_ids
    return params, only_papers


@dataclass(frozen=True)
class PlotData:
    """What a plot needs: frontier points exactly, the others one per cell, and the counts."""

    frontier: list[dict[str, Any]]
    """The Pareto-optimal points (x, y, paper_id, method, setting), one per plot cell."""
    others: list[tuple[float, float]]
    """One point per plot cell holding any other point."""
    total: int
    """How many points the pair has."""
    shown: int
    """How many can be drawn (on a log axis, values <= 0 cannot)."""
    on_frontier: int
    """How many drawable points are Pareto-optimal."""


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
) -> PlotData:
    """The points of a pair reduced for drawing on a ``cols`` x ``rows`` grid."""
    params, only_papers = _params(x, y, paper_ids)
    params.update(cols=cols, rows=rows, log_x=log_x, log_y=log_y)
    found = store.cursor().execute(_BINNED.format(only_papers=only_papers), params).fetchall()
    frontier = [
        {"x": px, "y": py, "paper_id": pid, "method": method, "setting": setting}
        for on, drawable, _, px, py, pid, method, setting in found
        if on and drawable
    ]
    others = [(r[3], r[4]) for r in found if not r[0] and r[1]]
    total = sum(r[2] for r in found)
    shown = sum(r[2] for r in found if r[1])
    on_frontier = sum(r[2] for r in found if r[0] and r[1])
    return PlotData(frontier, others, total, shown, on_frontier)


def points(
    store: Store, x: Axis, y: Axis, paper_ids: list[str] | None = None, frontier_only: bool = False
) -> list[dict[str, Any]]:
    """The points having values for both axes, each flagged ``on_frontier``.

    Absolute and relative values never meet: each axis takes only values of its own mode.
    ``paper_ids`` (when given) limits the points to those papers; ``frontier_only`` keeps the
    Pareto-optimal points only.
    """
    params, only_papers = _params(x, y, paper_ids)
    # The two fragments are fixed texts of ours; every value is a parameter.
    only_frontier = "WHERE f.on_frontier" if frontier_only else ""
    sql = _POINTS.format(only_papers=only_papers, only_frontier=only_frontier)
    rows = store.cursor().execute(sql, params).fetchall()
    return [
        {
            "paper_id": r[0],
            "title": r[1],
            "method": r[2],
            "setting": r[3],
            "baseline": r[4],
            "x": r[5],
            "y": r[6],
            "on_frontier": r[9],
            "x_objective": x.objective,
            "x_mode": x.mode,
            "x_unit": x.unit,
            "y_objective": y.objective,
            "y_mode": y.mode,
            "y_unit": y.unit,
            "evidence" if not r[8] else "source": r[7],
        }
        for r in rows
    ]


def papers(store: Store, ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Whole paper records (in catalog order, or in the order of ``ids``), results included."""
    cur = store.cursor()
    sql = """
        SELECT p.id, p.title, p.published, p.year, p.authors, p.authors_count, p.url, p.arxiv,
               p.code, pt.tags, p.abstract, p.notes, p.file, p.line
        FROM papers p JOIN paper_tags pt ON pt.id = p.id
    """
    params: list[Any] = []
    if ids is not None:
        sql += (
            " JOIN (SELECT unnest($1::VARCHAR[]) AS id, generate_subscripts($1::VARCHAR[], 1) AS rank) q"
            " ON q.id = p.id ORDER BY q.rank"
        )
        params = [ids]
    else:
        sql += " ORDER BY p.position"
    rows = cur.execute(sql, params).fetchall()
    wanted = [r[0] for r in rows]
    pair_rows = cur.execute(
        "SELECT paper_id, x, y FROM tradeoffs WHERE paper_id IN (SELECT unnest($1::VARCHAR[]))", [wanted]
    ).fetchall()
    result_rows = cur.execute(
        "SELECT paper_id, result_no, method, setting, baseline, evidence, source, objective, value, mode "
        "FROM results WHERE paper_id IN (SELECT unnest($1::VARCHAR[])) ORDER BY paper_id, result_no, rowid",
        [wanted],
    ).fetchall()
    tradeoffs: dict[str, list[list[str]]] = {}
    for pid, x, y in pair_rows:
        tradeoffs.setdefault(pid, []).append([x, y])
    results: dict[str, dict[int, dict[str, Any]]] = {}
    for pid, no, method, setting, baseline, evidence, source, objective, value, mode in result_rows:
        record = results.setdefault(pid, {}).setdefault(
            no,
            {
                "method": method,
                "setting": setting,
                "baseline": baseline,
                "values": {},
                "evidence": evidence,
                "source": source,
            },
        )
        record["values"][objective] = value if mode == "absolute" else {mode: value}
    out = []
    for r in rows:
        out.append(
            {
                "id": r[0],
                "title": r[1],
                "published": r[2],
                "year": r[3],
                "authors": list(r[4] or []),
                "authors_count": r[5],
                "url": r[6],
                "arxiv": r[7],
                "code": list(r[8] or []),
                "tags": list(r[9] or []),
                "abstract": r[10],
                "notes": r[11],
                "tradeoffs": tradeoffs.get(r[0], []),
                "results": [results[r[0]][k] for k in sorted(results.get(r[0], {}))],
                "file": r[12],
                "line": r[13],
            }
        )
    return out
