"""The records queries hand out: plain dicts with declared keys, ready for JSON and export.

Typed dicts rather than classes because they are what export writes as they are; the types
say which keys each record has, so code that reads them is checked.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

#: A reported value as a paper record holds it, as the result writes it: a number, or a
#: claim's mapping (``{percent: -40}``, ``{between: [7, 11]}``: ``catalog.source.claims``).
RecordValue = float | dict[str, Any]


class ResultRecord(TypedDict):
    """One result of a paper: a method's values, with the words or the table behind them."""

    method: str
    setting: str | None
    conditions: dict[str, str]
    """What the values were measured under (hardware, steps, shots...)."""
    baseline: str | None
    values: dict[str, RecordValue]
    """By axis: the objective, qualified by the benchmark when it was measured on one."""
    evidence: str | None
    source: str | None
    at: str | None
    """Where the source was read: a URL, or ``owner/repo@commit:path``."""
    row: str | None
    """The source's row, as the source writes it."""


class PaperRecord(TypedDict):
    """A whole paper, results included."""

    id: str
    title: str
    published: str | None
    year: int | None
    authors: list[str]
    authors_count: int | None
    url: str | None
    arxiv: str | None
    code: list[str]
    tags: list[str]
    abstract: str | None
    notes: str | None
    tradeoffs: list[list[str]]
    results: list[ResultRecord]
    file: NotRequired[str]
    line: NotRequired[int]


class _PairPoint(TypedDict):
    """What every point of a pair says: whose it is, the two axes, the conditions, and what
    states it: ``evidence`` (the abstract's words) or ``source`` (a table or figure), never both."""

    paper_id: str
    title: str
    method: str
    setting: str | None
    baseline: str | None
    on_frontier: bool
    x_objective: str
    x_benchmark: str | None
    x_mode: str
    x_unit: str | None
    y_objective: str
    y_benchmark: str | None
    y_mode: str
    y_unit: str | None
    conditions: dict[str, str]
    evidence: NotRequired[str]
    source: NotRequired[str]
    source_at: NotRequired[str]
    source_row: NotRequired[str]


class PointRecord(_PairPoint):
    """One point of a pair: a result's two exact values, flagged on or off the frontier."""

    x: float
    y: float


class QualifiedRecord(_PairPoint):
    """A point of a pair with a range, a bound or an approximate value on either axis.

    ``x`` is the number when the x value is exact (else None); ``x_low`` and ``x_high`` say
    where the value lies on the axis (None: an open end, as for "up to 230x"); ``x_said`` is
    how it is written (``≤ 230``). Never on the frontier; ``may_be_on_frontier`` when no exact
    point dominates the best end of what it claims.
    """

    x: float | None
    y: float | None
    x_low: float | None
    x_high: float | None
    x_shape: str
    x_said: str
    y_low: float | None
    y_high: float | None
    y_shape: str
    y_said: str
    may_be_on_frontier: bool


class FrontierPoint(TypedDict):
    """A Pareto-optimal point as a plot lists it."""

    x: float
    y: float
    paper_id: str
    method: str
    setting: str | None
    conditions: dict[str, str]
