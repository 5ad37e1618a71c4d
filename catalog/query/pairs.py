"""Objective pairs: how a pair is written (``X:Y``, each end optionally ``@mode``), read and listed.

Every value from the user reaches DuckDB as a parameter; the only names put into SQL text are
our own column names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast

from catalog.errors import QueryError
from catalog.model import MODES, Better, Mode, axis_key
from catalog.store.schema import PAIRABLE
from catalog.store.store import Store
from catalog.suggest import suggest

_PAIR_END = re.compile(r"([a-z][a-z0-9_]*)(?:/([a-z][a-z0-9_]*))?(?:@(absolute|difference|percent|ratio))?")


def axis_spec(axis: str, mode: str) -> str:
    """How one end of a pair is written: the objective (qualified by its benchmark, as in
    ``accuracy/mmlu``), with its mode unless absolute (``tokens@percent``)."""
    return axis if mode == "absolute" else f"{axis}@{mode}"


@dataclass(frozen=True)
class Axis:
    """One axis of a pair: an objective, how its values are read, and what it is called."""

    objective: str
    mode: Mode
    label: str
    unit: str | None
    better: Better
    benchmark: str | None = None
    """What the values were measured on; values on another benchmark never share this axis."""
    benchmark_label: str | None = None

    @property
    def key(self) -> str:
        """The objective, qualified by the benchmark: ``perplexity/wikitext2``."""
        return axis_key(self.objective, self.benchmark)

    @property
    def spec(self) -> str:
        """How to write this axis in a pair (``tokens@percent``, ``accuracy/mmlu``)."""
        return axis_spec(self.key, self.mode)

    @property
    def title(self) -> str:
        """The axis label with its benchmark and unit, for plots and tables."""
        unit = f" ({self.unit})" if self.unit else ""
        what = self.label if self.mode == "absolute" else f"{self.label}, {self.mode} vs baseline"
        on = f" on {self.benchmark_label or self.benchmark}" if self.benchmark else ""
        return f"{what}{on}{unit}"


def _unit_for(unit: str | None, mode: Mode) -> str | None:
    if mode == "percent":
        return "%"
    if mode == "ratio":
        return "x baseline"
    return unit


def parse_pair(store: Store, spec: str) -> tuple[Axis, Axis]:
    """Read ``X:Y`` into axes. Each end is an objective id, qualified by the benchmark its
    values were measured on (``accuracy/mmlu``) and optionally by a relative mode
    (``@difference``, ``@percent`` or ``@ratio``). Ids are read in any case."""
    ends = spec.split(":")
    if len(ends) != 2 or not all(ends):
        raise QueryError(
            f"a pair is written X:Y, like fid:latency or perplexity/wikitext2:bits_per_weight, not {spec!r}"
        )
    axes = [_axis(store, end) for end in ends]
    if axes[0].objective == axes[1].objective:
        raise QueryError("a pair needs two different objectives")
    return axes[0], axes[1]


def _axis(store: Store, end: str) -> Axis:
    objectives, benchmarks = store.objectives, store.benchmarks
    match = _PAIR_END.fullmatch(end.strip().lower())
    if not match:
        raise QueryError(
            f"{end!r} is not an objective id, as in fid, accuracy/mmlu or tokens@percent "
            f"(modes are @{', @'.join(MODES[1:])})"
        )
    oid, bid, mode = match.group(1), match.group(2), cast(Mode, match.group(3) or "absolute")
    if oid not in objectives:
        if oid in store.kinds:
            members = sorted(o.id for o in objectives.values() if o.kind == oid)
            raise QueryError(
                f"{oid!r} is a kind of objective; a plot needs objectives, one of: {', '.join(members)}"
            )
        raise QueryError(f"unknown objective {oid!r}{suggest(oid, list(objectives))}")
    if bid is not None and bid not in benchmarks:
        raise QueryError(f"unknown benchmark {bid!r}{suggest(bid, list(benchmarks))}")
    o = objectives[oid]
    label = benchmarks[bid].label if bid is not None else None
    return Axis(oid, mode, o.label, _unit_for(o.unit, mode), o.better, bid, label)


def axis_label(store: Store, key: str) -> str:
    """How tables name an axis key (``perplexity/wikitext2``): ``Perplexity on WikiText-2``."""
    oid, _, bid = key.partition("/")
    objective = store.objectives.get(oid)
    name = objective.label if objective else f"{oid} (kind)"
    if bid:
        benchmark = store.benchmarks.get(bid)
        name += f" on {benchmark.label if benchmark else bid}"
    return name


def swapped(spec: str) -> str | None:
    """``Y:X`` for a pair written ``X:Y``; None when ``spec`` is not written as a pair."""
    ends = spec.split(":")
    if len(ends) != 2 or not all(ends):
        return None
    return f"{ends[1]}:{ends[0]}"


@dataclass(frozen=True)
class PairRow:
    """One plottable pair among some papers, written as a spec (``tokens@percent:accuracy@difference``)."""

    spec: str
    label: str
    papers: int
    points: int
    kinds: str
    qualified: int = 0
    """Points with a range, a bound or an approximate value on either axis (not in ``points``)."""


def pairs_among(store: Store, paper_ids: list[str]) -> list[PairRow]:
    """The plottable pairs among ``paper_ids`` (absolute and relative), most points first."""
    rows = (
        store.cursor()
        .execute(
            """
        WITH r AS MATERIALIZED (  -- the papers' results alone, before any pairing
            SELECT *, objective || coalesce('/' || benchmark, '') AS axis FROM results
            WHERE paper_id IN (SELECT unnest($1::VARCHAR[]))
        )
        SELECT a.axis, a.mode, b.axis, b.mode, count(DISTINCT a.paper_id),
               count(*) FILTER (WHERE a.value IS NOT NULL AND b.value IS NOT NULL),
               count(*) FILTER (WHERE a.value IS NULL OR b.value IS NULL)
        FROM r a JOIN r b ON a.point = b.point
        WHERE """
            + PAIRABLE
            + """
          AND (a.mode = 'absolute') = (b.mode = 'absolute')
          AND 'percent_or_points' NOT IN (a.mode, b.mode)  -- on no axis: the words do not say which
        GROUP BY ALL ORDER BY 6 DESC, 1, 3
        """,
            [paper_ids],
        )
        .fetchall()
    )
    objectives = store.objectives
    out = []
    for x, xm, y, ym, papers, points, loose in rows:
        label = f"{axis_label(store, x)} vs {axis_label(store, y)}"
        if xm != "absolute":
            label += f" ({xm} / {ym} vs baseline)"
        kinds = " ".join(
            kind for end in (x, y) if (kind := objectives[end.partition("/")[0]].kind) is not None
        )
        out.append(PairRow(f"{axis_spec(x, xm)}:{axis_spec(y, ym)}", label, papers, points, kinds, loose))
    return out


def other_modes(store: Store, x: Axis, y: Axis) -> list[tuple[str, int]]:
    """The modes in which the two axes' objectives do meet, when not in the asked ones: each
    as a pair spec (``accuracy@difference:tokens@percent``) with its number of points, most
    first. What a plot with no points suggests instead."""
    rows = (
        store.cursor()
        .execute(
            "SELECT x, x_mode, y, y_mode, count(*) FROM result_pairs "
            "WHERE exact AND ((x = $x AND y = $y) OR (x = $y AND y = $x)) "
            "AND NOT (x_mode = $xm AND y_mode = $ym AND x = $x) "
            "AND NOT (x_mode = $ym AND y_mode = $xm AND x = $y) "
            "AND 'percent_or_points' NOT IN (x_mode, y_mode) "
            "GROUP BY ALL ORDER BY 5 DESC",
            {"x": x.key, "y": y.key, "xm": x.mode, "ym": y.mode},
        )
        .fetchall()
    )
    out = []
    for a, am, b, bm, n in rows:
        (xa, xm), (ya, ym) = ((a, am), (b, bm)) if a == x.key else ((b, bm), (a, am))
        out.append((f"{axis_spec(xa, xm)}:{axis_spec(ya, ym)}", n))
    return out


def pairs(store: Store) -> list[dict[str, Any]]:
    """Every objective pair studied: declared by a paper or measured in one result, with its
    exact absolute points, its exact relative points, and its qualified absolute points (a
    range, a bound or an approximate value on either axis)."""
    rows = (
        store.cursor()
        .execute(
            "SELECT x, y, papers, points, relative_points, qualified FROM pairs "
            "ORDER BY points DESC, papers DESC, x, y"
        )
        .fetchall()
    )
    modes: dict[tuple[str, str], list[str]] = {}
    for x, y, xm, ym in (
        store.cursor()
        .execute(
            "SELECT DISTINCT x, y, x_mode, y_mode FROM result_pairs "
            "WHERE exact AND x_mode <> 'absolute' AND y_mode <> 'absolute' ORDER BY ALL"
        )
        .fetchall()
    ):
        modes.setdefault((min(x, y), max(x, y)), []).append(f"{xm}:{ym}" if x <= y else f"{ym}:{xm}")
    return [
        {
            "x": x,
            "y": y,
            "papers": papers,
            "points": points,
            "relative_points": rel,
            "relative_modes": modes.get((x, y), []),
            "qualified": q,
        }
        for x, y, papers, points, rel, q in rows
    ]
