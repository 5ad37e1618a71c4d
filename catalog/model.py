"""The catalog's data: plain, immutable records with no behaviour beyond a few derived values.

Everything the loader validates ends up here, and everything the store, search, export and
the app read starts here, so these types are the one vocabulary the whole tool shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

Better = Literal["higher", "lower"]
Mode = Literal["absolute", "difference", "percent", "ratio"]

#: The ways a reported value can relate to a baseline. ``absolute`` is a value on the
#: objective's own scale; the others are changes against the result's ``baseline``.
MODES: tuple[Mode, ...] = ("absolute", "difference", "percent", "ratio")
RELATIVE_MODES: tuple[Mode, ...] = ("difference", "percent", "ratio")


@dataclass(frozen=True)
class Objective:
    """Something a paper optimises: accuracy, latency, bits per weight, FID..."""

    id: str
    label: str
    better: Better
    unit: str | None = None
    kind: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Benchmark:
    """What a value was measured on: a benchmark or dataset (WikiText-2, COCO-30K, GSM8K...)."""

    id: str
    label: str
    aliases: tuple[str, ...] = ()
    url: str | None = None


@dataclass(frozen=True)
class Value:
    """One reported number for one objective, on a benchmark when it was measured on one.

    ``mode`` says how to read ``number``: ``absolute`` on the objective's scale,
    ``difference`` in the objective's unit against the baseline (``+6.1`` points),
    ``percent`` change against the baseline (``-63`` for 63% fewer), or ``ratio`` of the
    method's value to the baseline's (``0.5`` for half). Two values share an axis only when
    their objective and their benchmark agree.
    """

    objective: str
    number: float
    mode: Mode = "absolute"
    benchmark: str | None = None

    @property
    def key(self) -> str:
        """How the value's axis is written: ``perplexity/wikitext2``, or the objective alone."""
        return axis_key(self.objective, self.benchmark)


def axis_key(objective: str, benchmark: str | None) -> str:
    """An objective qualified by the benchmark it was measured on: ``accuracy/mmlu``."""
    return f"{objective}/{benchmark}" if benchmark else objective


@dataclass(frozen=True)
class Result:
    """A reported point: a method's values, under its conditions, with what states them.

    What states them is ``evidence`` (the abstract's words), or ``source`` (a table or figure),
    with where it was read (``at``: a URL, or ``repo@commit:path``) and the ``row`` as the
    source writes it.
    """

    method: str
    values: tuple[Value, ...]
    setting: str | None = None
    baseline: str | None = None
    evidence: str | None = None
    source: str | None = None
    line: int = 0
    conditions: tuple[tuple[str, str], ...] = ()
    """What the values were measured under, as (key, value) pairs: hardware, steps, shots..."""
    at: str | None = None
    row: str | None = None


@dataclass(frozen=True)
class Paper:
    """A paper of the catalog, with where it was defined."""

    id: str
    title: str
    file: str
    line: int
    published: str | None = None
    authors: tuple[str, ...] = ()
    authors_count: int | None = None
    url: str | None = None
    arxiv: str | None = None
    code: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    abstract: str | None = None
    tradeoffs: tuple[tuple[str, str], ...] = ()
    results: tuple[Result, ...] = ()
    notes: str | None = None

    @property
    def year(self) -> int | None:
        """The publication year, when a date is given."""
        return int(self.published[:4]) if self.published else None


@dataclass(frozen=True)
class Catalog:
    """A validated catalog: the objectives vocabulary and the papers."""

    objectives: dict[str, Objective] = field(default_factory=dict)
    papers: tuple[Paper, ...] = ()
    benchmarks: dict[str, Benchmark] = field(default_factory=dict)


class FileStat(NamedTuple):
    """A catalog file as found on disk: absolute path, the name to show, size and modification
    time (both -1 when it cannot be looked at: reading it will say why). A named tuple: a big
    catalog makes a hundred thousand of them on every start."""

    path: str
    display: str
    size: int
    mtime_ns: int
