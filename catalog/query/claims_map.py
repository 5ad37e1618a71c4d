"""Relative claims on one map: each change a paper reports of a quality objective, set against
the change it reports of another kind of objective (cost, speed, memory, size...), against the
same baseline.

A *claim* is a quality value and a value of the other kind that one result reports, a result
being the values of one paper, method, baseline, setting and conditions (the values may be
written in several of the paper's results), both relative to the baseline, and measured on the
same benchmark or one of them on none. Each change is placed with "better" one way: positive
is an improvement, whichever way its objective is better. A claim is *win-win* when both
changes are improvements, a *trade-off* when one is and the other is a loss, *neither*
otherwise (a loss on both, or no change on one); *unsure* when what it says leaves that open
(a bound such as "up to +21.4 points" may be below zero).

Changes are only put on a common axis when they are the same number: a ``percent`` change,
a ``ratio`` r (a change of (r - 1) * 100 percent) and ``times_less`` t ((1/t - 1) * 100
percent) share the percent scale; a ``difference`` is in its objective's unit and shares an
axis only with differences in that unit (a difference has no percent without the baseline's
value, which the catalog does not hold). A ``percent_or_points`` change is never placed on an
axis (either reading would be a guess): its claims are listed apart, still classified, since
either reading has the same sign.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, TypedDict

from catalog.errors import QueryError
from catalog.model import Objective, axis_key
from catalog.query.changes import (
    SCALE_OF,
    VERDICTS,
    Scale,
    Verdict,
    change_span,
    change_words,
    direction,
    read_form,
    signs,
    verdict_of,
)
from catalog.query.points import selection_filter
from catalog.query.records import RecordValue
from catalog.store.store import Store
from catalog.suggest import suggest

#: The kind of objective a claim's change in quality is of, unless asked otherwise.
QUALITY = "quality"


@dataclass(frozen=True)
class Axis:
    """One axis of a map: its scale, and its unit when it is a difference (or the objective,
    for an objective with no unit: differences of it share no axis with any other's)."""

    scale: Scale
    unit: str | None = None
    objective: str | None = None

    def title(self, objectives: Sequence[str]) -> str:
        """How the axis is named, with the objectives drawn on it."""
        if self.scale == "percent":
            what = "improvement on the baseline (%)"
        elif self.unit == "%":
            what = "improvement (points)"
        elif self.unit:
            what = f"improvement ({self.unit})"
        else:
            what = "improvement"
        return f"{', '.join(objectives)}: {what}"


class ChangeRecord(TypedDict):
    """One change of a claim: the objective, how the result writes the value, and where the
    change lies on its scale (``low`` to ``high``, None an open end), positive being better."""

    objective: str
    benchmark: str | None
    axis: str
    label: str
    kind: str
    better: str
    unit: str | None
    written: str
    """The value's mode as written: difference, percent, ratio, times_less or percent_or_points."""
    value: RecordValue
    """The value exactly as the result writes it (``{times_less: 3.2}``)."""
    said: str
    """The change in words: ``3.2x less (-68.75%)``."""
    scale: str | None
    """Where it is placed: ``percent``, ``difference`` (in ``unit``), or None (never placed)."""
    shape: str
    low: float | None
    high: float | None
    """Both None when the change is on no scale."""
    direction: str
    """``better``, ``worse``, ``unchanged`` or ``unsure`` (what it says leaves that open)."""
    evidence: str | None
    source: str | None


ClaimRecord = TypedDict(
    "ClaimRecord",
    {
        "number": int,
        "class": Verdict,
        "map": int | None,  # the map it is drawn on (1, 2...), None when listed apart
        "paper_id": str,
        "title": str,
        "method": str,
        "setting": str | None,
        "baseline": str,
        "conditions": dict[str, str],
        "quality": ChangeRecord,
        "other": ChangeRecord,
    },
)


@dataclass(frozen=True)
class Map:
    """The claims whose changes are on the same two scales: ``x`` the other objective's
    change, ``y`` the quality's."""

    x: Axis
    y: Axis
    claims: list[ClaimRecord]

    def objectives(self, side: Literal["quality", "other"]) -> list[str]:
        """The axes (objective/benchmark) the map draws on one side, in order of first claim."""
        return list(dict.fromkeys(c[side]["axis"] for c in self.claims))


@dataclass(frozen=True)
class ClaimsMap:
    """Every claim found: the maps (most claims first), and the claims listed apart."""

    quality_kind: str
    other_kinds: tuple[str, ...]
    maps: list[Map]
    apart: list[ClaimRecord]
    """Claims with a ``percent_or_points`` change: never placed on an axis."""

    @property
    def claims(self) -> list[ClaimRecord]:
        """Every claim, numbered in this order: map by map, each win-win first; then those apart."""
        return [c for m in self.maps for c in m.claims] + self.apart


def parse_kinds(text: str, known: set[str]) -> tuple[str, str]:
    """``QUALITY_KIND:OTHER_KIND`` (``quality:speed``) as two kinds of ``known``. Raises
    ``QueryError`` naming the known kinds otherwise."""
    ends = [end.strip().lower() for end in text.split(":")]
    listed = ", ".join(sorted(known)) or "none: no objective has a kind"
    if len(ends) != 2 or not all(ends):
        raise QueryError(
            f"--kinds is written QUALITY_KIND:OTHER_KIND, like quality:speed; the kinds are {listed}"
        )
    for end in ends:
        if end not in known:
            raise QueryError(
                f"no objective has the kind {end!r}{suggest(end, known)}; the kinds are {listed}"
            )
    if ends[0] == ends[1]:
        raise QueryError("--kinds needs two different kinds: a change of one against a change of the other")
    return ends[0], ends[1]


_VALUES = """
SELECT r.paper_id, p.title, r.method, r.setting, r.baseline,
       (SELECT list([c.key, c.value] ORDER BY c.key) FROM conditions c
        WHERE c.paper_id = r.paper_id AND c.result_no = r.result_no),
       r.objective, r.benchmark, r.mode, r.value, r.claim, r.evidence, r.source
FROM results r JOIN papers p ON p.id = r.paper_id JOIN objectives o ON o.id = r.objective
WHERE r.mode <> 'absolute' AND r.baseline IS NOT NULL AND o.kind IN (SELECT unnest($kinds::VARCHAR[]))
{filters}
ORDER BY p.position, r.result_no, r.objective, r.benchmark NULLS FIRST
"""


class ValueRow(NamedTuple):
    """One relative value, with what its result is: the pieces a claim is made of."""

    paper_id: str
    title: str
    method: str
    setting: str | None
    baseline: str
    conditions: tuple[tuple[str, str], ...]
    objective: str
    benchmark: str | None
    form: RecordValue
    evidence: str | None
    source: str | None


def relative_values(
    store: Store,
    kinds: Sequence[str],
    paper_ids: Sequence[str] | None = None,
    conditions: Sequence[tuple[str, str]] = (),
) -> list[ValueRow]:
    """Every relative value of an objective of ``kinds`` (of ``paper_ids``, measured under
    ``conditions``, when given), in catalog order."""
    params: dict[str, Any] = {"kinds": list(kinds)}
    filters = selection_filter("r", paper_ids, conditions, params)
    rows = store.cursor().execute(_VALUES.format(filters=filters), params).fetchall()
    out = []
    for pid, title, method, setting, baseline, found, objective, benchmark, mode, value, claim, *said in rows:
        form = json.loads(claim) if claim else {mode: value}
        conditions_of = tuple((k, v) for k, v in found or ())
        out.append(
            ValueRow(pid, title, method, setting, baseline, conditions_of, objective, benchmark, form, *said)
        )
    return out


def _change(row: ValueRow, objective: Objective) -> tuple[ChangeRecord, frozenset[int]]:
    written = read_form(row.form)
    span = change_span(written, objective.better)
    possible = signs(span, written.shape)
    scale = SCALE_OF[written.mode]
    record: ChangeRecord = {
        "objective": row.objective,
        "benchmark": row.benchmark,
        "axis": axis_key(row.objective, row.benchmark),
        "label": objective.label,
        "kind": objective.kind or "",
        "better": objective.better,
        "unit": objective.unit,
        "written": written.mode,
        "value": row.form,
        "said": change_words(written, objective.unit),
        "scale": scale,
        "shape": written.shape,
        "low": span.low if scale else None,  # a change on no scale has no place on one
        "high": span.high if scale else None,
        "direction": direction(possible),
        "evidence": row.evidence,
        "source": row.source,
    }
    return record, possible


def pair_claims(
    rows: Sequence[ValueRow], objectives: dict[str, Objective], quality_kind: str, other_kinds: Sequence[str]
) -> list[ClaimRecord]:
    """Every claim the values make, in the order of their first value, unnumbered: each quality
    value of a result with each value of another kind of the same result (same paper, method,
    baseline, setting and conditions) measured on the same benchmark or one of them on none."""
    results: dict[tuple[Any, ...], list[ValueRow]] = {}
    for row in rows:
        results.setdefault((row.paper_id, row.method, row.baseline, row.setting, row.conditions), []).append(
            row
        )
    claims: list[ClaimRecord] = []
    for values in results.values():
        quality = [v for v in values if objectives[v.objective].kind == quality_kind]
        other = [v for v in values if objectives[v.objective].kind in other_kinds]
        for q in quality:
            for o in other:
                if q.benchmark is not None and o.benchmark is not None and q.benchmark != o.benchmark:
                    continue
                q_change, q_signs = _change(q, objectives[q.objective])
                o_change, o_signs = _change(o, objectives[o.objective])
                claims.append(
                    {
                        "number": 0,
                        "class": verdict_of(q_signs, o_signs),
                        "map": None,
                        "paper_id": q.paper_id,
                        "title": q.title,
                        "method": q.method,
                        "setting": q.setting,
                        "baseline": q.baseline,
                        "conditions": dict(q.conditions),
                        "quality": q_change,
                        "other": o_change,
                    }
                )
    return claims


def _axis(change: ChangeRecord) -> Axis | None:
    scale = change["scale"]
    if scale is None:
        return None
    if scale == "percent":
        return Axis("percent")
    if change["unit"]:
        return Axis("difference", change["unit"])
    return Axis("difference", None, change["objective"])


def arrange(claims: Sequence[ClaimRecord], quality_kind: str, other_kinds: Sequence[str]) -> ClaimsMap:
    """The claims on their maps (one per pair of axes, most claims first), each map's win-win
    claims first, then its trade-offs, then the rest; the unplaced apart; all numbered."""
    maps: dict[tuple[Axis, Axis], list[ClaimRecord]] = {}
    apart: list[ClaimRecord] = []
    for claim in claims:
        x, y = _axis(claim["other"]), _axis(claim["quality"])
        if x is None or y is None:
            apart.append(claim)
        else:
            maps.setdefault((x, y), []).append(claim)
    order = sorted(maps.items(), key=lambda item: -len(item[1]))  # stable: first met first on ties

    def by_class(found: list[ClaimRecord]) -> list[ClaimRecord]:
        return sorted(found, key=lambda c: VERDICTS.index(c["class"]))

    arranged = [Map(x, y, by_class(found)) for (x, y), found in order]
    listed_apart = by_class(apart)
    number = 0
    for index, drawn in enumerate(arranged, start=1):
        for claim in drawn.claims:
            number += 1
            claim["number"], claim["map"] = number, index
    for claim in listed_apart:
        number += 1
        claim["number"] = number
    return ClaimsMap(quality_kind, tuple(other_kinds), arranged, listed_apart)


def claims_map(
    store: Store,
    paper_ids: Sequence[str] | None = None,
    kinds: tuple[str, str] | None = None,
    conditions: Sequence[tuple[str, str]] = (),
) -> ClaimsMap:
    """Every claim of a change in quality against a change of another kind (of ``paper_ids``,
    measured under ``conditions``, when given), arranged on maps. ``kinds`` (from
    ``parse_kinds``) names the quality kind and the other kind; by default, ``quality``
    against every other kind an objective has."""
    objectives = store.objectives
    if kinds is None:
        quality_kind = QUALITY
        others = tuple(sorted(k for k in store.kinds if k != QUALITY))
    else:
        quality_kind, others = kinds[0], (kinds[1],)
    rows = relative_values(store, (quality_kind, *others), paper_ids, conditions)
    return arrange(pair_claims(rows, objectives, quality_kind, others), quality_kind, others)
