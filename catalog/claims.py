"""A value's written form as plain data: a number, or a claim's mapping, and how it is shown.

``catalog.source.claims`` reads the forms from YAML (and documents each); this writes a value
back the same way (so a paper exported to YAML reads back to the same values) and says a form
in words for tables, lists and the detail view.
"""

from __future__ import annotations

from typing import Any

from catalog.model import RELATIVE_CLAIMS, Value


def value_form(value: Value) -> Any:
    """A value as a result writes it: a number, or its claim's mapping."""
    quantity: Any
    if value.shape == "exact":
        quantity = value.number
        if value.plus_minus is not None:
            quantity = {"number": value.number, "plus_minus": value.plus_minus}
        elif value.interval is not None:
            quantity = {"number": value.number, "interval": list(value.interval)}
    elif value.shape == "range":
        quantity = {"between": [value.number, value.high]}
    else:
        quantity = {value.shape: value.number}
    if value.mode == "absolute":
        return quantity
    return {value.mode: quantity}


_BOUND_SIGNS = {"at_most": "≤ ", "at_least": "≥ ", "below": "< ", "above": "> ", "about": "~"}


def _quantity_text(quantity: Any, signed: bool) -> str:
    def num(n: float) -> str:
        return f"{'+' if signed and n > 0 else ''}{n:g}"

    if not isinstance(quantity, dict):
        return num(quantity)
    if "number" in quantity:
        if "plus_minus" in quantity:
            return f"{num(quantity['number'])} ± {quantity['plus_minus']:g}"
        low, high = quantity["interval"]
        return f"{num(quantity['number'])} [{low:g}, {high:g}]"
    if "between" in quantity:
        low, high = quantity["between"]
        return f"{num(low)} to {high:g}"
    ((shape, number),) = quantity.items()
    return f"{_BOUND_SIGNS[shape]}{num(number)}"


def describe(form: Any) -> str:
    """A value's form (a number, or a claim's mapping) as tables and the detail view show it:
    ``7.59``, ``~0.1``, ``7 to 11``, ``≤ 230``, ``71.2 ± 0.3``, ``-40% (percent)``, ``54x less``."""
    if isinstance(form, dict) and len(form) == 1:
        ((mode, quantity),) = form.items()
        if mode in RELATIVE_CLAIMS:
            text = _quantity_text(quantity, mode in ("difference", "percent", "percent_or_points"))
            if mode == "percent":
                return f"{text}% (percent)"
            if mode == "ratio":
                return f"{text}x (ratio)"
            if mode == "times_less":
                return f"{text}x less"
            if mode == "percent_or_points":
                return f"{text}% (points or percent: unsaid)"
            return f"{text} (difference)"
    return _quantity_text(form, False)
