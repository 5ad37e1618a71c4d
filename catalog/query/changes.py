"""One relative change as a claim states it: where it lies on its scale, oriented so that
positive is better, which signs it may have, and how lists say it.

A ``percent`` change, a ``ratio`` r (a change of (r - 1) * 100 percent) and ``times_less`` t
((1/t - 1) * 100 percent) are on the percent scale: those conversions are exact. A
``difference`` is on its objective's own scale. A ``percent_or_points`` change is on none, but
its sign is its number's either way, so it still has a direction.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from catalog.model import Better
from catalog.query.records import RecordValue

Verdict = Literal["win-win", "trade-off", "neither", "unsure"]
#: The classes, in the order claims are listed.
VERDICTS: tuple[Verdict, ...] = ("win-win", "trade-off", "neither", "unsure")

#: Where a change is placed: a change in percent of the baseline, a difference in the
#: objective's unit, or nowhere (``percent_or_points``).
Scale = Literal["percent", "difference"]
SCALE_OF: dict[str, Scale | None] = {
    "percent": "percent",
    "ratio": "percent",
    "times_less": "percent",
    "difference": "difference",
    "percent_or_points": None,
}

_UPPER_BOUNDS = ("at_most", "below")


class Written(NamedTuple):
    """A relative value as the result writes it: its mode (``percent``, ``times_less``...), its
    shape (``exact``, ``about``, ``range`` or a bound), its number and a range's high end."""

    mode: str
    shape: str
    number: float
    high: float | None = None


class Span(NamedTuple):
    """Where a change lies on its scale, positive being better: from ``low`` to ``high`` (None:
    an open end), each end included or not."""

    low: float | None
    high: float | None
    low_included: bool = True
    high_included: bool = True


def read_form(form: RecordValue) -> Written:
    """A relative value's written form (``{percent: -40}``, ``{times_less: {at_most: 3.37}}``,
    ``{ratio: {between: [1.4, 3.7]}}``) as its mode, shape and numbers. An exact number with a
    stated uncertainty is exact, as everywhere in the tool."""
    if not isinstance(form, dict) or len(form) != 1:
        raise ValueError(f"not a relative value's form: {form!r}")
    ((mode, quantity),) = form.items()
    if not isinstance(quantity, dict):
        return Written(mode, "exact", float(quantity))
    if "number" in quantity:
        return Written(mode, "exact", float(quantity["number"]))
    if "between" in quantity:
        low, high = quantity["between"]
        return Written(mode, "range", float(low), float(high))
    ((shape, number),) = quantity.items()
    return Written(mode, shape, float(number))


def _on_scale(mode: str, number: float) -> float:
    """A written number as the change it states, on its scale (before "better" orients it).
    A converted number keeps 12 significant digits: (1.6 - 1) * 100 is 60, not 60.00000000000001."""
    if mode == "ratio":
        return float(f"{(number - 1) * 100:.12g}")
    if mode == "times_less":
        return float(f"{(1 / number - 1) * 100:.12g}")
    return number


def change_span(written: Written, better: Better) -> Span:
    """Where a written change lies on its scale, oriented so that positive is better.

    A ratio r is the change (r - 1) * 100 percent and times_less t the change (1/t - 1) * 100
    (which falls as t grows, so its ends swap); a change of an objective whose lower values are
    better is negated (its ends swap again). An open end stays open, even where no change can
    go past it ("at least 3x less" is at most -66.7%, and never reaches -100%).
    """
    mode, shape, number, high = written
    ends: tuple[float | None, float | None]
    if shape in ("exact", "about"):
        ends = (number, number)
    elif shape == "range":
        ends = (number, high)
    elif shape in _UPPER_BOUNDS:
        ends = (None, number)
    else:
        ends = (number, None)
    included = shape not in ("below", "above")
    low, high_end = (None if end is None else _on_scale(mode, end) for end in ends)
    span = Span(low, high_end, included, included)
    if mode == "times_less":
        span = _swapped(span, 1.0)
    return span if better == "higher" else _swapped(span, -1.0)


