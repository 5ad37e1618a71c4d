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
    per_benchmark: bool = False
    """Whether a value of it means nothing without the benchmark it was measured on (a score,
    an accuracy): its values must say which, ``score/mmlu``."""


@dataclass(frozen=True)
class Benchmark:
    """What a value was measured on: a benchmark or dataset (WikiText-2, COCO-30K, GSM8K...)."""

    id: str
    label: str
    aliases: tuple[str, ...] = ()
    url: str | None = None


#: How a value's number relates to the truth: ``exact``; ``about`` ("about 0.1 s", "~0.1 s");
#: a ``range`` ("1.4 - 3.7x"); or a bound: ``at_most`` ("up to 230x", "within 15 minutes"),
#: ``at_least``, ``below`` ("less than 60%") or ``above`` ("above 32").
Shape = Literal["exact", "about", "range", "at_most", "at_least", "below", "above"]
SHAPES: tuple[Shape, ...] = ("exact", "about", "range", "at_most", "at_least", "below", "above")
BOUNDS: tuple[Shape, ...] = ("at_most", "at_least", "below", "above")
#: How a claim is written relative to a baseline, beyond the axis modes: ``times_less`` ("54x
#: less memory": the baseline's value is that many times the method's), and
#: ``percent_or_points`` ("improves accuracy by 4%", when the words do not say which).
Claim = Literal["absolute", "difference", "percent", "ratio", "times_less", "percent_or_points"]
CLAIMS: tuple[Claim, ...] = ("absolute", "difference", "percent", "ratio", "times_less", "percent_or_points")
RELATIVE_CLAIMS: tuple[Claim, ...] = CLAIMS[1:]


@dataclass(frozen=True)
class Value:
    """One reported number for one objective, on a benchmark when it was measured on one.

    ``mode`` says how to read ``number``: ``absolute`` on the objective's scale,
    ``difference`` in the objective's unit against the baseline (``+6.1`` points),
    ``percent`` change against the baseline (``-63`` for 63% fewer), ``ratio`` of the
    method's value to the baseline's (``0.5`` for half), ``times_less`` (the baseline's value
    over the method's: ``54`` for "54x less"), or ``percent_or_points`` (a percentage the words
    do not say is points or relative: never placed on an axis). ``shape`` says how exact it is:
    ``number`` is the value (``exact``, ``about``), the bound, or a range's low end, ``high``
    its high end. Two values share an axis only when their objective and their benchmark agree.
    """

    objective: str
    number: float
    mode: Claim = "absolute"
    benchmark: str | None = None
    shape: Shape = "exact"
    high: float | None = None
    """A range's high end."""
    plus_minus: float | None = None
    """A stated uncertainty: ``71.2 ± 0.3``."""
    interval: tuple[float, float] | None = None
    """A stated interval around an exact number (a confidence interval)."""

    @property
    def key(self) -> str:
        """How the value's axis is written: ``perplexity/wikitext2``, or the objective alone."""
        return axis_key(self.objective, self.benchmark)

    @property
    def numbers(self) -> tuple[float, ...]:
        """Every number the value states, as written: its words must write each."""
        found = [self.number]
        if self.high is not None:
            found.append(self.high)
        if self.plus_minus is not None:
            found.append(self.plus_minus)
        if self.interval is not None:
            found.extend(self.interval)
        return tuple(found)

    @property
    def axis_mode(self) -> Mode | None:
        """The mode of the axis the value can be drawn on (None: on none)."""
        if self.mode == "percent_or_points":
            return None
        return "ratio" if self.mode == "times_less" else self.mode

    @property
    def exact(self) -> bool:
        """Whether the value is one exact number on an axis: only these make the frontier."""
        return self.shape == "exact" and self.axis_mode is not None

    def span(self) -> tuple[float | None, float | None]:
        """Where the value lies on its axis, as (low, high); None is an open end."""
        shape, n = self.shape, self.number
        low: float | None
        high: float | None
        if shape in ("exact", "about"):
            low = high = n
        elif shape == "range":
            low, high = n, self.high
        elif shape in ("at_most", "below"):
            low, high = None, n
        else:
            low, high = n, None
        if self.mode == "times_less":  # the method's value is the baseline's divided by n
            low, high = (None if high is None else 1 / high), (None if low is None else 1 / low)
        return low, high


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

    @property
    def key(self) -> str:
        """The path as valid text, one to one, for the database to keep. A Linux file name is
        bytes; Python holds bytes that are not UTF-8 as surrogates, which DuckDB cannot store,
        so such a path is kept with its backslashes doubled and those bytes as ``\\xNN``,
        after a ``?`` no real absolute path starts with."""
        try:
            self.path.encode()
        except UnicodeEncodeError:
            doubled = self.path.replace("\\", "\\\\")
            return "?" + doubled.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        return self.path
