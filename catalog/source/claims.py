"""A value as a result writes it: a number, or a claim with its mode and its shape.

The forms, with the words each stands for::

    fid: 7.59                                   # "7.59 FID"
    latency: {about: 0.1}                       # "about 0.1 s", "~0.1 s"
    power: {between: [7, 11]}                   # "between 7 and 11 Watts"
    speedup: {at_most: 230}                     # "up to 230x"; also at_least, below, above
    accuracy: {number: 71.2, plus_minus: 0.3}   # "71.2 ± 0.3"; or interval: [70.1, 72.3]
    memory: {ratio: 0.5}                        # relative: difference, percent, ratio
    memory: {times_less: 54}                    # "54x less memory"
    throughput: {percent: {between: [20, 85]}}  # "20 - 85% higher"
    accuracy: {percent_or_points: 4}            # "improves accuracy by 4%" (which, unsaid)

A relative claim's number may itself be any of the shapes. ``catalog.claims.value_form``
writes a value back the same way, so a paper exported to YAML reads back to the same values.
"""

from __future__ import annotations

from typing import Any, cast

from catalog.model import BOUNDS, RELATIVE_CLAIMS, Claim, Shape, Value
from catalog.source import fields as f
from catalog.source.reader import Fields, ReaderBase
from catalog.source.tree import Node

#: The keys of a quantity's mapping: each shape, and an exact number with its uncertainty.
QUANTITY_KEYS = ("about", "between", *BOUNDS, "number", "plus_minus", "interval")
_ALL_KEYS = (*RELATIVE_CLAIMS, *QUANTITY_KEYS)
_CLAIM_FIELDS = Fields(dict.fromkeys(_ALL_KEYS, False))
_QUANTITY_FIELDS = Fields(dict.fromkeys(QUANTITY_KEYS, False))
_FORMS = (
    "a number, a relative claim ({percent: -40}; also difference, ratio, times_less, "
    "percent_or_points), or a qualified number: {about: N}, {between: [LOW, HIGH]}, "
    "{at_most: N} (also at_least, below, above), {number: N, plus_minus: E}"
)

Quantity = tuple[Shape, float, float | None, float | None, tuple[float, float] | None]


class ClaimReader(ReaderBase):
    """Reads one value's form into a ``Value``."""

    def claim(self, oid: str, benchmark: str | None, node: Node, what: str) -> Value | None:
        """The value written at ``node`` (None, and a problem, when it is not written right)."""
        if not isinstance(node, dict):
            number = self._number(node, what)
            return None if number is None else Value(oid, number, "absolute", benchmark)
        found = self.fields(node, what, _CLAIM_FIELDS)
        if found is None:
            return None
        modes = [k for k in found if k in RELATIVE_CLAIMS]
        if not modes:
            if not found:
                self.problem(node, f"{what} is empty: write {_FORMS}")
                return None
            quantity = self.quantity(node, found, what)
            return None if quantity is None else self._value(oid, benchmark, "absolute", quantity)
        if len(found) != 1:
            self.problem(
                node,
                f"{what} has one key: a relative claim ({', '.join(RELATIVE_CLAIMS)}) whose number "
                "may be qualified inside it: {percent: {between: [20, 85]}}",
            )
            return None
        mode = cast(Claim, str(modes[0]))
        inner = found[mode][1]
        if isinstance(inner, dict):
            inner_found = self.fields(inner, f"the {mode} of {what}", _QUANTITY_FIELDS)
            if inner_found is None:
                return None
            if not inner_found:
                self.problem(inner, f"the {mode} of {what} is empty: write a number or {{about: N}}...")
                return None
            quantity = self.quantity(inner, inner_found, f"the {mode} of {what}")
        else:
            number = self._number(inner, f"the {mode} of {what}")
            quantity = None if number is None else ("exact", number, None, None, None)
        if quantity is None:
            return None
        if mode == "times_less" and min(n for n in _numbers(quantity)) <= 0:
            self.problem(inner, "times_less is how many times less: a number above 0 (54 for '54x less')")
            return None
        return self._value(oid, benchmark, mode, quantity)

    def quantity(self, node: Node, found: dict[str, Any], what: str) -> Quantity | None:
        """A qualified number: one shape key, or ``number`` with ``plus_minus`` or ``interval``."""
        keys = set(found)
        if "number" in keys:
            extra = keys - {"number"}
            if len(extra) > 1 or extra - {"plus_minus", "interval"}:
                self.problem(
                    node, f"{what}: `number` goes with at most one of plus_minus or interval, nothing else"
                )
                return None
            number = self._number(found["number"][1], what)
            if number is None:
                return None
            if "plus_minus" in keys:
                error = self._number(found["plus_minus"][1], f"the plus_minus of {what}")
                if error is None:
                    return None
                if error < 0:
                    self.problem(found["plus_minus"][1], "plus_minus is the uncertainty's size: 0 or more")
                    return None
                return ("exact", number, None, error, None)
            if "interval" in keys:
                interval = self._pair(found["interval"][1], f"the interval of {what}")
                if interval is None:
                    return None
                if not interval[0] <= number <= interval[1]:
                    self.problem(found["interval"][1], f"the interval should hold the number {number:g}")
                    return None
                return ("exact", number, None, None, interval)
            return ("exact", number, None, None, None)
        if len(keys) != 1 or keys & {"plus_minus", "interval"}:
            if keys & {"plus_minus", "interval"}:
                self.problem(
                    node, f"{what}: plus_minus and interval go with `number`: {{number: N, plus_minus: E}}"
                )
            else:
                self.problem(node, f"{what} has one of: about, between, at_most, at_least, below, above")
            return None
        (shape,) = keys
        if shape == "between":
            ends = self._pair(found["between"][1], f"the range of {what}")
            return None if ends is None else ("range", ends[0], ends[1], None, None)
        number = self._number(found[shape][1], what)
        return None if number is None else (cast(Shape, str(shape)), number, None, None, None)

    def _value(self, oid: str, benchmark: str | None, mode: Claim, quantity: Quantity) -> Value:
        shape, number, high, error, interval = quantity
        return Value(oid, number, mode, benchmark, shape, high, error, interval)

    def _number(self, node: Node, what: str) -> float | None:
        if isinstance(node, list):
            self.problem(node, f"{what} should be a number; a range is written {{between: [LOW, HIGH]}}")
            return None
        if isinstance(node, dict):
            self.problem(node, f"{what} should be a number, not a mapping")
            return None
        try:
            return f.number(self.file, node, what)
        except f.FieldError as err:
            self.out.problems.append(err.problem)
            return None

    def _pair(self, node: Node, what: str) -> tuple[float, float] | None:
        """``[LOW, HIGH]``, two numbers, the first below the second."""
        if not isinstance(node, list) or len(node) != 2:
            self.problem(node, f"{what} should be two numbers, low then high: [7, 11]")
            return None
        low, high = (self._number(item, what) for item in node)
        if low is None or high is None:
            return None
        if not low < high:
            self.problem(node, f"{what} should go from low to high: [{min(low, high):g}, {max(low, high):g}]")
            return None
        return low, high


def _numbers(quantity: Quantity) -> list[float]:
    _, number, high, _, _ = quantity
    return [number] if high is None else [number, high]