def _swapped(span: Span, sign: float) -> Span:
    """The span's ends the other way round, each times ``sign``."""
    low, high, low_in, high_in = span
    return Span(_times(sign, high), _times(sign, low), high_in, low_in)


def _times(sign: float, value: float | None) -> float | None:
    return None if value is None else (sign * value) + 0.0  # + 0.0: no -0.0


def signs(span: Span, shape: str) -> frozenset[int]:
    """The signs a change in ``span`` may have: 1 better, -1 worse, 0 unchanged. An approximate
    change ("about -50%") has its number's sign, unless that number is no change at all."""
    low, high, low_in, high_in = span
    if shape == "about" and low == 0:
        return frozenset({-1, 0, 1})
    found = set()
    if high is None or high > 0:
        found.add(1)
    if low is None or low < 0:
        found.add(-1)
    if (low is None or low < 0 or (low == 0 and low_in)) and (
        high is None or high > 0 or (high == 0 and high_in)
    ):
        found.add(0)
    return frozenset(found)


def verdict_of(quality: frozenset[int], other: frozenset[int]) -> Verdict:
    """A claim's class, from the signs each of its changes may have: the class every reading
    gives, or ``unsure`` when readings differ."""
    found = {_verdict(q, o) for q in quality for o in other}
    return found.pop() if len(found) == 1 else "unsure"


def _verdict(quality: int, other: int) -> Verdict:
    if quality > 0 and other > 0:
        return "win-win"
    if quality * other < 0:
        return "trade-off"
    return "neither"


def direction(possible: frozenset[int]) -> str:
    """A change's sign in words: ``better``, ``worse``, ``unchanged``, or ``unsure``."""
    if len(possible) > 1:
        return "unsure"
    return {1: "better", -1: "worse", 0: "unchanged"}[next(iter(possible))]


def _number_text(n: float, signed: bool = True) -> str:
    return f"{'+' if signed and n > 0 else ''}{n:g}"


_BOUND_WORDS = {"at_most": "≤ ", "at_least": "≥ ", "below": "< ", "above": "> ", "about": "~"}


def _quantity_text(written: Written, signed: bool) -> str:
    if written.shape == "range":
        return f"{_number_text(written.number, signed)} to {_number_text(written.high or 0.0, signed)}"
    return _BOUND_WORDS.get(written.shape, "") + _number_text(written.number, signed)


def _span_text(span: Span, shape: str) -> str:
    """A span on the percent scale in words, as a written percent would say it."""
    low, high, low_in, high_in = span
    if low is None:
        return ("≤ " if high_in else "< ") + _number_text(high or 0.0)
    if high is None:
        return ("≥ " if low_in else "> ") + _number_text(low)
    if low != high:
        return f"{_number_text(low)} to {_number_text(high)}"
    return ("~" if shape == "about" else "") + _number_text(low)


def change_words(written: Written, unit: str | None) -> str:
    """A change as lists say it, with the percent a ratio or a factor is: ``+6.1 points``,
    ``-63%``, ``3.2x less (-68.75%)``, ``1.6x (+60%)``, ``+4% (points or percent: unsaid)``."""
    said = _quantity_text(written, signed=written.mode not in ("ratio", "times_less"))
    if written.mode == "difference":
        if unit == "%":
            one = written.shape == "exact" and abs(written.number) == 1
            return f"{said} point" if one else f"{said} points"
        return f"{said} {unit}" if unit else f"{said} (difference)"
    if written.mode == "percent":
        return f"{said}%"
    if written.mode == "percent_or_points":
        return f"{said}% (points or percent: unsaid)"
    as_percent = _span_text(change_span(written, "higher"), written.shape)
    factor = "x less" if written.mode == "times_less" else "x"
    return f"{said}{factor} ({as_percent}%)"
